"""Family 8: TF 2.0-era layers' tf.Variable -> add_weight; from_generator output_signature."""

from __future__ import annotations

import pytest

from tests.native.tools import cannot, check, native

HEAD = "import tensorflow as tf\n\nclass L(tf.keras.layers.Layer):\n    def build(self, shape):\n"

CASES = [
    (HEAD + "        self.w = tf.Variable(tf.random.normal((3, 4)), name='w')\n",
     "import tensorflow as tf\nimport keras\n\nclass L(tf.keras.layers.Layer):\n    def build(self, shape):\n"
     "        self.w = self.add_weight(name='w', shape=(3, 4), initializer=keras.initializers."
     "RandomNormal(mean=0.0, stddev=1.0), trainable=True)\n"),
    (HEAD + "        self.b = tf.Variable(tf.zeros([4]), trainable=False)\n",
     "import tensorflow as tf\nimport keras\n\nclass L(tf.keras.layers.Layer):\n    def build(self, shape):\n"
     "        self.b = self.add_weight(shape=[4], initializer=keras.initializers.Zeros(), trainable=False)\n"),
    (HEAD + "        self.u = tf.Variable(tf.random.uniform([2], -1.0, 1.0, seed=3))\n",
     "import tensorflow as tf\nimport keras\n\nclass L(tf.keras.layers.Layer):\n    def build(self, shape):\n"
     "        self.u = self.add_weight(shape=[2], initializer=keras.initializers.RandomUniform(minval=-1.0, "
     "maxval=1.0, seed=3), trainable=True)\n"),
    ("import tensorflow as tf\nds = tf.data.Dataset.from_generator(g, output_types=tf.int64, output_shapes=(None,))\n",
     "import tensorflow as tf\nds = tf.data.Dataset.from_generator(g, output_signature=tf.TensorSpec(shape=(None,), "
     "dtype=tf.int64))\n"),
    ("import tensorflow as tf\nds = tf.data.Dataset.from_generator(g, output_types=(tf.int64, tf.float32))\n",
     "import tensorflow as tf\nds = tf.data.Dataset.from_generator(g, output_signature=(tf.TensorSpec(shape=None, "
     "dtype=tf.int64), tf.TensorSpec(shape=None, dtype=tf.float32)))\n"),
]

NO_OPS = [
    # tf.Variable outside a Keras layer is TensorFlow 2 already
    "import tensorflow as tf\nv = tf.Variable(tf.zeros([3]))\n",
    "import tensorflow as tf\nclass M(tf.Module):\n    def __init__(self):\n        self.v = tf.Variable(1.0)\n",
    HEAD + "        self.w = self.add_weight(shape=(2,), initializer='zeros')\n",
    "import tensorflow as tf\nds = tf.data.Dataset.from_generator(g, output_signature=tf.TensorSpec((), tf.int64))\n",
    # not literal: output_types still works on TensorFlow 2
    "import tensorflow as tf\nds = tf.data.Dataset.from_generator(g, output_types=TYPES, output_shapes=SHAPES)\n",
    "import tensorflow as tf\nclass L(tf.keras.layers.Layer):\n    def call(self, x):\n        return x * 2\n",
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_rewrites(before, after):
    check(before, after, major=2)


@pytest.mark.parametrize("text", NO_OPS)
def test_no_ops(text):
    assert native(text, major=2) == text


def test_initial_values_without_initializer_are_reported():
    assert cannot(HEAD + "        self.w = tf.Variable(make_value())\n", major=2) == [
        "an initial value tfshift cannot turn into a Keras initializer"]


def test_untracked_variables_are_reported():
    assert cannot(HEAD + "        ws = [tf.Variable(tf.zeros([2]))]\n", major=2) == [
        "a tf.Variable in a Keras layer not assigned to self.<name>: Keras 3 would not track it"]
