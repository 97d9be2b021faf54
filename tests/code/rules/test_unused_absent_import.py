from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFU005"])
check_noop = partial(tools.check_noop, select=["TFU005"])


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import tensorflow as tf\nfrom tensorflow.contrib import rnn\nx = 1\n",
                 "import tensorflow as tf\nx = 1\n", id="whole line"),
    pytest.param("from tensorflow.contrib import rnn, learn\nlearn.x\n",
                 "from tensorflow.contrib import learn\nlearn.x\n", id="one of two names"),
    pytest.param("try:\n    from tensorflow.contrib import rnn\nexcept ImportError:\n    pass\n",
                 "try:\n    pass\nexcept ImportError:\n    pass\n", id="only statement of a block"),
    pytest.param("import tensorflow.contrib.slim as slim\n", "", id="import as"),
])
def test_fixes(before, after):
    check(before, after)


@pytest.mark.parametrize("src", [
    "from tensorflow.contrib import rnn\ncell = rnn.LSTMCell(3)\n",  # used
    "from tensorflow.contrib import rnn\n__all__ = ['rnn']\n",  # exported
    "from tensorflow.contrib import rnn  # the rnn cells\n",  # named in a comment: kept, to be safe
    "from tensorflow.compat.v1 import layers\n",  # present on the target
    "import tensorflow.contrib\n",  # binds `tensorflow`
])
def test_noop(src):
    check_noop(src)


def test_dead_after_the_uses_were_rewritten():
    """TensorFlow-Examples' recurrent_network.py: both `rnn.X` uses are rewritten, then the
    import is dropped in a later round (it would raise ModuleNotFoundError on TF 2)."""
    before = ("import tensorflow as tf\nfrom tensorflow.contrib import rnn\n\n"
              "cell = rnn.BasicLSTMCell(128, forget_bias=1.0)\n"
              "outputs, states = rnn.static_rnn(cell, xs, dtype=tf.float32)\n")
    new, applied, _ = tools.upgrade(before, select=["TFC003", "TFU005"])
    assert new == ("import tensorflow as tf\n\ncell = tf.compat.v1.nn.rnn_cell.BasicLSTMCell(128, forget_bias=1.0)\n"
                   "outputs, states = tf.compat.v1.nn.static_rnn(cell, xs, dtype=tf.float32)\n")
    assert sorted(f.id for f in applied) == ["TFC003", "TFC003", "TFU005"]


def test_package_init_keeps_its_imports():
    analysis = tools.engine(select=["TFU005"]).scan_text("from tensorflow.contrib import rnn\n", "pkg/__init__.py")
    assert analysis.findings == []
