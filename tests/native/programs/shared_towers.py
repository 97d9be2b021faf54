# tfshift-native: from=1.15
# Shared towers (issue 13, family 3): a function called twice under variable_scope reuse
# (tf.AUTO_REUSE, then reuse=True and reuse_variables()), with get_variable and tf.layers inside,
# trained by minimize on a loss over both towers. TF1 shares the variables by scope name; the
# native program must make them once and train the same ones. Fixed initial weights.
import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(1)
left = rng.randn(8, 3).astype("float32")
right = rng.randn(8, 3).astype("float32")
similar = rng.randint(0, 2, (8, 1)).astype("float32")
W0 = (rng.randn(3, 5) * 0.4).astype("float32")
K1 = (rng.randn(5, 4) * 0.4).astype("float32")
K2 = (rng.randn(4, 2) * 0.4).astype("float32")


def tower(x):
    with tf.variable_scope("tower", reuse=tf.AUTO_REUSE):
        w = tf.get_variable("w", [3, 5], initializer=tf.constant_initializer(W0))
        h = tf.nn.tanh(tf.matmul(x, w))
        h = tf.layers.dense(h, 4, activation=tf.nn.relu, kernel_initializer=tf.constant_initializer(K1))
        return tf.layers.dense(h, 2, kernel_initializer=tf.constant_initializer(K2), name="embed")


def head(a, b):
    with tf.variable_scope("head"):
        scale = tf.get_variable("scale", [], initializer=tf.constant_initializer(0.5))
    with tf.variable_scope("head", reuse=True):
        same = tf.get_variable("scale", [])
    return tf.reduce_sum(tf.square(a - b), axis=1, keepdims=True) * scale * same


x1 = tf.placeholder(tf.float32, [None, 3])
x2 = tf.placeholder(tf.float32, [None, 3])
y = tf.placeholder(tf.float32, [None, 1])
distance = head(tower(x1), tower(x2))
loss = tf.reduce_mean(tf.square(distance - y))
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(15):
        _, value = sess.run([train, loss], feed_dict={x1: left, x2: right, y: similar})
        losses.append(float(value))
    final = sess.run(distance, feed_dict={x1: left[:3], x2: right[:3]})
    name_map = globals().get("tf1_" + "variables")  # the native program's checkpoint name map
    if name_map is not None:
        names = sorted(name_map())
    else:  # TF1's own variable names (spelled so that the upgrade leaves it alone)
        names = sorted(v.name[:-2] for v in getattr(sys.modules["tensorflow"], "trainable_" + "variables")())
    print("RESULT " + json.dumps({"losses": losses, "distance": final.tolist(), "names": names}))
