"""What a rule handler sees of the file it runs on, and the helpers it writes fixes with.

Positions: `ast` counts columns in UTF-8 bytes; everything here is in characters of the
decoded text, so an edit lands on the same characters whatever the file's encoding.
"""

from __future__ import annotations

import ast
import traceback

from tfshift.code import source
from tfshift.code.names import MODULES
from tfshift.code.rule import SAFE, UNSAFE, Edit, Finding, Fix, ImportRequest

_PREFERRED_ALIAS = {"tf": "tf", "keras": "keras", "tf_keras": "tf_keras"}


class Context:
    def __init__(self, text: str, path: str, settings, newline: str, tree: ast.Module) -> None:
        self.text = text
        self.path = path
        self.settings = settings
        self.newline = newline
        self.tree = tree
        self.starts = source.line_starts(text)
        self.findings: list[Finding] = []
        self.errors: list[str] = []
        self.parents: dict[ast.AST, ast.AST | None] = {}
        self.bindings = None  # set by the engine before the walk
        self.dispatch = None
        self.statements = None
        self.rule = None
        self.prelude: set[int] = set()  # ids of bindings made by earlier notebook cells
        self.project: dict = {}  # what the file receives from project modules (project.py)
        # upgrade: spans of the text an earlier round's fixes wrote (engine.upgrade_text)
        self.produced: list[tuple[int, int]] = []
        self._state: dict[str, dict] = {}

    # Running handlers ---------------------------------------------------------------------

    def call(self, rule, fn, *args) -> None:
        self.rule = rule
        try:
            fn(self, *args)
        except Exception:
            node = getattr(args[0], "node", None) if args else None
            line = getattr(node, "lineno", None)
            last = traceback.format_exc(limit=-1).strip().splitlines()[-1]
            where = f" at line {line}" if line else ""
            self.errors.append(f"{self.path}: rule {rule.id} crashed{where}: {last}")

    def state(self) -> dict:
        """A dict the current rule keeps for the rest of this file (for finish handlers)."""
        return self._state.setdefault(self.rule.id, {})

    # Positions ----------------------------------------------------------------------------

    def offset(self, line: int, byte_col: int) -> int:
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        text = self.text[start:end]
        if text.isascii():
            return start + byte_col
        return start + len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (self.offset(node.lineno, node.col_offset),
                self.offset(node.end_lineno, node.end_col_offset))

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def position(self, offset: int) -> tuple[int, int]:
        """(1-based line, 0-based character column) of an offset."""
        import bisect

        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1]

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return self.text[start:end]

    def indent_of(self, node: ast.AST) -> str:
        text = self.line_text(node.lineno)
        return text[: len(text) - len(text.lstrip(" \t"))]

    def written_by_fix(self, node: ast.AST) -> bool:
        """Whether an earlier upgrade round wrote this text: `tf.nn.softmax_cross_entropy_with_logits`
        that was `..._v2` in the user's code is TF2 code, not TF1 code to upgrade again."""
        if not self.produced:
            return False
        start, end = self.span(node)
        return any(s <= start and end <= e for s, e in self.produced)

    # Reporting ----------------------------------------------------------------------------

    def report(self, node: ast.AST | tuple[int, int], message: str, *, fix: Fix | None = None,
               needs: tuple[str, ...] = (), severity: str | None = None) -> Finding:
        start, end = node if isinstance(node, tuple) else self.span(node)
        line, col = self.position(start)
        end_line, end_col = self.position(end)
        rule = self.rule
        finding = Finding(rule.id, rule.name, severity or rule.severity, line, col + 1,
                          end_line, end_col + 1, message, fix, tuple(needs))
        self.findings.append(finding)
        return finding

    # Writing fixes ------------------------------------------------------------------------

    def replace(self, node: ast.AST | tuple[int, int], text: str) -> Edit:
        start, end = node if isinstance(node, tuple) else self.span(node)
        return Edit(start, end, text)

    def insert(self, offset: int, text: str) -> Edit:
        return Edit(offset, offset, text)

    @staticmethod
    def fix(*edits: Edit, unsafe: bool = False, description: str = "",
            imports: tuple[ImportRequest, ...] = ()) -> Fix:
        return Fix(tuple(edits), UNSAFE if unsafe else SAFE, description, tuple(imports))

    def spell(self, qual: str, scopes: tuple = (), prefer=None, *, at=None
              ) -> tuple[str, tuple[ImportRequest, ...]]:
        """How to write the qualified path `qual` here, and the import that needs, if any.

        Uses `prefer` (the binding the old code went through) when it fits, else the longest
        binding the file already has (`tfv1.placeholder` for tf.compat.v1.placeholder when
        `tfv1 = tf.compat.v1`), else imports the package. `at` is where the text goes: the
        statement it is written in, or a character offset for a new line. Only bindings made
        before that point count, and never the statement's own (`K = tf.keras.backend` must not
        become `K = K`).
        """
        if (prefer is not None and (qual == prefer.qual or qual.startswith(prefer.qual + "."))
                and self.bindings.lookup(prefer.name, scopes) is prefer
                and self.bound_before(prefer, at, used=True)):
            return prefer.name + qual[len(prefer.qual):], ()
        best, best_qual = None, ""
        for name in self.bindings.names():
            binding = self.bindings.lookup(name, scopes)
            if binding is None or binding.name != name or not self.bound_before(binding, at):
                continue
            bound = self._equivalent(binding.qual)
            if (qual == bound or qual.startswith(bound + ".")) and len(bound) > len(best_qual):
                best, best_qual = binding, bound
        if best is not None:
            return best.name + qual[len(best_qual):], ()
        root, _, rest = qual.partition(".")
        module = MODULES.get(root, root)
        name = _PREFERRED_ALIAS.get(root, root)
        if name in self.bindings.taken or name in self.bindings.names():
            name = module if module not in self.bindings.taken else f"{name}_{root}"
        spelled = f"{name}.{rest}" if rest else name
        return spelled, (ImportRequest(module, asname=name),)

    def bound_before(self, binding, at, used: bool = False) -> bool:
        """Whether `binding` exists where `at` (a statement, or an offset) runs.

        A binding from an earlier notebook cell always does. With `used`, the old code already
        goes through the binding at `at`, so only its own statement is excluded.
        """
        if at is None or id(binding) in self.prelude:
            return True
        stmt = binding.stmt
        if isinstance(at, int):
            return self.span(stmt)[1] <= at
        if stmt is at:
            return False
        return used or self.span(stmt)[1] <= self.start_of(at)

    def start_of(self, node: ast.AST) -> int:
        """Offset where a statement starts (a match case at its pattern, a def at its decorators)."""
        if not hasattr(node, "lineno"):
            node = node.pattern
        line, col = node.lineno, node.col_offset
        for decorator in getattr(node, "decorator_list", ()):
            if (decorator.lineno, decorator.col_offset) < (line, col):
                line, col = decorator.lineno, decorator.col_offset
        return self.offset(line, col)

    def _equivalent(self, qual: str) -> str:
        """With a Keras 3 target, `tf.keras` is `keras`: a `from tensorflow import keras`
        binding can spell `keras.ops.sum`."""
        settings = self.settings
        if settings.keras2 or tuple(map(int, settings.target.split("."))) < (2, 16):
            return qual
        for root in ("tf.keras", "tf.compat.v1.keras", "tf.compat.v2.keras"):
            if qual == root or qual.startswith(root + "."):
                return "keras" + qual[len(root):]
        return qual

    def spell_module(self, module: str, member: str) -> tuple[str, tuple[ImportRequest, ...]]:
        """`os.makedirs` spelled with the file's own import of `os` (added when missing)."""
        name, imports = self.import_of(module)
        return f"{name}.{member}", imports

    def import_of(self, module: str, asname: str | None = None) -> tuple[str, tuple[ImportRequest, ...]]:
        """The local name of `module` (importing it as `asname` when the file does not)."""
        for binding in self.bindings.imports:
            if binding.kind == "import" and binding.scope is None:
                alias = binding.node
                if alias.name == module and (alias.asname or "." not in module):
                    return binding.name, ()
        for node in self.tree.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == module and (alias.asname or "." not in module):
                        return alias.asname or alias.name, ()
        name = asname or module.rpartition(".")[2]
        return name, (ImportRequest(module, asname=name),)

    # Calls and their arguments ------------------------------------------------------------

    @staticmethod
    def keyword(call: ast.Call, name: str) -> ast.keyword | None:
        for keyword in call.keywords:
            if keyword.arg == name:
                return keyword
        return None

    @staticmethod
    def argument(call: ast.Call, position: int | None, name: str) -> ast.AST | None:
        """The value passed for a parameter, by keyword or (before any *args) by position."""
        for keyword in call.keywords:
            if keyword.arg == name:
                return keyword.value
        if (position is not None and position < len(call.args)
                and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1])):
            return call.args[position]
        return None

    @staticmethod
    def keywords_given(call: ast.Call, names) -> bool:
        """Whether the call already passes one of `names` as a keyword (naming a positional
        argument after it would repeat the keyword: a SyntaxError)."""
        given = {k.arg for k in call.keywords}
        return any(name in given for name in names)

    @staticmethod
    def has_star(call: ast.Call) -> bool:
        return any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords)

    def keyword_name(self, keyword: ast.keyword) -> tuple[int, int]:
        start = self.offset(keyword.lineno, keyword.col_offset)
        return start, start + len(keyword.arg)

    def rename_keyword(self, keyword: ast.keyword, new: str) -> Edit:
        return Edit(*self.keyword_name(keyword), new)

    def _arguments(self, call: ast.Call) -> list[ast.AST]:
        return sorted([*call.args, *call.keywords], key=lambda n: (n.lineno, n.col_offset))

    def remove_argument(self, call: ast.Call, arg: ast.AST) -> Edit:
        """Remove one argument with its comma, leaving the others as they were."""
        return self.remove_item(self._arguments(call), arg, self.span(call)[1] - 1)

    def remove_arguments(self, call: ast.Call, args: list[ast.AST]) -> list[Edit]:
        """Remove several arguments in one fix (edits that do not overlap each other)."""
        items = self._arguments(call)
        gone = [i for i, item in enumerate(items) if any(item is a for a in args)]
        edits = []
        runs: list[list[int]] = []
        for index in gone:
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        for run in runs:
            first, last = run[0], run[-1]
            if last + 1 < len(items):
                edits.append(Edit(self.span(items[first])[0], self.span(items[last + 1])[0], ""))
            elif first > 0:
                edits.append(Edit(self.span(items[first - 1])[1], self.span(items[last])[1], ""))
            else:
                start, end = self.span(items[first])[0], self.span(items[last])[1]
                closing = self.span(call)[1] - 1
                if self.text[end:closing].strip(" \t\r\n,") == "":
                    end = closing
                edits.append(Edit(start, end, ""))
        return edits

    def remove_item(self, items: list[ast.AST], item: ast.AST, closing: int | None = None) -> Edit:
        """Remove one item of a comma-separated list (arguments, imported names)."""
        index = items.index(item)
        start, end = self.span(item)
        if index + 1 < len(items):
            return Edit(start, self.span(items[index + 1])[0], "")
        if index > 0:
            return Edit(self.span(items[index - 1])[1], end, "")
        if closing is not None and self.text[end:closing].strip(" \t\r\n,") == "":
            end = closing
        return Edit(start, end, "")

    def add_argument(self, call: ast.Call, text: str) -> Edit:
        """Append `text` (e.g. "rate=0.5") as the call's last argument."""
        items = self._arguments(call)
        if items:
            end = self.span(items[-1])[1]
            return Edit(end, end, ", " + text)
        closing = self.span(call)[1] - 1
        return Edit(closing, closing, text)

    def statement_of(self, node: ast.AST) -> ast.AST | None:
        while node is not None and not isinstance(node, ast.stmt):
            node = self.parents.get(node)
        return node

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(node)

    def ancestors(self, stmt: ast.AST):
        """Enclosing statements of a statement, innermost first."""
        entry = self._entry(stmt)
        entry = entry.parent if entry else None
        while entry is not None:
            yield entry.node
            entry = entry.parent

    def _entry(self, stmt: ast.AST):
        index = getattr(self, "_entries", None)
        if index is None:
            index = self._entries = {e.node: e for e in self.statements}
        return index.get(stmt)


__all__ = ["SAFE", "UNSAFE", "Context"]
