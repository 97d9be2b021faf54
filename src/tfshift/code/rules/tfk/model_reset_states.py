"""## What it does
Finds `model.reset_states()` and resets the stateful layers as Keras 2's `Model.reset_states`
did, one by one.

## Why is this bad?
Keras 3 models have no `reset_states` (`AttributeError: 'Sequential' object has no attribute
'reset_states'`); only the RNN layers kept it.

## Example
```python
for epoch in range(10):
    model.fit(x, y, batch_size=1, shuffle=False)
    model.reset_states()
```
Use instead:
```python
for epoch in range(10):
    model.fit(x, y, batch_size=1, shuffle=False)
    for layer in model.layers:
        if hasattr(layer, "reset_states") and getattr(layer, "stateful", False):
            layer.reset_states()
```

## Fix safety
Safe: the loop is Keras 2's `Model.reset_states`. The receiver must be a model for certain: a
name bound in the file to `Sequential(...)`, `Model(...)` or `load_model(...)`, a name
containing `model`, or `self.model` (in a callback). A stateful RNN inside a nested model is
not reached (Keras 3 models cannot reset it), so a model holding another model is reported
without a fix when the file shows it.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK048", "Keras 3 models have no reset_states", breaks_at="2.16",
            keras3_only=True)
MAKERS = ("Sequential", "models.Sequential", "Model", "models.Model", "models.load_model",
          "saving.load_model")


@rule.methods("reset_states")
def reset_states(ctx, ref):
    call = ref.call
    receiver = ref.node.value
    if call is None or call.args or call.keywords or not keras.uses_keras(ctx, call):
        return
    if not _is_model(ctx, receiver):
        return
    stmt = ctx.parent(call)
    message = "Keras 3 models have no reset_states: reset each stateful layer"
    if not isinstance(stmt, ast.Expr) or _nests_models(ctx):
        ctx.report(call, message)
        return
    names = _bound_names(ctx)
    var = next(n for n in ("layer", "layer_", "stateful_layer") if n not in names)
    indent = ctx.indent_of(stmt)
    nl = ctx.newline
    text = (f"for {var} in {ctx.segment(receiver)}.layers:{nl}"
            f"{indent}    if hasattr({var}, \"reset_states\") and getattr({var}, \"stateful\", False):{nl}"
            f"{indent}        {var}.reset_states()")
    if stmt.lineno != stmt.end_lineno or ctx.line_text(stmt.lineno).strip() != ctx.segment(stmt):
        ctx.report(call, message)  # shares its line: no room for a loop
        return
    ctx.report(call, message, fix=ctx.fix(ctx.replace(stmt, text), description="reset each layer"))


def _is_model(ctx, node) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr == "model" and isinstance(node.value, ast.Name) and node.value.id == "self"
    if not isinstance(node, ast.Name):
        return False
    if "model" in node.id.lower():
        return True
    return node.id in _models(ctx)


def _models(ctx) -> set[str]:
    state = ctx.state()
    if "models" not in state:
        found = set()
        for node in ast.walk(ctx.tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                qual = ctx.bindings.resolve(node.value.func, ())
                if qual and keras.suffix(qual) in MAKERS:
                    found.update(t.id for t in node.targets if isinstance(t, ast.Name))
        state["models"] = found
    return state["models"]


def _nests_models(ctx) -> bool:
    """A model built from other models: `Sequential([base, ...])` where `base` is one."""
    models = _models(ctx)
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Call):
            qual = ctx.bindings.resolve(node.func, ())
            if qual and keras.suffix(qual) in ("Sequential", "models.Sequential"):
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Name) and sub.id in models:
                        return True
            if isinstance(node.func, ast.Name) and node.func.id in models and node.args:
                return True  # a model called on a tensor inside another model
    return False


def _bound_names(ctx) -> set[str]:
    return {n.id for n in ast.walk(ctx.tree) if isinstance(n, ast.Name)}
