"""## What it does
Finds uses of `tf.pywrap_tensorflow`, TensorFlow 1's handle on its C++ bindings, and moves the
one public use it had, `tf.pywrap_tensorflow.NewCheckpointReader`, to
`tf.compat.v1.train.NewCheckpointReader`.

## Why is this bad?
TensorFlow 2 does not export `pywrap_tensorflow` (`AttributeError`); its contents are internal
and change between releases. Reading checkpoints has a public home.

## Example
```python
reader = tf.pywrap_tensorflow.NewCheckpointReader(path)
```
Use instead:
```python
reader = tf.compat.v1.train.NewCheckpointReader(path)
```

## Fix safety
Safe for `NewCheckpointReader`: the public function reads the same checkpoints with the same
methods (`get_tensor`, `get_variable_to_shape_map`, `has_tensor`). Anything else in
`pywrap_tensorflow` is reported for a person.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

from tfshift.code.renames import Renamer, rename
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFU006", "tf.pywrap_tensorflow is gone from TF2's API", breaks_at="2.0")
RENAMER = Renamer({"tf.pywrap_tensorflow.NewCheckpointReader": "tf.compat.v1.train.NewCheckpointReader"})


@rule.prefixes("tf.pywrap_tensorflow")
def pywrap(ctx, ref):
    if RENAMER(ref.qual) is not None:
        rename(ctx, ref, RENAMER, f"{ref.qual} is tf.compat.v1.train.NewCheckpointReader in TensorFlow 2")
        return
    if ref.through_alias and not ref.is_import and RENAMER(ref.binding.qual) is None and ref.binding.qual != ref.qual:
        return  # reported at the import it came through
    if ref.is_import and ref.binding.qual == "tf.pywrap_tensorflow" and _only_checkpoints(ctx, ref.binding):
        return  # every use is NewCheckpointReader, moved where it is used
    ctx.report(ref.node, f"{ref.qual}: TensorFlow 2 does not export pywrap_tensorflow (TensorFlow's "
               "internal C++ bindings); read checkpoints with tf.train.load_checkpoint or "
               "tf.compat.v1.train.NewCheckpointReader")


def _only_checkpoints(ctx, binding) -> bool:
    import re

    uses = re.findall(rf"(?<![\w.]){re.escape(binding.name)}\.(\w+)", ctx.text)
    return bool(uses) and all(u == "NewCheckpointReader" for u in uses)
