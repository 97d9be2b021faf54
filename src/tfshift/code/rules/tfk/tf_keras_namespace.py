"""## What it does
Writes Keras as `keras` instead of `tf.keras` (`from tensorflow import keras`,
`tf.keras.layers.Dense`, `from tensorflow.keras.layers import Dense`, `K = tf.keras.backend`),
and moves the Keras 2 namespaces Keras 3 dropped: `layers.experimental.preprocessing.X` to
`layers.X`. Imports of TensorFlow's private Keras copy (`tensorflow.python.keras`) are moved to
`keras` where the module is public.

Each new name is checked against the target's Keras in the API database first. A name Keras 3
lacks but TensorFlow's `tf.keras` still offers (its legacy `tf.keras.preprocessing.text.Tokenizer`,
`tf.keras.preprocessing.image.ImageDataGenerator`) is left as `tf.keras`, and so is the import
or alias it is used through. A name neither has (`tf.keras.layers.DenseFeatures`,
`tf.keras.experimental.CosineDecay`) is reported with the database's candidates and the Keras 2
environment (`--keras2`) that still has it.

## Why is this bad?
From TensorFlow 2.16 `tf.keras` is Keras 3 only when `TF_USE_LEGACY_KERAS` is unset; spelled
`keras`, the code means Keras 3 whatever the environment, and stops depending on TensorFlow
for it. `tensorflow.python.keras` is a frozen Keras 2 copy whose objects do not mix with Keras 3
models; `layers.experimental` raises `AttributeError`, and so does any Keras 2 symbol Keras 3
removed.

## Example
```python
import tensorflow as tf
from tensorflow.keras.layers import Dense

norm = tf.keras.layers.experimental.preprocessing.Normalization()
K = tf.keras.backend
```
Use instead:
```python
import keras
import tensorflow as tf
from keras.layers import Dense

norm = keras.layers.Normalization()
K = keras.backend
```

## Fix safety
Safe: with Keras 3, `tf.keras.X` is `keras.X`, and the fix is only made when the target's
`keras.X` exists. The new spelling only uses names bound before the statement it goes in (a
`K = tf.keras.backend` never becomes `K = K`), else it imports `keras`. Moving a
`tensorflow.python.keras` import is unsafe: the private copy was Keras 2 and may differ. No fix
for a symbol Keras 3 does not have.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

from tfshift.code import apidb
from tfshift.code.renames import Renamer, rename
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK008", "tf.keras spelled as keras for Keras 3", breaks_at="2.16",
            severity="warning", keras3_only=True)
PUBLIC = ("layers", "models", "optimizers", "losses", "metrics", "callbacks", "backend", "utils",
          "initializers", "regularizers", "constraints", "activations", "applications",
          "preprocessing", "datasets", "mixed_precision", "Model", "Sequential", "Input")
MODULES = {root: "keras" for root in ("tf.keras", "tf.compat.v1.keras", "tf.compat.v2.keras")}
MODULES.update({f"{root}.layers.experimental.preprocessing": "keras.layers"
                for root in (*MODULES, "keras")})
MODULES.update({f"tf.python.keras.{name}": f"keras.{name}" for name in PUBLIC})
RENAMER = Renamer({}, MODULES)


@rule.prefixes(*MODULES)
def collect(ctx, ref):
    new = RENAMER(ref.qual)
    if new is not None and new != ref.qual:
        ctx.state().setdefault("refs", []).append((ref, new))


@rule.finish
def decide(ctx):
    target = apidb.release(ctx.settings.target)
    refs = ctx.state().get("refs", ())
    # An import or alias stays as it is when something used through it has no Keras 3 name
    # (the whole import statement: its names share the module it is written with).
    stuck = [ref.binding for ref, new in refs if _through_alias(ref) and not apidb.resolvable(new, target)]
    blocked = {binding.node for binding in stuck} | {binding.stmt for binding in stuck if binding.kind != "assign"}
    for ref, new in refs:
        if apidb.resolvable(new, target):
            if ref.node not in blocked and not (ref.is_import and ref.stmt in blocked):
                private = ref.qual.startswith("tf.python.")
                rename(ctx, ref, RENAMER, f"{ref.qual} is {new} with Keras 3", unsafe=private,
                       severity="error" if private or "experimental" in ref.qual else None)
            continue
        if apidb.resolvable(ref.qual, target) or apidb.others_reported(ctx, ref.node):
            continue  # still there as tf.keras (Keras 3's legacy tf.keras API), or said already
        if _through_alias(ref) and not apidb.resolvable(RENAMER(ref.binding.qual) or "", target):
            continue  # reported at the import or alias it comes through
        options = [r for r in apidb.replacements(ref.qual, target) if r != ref.qual][:3]
        hint = f"; candidates: {', '.join(options)}" if options else ""
        ctx.report(ref.node, f"Keras 3 (TensorFlow {target}) has neither {new} nor {ref.qual}{hint}; "
                   "or keep Keras 2 for it (--keras2)", needs=("env:keras2",), severity="error")


def _through_alias(ref) -> bool:
    return ref.through_alias and not ref.is_import
