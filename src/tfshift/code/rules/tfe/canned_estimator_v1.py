"""## What it does
Points TF1 calls of the canned estimators (`tf.estimator.DNNClassifier`, `LinearRegressor`,
`DNNLinearCombinedClassifier`, `BaselineClassifier`...) to their TF1 classes under
`tf.compat.v1.estimator`. The `*Estimator` variants (`DNNEstimator`, `LinearEstimator`...), which
take a head instead of a loss reduction, are moved only when they pass an optimizer or
`input_layer_partitioner`.

## Why is this bad?
TensorFlow 2's canned estimators are other classes under the same names: their
`loss_reduction` default is `SUM_OVER_BATCH_SIZE` where TF1's was `SUM` (the loss and its
gradients shrink by the batch size, so training takes other steps), their optimizers are Keras
optimizers (TF1's `tf.train` optimizers are rejected, and an optimizer given by name is the
Keras one, with other defaults), and they take no `input_layer_partitioner`. tf_upgrade_v2
adds `loss_reduction=tf.keras.losses.Reduction.SUM` and moves calls with an optimizer to
`tf.compat.v1`; TF1's class keeps every default at once.

## Example
```python
est = tf.estimator.DNNClassifier(hidden_units=[16], feature_columns=columns)
```
Use instead:
```python
est = tf.compat.v1.estimator.DNNClassifier(hidden_units=[16], feature_columns=columns)
```

## Fix safety
Safe when `--from` says the code is TF 1.x: `tf.compat.v1.estimator.X` is TF1's class, with
TF1's defaults. Without `--from`, unsafe: code written for TF2 means TF2's class. Estimator
code runs on TensorFlow 2.15 at the latest (TFE001).

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

from tfshift.code.renames import Renamer, rename
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFE002", "TF2's canned estimators changed loss_reduction and optimizer defaults",
            breaks_at="2.0")
MODELS = ("Baseline", "DNN", "Linear", "DNNLinearCombined")
# Classifiers and regressors: TF2 changed their loss_reduction default.
REDUCING = tuple(f"tf.estimator.{m}{kind}" for m in MODELS for kind in ("Classifier", "Regressor"))
# Estimators with a head: moved only for the arguments TF2 changed (tf_upgrade_v2's list).
HEADED = {f"tf.estimator.{m}Estimator": ("optimizer", "input_layer_partitioner", "dnn_optimizer",
                                         "linear_optimizer") for m in MODELS}
RENAMER = Renamer({qual: "tf.compat.v1." + qual[3:] for qual in REDUCING})


@rule.symbols(*REDUCING)
def reducing(ctx, ref):
    """Every reference, imports included: the whole file should mean TF1's class."""
    name = ref.qual.rpartition(".")[2]
    rename(ctx, ref, RENAMER, f"TensorFlow 2's {name} is another class: loss_reduction defaults to "
           "SUM_OVER_BATCH_SIZE (TF1's summed the loss) and optimizers are Keras ones: use TF1's "
           f"class, {RENAMER(ref.qual)}", unsafe=not ctx.settings.source_known)


@rule.symbols(*HEADED)
def headed(ctx, ref):
    call = ref.call
    if call is None:
        return
    passed = [k.arg for k in call.keywords if k.arg in HEADED[ref.qual]]
    if not passed:
        return
    name = ref.qual.rpartition(".")[2]
    new = f"tf.compat.v1.estimator.{name}"
    spelled, imports = ctx.spell(new, ref.scopes, prefer=ref.binding, at=ref.stmt)
    ctx.report(ref.node, f"TensorFlow 2's {name} takes Keras optimizers and no input_layer_partitioner "
               f"(this call passes {', '.join(passed)}): use TF1's class, {new}",
               fix=ctx.fix(ctx.replace(ref.node, spelled), unsafe=not ctx.settings.source_known,
                           imports=imports, description=f"use {new}"))
