"""## What it does
Finds custom metric functions given to `compile(metrics=[...])` and makes them receive the
labels Keras 2 gave them: at the top of the function, rank-1 labels get a last axis when the
predictions have rank 2, as Keras 2 did before calling any metric.

## Why is this bad?
Keras 2 reshaped `y_true` from `(n,)` to `(n, 1)` when `y_pred` was `(n, 1)`
(`match_dtype_and_rank`), for losses and metrics alike. Keras 3 still matches ranks for loss
functions, but calls metric functions with the labels as they come: `y_true - y_pred` then
broadcasts `(n,)` against `(n, 1)` to `(n, n)`, and the metric reports another number with no
error (an RMSE of 2.3094 where Keras 2 printed 0.8165; Deep Learning with Python's 5.356
against 0.949).

## Example
```python
def rmse(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true)))
model.compile(optimizer="adam", loss="mse", metrics=[rmse])
```
Use instead:
```python
def rmse(y_true, y_pred):
    if len(y_true.shape) == 1 and len(y_pred.shape) == 2:  # as Keras 2 passed them
        y_true = keras.ops.expand_dims(y_true, -1)
    return K.sqrt(K.mean(K.square(y_pred - y_true)))
```

## Fix safety
Safe when the function is only used as a metric: the added lines do what Keras 2 did before
each call. Unsafe when the file also calls it itself (those calls get the reshape too).
Functions defined elsewhere (imported, lambdas) are not seen.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK072", "custom metric gets rank-1 labels unexpanded in Keras 3",
            breaks_at="2.16", keras3_only=True)
MARK = "# as Keras 2 passed them"


@rule.methods("compile", words=(".compile(",))
def compile_metrics(ctx, ref):
    call = ref.call
    if call is None or not keras.uses_keras(ctx, call):
        return
    metrics = ctx.keyword(call, "metrics")
    if metrics is None:
        return
    functions = _module_functions(ctx)
    for name in _names(metrics.value):
        function = functions.get(name.id)
        if function is None:
            continue
        params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        if len(params) < 2 or ctx.text.find(MARK, ctx.span(function)[0], ctx.span(function)[1]) >= 0:
            continue
        y_true, y_pred = params[:2]
        body = function.body
        first = body[1] if (len(body) > 1 and isinstance(body[0], ast.Expr)
                            and isinstance(body[0].value, ast.Constant)
                            and isinstance(body[0].value.value, str)) else body[0]
        if first.lineno == function.lineno:
            ctx.report(name, f"Keras 3 passes {name.id}'s labels unreshaped: (n,) labels against (n, 1) "
                       "predictions broadcast to (n, n); expand y_true as Keras 2 did")
            continue
        start = ctx.span(first)[0]
        indent = ctx.text[ctx.text.rfind("\n", 0, start) + 1:start]
        if indent.strip():
            continue
        expand, imports = ctx.spell("keras.ops.expand_dims", (), at=ctx.span(function)[0])
        nl = ctx.newline
        text = (f"if len({y_true}.shape) == 1 and len({y_pred}.shape) == 2:  {MARK}{nl}"
                f"{indent}    {y_true} = {expand}({y_true}, -1){nl}{indent}")
        called = _called_elsewhere(ctx, name.id)
        ctx.report(name, f"Keras 3 calls the metric {name.id} with (n,) labels where Keras 2 gave it "
                   "(n, 1) ones: its number changes silently (broadcasting); the labels are expanded "
                   "at its top as Keras 2 did" + ("; unsafe: this file also calls it itself" if called else ""),
                   fix=ctx.fix(ctx.insert(start, text), unsafe=called, imports=imports,
                               description="expand rank-1 labels as Keras 2 did"))


def _names(node):
    if isinstance(node, ast.Name):
        yield node
    elif isinstance(node, (ast.List, ast.Tuple)):
        for item in node.elts:
            yield from _names(item)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _names(value)


def _module_functions(ctx):
    state = ctx._state
    if "module-functions" not in state:
        state["module-functions"] = {n.name: n for n in ctx.tree.body
                                     if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return state["module-functions"]


def _called_elsewhere(ctx, name):
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name
               for n in ast.walk(ctx.tree))
