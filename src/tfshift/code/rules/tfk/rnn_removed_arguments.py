"""## What it does
Finds the RNN arguments Keras 3 removed: `time_major=` of `RNN`, `LSTM`, `GRU` and `SimpleRNN`,
and `constants=` passed when calling an RNN layer. `time_major=False`, Keras 2's default, is
removed; the others are reported.

## Why is this bad?
Keras 3 raises `ValueError: Unrecognized keyword arguments passed to LSTM: {'time_major':
True}`; `constants` (a Theano remnant) is gone from `RNN.call`.

## Example
```python
layer = tf.keras.layers.LSTM(32, time_major=False)
```
Use instead:
```python
layer = tf.keras.layers.LSTM(32)
```

## Fix safety
Safe for `time_major=False`, which changes nothing. `time_major=True` has no fix: the inputs
must be transposed to batch-major (`keras.ops.transpose(x, (1, 0, 2))`) before the layer and
the outputs back after it. `constants=` has no fix: pass the constants as part of the inputs
and give the cell a `call` that splits them off.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK045", "RNN time_major and constants removed in Keras 3", breaks_at="2.16",
            keras3_only=True)
RNNS = ("RNN", "LSTM", "GRU", "SimpleRNN", "CuDNNLSTM", "CuDNNGRU", "ConvLSTM2D", "ConvLSTM1D",
        "ConvLSTM3D")


@rule.symbols(*keras.paths(*(f"layers.{n}" for n in RNNS)))
def rnn(ctx, ref):
    call = ref.call
    if call is None:
        return
    time_major = ctx.keyword(call, "time_major")
    if time_major is not None:
        value = time_major.value
        if isinstance(value, ast.Constant) and value.value is False:
            ctx.report(time_major, "Keras 3's RNN layers take no time_major (False was the default)",
                       fix=ctx.fix(ctx.remove_argument(call, time_major), description="remove time_major="))
        else:
            ctx.report(time_major, "Keras 3's RNN layers take no time_major: transpose the inputs "
                       "to batch-major (keras.ops.transpose(x, (1, 0, 2))) and the outputs back")
    outer = ctx.parent(call)
    if isinstance(outer, ast.Call) and outer.func is call:
        _constants(ctx, outer)


def _constants(ctx, call):
    constants = ctx.keyword(call, "constants")
    if constants is not None:
        ctx.report(constants, "Keras 3's RNN layers take no constants: pass them with the inputs")


@rule.finish
def named_layers(ctx):
    """`rnn = LSTM(...)` then `rnn(x, constants=c)`."""
    if "constants=" not in ctx.text:
        return
    names = set()
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            qual = ctx.bindings.resolve(node.value.func, ())
            tail = keras.suffix(qual) if qual else None
            if tail and tail.startswith("layers.") and tail[7:] in RNNS:
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    if not names:
        return
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
            _constants(ctx, node)
