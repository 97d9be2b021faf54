"""## What it does
Moves `tf.contrib.slim`, `tf.contrib.layers`, `tf.contrib.framework` (arg scopes, model
variables), `tf.contrib.losses`, `tf.contrib.metrics` and the slim training helpers to the
tf-slim package, where they are maintained: `import tensorflow.contrib.slim as slim` becomes
`import tf_slim as slim`, `tf.contrib.layers.fully_connected` becomes
`tf_slim.layers.fully_connected`.

## Why is this bad?
TensorFlow 2 has no `tf.contrib`; importing it fails. tf-slim is the same code, published on
its own, and runs on TensorFlow 2 in graph mode (TFG001 switches it on).

## Example
```python
import tensorflow as tf
import tensorflow.contrib.slim as slim

net = tf.contrib.layers.fully_connected(x, 10)
net = slim.fully_connected(net, 2)
```
Use instead:
```python
import tensorflow as tf
import tf_slim
import tf_slim as slim

net = tf_slim.layers.fully_connected(x, 10)
net = slim.fully_connected(net, 2)
```

## Fix safety
Safe: tf-slim's functions are tf.contrib's, with the same variables and defaults. The upgraded
code needs the `tf-slim` package, and from TensorFlow 2.16 the Keras 2 environment too (its
layers are built on tf.compat.v1.layers); the upgrade report lists both. Members that tf-slim
does not have (feature columns) are reported by TFC004.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

from tfshift.code.contrib import slim_renamer
from tfshift.code.renames import rename
from tfshift.code.rule import Rule, version_key

rule = Rule(__name__, "TFC001", "tf.contrib layers and slim moved to tf-slim", breaks_at="2.0")
RENAMER = slim_renamer()


@rule.prefixes(*RENAMER.keys())
def to_tf_slim(ctx, ref):
    new = RENAMER(ref.qual)
    if new is None:
        return
    needs = ["package:tf-slim"]
    if version_key(ctx.settings.target) >= (2, 16) and not ctx.settings.keras2:
        needs.append("env:keras2")
    rename(ctx, ref, RENAMER, f"{ref.qual} is in tf-slim: {new}", needs=tuple(needs))
