"""A TF1 training program, as written in 2018: placeholders, tf.layers, a Session loop.

The demo scans and upgrades it with tfshift, runs the original under TF 1.15 and the upgraded
program under TF 2.21, and compares the losses it prints. Fixed weights and data, so both must
print the same numbers. Runs on Python 3.7+.
"""
import json

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
features = rng.normal(size=(64, 8)).astype("float32")
labels = (features[:, :3].sum(axis=1, keepdims=True) > 0).astype("float32")
w1 = (rng.normal(size=(8, 16)) * 0.3).astype("float32")
w2 = (rng.normal(size=(16, 1)) * 0.3).astype("float32")

x = tf.placeholder(tf.float32, [None, 8], name="x")
y = tf.placeholder(tf.float32, [None, 1], name="y")
hidden = tf.layers.dense(x, 16, activation=tf.nn.relu, name="hidden",
                         kernel_initializer=tf.constant_initializer(w1))
logits = tf.layers.dense(hidden, 1, name="logits", kernel_initializer=tf.constant_initializer(w2))
loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
train_op = tf.train.AdamOptimizer(learning_rate=0.05).minimize(loss)
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
