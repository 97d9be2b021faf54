"""TFU100 on the API database: tested where the hand-written rules are switched off."""

from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFU100"])
check_noop = partial(tools.check_noop, select=["TFU100"])


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import tensorflow as tf\ny = tf.log(x)\n", "import tensorflow as tf\ny = tf.math.log(x)\n",
                 id="same object under its canonical name"),
    pytest.param("import tensorflow as tf\nx = tf.placeholder(tf.float32)\n",
                 "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32)\n", id="compat.v1 namesake"),
    pytest.param("from tensorflow import placeholder\n", "from tensorflow.compat.v1 import placeholder\n",
                 id="from-import"),
])
def test_fixes(before, after):
    check(before, after)


def test_absent_without_an_equivalent_names_candidates():
    [message] = tools.messages("import tensorflow as tf\nd = tf.compat.v1.layers.dense\n", select=["TFU100"])
    assert message.startswith("TFU100 tf.compat.v1.layers.dense exists in TensorFlow 1.15 but not in 2.21")
    assert "not available with Keras 3" in message  # why the database says it is absent


def test_any_pair_of_releases():
    assert tools.found("import keras\nf = keras.Model.fit_generator\n", select=["TFU100"], source="2.15") == [
        ("TFU100", 2, 5, "none")]


@pytest.mark.parametrize("src", [
    "import tensorflow as tf\nf = tf.keras.Model.fit_generator\n",
    "import tensorflow as tf\nr = tf.keras.layers.experimental.preprocessing.Rescaling(1.0)\n",
    "import tensorflow as tf\nd = tf.keras.layers.DenseFeatures(cols)\n",
])
def test_keras2_targets_have_tf_keras(src):
    assert tools.found(src, select=["TFU100"], source="2.15", keras2=True) == []
    assert [f[0] for f in tools.found(src, select=["TFU100"], source="2.15")] == ["TFU100"]


def test_hand_written_rules_win():
    # TFU001 reports tf.log; the data rule stays quiet at the same place.
    assert [f[0] for f in tools.found("import tensorflow as tf\ny = tf.log(x)\n", select=["TFU"])] == ["TFU001"]


@pytest.mark.parametrize(("src", "options"), [
    pytest.param("import tensorflow as tf\ny = tf.math.log(x)\n", {}, id="exists in both"),
    pytest.param("import tensorflow as tf\ny = tf.float32.as_numpy_dtype\n", {}, id="attribute of a value"),
    pytest.param("import tensorflow as tf\ny = tf.no_such_thing\n", {}, id="never existed"),
    pytest.param("import tensorflow as tf\ny = tf.log(x)\n", {"source": "2.15"}, id="already absent in the source"),
])
def test_noop(src, options):
    check_noop(src, **options)


def test_flags_move_to_compat_v1_exactly():
    """tf.flags.X was the very object tf.compat.v1.flags.X in 1.15: the one candidate is exact."""
    tools.check("import tensorflow as tf\ntf.flags.DEFINE_string('a', 'b', 'c')\nFLAGS = tf.flags.FLAGS\n",
                "import tensorflow as tf\ntf.compat.v1.flags.DEFINE_string('a', 'b', 'c')\n"
                "FLAGS = tf.compat.v1.flags.FLAGS\n", select=["TFU100"])
