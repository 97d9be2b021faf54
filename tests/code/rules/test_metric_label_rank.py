from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK072"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK072"], source="2.15")

RMSE = '''import tensorflow as tf
from tensorflow.keras import backend as K


def rmse(y_true, y_pred):
    """Root mean squared error."""
    return K.sqrt(K.mean(K.square(y_pred - y_true)))


model.compile(optimizer="adam", loss="mse", metrics=[rmse, "mae"])
'''
RMSE_FIXED = '''import tensorflow as tf
import keras
from tensorflow.keras import backend as K


def rmse(y_true, y_pred):
    """Root mean squared error."""
    if len(y_true.shape) == 1 and len(y_pred.shape) == 2:  # as Keras 2 passed them
        y_true = keras.ops.expand_dims(y_true, -1)
    return K.sqrt(K.mean(K.square(y_pred - y_true)))


model.compile(optimizer="adam", loss="mse", metrics=[rmse, "mae"])
'''


def test_fix():
    check(RMSE, RMSE_FIXED)


def test_dict_of_metrics_and_other_parameter_names():
    before = ("import keras\ndef hit(t, p):\n    return keras.ops.mean(t == p)\n"
              "m.compile(loss='mse', metrics={'out': [hit]})\n")
    after = ("import keras\ndef hit(t, p):\n    if len(t.shape) == 1 and len(p.shape) == 2:  # as Keras 2 passed them\n"
             "        t = keras.ops.expand_dims(t, -1)\n    return keras.ops.mean(t == p)\n"
             "m.compile(loss='mse', metrics={'out': [hit]})\n")
    check(before, after)


def test_a_function_the_file_calls_itself_is_unsafe():
    src = RMSE + "print(rmse(a, b))\n"
    assert tools.found(src, select=["TFK072"], source="2.15") == [("TFK072", 10, 54, "unsafe")]


@pytest.mark.parametrize("src", [
    "import keras\nm.compile(loss='mse', metrics=['mae', keras.metrics.RootMeanSquaredError()])\n",
    "import keras\nfrom mymetrics import rmse\nm.compile(loss='mse', metrics=[rmse])\n",
    "import keras\ndef loss(t, p):\n    return t - p\nm.compile(loss=loss, metrics=['mae'])\n",
    "import keras\ndef one(t):\n    return t\nm.compile(loss='mse', metrics=[one])\n",
])
def test_noop(src):
    check_noop(src)


def test_keras2_target_is_left_alone():
    assert tools.found(RMSE, select=["TFK072"], source="2.15", keras2=True) == []
