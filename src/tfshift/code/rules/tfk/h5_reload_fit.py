"""## What it does
Finds a model reloaded from a legacy `.h5` file and then trained again (`fit`,
`train_on_batch`). When the same file writes that `.h5` file, the save and the load switch to
the native format: `model.save("m.h5")` ... `load_model("m.h5")` become `model.save("m.keras")`
... `load_model("m.keras")`. Otherwise the reload is reported.

## Why is this bad?
Keras 3 restores an `.h5` model's optimizer apart from the model's variables, and the first
training step raises `ValueError: Unknown variable ... This optimizer can only be called for the
variables it was originally built with`. The `.keras` format restores the optimizer with the
model.

## Example
```python
model.save("model.h5")
model = tf.keras.models.load_model("model.h5")
model.fit(x, y, epochs=2)
```
Use instead:
```python
model.save("model.keras")
model = tf.keras.models.load_model("model.keras")
model.fit(x, y, epochs=2)
```

## Fix safety
Safe: the program writes and reads the file itself, and the `.keras` file holds the same
weights and optimizer state, so training resumes where it stopped. An `.h5` file the program
does not write (made by Keras 2) has no fix: load it with `compile=False` and `compile` the
model again before `fit` (the optimizer then starts afresh).

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK059", "Keras 3 cannot resume training from a reloaded .h5 model",
            breaks_at="2.16", keras3_only=True)
H5 = (".h5", ".hdf5")
TRAIN = ("fit", "train_on_batch", "fit_generator")


@rule.symbols(*keras.paths(*keras.LOAD_FUNCTIONS))
def reload(ctx, ref):
    call = ref.call
    if call is None or ctx.has_star(call):
        return
    path = ctx.argument(call, 0, "filepath")
    value = keras.string_value(path)
    if value is None or not value.lower().endswith(H5):
        return
    compile_arg = ctx.keyword(call, "compile")
    if compile_arg is not None:
        return  # compile=False: compiled again by the program
    stmt = ref.stmt
    if not (isinstance(stmt, ast.Assign) and stmt.value is call and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)):
        return
    if not _trained(ctx, stmt.targets[0].id, stmt):
        return
    saves = [(c, n) for v, c, n in keras.literal_calls(ctx)["save"] if v == value]
    checkpoints = _checkpoints(ctx, value)
    message = "Keras 3 cannot train a model reloaded from .h5 (its optimizer is rebuilt apart)"
    if not saves and not checkpoints:
        ctx.report(call, message + ": load it with compile=False and compile it again")
        return
    if any(ctx.keyword(c, "save_format") is not None for c, _ in saves):
        ctx.report(call, message + ": save and load it as .keras")
        return
    new = value[: value.rfind(".")] + ".keras"
    loads = [n for v, _, n in keras.literal_calls(ctx)["load_model"] if v == value]
    edits = []
    for node in {id(n): n for n in (*loads, *(n for _, n in saves), *checkpoints)}.values():
        text = ctx.segment(node)
        if "\\" in text or text[0] not in "'\"" or text.count(text[0]) != 2:
            ctx.report(call, message + ": save and load it as .keras")
            return
        edits.append(ctx.replace(node, text[0] + new + text[-1]))
    edits.sort(key=lambda e: e.start)
    ctx.report(call, message + f": save and load it as {new!r}",
               fix=ctx.fix(*edits, description=".keras"))


def _trained(ctx, name, after) -> bool:
    start = ctx.span(after)[1]
    for node in ast.walk(ctx.tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in TRAIN
                and isinstance(node.func.value, ast.Name) and node.func.value.id == name
                and ctx.span(node)[0] >= start):
            return True
    return False


def _checkpoints(ctx, value):
    """Path nodes of ModelCheckpoint(value) calls that write whole models."""
    found = []
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Call):
            qual = ctx.bindings.resolve(node.func, ())
            if qual and keras.suffix(qual) == "callbacks.ModelCheckpoint":
                path = ctx.argument(node, 0, "filepath")
                weights = ctx.argument(node, 4, "save_weights_only")
                if keras.string_value(path) == value and not (
                        isinstance(weights, ast.Constant) and weights.value is True):
                    found.append(path)
    return found
