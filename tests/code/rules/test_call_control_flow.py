from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK051"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK051"], source="2.15")
HEAD = "import tensorflow as tf\nclass L(tf.keras.layers.Layer):\n"


@pytest.mark.parametrize("body", [
    "        if tf.reduce_mean(inputs) > 0:\n            return inputs * 2\n        return inputs / 2\n",
    "        if inputs[0, 0] > 0:\n            return inputs\n        return -inputs\n",
    "        n = 0\n        while n < tf.shape(inputs)[0]:\n            n += 1\n        return inputs\n",
    "        for i in tf.range(3):\n            inputs = inputs + 1\n        return inputs\n",
    "        return inputs if tf.reduce_all(inputs > 0) else -inputs\n",
])
def test_decorated(body):
    check(HEAD + "    def call(self, inputs):\n" + body,
          HEAD + "    @tf.function\n    def call(self, inputs):\n" + body)


def test_other_decorators_kept_and_keras_import():
    check("import keras\nimport tensorflow as tf\nclass M(keras.Model):\n    @other\n    def call(self, x, training=None):\n"
          "        if tf.random.uniform(()) > 0.5:\n            return x\n        return x * 0\n",
          "import keras\nimport tensorflow as tf\nclass M(keras.Model):\n    @tf.function\n    @other\n    def call(self, x, training=None):\n"
          "        if tf.random.uniform(()) > 0.5:\n            return x\n        return x * 0\n")


@pytest.mark.parametrize("body", [
    "        if training:\n            return inputs * 2\n        return inputs\n",
    "        if mask is None:\n            return inputs\n        return inputs * mask\n",
    "        if inputs.shape[-1] > 1:\n            return inputs\n        return -inputs\n",
    "        if isinstance(inputs, list):\n            inputs = inputs[0]\n        return inputs\n",
    "        if self.flag:\n            return inputs\n        return -inputs\n",
    "        if tf.executing_eagerly():\n            print(1)\n        return inputs\n",
    "        for t in inputs:\n            pass\n        return inputs\n",
    "        return inputs\n",
])
def test_noop(body):
    check_noop(HEAD + "    def call(self, inputs, training=None, mask=None):\n" + body)


def test_already_a_function():
    check_noop(HEAD + "    @tf.function\n    def call(self, x):\n        if tf.reduce_sum(x) > 0:\n            return x\n        return -x\n")


def test_not_outside_keras_classes():
    check_noop("import tensorflow as tf\nclass P:\n    def call(self, x):\n        if tf.reduce_sum(x) > 0:\n            return x\n        return -x\n")
