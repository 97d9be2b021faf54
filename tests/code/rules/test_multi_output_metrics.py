from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK054"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK054"], source="2.15")
HEAD = "import tensorflow as tf\n"


@pytest.mark.parametrize(("before", "after"), [
    ("model.compile('adam', loss=['mse', 'mae'], metrics=['mae'])\n",
     "model.compile('adam', loss=['mse', 'mae'], metrics=[['mae'], ['mae']])\n"),
    ("model.compile('adam', ['mse', 'mse', 'mse'], ['mae', tf.keras.metrics.AUC()])\n",
     "model.compile('adam', ['mse', 'mse', 'mse'], [['mae', tf.keras.metrics.AUC()], "
     "['mae', tf.keras.metrics.AUC()], ['mae', tf.keras.metrics.AUC()]])\n"),
    ("model.compile(optimizer='sgd', loss={'a': 'mse', 'b': 'mae'}, metrics=['mae'])\n",
     "model.compile(optimizer='sgd', loss={'a': 'mse', 'b': 'mae'}, metrics={'a': ['mae'], 'b': ['mae']})\n"),
])
def test_metrics_per_output(before, after):
    check(HEAD + before, HEAD + after)


@pytest.mark.parametrize("src", [
    "model.compile('adam', loss='mse', metrics=['mae'])\n",
    "model.compile('adam', loss=['mse'], metrics=['mae'])\n",
    "model.compile('adam', loss=['mse', 'mse'], metrics=[['mae'], ['mae']])\n",
    "model.compile('adam', loss=['mse', 'mse'], metrics={'a': 'mae'})\n",
    "model.compile('adam', loss=['mse', 'mse'])\n",
    "model.compile('adam', loss=['mse', 'mse'], metrics=[])\n",
    "model.compile('adam', loss={**losses}, metrics=['mae'])\n",
    "model.compile('adam', loss=losses, metrics=['mae'])\n",
])
def test_noop(src):
    check_noop(HEAD + src)


def test_not_without_keras():
    check_noop("re.compile('x', loss=['a', 'b'], metrics=['m'])\n")
