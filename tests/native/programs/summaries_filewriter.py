# tfshift-native: from=1.15
# tfshift-native: with=tensorboard
# TF1 summaries: scalars + a histogram of the forward pass merged with merge_all, a FileWriter given the session's graph,
# summaries fetched with the training op ([merged, train] and [train, loss, merged]) and alone,
# written with add_summary at explicit steps. The run test also compares the event files.
import json

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(3)
data = rng.randn(20, 4).astype("float32")
target = rng.randn(20, 2).astype("float32")

x = tf.placeholder(tf.float32, [None, 4])
y = tf.placeholder(tf.float32, [None, 2])
W = tf.Variable(rng.randn(4, 2).astype("float32") * 0.3, name="W")
b = tf.Variable(np.zeros([2], "float32"), name="b")
prediction = tf.matmul(x, W) + b
loss = tf.reduce_mean(tf.square(prediction - y))
error = tf.reduce_max(tf.abs(prediction - y))
tf.summary.scalar("loss", loss)
tf.summary.scalar("loss", error)  # a repeated name: TF1 tags it loss_1
tf.summary.histogram("predictions", prediction)
merged = tf.summary.merge_all()
bias_summary = tf.summary.scalar("bias_norm", tf.norm(b))
weights_summary = tf.summary.histogram("weights", W)
train = tf.train.GradientDescentOptimizer(0.05).minimize(loss)

losses = []
with tf.Session() as sess:
    writer = tf.summary.FileWriter("logs", sess.graph)
    sess.run(tf.global_variables_initializer())
    for step in range(6):
        if step % 2 == 0:
            summary, _ = sess.run([merged, train], feed_dict={x: data, y: target})
        else:
            _, value, summary = sess.run([train, loss, merged], feed_dict={x: data, y: target})
            losses.append(float(value))
        writer.add_summary(summary, step)
        writer.add_summary(sess.run(bias_summary), global_step=step)
        writer.add_summary(sess.run(weights_summary), step)
    writer.flush()
    writer.close()
    print("RESULT " + json.dumps({"losses": losses, "W": sess.run(W).tolist(), "b": sess.run(b).tolist()}))
