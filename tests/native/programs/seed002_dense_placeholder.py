# tfshift-native: from=1.15
# Seed 002, first code block (a placeholder and tf.layers.dense), completed as a TF1 program
# would be: a second layer, a loss, a training loop with minimize and feed_dict, a fetch.
# Fixed initial weights (constant initializers) so both sides start alike.
import json
import sys

import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

rng = np.random.RandomState(0)
data = rng.randn(16, 10).astype("float32")
targets = rng.randn(16, 1).astype("float32")
W1 = (rng.randn(10, 20) * 0.3).astype("float32")
W2 = (rng.randn(20, 1) * 0.3).astype("float32")

input_tensor = tf.placeholder(tf.float32, shape=(None, 10))
dense_layer = tf.layers.dense(inputs=input_tensor, units=20, activation=tf.nn.relu,
                              kernel_initializer=tf.constant_initializer(W1))
output = tf.layers.dense(dense_layer, 1, kernel_initializer=tf.constant_initializer(W2),
                         bias_initializer=tf.constant_initializer(0.1))
target = tf.placeholder(tf.float32, shape=(None, 1))
loss = tf.reduce_mean(tf.square(output - target))
train = tf.train.GradientDescentOptimizer(0.05).minimize(loss)

losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(20):
        _, value = sess.run([train, loss], feed_dict={input_tensor: data, target: targets})
        losses.append(float(value))
    predictions = sess.run(output, feed_dict={input_tensor: data[:3]})
    name_map = globals().get("tf1_" + "variables")  # the native program's checkpoint name map
    if name_map is not None:
        names = sorted(name_map())
    else:  # TF1's own variable names (spelled so that the upgrade leaves it alone)
        names = sorted(v.name[:-2] for v in getattr(sys.modules["tensorflow"], "trainable_" + "variables")())
    print("RESULT " + json.dumps({"losses": losses, "predictions": predictions.tolist(),
                                  "names": names}))
