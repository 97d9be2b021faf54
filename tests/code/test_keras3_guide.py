"""Keras's migration guide, item by item: docs/keras3.md has a row for each, the guide's own
example gets the finding the row names, and Keras 2 programs using every fixed item compute the
same numbers after the upgrade (TF 2.15 before, plain Keras 3 on TF 2.21 after)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.code import equivalence, tools
from tfshift.code import rules

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "keras3.md"
HEAD = "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n"

# Every item of https://keras.io/guides/migrating_to_keras_3/ (both parts), with the guide's own
# example (shortened) and the rules that must find it; () where docs/keras3.md says why not.
GUIDE = {
    "Replace `from tensorflow import keras` / `tf.keras.*` with `import keras` / `keras.*`":
        ("x = tf.keras.layers.Dense(2)\n", {"TFK008"}),
    "`jit_compile` is `True` by default on GPU":
        ("class MyModel(keras.Model):\n    def call(self, inputs):\n"
         "        return tf.strings.to_number(tf.strings.as_string(inputs))\n", {"TFK055"}),
    "Saving a model in the TF SavedModel format":
        ("sequential_model = keras.Sequential([keras.layers.Dense(2)])\n"
         "sequential_model.save('saved_model')\n", {"TFK001"}),
    "Loading a TF SavedModel":
        ("m = keras.models.load_model('saved_model')\n", {"TFK002"}),
    "Deeply nested inputs in functional models":
        ("inputs = {'foo': keras.Input(shape=(1,), name='foo'), 'bar': {'baz': keras.Input(shape=(1,))}}\n"
         "outputs = inputs['foo'] + inputs['bar']['baz']\nkeras.Model(inputs, outputs)\n", {"TFK060"}),
    "TF autograph (`call()` no longer converted)":
        ("class MyCustomLayer(keras.layers.Layer):\n    def call(self, inputs):\n"
         "        if tf.random.uniform(()) > 0.5:\n            return inputs * 2\n"
         "        else:\n            return inputs / 2\n", {"TFK051"}),
    "Calling TF ops with a `KerasTensor`":
        ("input = keras.layers.Input([2, 2, 1])\ntf.squeeze(input)\n", {"TFK050"}),
    "Multi-output model `evaluate()`":
        ("model.compile(optimizer='adam', loss=['categorical_crossentropy', 'categorical_crossentropy'], "
         "metrics=['categorical_crossentropy'])\n", {"TFK054"}),
    "TensorFlow variables tracking":
        ("class MyCustomLayer(keras.layers.Layer):\n    def build(self, input_shape):\n"
         "        self.w = tf.Variable(initial_value=tf.zeros([input_shape[-1], 3]))\n", {"TFK009"}),
    "`None` entries in nested `call()` arguments":
        ("inputs = {'foo': keras.Input(shape=(1,), name='foo'), 'bar': {'baz': None}}\n"
         "layer = CustomLayer()\ny = CustomLayer()(inputs)\n", {"TFK060"}),
    "State-building issues (state created in `call()`)": ("", set()),
    "Removed: `keras.layers.ThresholdedReLU`": ("a = keras.layers.ThresholdedReLU(theta=0.5)\n", {"TFU101"}),
    "Removed: symbolic `Layer.add_loss()`": ("model.add_loss(tf.reduce_mean(outputs))\n", {"TFK053"}),
    "Removed: `LocallyConnected1D` / `LocallyConnected2D`": ("l = keras.layers.LocallyConnected2D(4, 3)\n", {"TFK008"}),
    "Removed: `keras.layers.experimental.RandomFourierFeatures`":
        ("l = keras.layers.experimental.RandomFourierFeatures(8)\n", {"TFK008"}),
    "Removed: layer attributes `metrics`, `dynamic`": ("d = keras.layers.Dense(1, dynamic=True)\n", {"TFK046"}),
    "Removed: RNN `constants` and `time_major` arguments":
        ("l = keras.layers.LSTM(4, time_major=True)\n", {"TFK045"}),
    "Removed: `reset_metrics` argument of `*_on_batch()`":
        ("model.train_on_batch(x, y, reset_metrics=False)\n", {"TFK047"}),
    "Removed: `keras.constraints.RadialConstraint`": ("c = keras.constraints.RadialConstraint()\n", {"TFK008"}),
    "Switching to Keras ops": ("", set()),
    "Custom `train_step()` methods": ("", set()),
    "RNG-using layers (`keras.random.SeedGenerator`)": ("", set()),
}


def _rows(text):
    """(first cell, second cell) of every table row below a "## The guide" heading."""
    rows, inside = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            inside = line.startswith("## The guide")
        elif inside and line.startswith("| ") and not line.startswith(("| Guide item", "|---")):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows.append((cells[0], cells[1]))
    return rows


def test_page_has_a_row_for_every_guide_item():
    rows = _rows(PAGE.read_text())
    assert [first for first, _ in rows] == list(GUIDE)
    for first, rule in rows:
        expected = GUIDE[first][1]
        assert (rule == "not covered") == (not expected), first
        assert rule == "not covered" or rule in expected, (first, rule)


def test_every_rule_named_on_the_page_exists_and_every_new_one_is_named():
    text = PAGE.read_text()
    named = set(re.findall(r"\bTF[A-Z]\d{3}\b", text))
    ids = {r.id for r in rules.all_rules()}
    assert named <= ids, sorted(named - ids)
    guide_rules = {i for i in ids if i.startswith("TFK") and 40 <= int(i[3:]) < 70}
    assert guide_rules <= named, sorted(guide_rules - named)


@pytest.mark.parametrize("item", [i for i, (src, _) in GUIDE.items() if src])
def test_guide_example_is_found(item):
    src, expected = GUIDE[item]
    found = {f[0] for f in tools.found(HEAD + src, source="2.15", target="2.21")}
    assert expected <= found, (item, found)


# Keras 2 programs using every fixed item; each prints one RESULT line of numbers.
LAYERS = '''# tfshift-corpus: from=2.0
import json

import numpy as np
import tensorflow as tf


class Scale(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(dynamic=False, **kwargs)

    def build(self, input_shape):
        n = input_shape.as_list()[-1]
        self.w = self.add_weight("w", (n,), tf.float32, tf.keras.initializers.Constant(0.5))

    def call(self, x):
        if tf.reduce_mean(x) > 0:
            return x * self.w
        return x * self.w * 2.0


inputs = tf.keras.Input(shape=6)
h = Scale()(inputs)
h = tf.expand_dims(h, -1)
h = tf.keras.layers.LSTM(3, time_major=False, kernel_initializer="ones",
                         recurrent_initializer="zeros")(h)
s = tf.reduce_sum(h, axis=1, keepdims=True)
a = tf.keras.layers.Dense(2, kernel_initializer="ones", name="a")(h)
b = tf.keras.layers.Dense(1, kernel_initializer="ones", name="b")(tf.nn.relu(s - 1.0))
model = tf.keras.Model(inputs, [a, b])
model.compile(tf.keras.optimizers.SGD(0.01), loss=["mse", "mse"], metrics=["mae"])
x = np.linspace(-1, 1, 48).reshape(8, 6).astype("float32")
x[4:] = -x[4:] * 0.5
y = [np.ones((8, 2), "float32"), np.ones((8, 1), "float32")]
hist = model.fit(x, y, epochs=2, batch_size=4, verbose=0, shuffle=False)
evaluated = model.evaluate(x, y, verbose=0, return_dict=True)
pred = model.predict(x, verbose=0)
print("RESULT " + json.dumps({
    "history": {k: [float(v) for v in vs] for k, vs in hist.history.items()},
    "evaluate": {k: float(v) for k, v in evaluated.items()},
    "pred": [np.asarray(p).round(5).tolist() for p in pred],
}))
'''

TRAINING = '''# tfshift-corpus: from=2.0
import json

import numpy as np
import tensorflow as tf
from tensorflow.keras import backend as K


class Halve(tf.keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        lr = float(K.get_value(self.model.optimizer.lr))
        K.set_value(self.model.optimizer.lr, lr * 0.5)


model = tf.keras.Sequential([
    tf.keras.layers.Dense(4, activation="tanh", kernel_initializer=tf.keras.initializers.Constant(0.1),
                          input_shape=(3,)),
    tf.keras.layers.Dense(1, kernel_initializer="ones"),
])
model.compile(tf.keras.optimizers.Adam(0.05), "mean_squared_error", metrics=["mae"])
x = np.linspace(0, 1, 24).reshape(8, 3).astype("float32")
y = x.sum(axis=1, keepdims=True) * 0.5
best = tf.keras.callbacks.ModelCheckpoint("ck/best", save_weights_only=True, save_best_only=True,
                                          monitor="loss")
plateau = tf.keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=1, factor=0.5)
hist = model.fit(x, y, epochs=4, batch_size=4, verbose=0, shuffle=False,
                 callbacks=[Halve(), plateau, best])
lrs = hist.history["lr"]
model.load_weights("ck/best")
batch = model.train_on_batch(x[:4], y[:4], reset_metrics=True)
path = "ck2/weights"
model.save_weights(path)
model.load_weights(path)
model.save("whole.h5")
model = tf.keras.models.load_model("whole.h5")
resumed = model.fit(x, y, epochs=2, batch_size=4, verbose=0, shuffle=False)

si = tf.keras.Input(batch_shape=(1, 3, 1))
so = tf.keras.layers.LSTM(2, stateful=True, kernel_initializer="ones", recurrent_initializer="ones")(si)
stateful_model = tf.keras.Model(si, so)
z = np.ones((1, 3, 1), "float32") * 0.1
first = stateful_model.predict(z, verbose=0)
second = stateful_model.predict(z, verbose=0)
stateful_model.reset_states()
third = stateful_model.predict(z, verbose=0)
print("RESULT " + json.dumps({
    "loss": [float(v) for v in hist.history["loss"]],
    "lr": [float(v) for v in lrs],
    "batch": [float(v) for v in batch],
    "resumed": [float(v) for v in resumed.history["loss"]],
    "stateful": [np.asarray(p).round(5).tolist() for p in (first, second, third)],
}))
'''

PROGRAMS = {
    "layers": (LAYERS, {"TFK040", "TFK041", "TFK045", "TFK046", "TFK049", "TFK050", "TFK051", "TFK054"}),
    "training": (TRAINING, {"TFK042", "TFK043", "TFK044", "TFK047", "TFK048", "TFK056", "TFK057", "TFK059"}),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_upgraded_program_computes_the_same(name, tmp_path, tf_env):
    tf_env("2.15")
    tf_env("2.21")
    source, rules_used = PROGRAMS[name]
    program = tmp_path / f"keras3_{name}.py"
    program.write_text(source)
    before, after, report = equivalence.check(program, tmp_path / "run")
    applied = {f["id"] for changed in report["changed"] for f in changed["fixes"]}
    assert rules_used <= applied, sorted(rules_used - applied)
    assert not report["internal_errors"]
    assert not report["requirements"]["environments"], report["requirements"]  # plain Keras 3
    assert not equivalence.same(before, after), equivalence.same(before, after)
    assert before["stateful" if name == "training" else "pred"]  # something was computed


def test_fixed_rules_are_run_tested():
    """Every guide rule with a default fix is used by a program above."""
    run = set().union(*(used for _, used in PROGRAMS.values()))
    fixed = {r.id for r in rules.all_rules() if r.id.startswith("TFK") and 40 <= int(r.id[3:]) < 70
             and r.fix == "safe"}
    assert not fixed - run, sorted(fixed - run)
