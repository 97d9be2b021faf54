from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK043"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK043"], source="2.15")
HEAD = "import tensorflow as tf\nfrom tensorflow.keras import backend as K\n"


@pytest.mark.parametrize(("before", "after"), [
    ("print(float(model.optimizer.lr))\n", "print(float(model.optimizer.learning_rate))\n"),
    ("K.get_value(self.model.optimizer.lr)\n", "K.get_value(self.model.optimizer.learning_rate)\n"),
    ("model.optimizer.lr = 0.1\n", "model.optimizer.learning_rate = 0.1\n"),
    ("v = optimizer.lr * 2\n", "v = optimizer.learning_rate * 2\n"),
    ("adam = tf.keras.optimizers.Adam()\nprint(adam.lr)\n",
     "adam = tf.keras.optimizers.Adam()\nprint(adam.learning_rate)\n"),
])
def test_attribute_renamed(before, after):
    check(HEAD + before, HEAD + after)


@pytest.mark.parametrize("src", [
    "print(model.optimizer.learning_rate)\n",
    "print(args.lr)\n",
    "print(self.lr)\n",
    "print(config.optimizer_lr)\n",
    "sched = f(1)\nprint(sched.lr)\n",
    "lr = 0.1\nprint(lr)\n",
])
def test_noop(src):
    check_noop(HEAD + src)


def test_not_without_keras():
    check_noop("print(model.optimizer.lr)\n")
