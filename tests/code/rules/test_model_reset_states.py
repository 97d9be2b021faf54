from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK048"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK048"], source="2.15")
HEAD = "import tensorflow as tf\n"
LOOP = ("for layer in {m}.layers:\n{i}    if hasattr(layer, \"reset_states\") and getattr(layer, \"stateful\", False):\n"
        "{i}        layer.reset_states()\n")


def test_model_loop():
    check(HEAD + "model = f()\nmodel.reset_states()\n", HEAD + "model = f()\n" + LOOP.format(m="model", i=""))


def test_indented_and_named_by_construction():
    before = HEAD + "net = tf.keras.Sequential([])\nfor e in range(3):\n    net.reset_states()\n"
    after = HEAD + "net = tf.keras.Sequential([])\nfor e in range(3):\n    " + LOOP.format(m="net", i="    ")
    check(before, after)


def test_callback_model():
    before = HEAD + "class C(tf.keras.callbacks.Callback):\n    def on_epoch_end(self, e, logs=None):\n        self.model.reset_states()\n"
    after = (HEAD + "class C(tf.keras.callbacks.Callback):\n    def on_epoch_end(self, e, logs=None):\n        "
             + LOOP.format(m="self.model", i="        "))
    check(before, after)


def test_loop_variable_not_taken():
    check(HEAD + "layer = 3\nmodel.reset_states()\n",
          HEAD + "layer = 3\nfor layer_ in model.layers:\n"
          "    if hasattr(layer_, \"reset_states\") and getattr(layer_, \"stateful\", False):\n"
          "        layer_.reset_states()\n")


@pytest.mark.parametrize("src", [
    HEAD + "x = model.reset_states()\n",  # value used
    HEAD + "if a: model.reset_states()\n",  # shares its line
    HEAD + "base = tf.keras.Sequential([])\nmodel = tf.keras.Sequential([base])\nmodel.reset_states()\n",  # nested
])
def test_reported_without_fix(src):
    assert [f[3] for f in tools.found(src, select=["TFK048"], source="2.15")] == ["none"]


@pytest.mark.parametrize("src", [
    HEAD + "lstm = tf.keras.layers.LSTM(2, stateful=True)\nlstm.reset_states()\n",
    HEAD + "self.rnn.reset_states()\n",
    HEAD + "env.reset_states()\n",
    "model.reset_states()\n",  # no Keras
])
def test_noop(src):
    check_noop(src)
