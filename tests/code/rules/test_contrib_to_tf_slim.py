from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFC001"])
check_noop = partial(tools.check_noop, select=["TFC001"])


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import tensorflow.contrib.slim as slim\nnet = slim.conv2d(x, 3, [3, 3])\n",
                 "import tf_slim as slim\nnet = slim.conv2d(x, 3, [3, 3])\n", id="import slim"),
    pytest.param("from tensorflow.contrib import slim\n", "import tf_slim as slim\n", id="from contrib import slim"),
    pytest.param("import tensorflow as tf\nslim = tf.contrib.slim\nnet = slim.fully_connected(x, 3)\n",
                 "import tensorflow as tf\nimport tf_slim as slim\nnet = slim.fully_connected(x, 3)\n",
                 id="module alias"),
    pytest.param("import tensorflow as tf\ny = tf.contrib.layers.fully_connected(x, 10)\n",
                 "import tensorflow as tf\nimport tf_slim\ny = tf_slim.layers.fully_connected(x, 10)\n",
                 id="use through tf"),
    pytest.param("from tensorflow.contrib.layers import fully_connected, conv2d\n",
                 "from tf_slim.layers import fully_connected, conv2d\n", id="from-import of one module"),
    pytest.param("from tensorflow.contrib import layers\nr = layers.l2_regularizer(0.1)\n",
                 "import tf_slim as layers\nr = layers.l2_regularizer(0.1)\n",
                 id="contrib.layers module: tf_slim's top level has its initializers and regularizers"),
    pytest.param("import tensorflow as tf\nwith tf.contrib.framework.arg_scope([f]):\n    pass\n",
                 "import tensorflow as tf\nimport tf_slim\nwith tf_slim.arg_scope([f]):\n    pass\n",
                 id="arg_scope"),
    pytest.param("import tensorflow as tf\nl = tf.contrib.losses.softmax_cross_entropy(a, b)\n",
                 "import tensorflow as tf\nimport tf_slim\nl = tf_slim.losses.softmax_cross_entropy(a, b)\n",
                 id="contrib.losses"),
])
def test_fixes(before, after):
    check(before, after)


def test_needs_the_package_and_keras2_from_2_16():
    analysis = tools.engine(select=["TFC001"]).scan_text(
        "import tensorflow as tf\ny = tf.contrib.layers.fully_connected(x, 10)\n")
    assert analysis.findings[0].needs == ("package:tf-slim", "env:keras2")
    analysis = tools.engine(select=["TFC001"], target="2.15").scan_text(
        "import tensorflow as tf\ny = tf.contrib.layers.fully_connected(x, 10)\n")
    assert analysis.findings[0].needs == ("package:tf-slim",)


@pytest.mark.parametrize("src", [
    pytest.param("import tf_slim as slim\nnet = slim.conv2d(x, 3, [3, 3])\n", id="already tf_slim"),
    pytest.param("import tensorflow as tf\nc = tf.contrib.rnn.LSTMCell(3)\n", id="rnn: TFC003"),
    pytest.param("import tensorflow as tf\nc = tf.contrib.layers.real_valued_column('a')\n", id="not in tf-slim"),
    pytest.param("import tensorflow as tf\nhp = tf.contrib.training.HParams(a=1)\n", id="HParams: TFC002"),
    pytest.param("import tensorflow as tf\ny = tf.contrib.framework.is_tensor(x)\n", id="moved to core: TFC003"),
])
def test_noop(src):
    check_noop(src)
