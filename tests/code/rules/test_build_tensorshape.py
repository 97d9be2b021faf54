from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK049"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK049"], source="2.15")
HEAD = "import tensorflow as tf\nclass L(tf.keras.layers.Layer):\n"


@pytest.mark.parametrize(("before", "after"), [
    ("    def build(self, input_shape):\n        self.n = input_shape.as_list()[-1]\n",
     "    def build(self, input_shape):\n        self.n = list(input_shape)[-1]\n"),
    ("    def build(self, s):\n        self.d = s[1:].as_list()\n",
     "    def build(self, s):\n        self.d = list(s[1:])\n"),
    ("    def build(self, s):\n        self.r = s.rank\n        self.k = s.ndims - 1\n",
     "    def build(self, s):\n        self.r = len(s)\n        self.k = len(s) - 1\n"),
    ("    def compute_output_shape(self, input_shape):\n        return input_shape.as_list()[:-1] + [1]\n",
     "    def compute_output_shape(self, input_shape):\n        return list(input_shape)[:-1] + [1]\n"),
])
def test_shape_methods(before, after):
    check(HEAD + before, HEAD + after)


def test_one_of_several_inputs():
    check(HEAD + "    def build(self, shapes):\n        self.n = shapes[0].as_list()[-1]\n",
          HEAD + "    def build(self, shapes):\n        self.n = list(shapes[0])[-1]\n")


@pytest.mark.parametrize("src", [
    "    def build(self, input_shape):\n        input_shape = tf.TensorShape(input_shape)\n        self.n = input_shape.as_list()\n",
    "    def call(self, x):\n        return x.shape.as_list()\n",
    "    def call(self, input_shape):\n        return input_shape.as_list()\n",
    "    def build(self, input_shape):\n        self.n = other.as_list()\n",
    "    def build(self, input_shape):\n        self.n = list(input_shape)\n",
])
def test_noop(src):
    check_noop(HEAD + src)


def test_not_outside_keras_classes():
    check_noop("import tensorflow as tf\nclass P:\n    def build(self, s):\n        return s.as_list()\n")
