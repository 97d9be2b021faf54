"""## What it does
Finds TF1 symbols that TensorFlow 2 has under another name, and renames them:
`tf.log` to `tf.math.log`, `tf.random_normal` to `tf.random.normal`, `tf.gfile.Exists` to
`tf.io.gfile.exists`, `tf.arg_max` to `tf.argmax`.

## Why is this bad?
TensorFlow 2 removed the TF1 aliases from the top-level namespace; the old name raises
`AttributeError`. The table is tf_upgrade_v2's own (745 entries), applied through imports and
aliases: `import tensorflow as tff`, `from tensorflow import gfile`, `log = tf.log` are found too.

## Example
```python
y = tf.log(tf.random_normal([3]))
```
Use instead:
```python
y = tf.math.log(tf.random.normal([3]))
```

## Fix safety
Safe: the new name is the same function. When the renamed function's positional order differs
from its TF1 namesake's (`tf.nn.max_pool_v2` becomes `tf.nn.max_pool`), the fix also names the
positional arguments, so that later rules cannot misread them. The table's move of Keras
optimizers to `tf.keras.optimizers.legacy` is not made for Keras 3 targets, which have no
legacy optimizers (TFK005 and TFK008 move them to `keras.optimizers`).

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

from tfshift.code import apidb, tf1
from tfshift.code.renames import rename
from tfshift.code.rule import Rule, version_key

rule = Rule(__name__, "TFU001", "TF1 symbol renamed in TF2", breaks_at="2.0")
RENAMER = tf1.v2_renamer()
_LEGACY_OPTIMIZERS = "tf.keras.optimizers.legacy."


def _keras3(settings) -> bool:
    return not settings.keras2 and version_key(settings.target) >= (2, 16)


@rule.prefixes(*RENAMER.keys())
def renamed(ctx, ref):
    if ref.call is not None and ref.qual in tf1.REWRITTEN_CALLS:
        return
    new = RENAMER(ref.qual)
    if new is not None and new.startswith(_LEGACY_OPTIMIZERS) and _keras3(ctx.settings):
        return  # Keras 3 has no optimizers.legacy: TFK005 and TFK008 move these to keras.optimizers
    if new is not None:
        rename(ctx, ref, RENAMER, f"{ref.qual} is {new} in TensorFlow 2",
               extra=_name_positionals(ctx, ref, new))


def _name_positionals(ctx, ref, new):
    """Name the positional arguments when the new function binds them differently: after the
    old function's own parameters (its TF1 signature, with TF1's keyword renames), so that
    later rules cannot misread them. `tf.raw_ops.*` take keywords only."""
    call = ref.call
    if call is None or not call.args or ref.qual not in RENAMER.table or ctx.has_star(call):
        return ()
    if ref.qual in tf1.reorders():
        return ()  # TFA002 names them after TF1's order (tf.nn.space_to_batch)
    source, target = apidb.versions(ctx.settings)
    old, there = apidb.signature(ref.qual, source), apidb.signature(new, target)
    if old is not None:
        renames = tf1.keyword_renames().get(ref.qual, {})
        names = [renames.get(name, name) for name in old.names[:len(call.args)]]
        if there is not None and (len(names) < len(call.args) or any(n not in there.names for n in names)):
            return ()
        ambiguous = new in tf1.reorders() or new in tf1.keyword_renames()  # a TF1 name too (max_pool)
        if (there is not None and not new.startswith("tf.raw_ops.") and not ambiguous
                and names == list(there.names[:len(names)])):
            return ()  # bound alike: nothing to say
    else:
        names = tf1.tf2_params().get(new)
        if not names or len(call.args) > len(names):
            return ()
    if ctx.keywords_given(call, names[:len(call.args)]):
        return ()
    return tuple(ctx.insert(ctx.span(arg)[0], f"{names[i]}=") for i, arg in enumerate(call.args))
