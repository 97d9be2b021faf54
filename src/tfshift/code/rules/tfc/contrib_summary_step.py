"""## What it does
Gives the `tf.contrib.summary` writing functions (`scalar`, `histogram`, `image`, `audio`,
`generic`) called without a step the step TF1 used, `step=tf.compat.v1.train.get_or_create_global_step()`,
and `always_record_summaries()`/`never_record_summaries()` the condition (`True`/`False`) of
`record_if`, which TFC003 moves them to. This is what tf_upgrade_v2 does.

## Why is this bad?
TFC003 moves these functions to `tf.compat.v2.summary`, where a missing step is not the global
step but the default step (`tf.summary.experimental.set_step`): unset, writing raises
`ValueError: No step set`. `record_if` requires its condition: `TypeError`.

## Example
```python
tf.contrib.summary.scalar("loss", loss)
with tf.contrib.summary.always_record_summaries():
    tf.contrib.summary.histogram("w", w)
```
Use instead (with TFC003):
```python
tf.compat.v2.summary.scalar("loss", loss, step=tf.compat.v1.train.get_or_create_global_step())
with tf.compat.v2.summary.record_if(True):
    tf.compat.v2.summary.histogram("w", w, step=tf.compat.v1.train.get_or_create_global_step())
```

## Fix safety
Safe: TF1's contrib functions wrote at `get_or_create_global_step()` when given no step, and
`always_record_summaries()` is `record_if(True)`.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFC005", "tf.contrib.summary calls need a step (and record_if a condition) in TF2",
            breaks_at="2.0")
# Where `step` is in each TF1 signature.
STEP = {"scalar": 3, "histogram": 3, "generic": 4, "image": 5, "audio": 5}
RECORD = {"always_record_summaries": "True", "never_record_summaries": "False"}


@rule.symbols(*(f"tf.contrib.summary.{name}" for name in (*STEP, *RECORD)))
def summary(ctx, ref):
    call = ref.call
    if call is None or ctx.has_star(call):
        return
    name = ref.qual.rpartition(".")[2]
    if name in RECORD:
        if call.args or call.keywords:
            return
        ctx.report(ref.node, f"{name}() is record_if({RECORD[name]}) in TensorFlow 2",
                   fix=ctx.fix(ctx.add_argument(call, RECORD[name]), description=f"record_if({RECORD[name]})"))
        return
    if ctx.keyword(call, "step") is not None or len(call.args) > STEP[name]:
        return
    step, imports = ctx.spell("tf.compat.v1.train.get_or_create_global_step", ref.scopes,
                              prefer=ref.binding, at=ref.stmt)
    ctx.report(ref.node, f"tf.contrib.summary.{name} wrote at the global step; TensorFlow 2's summaries "
               "need the step: pass it", fix=ctx.fix(ctx.add_argument(call, f"step={step}()"), imports=imports,
                                                     description="step=get_or_create_global_step()"))
