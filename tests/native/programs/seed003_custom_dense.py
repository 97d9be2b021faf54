# tfshift-native: from=2.0
# Seed 003, first code block (CustomDense_v20), with a harness that injects fixed weights.
import json

import numpy as np
import tensorflow.compat.v1 as tf1
import tensorflow as tf

class CustomDense_v20(tf.keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super(CustomDense_v20, self).__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = tf1.Variable(
            tf1.random.normal((input_shape[-1], self.units)), name="kernel"
        )
        self.b = tf1.Variable(
            tf1.zeros((self.units,)), name="bias"
        )
        super(CustomDense_v20, self).build(input_shape)


    def call(self, inputs):
      return tf1.matmul(inputs, self.w) + self.b


layer = CustomDense_v20(3)
layer.build((None, 4))
rng = np.random.RandomState(0)
layer.set_weights([rng.randn(4, 3).astype("float32"), rng.randn(3).astype("float32")])
x = rng.randn(5, 4).astype("float32")
y = layer(x)
print("RESULT " + json.dumps({"y": np.asarray(y).tolist(), "weights": len(layer.trainable_weights),
                              "names": sorted(w.name.split("/")[-1].split(":")[0] for w in layer.weights)}))
