import pytest

from tests.code import tools


def test_renamed_keyword_from_the_signatures():
    tools.check("import tensorflow as tf\ns = tf.reduce_sum(x, keep_dims=True)\n",
                "import tensorflow as tf\ns = tf.reduce_sum(x, keepdims=True)\n", select=["TFA100"])


def test_too_many_positional_arguments():
    assert tools.found("import tensorflow as tf\nq = tf.random.normal([3], 0.0, 1.0, tf.float32, 1, 'n', 5)\n",
                       select=["TFA100"], source="2.15") == [("TFA100", 2, 5, "none")]


def test_dropped_keyword_without_fix():
    found = tools.found("import tensorflow as tf\ny = tf.nn.dropout(x, keep_prob=0.5)\n", select=["TFA100"])
    assert found == [("TFA100", 2, 22, "none")]


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import tensorflow as tf\ns = tf.squeeze(x, squeeze_dims=[1])\n",
                 "import tensorflow as tf\ns = tf.squeeze(x, axis=[1])\n", id="squeeze_dims"),
    pytest.param("import tensorflow as tf\ns = tf.nn.softmax(x, dim=-1)\n",
                 "import tensorflow as tf\ns = tf.nn.softmax(x, axis=-1)\n", id="dim"),
    pytest.param("import tensorflow as tf\ny = tf.nn.conv2d(x, filter=w, strides=1, padding='SAME')\n",
                 "import tensorflow as tf\ny = tf.nn.conv2d(x, filters=w, strides=1, padding='SAME')\n",
                 id="spelling: filter/filters"),
    pytest.param("import tensorflow as tf\ny = tf.nn.max_pool(value=x, ksize=2, strides=2, padding='SAME')\n",
                 "import tensorflow as tf\ny = tf.nn.max_pool(input=x, ksize=2, strides=2, padding='SAME')\n",
                 id="conventional: value/input"),
])
def test_renames_with_evidence(before, after):
    tools.check(before, after, select=["TFA100"])


@pytest.mark.parametrize(("src", "line", "column", "options"), [
    # Only the slot matched: optimize is not 2.16's layout, uniform_noise (bool) is not noise (str).
    pytest.param("import tensorflow as tf\na = tf.ones_like(x, optimize=False)\n", 2, 21, {}, id="ones_like"),
    pytest.param("import tensorflow as tf\na = tf.zeros_like(x, optimize=False)\n", 2, 22, {}, id="zeros_like"),
    pytest.param("import tensorflow as tf\ng = tf.image.extract_glimpse(x, s, o, uniform_noise=False)\n", 2, 39, {},
                 id="extract_glimpse"),
])
def test_slot_only_guesses_are_reported_not_fixed(src, line, column, options):
    options.setdefault("select", ["TFA100"])
    found = tools.found(src, **options)
    assert (("TFA100", line, column, "none")) in found
    tools.check_noop(src, **options)


def test_keras2_checks_tf_keras_signatures():
    src = "import tensorflow as tf\nm = tf.keras.Model()\nm.fit_generator(g, workers=2)\nh = tf.keras.Model.fit_generator(m, g, workers=2)\n"
    assert tools.found(src, select=["TFA100"], source="2.15", keras2=True) == []
    assert tools.found(src, select=["TFA100"], source="2.15") == []  # absent in Keras 3: TFU100's business


@pytest.mark.parametrize(("src", "options"), [
    pytest.param("import tensorflow as tf\ns = tf.reduce_sum(x, keepdims=True)\n", {}, id="valid"),
    pytest.param("import tensorflow as tf\ny = tf.nn.dropout(x, keep_prob=0.5)\n", {"select": ["TFA"]},
                 id="TFA003 reports it"),
    pytest.param("import keras\nl = keras.layers.Dense(3, whatever=1)\n", {"source": "2.15"},
                 id="target takes **kwargs"),
])
def test_not_reported(src, options):
    options.setdefault("select", ["TFA100"])
    found = [f for f in tools.found(src, **options) if f[0] == "TFA100"]
    assert found == []
