"""## What it does
Finds `model.save_weights(path)` where `path` is not a string literal (TFK003 handles those).
When it is a name bound once in the file to a string, and the name is only used to save and
load weights, the string gets the `.weights.h5` suffix (creating its folder first, as Keras 2
did); otherwise the call is reported when the path cannot end in `.weights.h5`.

## Why is this bad?
Keras 3 writes weights only to files ending in `.weights.h5` and raises `ValueError: The
filename must end in .weights.h5`; Keras 2 wrote a TensorFlow checkpoint under any name.

## Example
```python
checkpoint_path = "training_1/cp.ckpt"
model.save_weights(checkpoint_path)
model.load_weights(checkpoint_path)
```
Use instead:
```python
import os
checkpoint_path = "training_1/cp.ckpt.weights.h5"
os.makedirs("training_1", exist_ok=True)
model.save_weights(checkpoint_path)
model.load_weights(checkpoint_path)
```

## Fix safety
Safe when the file loads what it saves through the same name. Unsafe when it only saves (other
programs look for the old name). Paths built at run time (`os.path.join(d, "w")`, f-strings)
are reported when their last part shows another suffix, and otherwise left alone.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast
import posixpath

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK057", "Keras 3 weights paths held in variables must end in .weights.h5",
            breaks_at="2.16", keras3_only=True)
SUFFIX = ".weights.h5"


@rule.methods("save_weights", words=("save_weights(",))
def save_weights(ctx, ref):
    call = ref.call
    if call is None or not keras.uses_keras(ctx, call):
        return
    path = ctx.argument(call, 0, "filepath")
    if path is None or keras.string_value(path) is not None:
        return
    if isinstance(path, ast.Name):
        _named(ctx, call, path)
        return
    end = _literal_end(path)
    if end is not None and not end.endswith(SUFFIX) and not end.endswith((".keras", "}")):
        ctx.report(path, f"Keras 3 saves weights only to {SUFFIX} files: this path ends in {end!r}")


def _named(ctx, call, name):
    bound = [n for n in ast.walk(ctx.tree) if isinstance(n, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For,
                                                            ast.With, ast.FunctionDef, ast.arguments))
             and _binds(n, name.id)]
    if len(bound) != 1 or not isinstance(bound[0], ast.Assign) or len(bound[0].targets) != 1:
        return
    stmt = bound[0]
    value = keras.string_value(stmt.value)
    if value is None or value.endswith(SUFFIX) or value.endswith(".keras"):
        return
    if value.lower().endswith((".h5", ".hdf5")):
        return  # TFK003's business for literals; an h5 name says what it holds
    uses = [n for n in ast.walk(ctx.tree) if isinstance(n, ast.Name) and n.id == name.id
            and isinstance(n.ctx, ast.Load)]
    weights_calls = [c for c in ast.walk(ctx.tree) if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute)
                     and c.func.attr in ("save_weights", "load_weights") and c.args and
                     isinstance(c.args[0], ast.Name) and c.args[0].id == name.id]
    message = f"Keras 3 saves weights only to {SUFFIX} files: {name.id} is {value!r}"
    if len(weights_calls) != len(uses) or stmt not in ctx.tree.body:
        ctx.report(name, message)
        return
    text = ctx.segment(stmt.value)
    if "\\" in text or text[-1:] not in "'\"" or text.count(text[-1]) != 2:
        ctx.report(name, message)
        return
    edits = [ctx.insert(ctx.span(stmt.value)[1] - 1, SUFFIX)]
    imports = ()
    folder = posixpath.dirname(value)
    if folder:
        makedirs, imports = ctx.spell_module("os", "makedirs")
        end = ctx.span(stmt)[1]
        edits.append(ctx.insert(end, f"{ctx.newline}{makedirs}({folder!r}, exist_ok=True)"))
    loads = any(c.func.attr == "load_weights" for c in weights_calls)
    ctx.report(name, message, fix=ctx.fix(*edits, unsafe=not loads, imports=imports,
                                          description=SUFFIX))


def _binds(node, name) -> bool:
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For)):
        targets = [node.target]
    elif isinstance(node, ast.With):
        targets = [i.optional_vars for i in node.items if i.optional_vars is not None]
    elif isinstance(node, ast.FunctionDef):
        return node.name == name
    else:
        return any(a.arg == name for a in [*node.posonlyargs, *node.args, *node.kwonlyargs])
    return any(isinstance(t, ast.Name) and t.id == name for tgt in targets for t in ast.walk(tgt))


def _literal_end(node):
    if isinstance(node, ast.JoinedStr) and node.values:
        last = node.values[-1]
        return last.value if isinstance(last, ast.Constant) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return keras.string_value(node.right)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "join"
            and node.args):
        return keras.string_value(node.args[-1])
    return None
