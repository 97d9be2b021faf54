"""## What it does
Finds Keras 2's dynamic layers: `dynamic=` given to a layer or model (or to
`super().__init__` in one), and reads of `self.dynamic` in a layer. `dynamic=False`, the
default, is removed; `dynamic=True` is removed by an unsafe fix; the attribute is reported.

## Why is this bad?
Keras 3 has no dynamic layers: `Dense(1, dynamic=True)` raises `ValueError: Unrecognized
keyword arguments passed to Dense: {'dynamic': True}` and `layer.dynamic` raises
`AttributeError`.

## Example
```python
class Eager(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(dynamic=True, **kwargs)
```
Use instead:
```python
class Eager(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
```
and, if `call` needs eager execution, `model.compile(..., run_eagerly=True)`.

## Fix safety
Removing `dynamic=False` is safe. Removing `dynamic=True` is unsafe: Keras 3 traces `call` into
a graph, so a `call` that needs eager tensors (`.numpy()`, Python code on values) must be run
with `compile(run_eagerly=True)`; the numbers do not change.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.keras3 import is_self, keras_method
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK046", "Keras 3 has no dynamic layers", breaks_at="2.16", keras3_only=True)


@rule.prefixes(*keras.paths("layers", "models"), *keras.paths("Model", "Sequential"))
def constructor(ctx, ref):
    if ref.call is not None:
        _argument(ctx, ref.call)


@rule.methods("__init__", "dynamic", words=("dynamic",))
def in_class(ctx, ref):
    if ref.attr == "__init__":
        call = ref.call
        receiver = ref.node.value
        if (call is not None and isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name)
                and receiver.func.id == "super" and keras_method(ctx, ref.stmt, ref.scopes, ("__init__",))):
            _argument(ctx, call)
        return
    if is_self(ref.node.value) and keras_method(ctx, ref.stmt, ref.scopes) is not None:
        if not isinstance(ref.node.ctx, ast.Load):
            return
        ctx.report(ref.node, "Keras 3 layers have no dynamic attribute (every layer is traced "
                   "unless the model is compiled with run_eagerly=True)")


def _argument(ctx, call):
    dynamic = ctx.keyword(call, "dynamic")
    if dynamic is None:
        return
    default = isinstance(dynamic.value, ast.Constant) and dynamic.value.value is False
    message = "Keras 3 layers take no dynamic="
    if not default:
        message += ": call() is traced; compile the model with run_eagerly=True if it needs eager tensors"
    ctx.report(dynamic, message, fix=ctx.fix(ctx.remove_argument(call, dynamic), unsafe=not default,
                                             description="remove dynamic="))
