# tfshift-native: from=1.15
# Learning-rate decay on global_step: each TF1 schedule (their defaults and staircase/cycle forms)
# fetched at every step while gradient descent trains with an exponentially decayed rate; the step comes
# from tf.train.get_or_create_global_step() and is incremented by minimize.
import json

import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 3])
y = tf.placeholder(tf.float32, [None, 1])
W = tf.Variable(np.array([[0.2], [-0.1], [0.4]], "float32"), name="W")
b = tf.Variable(np.zeros([1], "float32"), name="b")
global_step = tf.train.get_or_create_global_step()
lr = tf.train.exponential_decay(0.1, global_step, 3, 0.7, staircase=True)
smooth = tf.train.exponential_decay(0.1, global_step, decay_steps=4, decay_rate=0.9)
pieces = tf.train.piecewise_constant(global_step, [2, 5], [0.3, 0.2, 0.1])
poly = tf.train.polynomial_decay(0.5, global_step, 5, end_learning_rate=0.01, power=2.0, cycle=True)
poly_default = tf.train.polynomial_decay(0.5, global_step, 8)
inverse = tf.train.inverse_time_decay(0.2, global_step, 2, 0.5, staircase=True)
cosine = tf.train.cosine_decay(0.3, global_step, 7, alpha=0.1)
loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + b - y))
train = tf.train.GradientDescentOptimizer(lr).minimize(loss, global_step=global_step)

rng = np.random.RandomState(1)
data = rng.randn(16, 3).astype("float32")
target = rng.randn(16, 1).astype("float32")
history = {"loss": [], "rates": []}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(12):
        rates = sess.run([lr, smooth, pieces, poly, poly_default, inverse, cosine])
        history["rates"].append([float(r) for r in rates])
        _, value = sess.run([train, loss], feed_dict={x: data, y: target})
        history["loss"].append(float(value))
    history["W"] = sess.run(W).tolist()
    history["step"] = int(sess.run(global_step))
print("RESULT " + json.dumps(history))
