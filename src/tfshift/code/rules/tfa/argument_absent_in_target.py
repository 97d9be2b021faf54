"""## What it does
For any `--from`/`--to` pair, checks the keyword arguments of calls to TensorFlow and Keras
functions against the target release's signature (from the API database). A keyword the
target renamed is renamed (`keep_dims=` to `keepdims=`, when the two signatures show the
rename); one it dropped is reported. Calls with more positional arguments than the target
takes are reported too. With `--keras2`, `tf.keras.X` is checked against tf-keras's
signature on targets from 2.16.

## Why is this bad?
The call raises `TypeError: got an unexpected keyword argument` (or `takes N positional
arguments`) on the target.

## Example
```python
tf.reduce_sum(x, keep_dims=True)
```
Use instead:
```python
tf.reduce_sum(x, keepdims=True)
```

## Fix safety
Safe for a rename the database derives from the two signatures with evidence that it is one:
the old parameter is gone, the new one is there, and the release's own deprecation note names
it, or the two are spellings of one word (`filter`/`filters`), or it is one of TensorFlow's
conventional renames (`keep_dims`/`keepdims`, `dim`/`axis`, `squeeze_dims`/`axis`,
`value`/`input`); and the two defaults are of one kind. A parameter that only took the place of
a removed one is not taken for its new name (`tf.ones_like`'s `optimize` is not 2.16's
`layout`; `extract_glimpse`'s boolean `uniform_noise` is not TF2's string `noise`): that call
is reported for a person. No fix for a dropped argument. Functions that take `**kwargs` on the
target are skipped, and findings of other rules win: at the same argument, or at the called
function (a rule that rewrites the call, or moves it to `tf.compat.v1`, owns its arguments;
TFA006 and TFA007 rewrite those two calls the way tf_upgrade_v2 does).

## Versions affected
Any pair of releases (see TFU100 for the releases the database holds).
"""

from tfshift.code import apidb
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFA100", "argument absent or renamed in the target release (API database)",
            breaks_at=None)
_POSITIONAL = ("positional_only", "positional_or_keyword")


@rule.prefixes("tf", "keras", "tf_keras")
def collect(ctx, ref):
    if ref.call is not None:
        ctx.state().setdefault("calls", []).append(ref)


@rule.finish
def decide(ctx):
    source, target = apidb.versions(ctx.settings)
    if source == target:
        return
    for ref in ctx.state().get("calls", ()):
        qual, call = ref.qual, ref.call
        there = apidb.in_target(qual, ctx.settings)
        old = apidb.signature(qual, source)
        new = apidb.signature(there, target)
        if old is None or new is None or any(p.kind == "var_keyword" for p in new.params):
            continue
        if apidb.others_reported(ctx, call.func, fixing=True):
            continue  # a hand-written rule rewrites this call (renames it, moves it to compat.v1)
        names = set(new.names)
        renames = None
        for keyword in call.keywords:
            if keyword.arg is None or keyword.arg in names or keyword.arg not in old.names:
                continue
            if apidb.others_reported(ctx, keyword):
                continue
            if renames is None:
                renames = apidb.arg_renames(qual, source, target, there)
            replacement = renames.get(keyword.arg)
            if replacement and ctx.keyword(call, replacement) is None:
                ctx.report(keyword, f"{qual} calls `{keyword.arg}` `{replacement}` in TensorFlow {target}",
                           fix=ctx.fix(ctx.rename_keyword(keyword, replacement),
                                       description=f"{replacement}="))
            else:
                ctx.report(keyword, f"{qual} takes no `{keyword.arg}` in TensorFlow {target}")
        positional = [p for p in new.params if p.kind in _POSITIONAL]
        if (len(call.args) > len(positional) and not any(p.kind == "var_positional" for p in new.params)
                and not ctx.has_star(call) and not apidb.others_reported(ctx, call.func)):
            ctx.report(call.func, f"{qual} takes at most {len(positional)} positional arguments in "
                       f"TensorFlow {target}; this call passes {len(call.args)}")
