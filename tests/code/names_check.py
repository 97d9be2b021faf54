"""Names an upgrade left undefined: a small stand-in for pyflakes' undefined-name check.

Two kinds of problem, both compared between the original and the upgraded text so that only
what the upgrade introduced counts:

- names read somewhere (any scope) that nothing in the module binds and that are not builtins
  (`keras_keras.ops` with no such import);
- names read by module-level code before the module binds them (`x = layers.Dense(3)` above
  `from keras import layers`, and `K = K`).

Files with `from x import *` are not checked: any name could come from the star.
"""

from __future__ import annotations

import ast
import builtins
import symtable
import warnings

_BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__", "__loader__",
                                        "__package__", "__builtins__", "__path__", "__annotations__",
                                        "__debug__", "__dict__", "__module__", "__qualname__", "__class__"}
_DEFERRED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def problems(text: str) -> set[tuple[str, str]]:
    """{("undefined" | "before", name)} in a module's text (empty when it has a star import)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(text)
        table = symtable.symtable(text, "<upgraded>", "exec")
    if any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names) for n in ast.walk(tree)):
        return set()
    bound = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    found = {("undefined", name) for name in _free_globals(table) if name not in bound and name not in _BUILTINS}
    found |= {("before", name) for name in _read_before_bound(tree, bound)}
    return found


def introduced(before: str, after: str) -> set[tuple[str, str]]:
    """What `after` gets wrong with its names that `before` did not (nothing when `before`
    itself does not compile: there is no baseline)."""
    try:
        baseline = problems(before)
    except (SyntaxError, ValueError):
        return set()
    return problems(after) - baseline


def _free_globals(table: symtable.SymbolTable) -> set[str]:
    """Names read in any scope that resolve to the module's globals."""
    found = set()
    stack = [table]
    while stack:
        scope = stack.pop()
        for symbol in scope.get_symbols():
            if not symbol.is_referenced():
                continue
            if scope.get_type() == "module" or symbol.is_global() or (
                    scope.get_type() == "class" and not symbol.is_local() and not symbol.is_free()):
                found.add(symbol.get_name())
        stack.extend(scope.get_children())
    return found


def _read_before_bound(tree: ast.Module, bound_anywhere: set[str]) -> set[str]:
    """Module-level reads of names the module binds only later (statements run in order)."""
    seen: set[str] = set()
    early: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, _DEFERRED):
            if not isinstance(node, ast.Lambda):
                for decorator in node.decorator_list:
                    visit(decorator)
                seen.add(node.name)
            for default in (*node.args.defaults, *[d for d in node.args.kw_defaults if d]):
                visit(default)
            return  # the body runs later
        if isinstance(node, ast.ClassDef):
            for part in (*node.decorator_list, *node.bases, *node.keywords):
                visit(part)
            for stmt in node.body:
                visit(stmt)
            seen.add(node.name)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                seen.add(alias.asname or alias.name.partition(".")[0])
            return
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.NamedExpr)):
            if getattr(node, "value", None) is not None:
                visit(node.value)  # the value is evaluated before the targets are bound
            for target in getattr(node, "targets", None) or [node.target]:
                visit(target)
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            visit(node.generators[0].iter)  # the rest runs in its own scope
            return
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                if node.id not in seen and node.id in bound_anywhere and node.id not in _BUILTINS:
                    early.add(node.id)
            else:
                seen.add(node.id)
            return
        if isinstance(node, ast.ExceptHandler) and node.name:
            seen.add(node.name)
        for child in ast.iter_child_nodes(node):
            visit(child)

    for stmt in tree.body:
        visit(stmt)
    return early
