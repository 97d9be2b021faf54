"""## What it does
For any `--from`/`--to` pair, finds TensorFlow and Keras symbols the code uses that exist in
the source release and not in the target one, from the API database tfshift builds by
introspecting every release. Where the target has the same object under another name
(`tf.log` is `tf.math.log`; `tf.placeholder` is `tf.compat.v1.placeholder`), it renames the
reference; otherwise it says what the database suggests. With `--keras2`, `tf.keras.X` is
looked up as tf-keras's `tf_keras.X` on targets from 2.16 (`tf.keras.Model.fit_generator` is
still there).

## Why is this bad?
The symbol raises `AttributeError` (or `ImportError`) on the target. The hand-written rules
cover the large known moves (TF1 to TF2, Keras 3); this rule catches every other symbol that
disappeared between two releases, whichever they are.

## Example
```python
y = tf.log(x)                       # --from 1.15 --to 2.21
```
Use instead:
```python
y = tf.math.log(x)
```

## Fix safety
Safe when the new name is the same object (the database records each symbol's canonical path
per release, and they agree) or the same name under `tf.compat.v1` where that was the very
object in the source release, with the same signature in the target (`tf.flags.FLAGS` is
`tf.compat.v1.flags.FLAGS`). Otherwise no fix: the
message names the candidates (a Keras 3 equivalent, a namesake in another module) for a person
to choose from. Hand-written rules win: a symbol one of them handles (tf.estimator, tf.contrib,
the TF1 rename tables) is left to it.

## Versions affected
Any pair of releases. The database holds the releases listed by `tfshift api --info`; for a
minor it does not hold, the nearest older one stands in.
"""

from tfshift.code import apidb
from tfshift.code.renames import Renamer, rename
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFU100", "symbol absent in the target release (API database)", breaks_at=None)


@rule.prefixes("tf", "keras", "tf_keras")
def collect(ctx, ref):
    if not apidb.judged_at_use(ref, ctx.settings):
        return  # the import or alias it came through is checked
    ctx.state().setdefault("refs", []).append(ref)


@rule.finish
def decide(ctx):
    source, target = apidb.versions(ctx.settings)
    if source == target:
        return
    for ref in ctx.state().get("refs", ()):
        qual = ref.qual
        if not apidb.exists(qual, source) or apidb.exists(apidb.in_target(qual, ctx.settings), target):
            continue
        if apidb.others_reported(ctx, ref.node) or apidb.owned_by_other_rules(ctx, qual):
            continue
        new = _same_object(qual, source, target)
        reason = apidb.absent_reason(qual, target)
        because = f" ({reason})" if reason else ""
        if new:
            rename(ctx, ref, Renamer({qual: new}),
                   f"{qual} is not in TensorFlow {target}{because}: it is {new} there")
            continue
        options = [r for r in apidb.replacements(qual, target) if r != qual][:3]
        hint = f"; candidates: {', '.join(options)}" if options else ""
        ctx.report(ref.node, f"{qual} exists in TensorFlow {source} but not in {target}{because}{hint}")


def _same_object(qual, source, target):
    compat = "tf.compat.v1." + qual[3:] if qual.startswith("tf.") and not qual.startswith("tf.compat.") else None
    old = apidb.canonical(qual, source)
    for candidate in apidb.replacements(qual, target):
        if old and apidb.canonical(candidate, target) == old:
            return candidate
    if compat and apidb.exists(compat, target):
        if apidb.canonical(compat, target) == old:
            return compat
        # tf.compat.v1.X was the very object tf.X in the source release (tf.flags.FLAGS is
        # tf.compat.v1.flags.FLAGS in 1.15), and compat.v1 keeps TF1's objects.
        if apidb.canonical(compat, source) in (qual, old) and apidb.signature(compat, target) == \
                apidb.signature(qual, source):
            return compat
    return None
