# tfshift-native: from=1.15
# Momentum and Adagrad (TF1's initial accumulator 0.1, no epsilon), an InteractiveSession with
# .run() / .eval(), a loop accumulating the loss, fetched variables, Adam on tiny gradients.
import json

import numpy as np
import tensorflow as tf

xs = [0.0, 1.0, 2.0, 3.0, 4.0]
ys = [1.0, 2.9, 5.1, 7.0, 9.2]
m = tf.Variable(0.5)
c = tf.Variable(-0.5)
u = tf.Variable(np.ones([2], "float32"))
# Gradients near 1e-8: Adam's epsilon decides the step (TF1 1e-8; Keras's default 1e-7 would not agree)
t = tf.Variable([0.5, -0.25])
tiny = 1e-8 * tf.reduce_sum(tf.square(t))

error = 0.0
for px, py in zip(xs, ys):
    error += (py - (m * px + c)) ** 2
other = tf.reduce_sum(tf.square(u - tf.constant([3.0, -2.0])))

fit = tf.train.MomentumOptimizer(learning_rate=0.001, momentum=0.9).minimize(error, var_list=[m, c])
pull = tf.train.AdagradOptimizer(0.5).minimize(other, var_list=[u])
nudge = tf.train.AdamOptimizer(learning_rate=0.1).minimize(tiny, var_list=[t])

sess = tf.InteractiveSession()
tf.global_variables_initializer().run()
for _ in range(50):
    sess.run(fit)
    sess.run(pull)
    sess.run(nudge)
values = sess.run((m, c))
print("RESULT " + json.dumps({"m": float(values[0]), "c": float(values[1]), "u": u.eval().tolist(), "t": t.eval().tolist(),
                              "error": float(error.eval()), "other": float(sess.run(other))}))
sess.close()
