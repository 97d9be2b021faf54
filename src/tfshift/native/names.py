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


def same_call(name: str, call) -> bool:
    """TF1 names that TF2 has under the same name with other semantics, called in a way that
    means the same in both (`tf.nn.dropout(x, rate=0.2)`, `tf.ones_like(x)`)."""
    if call is None:
        return name in _SAME_ANYHOW
    keywords = {k.arg for k in call.keywords}
    if name in _SAME_ANYHOW:
        return True
    if name == "tf.nn.dropout":
        return "rate" in keywords and len(call.args) <= 1
    if name == "tf.name_scope":
        return len(call.args) + len(keywords) == 1 and not keywords - {"name"}
    if name == "tf.nn.softmax_cross_entropy_with_logits":
        labels = next((k.value for k in call.keywords if k.arg == "labels"), None)
        return _stops_gradient(labels) and not call.args
    return False


# Same meaning in TF1 and TF2 whatever the arguments TF1 code passes.
_SAME_ANYHOW = frozenset({"tf.ones_like", "tf.device", "tf.assert_equal", "tf.assert_greater",
                          "tf.assert_less", "tf.assert_rank"})


def _stops_gradient(node) -> bool:
    import ast

    return (type(node) is ast.Call and isinstance(node.func, ast.Attribute)
            and node.func.attr == "stop_gradient")


@lru_cache(maxsize=16384)
def ambiguous(name: str) -> bool:
    """TF2 has `name`, but TF1's `name` meant something else (tf.nn.dropout is never guessed)."""
    if name == "tf.nn.dropout":
        return False
    from tfshift.code import apidb

    return native_equivalent(name) is None and apidb.exists(name, TARGET)


def tf1_evidence(unit) -> bool:
    """Whether the file uses API only TF1 has (compat.v1 imports, sessions, tf.log ...)."""
    for binding in unit.bindings.imports:
        if binding.qual.startswith("tf.compat.v1"):
            return True
    for ref in unit.refs():
        if ref.v1 and native_equivalent(ref.name) != ref.name and not ambiguous(ref.name):
            return True
    return False
