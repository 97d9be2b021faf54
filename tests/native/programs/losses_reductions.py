# tfshift-native: from=1.15
# tf.losses with their default and explicit reductions, trained with plain gradient descent.
import json

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(1)
data = rng.randn(16, 3).astype("float32")
targets = rng.randn(16, 2).astype("float32")
onehot = np.eye(2, dtype="float32")[rng.randint(0, 2, 16)]

x = tf.placeholder(tf.float32, [None, 3])
t = tf.placeholder(tf.float32, [None, 2])
k = tf.placeholder(tf.float32, [None, 2])
W = tf.Variable(rng.randn(3, 2).astype("float32"))
out = tf.matmul(x, W)
mse = tf.losses.mean_squared_error(t, out)
summed = tf.losses.absolute_difference(t, out, reduction=tf.losses.Reduction.SUM)
xent = tf.losses.softmax_cross_entropy(k, out)
per_element = tf.losses.mean_squared_error(labels=t, predictions=out, reduction=tf.losses.Reduction.NONE)
total = mse + 0.01 * summed + xent
train = tf.train.GradientDescentOptimizer(0.1).minimize(total)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    history = []
    for _ in range(5):
        _, value = sess.run([train, total], {x: data, t: targets, k: onehot})
        history.append(float(value))
    parts = sess.run([mse, summed, xent], {x: data, t: targets, k: onehot})
    elements = sess.run(per_element, {x: data[:2], t: targets[:2]})
    print("RESULT " + json.dumps({"history": history, "parts": [float(p) for p in parts],
                                  "elements": elements.tolist()}))
