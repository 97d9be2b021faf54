"""## What it does
Keeps TF1 calls of `tf.strings.split` returning what they returned: a `SparseTensor`. TF2's
function returns a `RaggedTensor`, so the fix appends `.to_sparse()`; `result_type="SparseTensor"`
is dropped (with `.to_sparse()`), `result_type="RaggedTensor"` is dropped and the call spelled
`tf.compat.v2.strings.split` (TF2's function, which no later run mistakes for TF1's), and
`source=` becomes `input=`. A `result_type` that is not a string literal sends the call to
`tf.compat.v1.strings.split`. This is what tf_upgrade_v2 does.

## Why is this bad?
TF2's `tf.strings.split` takes no `result_type` (`TypeError`) and returns a `RaggedTensor`;
code written for TF1's `SparseTensor` (`.indices`, `.values`, `tf.sparse.*`) fails or computes
something else on it.

## Example
```python
words = tf.strings.split(lines, sep=" ")
```
Use instead:
```python
words = tf.strings.split(lines, sep=" ").to_sparse()
```

## Fix safety
Safe: `RaggedTensor.to_sparse()` gives the `SparseTensor` TF1's function returned. When nothing
in the call itself is TF1-only (`result_type`, `source`), safe only if `--from` says the code is
TF 1.x: TF2 code means the `RaggedTensor`. A call whose result already goes through
`.to_sparse()` is left alone.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

import ast

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFA008", "tf.strings.split returns a RaggedTensor in TF2", breaks_at="2.0")


@rule.symbols("tf.strings.split")
def split(ctx, ref):
    call = ref.call
    if call is None or _already_sparse(ctx, call):
        return
    if ctx.has_star(call) or len(call.args) > 4:
        ctx.report(ref.node, "TensorFlow 2's tf.strings.split returns a RaggedTensor and takes no "
                   "result_type: check this call by hand")
        return
    result_type = ctx.argument(call, 3, "result_type")
    source = ctx.keyword(call, "source")
    tf1_only = result_type is not None or source is not None
    unsafe = not tf1_only and not ctx.settings.source_known
    kind = result_type.value if isinstance(result_type, ast.Constant) else None
    if result_type is not None and kind not in ("SparseTensor", "RaggedTensor"):
        spelled, imports = ctx.spell("tf.compat.v1.strings.split", ref.scopes, prefer=ref.binding, at=ref.stmt)
        ctx.report(ref.node, "TensorFlow 2's tf.strings.split takes no result_type: use "
                   "tf.compat.v1.strings.split", fix=ctx.fix(ctx.replace(ref.node, spelled), imports=imports,
                                                             description="tf.compat.v1.strings.split"))
        return
    edits, imports = [], ()
    if result_type is not None:
        edits += ctx.remove_arguments(call, [_argument(call, result_type)])
    if source is not None and ctx.keyword(call, "input") is None:
        edits.append(ctx.rename_keyword(source, "input"))
    if kind == "RaggedTensor":
        # Spelled through tf.compat.v2, so that no later run takes it for a TF1 call.
        spelled, imports = ctx.spell("tf.compat.v2.strings.split", ref.scopes, prefer=ref.binding, at=ref.stmt)
        edits.append(ctx.replace(ref.node, spelled))
        message = "TensorFlow 2's tf.strings.split returns a RaggedTensor and takes no result_type"
        description = "tf.compat.v2.strings.split without result_type"
    else:
        edits.append(ctx.insert(ctx.span(call)[1], ".to_sparse()"))
        message = ("TensorFlow 2's tf.strings.split returns a RaggedTensor; TF1's returned a "
                   "SparseTensor: add .to_sparse()")
        description = ".to_sparse()"
    ctx.report(ref.node, message, fix=ctx.fix(*edits, unsafe=unsafe, imports=imports, description=description))


def _already_sparse(ctx, call):
    parent = ctx.parent(call)
    return isinstance(parent, ast.Attribute) and parent.attr == "to_sparse"


def _argument(call, value):
    for keyword in call.keywords:
        if keyword.value is value:
            return keyword
    return value
