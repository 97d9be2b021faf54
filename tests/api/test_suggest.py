"""Argument renames and mentioned names, on hand-made signatures (no database needed)."""

from __future__ import annotations

from tfshift.api.database import Param, Signature
from tfshift.api.suggest import (
    compatible_defaults,
    derive_renames,
    keras_equivalents,
    mentioned,
    slot_successors,
)


def sig(*names: str, required: int = 1) -> Signature:
    return Signature(tuple(Param(n, "positional_or_keyword", None if i < required else "None")
                           for i, n in enumerate(names)))


def test_note_names_the_new_parameter():
    old = sig("input_tensor", "axis", "keepdims", "name", "reduction_indices", "keep_dims")
    new = sig("input_tensor", "axis", "keepdims", "name")
    notes = {"keep_dims": "keep_dims is deprecated, use keepdims instead"}
    assert derive_renames(old, new, notes) == {"keep_dims": "keepdims", "reduction_indices": "axis"}


def test_value_changes_are_not_renames():
    old = sig("x", "keep_prob", "noise_shape", "seed", "name", "rate")
    new = sig("x", "rate", "noise_shape", "seed", "name", required=2)
    notes = {"keep_prob": "Please use `rate` instead of `keep_prob`. Rate should be set to "
                          "`rate = 1 - keep_prob`."}
    assert derive_renames(old, new, notes) == {}


def test_spelling_and_conventional_renames():
    assert derive_renames(sig("input", "filter", "strides"), sig("input", "filters", "strides"),
                          {}) == {"filter": "filters"}
    assert derive_renames(sig("x", "squeeze_dims"), sig("x", "axis"), {}) == {"squeeze_dims": "axis"}
    assert derive_renames(sig("value", "ksize"), sig("input", "ksize"), {}) == {"value": "input"}


def test_a_parameter_in_the_same_slot_is_no_rename():
    # tf.ones_like: optimize (1.x) and layout (2.16+) share the slot, not the meaning.
    old = Signature((Param("tensor", "positional_or_keyword", None), Param("dtype", "positional_or_keyword", "None"),
                     Param("name", "positional_or_keyword", "None"), Param("optimize", "positional_or_keyword", "True")))
    new = Signature((Param("input", "positional_or_keyword", None), Param("dtype", "positional_or_keyword", "None"),
                     Param("name", "positional_or_keyword", "None"), Param("layout", "positional_or_keyword", "None")))
    assert derive_renames(old, new, {}) == {"tensor": "input"}
    assert slot_successors(old, new, {}) == {"optimize": "layout"}
    assert derive_renames(sig("a", "old_name", "c"), sig("a", "new_name", "c"), {}) == {}
    assert slot_successors(sig("a", "old_name", "c"), sig("a", "new_name", "c"), {}) == {"old_name": "new_name"}
    # Different neighbours: a removal and an addition, not even a successor.
    assert slot_successors(sig("a", "old_name", "c"), sig("a", "new_name", "d"), {}) == {}


def test_defaults_of_another_kind_are_no_rename():
    # extract_glimpse: uniform_noise=True (a bool) and noise='uniform' (a string).
    old = Signature((Param("input", "positional_or_keyword", None), Param("uniform_noise", "positional_or_keyword", "True")))
    new = Signature((Param("input", "positional_or_keyword", None), Param("noise", "positional_or_keyword", "'uniform'")))
    assert derive_renames(old, new, {"uniform_noise": "use noise instead"}) == {}
    assert compatible_defaults("None", "False") and compatible_defaults(None, "3")
    assert compatible_defaults("0.001", "1") and compatible_defaults("'a'", "'b'")
    assert not compatible_defaults("True", "'uniform'") and not compatible_defaults("1", "True")
    assert not compatible_defaults("<function relu>", "'relu'")


def test_mentioned_names():
    text = "The name tf.log is deprecated. Please use tf.math.log instead."
    assert mentioned(text) == ["tf.log", "tf.math.log"]
    assert mentioned("`Model.fit` now supports generators") == ["Model.fit"]
    assert mentioned("Use tensorflow.compat.v1.Session.") == ["tf.compat.v1.Session"]


def test_keras_homes():
    assert keras_equivalents("tf.keras.layers.Dense") == ["keras.layers.Dense", "tf_keras.layers.Dense"]
    assert keras_equivalents("tf.compat.v1.keras.Model") == [
        "tf.keras.Model", "keras.Model", "tf_keras.Model"]
    assert keras_equivalents("tf.nn.relu") == []
