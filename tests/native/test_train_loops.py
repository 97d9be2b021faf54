"""Training-loop shapes of graph programs: values fetched with the training op."""

from __future__ import annotations

import pytest

from tests.native.tools import cannot, native

LOOP = """\
import tensorflow as tf
x = tf.placeholder(tf.float32)
W = tf.Variable(1.0)
y = W * x
loss = tf.square(y - 1.0)
twice = 2.0 * y
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(3):
        _, l, t = sess.run([train, loss, twice],
                           feed_dict={x: 2.0})
"""


def test_forward_values_fetched_with_the_step_are_computed_first():
    text = native(LOOP)
    assert ("def run_train_loss_twice(x):\n    \"\"\"sess.run([train, loss, twice]): the forward-pass values, then "
            "the step (TF1 computed them in one run, before the update).\"\"\"\n"
            "    twice = compute_twice(x).numpy()\n    loss = train_step(x).numpy()\n"
            "    return [None, loss, twice]\n") in text
    assert "for i in range(3):\n    _, l, t = run_train_loss_twice(2.0)\n" in text  # multi-line call, dedented


@pytest.mark.parametrize(("change", "reason"), [
    (("[train, loss, twice]", "[train, W]"), "W (variable)"),
    (("twice = 2.0 * y", "twice = 2.0 * W"), "reads variable W outside the loss's forward pass"),
])
def test_values_tf1_reads_in_open_order_are_reported(change, reason):
    reasons = cannot(LOOP.replace(*change))
    assert any(reason in r for r in reasons), reasons


def test_feed_dict_built_beforehand():
    text = native(LOOP.replace("""        _, l, t = sess.run([train, loss, twice],
                           feed_dict={x: 2.0})""", """        batch = {x: float(i)}
        _, l = sess.run([train, loss], feed_dict=batch)
        print(sess.run(twice, batch))"""))
    assert "    batch = {'x': float(i)}\n    _, l = [None, train_step(batch['x']).numpy()]\n" in text
    assert "    print(compute_twice(batch['x']).numpy())\n" in text


@pytest.mark.parametrize("use", ["print(batch)", "batch = {}"])
def test_feed_dict_used_otherwise_is_reported(use):
    reasons = cannot(LOOP.replace("""        _, l, t = sess.run([train, loss, twice],
                           feed_dict={x: 2.0})""", f"""        batch = {{x: float(i)}}
        _, l = sess.run([train, loss], feed_dict=batch)
        {use}"""))
    assert any("feed_dict" in r for r in reasons), reasons
