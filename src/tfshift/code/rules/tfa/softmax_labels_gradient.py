"""## What it does
Wraps the `labels` of TF1's `tf.nn.softmax_cross_entropy_with_logits` in `tf.stop_gradient`.

## Why is this bad?
In TF1 this function did not backpropagate into `labels`; the TF2 function of the same name
(TF1's `_v2`) does. A model whose labels depend on trainable variables (distillation, soft
targets computed by the network) would train differently after the upgrade.

## Example
```python
loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits)
```
Use instead:
```python
loss = tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=logits)
```

## Fix safety
Safe when `--from` says the code is TF 1.x: it is exactly what TF1 computed. Without `--from`,
unsafe: TF2 code calling this function means the gradient to flow. Labels already wrapped are
left alone, and so are calls that were `softmax_cross_entropy_with_logits_v2` in the user's code
(renamed by TFU001): v2 already backpropagated into labels.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

import ast

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFA004", "TF1 softmax_cross_entropy_with_logits did not backpropagate into labels",
            breaks_at="2.0")


@rule.symbols("tf.nn.softmax_cross_entropy_with_logits")
def stop_gradient(ctx, ref):
    call = ref.call
    if call is None or ctx.written_by_fix(ref.node):
        return  # renamed from softmax_cross_entropy_with_logits_v2: it backpropagated already
    labels = ctx.keyword(call, "labels")
    if labels is None or _stopped(labels.value):
        return
    spelled, imports = ctx.spell("tf.stop_gradient", ref.scopes, prefer=ref.binding, at=ref.stmt)
    edit = ctx.replace(labels.value, f"{spelled}({ctx.segment(labels.value)})")
    ctx.report(labels, "TF1's softmax_cross_entropy_with_logits did not backpropagate into labels; "
               "TensorFlow 2's does: wrap them in tf.stop_gradient",
               fix=ctx.fix(edit, unsafe=not ctx.settings.source_known, imports=imports,
                           description="tf.stop_gradient(labels)"))


def _stopped(node):
    return (isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name))
            and (getattr(node.func, "attr", None) or getattr(node.func, "id", None)) == "stop_gradient")
