# tfshift-native: from=1.15
# Gradient clipping: compute_gradients, tf.clip_by_global_norm on the gradients (small enough to
# clip every step), a per-gradient clip_by_value, apply_gradients with global_step; Momentum.
import json

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(5)
data = rng.randn(24, 3).astype("float32") * 3.0
target = rng.randn(24, 1).astype("float32")

x = tf.placeholder(tf.float32, [None, 3])
y = tf.placeholder(tf.float32, [None, 1])
W = tf.Variable(np.array([[1.0], [-2.0], [0.5]], "float32"), name="W")
b = tf.Variable(np.zeros([1], "float32"), name="b")
global_step = tf.Variable(0, trainable=False, name="global_step")
loss = tf.reduce_mean(tf.square(tf.matmul(x, W) + b - y))
optimizer = tf.train.MomentumOptimizer(0.05, momentum=0.9)
grads_and_vars = optimizer.compute_gradients(loss)
gradients, variables = zip(*grads_and_vars)
gradients, _ = tf.clip_by_global_norm(gradients, 0.5)
gradients = [tf.clip_by_value(g, -0.3, 0.3) for g in gradients]
train = optimizer.apply_gradients(zip(gradients, variables), global_step=global_step)

losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(8):
        _, value = sess.run([train, loss], feed_dict={x: data, y: target})
        losses.append(float(value))
    print("RESULT " + json.dumps({"losses": losses, "W": sess.run(W).tolist(), "b": sess.run(b).tolist(),
                                  "step": int(sess.run(global_step))}))
