from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK046"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK046"], source="2.15")
HEAD = "import tensorflow as tf\n"
CLASS = HEAD + "class L(tf.keras.layers.Layer):\n    def __init__(self, **kw):\n"


def test_default_removed():
    check(HEAD + "d = tf.keras.layers.Dense(1, dynamic=False)\n", HEAD + "d = tf.keras.layers.Dense(1)\n")
    check(CLASS + "        super().__init__(dynamic=False, **kw)\n", CLASS + "        super().__init__(**kw)\n")


def test_dynamic_true_is_unsafe():
    src = CLASS + "        super(L, self).__init__(dynamic=True, **kw)\n"
    assert [f[3] for f in tools.found(src, select=["TFK046"], source="2.15")] == ["unsafe"]
    check_noop(src)
    check(src, CLASS + "        super(L, self).__init__(**kw)\n", unsafe=True)


def test_attribute_reported():
    src = CLASS + "        super().__init__(**kw)\n    def call(self, x):\n        return x if self.dynamic else -x\n"
    assert [f[3] for f in tools.found(src, select=["TFK046"], source="2.15")] == ["none"]


@pytest.mark.parametrize("src", [
    HEAD + "d = tf.keras.layers.Dense(1)\n",
    CLASS + "        super().__init__(**kw)\n",
    HEAD + "class P:\n    def __init__(self):\n        super().__init__(dynamic=True)\n        print(self.dynamic)\n",
    HEAD + "print(args.dynamic)\nf(dynamic=True)\n",
])
def test_noop(src):
    check_noop(src)
    assert not tools.found(src, select=["TFK046"], source="2.15")
