"""## What it does
Finds Keras 2 backend functions (`K.sum`, `K.mean`, `K.square`, `K.int_shape`, `K.placeholder`,
`K.get_session`...) that Keras 3 removed. Those with an exact equivalent are rewritten:
`K.sum(x, axis=1)` becomes `keras.ops.sum(x, axis=1)`, `K.int_shape(x)` becomes
`tuple(x.shape)`.

## Why is this bad?
Keras 3's `keras.backend` keeps only configuration (`epsilon`, `floatx`,
`image_data_format`, `clear_session`...): everything else raises `AttributeError`. The math
moved to `keras.ops`; the TF1 session functions have no successor.

## Example
```python
from tensorflow.keras import backend as K
loss = K.mean(K.square(y - p), axis=-1)
```
Use instead:
```python
loss = keras.ops.mean(keras.ops.square(y - p), axis=-1)
```

## Fix safety
Safe for the listed functions, whose `keras.ops` namesakes take the same arguments with the
same defaults. `K.concatenate` (default axis -1 against 0), `K.dot`, `K.shape` and the session,
placeholder and variable functions are reported without a fix.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK007", "Keras 2 backend function removed in Keras 3", breaks_at="2.16",
            keras3_only=True)
KEPT = {"backend", "clear_session", "epsilon", "floatx", "get_uid", "image_data_format",
        "is_float_dtype", "is_int_dtype", "is_keras_tensor", "result_type", "set_epsilon",
        "set_floatx", "set_image_data_format", "standardize_dtype"}
SAME_IN_OPS = {
    "abs", "all", "any", "argmax", "argmin", "cast", "clip", "cos", "cumprod", "cumsum", "equal",
    "exp", "expand_dims", "greater", "greater_equal", "less", "less_equal", "log", "max",
    "maximum", "mean", "min", "minimum", "not_equal", "ones_like", "prod", "relu", "round",
    "sigmoid", "sign", "sin", "softplus", "softsign", "sqrt", "square", "squeeze", "stack", "std",
    "sum", "tanh", "tile", "transpose", "var", "zeros_like",
}
RENAMED_IN_OPS = {"pow": "power"}


@rule.prefixes(*keras.paths("backend"))
def backend(ctx, ref):
    tail = keras.suffix(ref.qual)
    if ref.is_import or tail is None or tail.count(".") != 1:
        return
    name = tail.split(".")[1]
    if name in KEPT or name in ("set_value", "get_value") or name.startswith("_"):  # TFK044
        return
    call = ref.call
    fix = None
    op = RENAMED_IN_OPS.get(name, name if name in SAME_IN_OPS else None)
    if op is not None:
        spelled, imports = ctx.spell(f"keras.ops.{op}", ref.scopes, at=ref.stmt)
        fix = ctx.fix(ctx.replace(ref.node, spelled), imports=imports, description=f"keras.ops.{op}")
        message = f"Keras 3 has no backend.{name}: use keras.ops.{op}"
    elif name == "int_shape" and call is not None and len(call.args) == 1 and not call.keywords:
        fix = ctx.fix(ctx.replace(call, f"tuple({ctx.segment(call.args[0])}.shape)"),
                      description="tuple(x.shape)")
        message = "Keras 3 has no backend.int_shape: use tuple(x.shape)"
    else:
        message = f"Keras 3 has no backend.{name}; there is no direct replacement"
    ctx.report(ref.node, message, fix=fix)
