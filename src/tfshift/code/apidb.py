"""The API database, as the data-driven rules (TFU100, TFU101, TFA100) ask it.

The database is introspected from real TensorFlow releases (tfshift.api). When it does not hold
the exact minors of --from or --to, the nearest release it holds stands in (the newest one not
after the requested minor, else the oldest), and the rules say which one they used.
Answers are cached per process: a tree asks about the same few hundred symbols again and again.
"""

from __future__ import annotations

from functools import cache, lru_cache

from tfshift.code.rule import version_key


@cache
def database():
    from tfshift.api import database as api

    return api.load()


def release(version: str) -> str:
    """The database release that stands for a TensorFlow minor."""
    releases = database().releases
    if version in releases:
        return version
    older = [r for r in releases if version_key(r) <= version_key(version)]
    return older[-1] if older else releases[0]


@lru_cache(maxsize=65536)
def exists(symbol: str, version: str) -> bool:
    return database().exists(symbol, version)


@lru_cache(maxsize=16384)
def known(symbol: str) -> bool:
    """Stored in the database at all (a public symbol, not an attribute of a value)."""
    db = database()
    return any(db.exists(symbol, v) for v in db.releases)


@lru_cache(maxsize=16384)
def canonical(symbol: str, version: str) -> str | None:
    return database().canonical(symbol, version)


@lru_cache(maxsize=16384)
def replacements(symbol: str, target: str) -> tuple[str, ...]:
    return tuple(database().replacements(symbol, target))


@lru_cache(maxsize=16384)
def signature(symbol: str, version: str):
    return database().signature(symbol, version)


@lru_cache(maxsize=16384)
def arg_renames(symbol: str, source: str, target: str, there: str | None = None) -> dict[str, str]:
    """Keyword renames of `symbol` from `source` to `target`, where it is `there` (see
    in_target) when that is another name."""
    if there is None or there == symbol:
        return dict(database().arg_renames(symbol, source, target))
    from tfshift.api import suggest

    old, new = signature(symbol, source), signature(there, target)
    if old is None or new is None:
        return {}
    db = database()
    notes: dict[str, str] = {}
    for version in reversed(db.releases):
        for arg, text in db.deprecated_args(symbol, version).items():
            notes.setdefault(arg, text)
    return suggest.derive_renames(old, new, notes)


@lru_cache(maxsize=16384)
def deprecation(symbol: str, version: str) -> str | None:
    return database().deprecation(symbol, version)


@lru_cache(maxsize=16384)
def deprecated_args(symbol: str, version: str) -> dict[str, str]:
    return dict(database().deprecated_args(symbol, version))


@lru_cache(maxsize=16384)
def absent_reason(symbol: str, version: str) -> str | None:
    return database().absent_reason(symbol, version)


@lru_cache(maxsize=16384)
def resolvable(symbol: str, version: str) -> bool:
    """Whether `symbol` can be looked up in `version`, judged by its longest prefix the
    database knows (`keras.layers.Dense.call` by `keras.layers.Dense`); True when the database
    knows no part of it, so that it has nothing to say. A member the database does not know of
    a module it knows is absent (`keras.initializers.uniform`): modules are stored whole."""
    probe = symbol
    while True:
        if known(probe):
            if probe != symbol and database().kind(probe, version) == "module":
                return False
            return exists(probe, version)
        cut = probe.rfind(".")
        if cut == -1:
            return True
        probe = probe[:cut]


_TF_KERAS_HOMES = ("tf.keras.", "tf.compat.v1.keras.", "tf.compat.v2.keras.")


def in_target(symbol: str, settings) -> str:
    """The name to look `symbol` up under in the target release. With --keras2 on 2.16 and
    later, `tf.keras` is tf-keras (`TF_USE_LEGACY_KERAS=1`): its `tf_keras.*` entries count."""
    if settings.keras2 and version_key(settings.target) >= (2, 16):
        for home in _TF_KERAS_HOMES:
            if symbol.startswith(home) or symbol == home[:-1]:
                return "tf_keras" + symbol[len(home) - 1:]
    return symbol


def judged_at_use(ref, settings) -> bool:
    """Whether a reference is checked where it is used, not at the import or alias it came
    through.

    Direct uses (`tf.x`, also through `import tensorflow.compat.v1 as tf`) are; so are members
    reached through a name whose own import stays valid on the target (`from tensorflow import
    math as m; m.foo`), since nothing else would see them. A plain use of an alias (`dense` for
    `from tensorflow.layers import dense`) is judged at its import.
    """
    if ref.is_import or not ref.through_alias:
        return True
    if not ref.rest:
        return False
    there = in_target(ref.binding.qual, settings)
    return exists(there, release(settings.target)) or not known(ref.binding.qual)


def versions(settings) -> tuple[str, str]:
    return release(settings.source), release(settings.target)


def owned_by_other_rules(ctx, qual: str) -> bool:
    """A hand-written rule handles this symbol (it may report once per file, or not at all
    when the symbol is fine where it is used): the data rules defer to it."""
    return any(rule.breaks_at is not None for rule, _ in ctx.dispatch.for_symbol(qual))


def others_reported(ctx, node, fixing: bool = False) -> bool:
    """Another rule already reported at this node (with `fixing`: and rewrites it): the
    hand-written rules know better."""
    start = ctx.span(node)[0]
    line, column = ctx.position(start)
    return any(f.line == line and f.column == column + 1 and f.id != ctx.rule.id
               and (f.fix is not None or not fixing) for f in ctx.findings)
