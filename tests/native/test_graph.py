"""Family 1 (graph programs) and the minimize step of family 4."""

from __future__ import annotations

import pytest

from tests.native.tools import cannot, check, native

SEED_002_BLOCK_3 = """\
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

a = tf.constant(5)
b = tf.constant(3)
c = tf.add(a, b)

with tf.Session() as sess:
    result = sess.run(c)
    print(result)  # Output: 8
"""
SEED_002_BLOCK_3_NATIVE = """\
import tensorflow as tf

a = tf.constant(5)
b = tf.constant(3)
c = tf.add(a, b)

result = c.numpy()
print(result)  # Output: 8
"""

FEED = """\
import tensorflow as tf
W = tf.Variable([.3], dtype=tf.float32)
x = tf.placeholder(tf.float32)
y = W * x
sess = tf.Session()
sess.run(tf.global_variables_initializer())
print(sess.run(y, {x: [1, 2]}))
sess.close()
"""
FEED_NATIVE = """\
import tensorflow as tf
W = tf.Variable([.3], dtype=tf.float32)

def tf1_variables():
    \"\"\"TF1 checkpoint names -> this program's variables (tfshift upgrade --native; docs/native.md).\"\"\"
    return {
        'Variable': W,
    }
def compute_y(x):
    x = tf.convert_to_tensor(x, tf.float32)
    y = W * x
    return y
print(compute_y([1, 2]).numpy())
"""

TRAIN = """\
import tensorflow as tf
w = tf.Variable(1.0, name="w")
loss = tf.square(w - 3.0)
train = tf.train.AdamOptimizer(0.1).minimize(loss)
with tf.Session() as s:
    s.run(tf.global_variables_initializer())
    for _ in range(3):
        s.run(train)
    print(s.run(w))
"""
TRAIN_NATIVE = """\
import tensorflow as tf
import keras
w = tf.Variable(1.0, name="w")

def tf1_variables():
    \"\"\"TF1 checkpoint names -> this program's variables (tfshift upgrade --native; docs/native.md).\"\"\"
    return {
        'w': w,
    }
train_optimizer = keras.optimizers.Adam(learning_rate=0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-08)
@tf.function
def train_step():
    # was: train = ...minimize(loss); the variables TF1 would train
    with tf.GradientTape() as tape:
        loss = tf.square(w - 3.0)
    variables = [w]
    gradients = tape.gradient(loss, variables)
    train_optimizer.apply_gradients(zip(gradients, variables))
    return loss
for _ in range(3):
    train_step()
print(w.numpy())
"""


@pytest.mark.parametrize(("before", "after"), [(SEED_002_BLOCK_3, SEED_002_BLOCK_3_NATIVE), (FEED, FEED_NATIVE),
                                               (TRAIN, TRAIN_NATIVE)], ids=["seed002-3", "feed", "train"])
def test_rewrites(before, after):
    check(before, after)


NO_OPS = [
    "import tensorflow as tf\nx = tf.constant(1.0)\nprint(x.numpy())\n",
    "import tensorflow as tf\nw = tf.Variable(1.0)\nw.assign_add(1.0)\n",
    # .run / .eval on things that are not graph values are not touched
    "import subprocess\nsubprocess.run(['ls'])\n",
    "import tensorflow as tf\nmodel = tf.keras.Sequential()\nmodel.evaluate(x, y)\n",
    "import tensorflow as tf\n\n@tf.function\ndef f(x):\n    return x * 2\n",
]


@pytest.mark.parametrize("text", NO_OPS)
def test_no_ops(text):
    assert native(text) == text


@pytest.mark.parametrize(("text", "reason"), [
    ("import tensorflow as tf\ndef main():\n    s = tf.Session()\n",
     "tf.Session inside a function: only module-level graph programs are rewritten yet"),
    ("import tensorflow as tf\nx = tf.placeholder(tf.float32)\ny = x * 2\ns = tf.Session()\nprint(s.run(y, feeds))\n",
     "a feed_dict tfshift cannot read (not a literal {placeholder: value})"),
    ("import tensorflow as tf\nx = tf.placeholder(tf.float32)\ny = x * 2\ns = tf.Session()\nprint(s.run(y))\n",
     "placeholder x is needed but not fed"),
    ("import tensorflow as tf\nx = tf.placeholder(tf.float32)\nif x is not None:\n    h = tf.layers.dense(x, 3)\n"
     "s = tf.Session()\nprint(s.run(h, {x: [[1.0]]}))\n",
     # a layer in a branch is written inline (keras.layers.Dense(3)(x)): it is not built once
     "creates variables inside graph code; it must be built once (layers families) before "
     "graph code can become a function"),
    ("import tensorflow as tf\nw = tf.Variable(1.0)\nl = w * w\nt = tf.train.RMSPropOptimizer(0.1).minimize(l)\n"
     "s = tf.Session()\ns.run(t)\n",
     "tf.train.RMSPropOptimizer: TF1 RMSProp starts its mean square at 1.0 and Keras's at 0.0: the first steps "
     "would differ"),
    ("import tensorflow as tf\nx = tf.placeholder(tf.float32)\ns = tf.Session()\nprint(s.graph)\n",
     "session.graph: only run and close are rewritten"),
])
def test_reported(text, reason):
    assert any(reason in said for said in cannot(text)), cannot(text)


