from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK056"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK056"], source="2.15")
HEAD = "import tensorflow as tf\n"


def test_weights_with_load():
    check(HEAD + "cb = tf.keras.callbacks.ModelCheckpoint('ck/best', save_weights_only=True)\nmodel.load_weights('ck/best')\n",
          HEAD + "cb = tf.keras.callbacks.ModelCheckpoint('ck/best.weights.h5', save_weights_only=True)\n"
          "model.load_weights('ck/best.weights.h5')\n")


def test_h5_weights_and_whole_model():
    check(HEAD + "cb = tf.keras.callbacks.ModelCheckpoint(filepath='w.h5', save_weights_only=True)\nm.load_weights('w.h5')\n",
          HEAD + "cb = tf.keras.callbacks.ModelCheckpoint(filepath='w.weights.h5', save_weights_only=True)\nm.load_weights('w.weights.h5')\n")
    check(HEAD + "cb = tf.keras.callbacks.ModelCheckpoint('best_model', save_best_only=True)\n"
          "m = tf.keras.models.load_model('best_model')\n",
          HEAD + "cb = tf.keras.callbacks.ModelCheckpoint('best_model.keras', save_best_only=True)\n"
          "m = tf.keras.models.load_model('best_model.keras')\n")


def test_unsafe_without_load():
    src = HEAD + "cb = tf.keras.callbacks.ModelCheckpoint('ck/w-{epoch:02d}', save_weights_only=True)\n"
    assert [f[3] for f in tools.found(src, select=["TFK056"], source="2.15")] == ["unsafe"]
    check(src, src.replace("{epoch:02d}", "{epoch:02d}.weights.h5"), unsafe=True)


@pytest.mark.parametrize("src", [
    "cb = tf.keras.callbacks.ModelCheckpoint(path, save_weights_only=True)\n",
    "cb = tf.keras.callbacks.ModelCheckpoint('w', save_weights_only=flag)\n",
    "cb = tf.keras.callbacks.ModelCheckpoint(f'{d}/w', save_weights_only=True)\n",
])
def test_reported_without_fix(src):
    assert [f[3] for f in tools.found(HEAD + src, select=["TFK056"], source="2.15")] == ["none"]


@pytest.mark.parametrize("src", [
    "cb = tf.keras.callbacks.ModelCheckpoint('w.weights.h5', save_weights_only=True)\n",
    "cb = tf.keras.callbacks.ModelCheckpoint('m.keras')\n",
    "cb = tf.keras.callbacks.ModelCheckpoint('m.h5', save_best_only=True)\n",
    "cb = tf.keras.callbacks.ModelCheckpoint(f'{d}/w.weights.h5', save_weights_only=True)\n",
    "cb = ModelCheckpoint('w', save_weights_only=True)\n",  # not Keras's
])
def test_noop(src):
    check_noop(HEAD + src)
    assert not tools.found(HEAD + src, select=["TFK056"], source="2.15")
