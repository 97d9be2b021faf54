"""Which local names mean TensorFlow, Keras or tf_keras, and what they stand for.

Every name is resolved to a qualified path with a short root: `tensorflow` -> `tf`, and `keras`
and `tf_keras` as themselves. So `import tensorflow.compat.v1 as v1` binds `v1` to
`tf.compat.v1`, `from tensorflow.keras import backend as K` binds `K` to `tf.keras.backend`,
and a module-level alias such as `layers = tf.layers` binds `layers` to `tf.layers`.
Imports inside a function bind in that function only; a parameter of the same name hides a
binding inside its function.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

ROOTS = {"tensorflow": "tf", "keras": "keras", "tf_keras": "tf_keras"}
# What the root of a qualified path is imported as, the other way round.
MODULES = {short: module for module, short in ROOTS.items()}
# Whole API namespaces: a name bound to one of them stands for the package, as `tf` does
# (`import tensorflow.compat.v1 as tf` makes `tf.layers.dense` the reference
# `tf.compat.v1.layers.dense`, checked as such against the target like any other).
NAMESPACES = frozenset({"tf", "keras", "tf_keras", "tf.compat.v1", "tf.compat.v2"})
# Paths below these are TensorFlow's implementation, not its API: no rule is about them.
INTERNAL = ("tf.python.", "tf.core.", "tf.tools.", "tf.compiler.", "tf.lite.toco.", "tf.include.")
# ... and anything with an implementation segment: tf.contrib.layers.python.layers, keras.src.
_INTERNAL_MARKERS = (".python.", ".src.", "._")


def qualify(module: str) -> str | None:
    """`tensorflow.compat.v1` -> `tf.compat.v1`; None for modules no rule is about."""
    head, _, rest = module.partition(".")
    root = ROOTS.get(head)
    if root is None:
        return None
    return f"{root}.{rest}" if rest else root


def is_internal(qual: str) -> bool:
    """Implementation modules: tf.python..., keras.src..., tf.contrib.<x>.python..."""
    probe = qual + "."
    return probe.startswith(INTERNAL) or any(marker in probe for marker in _INTERNAL_MARKERS)


def tf1_name(qual: str) -> str:
    """The TF1 name a reference means: `tf.compat.v1.layers.dense` -> `tf.layers.dense`.

    Code written against `tf.compat.v1` (`import tensorflow.compat.v1 as tf`) means what TF 1.x
    meant by the same name under `tf`; rules and rewriters that know TF1 APIs by their TF1 names
    look them up with this.
    """
    if qual.startswith("tf.compat.v1."):
        return "tf." + qual[len("tf.compat.v1."):]
    return qual


def spell_module(qual: str) -> str:
    """`tf.compat.v1` -> `tensorflow.compat.v1` (the inverse of qualify)."""
    head, _, rest = qual.partition(".")
    module = MODULES.get(head, head)
    return f"{module}.{rest}" if rest else module


@dataclass(eq=False)
class Binding:
    """A local name bound to a qualified path by an import or a module-level alias."""

    name: str
    qual: str
    kind: str  # "import" (import x as y), "from" (from x import y), "assign" (y = tf.x)
    stmt: ast.stmt
    node: ast.AST  # the ast.alias, or the assigned value
    scope: ast.AST | None  # the function it is bound in; None: the module

    @property
    def is_root(self) -> bool:
        """Bound to a whole package or API namespace (`tf`, `keras`, `tf.compat.v1`), not to
        one of its modules or symbols."""
        return self.qual in NAMESPACES


@dataclass
class Bindings:
    """All bindings of one file, by scope."""

    module: dict[str, Binding] = field(default_factory=dict)
    local: dict[ast.AST, dict[str, Binding | None]] = field(default_factory=dict)
    # Every name the file binds, by any means: new imports must not collide with them.
    taken: set[str] = field(default_factory=set)
    imports: list[Binding] = field(default_factory=list)  # in source order

    def lookup(self, name: str, scopes: tuple[ast.AST, ...]) -> Binding | None:
        """The binding `name` has inside the given function scopes (innermost last)."""
        for scope in reversed(scopes):
            table = self.local.get(scope)
            if table is not None and name in table:
                return table[name]  # None: a parameter hides the outer binding
        return self.module.get(name)

    def resolve(self, node: ast.AST, scopes: tuple[ast.AST, ...] = ()) -> str | None:
        """The qualified path a `Name`/`Attribute` chain stands for (`tf.layers.dense` under
        `import tensorflow.compat.v1 as tf` -> `tf.compat.v1.layers.dense`); None when it does
        not start at a tracked name."""
        parts = dotted(node)
        if not parts:
            return None
        binding = self.lookup(parts[0], scopes)
        if binding is None:
            return None
        return ".".join((binding.qual, *parts[1:]))

    def names(self) -> set[str]:
        found = set(self.module)
        for table in self.local.values():
            found.update(name for name, b in table.items() if b is not None)
        return found

    def add(self, binding: Binding) -> None:
        if binding.scope is None:
            table: dict = self.module
        else:
            table = self.local.setdefault(binding.scope, {})
        # The first binding wins: `try: import tensorflow.compat.v1 as tf / except: import
        # tensorflow as tf` runs the first one on any TensorFlow that has it.
        if binding.name not in table:
            table[binding.name] = binding
        if binding.kind != "assign":
            self.imports.append(binding)

    def hide(self, name: str, scope: ast.AST) -> None:
        table = self.local.setdefault(scope, {})
        table.setdefault(name, None)


def import_bindings(stmt: ast.Import | ast.ImportFrom, scope: ast.AST | None) -> list[Binding]:
    """The bindings one import statement makes (only for tensorflow, keras and tf_keras)."""
    found = []
    if isinstance(stmt, ast.Import):
        for alias in stmt.names:
            if alias.asname:
                qual = qualify(alias.name)
                if qual:
                    found.append(Binding(alias.asname, qual, "import", stmt, alias, scope))
            else:
                head = alias.name.partition(".")[0]
                qual = qualify(head)
                if qual:
                    found.append(Binding(head, qual, "import", stmt, alias, scope))
        return found
    if stmt.level or not stmt.module:
        return found
    base = qualify(stmt.module)
    if base is None:
        return found
    for alias in stmt.names:
        if alias.name == "*":
            continue
        found.append(Binding(alias.asname or alias.name, f"{base}.{alias.name}", "from", stmt, alias,
                             scope))
    return found


def dotted(node: ast.AST) -> list[str] | None:
    """`a.b.c` -> ["a", "b", "c"]; None when the chain does not start at a plain name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    parts.reverse()
    return parts
