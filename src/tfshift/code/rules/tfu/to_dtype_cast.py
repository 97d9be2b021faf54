"""## What it does
Rewrites TF1's cast shorthands as `tf.cast`: `tf.to_float(x)` becomes `tf.cast(x, tf.float32)`,
and likewise `to_double`, `to_int32`, `to_int64`, `to_bfloat16`, `to_complex64`,
`to_complex128`.

## Why is this bad?
TensorFlow 2 removed the shorthands; `tf.compat.v1.to_float` still exists but is deprecated,
while `tf.cast` is the same operation in every version.

## Example
```python
y = tf.to_float(labels)
```
Use instead:
```python
y = tf.cast(labels, tf.float32)
```

## Fix safety
Safe: the same op, computing the same values. Only its default op name differs (`Cast` instead
of `ToFloat`), which matters only to code that looks tensors up by name.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFU003", "TF1 cast shorthand (tf.to_float...) removed in TF2", breaks_at="2.0")
DTYPES = {
    "tf.to_float": "float32", "tf.to_double": "float64", "tf.to_int32": "int32",
    "tf.to_int64": "int64", "tf.to_bfloat16": "bfloat16", "tf.to_complex64": "complex64",
    "tf.to_complex128": "complex128",
}


@rule.symbols(*DTYPES)
def cast(ctx, ref):
    call = ref.call
    if call is None or ctx.has_star(call):
        return  # a bare reference is renamed to tf.compat.v1 by TFU002
    cast_name, imports = ctx.spell("tf.cast", ref.scopes, prefer=ref.binding, at=ref.stmt)
    dtype, more = ctx.spell(f"tf.{DTYPES[ref.qual]}", ref.scopes, prefer=ref.binding, at=ref.stmt)
    edits = [ctx.replace(ref.node, cast_name)]
    if call.args:
        end = ctx.span(call.args[0])[1]
        edits.append(ctx.insert(end, f", {dtype}"))
    else:
        edits.append(ctx.add_argument(call, f"dtype={dtype}"))
    ctx.report(ref.node, f"{ref.qual}(x) is tf.cast(x, tf.{DTYPES[ref.qual]}) in TensorFlow 2",
               fix=ctx.fix(*edits, description="use tf.cast", imports=(*imports, *more)))
