"""## What it does
Finds `history.history["lr"]` (and `.get("lr")`) and reads the key Keras 3 writes instead:
`history.history["learning_rate"]`.

## Why is this bad?
Keras 2's `ReduceLROnPlateau` and `LearningRateScheduler` logged the learning rate as `lr`;
Keras 3's log it as `learning_rate`, so the Keras 2 key raises `KeyError: 'lr'` (or, with
`.get`, gives `None`).

## Example
```python
history = model.fit(x, y, epochs=5, callbacks=[tf.keras.callbacks.ReduceLROnPlateau()])
plt.plot(history.history["lr"])
```
Use instead:
```python
history = model.fit(x, y, epochs=5, callbacks=[tf.keras.callbacks.ReduceLROnPlateau()])
plt.plot(history.history["learning_rate"])
```

## Fix safety
Safe: the same values under Keras 3's name. Only the `history` attribute of a `fit` result is
rewritten; other dictionaries with an `lr` key are left alone.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.keras3 import parent_of
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK042", "Keras 3 logs the learning rate as learning_rate, not lr",
            breaks_at="2.16", keras3_only=True)


@rule.methods("history", words=('"lr"', "'lr'"))
def history_key(ctx, ref):
    if not keras.uses_keras(ctx):
        return
    parent = parent_of(ctx, ref.node, ref.stmt)
    key = None
    if isinstance(parent, ast.Subscript) and parent.value is ref.node:
        key = parent.slice
    elif isinstance(parent, ast.Attribute) and parent.attr in ("get", "pop"):
        call = parent_of(ctx, parent, ref.stmt)
        if isinstance(call, ast.Call) and call.func is parent and call.args:
            key = call.args[0]
    if keras.string_value(key) != "lr":
        return
    text = ctx.segment(key)
    ctx.report(key, "Keras 3's callbacks log the learning rate as 'learning_rate', not 'lr'",
               fix=ctx.fix(ctx.replace(key, text[0] + "learning_rate" + text[-1]),
                           description="'learning_rate'"))
