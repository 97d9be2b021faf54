from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK005"], source="2.10")
check_noop = partial(tools.check_noop, select=["TFK005"], source="2.10")


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import tensorflow as tf\nopt = tf.keras.optimizers.Adam(lr=0.01)\n",
                 "import tensorflow as tf\nopt = tf.keras.optimizers.Adam(learning_rate=0.01)\n", id="lr"),
    pytest.param("import keras\nopt = keras.optimizers.SGD(0.1, decay=1e-4)\n",
                 "import keras\nopt = keras.optimizers.SGD(keras.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=1e-4))\n",
                 id="decay with positional rate"),
    pytest.param("import keras\nopt = keras.optimizers.SGD(lr=0.1, decay=1e-4, momentum=0.9)\n",
                 "import keras\nopt = keras.optimizers.SGD(learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=1e-4), momentum=0.9)\n",
                 id="lr and decay together"),
    pytest.param("import tensorflow as tf\nopt = tf.keras.optimizers.legacy.Adam(learning_rate=0.1)\n",
                 "import tensorflow as tf\nopt = tf.keras.optimizers.Adam(learning_rate=0.1)\n", id="legacy namespace"),
])
def test_fixes(before, after):
    check(before, after)


def test_lr_was_ignored_by_keras_2_11_to_2_15():
    src = "import tensorflow as tf\nopt = tf.keras.optimizers.SGD(lr=0.05)\n"
    assert tools.found(src, select=["TFK005"], source="2.15") == [("TFK005", 2, 31, "safe")]
    tools.check(src, "import tensorflow as tf\nopt = tf.keras.optimizers.SGD()\n", select=["TFK005"],
                source="2.15")
    tools.check("import tensorflow as tf\nopt = tf.keras.optimizers.Adam(0.01, lr=0.1, beta_1=0.8)\n",
                "import tensorflow as tf\nopt = tf.keras.optimizers.Adam(0.01, beta_1=0.8)\n",
                select=["TFK005"], source="2.13")
    assert tools.found(src, select=["TFK005"], source="2.15", unsafe=True) == [("TFK005", 2, 31, "unsafe")]
    tools.check(src, "import tensorflow as tf\nopt = tf.keras.optimizers.SGD(learning_rate=0.05)\n",
                select=["TFK005"], source="2.15", unsafe=True)
    assert tools.found(src, select=["TFK005"], source="2.10") == [("TFK005", 2, 31, "safe")]
    legacy = "import tensorflow as tf\nopt = tf.keras.optimizers.legacy.SGD(lr=0.05)\n"
    assert ("TFK005", 2, 38, "safe") in tools.found(legacy, select=["TFK005"], source="2.15")


def test_decay_without_rate_is_reported():
    assert tools.found("import keras\nopt = keras.optimizers.SGD(decay=1e-4)\n", select=["TFK005"],
                       source="2.10") == [("TFK005", 2, 28, "none")]


@pytest.mark.parametrize("src", [
    "import keras\nopt = keras.optimizers.Adam(learning_rate=0.01)\n",
    "import tf_keras\nopt = tf_keras.optimizers.Adam(lr=0.01)\n",
    "import tensorflow as tf\nopt = tf.compat.v1.train.AdamOptimizer(learning_rate=0.1)\n",
    "import torch\nopt = torch.optim.Adam(params, lr=0.01)\n",
])
def test_noop(src):
    check_noop(src)
