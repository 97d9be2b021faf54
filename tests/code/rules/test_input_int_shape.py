from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK041"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK041"], source="2.15")


@pytest.mark.parametrize(("before", "after"), [
    ("x = tf.keras.Input(shape=3)\n", "x = tf.keras.Input(shape=(3,))\n"),
    ("x = tf.keras.layers.Input(3, name='a')\n", "x = tf.keras.layers.Input((3,), name='a')\n"),
    ("x = tf.keras.Input(shape=x_train.shape[1])\n", "x = tf.keras.Input(shape=(x_train.shape[1],))\n"),
    ("x = tf.keras.Input(shape=len(vocab))\n", "x = tf.keras.Input(shape=(len(vocab),))\n"),
    ("n = 10\nx = tf.keras.Input(shape=n)\n", "n = 10\nx = tf.keras.Input(shape=(n,))\n"),
])
def test_integer_shape(before, after):
    check("import tensorflow as tf\n" + before, "import tensorflow as tf\n" + after)


def test_keras_import_forms():
    check("from tensorflow.keras.layers import Input\nx = Input(shape=4)\n",
          "from tensorflow.keras.layers import Input\nx = Input(shape=(4,))\n")


@pytest.mark.parametrize("src", [
    "x = tf.keras.Input(shape=(3,))\n",
    "x = tf.keras.Input(shape=[3])\n",
    "x = tf.keras.Input((None, 3))\n",
    "x = tf.keras.Input(shape=n)\n",  # unknown: could be a tuple
    "n = (3,)\nx = tf.keras.Input(shape=n)\n",
    "n = 3\nn = (n,)\nx = tf.keras.Input(shape=n)\n",  # bound twice
    "def f(n=3):\n    return tf.keras.Input(shape=n)\n",
    "x = tf.keras.Input(shape=x.shape[1:])\n",
    "x = tf.keras.Input(shape=True)\n",
    "x = tf.keras.Input(batch_shape=(None, 3))\n",
    "x = tf.keras.Input(tensor=t)\n",
    "x = other.Input(shape=3)\n",
])
def test_noop(src):
    check_noop("import tensorflow as tf\n" + src)


def test_not_with_keras2():
    check_noop("import tensorflow as tf\nx = tf.keras.Input(shape=3)\n", keras2=True)
