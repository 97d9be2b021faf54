"""## What it does
Renames the TF1 estimator method `export_savedmodel(...)` to `export_saved_model(...)`.

## Why is this bad?
TensorFlow 1.15 had both names; the TensorFlow 2 estimator only has `export_saved_model`
(`AttributeError: 'Estimator' object has no attribute 'export_savedmodel'`).

## Example
```python
estimator.export_savedmodel("export", serving_input_receiver_fn)
```
Use instead:
```python
estimator.export_saved_model("export", serving_input_receiver_fn)
```

## Fix safety
Safe: `export_savedmodel` called `export_saved_model` in TF 1.15 with the same first five
parameters. Its sixth, `strip_default_attrs` (default False), is gone: the new method always
strips default-valued attributes, which changes the exported graph's text but not what it
computes; a call that passes it is fixed as unsafe (the argument dropped). Any object with an
`export_savedmodel` method, in a file that uses TensorFlow, is taken for an estimator.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later. From 2.16 tf.estimator itself is gone
(TFE001): the renamed code runs on TensorFlow 2.15.
"""

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFE003", "Estimator.export_savedmodel is export_saved_model in TF2", breaks_at="2.0")
FIRST_FIVE = ("export_dir_base", "serving_input_receiver_fn", "assets_extra", "as_text", "checkpoint_path")


@rule.methods("export_savedmodel")
def export(ctx, ref):
    call = ref.call
    if call is None or ctx.has_star(call) or not keras.uses_tensorflow_or_keras(ctx):
        return
    edits = [ctx.replace(_name_span(ctx, ref.node), "export_saved_model")]
    strip = ctx.argument(call, 5, "strip_default_attrs")
    if len(call.args) > 6 or any(k.arg not in (*FIRST_FIVE, "strip_default_attrs") for k in call.keywords):
        ctx.report(ref.node, "export_savedmodel is export_saved_model in TensorFlow 2; this call passes "
                   "arguments it does not take: rename it by hand")
        return
    if strip is not None:
        edits.append(ctx.remove_argument(call, ctx.keyword(call, "strip_default_attrs") or strip))
    ctx.report(ref.node, "Estimator.export_savedmodel is export_saved_model in TensorFlow 2",
               fix=ctx.fix(*edits, unsafe=strip is not None, description="export_saved_model"))


def _name_span(ctx, node):
    end = ctx.span(node)[1]
    return end - len(node.attr), end
