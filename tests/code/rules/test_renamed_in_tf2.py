from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFU001"])
check_noop = partial(tools.check_noop, select=["TFU001"])


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import tensorflow as tf\ny = tf.log(x)\n",
                 "import tensorflow as tf\ny = tf.math.log(x)\n", id="call"),
    pytest.param("import tensorflow as tf\ny = tf.rsqrt(tf.log_sigmoid(3.8))\n",
                 "import tensorflow as tf\ny = tf.math.rsqrt(tf.math.log_sigmoid(3.8))\n", id="nested"),
    pytest.param("import tensorflow as tf\nf = tf.log\n",
                 "import tensorflow as tf\nf = tf.math.log\n", id="not called"),
    pytest.param("import tensorflow as tff\ny = tff.log(x)\n",
                 "import tensorflow as tff\ny = tff.math.log(x)\n", id="any alias"),
    pytest.param("import tensorflow\ny = tensorflow.log(x)\n",
                 "import tensorflow\ny = tensorflow.math.log(x)\n", id="unaliased import"),
    pytest.param("import tensorflow as tf\nif tf.gfile.Exists(p):\n    pass\n",
                 "import tensorflow as tf\nif tf.io.gfile.exists(p):\n    pass\n", id="in an if test"),
    pytest.param("from tensorflow import gfile\ngfile.Exists(p)\n",
                 "from tensorflow import gfile\nimport tensorflow as tf\ntf.io.gfile.exists(p)\n",
                 id="module from-import: spelled with a new tensorflow import"),
    pytest.param("from tensorflow import log\ny = log(x)\n",
                 "from tensorflow.math import log\ny = log(x)\n", id="symbol from-import"),
    pytest.param("from tensorflow import arg_max as am\ny = am(x, 1)\n",
                 "from tensorflow import argmax as am\ny = am(x, 1)\n", id="from-import with a new leaf"),
    pytest.param("import tensorflow as tf\nlog = tf.log\ny = log(x)\n",
                 "import tensorflow as tf\nlog = tf.math.log\ny = log(x)\n", id="module-level alias"),
    pytest.param("import tensorflow as tf\ny = tf.nn.max_pool_v2(x, 2, 2, 'SAME')\n",
                 "import tensorflow as tf\ny = tf.nn.max_pool(input=x, ksize=2, strides=2, padding='SAME')\n",
                 id="renamed into a name with another TF1 order: arguments named"),
    pytest.param("import tensorflow as tf\ny = tf.log(  # why\n    x)\n",
                 "import tensorflow as tf\ny = tf.math.log(  # why\n    x)\n", id="comments kept"),
    pytest.param("import tensorflow as tf\ndef f():\n    return tf.log(2)\n",
                 "import tensorflow as tf\ndef f():\n    return tf.math.log(2)\n", id="in a function"),
    pytest.param("def f():\n    import tensorflow as tf\n    return tf.log(2)\n",
                 "def f():\n    import tensorflow as tf\n    return tf.math.log(2)\n", id="function-local import"),
    pytest.param("import tensorflow as tf\nC = tf.MONOLITHIC_BUILD\n",
                 "import tensorflow as tf\nC = tf.sysconfig.MONOLITHIC_BUILD\n", id="constant"),
])
def test_fixes(before, after):
    check(before, after)


@pytest.mark.parametrize("src", [
    pytest.param("import tensorflow as tf\ny = tf.math.log(x)\n", id="already TF2"),
    pytest.param("import tensorflow.compat.v1 as tf\ny = tf.log(x)\n", id="through tf.compat.v1"),
    pytest.param("from tensorflow.compat import v1 as tf\ny = tf.log(x)\n", id="compat.v1 from-import"),
    pytest.param("import numpy as tf\ny = tf.log(x)\n", id="tf is numpy"),
    pytest.param("y = tf.log(x)\n", id="tf never imported"),
    pytest.param("import tensorflow as tf\ndef f(tf):\n    return tf.log(x)\n", id="shadowed by a parameter"),
    pytest.param("import tensorflow as tf\ny = tf.nn.max_pool(x, 2, 2, 'SAME')\n",
                 id="name that is also a TF2 name is not renamed again"),
    pytest.param("import tensorflow as tf\ns = 'tf.log(x)'\n", id="inside a string"),
    pytest.param("import tensorflow as tf\n# tf.log(x)\n", id="inside a comment"),
    pytest.param("import tensorflow as tf\nclass A:\n    log = 1\nA.log\n", id="other object"),
    pytest.param("import tensorflow as tf\ny = tf.log(x)  # tfshift: ignore[TFU001]\n", id="suppressed"),
    pytest.param("import tensorflow as tf\ny = tf.log(x)  # tfshift: ignore\n", id="suppressed, all rules"),
])
def test_noop(src):
    check_noop(src)


def test_not_from_tf2_sources():
    check_noop("import tensorflow as tf\ny = tf.log(x)\n", source="2.0")


def test_raw_ops_take_keywords():
    tools.check("import tensorflow as tf\ny = tf.train.sdca_fprint(t)\n",
                "import tensorflow as tf\ny = tf.raw_ops.SdcaFprint(input=t)\n", select=["TFU001"])


def test_space_to_batch_keeps_tf1_order():
    """TF1's tf.nn.space_to_batch(input, paddings, block_size); TF2's tf.space_to_batch(input,
    block_shape, paddings): the positionals are named after TF1's order."""
    tools.check("import tensorflow as tf\ny = tf.nn.space_to_batch(x, p, 2)\n",
                "import tensorflow as tf\ny = tf.space_to_batch(x, paddings=p, block_shape=2)\n",
                select=["TFU001", "TFA002"])
