"""## What it does
Rewrites Keras 2's variable accessors: `K.set_value(x, value)` becomes `x.assign(value)` and
`K.get_value(x)` becomes `keras.ops.convert_to_numpy(x)`.

## Why is this bad?
Keras 3's `keras.backend` has neither function. `tf.keras.backend.set_value` still exists in
TensorFlow 2.16 and later, but fails on Keras 3 variables (`AttributeError: 'str' object has no
attribute 'name'`): a learning-rate callback doing `K.set_value(self.model.optimizer.learning_rate, lr)`
stops at its first call.

## Example
```python
from tensorflow.keras import backend as K
K.set_value(model.optimizer.learning_rate, 0.01)
print(K.get_value(model.optimizer.learning_rate))
```
Use instead:
```python
import keras
model.optimizer.learning_rate.assign(0.01)
print(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
```

## Fix safety
Safe: `assign` converts the value to the variable's dtype as `set_value` did, and
`convert_to_numpy` returns the NumPy value `get_value` returned. A `set_value` whose result is
used (it is `None`), or a call with other arguments, is reported without a fix.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK044", "Keras 3 has no backend set_value/get_value", breaks_at="2.16",
            keras3_only=True)
_ATOMS = (ast.Name, ast.Attribute, ast.Subscript, ast.Call)


@rule.symbols(*keras.paths("backend.set_value", "backend.get_value"))
def accessor(ctx, ref):
    call = ref.call
    if call is None:
        return
    setting = ref.qual.endswith("set_value")
    size = 2 if setting else 1
    fix = None
    if len(call.args) == size and not call.keywords and not ctx.has_star(call):
        target = call.args[0]
        text = ctx.segment(target)
        if not isinstance(target, _ATOMS):
            text = f"({text})"
        if setting and isinstance(ctx.parent(call), ast.Expr):
            fix = ctx.fix(ctx.replace(call, f"{text}.assign({ctx.segment(call.args[1])})"),
                          description="variable.assign")
        elif not setting:
            spelled, imports = ctx.spell("keras.ops.convert_to_numpy", ref.scopes, at=ref.stmt)
            fix = ctx.fix(ctx.replace(call, f"{spelled}({ctx.segment(target)})"), imports=imports,
                          description="keras.ops.convert_to_numpy")
    if setting:
        message = "Keras 3 cannot set_value its variables: use variable.assign(value)"
    else:
        message = "Keras 3 has no backend.get_value: use keras.ops.convert_to_numpy"
    ctx.report(call, message, fix=fix)
