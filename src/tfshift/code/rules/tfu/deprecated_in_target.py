"""## What it does
For any `--from`/`--to` pair, finds symbols and keyword arguments that the target release marks
as deprecated (from the API database: the release's own deprecation notice), and shows the
notice. With `--keras2`, `tf.keras.X` is looked up as tf-keras's `tf_keras.X` on targets from
2.16.

## Why is this bad?
Deprecated APIs still work on the target but print warnings and are the next to be removed;
some already behave differently (`from_generator`'s `output_types` cannot describe ragged
elements).

## Example
```python
ds = tf.data.Dataset.from_generator(gen, output_types=tf.float32)  # --to 2.21
```
TensorFlow 2.21 says: "Use output_signature instead".

## Fix safety
No fix from this rule; where a hand-written rule has one (TFI001 for `from_generator`), that
rule reports it and this one stays quiet.

## Versions affected
Any pair of releases (see TFU100 for the releases the database holds).
"""

from tfshift.code import apidb
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFU101", "symbol or argument deprecated in the target release (API database)",
            breaks_at=None, severity="warning", fix="none")


@rule.prefixes("tf", "keras", "tf_keras")
def collect(ctx, ref):
    if not ref.is_import and apidb.judged_at_use(ref, ctx.settings):
        ctx.state().setdefault("refs", []).append(ref)


@rule.finish
def decide(ctx):
    source, target = apidb.versions(ctx.settings)
    for ref in ctx.state().get("refs", ()):
        qual = ref.qual
        there = apidb.in_target(qual, ctx.settings)
        if not apidb.exists(there, target) or apidb.others_reported(ctx, ref.node):
            continue
        notice = apidb.deprecation(there, target)
        if notice and not apidb.deprecation(qual, source):
            ctx.report(ref.node, f"{qual} is deprecated in TensorFlow {target}: {_short(notice)}")
            continue
        if ref.call is None:
            continue
        args = apidb.deprecated_args(there, target)
        for keyword in ref.call.keywords:
            if keyword.arg in args and not apidb.others_reported(ctx, keyword):
                ctx.report(keyword, f"{qual}'s `{keyword.arg}` is deprecated in TensorFlow {target}: "
                           f"{_short(args[keyword.arg])}")


def _short(text):
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "..."
