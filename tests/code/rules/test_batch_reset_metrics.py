from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK047"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK047"], source="2.15")
HEAD = "import tensorflow as tf\n"


def test_default_removed():
    check(HEAD + "l = model.train_on_batch(x, y, reset_metrics=True)\n", HEAD + "l = model.train_on_batch(x, y)\n")
    check(HEAD + "l = model.test_on_batch(x, y, reset_metrics=True, return_dict=True)\n",
          HEAD + "l = model.test_on_batch(x, y, return_dict=True)\n")


def test_accumulating_reported():
    src = HEAD + "l = model.train_on_batch(x, y, reset_metrics=False)\n"
    assert [f[3] for f in tools.found(src, select=["TFK047"], source="2.15")] == ["none"]
    check_noop(src)


@pytest.mark.parametrize("src", [
    HEAD + "l = model.train_on_batch(x, y)\n",
    HEAD + "model.reset_metrics()\n",
    "l = agent.train_on_batch(x, reset_metrics=True)\n",  # no Keras
])
def test_noop(src):
    check_noop(src)
