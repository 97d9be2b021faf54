"""## What it does
Finds `compile(loss=[...], metrics=[...])` for a model with several outputs where `metrics` is
one flat list, and gives each output its own copy of the list, as Keras 2 did by itself:
`metrics=[["mae"], ["mae"]]` (a dict of lists when `loss` is a dict).

## Why is this bad?
Keras 2 applied a flat `metrics` list to every output. Keras 3 matches `metrics` to the
model's outputs: a flat list raises `ValueError: ... metrics should ... be a dict or a list
matching the output names`, or, when its length happens to equal the number of outputs,
silently gives one metric to each output.

## Example
```python
model.compile("adam", loss=["mse", "mae"], metrics=["mae"])
```
Use instead:
```python
model.compile("adam", loss=["mse", "mae"], metrics=[["mae"], ["mae"]])
```

## Fix safety
Safe: the same metrics on the same outputs, with the same names (`<output>_mae`) in the
history and in `evaluate`. The number of outputs is read from a `loss` list or dict literal of
two or more entries; otherwise nothing is changed.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK054", "Keras 3 does not apply a flat metrics list to every output",
            breaks_at="2.16", keras3_only=True)


@rule.methods("compile", words=("metrics",))
def compile_metrics(ctx, ref):
    call = ref.call
    if call is None or not keras.uses_keras(ctx, call):
        return
    loss = ctx.argument(call, 1, "loss")
    metrics = ctx.argument(call, 2, "metrics")
    if not isinstance(metrics, ast.List) or not metrics.elts or not isinstance(loss, (ast.List, ast.Dict)):
        return
    entries = loss.elts if isinstance(loss, ast.List) else loss.keys
    if len(entries) < 2 or any(isinstance(e, (ast.List, ast.Tuple, ast.Dict, ast.Starred)) for e in metrics.elts):
        return
    if any(k is None for k in entries):
        return  # **spread dict
    text = ctx.segment(metrics)
    if isinstance(loss, ast.List):
        new = "[" + ", ".join([text] * len(entries)) + "]"
    else:
        new = "{" + ", ".join(f"{ctx.segment(k)}: {text}" for k in entries) + "}"
    ctx.report(metrics, "Keras 3 does not apply a flat metrics list to each output: give each "
               "output its list", fix=ctx.fix(ctx.replace(metrics, new), description="metrics per output"))
