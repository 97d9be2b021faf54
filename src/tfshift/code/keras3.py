"""Helpers shared by the Keras 3 migration-guide rules (TFK040-TFK069): which class a method
belongs to and whether it is a Keras layer or model, and where Keras tensors flow in a
functional model. `keras.py` holds what the older TFK rules share (paths, literal file names).
"""

from __future__ import annotations

import ast

from tfshift.code import keras
from tfshift.code.names import dotted

# Bases that make a class a Keras layer or model (RNN cells and wrappers are layers too).
LAYER_BASES = frozenset(keras.paths(
    "layers.Layer", "Model", "models.Model", "Sequential", "models.Sequential", "layers.RNN",
    "layers.AbstractRNNCell", "layers.Wrapper",
))


def enclosing_class(ctx, stmt, scopes) -> tuple[ast.ClassDef | None, ast.AST | None]:
    """(class, method) when the innermost function of `scopes` is a method of a class."""
    if not scopes:
        return None, None
    method = scopes[-1]
    for node in ctx.ancestors(stmt):
        if isinstance(node, ast.ClassDef):
            return (node, method) if method in node.body else (None, None)
    return None, None


def is_keras_class(ctx, cls: ast.ClassDef) -> bool:
    """A class deriving from a Keras layer or model, directly or through a class of this file."""
    seen: set[str] = set()
    todo = [cls]
    classes = None
    while todo:
        node = todo.pop()
        if node.name in seen:
            continue
        seen.add(node.name)
        for base in node.bases:
            parts = dotted(base)
            if not parts:
                continue
            binding = ctx.bindings.module.get(parts[0])
            if binding is not None and ".".join((binding.qual, *parts[1:])) in LAYER_BASES:
                return True
            if len(parts) == 1:
                if classes is None:
                    classes = {n.name: n for n in ast.walk(ctx.tree) if isinstance(n, ast.ClassDef)}
                if parts[0] in classes:
                    todo.append(classes[parts[0]])
    return False


def keras_method(ctx, stmt, scopes, names=None) -> ast.AST | None:
    """The method (a def) holding `stmt` when it is one of `names` of a Keras layer or model."""
    cls, method = enclosing_class(ctx, stmt, scopes)
    if cls is None or (names is not None and method.name not in names):
        return None
    return method if is_keras_class(ctx, cls) else None


def is_self(node) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def keras_call(ctx, call, scopes, *suffixes) -> bool:
    """Whether `call` calls one of the Keras symbols `suffixes` (`"Input"`, `"layers.Input"`)."""
    qual = ctx.bindings.resolve(call.func, scopes) if isinstance(call, ast.Call) else None
    return qual is not None and keras.suffix(qual) in suffixes


def parent_of(ctx, node, stmt):
    """The node holding `node` (the walk does not record parents of plain dotted chains such as
    `h.history` whose root is no tracked name)."""
    found = ctx.parent(node)
    if found is not None:
        return found
    for candidate in ast.walk(stmt):
        for child in ast.iter_child_nodes(candidate):
            if child is node:
                ctx.parents[node] = candidate
                return candidate
    return None


# Builtins whose result is no Keras tensor even when given one.
_NOT_TENSORS = frozenset({"print", "len", "isinstance", "int", "float", "str", "bool", "type",
                          "repr", "id", "hasattr", "getattr", "list", "tuple", "dict", "range"})


_METADATA = frozenset({"shape", "dtype", "name", "get_shape"})


def mentions(node, names) -> bool:
    """Whether `node` uses one of `names` as a value (`x.shape[1]` is metadata, not `x`)."""
    stack = [node]
    while stack:
        sub = stack.pop()
        if isinstance(sub, ast.Name):
            if sub.id in names:
                return True
        elif not (isinstance(sub, ast.Lambda) or (isinstance(sub, ast.Attribute) and sub.attr in _METADATA)):
            stack.extend(ast.iter_child_nodes(sub))
    return False


def keras_tensors(ctx) -> dict:
    """Names holding Keras symbolic tensors while a functional model is built, by scope (a def
    node, or None for the module): `keras.Input(...)`, anything computed from one (a layer or
    model called on it, arithmetic, indexing), and parameters of this file's functions that are
    called with one. Computed once per file."""
    state = ctx._state.setdefault("keras3-tensors", {})
    if "tensors" in state:
        return state["tensors"]
    scopes: dict = {}
    functions = {}
    for node in ast.walk(ctx.tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.setdefault(node.name, node)
    bodies = [(None, ctx.tree)] + [(f, f) for f in functions.values()]
    for _ in range(3):  # parameters learnt from calls, then what flows from them
        changed = False
        for scope, body in bodies:
            names = scopes.setdefault(scope, set())
            before = len(names)
            for stmt in _own_statements(body):
                _learn(ctx, stmt, names, functions, scopes)
            changed |= len(names) != before
        if not changed:
            break
    state["tensors"] = scopes
    return scopes


def _own_statements(body):
    """The statements of a module or def in source order, without nested defs and classes."""
    stack = list(reversed(body.body))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        yield node
        for field in ("body", "orelse", "finalbody", "handlers"):
            stack.extend(reversed(getattr(node, field, None) or []))


def _learn(ctx, stmt, names, functions, scopes):
    for call in (n for n in ast.walk(stmt) if isinstance(n, ast.Call)):
        func = call.func
        if isinstance(func, ast.Name) and func.id in functions:
            params = functions[func.id].args.args
            for param, arg in zip(params, call.args, strict=False):
                if mentions(arg, names):
                    scopes.setdefault(functions[func.id], set()).add(param.arg)
    if (isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)) and stmt.value is not None
            and produces_tensor(ctx, stmt.value, names)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name):
                    names.add(sub.id)


def produces_tensor(ctx, node, names) -> bool:
    if isinstance(node, ast.Call):
        if keras_call(ctx, node, (), "Input", "layers.Input"):
            return True
        func = node.func
        if isinstance(func, ast.Name) and func.id in _NOT_TENSORS:
            return False
        return any(mentions(a, names) for a in [*node.args, *(k.value for k in node.keywords)])
    if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Subscript, ast.Tuple, ast.List)):
        return mentions(node, names)
    return False
