# tfshift-native: from=1.15
# Shapes of real TF1 programs (tests/native/test_graph_real_shapes.py): variables from
# tf.Variable, tf.get_variable and a dict (all trained), a model function of the placeholder, a name
# assigned twice, int64 data fed to a float32 placeholder, a named feed dict, a fetched
# expression, eval(session=sess); fixed initial weights so both sides start alike.
import json

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
data = rng.randint(0, 3, size=(16, 4))  # int64, fed to a float32 placeholder
labels = rng.randn(16, 1).astype("float32")


def model(X, w, b):
    return tf.matmul(X, w) + b


X = tf.placeholder(tf.float32, [None, 4])
Y = tf.placeholder(tf.float32, [None, 1])
w_h = tf.Variable(tf.constant(rng.randn(4, 8).astype("float32") * 0.5))
b_h = tf.get_variable("b_h", [8], initializer=tf.zeros_initializer())
out = {"w": tf.Variable(rng.randn(8, 1).astype("float32") * 0.5), "b": tf.Variable(tf.zeros([1]))}
h = model(X, w_h, b_h)
h = tf.nn.relu(h)
pred = model(h, out["w"], out["b"])
cost = tf.reduce_mean(tf.square(pred - Y))
train = tf.train.GradientDescentOptimizer(0.05).minimize(cost)

losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(8):
        feed = {X: data, Y: labels}
        _, c = sess.run([train, cost], feed_dict=feed)
        losses.append(float(c))
    scaled = sess.run(cost * 100, feed_dict={X: data, Y: labels})
    final = pred.eval(feed_dict={X: data[:2]}, session=sess)
    print("RESULT " + json.dumps({"losses": losses, "scaled": float(scaled), "pred": final.tolist(),
                                  "w_out": sess.run(out["w"]).tolist(), "b_h": sess.run(b_h).tolist()}))
