"""## What it does
Turns TF1's `tf.nn.dropout(x, keep_prob)` into TF2's `tf.nn.dropout(x, rate=1 - keep_prob)`.

## Why is this bad?
TF2's `tf.nn.dropout` takes the probability of *dropping* a unit (`rate`), not of keeping it.
`keep_prob=` is rejected; worse, a positional `tf.nn.dropout(x, 0.9)` is accepted and drops 90%
of the units instead of 10%.

## Example
```python
h = tf.nn.dropout(h, keep_prob=0.8)
h = tf.nn.dropout(h, keep)
```
Use instead:
```python
h = tf.nn.dropout(h, rate=1 - 0.8)
h = tf.nn.dropout(h, rate=1 - keep)
```

## Fix safety
Safe for `keep_prob=`. For a positional second argument, safe when `--from` says the code is
TF 1.x, otherwise unsafe: in code written for TF2 that argument already is the rate. A call that
already passes `rate=` is left alone.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

import ast

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFA003", "tf.nn.dropout takes rate, not keep_prob, in TF2", breaks_at="2.0")
_ATOMS = (ast.Name, ast.Constant, ast.Attribute, ast.Call, ast.Subscript)


@rule.symbols("tf.nn.dropout")
def dropout(ctx, ref):
    call = ref.call
    if call is None or ctx.keyword(call, "rate") is not None:
        return
    keep = ctx.keyword(call, "keep_prob")
    if keep is not None:
        value = ctx.segment(keep.value)
        edit = ctx.replace(keep, f"rate=1 - {_wrap(keep.value, value)}")
        ctx.report(keep, "tf.nn.dropout takes rate=1 - keep_prob in TensorFlow 2",
                   fix=ctx.fix(edit, description="rate=1 - keep_prob"))
    elif (len(call.args) >= 2 and not isinstance(call.args[1], ast.Starred)
          and not ctx.keywords_given(call, ("noise_shape", "seed", "name")[:len(call.args) - 2])):
        arg = call.args[1]
        value = ctx.segment(arg)
        edit = ctx.replace(arg, f"rate=1 - {_wrap(arg, value)}")
        # Later positional arguments would follow a keyword: name them too.
        later = [ctx.insert(ctx.span(a)[0], f"{n}=") for a, n in
                 zip(call.args[2:], ("noise_shape", "seed", "name"), strict=False)]
        ctx.report(arg, "the second argument of TF1's tf.nn.dropout is keep_prob; TensorFlow 2 "
                   "reads it as rate", fix=ctx.fix(edit, *later, unsafe=not ctx.settings.source_known,
                                                   description="rate=1 - keep_prob"))


def _wrap(node, text):
    return text if isinstance(node, _ATOMS) else f"({text})"
