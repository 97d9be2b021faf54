from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK040"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK040"], source="2.15")
HEAD = "import tensorflow as tf\nclass L(tf.keras.layers.Layer):\n    def build(self, s):\n"


def test_name_and_shape_by_position():
    check(HEAD + "        self.w = self.add_weight('w', (s[-1], 2), initializer='ones')\n",
          HEAD + "        self.w = self.add_weight(name='w', shape=(s[-1], 2), initializer='ones')\n")


def test_every_keras2_position():
    check(HEAD + "        self.w = self.add_weight('w', [2], tf.float32, 'zeros', None, False, None)\n",
          HEAD + "        self.w = self.add_weight(name='w', shape=[2], dtype=tf.float32, initializer='zeros', "
          "regularizer=None, trainable=False, constraint=None)\n")


def test_name_first_with_shape_keyword():
    check(HEAD + "        self.b = self.add_weight(f'b{i}', shape=(2,))\n",
          HEAD + "        self.b = self.add_weight(name=f'b{i}', shape=(2,))\n")


def test_use_resource_removed():
    check(HEAD + "        self.b = self.add_weight(name='b', shape=(2,), use_resource=True)\n",
          HEAD + "        self.b = self.add_weight(name='b', shape=(2,))\n")
    check(HEAD + "        self.b = self.add_weight('b', (2,), None, None, None, True, None, True)\n",
          HEAD + "        self.b = self.add_weight(name='b', shape=(2,), dtype=None, initializer=None, "
          "regularizer=None, trainable=True, constraint=None)\n")


def test_multiline_call():
    check(HEAD + "        self.w = self.add_weight(\n            'w',\n            (2, 2),\n        )\n",
          HEAD + "        self.w = self.add_weight(\n            name='w',\n            shape=(2, 2),\n        )\n")


def test_reported_without_fix():
    src = HEAD + "        self.w = self.add_weight(*spec)\n        self.v = self.add_weight('v', (2,), synchronization=x)\n"
    assert [f[0] + f[3] for f in tools.found(src, select=["TFK040"], source="2.15")] == ["TFK040none"] * 2
    check_noop(src)


@pytest.mark.parametrize("src", [
    HEAD + "        self.w = self.add_weight(name='w', shape=(2,))\n",
    HEAD + "        self.w = self.add_weight(shape=(2,), initializer='ones')\n",
    HEAD + "        self.w = self.add_weight((2, 2), 'ones')\n",  # Keras 3 order already
    HEAD + "        self.w = self.add_weight([2], initializer='ones')\n",
    HEAD + "        self.w = self.add_weight()\n",
    HEAD + "        self.w = other.add_weight('w', (2,))\n",  # not this layer
    HEAD + "        self.w = self.add_weight('w', shape=(2,), name='x')\n",  # broken already
    "class Store:\n    def f(self):\n        self.add_weight('w', 3)\n",  # no Keras
])
def test_noop(src):
    check_noop(src)


def test_not_with_keras2_or_before_2_16():
    src = HEAD + "        self.w = self.add_weight('w', (2,))\n"
    check_noop(src, keras2=True)
    check_noop(src, target="2.15")
