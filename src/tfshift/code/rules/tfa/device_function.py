"""## What it does
Finds TF1 calls of `tf.device` given a device function instead of a device string (a `lambda`,
a function defined in the file, `tf.train.replica_device_setter(...)`) and points them to
`tf.compat.v1.device`. An argument that may be a function (a name or call whose name says so:
`device_fn`, `self._device_setter`) gets the same fix, marked unsafe. Strings, f-strings and
string formatting are left alone.

## Why is this bad?
TF2's `tf.device` takes only a device name: a function raises `RuntimeError: tf.device does not
support functions`. `tf.compat.v1.device` is TF1's, which still accepts device functions in
graph mode (TFG001 switches graph-mode programs to it). tf_upgrade_v2 moves every call whose
argument is not a string literal; this rule only those where a function can be seen.

## Example
```python
with tf.device(tf.compat.v1.train.replica_device_setter(ps_tasks=2)):
    w = tf.Variable(tf.zeros([10]))
```
Use instead:
```python
with tf.compat.v1.device(tf.compat.v1.train.replica_device_setter(ps_tasks=2)):
    w = tf.Variable(tf.zeros([10]))
```

## Fix safety
Safe when the argument is visibly a function: `tf.compat.v1.device` is TF1's `tf.device`.
Unsafe when the name only suggests a function. Device functions work in graph mode only: eager
TF2 code has to place operations with device strings.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

import ast

from tfshift.code.names import dotted
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFA009", "tf.device takes no device function in TF2", breaks_at="2.0")
_SETTERS = ("replica_device_setter", "device_setter")
_HINTS = ("fn", "func", "setter", "chooser")


@rule.symbols("tf.device")
def device(ctx, ref):
    call = ref.call
    if call is None or ctx.has_star(call):
        return
    arg = ctx.argument(call, 0, "device_name_or_function")
    if arg is None or _is_string(arg):
        return
    certain = isinstance(arg, ast.Lambda) or _setter_call(arg) or _function_defined(ctx, arg)
    if not certain and not _named_like_function(arg):
        return
    spelled, imports = ctx.spell("tf.compat.v1.device", ref.scopes, prefer=ref.binding, at=ref.stmt)
    edits = [ctx.replace(ref.node, spelled)]
    ctx.report(ref.node, "TensorFlow 2's tf.device takes only device names, not device functions: use "
               "tf.compat.v1.device (graph mode)", fix=ctx.fix(*edits, unsafe=not certain, imports=imports,
                                                              description="tf.compat.v1.device"))


def _is_string(node):
    if isinstance(node, ast.Constant):
        return node.value is None or isinstance(node.value, (str, bytes))
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
        return _is_string(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _is_string(node.func.value)
    return False


def _setter_call(node):
    if not isinstance(node, ast.Call):
        return False
    parts = dotted(node.func)
    return bool(parts) and parts[-1] in _SETTERS


def _function_defined(ctx, node):
    if not isinstance(node, ast.Name):
        return False
    defined = ctx.state().get("functions")
    if defined is None:
        defined = ctx.state()["functions"] = {
            n.name for n in ast.walk(ctx.tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return node.id in defined


def _named_like_function(node):
    if isinstance(node, ast.Call):
        node = node.func
    parts = dotted(node)
    if not parts:
        return False
    words = parts[-1].lower().strip("_").split("_")
    return any(word in _HINTS for word in words)
