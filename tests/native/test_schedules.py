"""Family 4: learning-rate decay -> keras.optimizers.schedules on the global step."""

from __future__ import annotations

import pytest

from tests.native.tools import cannot, check, native

H = "import tensorflow as tf\nimport keras\n"
S = "keras.optimizers.schedules."
CASES = [
    ("lr = tf.train.exponential_decay(0.1, gs, 100, 0.96, staircase=True)\n",
     f"lr = {S}ExponentialDecay(initial_learning_rate=0.1, decay_steps=100, decay_rate=0.96, staircase=True)(gs)\n"),
    ("lr = tf.train.exponential_decay(0.1, gs, 100, 0.96)\n",
     f"lr = {S}ExponentialDecay(initial_learning_rate=0.1, decay_steps=100, decay_rate=0.96, staircase=False)(gs)\n"),
    ("lr = tf.train.inverse_time_decay(learning_rate=0.1, global_step=gs, decay_steps=10, decay_rate=0.5)\n",
     f"lr = {S}InverseTimeDecay(initial_learning_rate=0.1, decay_steps=10, decay_rate=0.5, staircase=False)(gs)\n"),
    ("lr = tf.train.polynomial_decay(0.1, gs, 1000)\n",
     f"lr = {S}PolynomialDecay(initial_learning_rate=0.1, decay_steps=1000, end_learning_rate=0.0001, power=1.0, "
     "cycle=False)(gs)\n"),
    ("lr = tf.train.cosine_decay(0.1, gs, 1000, name='lr')\n",
     f"lr = {S}CosineDecay(initial_learning_rate=0.1, decay_steps=1000, alpha=0.0)(gs)\n"),
    ("lr = tf.train.piecewise_constant(gs, [10, 20], [1.0, 0.5, 0.1])\n",
     f"lr = {S}PiecewiseConstantDecay(boundaries=[10, 20], values=[1.0, 0.5, 0.1])(gs)\n"),
    ("gs = tf.train.get_or_create_global_step()\n",
     'gs = tf.Variable(0, dtype=tf.int64, trainable=False, name="global_step")\n'),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_rewrites(before, after):
    check(H + before, H + after)


@pytest.mark.parametrize("text", [
    H + f"lr = {S}ExponentialDecay(0.1, 100, 0.96)\nopt = keras.optimizers.SGD(lr)\n",
    H + "step = tf.Variable(0, dtype=tf.int64)\n",
    H + "lr = tf.keras.optimizers.schedules.PolynomialDecay(0.1, 10)(3)\n",
])
def test_no_ops(text):
    assert native(text, major=2) == text


GRAPH = H + """\
x = tf.placeholder(tf.float32)
W = tf.Variable(1.0)
gs = tf.Variable(0, trainable=False)
lr = tf.train.exponential_decay(0.1, gs, 2, 0.5, staircase=True)
loss = tf.square(W * x - 1.0)
train = tf.train.GradientDescentOptimizer(lr).minimize(loss, global_step=gs)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    _, l = sess.run([train, loss], {x: 2.0})
    print(sess.run(lr))
"""


def test_decayed_rate_is_a_callable_learning_rate():
    text = native(GRAPH)
    assert "def compute_lr():\n    lr = keras.optimizers.schedules.ExponentialDecay(" in text
    assert "keras.optimizers.SGD(learning_rate=compute_lr)" in text
    assert "    train_optimizer.apply_gradients(zip(gradients, variables))\n    gs.assign_add(1)\n" in text
    assert "print(compute_lr().numpy())" in text


def test_separate_optimizer_statement_takes_the_callable():
    text = native(GRAPH.replace("train = tf.train.GradientDescentOptimizer(lr).minimize",
                                "opt = tf.train.AdamOptimizer(learning_rate=lr)\ntrain = opt.minimize"))
    assert "opt = keras.optimizers.Adam(learning_rate=compute_lr, beta_1=0.9" in text


@pytest.mark.parametrize(("change", "reason"), [
    (("tf.train.exponential_decay(0.1, gs, 2, 0.5, staircase=True)", "tf.train.natural_exp_decay(0.1, gs, 2, 0.5)"),
     "exp(-decay_rate)"),
    (("tf.train.GradientDescentOptimizer(lr)", "tf.train.MomentumOptimizer(lr, 0.9)"), "accumulated velocity"),
    (("tf.train.exponential_decay(0.1, gs, 2, 0.5, staircase=True)", "0.1 * x"), "placeholder x"),
    (("tf.train.GradientDescentOptimizer(lr)", "tf.train.MomentumOptimizer(0.1, lr)"), "hyper-parameter"),
    (("gs = tf.Variable(0, trainable=False)", "gs = tf.train.get_or_create_global_step()\n"
                                              "g2 = tf.train.get_global_step()"), "only one"),
])
def test_reported(change, reason):
    reasons = cannot(GRAPH.replace(*change))
    assert any(reason in r for r in reasons), reasons


CLIPPING = H + """\
x = tf.placeholder(tf.float32)
W = tf.Variable(1.0)
gs = tf.Variable(0, trainable=False)
loss = tf.square(W * x - 1.0)
opt = tf.train.AdamOptimizer(0.1)
grads_and_vars = opt.compute_gradients(loss)
clipped = [(tf.clip_by_norm(g, 1.0), v) for g, v in grads_and_vars]
train = opt.apply_gradients(clipped, global_step=gs)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    _, l = sess.run([train, loss], {x: 2.0})
"""
CLIPPING_STEP = """\
@tf.function(input_signature=[tf.TensorSpec(None, tf.float32)])
def train_step(x):
    # was: grads_and_vars = ...compute_gradients(loss), train = ...apply_gradients(...); the variables TF1 would train
    with tf.GradientTape() as tape:
        loss = tf.square(W * x - 1.0)
    variables = [W]
    grads_and_vars = list(zip(tape.gradient(loss, variables), variables))
    clipped = [(tf.clip_by_norm(g, 1.0), v) for g, v in grads_and_vars]
    opt.apply_gradients(clipped)
    gs.assign_add(1)
    return loss
"""


def test_compute_clip_apply_becomes_one_tape_step():
    text = native(CLIPPING)
    assert CLIPPING_STEP in text
    assert "_, l = [None, train_step(2.0).numpy()]" in text


def test_clipping_with_var_list_and_rebinding():
    text = native(CLIPPING.replace("opt.compute_gradients(loss)", "opt.compute_gradients(loss, var_list=[W])")
                  .replace("clipped = [(tf.clip_by_norm(g, 1.0), v) for g, v in grads_and_vars]",
                           "g, v = zip(*grads_and_vars)\ng, _ = tf.clip_by_global_norm(g, 5.0)\nclipped = zip(g, v)"))
    assert "    variables = [W]\n" in text
    assert "    g, v = zip(*grads_and_vars)\n    g, _ = tf.clip_by_global_norm(g, 5.0)\n    clipped = zip(g, v)\n" in text


@pytest.mark.parametrize(("change", "reason"), [
    (("_, l = sess.run([train, loss], {x: 2.0})", "print(sess.run(clipped[0][0], {x: 2.0}))"), "compute_gradients used outside"),
    (("_, l = sess.run([train, loss], {x: 2.0})", "n = tf.global_norm([g for g, v in clipped])\n"
      "    print(sess.run(n, {x: 2.0}))"), "compute_gradients used outside"),
    (("opt.apply_gradients(clipped, global_step=gs)", "tf.train.AdamOptimizer(0.1).apply_gradients(clipped)"),
     "cannot see"),
    (("_, l = sess.run([train, loss], {x: 2.0})", "print(opt.get_slot(W, 'm'))"), "get_slot"),
])
def test_clipping_reported(change, reason):
    reasons = cannot(CLIPPING.replace(*change))
    assert any(reason in r for r in reasons), reasons
