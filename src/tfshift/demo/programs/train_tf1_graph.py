"""A TF1 graph program with no layers library: placeholders, variables, Adam, a Session loop.

The demo migrates it with `tfshift upgrade --native` into plain TensorFlow 2 (no tf.compat.v1,
no Session), runs the original under TF 1.15 and the native program under TF 2.21, and compares
the losses. Fixed weights and data, so both must print the same numbers. Python 3.7+.
"""
import json

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
features = rng.normal(size=(64, 8)).astype("float32")
labels = (features[:, :3].sum(axis=1, keepdims=True) > 0).astype("float32")

x = tf.placeholder(tf.float32, [None, 8], name="x")
y = tf.placeholder(tf.float32, [None, 1], name="y")
w1 = tf.Variable((rng.normal(size=(8, 16)) * 0.3).astype("float32"), name="w1")
b1 = tf.Variable(tf.zeros([16]), name="b1")
w2 = tf.Variable((rng.normal(size=(16, 1)) * 0.3).astype("float32"), name="w2")
b2 = tf.Variable(tf.zeros([1]), name="b2")
hidden = tf.tanh(tf.matmul(x, w1) + b1)
logits = tf.matmul(hidden, w2) + b2
loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
train_op = tf.train.GradientDescentOptimizer(learning_rate=0.5).minimize(loss)
accuracy = tf.reduce_mean(tf.to_float(tf.equal(tf.to_float(logits > 0), y)))

losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(20):
        _, value = sess.run([train_op, loss], feed_dict={x: features, y: labels})
        losses.append(float(value))
    final = float(sess.run(accuracy, feed_dict={x: features, y: labels}))

print("RESULT " + json.dumps({"tf": tf.__version__, "losses": losses, "accuracy": final}))
print("TensorFlow %s: loss %.6f -> %.6f, accuracy %.3f" % (tf.__version__, losses[0], losses[-1], final))
