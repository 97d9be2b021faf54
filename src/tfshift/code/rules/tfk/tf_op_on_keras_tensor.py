"""## What it does
Finds TensorFlow functions called on Keras symbolic tensors while a functional model is built
(`tf.squeeze(inputs)` after `inputs = keras.Input(...)`). Those with a `keras.ops` twin that
takes the same arguments become it (`keras.ops.squeeze(inputs)`); the others are wrapped in a
`keras.layers.Lambda` layer that runs the same TensorFlow call.

## Why is this bad?
Keras 2 turned TensorFlow calls on its symbolic tensors into layers by itself. Keras 3 raises
`ValueError: A KerasTensor cannot be used as input to a TensorFlow function`.

## Example
```python
inputs = tf.keras.Input(shape=(4, 1))
x = tf.squeeze(inputs, axis=-1)
y = tf.signal.rfft(x)
```
Use instead:
```python
inputs = tf.keras.Input(shape=(4, 1))
x = keras.ops.squeeze(inputs, axis=-1)
y = keras.layers.Lambda(lambda x: tf.signal.rfft(x))(x)
```

## Fix safety
The `keras.ops` rewrites are safe: the table only holds functions whose `keras.ops` namesake
computes the same values with the same defaults (`tf.reduce_sum` -> `keras.ops.sum`,
`tf.concat` -> `keras.ops.concatenate`, `tf.nn.softmax` -> `keras.ops.softmax`...); calls
passing `name=` or another argument the op lacks are wrapped instead. The `Lambda` wrapping is
unsafe: it computes the same values, but a model holding a `Lambda` layer saved as `.keras` only
loads with `safe_mode=False`. A call on two Keras tensors outside the table is reported without
a fix, as is one whose arguments call anything but TensorFlow (a layer made there
would be made again at each call). Keras tensors are followed from `keras.Input` through
assignments, layer calls and this file's functions; a tensor coming from elsewhere is not seen.
One name changes: a model output computed by the TensorFlow function was named after it by
Keras 2 (`tf.nn.relu_loss` in the history) and is named after the op by Keras 3 (`relu_loss`).

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras, keras3
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK050", "TensorFlow function called on a Keras 3 symbolic tensor",
            breaks_at="2.16", keras3_only=True)

# TensorFlow function -> (keras.ops function, TF parameter names, keras.ops parameter names):
# the same values for the same arguments, parameter by parameter.
_UNARY = {"relu": "nn.relu", "sigmoid": "sigmoid", "tanh": "tanh", "exp": "exp", "sqrt": "sqrt",
          "square": "square", "sign": "sign"}
_BINARY = ("add", "subtract", "multiply", "maximum", "minimum", "equal", "not_equal", "greater",
           "greater_equal", "less", "less_equal")
_REDUCE = {"reduce_sum": "sum", "reduce_mean": "mean", "reduce_max": "max", "reduce_min": "min",
           "reduce_prod": "prod", "reduce_any": "any", "reduce_all": "all"}
TABLE: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}
for _op, _path in _UNARY.items():
    TABLE[f"tf.{_path}"] = TABLE[f"tf.math.{_op}"] = (_op, ("x",), ("x",))
TABLE["tf.nn.relu"] = ("relu", ("features",), ("x",))
TABLE["tf.abs"] = TABLE["tf.math.abs"] = ("absolute", ("x",), ("x",))
TABLE["tf.math.log"] = ("log", ("x",), ("x",))
for _op in _BINARY:
    TABLE[f"tf.math.{_op}"] = TABLE[f"tf.{_op}"] = (_op, ("x", "y"), ("x1", "x2"))
for _tf, _op in _REDUCE.items():
    TABLE[f"tf.{_tf}"] = TABLE[f"tf.math.{_tf}"] = (_op, ("input_tensor", "axis", "keepdims"),
                                                    ("x", "axis", "keepdims"))
TABLE.update({
    "tf.squeeze": ("squeeze", ("input", "axis"), ("x", "axis")),
    "tf.expand_dims": ("expand_dims", ("input", "axis"), ("x", "axis")),
    "tf.reshape": ("reshape", ("tensor", "shape"), ("x", "newshape")),
    "tf.transpose": ("transpose", ("a", "perm"), ("x", "axes")),
    "tf.concat": ("concatenate", ("values", "axis"), ("xs", "axis")),
    "tf.stack": ("stack", ("values", "axis"), ("x", "axis")),
    "tf.matmul": ("matmul", ("a", "b"), ("x1", "x2")),
    "tf.linalg.matmul": ("matmul", ("a", "b"), ("x1", "x2")),
    "tf.nn.softmax": ("softmax", ("logits", "axis"), ("x", "axis")),
    "tf.math.softmax": ("softmax", ("logits", "axis"), ("x", "axis")),
    "tf.nn.log_softmax": ("log_softmax", ("logits", "axis"), ("x", "axis")),
    "tf.cast": ("cast", ("x", "dtype"), ("x", "dtype")),
    "tf.tile": ("tile", ("input", "multiples"), ("x", "repeats")),
    "tf.clip_by_value": ("clip", ("t", "clip_value_min", "clip_value_max"), ("x", "x_min", "x_max")),
})
# Integer reductions differ: tf.reduce_mean of int32 stays int32, keras.ops.mean gives floats.
_FLOAT_ONLY = {"mean"}


@rule.finish
def tf_calls(ctx):
    if "Input" not in ctx.text or not keras.uses_tensorflow_or_keras(ctx):
        return
    tensors = keras3.keras_tensors(ctx)
    if not any(tensors.values()):
        return
    done = set()
    for scope, names in tensors.items():
        if not names:
            continue
        body = ctx.tree if scope is None else scope
        for stmt in keras3._own_statements(body):
            for node in ast.walk(stmt):
                if isinstance(node, ast.Call) and id(node) not in done:
                    done.add(id(node))
                    _check(ctx, node, names, scope, stmt)


def _check(ctx, call, names, scope, stmt):
    scopes = (scope,) if scope is not None else ()
    qual = ctx.bindings.resolve(call.func, scopes)
    if qual is None or not qual.startswith("tf.") or qual.startswith(("tf.keras.", "tf.compat.v1.keras.")):
        return
    arguments = [*call.args, *(k.value for k in call.keywords)]
    if not any(keras3.mentions(a, names) for a in arguments):
        return
    if _inside_lambda(ctx, call, stmt):
        return
    message = f"Keras 3 cannot pass a Keras tensor to {qual}"
    fix = _ops_fix(ctx, call, qual, scopes, stmt, names)
    if fix is not None:
        ctx.report(call, message + f": use keras.ops.{TABLE[qual][0]}", fix=fix)
        return
    used = sorted({n.id for a in arguments for n in ast.walk(a) if isinstance(n, ast.Name) and n.id in names})
    if len(used) != 1 or ctx.has_star(call) or _builds_layers(ctx, call, scopes):
        ctx.report(call, message + ": use keras.ops or a keras.layers.Lambda layer")
        return
    name = used[0]
    spelled, imports = ctx.spell("keras.layers.Lambda", scopes, at=stmt)
    text = f"{spelled}(lambda {name}: {ctx.segment(call)})({name})"
    ctx.report(call, message + ": wrap it in a keras.layers.Lambda layer",
               fix=ctx.fix(ctx.replace(call, text), unsafe=True, imports=imports,
                           description="keras.layers.Lambda"))


def _ops_fix(ctx, call, qual, scopes, stmt, names):
    entry = TABLE.get(qual)
    if entry is None or ctx.has_star(call):
        return None
    op, tf_params, ops_params = entry
    if len(call.args) > len(tf_params):
        return None
    if op in _FLOAT_ONLY and _integer_inputs(ctx):
        return None
    edits = []
    for keyword in call.keywords:
        if keyword.arg not in tf_params:
            return None  # name=, conjugate=, ...
        new = ops_params[tf_params.index(keyword.arg)]
        if new != keyword.arg:
            edits.append(ctx.rename_keyword(keyword, new))
    if qual == "tf.concat" and ctx.argument(call, 1, "axis") is None:
        return None
    spelled, imports = ctx.spell(f"keras.ops.{op}", scopes, at=stmt)
    edits.insert(0, ctx.replace(call.func, spelled))
    return ctx.fix(*edits, imports=imports, description=f"keras.ops.{op}")


def _builds_layers(ctx, call, scopes) -> bool:
    """Arguments that call something other than TensorFlow (a layer made inline would be made
    again at each call of the Lambda, its weights untracked)."""
    for node in ast.walk(call):
        if isinstance(node, ast.Call) and node is not call:
            qual = ctx.bindings.resolve(node.func, scopes)
            if qual is None or not qual.startswith("tf.") or ".keras." in qual:
                return True
    return False


def _integer_inputs(ctx) -> bool:
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Call) and keras3.keras_call(ctx, node, (), "Input", "layers.Input"):
            dtype = ctx.keyword(node, "dtype")
            if dtype is not None and "float" not in ctx.segment(dtype.value):
                return True
    return False


def _inside_lambda(ctx, call, stmt) -> bool:
    for node in ast.walk(stmt):
        if isinstance(node, ast.Lambda) and any(sub is call for sub in ast.walk(node.body)):
            return True
    return False
