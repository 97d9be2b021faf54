"""Family 1 on shapes real TF1 programs have (aymericdamien/TensorFlow-Examples, NakedTensor):
each pair is the smallest program with the shape a real one had where the rewrite failed."""

from __future__ import annotations

from tests.native.tools import check

# logistic_regression.py: a sess.run call over two lines inside `with tf.Session()`; the
# dedent of the with body must not cut into the replaced call.
RUN_OVER_TWO_LINES = """\
import tensorflow as tf
x = tf.placeholder(tf.float32)
w = tf.Variable(1.0)
cost = tf.square(w * x)
train = tf.train.GradientDescentOptimizer(0.1).minimize(cost)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(3):
        _, c = sess.run([train, cost], feed_dict={x: 1.0,
                                                  })
        print(c)
"""
RUN_OVER_TWO_LINES_NATIVE = """\
import tensorflow as tf
import keras
w = tf.Variable(1.0)

def tf1_variables():
    \"\"\"TF1 checkpoint names -> this program's variables (tfshift upgrade --native; docs/native.md).\"\"\"
    return {
        'Variable': w,
    }
train_optimizer = keras.optimizers.SGD(learning_rate=0.1)
@tf.function
def train_step(x):
    # was: train = ...minimize(cost); the variables TF1 would train
    with tf.GradientTape() as tape:
        x = tf.convert_to_tensor(x, tf.float32)
        cost = tf.square(w * x)
    variables = [w]
    gradients = tape.gradient(cost, variables)
    train_optimizer.apply_gradients(zip(gradients, variables))
    return cost
for i in range(3):
    _, c = [None, train_step(1.0).numpy()]
    print(c)
"""


def test_run_over_two_lines_in_a_session_with():
    check(RUN_OVER_TWO_LINES, RUN_OVER_TWO_LINES_NATIVE)
