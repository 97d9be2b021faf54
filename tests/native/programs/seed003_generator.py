# tfshift-native: from=2.0
# Seed 003, third code block (generator_v20), with a harness that reads a few elements.
import json

import tensorflow as tf
import numpy as np

def generator_v20():
    for i in range(100):
        yield (np.random.rand(10,), np.random.rand(1,)) #data/label tuple


dataset_v20=tf.data.Dataset.from_generator(
    generator_v20,
    output_types=(tf.float32, tf.float32),
    output_shapes = ((10,), (1,)) #specifying output_shapes
)

np.random.seed(0)
out = [[x.numpy().tolist(), y.numpy().tolist(), x.dtype.name, list(x.shape)] for x, y in dataset_v20.take(3)]
print("RESULT " + json.dumps({"elements": [[a, b] for a, b, _, _ in out], "dtype": out[0][2], "shape": out[0][3],
                              "spec": str(dataset_v20.element_spec[0].shape)}))
