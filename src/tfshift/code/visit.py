"""Find the places rules care about, without walking every node of every file.

Parsing is done by CPython; walking a whole tree in Python costs as much again. So the walk is
in two levels. Statements are always walked (they are about a tenth of the nodes): that finds
imports, aliases, classes and functions. Expressions are walked only inside statements whose
lines mention a tracked name (`tf`, `keras`, an alias) or a word a method rule listens for; a
regular expression over the text finds those lines. On TensorFlow's own sources, which import
`tensorflow.python...` internals that no rule is about, most statements are never entered.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from tfshift.code.names import Binding, Bindings, dotted, import_bindings, is_internal, qualify
from tfshift.code.project import key_of

_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# Implementation modules whose imports rules still report (tf.contrib is gone whole; the private
# Keras copy does not mix with Keras 3).
_REPORTED_INTERNALS = ("tf.contrib.", "tf.python.keras")


@dataclass(eq=False)
class Ref:
    """A resolved reference: `tf.nn.dropout`, `K.sum`, `dense` from a from-import, or an import."""

    qual: str  # tf.nn.dropout
    node: ast.AST  # the Name/Attribute chain; for an import, its ast.alias
    binding: Binding  # the local name the chain starts at
    rest: tuple[str, ...]  # the attributes after that name
    stmt: ast.AST  # innermost statement holding it
    scopes: tuple[ast.AST, ...]  # enclosing functions, outermost first
    call: ast.Call | None = None  # the call when the reference is called directly
    is_import: bool = False

    @property
    def through_alias(self) -> bool:
        """Reached through a name bound to a module or symbol, not to the package root."""
        return not self.binding.is_root


@dataclass(eq=False)
class MethodRef:
    """`<expr>.attr` for an attribute a method rule listens for (receiver unresolved)."""

    attr: str
    node: ast.Attribute
    stmt: ast.AST
    scopes: tuple[ast.AST, ...]
    call: ast.Call | None = None
    qual: str | None = None  # when the whole chain resolves, e.g. tf.keras.Model.fit


@dataclass(eq=False, slots=True)
class Statement:
    node: ast.AST  # a statement, an except handler or a match case
    parent: Statement | None
    scopes: tuple[ast.AST, ...]


# Statement kinds that hold other statements (TryStar and Match where Python has them).
_COMPOUND = frozenset({
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor,
    ast.While, ast.With, ast.AsyncWith, ast.Try, ast.ExceptHandler,
    *(getattr(ast, name) for name in ("TryStar", "Match", "match_case") if hasattr(ast, name)),
})


def statements(tree: ast.Module) -> list[Statement]:
    """Every statement in source order, with its parent and enclosing functions."""
    found: list[Statement] = []
    stack: list[tuple[list, Statement | None, tuple]] = [(list(reversed(tree.body)), None, ())]
    compound = _COMPOUND
    while stack:
        pending, parent, scopes = stack[-1]
        if not pending:
            stack.pop()
            continue
        node = pending.pop()
        entry = Statement(node, parent, scopes)
        found.append(entry)
        if type(node) not in compound:
            continue
        inner = (*scopes, node) if isinstance(node, _FUNCTIONS) else scopes
        children: list = []
        for name in _BODIES:
            value = getattr(node, name, None)
            if value:
                children.extend(value)
        if children:
            stack.append((list(reversed(children)), entry, inner))
    return found


def bindings(entries: list[Statement], project: dict | None = None, prelude: list | None = None) -> Bindings:
    """The file's bindings; `project` holds what its imports of the project's own modules
    bring (project.Project.received), bound like its own imports; `prelude` the bindings of a
    notebook's earlier cells, which this cell's aliases may start from (`K = keras.backend`)."""
    table = Bindings()
    earlier = {b.name: b for b in prelude or ()}
    params: list[tuple[str, ast.AST]] = []
    imports = (ast.Import, ast.ImportFrom)
    received: list[Binding] = []  # bound from project modules
    rebound: dict[str, list[ast.AST]] = {}  # module-level statements binding a name, once any is received
    for entry in entries:
        node = entry.node
        kind = type(node)
        if kind in imports:
            scope = entry.scopes[-1] if entry.scopes else None
            for binding in import_bindings(node, scope):
                table.add(binding)
            if project and kind is ast.ImportFrom:
                for binding in _project_bindings(node, scope, project):
                    table.add(binding)
                    received.append(binding)
            for alias in node.names:
                table.taken.add(alias.asname or alias.name.partition(".")[0])
                if received and not entry.scopes:
                    rebound.setdefault(alias.asname or alias.name.partition(".")[0], []).append(node)
        elif kind is ast.Assign:
            for target in node.targets:
                if type(target) is ast.Name:
                    table.taken.add(target.id)
                    if received and not entry.scopes:
                        rebound.setdefault(target.id, []).append(node)
            if not entry.scopes and len(node.targets) == 1 and type(node.targets[0]) is ast.Name:
                _alias_assignment(table, node, entry, earlier)
        elif kind in _FUNCTIONS:
            table.taken.add(node.name)
            args = node.args
            for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
                if arg is not None:
                    params.append((arg.arg, node))
        elif kind is ast.ClassDef:
            table.taken.add(node.name)
    if received:
        _drop_rebound(table, received, rebound)
    if table.module or table.local:
        tracked = table.names()
        for name, function in params:
            if name in tracked:
                table.hide(name, function)
    return table


def _drop_rebound(table: Bindings, received: list[Binding], rebound: dict) -> None:
    """A name received by `from helpers import *` and bound again later by the file itself
    (`import numpy as tf`, `tf = ...`) is not the project's TensorFlow name after that."""
    for binding in received:
        later = [n for n in rebound.get(binding.name, ()) if n is not binding.stmt and n.lineno > binding.stmt.lineno]
        if later and table.module.get(binding.name) is binding:
            own = next((b for b in table.imports if b.name == binding.name and b.scope is None
                        and any(b.stmt is n for n in later)), None)
            if own is not None:
                table.module[binding.name] = own  # the file's own TensorFlow import
            else:
                del table.module[binding.name]


