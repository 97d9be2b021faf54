from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFA005"])
check_noop = partial(tools.check_noop, select=["TFA005"])


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import tensorflow as tf\ny = tf.nn.dilation2d(x, filters=f, strides=s, dilations=r, padding='SAME')\n",
                 "import tensorflow as tf\ny = tf.nn.dilation2d(x, filters=f, strides=s, dilations=r, padding='SAME', "
                 "data_format=\"NHWC\")\n", id="keywords"),
    pytest.param("import tensorflow as tf\ny = tf.nn.dilation2d(x, f, s, r, 'SAME')\n",
                 "import tensorflow as tf\ny = tf.nn.dilation2d(x, f, s, dilations=r, padding='SAME', "
                 "data_format=\"NHWC\")\n", id="TF1 positional order"),
    pytest.param("import tensorflow as tf\ny = tf.nn.erosion2d(x, k, s, r, 'VALID', 'ero')\n",
                 "import tensorflow as tf\ny = tf.nn.erosion2d(x, k, s, dilations=r, padding='VALID', name='ero', "
                 "data_format=\"NHWC\")\n", id="erosion2d with a name"),
    pytest.param("from tensorflow import nn\ny = nn.erosion2d(\n    x, k,\n    s, r, 'SAME')\n",
                 "from tensorflow import nn\ny = nn.erosion2d(\n    x, k,\n    s, dilations=r, padding='SAME', "
                 "data_format=\"NHWC\")\n", id="through an import, multi-line"),
])
def test_fixes(before, after):
    check(before, after)


def test_with_the_keyword_renames():
    tools.check("import tensorflow as tf\ny = tf.nn.dilation2d(x, filter=f, strides=s, rates=r, padding='SAME')\n",
                "import tensorflow as tf\ny = tf.nn.dilation2d(x, filters=f, strides=s, dilations=r, padding='SAME', "
                "data_format=\"NHWC\")\n", select=["TFA001", "TFA005"])


def test_positional_order_is_unsafe_without_from():
    src = "import tensorflow as tf\ny = tf.nn.dilation2d(x, f, s, r, 'SAME')\n"
    assert tools.found(src, select=["TFA005"], source_known=False) == [("TFA005", 2, 5, "unsafe")]
    assert tools.found("import tensorflow as tf\ny = tf.nn.dilation2d(x, filters=f)\n", select=["TFA005"],
                       source_known=False) == [("TFA005", 2, 5, "safe")]


@pytest.mark.parametrize(("src", "options"), [
    pytest.param("import tensorflow as tf\ny = tf.nn.dilation2d(x, f, s, 'SAME', 'NHWC', r)\n", {}, id="TF2 positional"),
    pytest.param("import tensorflow as tf\ny = tf.nn.dilation2d(x, f, s, 'SAME', data_format='NHWC', dilations=r)\n",
                 {}, id="TF2 keywords"),
    pytest.param("import tensorflow as tf\ny = tf.nn.dilation2d(*args)\n", {}, id="star args"),
    pytest.param("import tensorflow as tf\ny = tf.compat.v1.nn.dilation2d(x, f, s, r, 'SAME')\n", {}, id="compat.v1"),
    pytest.param("import tensorflow as tf\nop = tf.nn.dilation2d\n", {}, id="not called"),
    pytest.param("import tensorflow as tf\ny = tf.nn.dilation2d(x, f, s, r, 'SAME')\n", {"source": "2.0"},
                 id="TF2 source"),
    pytest.param("y = nn.dilation2d(x, f, s, r, 'SAME')\n", {}, id="not TensorFlow's"),
])
def test_noop(src, options):
    check_noop(src, **options)
