"""## What it does
Finds `add_metric(...)` calls on Keras layers and models, which Keras 3 removed, and reports
them.

## Why is this bad?
Keras 3's `Layer.add_metric` raises `NotImplementedError: Layer add_metric() method is
deprecated. Add your metric in Model.compile(metrics=[...])`; the layer then fails the first
time it is called.

## Example
```python
class Probe(tf.keras.layers.Layer):
    def call(self, x):
        self.add_metric(tf.reduce_mean(x), name="mean_activation")
        return x
```
Use instead:
```python
class Probe(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.mean_activation = keras.metrics.Mean(name="mean_activation")

    def call(self, x):
        self.mean_activation.update_state(tf.reduce_mean(x))
        return x
```

## Fix safety
No fix: the metric tracker must be created in `__init__` or `build`, and what `fit` then
reports depends on how the model collects it (a model lists the metrics of its layers through
`model.metrics`).

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

from tfshift.code import keras
from tfshift.code.keras3 import is_self, keras_method
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK052", "Keras 3 removed add_metric", breaks_at="2.16", fix="none",
            keras3_only=True)


@rule.methods("add_metric")
def add_metric(ctx, ref):
    call = ref.call
    if call is None or not keras.uses_keras(ctx, call):
        return
    if is_self(ref.node.value) and keras_method(ctx, ref.stmt, ref.scopes) is None:
        return  # some other class's add_metric
    ctx.report(call, "Keras 3 removed add_metric: create a keras.metrics.Mean in __init__ and "
               "call its update_state in call()")
