"""Family 9: import forms and TF1 names with a TF2 name of their own."""

from __future__ import annotations

import pytest

from tests.native.tools import cannot, check, native

CASES = [
    ("import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\nx = tf.random_normal([2])\n",
     "import tensorflow as tf\nx = tf.random.normal([2])\n"),
    ("from tensorflow.compat import v1 as tf\ntf.disable_eager_execution()\nx = tf.log(2.0)\n",
     "import tensorflow as tf\nx = tf.math.log(2.0)\n"),
    ("import tensorflow as tf\nimport tensorflow.compat.v1 as tf1\nx = tf1.matmul(a, b)\n",
     "import tensorflow as tf\nx = tf.matmul(a, b)\n"),
    ("import tensorflow as tf\ny = tf.reduce_sum(x, reduction_indices=[1], keep_dims=True)\n",
     "import tensorflow as tf\ny = tf.reduce_sum(x, axis=[1], keepdims=True)\n"),
    ("import tensorflow as tf\ny = tf.compat.v1.random_uniform([3], seed=1)\n",
     "import tensorflow as tf\ny = tf.random.uniform([3], seed=1)\n"),
    ("import tensorflow.compat.v1 as tf\r\ntf.disable_v2_behavior()\r\nx = tf.log(1.0)\r\n",
     "import tensorflow as tf\r\nx = tf.math.log(1.0)\r\n"),
    ("import numpy as np\nfrom tensorflow.compat.v1 import random_normal\nx = random_normal([2])\n",
     "import numpy as np\nimport tensorflow as tf\nx = tf.random.normal([2])\n"),
]

CASES += [
    ("import tensorflow as tf\ny = tf.to_float(x > 0)\n", "import tensorflow as tf\ny = tf.cast(x > 0, tf.float32)\n"),
    ("import tensorflow.compat.v1 as tf\ny = tf.to_int64(x, name='n')\n",
     "import tensorflow as tf\ny = tf.cast(x, tf.int64, name='n')\n"),
    ("import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)\ns = tf.Session()\n"
     "print(s.run(l))\n",
     "import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=z)\n"
     "print(l.numpy())\n"),
    ("import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=z)\ns = tf.Session()\n"
     "print(s.run(l))\n",
     "import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)\nprint(l.numpy())\n"),
]

NO_OPS = [
    "import tensorflow as tf\nx = tf.constant(1.0) + tf.matmul(a, b)\n",
    "import numpy as np\nx = np.log(2)\n",
    "x = 1\n",
    "",
    "# just a comment\n",
    "import tensorflow as tf\n\ndef f(tf):\n    return tf.log(1)\n",  # a parameter hides tf
    "import tensorflow as tf\nx = tf.random.normal([2], seed=3)\n",
    "import tensorflow as tf\nprint(tf.__version__)\n",
    "import keras\nm = keras.Sequential()\n",
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_rewrites(before, after):
    check(before, after)


@pytest.mark.parametrize("text", NO_OPS)
def test_no_ops(text):
    assert native(text) == text


def test_tf2_era_code_keeps_tf2_names():
    text = "import tensorflow as tf\nx = tf.random.normal([2])\ny = tf.keras.layers.Dense(3)\n"
    assert native(text, major=2) == text


def test_names_without_native_rewrite_are_reported():
    reasons = cannot("import tensorflow.compat.v1 as tf\ng = tf.get_default_graph()\n")
    assert reasons == ["no native rewrite for tf.get_default_graph yet"]


@pytest.mark.parametrize(("before", "after"), [
    # a module alias keeps its name, and its uses stay spelled through it where TF2 has the module
    ("import tensorflow.compat.v1 as tf\nnn = tf.nn\ny = nn.relu(x)\n",
     "import tensorflow as tf\nnn = tf.nn\ny = nn.relu(x)\n"),
    ("import tensorflow.compat.v1 as tf\nfc = tf.feature_column\n",
     "import tensorflow as tf\nfc = tf.feature_column\n"),
    # an alias of a renamed function: its target is renamed, the uses spelled by the TF2 name
    ("import tensorflow.compat.v1 as tf\nl = tf.log\ny = l(x)\n",
     "import tensorflow as tf\nl = tf.math.log\ny = tf.math.log(x)\n"),
], ids=["module-alias", "unused-module-alias", "function-alias"])
def test_assigned_aliases(before, after):
    """`nn = tf.nn` once became `tf.nn = tf.nn`: an alias's target is a name, not a use."""
    check(before, after)
