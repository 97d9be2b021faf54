from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK007"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK007"], source="2.15")


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import keras\nfrom keras import backend as K\nl = K.mean(K.square(y - p), axis=-1)\n",
                 "import keras\nfrom keras import backend as K\nl = keras.ops.mean(keras.ops.square(y - p), axis=-1)\n",
                 id="math"),
    pytest.param("from tensorflow.keras import backend as K\nn = K.int_shape(x)\n",
                 "from tensorflow.keras import backend as K\nn = tuple(x.shape)\n", id="int_shape"),
    pytest.param("import tensorflow as tf\ny = tf.keras.backend.pow(x, 2)\n",
                 "import tensorflow as tf\nimport keras\ny = keras.ops.power(x, 2)\n", id="renamed op"),
    pytest.param("import keras\nK = keras.backend\ni = K.argmax(p)\nj = K.argmin(p, axis=1)\n",
                 "import keras\nK = keras.backend\ni = keras.ops.argmax(p, axis=-1)\nj = keras.ops.argmin(p, axis=1)\n",
                 id="argmax keeps Keras 2's last axis"),
    pytest.param("import keras\nK = keras.backend\nc = K.cumsum(x)\nd = K.cumprod(x, 1)\n",
                 "import keras\nK = keras.backend\nc = keras.ops.cumsum(x, axis=0)\nd = keras.ops.cumprod(x, 1)\n",
                 id="cumsum axis 0"),
    pytest.param("import keras\nK = keras.backend\ne = K.expand_dims(x)\nc = K.concatenate([a, b])\n",
                 "import keras\nK = keras.backend\ne = keras.ops.expand_dims(x, axis=-1)\nc = keras.ops.concatenate([a, b], axis=-1)\n",
                 id="expand_dims and concatenate"),
    pytest.param("import keras\nK = keras.backend\nr = K.sqrt(K.mean(K.square(a - b)))\n",
                 "import keras\nK = keras.backend\nr = keras.ops.sqrt(keras.ops.maximum(keras.ops.mean(keras.ops.square(a - b)), 0.0))\n",
                 id="sqrt clips to 0"),
    pytest.param("import keras\nK = keras.backend\ng = K.gather(t, i)\nf = K.flatten(t)\n",
                 "import keras\nK = keras.backend\ng = keras.ops.take(t, i, axis=0)\nf = keras.ops.reshape(t, (-1,))\n",
                 id="gather and flatten"),
])
def test_fixes(before, after):
    check(before, after)


def test_session_functions_have_no_fix():
    assert tools.found("from keras import backend as K\ns = K.get_session()\n", select=["TFK007"],
                       source="2.15") == [("TFK007", 2, 5, "none")]


def test_shape_and_random_are_unsafe():
    src = "import keras\nK = keras.backend\ns = K.shape(x)\nn = K.random_normal((2, 3))\n"
    assert tools.found(src, select=["TFK007"], source="2.15") == [("TFK007", 3, 5, "unsafe"),
                                                                  ("TFK007", 4, 5, "unsafe")]
    tools.check(src, "import keras\nK = keras.backend\ns = keras.ops.shape(x)\nn = keras.random.normal((2, 3))\n",
                select=["TFK007"], source="2.15", unsafe=True)


@pytest.mark.parametrize("src", [
    "import keras\nK = keras.backend\nt = K.tile(x, n=2)\n",
    "import keras\nK = keras.backend\nr = K.relu(x, alpha=0.1)\n",
    "import keras\nK = keras.backend\nc = K.clip(x, 0, None)\n",
])
def test_calls_keras_ops_takes_otherwise_are_reported_only(src):
    assert [f[3] for f in tools.found(src, select=["TFK007"], source="2.15")] == ["none"]


@pytest.mark.parametrize("src", [
    "from keras import backend as K\nK.clear_session()\ne = K.epsilon()\n",
    "import tf_keras\nx = tf_keras.backend.sum(y)\n",
    "from keras import ops\nx = ops.sum(y)\n",
])
def test_noop(src):
    check_noop(src)


def test_random_with_keras_2_keywords_is_an_unsafe_fix():
    """Issue 15: K.random_normal(shape, mean=, stddev=, seed=) has keras.random.normal."""
    src = ("import keras\nK = keras.backend\nn = K.random_normal((2, 3), mean=1.0, stddev=0.5, seed=1)\n"
           "u = K.random_uniform((2,), minval=-1.0, maxval=1.0)\n")
    assert [f[3] for f in tools.found(src, select=["TFK007"], source="2.15")] == ["unsafe", "unsafe"]
    tools.check(src, "import keras\nK = keras.backend\nn = keras.random.normal((2, 3), mean=1.0, stddev=0.5, seed=1)\n"
                "u = keras.random.uniform((2,), minval=-1.0, maxval=1.0)\n", select=["TFK007"], source="2.15",
                unsafe=True)
