"""## What it does
Finds `load_model(path)` on a SavedModel directory (a path without `.keras` or `.h5`) that the
same file does not save (TFK001 handles that case), and offers
`keras.layers.TFSMLayer(path, call_endpoint="serving_default")`.

## Why is this bad?
Keras 3's `load_model` reads only `.keras` and `.h5` files and raises "File format not
supported ... legacy SavedModel format is not supported by `load_model()` in Keras 3".
`TFSMLayer` wraps the SavedModel's serving signature as a layer.

## Example
```python
model = tf.keras.models.load_model("exported_dir")
```
Use instead:
```python
model = keras.layers.TFSMLayer("exported_dir", call_endpoint="serving_default")
```

In a notebook, a path that another cell saves with `model.save` gets the same extension that
save gets (TFK001), safely: the pair stays consistent.

## Fix safety
Unsafe (TFSMLayer): the result is an inference-only layer, not a model (no `fit`, no `predict`; call it on
inputs), and its output is the signature's dict of outputs. A SavedModel written by Keras 3's
`model.export()` names its endpoint `serve`. Calls with other arguments get no fix; converting
the model with `tfshift convert DIR OUT --to keras` keeps a full Keras model.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK002", "Keras 3 load_model cannot read a SavedModel directory",
            breaks_at="2.16", fix="unsafe", keras3_only=True)


@rule.symbols(*keras.paths("models.load_model", "saving.load_model"))
def load_model(ctx, ref):
    call = ref.call
    if call is None:
        return
    path = ctx.argument(call, 0, "filepath")
    value = keras.string_value(path)
    if path is None or value is None:
        return
    if value.lower().endswith((".keras", ".h5", ".hdf5")):
        return
    if any(saved == value for saved, _, _ in keras.literal_calls(ctx)["save"]):
        return  # saved in this file: TFK001 gives both the same extension
    for saved, fmt in keras.elsewhere("save"):
        extension = keras.saved_extension(saved, fmt) if saved == value else None
        edit = keras.append_to_string(ctx, path, extension) if extension else None
        if edit is not None:  # another cell of the notebook saves it: the path TFK001 gives that save
            # TFK001's fix of that save is unsafe in these cases: this one goes with it
            unconfigured = extension == ".keras" and any(
                keras.unconfigured_model(ctx.tree, name) for p, name in keras.elsewhere("save_receivers") if p == value)
            trained = extension == ".keras" and any(p == value for p, _ in keras.elsewhere("trained_loads"))
            ctx.report(call, f"Keras 3 cannot load {value!r}: the notebook saves the model to "
                       f"{value + extension!r} (TFK001), load that",
                       fix=ctx.fix(edit, unsafe=unconfigured or trained, description="Keras 3 file path"))
            return
    fix = None
    if len(call.args) + len(call.keywords) == 1:
        layer, imports = ctx.spell("keras.layers.TFSMLayer", ref.scopes, at=ref.stmt)
        edit = ctx.replace(call, f'{layer}({ctx.segment(path)}, call_endpoint="serving_default")')
        fix = ctx.fix(edit, unsafe=True, imports=imports, description="keras.layers.TFSMLayer")
    ctx.report(call, f"Keras 3 cannot load the SavedModel {value!r} with load_model: use "
               "keras.layers.TFSMLayer (inference only), or convert it (tfshift convert)", fix=fix)