@pytest.mark.parametrize(("text", "reason"), [
    ("import tensorflow as tf\nw = tf.Variable(1.0)\nl = w * w\ntf.summary.image('l', l)\nm = tf.summary.merge_all()\n"
     "t = tf.train.AdamOptimizer(0.1).minimize(l)\ns = tf.Session()\ns.run(t)\n", None),
    ("import tensorflow as tf\nw = tf.Variable(1.0)\nl = w * w\nsumm = tf.summary.scalar(name, l)\n"
     "t = tf.train.AdamOptimizer(0.1).minimize(l)\ns = tf.Session()\ns.run(t)\n",
     "tf.summary.scalar whose tag is not a literal name (TF1 cleans and uniquifies tags)"),
    ("import tensorflow as tf\nw = tf.Variable(1.0)\nl = w * w\no = tf.train.AdamOptimizer(0.1)\n"
     "t = o.minimize(l)\nm = o.get_slot(w, 'm')\ns = tf.Session()\ns.run(t)\n",
     "optimizer o used other than by minimize or compute_gradients / apply_gradients (get_slot, variables)"),
    ("import tensorflow as tf\nw = tf.Variable(1.0)\nstep = tf.Variable(0, trainable=False)\n"
     "lr = tf.train.exponential_decay(0.1, step, 10, 0.9)\nl = w * w\n"
     "t = tf.train.MomentumOptimizer(lr, 0.9).minimize(l, global_step=step)\ns = tf.Session()\ns.run(t)\n",
     "MomentumOptimizer with a decaying learning rate: TF1 scales the whole accumulated velocity by the "
     "current rate, Keras's SGD keeps each step's rate in it"),
], ids=["summary-expr", "summary-assign", "clipping", "lr-decay"])
def test_side_channels_are_reported(text, reason):
    reasons = cannot(text)
    assert reasons and (reason is None or reason in reasons), reasons


def test_layers_on_placeholders_built_once_and_trained():
    # The layers family makes each layer once at module level; the graph code calling it
    # becomes functions, the training step trains the layers' variables (TF1's default
    # var_list: every trainable variable made before minimize) and tf1_variables() maps the
    # layers' variables by their paths, TF1's names.
    check("""\
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 2])
        w = tf.Variable(1.0)
        h = tf.layers.dense(x * w, 3)
        loss = tf.reduce_sum(h * h)
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            s.run(train, {x: [[1.0, 2.0]]})
            print(s.run(h, {x: [[1.0, 2.0]]}))
        """, """\
        import tensorflow as tf
        import keras
        w = tf.Variable(1.0)
        dense = keras.layers.Dense(3, name='dense')  # TF1 variable names kept

        def tf1_variables():
            \"\"\"TF1 checkpoint names -> this program's variables (tfshift upgrade --native; docs/native.md).\"\"\"
            return {
                'Variable': w,
                **{v.path: v for v in dense.weights},
            }
        def compute_h(x):
            x = tf.convert_to_tensor(x, tf.float32)
            h = dense(x * w)
            return h
        train_optimizer = keras.optimizers.SGD(learning_rate=0.1)
        @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
        def train_step(x):
            # was: train = ...minimize(loss); the variables TF1 would train
            with tf.GradientTape() as tape:
                h = dense(x * w)
                loss = tf.reduce_sum(h * h)
            variables = [w, *dense.trainable_variables]
            gradients = tape.gradient(loss, variables)
            train_optimizer.apply_gradients(zip(gradients, variables))
            return loss
        train_step([[1.0, 2.0]])
        print(compute_h([[1.0, 2.0]]).numpy())
        """)
