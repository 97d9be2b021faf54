"""## What it does
Removes imports of TensorFlow modules and symbols that the target release lacks when the file
no longer uses the name they bind: typically `from tensorflow.contrib import rnn` once every
`rnn.X` was rewritten (`rnn.BasicLSTMCell` to `tf.compat.v1.nn.rnn_cell.BasicLSTMCell`).

## Why is this bad?
The import alone fails on the target (`ModuleNotFoundError: No module named
'tensorflow.contrib'`), so a program whose every use was upgraded would still die at its first
line.

## Example
```python
from tensorflow.contrib import rnn
cell = tf.compat.v1.nn.rnn_cell.BasicLSTMCell(128)
```
Use instead:
```python
cell = tf.compat.v1.nn.rnn_cell.BasicLSTMCell(128)
```

## Fix safety
Safe: the name occurs nowhere else in the file (not in code, strings or comments, and not in
`__all__`), and importing it can only fail on the target. A package's `__init__.py` is left
alone: what it imports is what the package offers. A module of the project that imports
the name from this file by name (`from thismodule import rnn`) would lose it; it could not have
worked on the target either.

## Versions affected
Any pair of releases (the API database says what the target lacks).
"""

import ast
import re

from tfshift.code import apidb
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFU005", "import of a name the target lacks, no longer used", breaks_at=None)


@rule.prefixes("tf", "keras", "tf_keras")
def collect(ctx, ref):
    if ref.is_import and not ref.binding.is_root:
        ctx.state().setdefault("imports", []).append(ref)


@rule.finish
def decide(ctx):
    if ctx.path.replace("\\", "/").endswith("/__init__.py") or ctx.path == "__init__.py":
        return  # a package's imports are its API (`from tensorflow.contrib import rnn` there is tf.contrib.rnn)
    source, target = apidb.versions(ctx.settings)
    for ref in ctx.state().get("imports", ()):
        qual, name = ref.binding.qual, ref.binding.name
        if not apidb.exists(qual, source) or apidb.exists(apidb.in_target(qual, ctx.settings), target):
            continue
        if _used(ctx, name, ref.stmt):
            continue
        ctx.report(ref.node, f"{qual} is not in TensorFlow {target} and `{name}` is not used: "
                   "the import would only fail", fix=ctx.fix(_removal(ctx, ref), description="remove the import"))


def _used(ctx, name: str, stmt: ast.stmt) -> bool:
    start, end = ctx.span(stmt)
    for match in re.finditer(rf"(?<![\w.]){re.escape(name)}\b", ctx.text):
        if not start <= match.start() < end:
            return True
    return False


def _removal(ctx, ref):
    stmt = ref.stmt
    if len(stmt.names) > 1:
        return ctx.remove_item(stmt.names, ref.node)
    parent = next(iter(ctx.ancestors(stmt)), None)
    if parent is not None and len(_siblings(parent, stmt)) == 1:
        return ctx.replace(stmt, "pass")  # the only statement of its block
    start, end = ctx.span(stmt)
    line_start = ctx.starts[stmt.lineno - 1]
    line_end = ctx.starts[stmt.end_lineno] if stmt.end_lineno < len(ctx.starts) else len(ctx.text)
    before, after = ctx.text[line_start:start], ctx.text[end:line_end]
    if before.strip() == "" and after.strip() == "":
        return ctx.replace((line_start, line_end), "")  # its whole line(s)
    return ctx.replace(stmt, "pass")  # `import a; from tensorflow.contrib import rnn`


def _siblings(parent, stmt):
    for field in ("body", "orelse", "finalbody", "handlers"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and any(s is stmt for s in block):
            return block
    return [stmt]
