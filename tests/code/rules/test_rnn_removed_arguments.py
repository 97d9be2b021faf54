from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK045"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK045"], source="2.15")
HEAD = "import tensorflow as tf\n"


def test_default_time_major_removed():
    check(HEAD + "l = tf.keras.layers.LSTM(4, time_major=False, return_sequences=True)\n",
          HEAD + "l = tf.keras.layers.LSTM(4, return_sequences=True)\n")
    check(HEAD + "from tensorflow.keras.layers import GRU\nl = GRU(4, time_major=False)\n",
          HEAD + "from tensorflow.keras.layers import GRU\nl = GRU(4)\n")


@pytest.mark.parametrize("src", [
    "l = tf.keras.layers.LSTM(4, time_major=True)\n",
    "l = tf.keras.layers.SimpleRNN(4, time_major=flag)\n",
    "y = tf.keras.layers.RNN(cell)(x, constants=c)\n",
    "rnn = tf.keras.layers.RNN(cell)\ny = rnn(x, constants=[c])\n",
])
def test_reported_without_fix(src):
    found = tools.found(HEAD + src, select=["TFK045"], source="2.15")
    assert len(found) == 1 and found[0][3] == "none", found
    check_noop(HEAD + src)


@pytest.mark.parametrize("src", [
    "l = tf.keras.layers.LSTM(4, return_sequences=True)\n",
    "l = tf.keras.layers.Dense(4)\n",
    "y = f(x, constants=c)\n",
    "rnn = make()\ny = rnn(x, constants=c)\n",
    "y = tf.keras.layers.RNN(cell)(x, initial_state=s)\n",
    "l = tf.compat.v1.nn.dynamic_rnn(cell, x, time_major=True)\n",
])
def test_noop(src):
    check_noop(HEAD + src)
    assert not tools.found(HEAD + src, select=["TFK045"], source="2.15")
