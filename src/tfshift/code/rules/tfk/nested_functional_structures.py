"""## What it does
Finds functional models built on structures Keras 3 no longer takes: `keras.Model(inputs,
outputs)` whose inputs or outputs nest more than one level (a dict of dicts of `keras.Input`),
and `None` inside a nested structure passed to a layer with Keras tensors. Both are reported.

## Why is this bad?
Keras 3 raises `ValueError: When providing inputs as a dict, all values in the dict must be
KerasTensors` for deeper nesting, and does not allow `None` entries in nested `call()`
arguments or return values.

## Example
```python
inputs = {"foo": keras.Input(shape=(1,)), "bar": {"baz": keras.Input(shape=(1,))}}
model = keras.Model(inputs, inputs["foo"] + inputs["bar"]["baz"])
```
Use instead:
```python
inputs = {"foo": keras.Input(shape=(1,)), "baz": keras.Input(shape=(1,))}
model = keras.Model(inputs, inputs["foo"] + inputs["baz"])
```

## Fix safety
No fix: flattening the structure changes what callers pass to the model (`model({"foo": ...,
"bar": {"baz": ...}})`), and a `None` entry must become an optional argument of `call`.

## Versions affected
Keras 3 targets from TensorFlow 2.16 to 2.20 without `--keras2`: Keras 3.15 (TensorFlow 2.21)
builds and runs both (checked by tests/code/test_keras3_runs.py).
"""

import ast

from tfshift.code import keras, keras3
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK060", "Keras 3 functional models take one level of nesting, no None",
            breaks_at="2.16", until="2.20", fix="none", keras3_only=True)
_CONTAINERS = (ast.Dict, ast.List, ast.Tuple)


@rule.finish
def nested(ctx):
    if "Input" not in ctx.text or not keras.uses_tensorflow_or_keras(ctx):
        return
    structures = {}  # module-level names bound to a container literal
    for stmt in ctx.tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, _CONTAINERS):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    structures[target.id] = stmt.value
    tensors = keras3.keras_tensors(ctx).get(None, set())
    for node in ast.walk(ctx.tree):
        if not isinstance(node, ast.Call):
            continue
        if keras3.keras_call(ctx, node, (), "Model", "models.Model"):
            for arg in [*node.args[:2], *(k.value for k in node.keywords if k.arg in ("inputs", "outputs"))]:
                value = structures.get(arg.id) if isinstance(arg, ast.Name) else arg
                if isinstance(value, _CONTAINERS) and _depth(value) > 1:
                    ctx.report(arg, "Keras 3 functional models take inputs and outputs nested one "
                               "level deep at most: flatten this structure")
        elif isinstance(node.func, ast.Call):  # Layer(...)(structure)
            for arg in node.args:
                value = structures.get(arg.id) if isinstance(arg, ast.Name) else arg
                if isinstance(value, _CONTAINERS) and _nested_none(value) and _symbolic(ctx, value, tensors):
                    ctx.report(arg, "Keras 3 layers take no None inside nested call() arguments: "
                               "make it an optional argument of call")


def _symbolic(ctx, value, tensors) -> bool:
    """The structure holds Keras tensors: names that are, or keras.Input calls."""
    return keras3.mentions(value, tensors) or any(
        keras3.keras_call(ctx, n, (), "Input", "layers.Input") for n in ast.walk(value))


def _children(node):
    return node.values if isinstance(node, ast.Dict) else node.elts


def _depth(node) -> int:
    if not isinstance(node, _CONTAINERS):
        return 0
    return 1 + max((_depth(c) for c in _children(node)), default=0)


def _nested_none(node) -> bool:
    """A None inside a container that is itself inside `node`."""
    for child in _children(node):
        if not isinstance(child, _CONTAINERS):
            continue
        if any(isinstance(g, ast.Constant) and g.value is None for g in _children(child)) or _nested_none(child):
            return True
    return False
