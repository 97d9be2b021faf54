from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFA004"])
check_noop = partial(tools.check_noop, select=["TFA004"])


def test_labels_wrapped():
    check("import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)\n",
          "import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=z)\n")


@pytest.mark.parametrize("src", [
    "import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=z)\n",
    "import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=z)\n",
    "import tensorflow.compat.v1 as tf\nl = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)\n",
])
def test_noop(src):
    check_noop(src)


def test_unsafe_without_from():
    assert tools.found("import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)\n",
                       select=["TFA004"], source_known=False)[0][3] == "unsafe"


def test_v2_gets_no_stop_gradient():
    """softmax_cross_entropy_with_logits_v2 already backpropagated into labels: renamed to the TF2
    name, it must not be taken for TF1's and wrapped."""
    new, applied, _ = tools.upgrade("import tensorflow as tf\ny = tf.nn.softmax_cross_entropy_with_logits_v2(labels=l, logits=g)\n",
                                    select=["TFU001", "TFA004"])
    assert new == "import tensorflow as tf\ny = tf.nn.softmax_cross_entropy_with_logits(labels=l, logits=g)\n"
    assert [f.id for f in applied] == ["TFU001"]
