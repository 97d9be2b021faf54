from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK059"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK059"], source="2.15")
HEAD = "import tensorflow as tf\n"


def test_save_and_reload_become_keras():
    check(HEAD + "model.save('m.h5')\nmodel = tf.keras.models.load_model('m.h5')\nmodel.fit(x, y)\n",
          HEAD + "model.save('m.keras')\nmodel = tf.keras.models.load_model('m.keras')\nmodel.fit(x, y)\n")


def test_checkpoint_written_model():
    check(HEAD + "cb = tf.keras.callbacks.ModelCheckpoint('best.h5', save_best_only=True)\n"
          "m = tf.keras.models.load_model('best.h5')\nm.train_on_batch(x, y)\n",
          HEAD + "cb = tf.keras.callbacks.ModelCheckpoint('best.keras', save_best_only=True)\n"
          "m = tf.keras.models.load_model('best.keras')\nm.train_on_batch(x, y)\n")


@pytest.mark.parametrize("src", [
    "m = tf.keras.models.load_model('pretrained.h5')\nm.fit(x, y)\n",  # made elsewhere
    "model.save('m.h5', save_format='h5')\nm = tf.keras.models.load_model('m.h5')\nm.fit(x, y)\n",
])
def test_reported_without_fix(src):
    assert [f[3] for f in tools.found(HEAD + src, select=["TFK059"], source="2.15")] == ["none"]


@pytest.mark.parametrize("src", [
    "model.save('m.h5')\nm = tf.keras.models.load_model('m.h5')\nm.predict(x)\n",  # not trained
    "model.save('m.h5')\nm = tf.keras.models.load_model('m.h5', compile=False)\nm.compile('sgd', 'mse')\nm.fit(x, y)\n",
    "model.save('m.keras')\nm = tf.keras.models.load_model('m.keras')\nm.fit(x, y)\n",
    "m.fit(x, y)\nmodel.save('m.h5')\nm = tf.keras.models.load_model('m.h5')\n",  # trained before
])
def test_noop(src):
    check_noop(HEAD + src)
    assert not tools.found(HEAD + src, select=["TFK059"], source="2.15")
