"""## What it does
Finds `model.save_weights(path)` and `model.load_weights(path)` with a path Keras 3 rejects, and
gives it the `.weights.h5` suffix (in the matching `load_weights` calls of the same file too),
creating its folder first as Keras 2 did. Drops `save_format=` and `options=`, which Keras 3
removed from `save_weights`.

## Why is this bad?
Keras 3 writes weights only as `.weights.h5` files ("The filename must end in `.weights.h5`")
and cannot read TensorFlow checkpoints, which Keras 2 wrote for any other path.

## Example
```python
model.save_weights("ckpt/weights")
model.load_weights("ckpt/weights")
```
Use instead:
```python
os.makedirs("ckpt", exist_ok=True)
model.save_weights("ckpt/weights.weights.h5")
model.load_weights("ckpt/weights.weights.h5")
```

## Fix safety
Safe when the file loads the weights it saves (in a notebook, a `load_weights` of the same path
in another cell gets the same new path). Unsafe when it only saves them (whoever reads the
old checkpoint name must change too). A `load_weights` of a checkpoint the file does not write
gets no fix: Keras 3 cannot read it (convert it, or restore it with `tf.train.Checkpoint`).

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast
import posixpath

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK003", "Keras 3 weights files must end in .weights.h5", breaks_at="2.16",
            keras3_only=True)
SUFFIX = ".weights.h5"


@rule.methods("save_weights", "load_weights", words=("_weights(",))
def weights(ctx, ref):
    call = ref.call
    if call is None or not keras.uses_keras(ctx, call):
        return
    path = ctx.argument(call, 0, "filepath")
    value = keras.string_value(path)
    saving = ref.attr == "save_weights"
    dropped = [k for k in call.keywords if saving and k.arg in ("save_format", "options")]
    edits = ctx.remove_arguments(call, dropped)
    if value is None or value.endswith(SUFFIX) or value.endswith(".keras"):
        if dropped:
            ctx.report(dropped[0], "Keras 3's save_weights takes no save_format or options",
                       fix=ctx.fix(*edits, description="remove save_format/options"))
        return
    if value.lower().endswith((".h5", ".hdf5")) and not saving:
        return  # Keras 3 still reads legacy .h5 weights
    saves = [n for v, _, n in keras.literal_calls(ctx)["save_weights"] if v == value]
    loads = [n for v, _, n in keras.literal_calls(ctx)["load_weights"] if v == value]
    stem = value[: -len(".h5")] if value.lower().endswith(".h5") else value
    new = stem + SUFFIX
    if not saving and not saves:
        if any(saved == value for saved, _ in keras.elsewhere("save_weights")):
            # a notebook's other cell saves it: that save gets the same new path
            edit = _suffix_edit(ctx, path, value, new)
            if edit is not None:
                ctx.report(path, f"Keras 3 loads weights only from .weights.h5 files: the notebook "
                           f"saves these to {new!r} (TFK003), load that",
                           fix=ctx.fix(edit, description=".weights.h5"))
                return
        ctx.report(path, f"Keras 3 cannot read the TensorFlow checkpoint {value!r}: convert it "
                   "or restore it with tf.train.Checkpoint")
        return
    if not saving:
        return  # the save_weights finding carries this call's edit
    # a notebook's other cells load it: their findings give those loads the same path
    loaded_elsewhere = any(loaded == value for loaded, _ in keras.elsewhere("load_weights"))
    for node in (path, *loads):
        edit = _suffix_edit(ctx, node, value, new)
        if edit is None:
            return
        edits.append(edit)
    imports = ()
    folder = posixpath.dirname(value)
    stmt = ctx.statement_of(call)
    if folder and isinstance(stmt, ast.Expr) and stmt.value is call:
        # Keras 2 wrote a TF checkpoint and created its folder; an .h5 file needs it to exist.
        makedirs, imports = ctx.spell_module("os", "makedirs")
        start = ctx.offset(stmt.lineno, 0)
        edits.append(ctx.insert(start, f"{ctx.indent_of(stmt)}{makedirs}({folder!r}, exist_ok=True)"
                                       f"{ctx.newline}"))
    ctx.report(path, f"Keras 3 saves weights only to .weights.h5 files: use {new!r}",
               fix=ctx.fix(*edits, unsafe=not (loads or loaded_elsewhere), imports=imports,
                           description=".weights.h5"))


def _suffix_edit(ctx, node, old, new):
    if new.startswith(old):
        return keras.append_to_string(ctx, node, new[len(old):])
    text = ctx.segment(node)
    if "\\" in text or text.count(text[-1]) != 2:
        return None
    return ctx.replace(node, text[0] + new + text[-1]) if text[0] == text[-1] else None