def _project_bindings(node: ast.ImportFrom, scope, project: dict) -> list[Binding]:
    """`from gcn.layers import *` binds the `tf` gcn/layers.py imports."""
    received = project.get(key_of(node.level, node.module or ""))
    if not received:
        return []
    found = []
    for alias in node.names:
        if alias.name == "*":
            found.extend(Binding(name, qual, "from", node, alias, scope) for name, qual in received.items())
        elif alias.name in received:
            found.append(Binding(alias.asname or alias.name, received[alias.name], "from", node, alias, scope))
    return found


def _alias_assignment(table: Bindings, node: ast.Assign, entry: Statement, earlier: dict) -> None:
    """`layers = tf.layers` at module level makes `layers` an alias of `tf.layers`."""
    parts = dotted(node.value)
    if not parts:
        return
    source = table.module.get(parts[0])
    if source is None and parts[0] not in table.taken:
        source = earlier.get(parts[0])
    if source is None:
        return
    qual = ".".join((source.qual, *parts[1:]))
    name = node.targets[0].id
    table.add(Binding(name, qual, "assign", node, node.value, None))


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _lines(node: ast.AST) -> tuple[int, int]:
    """First and last line of a statement (a match case has them on its pattern and body)."""
    if hasattr(node, "lineno"):
        return node.lineno, node.end_lineno or node.lineno
    return node.pattern.lineno, node.body[-1].end_lineno


def header_lines(node: ast.AST) -> tuple[int, int]:
    """The lines of a statement that are not inside its nested statements."""
    start, last = _lines(node)
    for decorator in getattr(node, "decorator_list", ()):
        start = min(start, decorator.lineno)
    body = None
    for name in _BODIES:
        value = getattr(node, name, None)
        if value:
            body = value
            break
    if body is None:
        return start, last
    first = _lines(body[0])[0]
    for decorator in getattr(body[0], "decorator_list", ()):
        first = min(first, decorator.lineno)
    return start, max(start, first - 1)


def header_parts(node: ast.AST) -> Iterator[ast.AST]:
    """The expressions of a statement outside its nested statements."""
    for name, value in ast.iter_fields(node):
        if name in _BODIES:
            continue
        if isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    yield item
        elif isinstance(value, ast.AST):
            yield value


class Dispatch:
    """The handlers of the active rules, indexed for the walk."""

    def __init__(self, rules) -> None:
        self.symbols: dict[str, list] = {}
        self.prefixes: dict[str, list] = {}
        self.methods: dict[str, list] = {}
        self.statements: dict[type, list] = {}
        self.finish: list = []
        words: set[str] = set()
        for rule in rules:
            for name, fn in rule.symbol_handlers.items():
                self.symbols.setdefault(name, []).append((rule, fn))
            for name, fn in rule.prefix_handlers.items():
                self.prefixes.setdefault(name, []).append((rule, fn))
            for name, fn in rule.method_handlers.items():
                self.methods.setdefault(name, []).append((rule, fn))
            for kind, fn in rule.statement_handlers.items():
                self.statements.setdefault(kind, []).append((rule, fn))
            self.finish.extend((rule, fn) for fn in rule.finish_handlers)
            words.update(rule.words)
        self.words = sorted(words)

    def for_symbol(self, qual: str) -> list:
        """Handlers for `qual`: exact symbol handlers, then prefix handlers, each rule once."""
        found = list(self.symbols.get(qual, ()))
        if self.prefixes:
            index = qual.find(".")
            while index != -1:
                found.extend(self.prefixes.get(qual[:index], ()))
                index = qual.find(".", index + 1)
            found.extend(self.prefixes.get(qual, ()))
            if len(found) > 1:
                seen: set = set()
                found = [h for h in found if not (id(h[1]) in seen or seen.add(id(h[1])))]
        return found


