"""## What it does
Points TF1 calls of `tf.name_scope` that use its TF1-only parameters (`default_name`,
`values`, or more than one argument) to `tf.compat.v1.name_scope`.

## Why is this bad?
TF2's `tf.name_scope(name)` takes one argument: `tf.name_scope(None, "block", [x])` raises
`TypeError`. `tf.compat.v1.name_scope` is TF1's.

## Example
```python
with tf.name_scope(scope, "dense", [x]):
    y = tf.matmul(x, w)
```
Use instead:
```python
with tf.compat.v1.name_scope(scope, "dense", [x]):
    y = tf.matmul(x, w)
```

## Fix safety
Safe: the same function as in TF 1.x. A one-argument `tf.name_scope(name)` is valid TF2 and is
left alone.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

from tfshift.code.renames import Renamer, rename
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFU004", "tf.name_scope with TF1-only arguments", breaks_at="2.0")
RENAMER = Renamer({"tf.name_scope": "tf.compat.v1.name_scope"})


@rule.symbols("tf.name_scope")
def name_scope(ctx, ref):
    call = ref.call
    if call is None:
        return
    if len(call.args) > 1 or any(k.arg in ("default_name", "values") for k in call.keywords):
        rename(ctx, ref, RENAMER, "TensorFlow 2's tf.name_scope takes only a name: "
               "use tf.compat.v1.name_scope for default_name and values")
