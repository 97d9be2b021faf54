from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK050"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK050"], source="2.15")
HEAD = "import tensorflow as tf\ninputs = tf.keras.Input(shape=(4, 1))\n"
KHEAD = "import tensorflow as tf\nimport keras\ninputs = tf.keras.Input(shape=(4, 1))\n"


@pytest.mark.parametrize(("before", "after"), [
    ("x = tf.squeeze(inputs, axis=-1)\n", "x = keras.ops.squeeze(inputs, axis=-1)\n"),
    ("x = tf.reduce_sum(inputs, 1, keepdims=True)\n", "x = keras.ops.sum(inputs, 1, keepdims=True)\n"),
    ("x = tf.reduce_mean(input_tensor=inputs)\n", "x = keras.ops.mean(x=inputs)\n"),
    ("x = tf.reshape(inputs, shape=(-1, 4))\n", "x = keras.ops.reshape(inputs, newshape=(-1, 4))\n"),
    ("x = tf.concat([inputs, inputs], axis=1)\n", "x = keras.ops.concatenate([inputs, inputs], axis=1)\n"),
    ("x = tf.math.not_equal(inputs, 0)\n", "x = keras.ops.not_equal(inputs, 0)\n"),
    ("x = tf.nn.relu(inputs)\ny = tf.nn.softmax(x)\n", "x = keras.ops.relu(inputs)\ny = keras.ops.softmax(x)\n"),
])
def test_keras_ops(before, after):
    check(HEAD + before, KHEAD + after)


def test_through_layers_and_nested_calls():
    check(HEAD + "h = tf.keras.layers.Dense(3)(inputs)\nout = tf.expand_dims(tf.squeeze(h, -1), 1)\n",
          KHEAD + "h = tf.keras.layers.Dense(3)(inputs)\nout = keras.ops.expand_dims(keras.ops.squeeze(h, -1), 1)\n")


def test_through_this_files_functions():
    src = "def block(t):\n    return tf.nn.relu(t)\nout = block(inputs)\n"
    check(HEAD + src, KHEAD + src.replace("tf.nn.relu", "keras.ops.relu"))


def test_lambda_for_the_rest_is_unsafe():
    src = HEAD + "x = tf.signal.rfft(inputs)\n"
    assert [f[3] for f in tools.found(src, select=["TFK050"], source="2.15")] == ["unsafe"]
    check_noop(src)
    check(src, KHEAD + "x = keras.layers.Lambda(lambda inputs: tf.signal.rfft(inputs))(inputs)\n", unsafe=True)


@pytest.mark.parametrize("src", [
    "x = tf.squeeze(inputs, name='s')\n",  # name=: wrapped instead
    "x = tf.concat([inputs, inputs], 1, 'c')\n",
])
def test_extra_arguments_go_to_lambda(src):
    assert [f[3] for f in tools.found(HEAD + src, select=["TFK050"], source="2.15")] == ["unsafe"]


def test_integer_inputs_keep_tf_mean():
    src = "import tensorflow as tf\ni = tf.keras.Input(shape=(3,), dtype='int32')\nm = tf.reduce_mean(i)\n"
    assert [f[3] for f in tools.found(src, select=["TFK050"], source="2.15")] == ["unsafe"]


def test_two_tensors_outside_the_table_reported():
    src = HEAD + "x = tf.einsum('ij,ij->i', inputs, inputs + 1)\n"
    assert [f[3] for f in tools.found(src, select=["TFK050"], source="2.15")] == ["unsafe"]
    src = HEAD + "x = tf.linalg.cross(inputs, tf.keras.layers.Dense(1)(inputs))\n"
    found = tools.found(src, select=["TFK050"], source="2.15")
    assert [f[3] for f in found] == ["none"]


@pytest.mark.parametrize("src", [
    "x = keras.ops.squeeze(inputs)\n",
    "n = inputs.shape[1]\nx = tf.zeros((n,))\n",
    "x = tf.keras.layers.Lambda(lambda t: tf.squeeze(t))(inputs)\n",
    "x = tf.keras.layers.Dense(2)(inputs)\n",
    "y = tf.squeeze(data)\n",
    "class L(tf.keras.layers.Layer):\n    def call(self, x):\n        return tf.squeeze(x)\n",
    "print(len(inputs.shape))\nx = tf.constant(3)\n",
])
def test_noop(src):
    check_noop(KHEAD + src)
    assert not tools.found(KHEAD + src, select=["TFK050"], source="2.15")


def test_no_input_no_work():
    check_noop("import tensorflow as tf\nx = tf.squeeze(t)\n")
