"""## What it does
Keeps TF1's checkpoint format for `tf.keras.estimator.model_to_estimator`: calls without
`checkpoint_format` get `checkpoint_format="saver"`.

## Why is this bad?
TF 1.x wrote name-based (`tf.train.Saver`) checkpoints; TensorFlow 2 defaults to object-based
checkpoints (`checkpoint_format="checkpoint"`), which the estimator's existing model_dir and
other TF1 code cannot read by variable name.

## Example
```python
est = tf.keras.estimator.model_to_estimator(keras_model=model, model_dir=d)
```
Use instead:
```python
est = tf.keras.estimator.model_to_estimator(keras_model=model, model_dir=d, checkpoint_format="saver")
```

## Fix safety
Safe: it is TF 1.x's default, spelled out.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 to 2.15 (from 2.16 `tf.keras.estimator` is
gone: TFE001).
"""

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFE004", "model_to_estimator's checkpoint format changed in TF2", breaks_at="2.0",
            until="2.15", severity="warning")


@rule.symbols("tf.keras.estimator.model_to_estimator", "tf.compat.v1.keras.estimator.model_to_estimator")
def checkpoint_format(ctx, ref):
    call = ref.call
    if call is None or ctx.has_star(call) or ctx.argument(call, 5, "checkpoint_format") is not None:
        return
    ctx.report(ref.node, "TensorFlow 2's model_to_estimator writes object-based checkpoints; TF 1.x "
               "wrote name-based ones: keep them with checkpoint_format=\"saver\"",
               fix=ctx.fix(ctx.add_argument(call, 'checkpoint_format="saver"'),
                           description='checkpoint_format="saver"'))
