"""A TF1 call's arguments by its signature, for rewrites that must carry every one of them: an
argument the rewrite does not know stops it (reported at the argument) instead of being dropped."""

from __future__ import annotations

import ast


class Cannot(Exception):
    """A site that cannot be rewritten exactly, and why."""

    def __init__(self, node: ast.AST, reason: str) -> None:
        super().__init__(reason)
        self.node = node
        self.reason = reason


def bind(call: ast.Call, signature: tuple[str, ...], what: str) -> dict[str, ast.AST]:
    """{parameter: argument node} of `call` against `signature` (positional order)."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise Cannot(call, f"{what} is called with *args / **kwargs")
    if len(call.args) > len(signature):
        raise Cannot(call, f"{what} is called with more positional arguments than it takes")
    found = dict(zip(signature, call.args, strict=False))
    for keyword in call.keywords:
        if keyword.arg not in signature:
            raise Cannot(keyword.value, f"{what}'s {keyword.arg} is not carried yet")
        found[keyword.arg] = keyword.value
    return found


def literal(node: ast.AST | None, default=None):
    """The value of a literal argument (None: the default); Cannot for anything else."""
    if node is None:
        return default
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise Cannot(node, f"`{ast.unparse(node)}` is not a literal") from None
