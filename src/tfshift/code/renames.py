"""Renaming a reference wherever it is: a use, a from-import, an `import ... as`, an alias.

Rules that move a symbol (TF1 renames, tf.contrib moves, tf.keras -> keras) describe the move
with a Renamer and call `rename`. The edit goes where the name is written: at an import when the
file imports the symbol or its module directly (its uses then stay as they are), otherwise at
the use, spelled with a name the file already has (`tf`, an alias) or a new import.
"""

from __future__ import annotations

import ast
import re

from tfshift.code.names import qualify, spell_module
from tfshift.code.rule import Edit, ImportRequest

_FROM_MODULE = re.compile(r"from\s+([\w.]+)\s+import\b")


class Renamer:
    """Old qualified path -> new one, for symbols and for whole modules (longest prefix wins).

    `exact` entries move only the name itself, not what is below it: `tf.contrib.layers` as a
    module is `tf_slim`, but not every member of it is.
    """

    def __init__(self, symbols: dict[str, str], modules: dict[str, str] | None = None,
                 exact: dict[str, str] | None = None) -> None:
        self.table = dict(modules or {})
        self.table.update(symbols)
        self.exact = dict(exact or {})

    def keys(self):
        return [*self.table.keys(), *self.exact.keys()]

    def __call__(self, qual: str) -> str | None:
        if qual in self.exact:
            return self.exact[qual]
        probe = qual
        while True:
            new = self.table.get(probe)
            if new is not None:
                return new + qual[len(probe):]
            cut = probe.rfind(".")
            if cut == -1:
                return None
            probe = probe[:cut]


def covered_by_definition(ref, renamer: Renamer) -> bool:
    """A use through an alias whose own import or assignment is renamed: nothing to do here."""
    return ref.through_alias and not ref.is_import and renamer(ref.binding.qual) is not None


def rename(ctx, ref, renamer: Renamer, message: str, *, unsafe: bool = False,
           needs: tuple[str, ...] = (), severity: str | None = None,
           extra: tuple[Edit, ...] = ()) -> None:
    """Report `ref` and attach the fix that makes it name renamer(ref.qual).

    `extra` edits go with the fix (for example naming arguments of the renamed call).
    """
    new = renamer(ref.qual)
    if new is None or covered_by_definition(ref, renamer):
        return
    if ref.is_import:
        edits, imports = _import_fix(ctx, ref, renamer, new)
    elif "." not in new and _alias_of(ref) is not None:
        # `keras = tf.keras` -> `import keras`: the name becomes the package itself.
        request = ImportRequest(spell_module(new), asname=_alias_of(ref))
        edits, imports = [ctx.replace(ref.stmt, request.statement())], ()
    else:
        spelled, imports = ctx.spell(new, ref.scopes, prefer=ref.binding, at=ref.stmt)
        edits = [ctx.replace(ref.node, spelled), *extra]
    fix = None
    if edits:
        fix = ctx.fix(*edits, unsafe=unsafe, description=f"use {new}", imports=imports)
    ctx.report(ref.node, message, fix=fix, needs=needs, severity=severity)


def _alias_of(ref) -> str | None:
    """The target of `NAME = <ref>` when the reference is the whole assigned value."""
    stmt = ref.stmt
    if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
            and stmt.value is ref.node):
        return stmt.targets[0].id
    return None


def _import_fix(ctx, ref, renamer: Renamer, new: str) -> tuple[list[Edit], tuple]:
    stmt, alias = ref.stmt, ref.node
    if isinstance(stmt, ast.Import):
        start, _ = ctx.span(alias)
        if not ctx.text.startswith(alias.name, start):
            return [], ()
        return [Edit(start, start + len(alias.name), spell_module(new))], ()
    module, _, leaf = new.rpartition(".")
    if not module:  # a whole package now: `from tensorflow.contrib import slim` -> `import tf_slim as slim`
        return [ctx.replace(stmt, ImportRequest(new, asname=alias.asname or alias.name).statement())], ()
    base = qualify(stmt.module)
    targets = [renamer(f"{base}.{a.name}") for a in stmt.names]
    same_module = all(t is not None and t.rpartition(".")[0] == module for t in targets)
    same_leaves = all(t is not None and t.rpartition(".")[2] == a.name for t, a in zip(targets, stmt.names, strict=True))
    if same_module and same_leaves:
        match = _FROM_MODULE.match(ctx.text, ctx.span(stmt)[0])
        if match is None:
            return [], ()
        return [Edit(match.start(1), match.end(1), spell_module(module))], ()
    local = alias.asname or alias.name
    request = ImportRequest(spell_module(module), leaf, local if local != leaf else None)
    if len(stmt.names) == 1:
        return [ctx.replace(stmt, request.statement())], ()
    return [ctx.remove_item(stmt.names, alias)], (request,)
