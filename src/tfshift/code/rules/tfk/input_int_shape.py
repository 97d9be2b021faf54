"""## What it does
Finds `keras.Input(shape=n)` with an integer `n` and writes the shape as the tuple Keras 2 made
of it: `keras.Input(shape=(n,))`.

## Why is this bad?
Keras 2 took a bare integer as a one-dimensional shape; Keras 3 raises `ValueError: Cannot
convert '3' to a shape.`

## Example
```python
inputs = tf.keras.Input(shape=x_train.shape[1])
```
Use instead:
```python
inputs = tf.keras.Input(shape=(x_train.shape[1],))
```

## Fix safety
Safe: Keras 2 read the integer `n` as `(n,)`. The fix is applied where the value is an integer
for certain: an integer literal, a name bound once in the file to one, `len(...)`, `int(...)`,
or one entry of a `.shape` (`x.shape[1]`). Other values are left alone (a name may hold a tuple).

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK041", "keras.Input(shape=int) needs a tuple in Keras 3", breaks_at="2.16",
            keras3_only=True)


@rule.symbols(*keras.paths("Input", "layers.Input"))
def input_shape(ctx, ref):
    call = ref.call
    if call is None:
        return
    shape = ctx.argument(call, 0, "shape")
    if shape is None or not _is_int(ctx, shape):
        return
    ctx.report(shape, "Keras 3 takes the shape as a tuple: Keras 2 read an integer n as (n,)",
               fix=ctx.fix(ctx.replace(shape, f"({ctx.segment(shape)},)"), description="(n,)"))


def _is_int(ctx, node) -> bool:
    if isinstance(node, ast.Constant):
        return type(node.value) is int
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in ("len", "int") and ctx.bindings.lookup(node.func.id, ()) is None
    if isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Slice):
        value = node.value
        return isinstance(value, ast.Attribute) and value.attr == "shape"
    if isinstance(node, ast.Name):
        return _int_name(ctx, node.id)
    return False


def _int_name(ctx, name) -> bool:
    """The name is assigned exactly once in the file, to an integer literal."""
    cache = ctx.state().setdefault("assigned", None)
    if cache is None:
        cache = {}
        for node in ast.walk(ctx.tree):
            targets = ()
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.withitem, ast.NamedExpr)):
                targets = (getattr(node, "target", None) or getattr(node, "optional_vars", None),)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                for arg in ast.walk(node.args):
                    if isinstance(arg, ast.arg):
                        cache.setdefault(arg.arg, []).append(None)
            for target in targets:
                for sub in ast.walk(target) if target is not None else ():
                    if isinstance(sub, ast.Name):
                        value = node.value if isinstance(node, ast.Assign) and target is sub else None
                        cache.setdefault(sub.id, []).append(value)
        ctx.state()["assigned"] = cache
    values = cache.get(name, [])
    return (len(values) == 1 and isinstance(values[0], ast.Constant)
            and type(values[0].value) is int)
