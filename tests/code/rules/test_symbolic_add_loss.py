import pytest

from tests.code import tools

HEAD = "import tensorflow as tf\n"


@pytest.mark.parametrize("src", [
    "model = tf.keras.Model(i, o)\nmodel.add_loss(tf.reduce_mean(o) * 0.01)\n",
    "model.add_loss(lambda: tf.reduce_sum(model.layers[0].kernel))\n",
    "vae.add_loss(kl)\n",
])
def test_reported(src):
    assert [f[0] + f[3] for f in tools.found(HEAD + src, select=["TFK053"], source="2.15")] == ["TFK053none"]


@pytest.mark.parametrize("src", [
    HEAD + "class L(tf.keras.layers.Layer):\n    def call(self, x):\n        self.add_loss(tf.reduce_mean(x))\n        return x\n",
    HEAD + "model.add_loss()\n",
    "graph.add_loss(x)\n",  # no Keras
])
def test_noop(src):
    assert not tools.found(src, select=["TFK053"], source="2.15")
