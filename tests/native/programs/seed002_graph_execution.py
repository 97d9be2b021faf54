# tfshift-native: from=1.15
# Seed 002, third code block (graph execution in a session), printing its result as RESULT.
import json

import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

a = tf.constant(5)
b = tf.constant(3)
c = tf.add(a, b)

with tf.Session() as sess:
    result = sess.run(c)
    print(result)  # Output: 8
    print("RESULT " + json.dumps({"c": int(result)}))
