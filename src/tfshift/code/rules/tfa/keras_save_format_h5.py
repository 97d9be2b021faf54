"""## What it does
Keeps TF1's HDF5 output when TF1 code saves a Keras model for a target whose `tf.keras` is
Keras 2 (TensorFlow 2.0 to 2.15, or `--keras2`): `model.save(path)` and
`tf.keras.models.save_model(model, path)` get `save_format="h5"` when the path does not end
with `.h5` or `.keras`.

## Why is this bad?
TF 1.x Keras saved HDF5 by default; TensorFlow 2's Keras 2 writes a SavedModel directory to
the same path. Code that later reads the file with h5py, or ships it, silently gets another
format.

## Example
```python
tf.keras.models.save_model(model, "model_file")
```
Use instead:
```python
tf.keras.models.save_model(model, "model_file", save_format="h5")
```

## Fix safety
Safe: it is the format TF 1.x wrote. `model.save(path)` is taken for a Keras model's only in
files with evidence of Keras (see TFK001). Keras 3 targets are TFK001's.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later with Keras 2.
"""

from tfshift.code import keras
from tfshift.code.rule import Rule, version_key

rule = Rule(__name__, "TFA011", "TF1 Keras saved HDF5 by default; TF2's Keras 2 a SavedModel",
            breaks_at="2.0", severity="warning")
H5 = (".h5", ".hdf5", ".keras")


def _keras2(settings) -> bool:
    return settings.keras2 or version_key(settings.target) < (2, 16)


@rule.symbols(*keras.paths("models.save_model"))
def save_model(ctx, ref):
    if ref.call is not None and _keras2(ctx.settings):
        _check(ctx, ref.call, ctx.argument(ref.call, 1, "filepath"), ref.node)


@rule.methods("save", words=(".save(",))
def save_method(ctx, ref):
    call = ref.call
    if call is None or ref.qual is not None or not _keras2(ctx.settings) or not keras.uses_keras(ctx, call):
        return
    if len(call.args) != 1 or any(k.arg not in ("overwrite", "include_optimizer") for k in call.keywords):
        return  # tf.train.Saver.save(sess, path) and friends
    _check(ctx, call, call.args[0], ref.node)


def _check(ctx, call, path, where):
    if path is None or ctx.keyword(call, "save_format") is not None or ctx.has_star(call):
        return
    value = keras.string_value(path)
    if value is not None and value.lower().endswith(H5):
        return
    ctx.report(where, "TF 1.x Keras saved HDF5 here; TensorFlow 2's Keras 2 writes a SavedModel "
               "directory: keep HDF5 with save_format=\"h5\"",
               fix=ctx.fix(ctx.add_argument(call, 'save_format="h5"'), description='save_format="h5"'))
