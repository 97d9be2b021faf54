"""## What it does
Finds standalone-Keras names that Keras 3 dropped but TensorFlow still has under `tf.keras`
(Keras 3's legacy `tf.keras` API): `keras.preprocessing.image.ImageDataGenerator`,
`keras.preprocessing.text.Tokenizer`, `keras.preprocessing.sequence.TimeseriesGenerator`...
and spells them through `tf.keras`.

## Why is this bad?
With TensorFlow 2.15, `import keras` is Keras 2, the same package as `tf.keras`. From 2.16 it
is Keras 3, which has no `keras.preprocessing.image.ImageDataGenerator` (ImportError); TF
2.21's `tf.keras.preprocessing.image.ImageDataGenerator` still exists.

## Example
```python
from keras.preprocessing.image import ImageDataGenerator
```
Use instead:
```python
from tensorflow.keras.preprocessing.image import ImageDataGenerator
```

## Fix safety
Safe: Keras 2's class, kept by Keras 3 for `tf.keras` (run-tested:
tests/code/test_keras3_runs.py, image_data_generator_standalone). Names reached through a
module alias (`from keras.preprocessing import image; image.ImageDataGenerator`) are left to
the API database's report (TFU100).

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

from tfshift.code import apidb
from tfshift.code.renames import Renamer, rename
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK061", "Keras 3 keeps this Keras 2 name only under tf.keras", breaks_at="2.16",
            severity="error", keras3_only=True)


@rule.prefixes("keras.preprocessing")
def legacy(ctx, ref):
    if ref.through_alias and not ref.is_import:
        return
    qual = ref.qual
    if qual.count(".") < 3:
        return  # a module: what is taken from it decides
    target = apidb.release(ctx.settings.target)
    if apidb.resolvable(qual, target) or not apidb.resolvable("tf." + qual, target):
        return
    rename(ctx, ref, Renamer({qual: "tf." + qual}),
           f"Keras 3 has no {qual}; TensorFlow {target} keeps it as tf.{qual}")
