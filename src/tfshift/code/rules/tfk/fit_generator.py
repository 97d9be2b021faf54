"""## What it does
Turns `model.fit_generator(...)`, `evaluate_generator(...)` and `predict_generator(...)` into
`fit`, `evaluate` and `predict`, naming the positional arguments after the old signature.

## Why is this bad?
The `*_generator` methods were deprecated in TF 2.1 (`fit` takes generators and
`keras.utils.Sequence`) and Keras 3 removed them: `AttributeError`.

## Example
```python
model.fit_generator(batches, 100, 5)
```
Use instead:
```python
model.fit(batches, steps_per_epoch=100, epochs=5)
```

## Fix safety
Safe: `fit` on a generator is what `fit_generator` called since TF 2.1. The arguments
`workers`, `use_multiprocessing` and `max_queue_size` are handled by TFK006. A call whose
positional arguments do not match `fit_generator`'s own (a function of that name taking the
model first) is reported without a fix.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK004", "fit_generator and friends removed in Keras 3", breaks_at="2.16",
            keras3_only=True)
SIGNATURES = {
    "fit_generator": ("fit", ("x", "steps_per_epoch", "epochs", "verbose", "callbacks",
                              "validation_data", "validation_steps", "validation_freq",
                              "class_weight", "max_queue_size", "workers", "use_multiprocessing",
                              "shuffle", "initial_epoch")),
    "evaluate_generator": ("evaluate", ("x", "steps", "callbacks", "max_queue_size", "workers",
                                        "use_multiprocessing", "verbose")),
    "predict_generator": ("predict", ("x", "steps", "callbacks", "max_queue_size", "workers",
                                      "use_multiprocessing", "verbose")),
}


@rule.methods(*SIGNATURES)
def generator_method(ctx, ref):
    new, params = SIGNATURES[ref.attr]
    end = ctx.span(ref.node)[1]
    edits = [ctx.replace((end - len(ref.attr), end), new)]
    call = ref.call
    if call is not None:
        if (any(isinstance(a, ast.Starred) for a in call.args) or len(call.args) > len(params)
                or ctx.keywords_given(call, params[1:len(call.args)])):
            ctx.report(ref.node, f"Keras 3 has no {ref.attr}: use {new}, naming the arguments by hand")
            return
        edits += [ctx.insert(ctx.span(a)[0], f"{params[i]}=") for i, a in enumerate(call.args) if i]
        generator = ctx.keyword(call, "generator")
        if generator is not None:
            edits.append(ctx.rename_keyword(generator, "x"))
    if ctx.text[end - len(ref.attr):end] != ref.attr:
        return
    ctx.report(ref.node, f"Keras 3 has no {ref.attr}: {new} takes generators",
               fix=ctx.fix(*edits, description=f"use {new}"))
