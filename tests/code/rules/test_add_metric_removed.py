import pytest

from tests.code import tools

HEAD = "import tensorflow as tf\n"


@pytest.mark.parametrize("src", [
    "class L(tf.keras.layers.Layer):\n    def call(self, x):\n        self.add_metric(tf.reduce_mean(x), name='m')\n        return x\n",
    "model.add_metric(tf.reduce_sum(out), name='s', aggregation='mean')\n",
])
def test_reported(src):
    assert [f[0] + f[3] for f in tools.found(HEAD + src, select=["TFK052"], source="2.15")] == ["TFK052none"]
    tools.check_noop(HEAD + src, select=["TFK052"], source="2.15")


@pytest.mark.parametrize("src", [
    HEAD + "class P:\n    def f(self):\n        self.add_metric(1)\n",
    HEAD + "model.compile(metrics=['mae'])\n",
    "tracker.add_metric(1)\n",  # no Keras
])
def test_noop(src):
    assert not tools.found(src, select=["TFK052"], source="2.15")


def test_not_with_keras2():
    assert not tools.found(HEAD + "model.add_metric(x)\n", select=["TFK052"], source="2.15", keras2=True)
