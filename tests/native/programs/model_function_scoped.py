# tfshift-native: from=1.15
# The usual TF1 layout: a model function (variable_scope, tf.layers with default names, a
# get_variable) called once in the graph code, trained with minimize and fetched through
# feed_dict. Natively the graph code runs at every step, so the layers and the variable must be
# made once (tf1_scopes) and trained in place. Fixed initial weights.
import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(2)
data = rng.randn(12, 4).astype("float32")
labels = rng.randint(0, 3, 12)
K = [(rng.randn(4, 6) * 0.5).astype("float32"), (rng.randn(6, 6) * 0.5).astype("float32"),
     (rng.randn(6, 3) * 0.5).astype("float32")]


def model(x):
    with tf.variable_scope("model"):
        gain = tf.get_variable("gain", [6], initializer=tf.ones_initializer())
        h = tf.layers.dense(x, 6, activation=tf.nn.tanh, kernel_initializer=tf.constant_initializer(K[0]))
        h = tf.layers.dense(h, 6, kernel_initializer=tf.constant_initializer(K[1])) * gain
        return tf.layers.dense(h, 3, kernel_initializer=tf.constant_initializer(K[2]), name="logits")


x = tf.placeholder(tf.float32, [None, 4])
y = tf.placeholder(tf.int64, [None])
logits = model(x)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)

losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(12):
        _, value = sess.run([train, loss], feed_dict={x: data, y: labels})
        losses.append(float(value))
    out = sess.run(logits, feed_dict={x: data[:2]})
    name_map = globals().get("tf1_" + "variables")  # the native program's checkpoint name map
    if name_map is not None:
        names = sorted(name_map())
    else:  # TF1's own variable names (spelled so that the upgrade leaves it alone)
        names = sorted(v.name[:-2] for v in getattr(sys.modules["tensorflow"], "trainable_" + "variables")())
    print("RESULT " + json.dumps({"losses": losses, "logits": out.tolist(), "names": names}))
