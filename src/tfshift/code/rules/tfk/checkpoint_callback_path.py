"""## What it does
Finds `ModelCheckpoint(filepath, ...)` whose path Keras 3 rejects and gives it the suffix of
what it writes: `.weights.h5` with `save_weights_only=True`, `.keras` otherwise. The matching
`load_weights` / `load_model` calls of the same file get the new name too.

## Why is this bad?
Keras 3's `ModelCheckpoint` raises `ValueError: When using save_weights_only=True in
ModelCheckpoint, the filepath provided must end in .weights.h5` (or `must end in .keras` for
whole models). Keras 2 wrote a TensorFlow checkpoint or a SavedModel for such paths.

## Example
```python
checkpoint = tf.keras.callbacks.ModelCheckpoint("ckpt/best", save_weights_only=True,
                                                save_best_only=True)
model.fit(x, y, callbacks=[checkpoint])
model.load_weights("ckpt/best")
```
Use instead:
```python
checkpoint = tf.keras.callbacks.ModelCheckpoint("ckpt/best.weights.h5", save_weights_only=True,
                                                save_best_only=True)
model.fit(x, y, callbacks=[checkpoint])
model.load_weights("ckpt/best.weights.h5")
```

## Fix safety
Safe when the file loads what the callback writes: the same weights or model, now in Keras 3's
format. Unsafe when it does not (whoever reads the checkpoint elsewhere looks for the old name).
A Keras 2 `.h5` weights path becomes `.weights.h5` the same way. A path that is not a string
literal is reported without a fix (the suffix must be added where the path is made).

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK056", "Keras 3 ModelCheckpoint paths need .weights.h5 or .keras",
            breaks_at="2.16", keras3_only=True)


@rule.symbols(*keras.paths("callbacks.ModelCheckpoint"))
def checkpoint(ctx, ref):
    call = ref.call
    if call is None or ctx.has_star(call):
        return
    path = ctx.argument(call, 0, "filepath")
    if path is None:
        return
    weights_only = ctx.argument(call, 4, "save_weights_only")
    if weights_only is None:
        weights = False
    elif isinstance(weights_only, ast.Constant) and isinstance(weights_only.value, bool):
        weights = weights_only.value
    else:
        ctx.report(path, "Keras 3's ModelCheckpoint needs a .weights.h5 path (save_weights_only=True) "
                   "or a .keras path")
        return
    wanted = ".weights.h5" if weights else ".keras"
    value = keras.string_value(path)
    if value is None:
        if isinstance(path, ast.JoinedStr) and _fstring_ends(path, wanted):
            return
        ctx.report(path, f"Keras 3's ModelCheckpoint needs a path ending in {wanted}: check where "
                   "this one is made")
        return
    if value.endswith(wanted) or (not weights and value.lower().endswith((".h5", ".hdf5"))):
        return  # Keras 3 still writes whole models as legacy .h5
    new = (value[:-3] if weights and value.endswith(".h5") else value) + wanted
    loads = [n for kind in ("load_weights", "load_model") for v, _, n in keras.literal_calls(ctx)[kind]
             if v == value]
    edits = []
    for node in (path, *loads):
        text = ctx.segment(node)
        if "\\" in text or text[0] not in "'\"" or text.count(text[0]) != 2:
            ctx.report(path, f"Keras 3's ModelCheckpoint needs a path ending in {wanted}: use {new!r}")
            return
        edits.append(ctx.replace(node, text[0] + new + text[-1]))
    ctx.report(path, f"Keras 3's ModelCheckpoint needs a path ending in {wanted}: use {new!r}",
               fix=ctx.fix(*edits, unsafe=not loads, description=wanted))


def _fstring_ends(node, wanted) -> bool:
    last = node.values[-1] if node.values else None
    return isinstance(last, ast.Constant) and str(last.value).endswith(wanted)
