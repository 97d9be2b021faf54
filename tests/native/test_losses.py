"""Family 4: tf.losses.* with their reductions."""

from __future__ import annotations

import pytest

from tests.native.tools import cannot, check, native

H = "import tensorflow as tf\n"
CASES = [
    (H + "l = tf.losses.mean_squared_error(y, p)\n",
     H + "l = tf.reduce_mean(tf.math.squared_difference(tf.cast(p, tf.float32), tf.cast(y, tf.float32)))\n"),
    (H + "l = tf.losses.mean_squared_error(labels=y, predictions=p, reduction=tf.losses.Reduction.SUM)\n",
     H + "l = tf.reduce_sum(tf.math.squared_difference(tf.cast(p, tf.float32), tf.cast(y, tf.float32)))\n"),
    (H + "l = tf.losses.absolute_difference(y, p, reduction=tf.losses.Reduction.NONE)\n",
     H + "l = tf.abs(tf.cast(p, tf.float32) - tf.cast(y, tf.float32))\n"),
    (H + "l = tf.losses.softmax_cross_entropy(onehot, logits)\n",
     H + "l = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(tf.cast(onehot, "
         "tf.float32)), logits=logits))\n"),
    (H + "l = tf.losses.sparse_softmax_cross_entropy(labels=ids, logits=z, weights=1.0)\n",
     H + "l = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=ids, logits=z))\n"),
    ("import tensorflow.compat.v1 as tf\nl = tf.losses.sigmoid_cross_entropy(y, z)\n",
     H + "l = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.cast(y, tf.float32), logits=z))\n"),
]
NO_OPS = [
    H + "l = tf.reduce_mean(tf.square(y - p))\n",
    "import keras\nl = keras.losses.MeanSquaredError()(y, p)\n",
    H + "l = tf.keras.losses.mean_squared_error(y, p)\n",
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_rewrites(before, after):
    check(before, after)


@pytest.mark.parametrize("text", NO_OPS)
def test_no_ops(text):
    assert native(text, major=2) == text


@pytest.mark.parametrize(("text", "reason"), [
    (H + "l = tf.losses.mean_squared_error(y, p, weights=w)\n",
     "tf.losses.mean_squared_error with weights: not rewritten yet"),
    (H + "l = tf.losses.softmax_cross_entropy(y, z, label_smoothing=0.1)\n",
     "tf.losses.softmax_cross_entropy with label_smoothing: not rewritten yet"),
    (H + "l = tf.losses.mean_squared_error(y, p)\nt = tf.losses.get_total_loss()\n",
     "no native rewrite for tf.losses.get_total_loss yet"),
])
def test_reported(text, reason):
    assert reason in cannot(text)
