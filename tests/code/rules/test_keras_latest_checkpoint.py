import pytest

from tests.code import tools

HEAD = "import tensorflow as tf\n"


@pytest.mark.parametrize("src", [
    "model.load_weights(tf.train.latest_checkpoint('training/'))\n",
    "latest = tf.train.latest_checkpoint(d)\nmodel.load_weights(latest)\n",
])
def test_reported(src):
    assert [f[0] + f[3] for f in tools.found(HEAD + src, select=["TFK058"], source="2.15")] == ["TFK058none"]


@pytest.mark.parametrize("src", [
    "ckpt = tf.train.Checkpoint(model=m)\nckpt.restore(tf.train.latest_checkpoint(d))\n",
    "latest = tf.train.latest_checkpoint(d)\nprint(latest)\nmodel.load_weights('w.weights.h5')\n",
])
def test_noop(src):
    assert not tools.found(HEAD + src, select=["TFK058"], source="2.15")
