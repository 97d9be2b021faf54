"""## What it does
Removes `reset_metrics=True` from `train_on_batch` and `test_on_batch`; reports
`reset_metrics=False`.

## Why is this bad?
Keras 3's `*_on_batch` methods take no `reset_metrics` (`TypeError: got an unexpected keyword
argument 'reset_metrics'`). They return the metrics of the one batch, as Keras 2 did with its
default `reset_metrics=True`.

## Example
```python
loss = model.train_on_batch(x, y, reset_metrics=True)
```
Use instead:
```python
loss = model.train_on_batch(x, y)
```

## Fix safety
Safe for `reset_metrics=True`: the same values. `reset_metrics=False` (metrics accumulated over
batches) has no fix: keep the running values yourself, or call the metrics' `update_state`.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK047", "reset_metrics removed from train_on_batch in Keras 3",
            breaks_at="2.16", keras3_only=True)


@rule.methods("train_on_batch", "test_on_batch", words=("reset_metrics",))
def on_batch(ctx, ref):
    call = ref.call
    if call is None or not keras.uses_keras(ctx, call):
        return
    keyword = ctx.keyword(call, "reset_metrics")
    if keyword is None:
        return
    if isinstance(keyword.value, ast.Constant) and keyword.value.value is True:
        ctx.report(keyword, f"Keras 3's {ref.attr} takes no reset_metrics (it returns the batch's "
                   "metrics, as True did)", fix=ctx.fix(ctx.remove_argument(call, keyword),
                                                        description="remove reset_metrics="))
    else:
        ctx.report(keyword, f"Keras 3's {ref.attr} takes no reset_metrics and always returns the "
                   "metrics of the one batch: accumulate them yourself")
