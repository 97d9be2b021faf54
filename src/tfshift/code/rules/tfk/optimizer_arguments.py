"""## What it does
Fixes Keras 2 optimizer arguments that Keras 3 rejects or ignores: `lr=` becomes
`learning_rate=`; `decay=` (Keras 2's per-step learning-rate decay) becomes the schedule it
stood for, `keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)`;
`optimizers.legacy.X` and `optimizers.experimental.X` become `optimizers.X`.

## Why is this bad?
Keras 3 raises `ValueError: Argument(s) not recognized: {'lr': 0.1}`, raises `ImportError` for
`keras.optimizers.legacy`, and only warns "Argument `decay` is no longer supported and will be
ignored": the model then trains with a constant learning rate and ends up elsewhere.

## Example
```python
opt = tf.keras.optimizers.SGD(lr=0.1, decay=1e-4)
```
Use instead:
```python
opt = tf.keras.optimizers.SGD(
    learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=1e-4))
```

## Fix safety
Safe: Keras 2 computed `lr / (1 + decay * iterations)`, which is `InverseTimeDecay` with
`decay_steps=1`. `decay=` without an explicit learning rate is reported without a fix.
For code written for TF 2.11 to 2.15 (`--from`), whose new (non-legacy) optimizers accepted
`lr=`, logged a warning and trained with the default learning rate, the safe fix drops `lr=`
(the upgraded code trains exactly as the original did, a run-tested claim); with
`--unsafe-fixes` it becomes `learning_rate=` instead, the rate the author wrote, which trains
differently.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

from tfshift.code import keras
from tfshift.code.renames import Renamer, rename
from tfshift.code.rule import Rule, version_key

rule = Rule(__name__, "TFK005", "Keras 2 optimizer arguments rejected or ignored by Keras 3",
            breaks_at="2.16", keras3_only=True)
OPTIMIZERS = ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl")
NAMESPACES = {f"{root}.optimizers.{ns}": f"{root}.optimizers" for root in keras.ROOTS
              for ns in ("legacy", "experimental")}
NAMESPACE_RENAMER = Renamer({}, NAMESPACES)


@rule.prefixes(*NAMESPACES)
def namespace(ctx, ref):
    rename(ctx, ref, NAMESPACE_RENAMER, "Keras 3 has no optimizers.legacy or optimizers.experimental: "
           f"use {NAMESPACE_RENAMER(ref.qual)}")


@rule.symbols(*keras.paths(*(f"optimizers.{o}" for o in OPTIMIZERS)),
              *(f"{ns}.{o}" for ns in NAMESPACES for o in OPTIMIZERS))
def arguments(ctx, ref):
    call = ref.call
    if call is None:
        return
    lr = ctx.keyword(call, "lr")
    if lr is not None and ctx.keyword(call, "learning_rate") is None:
        # Keras 2.11-2.15's new optimizers popped lr= and trained with the default rate (or the
        # positional one): dropping it keeps that; learning_rate= is what the author meant.
        ignored = version_key(ctx.settings.source) >= (2, 11) and ".legacy." not in ref.qual
        if not ignored:
            ctx.report(lr, "Keras 3 optimizers take learning_rate, not lr",
                       fix=ctx.fix(ctx.rename_keyword(lr, "learning_rate"), description="learning_rate="))
        elif ctx.settings.unsafe:
            ctx.report(lr, f"Keras 3 optimizers take learning_rate, not lr; Keras {ctx.settings.source}'s "
                       "optimizers ignored lr= and trained with the default learning rate, so with "
                       "learning_rate= the code trains differently (as its author meant)",
                       fix=ctx.fix(ctx.rename_keyword(lr, "learning_rate"), unsafe=True,
                                   description="learning_rate="))
        else:
            ctx.report(lr, f"Keras 3 rejects lr=; Keras {ctx.settings.source}'s optimizers ignored it "
                       "and trained with the default learning rate, so it is dropped (the code trains "
                       "as before); with --unsafe-fixes it becomes learning_rate= (the rate written, "
                       "which trains differently)",
                       fix=ctx.fix(ctx.remove_argument(call, lr), description="lr= dropped (it was ignored)"))
        if ignored:
            return  # decay= raised in those optimizers: nothing more to carry
    decay = ctx.keyword(call, "decay")
    if decay is None:
        return
    rate = lr or ctx.keyword(call, "learning_rate")
    rate_node = rate.value if rate is not None else (call.args[0] if call.args else None)
    if rate_node is None:
        ctx.report(decay, "Keras 3 ignores decay=: give learning_rate a "
                   "keras.optimizers.schedules.InverseTimeDecay schedule")
        return
    schedule, imports = ctx.spell("keras.optimizers.schedules.InverseTimeDecay", ref.scopes, at=ref.stmt)
    value = (f"{schedule}({ctx.segment(rate_node)}, decay_steps=1, "
             f"decay_rate={ctx.segment(decay.value)})")
    edits = [ctx.remove_argument(call, decay)]
    if rate is not None:
        edits.append(ctx.replace(rate.value, value))
    else:
        edits.append(ctx.replace(rate_node, value))
    ctx.report(decay, "Keras 3 ignores decay= (the learning rate would stay constant): it is an "
               "InverseTimeDecay schedule", fix=ctx.fix(*edits, imports=imports,
                                                         description="InverseTimeDecay schedule"))
