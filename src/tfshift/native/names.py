"""TF1 names and their TensorFlow 2 equivalents (from tf_upgrade_v2's own tables)."""

from __future__ import annotations

from functools import cache, lru_cache

TARGET = "2.21"  # the API release the native output is checked against


@cache
def _tables() -> dict:
    import json
    from importlib import resources

    return json.loads(resources.files("tfshift.code.data").joinpath("tf2_upgrade.json").read_text())


@lru_cache(maxsize=65536)
def native_equivalent(name: str) -> str | None:
    """The TF2 name doing what TF1's `name` did with the same arguments; None when there is
    none (only tf.compat.v1 has it, or its arguments changed meaning: tf.nn.dropout)."""
    tables = _tables()
    if name in tables["transformers"] or name.startswith("tf.contrib"):
        return None
    new = tables["renames"].get(name)
    if new is not None:
        return None if new.startswith("tf.compat.v1") else new
    from tfshift.code import apidb

    if apidb.exists(name, TARGET):
        return name
    head, _, tail = name.rpartition(".")
    if tail.startswith("__") and tail.endswith("__"):
        return name  # __version__, __name__: the same everywhere
    if not apidb.known(name) and "." in head:
        # An attribute of a value (tf.float32.max, tf.__version__): as its owner goes.
        owner = native_equivalent(head)
        return f"{owner}.{tail}" if owner else None
    return None


def keyword_renames(name: str) -> dict[str, str | None]:
    return _tables()["keyword_renames"].get(name, {})


def reorders(name: str) -> list | None:
    return _tables()["reorders"].get(name)