class Walker:
    """Walks one parsed file and calls the handlers; the context receives what they report."""

    def __init__(self, tree: ast.Module, text: str, dispatch: Dispatch, ctx, project: dict | None = None,
                 prelude: list | None = None) -> None:
        self.tree = tree
        self.text = text
        self.dispatch = dispatch
        self.ctx = ctx
        self.entries = statements(tree)
        self.bindings = bindings(self.entries, project, prelude)

    def candidate_lines(self, line_starts: list[int]) -> list[int]:
        """Lines where a tracked name or a method rule's word occurs (substring search, which
        is several times faster than one regular expression over the file)."""
        text = self.text
        offsets: list[int] = []
        for word in [n for n in self.bindings.names() if self._tracked(n)] + self.dispatch.words:
            whole = word.isidentifier()
            find = text.find
            index = find(word)
            while index != -1:
                end = index + len(word)
                if not whole or ((index == 0 or not _word_char(text[index - 1]))
                                 and (end == len(text) or not _word_char(text[end]))):
                    offsets.append(index)
                index = find(word, end)
        if not offsets:
            return []
        return sorted({bisect.bisect_right(line_starts, offset) for offset in offsets})

    def _tracked(self, name: str) -> bool:
        binding = self.bindings.module.get(name)
        if binding is not None:
            return not is_internal(binding.qual)
        return any(b is not None and b.name == name and not is_internal(b.qual)
                   for table in self.bindings.local.values() for b in table.values())

    def run(self, line_starts: list[int]) -> None:
        dispatch, ctx = self.dispatch, self.ctx
        candidates = self.candidate_lines(line_starts)
        for entry in self.entries:
            node = entry.node
            handlers = dispatch.statements.get(type(node))
            if handlers:
                for rule, fn in handlers:
                    ctx.call(rule, fn, entry)
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self._import(entry)
                continue
            if not candidates:
                continue
            # Cheap test on the whole statement first; the header only for the few that pass.
            first, last = _lines(node)
            index = bisect.bisect_left(candidates, first)
            outside = index == len(candidates) or candidates[index] > last
            if outside and not getattr(node, "decorator_list", None):
                continue
            start, end = header_lines(node)
            index = bisect.bisect_left(candidates, start)
            if index < len(candidates) and candidates[index] <= end:
                for part in header_parts(node):
                    self._expressions(part, entry)
        for rule, fn in dispatch.finish:
            ctx.call(rule, fn)

    def _import(self, entry: Statement) -> None:
        node = entry.node
        scope = entry.scopes[-1] if entry.scopes else None
        made = {b.node: b for b in import_bindings(node, scope)}
        for alias in node.names:
            binding = made.get(alias)
            if binding is None or (is_internal(binding.qual) and not binding.qual.startswith(_REPORTED_INTERNALS)):
                continue
            if isinstance(node, ast.Import):
                qual = qualify(alias.name) or binding.qual
            else:
                qual = binding.qual
            ref = Ref(qual, alias, binding, (), node, entry.scopes, is_import=True)
            for rule, fn in self.dispatch.for_symbol(qual):
                self.ctx.call(rule, fn, ref)

    def _expressions(self, root: ast.AST, entry: Statement) -> None:
        dispatch, ctx, lookup = self.dispatch, self.ctx, self.bindings.lookup
        methods = dispatch.methods
        scopes = entry.scopes
        stack: list[tuple[ast.AST, ast.AST | None]] = [(root, entry.node)]
        while stack:
            node, parent = stack.pop()
            kind = type(node)
            if kind is ast.Attribute or kind is ast.Name:
                parts = dotted(node)
                if parts is not None:
                    binding = lookup(parts[0], scopes)
                    qual = None
                    if binding is not None and type(node.ctx) is ast.Load:
                        qual = ".".join((binding.qual, *parts[1:]))
                    call = parent if type(parent) is ast.Call and parent.func is node else None
                    if methods and kind is ast.Attribute:
                        self._methods(node, entry, call, qual)
                    if qual is not None:
                        ctx.parents[node] = parent
                        ref = Ref(qual, node, binding, tuple(parts[1:]), entry.node, scopes, call)
                        for rule, fn in dispatch.for_symbol(qual):
                            ctx.call(rule, fn, ref)
                    continue
                if methods and node.attr in methods:
                    call = parent if type(parent) is ast.Call and parent.func is node else None
                    ctx.parents[node] = parent
                    ref = MethodRef(node.attr, node, entry.node, scopes, call)
                    for rule, fn in methods[node.attr]:
                        ctx.call(rule, fn, ref)
            ctx.parents[node] = parent
            for child in ast.iter_child_nodes(node):
                stack.append((child, node))

    def _methods(self, node: ast.Attribute, entry: Statement, call, qual) -> None:
        """Method rules on a plain dotted chain (`self.model.fit_generator`)."""
        methods = self.dispatch.methods
        inner = node
        while isinstance(inner, ast.Attribute):
            handlers = methods.get(inner.attr)
            if handlers:
                this_call = call if inner is node else None
                ref = MethodRef(inner.attr, inner, entry.node, entry.scopes, this_call,
                                qual if inner is node else None)
                for rule, fn in handlers:
                    self.ctx.call(rule, fn, ref)
            inner = inner.value
