"""## What it does
Finds `model.add_loss(...)` called from outside the model's own `call` (on a functional model,
with a tensor computed from its symbolic inputs or outputs, or with a zero-argument lambda) and
reports it.

## Why is this bad?
Keras 3 removed symbolic `add_loss`: losses can only be added from inside a layer's `call`.
The Keras 2 code fails with `NotImplementedError` (or, with a TensorFlow function on the
symbolic tensor, `ValueError: A KerasTensor cannot be used as input to a TensorFlow function`).

## Example
```python
inputs = tf.keras.Input(shape=(3,))
outputs = tf.keras.layers.Dense(1)(inputs)
model = tf.keras.Model(inputs, outputs)
model.add_loss(tf.reduce_mean(outputs) * 0.01)
```
Use instead:
```python
class ActivityPenalty(keras.layers.Layer):
    def call(self, x):
        self.add_loss(keras.ops.mean(x) * 0.01)
        return x

inputs = keras.Input(shape=(3,))
outputs = ActivityPenalty()(keras.layers.Dense(1)(inputs))
model = keras.Model(inputs, outputs)
```

## Fix safety
No fix: the loss must move into a layer, whose place in the model is the author's choice (a
`Dense` layer's `activity_regularizer` covers penalties on its outputs).

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

from tfshift.code import keras
from tfshift.code.keras3 import is_self
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK053", "Keras 3 removed symbolic add_loss", breaks_at="2.16", fix="none",
            keras3_only=True)


@rule.methods("add_loss")
def add_loss(ctx, ref):
    call = ref.call
    receiver = ref.node.value
    if call is None or not call.args or is_self(receiver) or not keras.uses_keras(ctx, call):
        return
    ctx.report(call, "Keras 3 has no symbolic add_loss: add the loss from a layer's call() "
               "(self.add_loss) or an activity_regularizer")
