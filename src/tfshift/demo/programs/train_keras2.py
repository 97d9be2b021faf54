"""A Keras 2 program, as written for TF 2.15: tf.keras, fit_generator, an .h5 save and reload.

The demo upgrades it for TF 2.21 (Keras 3) with tfshift, runs the original under TF 2.15 and the
upgraded program under TF 2.21, and compares the losses. Fixed weights and data.
"""
import json
import os
import sys
import tempfile

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
features = rng.normal(size=(64, 8)).astype("float32")
labels = (features[:, :3].sum(axis=1) > 0).astype("float32")

model = tf.keras.Sequential([
    tf.keras.layers.Dense(16, activation="relu", input_shape=(8,), name="hidden"),
    tf.keras.layers.Dense(1, name="logits"),
])
model.get_layer("hidden").set_weights([(rng.normal(size=(8, 16)) * 0.3).astype("float32"),
                                       np.zeros(16, "float32")])
model.get_layer("logits").set_weights([(rng.normal(size=(16, 1)) * 0.3).astype("float32"),
                                       np.zeros(1, "float32")])
model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.05),
              loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))


def batches():
    while True:
        yield features, labels


history = model.fit_generator(batches(), steps_per_epoch=1, epochs=20, verbose=0)
path = os.path.join(tempfile.mkdtemp(), "model.h5")
model.save(path)
restored = tf.keras.models.load_model(path)
same = bool(np.allclose(restored.predict(features, verbose=0), model.predict(features, verbose=0)))
losses = [float(v) for v in history.history["loss"]]
print("RESULT " + json.dumps({"tf": tf.__version__, "losses": losses, "reloaded": same}))
print("TensorFlow %s (Python %d.%d): loss %.6f -> %.6f, reload %s" % (
    tf.__version__, sys.version_info[0], sys.version_info[1], losses[0], losses[-1], same))
