from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK057"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK057"], source="2.15")
HEAD = "import tensorflow as tf\n"


def test_named_path_with_load():
    check(HEAD + "p = 'training_1/cp.ckpt'\nmodel.save_weights(p)\nmodel.load_weights(p)\n",
          HEAD + "import os\np = 'training_1/cp.ckpt.weights.h5'\nos.makedirs('training_1', exist_ok=True)\n"
          "model.save_weights(p)\nmodel.load_weights(p)\n")


def test_named_path_without_folder_or_load_is_unsafe():
    src = HEAD + "p = \"w\"\nmodel.save_weights(p)\n"
    assert [f[3] for f in tools.found(src, select=["TFK057"], source="2.15")] == ["unsafe"]
    check(src, HEAD + "p = \"w.weights.h5\"\nmodel.save_weights(p)\n", unsafe=True)


@pytest.mark.parametrize("src", [
    "p = 'w'\nmodel.save_weights(p)\nprint(os.path.exists(p))\n",  # used elsewhere
    "model.save_weights(f'{d}/w.ckpt')\n",
    "model.save_weights(d + '/w')\n",
    "model.save_weights(os.path.join(d, 'w.ckpt'))\n",
])
def test_reported_without_fix(src):
    assert [f[3] for f in tools.found(HEAD + src, select=["TFK057"], source="2.15")] == ["none"]


@pytest.mark.parametrize("src", [
    "p = 'w.weights.h5'\nmodel.save_weights(p)\n",
    "p = 'w.h5'\nmodel.save_weights(p)\n",
    "model.save_weights(path)\n",  # unknown
    "p = 'a'\np = p + 'b'\nmodel.save_weights(p)\n",  # bound twice
    "model.save_weights(f'{d}/w.weights.h5')\n",
    "model.save_weights(os.path.join(d, 'w.weights.h5'))\n",
    "model.save_weights('w')\n",  # a literal: TFK003
    "def f(p):\n    model.save_weights(p)\n",
])
def test_noop(src):
    check_noop(HEAD + src)
    assert not tools.found(HEAD + src, select=["TFK057"], source="2.15")
