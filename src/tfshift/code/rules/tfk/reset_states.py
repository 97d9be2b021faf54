"""## What it does
Finds `metric.reset_states()`, Keras 2's old name for resetting a metric, which Keras 3
removed, and renames it `reset_state()`.

## Why is this bad?
Keras 3 metrics have only `reset_state()`: `reset_states()` raises `AttributeError: 'Mean'
object has no attribute 'reset_states'` (TensorFlow's own quickstart for experts calls it in
its training loop). Keras 2 metrics had both, the same method under two names. Keras 3
recurrent layers keep both names; a Keras 2 `Model.reset_states()` (every stateful layer of
the model) has no Keras 3 counterpart.

## Example
```python
train_loss.reset_states()
```
Use instead:
```python
train_loss.reset_state()
```

## Fix safety
Safe: Keras 2's `Metric.reset_states()` called `reset_state()`, and Keras 3's recurrent
layers have `reset_state()` too. Calls with arguments (an RNN's `reset_states(states)`) are
left alone; Keras 3's RNN layers still take them.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK070", "Keras 3 metrics have reset_state(), not reset_states()",
            breaks_at="2.16", keras3_only=True)


@rule.methods("reset_states", words=("reset_states",))
def reset_states(ctx, ref):
    call = ref.call
    if call is None or call.args or call.keywords or not keras.uses_keras(ctx, call):
        return
    end = ctx.span(ref.node)[1]
    if ctx.text[end - len(ref.attr):end] != ref.attr:
        return
    ctx.report(ref.node, "Keras 3 metrics have no reset_states(): use reset_state() (the same "
               "method; Keras 3's recurrent layers have it too)",
               fix=ctx.fix(ctx.replace((end - len(ref.attr), end), "reset_state"),
                           description="reset_state()"))
