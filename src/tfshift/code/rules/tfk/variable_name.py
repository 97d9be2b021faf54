"""## What it does
Finds the `.name` of a Keras layer's or model's weights (`for v in model.trainable_variables:
print(v.name)`, `layer.weights[0].name`) and reports that Keras 3 names them differently.

## Why is this bad?
Keras 2's weights were TensorFlow variables named with their layer's scope and output index,
`"dense/kernel:0"`; Keras 3's `.name` is the bare name, `"kernel"`, so every weight of a model
may share it. Code that prints the names, or matches, sorts or looks weights up by them, gets
other results with no error.

## Example
```python
print([v.name for v in layer.trainable_variables])  # Keras 2: ['dense/kernel:0', 'dense/bias:0']
```
Use instead (Keras 3):
```python
print([v.path for v in layer.trainable_variables])  # ['dense/kernel', 'dense/bias']
```

## Fix safety
No fix: `.path` has the layer scope but no `:0`, and its scope is the whole model's
(`"sequential/dense/kernel"`, where Keras 2 said `"dense/kernel:0"`), so no expression gives
Keras 2's names in general. Only names of the weight lists (`variables`, `weights`,
`trainable_variables`, `trainable_weights` and their `non_trainable_` twins) are reported.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK073", "Keras 3 weights have bare names", breaks_at="2.16",
            severity="warning", fix="none", keras3_only=True)
WEIGHT_LISTS = frozenset(prefix + kind for prefix in ("", "trainable_", "non_trainable_")
                         for kind in ("variables", "weights"))


@rule.methods("name", words=(".name",))
def weight_name(ctx, ref):
    node = ref.node
    if not isinstance(node, ast.Attribute) or not keras.uses_keras(ctx):
        return
    owner = node.value
    if isinstance(owner, ast.Subscript):
        owner = owner.value  # layer.weights[0].name
    elif isinstance(owner, ast.Name):
        owner = _iterated(ctx, ref, owner.id)  # for v in layer.weights: v.name
    else:
        return
    if not (isinstance(owner, ast.Attribute) and owner.attr in WEIGHT_LISTS):
        return
    ctx.report(node, "Keras 3's weight .name is the bare name ('kernel'), not Keras 2's "
               "'dense/kernel:0': use .path ('dense/kernel') for the layer scope")


def _iterated(ctx, ref, name):
    """What `name` iterates over: the loop or comprehension of this statement binding it."""
    for node in ast.walk(ref.stmt):
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            for generator in node.generators:
                if isinstance(generator.target, ast.Name) and generator.target.id == name:
                    return generator.iter
    for stmt in ctx.ancestors(ref.stmt):
        if isinstance(stmt, ast.For) and isinstance(stmt.target, ast.Name) and stmt.target.id == name:
            return stmt.iter
    return None
