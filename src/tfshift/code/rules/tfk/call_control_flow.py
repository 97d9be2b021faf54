"""## What it does
Finds a Keras layer's or model's `call` that branches or loops on tensor values (`if
tf.reduce_sum(x) > 0:`, `while n < tf.shape(x)[0]:`, `for i in tf.range(n):`) and decorates it
with `@tf.function`, which converts that Python control flow to TensorFlow's.

## Why is this bad?
Keras 2 ran AutoGraph on every `call`; Keras 3 does not. The Keras 2 code then raises
`OperatorNotAllowedInGraphError: Using a symbolic tf.Tensor as a Python bool is not allowed`
as soon as the layer is built or the model is fit.

## Example
```python
class Flip(tf.keras.layers.Layer):
    def call(self, inputs):
        if tf.reduce_mean(inputs) > 0:
            return inputs * 2
        return inputs / 2
```
Use instead:
```python
class Flip(tf.keras.layers.Layer):
    @tf.function
    def call(self, inputs):
        if tf.reduce_mean(inputs) > 0:
            return inputs * 2
        return inputs / 2
```

## Fix safety
Safe: `@tf.function` applies the same AutoGraph conversion Keras 2 applied, so the same
branches run. Conditions on Python values (`if training:`, `if mask is None:`, `if
inputs.shape[-1] > 1:`) need nothing and are left alone. The decorated `call` only runs with
the TensorFlow backend, as the rest of this code does.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras, keras3
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK051", "Keras 3 does not run AutoGraph on call()", breaks_at="2.16",
            keras3_only=True)
# TensorFlow functions that give Python values, not tensors.
_PYTHON_VALUED = ("tf.executing_eagerly", "tf.is_tensor", "tf.config.", "tf.test.", "tf.get_static_value",
                  "tf.compat.dimension_value", "tf.TensorShape", "tf.as_dtype", "tf.keras.")
_NOT_TENSOR_PARAMS = {"self", "training", "mask"}


@rule.finish
def control_flow(ctx):
    if "def call" not in ctx.text or not keras.uses_tensorflow_or_keras(ctx):
        return
    for cls in (n for n in ast.walk(ctx.tree) if isinstance(n, ast.ClassDef)):
        for method in cls.body:
            if (isinstance(method, ast.FunctionDef) and method.name == "call"
                    and not _decorated(ctx, method) and _branches_on_tensors(ctx, method)
                    and keras3.is_keras_class(ctx, cls)):
                _fix(ctx, method)


def _branches_on_tensors(ctx, method) -> bool:
    params = {a.arg for a in method.args.posonlyargs + method.args.args} - _NOT_TENSOR_PARAMS
    scopes = (method,)
    for node in ast.walk(method):
        if isinstance(node, (ast.If, ast.While, ast.IfExp)):
            if _tensor_valued(ctx, node.test, params, scopes):
                return True
        elif isinstance(node, ast.For) and _tensor_valued(ctx, node.iter, params, scopes):
            return True
    return False


def _tensor_valued(ctx, test, params, scopes) -> bool:
    if isinstance(test, ast.Compare) and all(isinstance(op, (ast.Is, ast.IsNot)) for op in test.ops):
        return False
    for node in ast.walk(test):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id in ("isinstance", "len", "hasattr", "callable"):
                return False
            qual = ctx.bindings.resolve(node.func, scopes)
            if qual and qual.startswith("tf.") and not qual.startswith(_PYTHON_VALUED):
                return True
    return keras3.mentions(test, params) and not isinstance(test, ast.Name)


def _decorated(ctx, method) -> bool:
    for decorator in method.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        qual = ctx.bindings.resolve(target, ())
        if qual in ("tf.function", "tf.autograph.experimental.do_not_convert") or (
                isinstance(target, ast.Attribute) and target.attr == "function"):
            return True
    return False


def _fix(ctx, method):
    first = min([method.lineno, *(d.lineno for d in method.decorator_list)])
    start = ctx.offset(first, 0)
    spelled, imports = ctx.spell("tf.function", (), at=start)
    indent = ctx.indent_of(method)
    begin = ctx.offset(method.lineno, method.col_offset)
    ctx.report((begin, begin + len("def call")),
               "Keras 3 does not convert call()'s Python control flow on tensors: decorate it with "
               "@tf.function", fix=ctx.fix(ctx.insert(start, f"{indent}@{spelled}{ctx.newline}"),
                                           imports=imports, description="@tf.function"))
