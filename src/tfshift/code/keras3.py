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
