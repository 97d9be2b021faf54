"""## What it does
Finds `tf.train.latest_checkpoint(...)` whose result goes to a Keras model's `load_weights`,
and reports it.

## Why is this bad?
Keras 2's `save_weights` and `ModelCheckpoint(save_weights_only=True)` wrote TensorFlow
checkpoints, which `tf.train.latest_checkpoint` finds. Keras 3 writes `.weights.h5` files and no
checkpoint index, so `latest_checkpoint` returns `None` and `load_weights(None)` fails.

## Example
```python
model.load_weights(tf.train.latest_checkpoint("training/"))
```
Use instead:
```python
import glob
import os
model.load_weights(max(glob.glob("training/*.weights.h5"), key=os.path.getmtime))
```

## Fix safety
No fix: which file is the latest depends on how the checkpoints are named (an epoch number in
the name, or the time they were written).

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK058", "Keras 3 writes no TensorFlow checkpoints for latest_checkpoint",
            breaks_at="2.16", fix="none", keras3_only=True)


@rule.symbols("tf.train.latest_checkpoint", "tf.compat.v1.train.latest_checkpoint")
def latest(ctx, ref):
    call = ref.call
    if call is None or "load_weights" not in ctx.text:
        return
    if _feeds_load_weights(ctx, call, ref.stmt):
        ctx.report(call, "Keras 3 saves weights as .weights.h5 files, not TensorFlow checkpoints: "
                   "latest_checkpoint finds none; load the newest .weights.h5 file")


def _feeds_load_weights(ctx, call, stmt) -> bool:
    parent = ctx.parent(call)
    if _is_load_weights(parent):
        return True
    if isinstance(stmt, ast.Assign) and stmt.value is call:
        names = {t.id for t in stmt.targets if isinstance(t, ast.Name)}
        for node in ast.walk(ctx.tree):
            if _is_load_weights(node) and node.args and isinstance(node.args[0], ast.Name) \
                    and node.args[0].id in names:
                return True
    return False


def _is_load_weights(node) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "load_weights")
