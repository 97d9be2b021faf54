"""## What it does
Gives TF1 calls of `tf.nn.dilation2d` and `tf.nn.erosion2d` the `data_format="NHWC"` argument
TensorFlow 2 requires, and names their positional arguments from the fourth on, whose order
changed: `tf.nn.dilation2d(x, f, s, r, "SAME")` becomes
`tf.nn.dilation2d(x, f, s, dilations=r, padding="SAME", data_format="NHWC")`. TFA001 renames
the keywords (`filter`/`kernel` to `filters`, `rates` to `dilations`).

## Why is this bad?
TF2's functions take `(input, filters, strides, padding, data_format, dilations)`: without
`data_format` the call raises `TypeError`, and TF1's positional `rates, padding` land in
`padding, data_format`. tf_upgrade_v2 adds the argument too.

## Example
```python
y = tf.nn.dilation2d(x, kernel, [1, 1, 1, 1], [1, 2, 2, 1], "SAME")
```
Use instead:
```python
y = tf.nn.dilation2d(x, kernel, [1, 1, 1, 1], dilations=[1, 2, 2, 1], padding="SAME", data_format="NHWC")
```

## Fix safety
Safe: `"NHWC"` is the only layout the operations support, and TF1 used it. Naming the
positional arguments is safe when `--from` says the code is TF 1.x, otherwise unsafe (code
written for TF2 passes `padding, data_format` there). Calls that already give `data_format`,
or pass `*args`, are left alone.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

import ast

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFA005", "dilation2d/erosion2d need data_format and reorder their arguments in TF2",
            breaks_at="2.0")
# TF1's parameters from the fourth on, by their TF2 names.
LATER = ("dilations", "padding", "name")


@rule.symbols("tf.nn.dilation2d", "tf.nn.erosion2d")
def data_format(ctx, ref):
    call = ref.call
    if call is None or ctx.keyword(call, "data_format") is not None or ctx.has_star(call):
        return
    later = call.args[3:]
    if len(later) > len(LATER) or (later and _is_padding(later[0])):
        return  # not TF1's signature (TF2's has padding fourth)
    if ctx.keywords_given(call, LATER[:len(later)]):
        return  # already a TypeError: a parameter given twice
    edits = [ctx.insert(ctx.span(arg)[0], f"{name}=") for arg, name in zip(later, LATER, strict=False)]
    edits.append(ctx.add_argument(call, 'data_format="NHWC"'))
    name = ref.qual.rpartition(".")[2]
    message = f"TensorFlow 2's tf.nn.{name} requires data_format (\"NHWC\")"
    if later:
        message += " and takes padding before dilations: name the arguments"
    ctx.report(ref.node, message, fix=ctx.fix(*edits, unsafe=bool(later) and not ctx.settings.source_known,
                                              description='data_format="NHWC"'))


def _is_padding(node):
    return isinstance(node, ast.Constant) and node.value in ("SAME", "VALID")
