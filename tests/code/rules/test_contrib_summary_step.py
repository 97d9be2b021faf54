from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFC005"])
check_noop = partial(tools.check_noop, select=["TFC005"])
TF = "import tensorflow as tf\n"
STEP = "step=tf.compat.v1.train.get_or_create_global_step()"


@pytest.mark.parametrize(("before", "after"), [
    pytest.param(TF + "tf.contrib.summary.scalar('loss', loss)\n",
                 TF + f"tf.contrib.summary.scalar('loss', loss, {STEP})\n", id="scalar"),
    pytest.param(TF + "tf.contrib.summary.histogram('w', w, family='f')\n",
                 TF + f"tf.contrib.summary.histogram('w', w, family='f', {STEP})\n", id="histogram"),
    pytest.param(TF + "tf.contrib.summary.image('i', x, None, 3)\n",
                 TF + f"tf.contrib.summary.image('i', x, None, 3, {STEP})\n", id="image"),
    pytest.param(TF + "with tf.contrib.summary.always_record_summaries():\n    pass\n",
                 TF + "with tf.contrib.summary.always_record_summaries(True):\n    pass\n", id="always"),
    pytest.param(TF + "with tf.contrib.summary.never_record_summaries():\n    pass\n",
                 TF + "with tf.contrib.summary.never_record_summaries(False):\n    pass\n", id="never"),
])
def test_fixes(before, after):
    check(before, after)


def test_with_the_move_to_tf_summary():
    tools.check(TF + "tf.contrib.summary.scalar('loss', loss, family='train')\n"
                "with tf.contrib.summary.always_record_summaries():\n    pass\n",
                TF + f"tf.compat.v2.summary.scalar(name='loss', data=loss, {STEP})\n"
                "with tf.compat.v2.summary.record_if(True):\n    pass\n", select=["TFC", "TFA"], unsafe=True)


@pytest.mark.parametrize(("src", "options"), [
    pytest.param(TF + "tf.contrib.summary.scalar('loss', loss, step=s)\n", {}, id="step given"),
    pytest.param(TF + "tf.contrib.summary.scalar('loss', loss, None, s)\n", {}, id="positional step"),
    pytest.param(TF + "tf.compat.v2.summary.scalar('loss', loss)\n", {}, id="TF2 summary"),
    pytest.param(TF + "tf.contrib.summary.scalar(*a)\n", {}, id="star args"),
    pytest.param(TF + "w = tf.contrib.summary.create_file_writer(d)\n", {}, id="writer"),
])
def test_noop(src, options):
    check_noop(src, **options)
