"""## What it does
Rewrites `tf.data.Dataset.from_generator(gen, output_types=..., output_shapes=...)` with
`output_signature=`: each dtype and shape pair becomes a `tf.TensorSpec`, in the same tuple or
dict structure.

## Why is this bad?
`output_types` and `output_shapes` are deprecated since TensorFlow 2.4 ("Use output_signature
instead") and cannot describe ragged or sparse elements; `output_signature` is the form every
TF2 release since 2.4 documents.

## Example
```python
ds = tf.data.Dataset.from_generator(gen, output_types=(tf.float32, tf.int64),
                                    output_shapes=((None, 3), ()))
```
Use instead:
```python
ds = tf.data.Dataset.from_generator(gen, output_signature=(
    tf.TensorSpec(shape=(None, 3), dtype=tf.float32), tf.TensorSpec(shape=(), dtype=tf.int64)))
```

## Fix safety
Safe: the dataset yields the same elements with the same dtypes and shapes. Only written out
when both structures are literals (tuples, lists, dicts, names) whose shapes line up; otherwise
reported without a fix.

## Versions affected
Targets 2.4 and later, whatever `--from` says: code written for 2.4 or later may still pass
the deprecated arguments.
"""

import ast

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFI001", "from_generator output_types/output_shapes deprecated for output_signature",
            breaks_at="2.4", severity="warning", any_source=True)


@rule.symbols("tf.data.Dataset.from_generator", "tf.compat.v2.data.Dataset.from_generator")
def from_generator(ctx, ref):
    call = ref.call
    if call is None or ctx.keyword(call, "output_signature") is not None or ctx.has_star(call):
        return
    types = ctx.argument(call, 1, "output_types")
    shapes = ctx.argument(call, 2, "output_shapes")
    if types is None:
        return
    spec, imports = ctx.spell("tf.TensorSpec", ref.scopes, prefer=ref.binding, at=ref.stmt)
    signature = _signature(ctx, spec, types, shapes)
    anchor = next(k for k in call.keywords if k.value is types) if types not in call.args else types
    if signature is None:
        ctx.report(anchor, "from_generator's output_types/output_shapes are deprecated: "
                   "describe the elements with output_signature=tf.TensorSpec(...)")
        return
    edits = []
    nodes = [n for n in (types, shapes) if n is not None]
    keywords = {k.value: k for k in call.keywords}
    # Replace the first of the two with output_signature=..., remove the other.
    first = keywords.get(nodes[0], nodes[0])
    edits.append(ctx.replace(first, f"output_signature={signature}"))
    if len(nodes) == 2:
        edits.append(ctx.remove_argument(call, keywords.get(nodes[1], nodes[1])))
    later = [a for a in call.args[3:]]
    for arg, name in zip(later, ("args",), strict=False):
        edits.append(ctx.insert(ctx.span(arg)[0], f"{name}="))
    if len(call.args) > 4:
        return
    ctx.report(anchor, "from_generator's output_types/output_shapes are deprecated: use output_signature",
               fix=ctx.fix(*edits, imports=imports, description="output_signature"))


def _signature(ctx, spec, types, shapes):
    if isinstance(types, (ast.Tuple, ast.List)):
        if shapes is not None and not (isinstance(shapes, (ast.Tuple, ast.List))
                                       and len(shapes.elts) == len(types.elts)):
            return None
        parts = [_signature(ctx, spec, t, shapes.elts[i] if shapes is not None else None)
                 for i, t in enumerate(types.elts)]
        if any(p is None for p in parts):
            return None
        return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
    if isinstance(types, ast.Dict):
        if shapes is not None and not isinstance(shapes, ast.Dict):
            return None
        shape_of = {}
        if shapes is not None:
            for key, value in zip(shapes.keys, shapes.values, strict=True):
                if not isinstance(key, ast.Constant):
                    return None
                shape_of[key.value] = value
        parts = []
        for key, value in zip(types.keys, types.values, strict=True):
            if not isinstance(key, ast.Constant) or (shapes is not None and key.value not in shape_of):
                return None
            inner = _signature(ctx, spec, value, shape_of.get(key.value))
            if inner is None:
                return None
            parts.append(f"{ctx.segment(key)}: {inner}")
        return "{" + ", ".join(parts) + "}"
    if not isinstance(types, (ast.Attribute, ast.Name)):
        return None
    shape = "None" if shapes is None else ctx.segment(shapes)
    if shapes is not None and not _is_shape(shapes):
        return None
    return f"{spec}(shape={shape}, dtype={ctx.segment(types)})"


def _is_shape(node):
    if isinstance(node, (ast.Tuple, ast.List)):
        return all((isinstance(e, ast.Constant) and (e.value is None or isinstance(e.value, int)))
                   or isinstance(e, (ast.Name, ast.Attribute, ast.UnaryOp, ast.BinOp))
                   for e in node.elts)
    return isinstance(node, ast.Call) or (isinstance(node, ast.Constant) and node.value is None)
