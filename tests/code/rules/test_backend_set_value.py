from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK044"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK044"], source="2.15")
HEAD = "from tensorflow.keras import backend as K\n"


@pytest.mark.parametrize(("before", "after"), [
    ("K.set_value(model.optimizer.learning_rate, 0.01)\n", "model.optimizer.learning_rate.assign(0.01)\n"),
    ("def f(self, lr):\n    K.set_value(self.v, lr * 2)\n", "def f(self, lr):\n    self.v.assign(lr * 2)\n"),
    ("K.set_value(a or b, 1)\n", "(a or b).assign(1)\n"),
])
def test_set_value(before, after):
    check(HEAD + before, HEAD + after)


def test_get_value():
    check(HEAD + "print(K.get_value(model.optimizer.learning_rate))\n",
          HEAD + "import keras\nprint(keras.ops.convert_to_numpy(model.optimizer.learning_rate))\n")


def test_import_keras_forms():
    check("import tensorflow as tf\ntf.keras.backend.set_value(v, 3)\n", "import tensorflow as tf\nv.assign(3)\n")
    check("import keras\nkeras.backend.set_value(v, 3)\n", "import keras\nv.assign(3)\n")


def test_reported_without_fix():
    src = HEAD + "x = K.set_value(v, 1)\nK.set_value(*pair)\n"
    assert [f[3] for f in tools.found(src, select=["TFK044"], source="2.15")] == ["none", "none"]
    check_noop(src)


@pytest.mark.parametrize("src", [
    "v.assign(0.01)\n",
    "K.epsilon()\n",
    "config.set_value(v, 1)\n",
    "print(store.get_value(k))\n",
])
def test_noop(src):
    check_noop(HEAD + src)


def test_removed_backend_rule_leaves_them_to_this_one():
    src = HEAD + "K.set_value(v, 1)\nprint(K.get_value(v))\n"
    assert [f[0] for f in tools.found(src, select=["TFK"], source="2.15")] == ["TFK044", "TFK044"]
