"""## What it does
Finds `self.add_weight(...)` calls that pass arguments by position in Keras 2's order (`name`,
`shape`, `dtype`, `initializer`, `regularizer`, `trainable`, `constraint`) and names them.
Removes `use_resource=`, which Keras 3 rejects.

## Why is this bad?
Keras 3's `add_weight` starts with `shape`, then `initializer`, then `dtype`: Keras 2's
`self.add_weight("kernel", (3, 4))` raises "`name` must be passed as a keyword argument" (or,
on older Keras 3, "Cannot convert 'kernel' to a shape"), and a call with a name and a
`shape=` keyword fails with "got multiple values for argument 'shape'".

## Example
```python
class Scale(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight("w", (input_shape[-1],), tf.float32, "ones")
```
Use instead:
```python
class Scale(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(input_shape[-1],), dtype=tf.float32,
                                 initializer="ones")
```

## Fix safety
Safe: each argument keeps the parameter Keras 2 bound it to, and the defaults of the others are
the same in both (a float weight starts `glorot_uniform`, trainable). `use_resource=` is
removed: TensorFlow 2's variables are all resource variables. A first argument that is a tuple
or list is a shape, already in Keras 3's order, and is left alone. Calls with `*args`, or with
`synchronization=` (which Keras 3 does not take), are reported without a fix.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.keras3 import is_self
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK040", "add_weight arguments by position follow Keras 2's order",
            breaks_at="2.16", keras3_only=True)
KERAS2_ORDER = ("name", "shape", "dtype", "initializer", "regularizer", "trainable", "constraint",
                "use_resource")


@rule.methods("add_weight")
def add_weight(ctx, ref):
    call = ref.call
    receiver = ref.node.value
    if call is None or not (is_self(receiver) or _is_super(receiver)) or not keras.uses_keras(ctx, call):
        return
    args = call.args
    if args and isinstance(args[0], (ast.Tuple, ast.List)):
        return  # a shape first: Keras 3's order already
    sync = ctx.keyword(call, "synchronization")
    if ctx.has_star(call) or sync is not None or len(args) > len(KERAS2_ORDER):
        if args or sync is not None:
            ctx.report(call, "Keras 3's add_weight takes shape first (and no synchronization=): "
                       "name its arguments")
        return
    resource = ctx.keyword(call, "use_resource")
    if not args and resource is None:
        return
    given = {k.arg for k in call.keywords}
    named = KERAS2_ORDER[:len(args)]
    if any(name in given for name in named):
        return  # a TypeError in Keras 2 already
    edits = []
    for arg, name in zip(args, named, strict=True):
        if name == "use_resource":
            continue
        edits.append(ctx.insert(ctx.span(arg)[0], f"{name}="))
    dropped = [a for a, n in zip(args, named, strict=True) if n == "use_resource"]
    if resource is not None:
        dropped.append(resource)
    if dropped:
        edits.extend(ctx.remove_arguments(call, dropped))
    if args:
        message = (f"Keras 3's add_weight takes shape first: name the arguments Keras 2 took by "
                   f"position ({', '.join(n for n in named if n != 'use_resource')})")
    else:
        message = "Keras 3's add_weight takes no use_resource"
    ctx.report(call, message, fix=ctx.fix(*edits, description="keyword arguments"))


def _is_super(node):
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super")
