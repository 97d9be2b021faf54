import pytest

from tests.code import tools


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import tensorflow as tf\ntf.keras.models.save_model(model, path)\n",
                 "import tensorflow as tf\ntf.keras.models.save_model(model, path, save_format=\"h5\")\n",
                 id="save_model"),
    pytest.param("import tensorflow as tf\nmodel = tf.keras.Sequential()\nmodel.save('out')\n",
                 "import tensorflow as tf\nmodel = tf.keras.Sequential()\nmodel.save('out', save_format=\"h5\")\n",
                 id="method, with Keras in the file"),
])
def test_fixes(before, after):
    tools.check(before, after, select=["TFA011"], target="2.15")


@pytest.mark.parametrize("src", [
    "import tensorflow as tf\nmodel.save(path)\n",  # no evidence of Keras
    "import tensorflow as tf\nm = tf.keras.Sequential()\nm.save('m.h5')\n",  # HDF5 by its suffix
    "import tensorflow as tf\nm = tf.keras.Sequential()\nsaver.save(sess, 'ckpt')\n",  # tf.train.Saver
])
def test_noop(src):
    tools.check_noop(src, select=["TFA011"], target="2.15")


def test_keras3_targets_are_tfk001s():
    tools.check_noop("import tensorflow as tf\ntf.keras.models.save_model(model, path)\n", select=["TFA011"])
