"""## What it does
Finds Keras 2 backend functions (`K.sum`, `K.argmax`, `K.sqrt`, `K.int_shape`,
`K.placeholder`, `K.get_session`...) that Keras 3 removed. Those with an exact
equivalent are rewritten, carrying Keras 2's defaults where `keras.ops` has others:
`K.argmax(x)` becomes `keras.ops.argmax(x, axis=-1)` (ops flattens by default),
`K.cumsum(x)` `keras.ops.cumsum(x, axis=0)`, `K.expand_dims(x)`
`keras.ops.expand_dims(x, axis=-1)`, `K.concatenate(xs)` `keras.ops.concatenate(xs, axis=-1)`,
`K.sqrt(x)` `keras.ops.sqrt(keras.ops.maximum(x, 0.0))` (Keras 2 clipped negatives to 0, where
plain sqrt gives NaN), `K.gather(x, i)` `keras.ops.take(x, i, axis=0)`, `K.flatten(x)`
`keras.ops.reshape(x, (-1,))`, `K.int_shape(x)` `tuple(x.shape)`. `K.get_value` and
`K.set_value` are TFK044's.

## Why is this bad?
Keras 3's `keras.backend` keeps only configuration (`epsilon`, `floatx`,
`image_data_format`, `clear_session`...): everything else raises `AttributeError`. The math
moved to `keras.ops`, whose defaults are NumPy's: a plain rename would silently change
`argmax`, `cumsum` and `sqrt`. (TensorFlow 2.21's `tf.keras.backend` still carries most Keras 2
functions as deprecated aliases; `import keras` does not.)

## Example
```python
from tensorflow.keras import backend as K
acc = K.mean(K.equal(K.argmax(y), K.argmax(p)))
```
Use instead:
```python
acc = keras.ops.mean(keras.ops.equal(keras.ops.argmax(y, axis=-1), keras.ops.argmax(p, axis=-1)))
```

## Fix safety
Safe for the listed functions, run-tested against Keras 2 (TF 2.15). `K.shape` (a tensor in
Keras 2, a tuple from `keras.ops.shape`) and the random functions (`K.random_normal` ->
`keras.random.normal`: the same distribution, other draws) are unsafe. Calls passing keywords
`keras.ops` names otherwise (`K.tile(x, n=2)`), `K.relu` with its extra arguments, `K.dot`, and
the session, placeholder and variable functions are reported without a fix.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK007", "Keras 2 backend function removed in Keras 3", breaks_at="2.16",
            keras3_only=True)
KEPT = {"backend", "clear_session", "epsilon", "floatx", "get_uid", "image_data_format",
        "is_float_dtype", "is_int_dtype", "is_keras_tensor", "result_type", "set_epsilon",
        "set_floatx", "set_image_data_format", "standardize_dtype"}
# name -> (keras.ops function, keywords both take alike, Keras 2 default to pass: (position, text))
BINARY = ("equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "maximum", "minimum")
ELEMENTWISE = ("abs", "cos", "exp", "log", "sigmoid", "sign", "sin", "softplus", "softsign",
               "square", "tanh", "round", "stop_gradient")
OPS: dict[str, tuple[str, tuple[str, ...], tuple[int, str] | None]] = {
    **{name: (name, (), None) for name in ELEMENTWISE},
    **{name: (name, ("axis", "keepdims"), None)
       for name in ("all", "any", "max", "min", "mean", "prod", "sum", "std", "var")},
    **{name: (name, (), None) for name in (*BINARY, "transpose")},
    "argmax": ("argmax", ("axis",), (1, "axis=-1")),
    "argmin": ("argmin", ("axis",), (1, "axis=-1")),
    "cumsum": ("cumsum", ("axis",), (1, "axis=0")),
    "cumprod": ("cumprod", ("axis",), (1, "axis=0")),
    "expand_dims": ("expand_dims", ("axis",), (1, "axis=-1")),
    "concatenate": ("concatenate", ("axis",), (1, "axis=-1")),
    "stack": ("stack", ("axis",), None),
    "squeeze": ("squeeze", ("axis",), None),
    "softmax": ("softmax", ("axis",), None),
    "cast": ("cast", ("dtype",), None),
    "ones_like": ("ones_like", ("dtype",), None),
    "zeros_like": ("zeros_like", ("dtype",), None),
    "tile": ("tile", (), None),
    "pow": ("power", (), None),
    "reshape": ("reshape", (), None),
    "permute_dimensions": ("transpose", (), None),
    "repeat_elements": ("repeat", (), None),
    "one_hot": ("one_hot", (), None),
}
MAX_POSITIONAL = {**{name: 2 for name in BINARY}, "transpose": 1, "clip": 3, "tile": 2, "pow": 2, "reshape": 2, "permute_dimensions": 2,
                  "repeat_elements": 3, "one_hot": 2}
RANDOM = {"random_normal": "normal", "random_uniform": "uniform", "truncated_normal": "truncated_normal"}
RANDOM_KEYWORDS = {"random_normal": {"shape", "mean", "stddev", "dtype", "seed"},
                   "truncated_normal": {"shape", "mean", "stddev", "dtype", "seed"},
                   "random_uniform": {"shape", "minval", "maxval", "dtype", "seed"}}


@rule.prefixes(*keras.paths("backend"))
def backend(ctx, ref):
    tail = keras.suffix(ref.qual)
    if ref.is_import or tail is None or tail.count(".") != 1:
        return
    name = tail.split(".")[1]
    if name in KEPT or name in ("set_value", "get_value") or name.startswith("_"):  # TFK044
        return
    call = ref.call
    found = _fix(ctx, ref, name, call) if call is not None and not any(
        isinstance(a, ast.Starred) for a in call.args) and not any(k.arg is None for k in call.keywords) else None
    if found is None:
        ctx.report(ref.node, f"Keras 3 has no backend.{name}; there is no direct replacement"
                   + (" with the same arguments" if name in OPS or name in RANDOM else ""))
        return
    message, fix = found
    ctx.report(ref.node, message, fix=fix)


def _ops(ctx, ref, op):
    return ctx.spell(f"keras.ops.{op}", ref.scopes, at=ref.stmt)


def _fix(ctx, ref, name, call):
    args, keywords = call.args, {k.arg for k in call.keywords}
    if name in OPS:
        op, same_keywords, default = OPS[name]
        if not keywords <= set(same_keywords) or len(args) > MAX_POSITIONAL.get(name, 1 + len(same_keywords)):
            return None
        if not args:
            return None
        spelled, imports = _ops(ctx, ref, op)
        edits = [ctx.replace(ref.node, spelled)]
        carried = ""
        if default is not None and len(args) <= default[0] and default[1].split("=")[0] not in keywords:
            edits.append(ctx.insert(ctx.span(args[-1])[1], f", {default[1]}"))
            carried = f" ({default[1]}: Keras 2's default, not keras.ops')"
        return (f"Keras 3 has no backend.{name}: use keras.ops.{op}{carried}",
                ctx.fix(*edits, imports=imports, description=f"keras.ops.{op}"))
    if name in RANDOM and keywords <= RANDOM_KEYWORDS[name] and len(args) <= 5:
        # the same parameters, in the same order (shape, mean/minval, stddev/maxval, dtype, seed)
        spelled, imports = ctx.spell(f"keras.random.{RANDOM[name]}", ref.scopes, at=ref.stmt)
        return (f"Keras 3 has no backend.{name}: use keras.random.{RANDOM[name]} (the same "
                "distribution; other draws)",
                ctx.fix(ctx.replace(ref.node, spelled), unsafe=True, imports=imports,
                        description=f"keras.random.{RANDOM[name]}"))
    if keywords:
        return None
    x = ctx.segment(args[0]) if args else None
    if name == "sqrt" and len(args) == 1:
        sqrt, imports = _ops(ctx, ref, "sqrt")
        maximum, more = _ops(ctx, ref, "maximum")
        return ("Keras 3 has no backend.sqrt: use keras.ops.sqrt, clipping negatives to 0 as Keras 2 did",
                ctx.fix(ctx.replace(call, f"{sqrt}({maximum}({x}, 0.0))"), imports=imports + more,
                        description="keras.ops.sqrt of the clipped value"))
    if name == "clip" and len(args) == 3 and not any(
            isinstance(a, ast.Constant) and a.value is None for a in args[1:]):
        spelled, imports = _ops(ctx, ref, "clip")
        return ("Keras 3 has no backend.clip: use keras.ops.clip",
                ctx.fix(ctx.replace(ref.node, spelled), imports=imports, description="keras.ops.clip"))
    if name == "gather" and len(args) == 2:
        take, imports = _ops(ctx, ref, "take")
        return ("Keras 3 has no backend.gather: use keras.ops.take with axis=0 (its default flattens)",
                ctx.fix(ctx.replace(call, f"{take}({x}, {ctx.segment(args[1])}, axis=0)"),
                        imports=imports, description="keras.ops.take(..., axis=0)"))
    if name == "flatten" and len(args) == 1:
        reshape, imports = _ops(ctx, ref, "reshape")
        return ("Keras 3 has no backend.flatten: use keras.ops.reshape(x, (-1,))",
                ctx.fix(ctx.replace(call, f"{reshape}({x}, (-1,))"), imports=imports,
                        description="keras.ops.reshape(x, (-1,))"))
    if name == "int_shape" and len(args) == 1:
        return ("Keras 3 has no backend.int_shape: use tuple(x.shape)",
                ctx.fix(ctx.replace(call, f"tuple({x}.shape)"), description="tuple(x.shape)"))
    if name == "shape" and len(args) == 1:
        spelled, imports = _ops(ctx, ref, "shape")
        return ("Keras 3 has no backend.shape: keras.ops.shape gives a tuple (a tensor in Keras 2; "
                "tf.shape(x) keeps one)",
                ctx.fix(ctx.replace(ref.node, spelled), unsafe=True, imports=imports,
                        description="keras.ops.shape"))
    return None
