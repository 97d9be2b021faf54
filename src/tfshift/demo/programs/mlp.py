"""A small MLP written twice: TF1 style (placeholders, Session, tf.layers) and TF2 style (Keras).

The demo runs this file under TF 1.15 and TF 2.21 with `tfshift matrix`; it picks the style that
matches the TensorFlow it finds. Both styles use the same fixed weights and inputs, so they must
print the same probabilities. With --export DIR, the TF1 style also writes the model as a frozen
graph, a checkpoint and a SavedModel, and the TF2 style as a SavedModel, for the later demo steps.
Runs on Python 3.7+.
"""
import argparse
import json
import os
import sys

import numpy as np

import tensorflow as tf


def weights():
    rng = np.random.RandomState(0)
    w1 = (rng.normal(size=(8, 16)) * 0.5).astype("float32")
    b1 = (rng.normal(size=16) * 0.1).astype("float32")
    w2 = (rng.normal(size=(16, 3)) * 0.5).astype("float32")
    b2 = (rng.normal(size=3) * 0.1).astype("float32")
    x = rng.normal(size=(4, 8)).astype("float32")
    return w1, b1, w2, b2, x


def tf1_style(export):
    w1, b1, w2, b2, data = weights()
    x = tf.placeholder(tf.float32, [None, 8], name="x")
    hidden = tf.layers.dense(x, 16, activation=tf.nn.relu, name="hidden",
                             kernel_initializer=tf.constant_initializer(w1),
                             bias_initializer=tf.constant_initializer(b1))
    logits = tf.layers.dense(hidden, 3, name="logits",
                             kernel_initializer=tf.constant_initializer(w2),
                             bias_initializer=tf.constant_initializer(b2))
    probs = tf.nn.softmax(logits, name="probs")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(probs, feed_dict={x: data})
        if export:
            os.makedirs(export, exist_ok=True)
            frozen = tf.graph_util.convert_variables_to_constants(
                sess, sess.graph.as_graph_def(), ["probs"])
            with open(os.path.join(export, "mlp_frozen.pb"), "wb") as fh:
                fh.write(frozen.SerializeToString())
            tf.train.Saver().save(sess, os.path.join(export, "checkpoint", "mlp"))
            tf.saved_model.simple_save(sess, os.path.join(export, "saved_model"),
                                       inputs={"x": x}, outputs={"probs": probs})
            np.savez(os.path.join(export, "inputs.npz"), x=data)
            np.save(os.path.join(export, "expected.npy"), out)
    return "graph mode: tf.placeholder, tf.Session, tf.layers.dense", out


def tf2_style(export):
    w1, b1, w2, b2, data = weights()
    keras = tf.keras
    inputs = keras.Input(shape=(8,), name="x")
    hidden = keras.layers.Dense(16, activation="relu", name="hidden")(inputs)
    logits = keras.layers.Dense(3, name="logits")(hidden)
    probs = keras.layers.Softmax(name="probs")(logits)
    model = keras.Model(inputs, probs)
    model.get_layer("hidden").set_weights([w1, b1])
    model.get_layer("logits").set_weights([w2, b2])
    out = model(data).numpy()
    if export:
        os.makedirs(export, exist_ok=True)
        model.save(os.path.join(export, "mlp.keras"))
        np.savez(os.path.join(export, "inputs.npz"), x=data)
        np.save(os.path.join(export, "expected.npy"), out)
    return "eager mode: tf.keras.Model called directly", out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--export", help="write the model here (a folder per TF version)")
    args = parser.parse_args()
    export = os.path.join(args.export, "tf" + tf.__version__) if args.export else None
    style, out = (tf1_style if tf.__version__.startswith("1.") else tf2_style)(export)
    print("RESULT " + json.dumps({"tf": tf.__version__, "style": style, "probs": out.tolist()}))
    print("TensorFlow %s on Python %d.%d (%s)" % (tf.__version__, sys.version_info[0],
                                                 sys.version_info[1], style))
    for row in out:
        print("  " + "  ".join("%.6f" % v for v in row))
    print("classes %s, checksum %.6f" % (out.argmax(axis=1).tolist(), float((out * out).sum())))


if __name__ == "__main__":
    main()
