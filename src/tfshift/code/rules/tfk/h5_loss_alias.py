"""## What it does
In code that saves Keras models to `.h5` files, writes the loss and metric aliases `"mse"`,
`"mae"`, `"mape"` and `"msle"` in `compile(...)` under their full names
(`"mean_squared_error"`...).

## Why is this bad?
Keras 3 writes the alias into the legacy HDF5 file and then cannot read it back:
`load_model("model.h5")` raises "Could not deserialize 'keras.metrics.mse' because it is not a
KerasSaveable subclass". The full name is the same function and round-trips.

## Example
```python
model.compile(optimizer="sgd", loss="mse")
model.save("model.h5")
```
Use instead:
```python
model.compile(optimizer="sgd", loss="mean_squared_error")
model.save("model.h5")
```

## Fix safety
Safe: the alias and the full name are the same function.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK010", "loss alias that Keras 3 cannot load back from .h5",
            breaks_at="2.16", keras3_only=True)
ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error",
           "mape": "mean_absolute_percentage_error", "msle": "mean_squared_logarithmic_error"}


@rule.methods("compile", words=(".compile(",))
def compile_aliases(ctx, ref):
    call = ref.call
    if call is None or not keras.uses_keras(ctx, call) or not _saves_h5(ctx):
        return
    for keyword in call.keywords:
        if keyword.arg not in ("loss", "metrics"):
            continue
        values = keyword.value.elts if isinstance(keyword.value, (ast.List, ast.Tuple)) else [keyword.value]
        for value in values:
            alias = keras.string_value(value)
            if alias in ALIASES:
                text = ctx.segment(value)
                edit = ctx.replace(value, text[0] + ALIASES[alias] + text[-1])
                ctx.report(value, f"Keras 3 cannot load a .h5 model compiled with {alias!r}: "
                           f"write {ALIASES[alias]!r}", fix=ctx.fix(edit, description=ALIASES[alias]))


def _saves_h5(ctx):
    calls = keras.literal_calls(ctx)["save"]
    return any(path.lower().endswith((".h5", ".hdf5")) for path, _, _ in calls) or (
        "save_format" in ctx.text and "h5" in ctx.text)
