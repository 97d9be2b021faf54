# tfshift-native: from=1.15
# tf.train.Saver: restore the newest checkpoint when there is one (written by the TF1 original
# when the test runs the migration), train, save with global_step. The run test runs the
# original twice on TF 1.15 and the migration once on 2.21 from the original's first checkpoint.
import json
import os

import numpy as np
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 2])
y = tf.placeholder(tf.float32, [None, 1])
W = tf.Variable(np.array([[0.5], [-0.3]], "float32"), name="weights")
b = tf.Variable(np.zeros([1], "float32"), name="bias")
step = tf.Variable(0, trainable=False, name="global_step")
loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + b - y))
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
saver = tf.train.Saver(max_to_keep=2)

data = np.array([[1.0, 2.0], [2.0, 1.0], [0.5, -1.0]], "float32")
target = np.array([[1.0], [0.0], [2.0]], "float32")
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    latest = tf.train.latest_checkpoint("ckpt")
    if latest:
        saver.restore(sess, latest)
    for _ in range(3):
        sess.run(train, feed_dict={x: data, y: target})
    written = saver.save(sess, os.path.join("ckpt", "model"), global_step=sess.run(step))
    print("RESULT " + json.dumps({"W": sess.run(W).tolist(), "b": sess.run(b).tolist(), "step": int(sess.run(step)),
                                  "restored": bool(latest), "written": os.path.basename(written)}))
