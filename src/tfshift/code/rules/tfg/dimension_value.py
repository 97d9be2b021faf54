"""## What it does
Finds TF1's `Dimension.value` idiom, `x.shape[i].value` (also `x.get_shape()[i].value` and
`x.shape.dims[i].value`), and writes it as `tf.compat.dimension_value(x.shape[i])`.

## Why is this bad?
In TensorFlow 2 `TensorShape` entries are plain `int` or `None`, so `.value` raises
`AttributeError: 'int' object has no attribute 'value'`. `tf.compat.dimension_value` returns the
int under both TF1 and TF2 shape behaviour, so the fix is right whether or not the program
switches v1 behaviour back on.

## Example
```python
n = x.shape[1].value
```
Use instead:
```python
n = tf.compat.dimension_value(x.shape[1])
```

## Fix safety
Safe: `tf.compat.dimension_value(d)` is `d.value` for a TF1 `Dimension` and `d` otherwise.
Only the syntactic idiom is found; a `Dimension` kept in a variable and read later
(`d = x.shape[1]; d.value`) is not.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

import ast

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFG002", "TensorShape entry read with .value (TF1 Dimension)", breaks_at="2.0")


@rule.methods("value", words=("].value",))
def dimension_value(ctx, ref):
    subscript = ref.node.value
    if not isinstance(subscript, ast.Subscript) or not _is_shape(subscript.value):
        return
    if not isinstance(ref.node.ctx, ast.Load):
        return
    name = "tf.compat.v1.dimension_value" if _has_compat_v1(ctx) else "tf.compat.dimension_value"
    spelled, imports = ctx.spell(name, ref.scopes, at=ref.stmt)
    edit = ctx.replace(ref.node, f"{spelled}({ctx.segment(subscript)})")
    ctx.report(ref.node, "TensorShape entries are ints in TensorFlow 2: `.value` fails; "
               "use tf.compat.dimension_value", fix=ctx.fix(edit, imports=imports,
                                                            description="tf.compat.dimension_value"))


def _is_shape(node):
    if isinstance(node, ast.Attribute):
        if node.attr == "shape":
            return True
        if node.attr == "dims":
            return _is_shape(node.value) or isinstance(node.value, ast.Call)
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_shape")


def _has_compat_v1(ctx):
    return any(b.qual == "tf.compat.v1" for b in ctx.bindings.module.values()) and not any(
        b.qual == "tf" for b in ctx.bindings.module.values())
