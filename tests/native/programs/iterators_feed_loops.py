# tfshift-native: from=1.15
# TF1 input through iterators: a one-shot iterator drained by an OutOfRangeError loop, an
# initializable iterator re-initialized every epoch, and a feed_dict batching loop, all
# training the same variables with fixed initial weights.
import json

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
xs = rng.randn(10, 3).astype("float32")
ys = (xs @ np.array([[1.0], [-2.0], [0.5]], dtype="float32") + 0.3).astype("float32")

W = tf.Variable(rng.randn(3, 1).astype("float32") * 0.1, name="W")
b = tf.Variable(tf.zeros([1]), name="b")

# 1: a one-shot iterator over two epochs, drained until OutOfRangeError
dataset = tf.data.Dataset.from_tensor_slices((xs, ys)).repeat(2).batch(4)
iterator = dataset.make_one_shot_iterator()
batch_x, batch_y = iterator.get_next()
loss = tf.reduce_mean(tf.square(tf.matmul(batch_x, W) + b - batch_y))
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

# 2: an initializable iterator, one pass per epoch
epoch_data = tf.data.Dataset.from_tensor_slices({"x": xs, "y": ys}).batch(3)
epochs = epoch_data.make_initializable_iterator()
features = epochs.get_next()
epoch_loss = tf.reduce_mean(tf.abs(tf.matmul(features["x"], W) + b - features["y"]))
epoch_train = tf.train.GradientDescentOptimizer(0.05).minimize(epoch_loss)

# 3: a feed_dict batching loop
x = tf.placeholder(tf.float32, [None, 3])
y = tf.placeholder(tf.float32, [None, 1])
feed_loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + b - y))
feed_train = tf.train.GradientDescentOptimizer(0.02).minimize(feed_loss)

losses, epoch_losses, feed_losses = [], [], []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    while True:
        try:
            _, value = sess.run([train, loss])
            losses.append(float(value))
        except tf.errors.OutOfRangeError:
            break
    for epoch in range(2):
        sess.run(epochs.initializer)
        try:
            while True:
                _, value = sess.run([epoch_train, epoch_loss])
                epoch_losses.append(float(value))
        except tf.errors.OutOfRangeError:
            pass
    for start in range(0, len(xs), 4):
        _, value = sess.run([feed_train, feed_loss], feed_dict={x: xs[start:start + 4], y: ys[start:start + 4]})
        feed_losses.append(float(value))
    print("RESULT " + json.dumps({"losses": losses, "epoch_losses": epoch_losses, "feed_losses": feed_losses,
                                  "W": sess.run(W).tolist(), "b": sess.run(b).tolist()}))
