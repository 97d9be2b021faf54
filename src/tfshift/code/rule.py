"""What a rule is, what it reports and how a fix is written down.

A rule module makes one `Rule(__name__, ...)` and registers handlers on it:

    rule = Rule(__name__, "TFU001", "...", breaks_at="2.0", severity="error")

    @rule.symbols("tf.placeholder", ...)   # a resolved reference: a use, or an import
    def check(ctx, ref): ...
    @rule.prefixes("tf.contrib")           # every reference below a path
    @rule.methods("fit_generator")         # `<anything>.fit_generator`, receiver unknown
    @rule.statements(ast.ClassDef)         # statements of a kind, in every file
    @rule.finish                           # once per file, after everything else

The rule's name is its module's name in kebab case and its documentation is the module
docstring, so the code, the `tfshift rules` text and docs/rules.md cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

SAFE = "safe"
UNSAFE = "unsafe"
NO_FIX = "none"


def version_key(version: str) -> tuple[int, int]:
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] (character offsets in the decoded file) with `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ImportRequest:
    """An import the fixed code needs: `import module as asname` or `from module import name`."""

    module: str
    name: str | None = None
    asname: str | None = None

    def statement(self) -> str:
        if self.name:
            alias = f" as {self.asname}" if self.asname and self.asname != self.name else ""
            return f"from {self.module} import {self.name}{alias}"
        alias = f" as {self.asname}" if self.asname and self.asname != self.module else ""
        return f"import {self.module}{alias}"

    @property
    def local_name(self) -> str:
        return self.asname or self.name or self.module.partition(".")[0]


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: str  # SAFE or UNSAFE
    description: str = ""
    imports: tuple[ImportRequest, ...] = ()


@dataclass
class Finding:
    id: str
    name: str
    severity: str  # "error": breaks on the target; "warning": changes behaviour or is deprecated
    line: int  # 1-based
    column: int  # 1-based, in characters
    end_line: int
    end_column: int
    message: str
    fix: Fix | None = None
    needs: tuple[str, ...] = ()  # "package:tf-slim", "env:keras2", "env:tf<=2.15"
    cell: int | None = None  # notebooks: the code cell (1-based, counting every cell)
    # upgrade: (line, column, end_line, end_column) of what is left, in the text before the
    # upgrade (line, column, ... are in the upgraded text); None when it was not moved
    origin: tuple[int, int, int, int] | None = None

    def at_origin(self) -> Finding:
        """The finding at its position in the text as it was before the upgrade."""
        if self.origin is None:
            return self
        line, column, end_line, end_column = self.origin
        return replace(self, line=line, column=column, end_line=end_line, end_column=end_column,
                       origin=None)

    @property
    def applicability(self) -> str:
        return self.fix.applicability if self.fix else NO_FIX

    def as_dict(self) -> dict:
        data = {
            "id": self.id, "name": self.name, "severity": self.severity,
            "line": self.line, "column": self.column,
            "end_line": self.end_line, "end_column": self.end_column,
            "message": self.message, "fix": None, "needs": list(self.needs),
        }
        if self.cell is not None:
            data["cell"] = self.cell
        if self.fix:
            data["fix"] = {"applicability": self.fix.applicability, "description": self.fix.description}
        return data


Handler = Callable[..., None]


@dataclass(eq=False)
class Rule:
    module: str
    id: str
    summary: str
    breaks_at: str | None  # first TF minor where the old code breaks; None: any --from/--to pair
    severity: str = "error"
    fix: str = SAFE  # what the rule's fixes usually are; each fix states its own
    keras3_only: bool = False  # only when the target's tf.keras is Keras 3 (2.16+, no --keras2)
    until: str | None = None  # last target minor the rule is about (None: every later one)
    # Deprecated at breaks_at rather than broken: code written later may still use the old
    # form, so the rule applies to every target from breaks_at on, whatever --from says.
    any_source: bool = False
    symbol_handlers: dict[str, Handler] = field(default_factory=dict)
    prefix_handlers: dict[str, Handler] = field(default_factory=dict)
    method_handlers: dict[str, Handler] = field(default_factory=dict)
    statement_handlers: dict[type, Handler] = field(default_factory=dict)
    finish_handlers: list[Handler] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # text that must occur for method handlers

    @property
    def name(self) -> str:
        return self.module.rpartition(".")[2].replace("_", "-")

    @property
    def family(self) -> str:
        return self.id.rstrip("0123456789")

    @property
    def doc(self) -> str:
        import sys

        return (sys.modules[self.module].__doc__ or "").strip()

    def applies(self, source: str, target: str, keras2: bool = False) -> bool:
        """The rule is about moving from `source` to `target` when the break lies between."""
        if self.breaks_at is not None:
            breaks = version_key(self.breaks_at)
            if not breaks <= version_key(target):
                return False
            if not self.any_source and not version_key(source) < breaks:
                return False
        if self.until and version_key(target) > version_key(self.until):
            return False
        return not (self.keras3_only and keras2)

    @property
    def versions(self) -> str:
        if self.breaks_at is None:
            return "any --from/--to pair"
        text = f">={self.breaks_at}"
        if self.until:
            text += f",<={self.until}"
        if self.any_source:
            text += " (any --from)"
        return text + (" (Keras 3 targets)" if self.keras3_only else "")

    # Registration -------------------------------------------------------------------------

    @staticmethod
    def _register(table: dict, keys) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            table.update(dict.fromkeys(keys, fn))
            return fn
        return register

    def symbols(self, *names: str) -> Callable[[Handler], Handler]:
        return self._register(self.symbol_handlers, names)

    def prefixes(self, *names: str) -> Callable[[Handler], Handler]:
        return self._register(self.prefix_handlers, names)

    def methods(self, *names: str, words: tuple[str, ...] = ()) -> Callable[[Handler], Handler]:
        """`<expr>.name` for any receiver.

        The handler only runs on lines where one of `words` occurs (default: the names
        themselves, as whole words); a narrower word keeps the prefilter cheap (`"].value"`).
        """
        self.words.extend(words or names)
        return self._register(self.method_handlers, names)

    def statements(self, *kinds: type) -> Callable[[Handler], Handler]:
        return self._register(self.statement_handlers, kinds)

    def finish(self, fn: Handler) -> Handler:
        self.finish_handlers.append(fn)
        return fn
