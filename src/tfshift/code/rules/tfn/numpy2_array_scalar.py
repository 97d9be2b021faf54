"""## What it does
Finds a prediction array turned into a Python number: `"%.1f" % model.predict(x)[0]`,
`float(pred[0])`, `int(pred)`, where `pred` is what `predict` returned (or one row of it), and
takes the number out with `.item()`.

## Why is this bad?
NumPy 1 converted an array of one element, whatever its shape, to a Python number (with a
DeprecationWarning from NumPy 1.25). The NumPy 2 that TensorFlow 2.21 installs (2.5) raises
`TypeError: only 0-dimensional arrays can be converted to Python scalars`; a model with one
output unit predicts shape `(n, 1)`, so `pred[0]` has shape `(1,)`.

## Example
```python
pred = model.predict(x)
print("%.1f" % pred[0])
```
Use instead:
```python
pred = model.predict(x)
print("%.1f" % pred[0].item())
```

## Fix safety
Safe: `.item()` gives the number NumPy 1 converted (only arrays of one element converted
then; for larger ones both raise). Only values from `predict` (the whole result or one row
of it) are changed: with two indexes (`pred[0][0]`, `pred[0, 0]`) the value is already a
NumPy scalar, which NumPy 2 converts.

## Versions affected
TensorFlow 2.21 and later (NumPy 2.5 in its environment; checked).
"""

import ast
import re

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFN002", "NumPy 2 converts only 0-d arrays to Python numbers", breaks_at="2.21",
            severity="error")
PREDICT = {"predict", "predict_on_batch", "predict_generator"}
CONVERSION = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([a-zA-Z%])")
NUMERIC = set("diouxXeEfFgGc")


@rule.finish
def array_to_number(ctx):
    if "predict" not in ctx.text:
        return
    module = _depths(_scope_nodes(ctx.tree))
    for scope in ast.walk(ctx.tree):
        if scope is not ctx.tree and not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        nodes = _scope_nodes(scope)
        arrays = module if scope is ctx.tree else {**module, **_depths(nodes)}
        for node in nodes:
            for value in _converted(node):
                if _rows(value, arrays) < 2:
                    text = ctx.segment(value)
                    ctx.report(value, f"NumPy 2 converts only 0-d arrays to numbers, and {text} comes from "
                               "predict (an array): take the number out with .item()",
                               fix=ctx.fix(ctx.replace(value, f"{text}.item()"), description=".item()"))


def _scope_nodes(scope) -> list:
    """The nodes of a module or function, without those of the functions inside it."""
    found, todo = [], list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        found.append(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        todo.extend(ast.iter_child_nodes(node))
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        found.append(scope.args)
    return found


def _converted(node) -> list:
    """The values a `%` format or float() / int() turns into Python numbers."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) \
            and isinstance(node.left.value, str):
        kinds = [k for k in CONVERSION.findall(node.left.value) if k != "%"]
        values = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        return [v for v, k in zip(values, kinds) if k in NUMERIC]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("float", "int") \
            and len(node.args) == 1 and not node.keywords:
        return node.args
    return []


def _depths(nodes) -> dict[str, int]:
    """Names bound in these nodes: name -> how deep into a predict result every binding is
    (99: some binding is something else)."""
    depths: dict[str, int] = {}
    for node in nodes:
        stores = []
        if isinstance(node, ast.Assign):
            depth = _rows(node.value, {})
            stores = [(t, depth) for t in node.targets]
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.comprehension,
                               ast.NamedExpr)):
            stores = [(node.target, 99)]
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            stores = [(node.optional_vars, 99)]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            stores = [(ast.Name((a.asname or a.name).split(".")[0], ast.Store()), 99) for a in node.names]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stores = [(ast.Name(node.name, ast.Store()), 99)]
        elif isinstance(node, ast.arguments):
            stores = [(ast.Name(a.arg, ast.Store()), 99)
                      for a in (*node.posonlyargs, *node.args, *node.kwonlyargs, node.vararg, node.kwarg) if a]
        for target, depth in stores:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    here = depth if name is target else 99
                    depths[name.id] = max(depths.get(name.id, here), here)
    return depths


def _rows(node, arrays) -> int:
    """How many indexes deep into a predict result `node` is (99: not from predict)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in PREDICT:
        receiver = node.func.value
        return 99 if isinstance(receiver, ast.Name) and receiver.id in ("self", "cls") else 0  # their own predict
    if isinstance(node, ast.Name):
        return arrays.get(node.id, 99)
    if isinstance(node, ast.Subscript):
        index = node.slice
        if isinstance(index, ast.Slice) or (isinstance(index, ast.Tuple) and any(isinstance(e, ast.Slice)
                                                                                  for e in index.elts)):
            return 99  # a slice keeps the dimensions
        depth = len(index.elts) if isinstance(index, ast.Tuple) else 1
        return _rows(node.value, arrays) + depth
    return 99
