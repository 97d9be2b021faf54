"""What a native family is, and the parsed file (Unit) it works on.

A family module defines one `FAMILY = Family(...)`:

    FAMILY = Family(number=1, name="graph-programs", order=100, find=find,
                    claims=("tf.placeholder", "tf.Session"), summary="...")

`find(unit)` looks at the file with `ast` (unit.refs() gives every TensorFlow reference already
resolved through any import form) and returns Sites: each either carries token-precise Edits
(offsets in unit.text) plus the imports they need (ImportRequest), or says why the place
`cannot` be rewritten natively. A site that cannot keeps its file's whole program on the compat
upgrade. `claims` lists the TF1 names (or prefixes ending in ".") a family owns: the generic
renamer (family 9) leaves them alone and the residue check does not report them as unhandled.

Families run in `order` (lower first) within a round; when edits of two families overlap, the
earlier one wins and the later family sees the new text in the next round. The driver repeats
rounds until no family has edits, so `find` must return no edits on its own output.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from tfshift.code import source
from tfshift.code.names import Binding, dotted, tf1_name
from tfshift.code.rule import Edit, ImportRequest
from tfshift.code.visit import bindings as file_bindings
from tfshift.code.visit import header_lines, header_parts, statements

__all__ = ["Edit", "Family", "ImportRequest", "Ref", "Site", "Unit"]


@dataclass(frozen=True)
class Site:
    """One place a family handles: rewritten (edits) or not (cannot)."""

    family: str
    line: int  # 1-based
    column: int  # 1-based
    message: str
    edits: tuple[Edit, ...] = ()
    imports: tuple[ImportRequest, ...] = ()
    cannot: str | None = None  # why it stays on compat
    tf2: bool = False  # the edits write TF2 names: later rounds must not read them as TF1

    def as_dict(self) -> dict:
        data = {"family": self.family, "line": self.line, "column": self.column,
                "message": self.message}
        if self.cannot:
            data["cannot"] = self.cannot
        return data


@dataclass(frozen=True)
class Family:
    number: int  # the family's number in issue 13
    name: str
    order: int
    find: Callable[[Unit], list[Site]]
    summary: str
    claims: tuple[str, ...] = ()
    last: bool = False  # runs only once no other family has edits (import rewriting)

    def claimed(self, name: str) -> bool:
        return any(name == c or (c.endswith(".") and name.startswith(c)) for c in self.claims)

    def site(self, unit: Unit, node: ast.AST, message: str, edits=(), imports=(),
             cannot: str | None = None, tf2: bool = False) -> Site:
        return Site(self.name, node.lineno, unit.column(node), message, tuple(edits),
                    tuple(imports), cannot, tf2)


@dataclass(eq=False)
class Ref:
    """A TensorFlow reference: `tf.layers.dense`, `tf1.Variable`, `placeholder` from an import."""

    name: str  # its TF1 meaning when `v1` (tf.layers.dense), else its TF2 one (tf.random.normal)
    v1: bool  # means the TF1 API (compat.v1, or any tf.* in code written for 1.x)
    node: ast.AST  # the Name/Attribute chain
    binding: Binding
    scopes: tuple[ast.AST, ...]
    call: ast.Call | None = None  # when the chain is called directly


class _Parents(dict):
    """Parent of each node. The reference walk fills it only for the statements it enters (the
    fast path); a family asking about any other node gets the whole tree filled once."""

    def __init__(self, tree: ast.AST) -> None:
        super().__init__()
        self._tree = tree
        self._complete = False
        self.nodes: list[ast.AST] = []

    def _complete_once(self) -> None:
        if not self._complete:
            self._complete = True
            nodes = self.nodes = [self._tree]  # breadth first, as ast.walk: one pass for both
            index = 0
            while index < len(nodes):
                node = nodes[index]
                index += 1
                for child in ast.iter_child_nodes(node):
                    self[child] = node
                    nodes.append(child)

    def get(self, key, default=None):
        if not self._complete and not dict.__contains__(self, key):
            self._complete_once()
        return dict.get(self, key, default)

    def __missing__(self, key):
        self._complete_once()
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        raise KeyError(key)

    def __contains__(self, key) -> bool:
        if not self._complete and not dict.__contains__(self, key):
            self._complete_once()
        return dict.__contains__(self, key)


class Unit:
    """One file's text and tree, with every TensorFlow reference resolved."""

    def __init__(self, text: str, path: str = "<string>", source_major: int = 1,
                 project: dict | None = None, newline: str | None = None,
                 produced: list[tuple[int, int]] | None = None) -> None:
        self.text = text
        self.produced = produced or []  # spans earlier rounds wrote TF2 names into
        # Whether the file (as the user wrote it) uses TF1-only API; where it does not, names
        # TF1 and TF2 share with other meanings (tf.nn.softmax_cross_entropy_with_logits) are
        # read as TF2: it is TF2 code already (a second --native run changes nothing).
        self.tf1_evidence = True
        self.path = path
        self.source_major = source_major  # 1: TF1 code; 2: TF 2.0-era code
        self.newline = newline or source.first_newline(text)
        self.tree = ast.parse(text, filename=path)
        self.starts = source.line_starts(text)
        self.entries = statements(self.tree)
        self.bindings = file_bindings(self.entries, project)
        self._refs: list[Ref] | None = None
        self._taken: set[str] | None = None
        self.parents: dict[ast.AST, ast.AST] = _Parents(self.tree)

    def nodes(self) -> list[ast.AST]:
        """Every node of the tree in `ast.walk`'s order, walked once per unit (families scan
        the whole file several times a round; each walk costs as much as parsing)."""
        self.parents._complete_once()
        return self.parents.nodes

    # Positions ----------------------------------------------------------------------------

    def offset(self, line: int, col_bytes: int) -> int:
        """Character offset of an ast position (ast columns are UTF-8 byte offsets)."""
        start = self.starts[line - 1]
        if self.text.isascii():
            return start + col_bytes
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return start + len(self.text[start:end].encode("utf-8")[:col_bytes].decode("utf-8", "replace"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        return self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def column(self, node: ast.AST) -> int:
        return self.offset(node.lineno, node.col_offset) - self.starts[node.lineno - 1] + 1

    def line_span(self, node: ast.AST) -> tuple[int, int]:
        """Whole lines of a statement, newline included (to delete it)."""
        start = self.starts[node.lineno - 1]
        end = self.starts[node.end_lineno] if node.end_lineno < len(self.starts) else len(self.text)
        return start, end

    def indent_of(self, node: ast.AST) -> str:
        start = self.starts[node.lineno - 1]
        line = self.text[start:self.offset(node.lineno, node.col_offset)]
        return line if not line.strip() else ""

    def replace(self, node: ast.AST, text: str) -> Edit:
        start, end = self.span(node)
        return Edit(start, end, text)

    def delete_statement(self, node: ast.stmt) -> Edit:
        start, end = self.line_span(node)
        return Edit(start, end, "")

    # References ---------------------------------------------------------------------------

    def refs(self) -> list[Ref]:
        """Every outermost Name/Attribute chain that resolves to TensorFlow (imports excluded)."""
        if self._refs is None:
            self._refs = list(self._walk())
        return self._refs

    def _walk(self) -> Iterator[Ref]:
        """Only statements whose lines mention a tracked name are entered (most lines of most
        files do not: walking every node in Python costs as much as parsing)."""
        names = self.bindings.names()
        if not names:
            return
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names))) + r")\b")
        starts = self.starts
        lines = {bisect.bisect_right(starts, m.start()) for m in pattern.finditer(self.text)}
        parents = self.parents
        for entry in self.entries:
            node = entry.node
            kind = type(node)
            if kind is ast.Import or kind is ast.ImportFrom:
                continue
            first, last = header_lines(node)
            if not any(line in lines for line in range(first, last + 1)):
                continue
            for part in header_parts(node):
                parents[part] = node
                yield from self._expression(part, entry.scopes)

    def _expression(self, root: ast.AST, scopes: tuple) -> Iterator[Ref]:
        parents = self.parents
        stack: list[tuple[ast.AST, tuple]] = [(root, scopes)]
        while stack:
            node, scopes = stack.pop()
            kind = type(node)
            if kind is ast.Attribute or kind is ast.Name:
                parts = dotted(node)
                if parts:
                    binding = self.bindings.lookup(parts[0], scopes)
                    if binding is not None:
                        parent = dict.get(parents, node)  # set before the push: no need to complete
                        call = parent if type(parent) is ast.Call and parent.func is node else None
                        yield self._ref(binding, parts, node, scopes, call)
                        continue
            inner = scopes + (node,) if kind is ast.Lambda else scopes
            for child in ast.iter_child_nodes(node):
                parents[child] = node
                stack.append((child, inner))

    def _ref(self, binding: Binding, parts: list[str], node, scopes, call) -> Ref:
        qual = ".".join((binding.qual, *parts[1:]))
        if qual.startswith("tf.compat.v1.") or qual == "tf.compat.v1":
            return Ref(tf1_name(qual), True, node, binding, scopes, call)
        if qual.startswith("tf.compat.v2."):
            return Ref("tf." + qual[len("tf.compat.v2."):], False, node, binding, scopes, call)
        v1 = self.source_major == 1 and qual.startswith("tf")
        if v1 and not self.tf1_evidence:
            from tfshift.native.names import ambiguous

            v1 = not ambiguous(qual)
        if v1 and self.produced:
            start, end = self.span(node)
            v1 = not any(s <= start and end <= e for s, e in self.produced)
        return Ref(qual, v1, node, binding, scopes, call)

    def calls(self, *names: str) -> Iterator[Ref]:
        """References to `names` (TF1 meaning for v1 refs) that are called."""
        wanted = set(names)
        for ref in self.refs():
            if ref.call is not None and ref.name in wanted:
                yield ref

    # Spelling -----------------------------------------------------------------------------

    def tf_root(self) -> tuple[str, tuple[ImportRequest, ...]]:
        """The local name that is (or will be, once family 9 rewrote the imports) plain
        `tensorflow` at module level, and the import to add when there is none."""
        for binding in self.bindings.module.values():
            if binding.qual == "tf" and binding.kind == "import":
                return binding.name, ()
        for binding in self.bindings.module.values():
            if binding.qual == "tf":
                return binding.name, ()
        for binding in self.bindings.module.values():
            if binding.qual == "tf.compat.v1":
                return binding.name, ()  # rewritten to `import tensorflow as <name>`
        name = "tf" if "tf" not in self.bindings.taken else "tensorflow"
        return name, (ImportRequest("tensorflow", asname=name if name != "tensorflow" else None),)

    def spell(self, qual: str) -> tuple[str, tuple[ImportRequest, ...]]:
        """Source text for a TF2 / Keras 3 path (`tf.random.normal`, `keras.layers.Dense`)."""
        head, _, rest = qual.partition(".")
        if head == "tf":
            root, imports = self.tf_root()
        elif head == "keras":
            root, imports = "keras", ()
            binding = self.bindings.module.get("keras")
            if binding is None:
                if "keras" in self.bindings.taken:
                    root = "tf.keras"  # `keras` means something else here; tf.keras is Keras 3
                    root, imports = self.tf_root()
                    root += ".keras"
                else:
                    imports = (ImportRequest("keras"),)
            elif binding.qual not in ("keras", "tf.keras"):
                root, imports = self.tf_root()
                root += ".keras"
        else:
            return qual, ()
        return f"{root}.{rest}" if rest else root, imports

    def unique(self, name: str) -> str:
        """`name`, or `name_2`... when the file already uses it (and remembered as used)."""
        if self._taken is None:
            self._taken = self.bindings.taken | {n.id for n in ast.walk(self.tree) if type(n) is ast.Name}
        taken = self._taken
        candidate, index = name, 1
        while candidate in taken:
            index += 1
            candidate = f"{name}_{index}"
        taken.add(candidate)
        return candidate
