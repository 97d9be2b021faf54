"""## What it does
Finds `TensorShape` methods used on the shape Keras passes to a layer's `build` and
`compute_output_shape`: `input_shape.as_list()` becomes `list(input_shape)`, and
`input_shape.rank` / `.ndims` become `len(input_shape)`.

## Why is this bad?
Keras 2 passed a `tf.TensorShape`; Keras 3 passes a plain tuple, and `as_list()` raises
`AttributeError: 'tuple' object has no attribute 'as_list'`.

## Example
```python
class Scale(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.units = input_shape.as_list()[-1]
```
Use instead:
```python
class Scale(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.units = list(input_shape)[-1]
```

## Fix safety
Safe: a TensorFlow 2 `TensorShape` and the tuple give the same list of ints and `None`s, and
the same length. Only the shape parameter of `build` / `compute_output_shape` of a Keras layer
or model, a slice of it (`input_shape[1:]`) or one of its shapes (`input_shape[0]` with several
inputs, a list of shapes in both), is rewritten.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.keras3 import keras_method, parent_of
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK049", "Keras 3 passes build() a tuple, not a TensorShape", breaks_at="2.16",
            keras3_only=True)
METHODS = ("build", "compute_output_shape")


@rule.methods("as_list", "rank", "ndims")
def shape_method(ctx, ref):
    receiver = ref.node.value
    base = receiver.value if isinstance(receiver, ast.Subscript) else receiver
    if not isinstance(base, ast.Name) or not keras.uses_keras(ctx):
        return
    method = keras_method(ctx, ref.stmt, ref.scopes, METHODS)
    if method is None or not _is_shape_parameter(method, base.id):
        return
    if ref.attr == "as_list":
        call = ref.call
        if call is None or call.args or call.keywords:
            return
        target, text = call, f"list({ctx.segment(receiver)})"
    else:
        if not isinstance(ref.node.ctx, ast.Load) or isinstance(parent_of(ctx, ref.node, ref.stmt), ast.Call):
            return
        target, text = ref.node, f"len({ctx.segment(receiver)})"
    ctx.report(target, f"Keras 3 passes {method.name}() a tuple, which has no {ref.attr}",
               fix=ctx.fix(ctx.replace(target, text), description=text.partition("(")[0]))


def _is_shape_parameter(method, name) -> bool:
    params = [a.arg for a in method.args.posonlyargs + method.args.args]
    if len(params) < 2 or params[1] != name:
        return False
    # Rebound in the method (input_shape = tf.TensorShape(input_shape)): a TensorShape again.
    for node in ast.walk(method):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return False
    return True
