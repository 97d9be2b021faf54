"""## What it does
Removes `workers=`, `use_multiprocessing=` and `max_queue_size=` from `fit`, `evaluate` and
`predict` calls.

## Why is this bad?
Keras 3 moved these to the data source (`keras.utils.PyDataset(workers=...,
use_multiprocessing=..., max_queue_size=...)`) and `fit(..., workers=2)` raises `TypeError:
got an unexpected keyword argument 'workers'`.

## Example
```python
model.fit(seq, epochs=3, workers=4, use_multiprocessing=True)
```
Use instead:
```python
model.fit(seq, epochs=3)
```
and, for parallel loading, pass `workers=4, use_multiprocessing=True` to the
`keras.utils.PyDataset` subclass's `super().__init__`.

## Fix safety
Safe: the model computes the same results; only the data loading is no longer parallel until
the options are given to the dataset.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK006", "workers/use_multiprocessing removed from fit in Keras 3",
            breaks_at="2.16", keras3_only=True)
GONE = ("workers", "use_multiprocessing", "max_queue_size")
METHODS = ("fit", "evaluate", "predict", "fit_generator", "evaluate_generator", "predict_generator")


@rule.methods(*METHODS, words=GONE)
def loading_arguments(ctx, ref):
    call = ref.call
    if call is None or not keras.uses_keras(ctx, call):
        return
    for keyword in call.keywords:
        if keyword.arg in GONE:
            ctx.report(keyword, f"Keras 3's {ref.attr} takes no {keyword.arg}: give it to the "
                       "keras.utils.PyDataset instead",
                       fix=ctx.fix(ctx.remove_argument(call, keyword), description=f"remove {keyword.arg}="))
