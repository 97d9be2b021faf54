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

from tfshift.code import tf1
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
    """Name the positional arguments after the TF2 parameters of the new function."""
    params = tf1.tf2_params().get(new)
    call = ref.call
    if not params or call is None or ref.qual not in RENAMER.table or ctx.has_star(call):
        return ()
    if len(call.args) > len(params) or ctx.keywords_given(call, params[:len(call.args)]):
        return ()
    return tuple(ctx.insert(ctx.span(arg)[0], f"{params[i]}=") for i, arg in enumerate(call.args))
