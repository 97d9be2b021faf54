# tfshift-native: from=1.15
# Common TF1 training-loop shapes: [train, loss, accuracy] (accuracy from the forward pass, the
# pre-update value TF1 fetched), a (loss, train) tuple, train.run(feed_dict=...) with
# loss.eval(feed_dict=...), and an epoch loop over mini-batches fed from a dict built beforehand.
import json

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(7)
data = rng.randn(30, 4).astype("float32")
labels = np.eye(3, dtype="float32")[rng.randint(0, 3, 30)]

x = tf.placeholder(tf.float32, [None, 4])
y = tf.placeholder(tf.float32, [None, 3])
W = tf.Variable(rng.randn(4, 3).astype("float32") * 0.4, name="W")
b = tf.Variable(np.zeros([3], "float32"), name="b")
logits = tf.matmul(x, W) + b
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1))
accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

history = {"loss": [], "accuracy": [], "tuple": [], "eval": []}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(3):
        for start in range(0, 30, 10):
            batch = {x: data[start:start + 10], y: labels[start:start + 10]}
            _, value, acc = sess.run([train, loss, accuracy], feed_dict=batch)
            history["loss"].append(float(value))
            history["accuracy"].append(float(acc))
    for _ in range(2):
        value, _ = sess.run((loss, train), feed_dict={x: data, y: labels})
        history["tuple"].append(float(value))
    train.run(feed_dict={x: data, y: labels})
    history["eval"].append(float(loss.eval(feed_dict={x: data, y: labels})))
    history["W"] = sess.run(W).tolist()
print("RESULT " + json.dumps(history))
