import pytest

from tests.code import tools

HEAD = "import tensorflow as tf\n"


@pytest.mark.parametrize("src", [
    "class M(tf.keras.Model):\n    def call(self, x):\n        return tf.strings.to_number(tf.strings.as_string(x))\n",
    "class L(tf.keras.layers.Layer):\n    def call(self, x):\n        return tf.py_function(f, [x], tf.float32)\n",
    "class B(tf.keras.layers.Layer):\n    pass\nclass L(B):\n    def call(self, x):\n        return tf.numpy_function(f, [x], tf.float32)\n",
])
def test_reported(src):
    found = tools.found(HEAD + src, select=["TFK055"], source="2.15")
    assert [f[0] + f[3] for f in found] == ["TFK055none"]


@pytest.mark.parametrize("src", [
    HEAD + "class M(tf.keras.Model):\n    def call(self, x):\n        return tf.nn.relu(x)\n",
    HEAD + "class P:\n    def call(self, x):\n        return tf.strings.as_string(x)\n",
    HEAD + "class M(tf.keras.Model):\n    def train_step(self, d):\n        tf.print(d)\n    def call(self, x):\n        return x\n",
    HEAD + "s = tf.strings.as_string(1)\n",
])
def test_noop(src):
    assert not tools.found(src, select=["TFK055"], source="2.15")
