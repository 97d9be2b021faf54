"""Keras's migration guide, item by item: docs/keras3.md has a row for each, the guide's own
example gets the finding the row names, and Keras 2 programs using every fixed item compute the
same numbers after the upgrade (TF 2.15 before, plain Keras 3 on TF 2.21 after)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from tests.code import tools
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


def _rows(text, heading="## The guide"):
    """(first cell, second cell) of every table row below a heading starting with `heading`."""
    rows, inside = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            inside = line.startswith(heading)
        elif inside and line.startswith("| ") and not line.startswith(("| Guide item", "| Break |", "|---")):
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


# Keras 3.15 (TF 2.21) builds and runs these again (test_keras3_runs.py: nested_inputs).
BEFORE_2_21 = {"Deeply nested inputs in functional models", "`None` entries in nested `call()` arguments"}


@pytest.mark.parametrize("item", [i for i, (src, _) in GUIDE.items() if src])
def test_guide_example_is_found(item):
    src, expected = GUIDE[item]
    target = "2.20" if item in BEFORE_2_21 else "2.21"
    found = {f[0] for f in tools.found(HEAD + src, source="2.15", target=target)}
    assert expected <= found, (item, found)
    if item in BEFORE_2_21:
        assert not expected & {f[0] for f in tools.found(HEAD + src, source="2.15", target="2.21")}


# Keras 2 programs using every fixed item; each prints one RESULT line of numbers. They run in
# test_keras3_runs.py's batches ("guide_layers", "guide_training"): TF 2.15, then upgraded, TF 2.21.
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


def test_fixed_rules_are_run_tested():
    """Every guide rule with a default fix is used by a program above or one RUN_TESTS names."""
    run = set().union(*(used for _, used in PROGRAMS.values())) | {rule for rule, _ in RUN_TESTS.values()}
    fixed = {r.id for r in rules.all_rules() if r.id.startswith("TFK") and 40 <= int(r.id[3:]) < 70
             and r.fix == "safe"}
    assert not fixed - run, sorted(fixed - run)


# Every item of the guide, of the page's further breaks and of issue 15 -> (its rule, the test that
# runs a program using it on TF 2.15 and its upgrade on TF 2.21 and compares them).
GUIDE_RUN = "tests/code/test_keras3_runs.py::test_upgraded_program_runs_on_keras_3[guide_{}]"
RUN = "tests/code/test_keras3_runs.py::test_upgraded_program_runs_on_keras_3[{}]"
PROGRAM = "tests/code/test_keras3_programs.py::test_upgraded_program_trains_the_same[{}]"
RUN_TESTS = {
    # the guide, part 1
    "Replace `from tensorflow import keras` / `tf.keras.*` with `import keras` / `keras.*`":
        ("TFK008", RUN.format("keras_namespace")),
    "`jit_compile` is `True` by default on GPU": ("TFK055", RUN.format("jit_string_ops")),
    "Saving a model in the TF SavedModel format": ("TFK001", RUN.format("savedmodel_pair")),
    "Loading a TF SavedModel": ("TFK002", RUN.format("savedmodel_load")),
    "Deeply nested inputs in functional models": ("TFK060", RUN.format("nested_inputs")),
    "TF autograph (`call()` no longer converted)": ("TFK051", GUIDE_RUN.format("layers")),
    "Calling TF ops with a `KerasTensor`": ("TFK050", GUIDE_RUN.format("layers")),
    "Multi-output model `evaluate()`": ("TFK054", GUIDE_RUN.format("layers")),
    "TensorFlow variables tracking": ("TFK009", RUN.format("variable_tracking")),
    "`None` entries in nested `call()` arguments": ("TFK060", RUN.format("nested_inputs")),
    "Removed: `keras.layers.ThresholdedReLU`": ("TFU101", RUN.format("thresholded_relu")),
    "Removed: symbolic `Layer.add_loss()`": ("TFK053", RUN.format("symbolic_add_loss")),
    "Removed: `LocallyConnected1D` / `LocallyConnected2D`": ("TFK008", RUN.format("keras2_only_layers")),
    "Removed: `keras.layers.experimental.RandomFourierFeatures`": ("TFK008", RUN.format("keras2_only_layers")),
    "Removed: layer attributes `metrics`, `dynamic`": ("TFK046", GUIDE_RUN.format("layers")),
    "Removed: RNN `constants` and `time_major` arguments": ("TFK045", GUIDE_RUN.format("layers")),
    "Removed: `reset_metrics` argument of `*_on_batch()`": ("TFK047", GUIDE_RUN.format("training")),
    "Removed: `keras.constraints.RadialConstraint`": ("TFK008", RUN.format("keras2_only_layers")),
    # the page's further breaks, by rule
    "TFK040": ("TFK040", GUIDE_RUN.format("layers")),
    "TFK041": ("TFK041", GUIDE_RUN.format("layers")),
    "TFK042": ("TFK042", GUIDE_RUN.format("training")),
    "TFK043": ("TFK043", GUIDE_RUN.format("training")),
    "TFK044": ("TFK044", GUIDE_RUN.format("training")),
    "TFK048": ("TFK048", GUIDE_RUN.format("training")),
    "TFK049": ("TFK049", GUIDE_RUN.format("layers")),
    "TFK052": ("TFK052", RUN.format("add_metric")),
    "TFK003": ("TFK003", RUN.format("checkpoint_weights")),
    "TFK057": ("TFK057", GUIDE_RUN.format("training")),
    "TFK056": ("TFK056", GUIDE_RUN.format("training")),
    "TFK058": ("TFK058", RUN.format("latest_checkpoint")),
    "TFK059": ("TFK059", GUIDE_RUN.format("training")),
    "TFK004": ("TFK004", RUN.format("fit_generator")),
    "TFK005": ("TFK005", PROGRAM.format("lr_ignored")),
    "TFK006": ("TFK006", RUN.format("fit_workers")),
    "TFK007": ("TFK007", PROGRAM.format("backend_functions")),
    "TFK010": ("TFK010", RUN.format("h5_loss_alias")),
    "TFK070": ("TFK070", PROGRAM.format("metric_reset")),
    "TFK071": ("TFK071", RUN.format("tf_summary")),
    "TFK072": ("TFK072", PROGRAM.format("metric_label_rank")),
    "TFN001": ("TFN001", PROGRAM.format("numpy2_aliases")),
    "TFK061": ("TFK061", RUN.format("image_data_generator_standalone")),
    "TFK073": ("TFK073", RUN.format("weight_names")),
    "TFN002": ("TFN002", RUN.format("numpy2_array_scalar")),
    # issue 15's own items
    "issue 15: TensorBoard callback needs the tensorboard package": ("TFK071", PROGRAM.format("tensorboard_callback")),
    "issue 15: tf.summary needs the tensorboard package": ("TFK071", RUN.format("tf_summary")),
    "issue 15: NumPy 2, `\"%.1f\" % arr` with a shape-(1,) array": ("TFN002", RUN.format("numpy2_array_scalar")),
    "issue 15: NumPy 2, removed aliases": ("TFN001", PROGRAM.format("numpy2_aliases")),
    "issue 15: TFU100 ImageDataGenerator": ("TFK008", RUN.format("image_data_generator")),
    "issue 15: TFU100 ImageDataGenerator from standalone Keras": ("TFK061", RUN.format("image_data_generator_standalone")),
    "issue 15: save / load pairs consistent": ("TFK001", RUN.format("savedmodel_pair")),
    "issue 15: a reloaded SavedModel trained on": ("TFK001", RUN.format("savedmodel_resume")),
    "issue 15: a SavedModel saved for serving": ("TFK001", RUN.format("savedmodel_export")),
    "issue 15: lr= ignored by TF 2.11-2.15 optimizers": ("TFK005", PROGRAM.format("lr_ignored")),
    "issue 15: K.random_normal, K.random_uniform": ("TFK007", RUN.format("backend_random")),
    "issue 15: K.flatten, K.gather, K.int_shape...": ("TFK007", PROGRAM.format("backend_functions")),
    "issue 15: a custom metric on rank-1 labels": ("TFK072", PROGRAM.format("metric_label_rank")),
}


def _further_rules():
    return {rule for _, rule in _rows(PAGE.read_text(), "## Further")}


def test_every_item_has_a_run_test():
    items = {item for item, (_, rules_expected) in GUIDE.items() if rules_expected} | _further_rules()
    assert not items - set(RUN_TESTS), sorted(items - set(RUN_TESTS))
    for item, (rule, _) in RUN_TESTS.items():
        if item in GUIDE:
            assert rule in GUIDE[item][1], (item, rule)
        elif item in _further_rules():
            assert rule == item


def _marks(thing):
    marks = getattr(thing, "pytestmark", [])
    return marks if isinstance(marks, list) else [marks]


def _parametrized(function):
    return {value for mark in getattr(function, "pytestmark", []) if mark.name == "parametrize"
            for value in mark.args[1]}


@pytest.mark.parametrize("test_id", sorted({test for _, test in RUN_TESTS.values()}))
def test_the_run_test_exists_and_uses_the_rule(test_id):
    path, rest = test_id.split("::")
    name, param = re.fullmatch(r"(\w+)\[(\w+)\]", rest).groups()
    module = importlib.import_module(path[:-3].replace("/", "."))
    function = getattr(module, name)
    marks = [*_marks(module), *_marks(function)]
    assert "slow" in {m.name for m in marks}, test_id  # it runs TensorFlow
    assert param in _parametrized(function), test_id
    # a rule not about 2.21 (TFK060) is shown not needed there: the program runs without it
    about_2_21 = {r.id for r in rules.all_rules() if r.applies("2.15", "2.21")}
    rules_used = {rule for rule, test in RUN_TESTS.values() if test == test_id and rule in about_2_21}
    programs = module.PROGRAMS
    if module.__name__.endswith("test_keras3_runs"):
        spec = programs[param]
        assert rules_used <= spec.fixed | spec.reported, (test_id, rules_used)
    else:
        assert all(rule in programs[param] or rule in _comment_above(module, param) for rule in rules_used), test_id


def _comment_above(module, param):
    """The comment line above a program of test_keras3_programs (it names the rules)."""
    text = Path(module.__file__).read_text()
    at = text.index(f'    "{param}":')
    return text[text.rfind("#", 0, at):at]
