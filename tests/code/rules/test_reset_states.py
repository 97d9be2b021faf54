from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK070"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK070"], source="2.15")


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import tensorflow as tf\nm = tf.keras.metrics.Mean()\nm.reset_states()\n",
                 "import tensorflow as tf\nm = tf.keras.metrics.Mean()\nm.reset_state()\n", id="metric"),
    pytest.param("import tensorflow as tf\nfor m in self.metrics:\n    m.reset_states()\n",
                 "import tensorflow as tf\nfor m in self.metrics:\n    m.reset_state()\n", id="loop"),
    pytest.param("import keras\ntrain_accuracy . reset_states ( )\n",
                 "import keras\ntrain_accuracy . reset_state ( )\n", id="spaced"),
])
def test_fixes(before, after):
    check(before, after)


@pytest.mark.parametrize("src", [
    "import tensorflow as tf\nlstm.reset_states(states=[s])\n",
    "import tensorflow as tf\nlstm.reset_states(s)\n",
    "import tensorflow as tf\nm.reset_state()\n",
    "import tensorflow as tf\nm.reset_states\n",
    "counter.reset_states()\n",
])
def test_noop(src):
    check_noop(src)


def test_not_for_keras_2_targets():
    assert tools.found("import tensorflow as tf\nm.reset_states()\n", select=["TFK070"], source="2.15",
                       keras2=True) == []
