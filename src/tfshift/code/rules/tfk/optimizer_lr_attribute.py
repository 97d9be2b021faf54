"""## What it does
Finds `model.optimizer.lr` (read, assigned or passed on) and uses the attribute Keras 3 has:
`model.optimizer.learning_rate`.

## Why is this bad?
Keras 2's optimizers had `lr` as an alias of `learning_rate`; Keras 3's raise
`AttributeError: 'Adam' object has no attribute 'lr'`. Learning-rate callbacks written for
Keras 2 (`K.set_value(self.model.optimizer.lr, ...)`) stop at the first epoch.

## Example
```python
print(float(model.optimizer.lr))
```
Use instead:
```python
print(float(model.optimizer.learning_rate))
```

## Fix safety
Safe: the same variable (reading it, assigning to it, `K.get_value` of it). Only receivers that
are an optimizer for certain are rewritten: `<x>.optimizer`, a name called `optimizer` or
`opt`, or a name bound in the file to a Keras optimizer.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK043", "Keras 3 optimizers have no lr attribute", breaks_at="2.16",
            keras3_only=True)
NAMES = ("optimizer", "opt", "optim")


@rule.methods("lr", words=(".lr",))
def lr_attribute(ctx, ref):
    receiver = ref.node.value
    if not keras.uses_keras(ctx) or not _is_optimizer(ctx, receiver, ref.scopes):
        return
    start = ctx.span(ref.node)[1] - len("lr")
    ctx.report(ref.node, "Keras 3 optimizers have no lr attribute: use learning_rate",
               fix=ctx.fix(ctx.replace((start, start + 2), "learning_rate"), description="learning_rate"))


def _is_optimizer(ctx, node, scopes) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr == "optimizer"
    if not isinstance(node, ast.Name):
        return False
    if node.id in NAMES:
        return True
    found = ctx.state().get("optimizers")
    if found is None:
        found = ctx.state()["optimizers"] = set()
        for stmt in ast.walk(ctx.tree):
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
                qual = ctx.bindings.resolve(stmt.value.func, ())
                tail = keras.suffix(qual) if qual else None
                if tail and tail.startswith("optimizers."):
                    found.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
    return node.id in found
