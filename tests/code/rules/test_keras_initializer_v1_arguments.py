import pytest

from tests.code import tools


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import tensorflow as tf\ni = tf.keras.initializers.glorot_uniform(7, tf.float32)\n",
                 "import tensorflow as tf\nimport keras\ni = keras.initializers.glorot_uniform(7)\n",
                 id="positional dtype dropped"),
    pytest.param("import tensorflow as tf\ni = tf.keras.initializers.Constant(0.5, tf.float32)\n",
                 "import tensorflow as tf\nimport keras\ni = keras.initializers.Constant(0.5)\n",
                 id="Constant"),
    pytest.param("import tensorflow as tf\ni = tf.keras.initializers.Constant(0.5, dtype='float32', verify_shape=False)\n",
                 "import tensorflow as tf\nimport keras\ni = keras.initializers.Constant(0.5)\n",
                 id="keywords dropped"),
    pytest.param("import tensorflow as tf\ni = tf.keras.initializers.Identity(2.0, tf.float32)\n",
                 "import tensorflow as tf\nimport keras\ni = keras.initializers.Identity(2.0)\n",
                 id="Identity"),
    pytest.param("import tensorflow as tf\ni = tf.keras.initializers.uniform(-1, 1)\n",
                 "import tensorflow as tf\nimport keras\ni = keras.initializers.RandomUniform(minval=-1, maxval=1)\n",
                 id="uniform alias Keras 3 lacks"),
    pytest.param("import tensorflow as tf\ni = tf.keras.initializers.normal(0.0, 0.5, 3)\n",
                 "import tensorflow as tf\nimport keras\ni = keras.initializers.RandomNormal(mean=0.0, stddev=0.5, seed=3)\n",
                 id="normal alias Keras 3 lacks"),
])
def test_fixes(before, after):
    tools.check(before, after, target="2.21")


def test_other_dtype_needs_a_person():
    src = "import tensorflow as tf\ni = tf.keras.initializers.glorot_uniform(7, tf.float64)\n"
    assert [f for f in tools.messages(src, target="2.21") if f.startswith("TFA010")] == [
        "TFA010 tf.keras.initializers.glorot_uniform: Keras 3's keras.initializers.glorot_uniform takes "
        "no dtype (dtype=tf.float64): Keras 3 initializers take the dtype when called, from the layer"]


@pytest.mark.parametrize("src", [
    "import tensorflow as tf\ni = tf.keras.initializers.glorot_uniform(7)\n",  # TFK008 spells it
    "import tensorflow as tf\ni = tf.initializers.glorot_uniform(7, tf.float32)\n",  # stays TF1's
])
def test_noop(src):
    assert [f for f in tools.found(src, target="2.21") if f[0] == "TFA010"] == []


def test_keras2_target_keeps_tf1_initializers():
    tools.check_noop("import tensorflow as tf\ni = tf.compat.v1.keras.initializers.Constant(0.5, tf.float32)\n",
                     target="2.21", keras2=True)
