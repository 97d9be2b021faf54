# tfshift-native: from=1.15
# tfshift-native: atol=1e-5 (Adam amplifies float32 rounding in near-zero logits: 5e-6 after 10 steps)
# A TF1 graph program: placeholders, feed_dict, Adam (TF1's epsilon 1e-8), [train, loss] fetches,
# an InteractiveSession-free eval; fixed initial weights so both sides start alike.
import json

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
data = rng.randn(32, 4).astype("float32")
labels = np.eye(3, dtype="float32")[rng.randint(0, 3, 32)]

x = tf.placeholder(tf.float32, [None, 4])
y = tf.placeholder(tf.float32, [None, 3])
W1 = tf.Variable(rng.randn(4, 8).astype("float32") * 0.5, name="W1")
b1 = tf.Variable(tf.zeros([8]), name="b1")
W2 = tf.Variable(rng.randn(8, 3).astype("float32") * 0.5, name="W2")
b2 = tf.Variable(tf.zeros([3]), name="b2")
steps = tf.Variable(0, trainable=False, name="global_step")

hidden = tf.tanh(tf.matmul(x, W1) + b1)
logits = tf.matmul(hidden, W2) + b2
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
train = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=steps)
correct = tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1))
accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))

losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(10):
        _, value = sess.run([train, loss], feed_dict={x: data, y: labels})
        losses.append(float(value))
    acc = sess.run(accuracy, feed_dict={x: data, y: labels})
    final = sess.run(logits, {x: data[:2]})
    print("RESULT " + json.dumps({"losses": losses, "accuracy": float(acc), "logits": final.tolist(),
                                  "step": int(sess.run(steps))}))
