"""Small Keras 2 programs, one per break, run for real: each on TF 2.15 (Keras 2) as written, then
`tfshift upgrade --from 2.15 --to 2.21` and the result on TF 2.21 (Keras 3, in the environment
the upgrade report asks for, with the packages it names), outputs compared.

A program either computes the same numbers after the upgrade ("same"), or keeps a reported
finding and fails on 2.21 as the finding says ("fails"); then the rule's own "Use instead",
applied by hand (`edit`), must compute the same numbers. All programs of a TensorFlow version
run in one process (tests/code/keras3_runner.py) so that the whole module takes one
TensorFlow import per environment; `fit(shuffle=False)` and weights set from NumPy, because
Keras 2 and 3 draw different random numbers.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.code import equivalence
from tests.code.test_keras3_guide import PROGRAMS as GUIDE_PROGRAMS

pytestmark = pytest.mark.slow
RUNNER = Path(__file__).with_name("keras3_runner.py")

PRELUDE = """\
import json
import numpy as np
import tensorflow as tf
from tensorflow import keras
rs = np.random.RandomState(0)
x = rs.rand(64, 6).astype("float32")
y = (x @ rs.rand(6, 1)).astype("float32")


def init(model):
    weights = np.random.RandomState(1)
    model.set_weights([weights.uniform(-0.5, 0.5, w.shape).astype("float32") for w in model.get_weights()])
    return model


def dense_model():
    return init(keras.Sequential([keras.layers.Dense(4, activation="tanh", input_shape=(6,)), keras.layers.Dense(1)]))


def emit(**numbers):
    print("RESULT " + json.dumps({k: np.asarray(v, "float64").round(5).tolist() for k, v in numbers.items()}))
"""


IMAGES = """
images = rs.randint(0, 255, size=(32, 4, 4, 1)).astype("float32")
labels = rs.rand(32, 1).astype("float32")
gen = ImageDataGenerator(rescale=1.0 / 255, featurewise_center=True, featurewise_std_normalization=True)
gen.fit(images)  # (flow() needs SciPy under Keras 2: not in these environments)
standard = gen.standardize(images.copy())
model = init(keras.Sequential([keras.layers.Flatten(input_shape=(4, 4, 1)), keras.layers.Dense(1)]))
model.compile(optimizer="sgd", loss="mse")
hist = model.fit(standard, labels, epochs=2, batch_size=8, shuffle=False, verbose=0)
emit(loss=hist.history["loss"], mean=gen.mean, first=standard[:2])
"""


@dataclass(frozen=True)
class Program:
    source: str
    fixed: frozenset = frozenset()  # rules whose fix the upgrade must apply
    reported: frozenset = frozenset()  # rules whose finding must remain in the report
    expect: str = "same"  # or "fails": the upgraded program fails on 2.21 (its finding says why)
    edit: tuple = ()  # (old, new) pairs: the finding's advice applied by hand, then "same"
    group: str = "plain"  # "unsafe": upgraded with --unsafe-fixes; "keras2": in its own folder
    packages: frozenset = field(default_factory=frozenset)  # what the report must ask for


def program(source, fixed=(), reported=(), **options):
    return Program(source, frozenset(fixed), frozenset(reported), **options)


PROGRAMS = {
    # Every fixed item of the guide and of docs/keras3.md's further breaks, in two programs.
    **{f"guide_{name}": program(source, used) for name, (source, used) in GUIDE_PROGRAMS.items()},
    # Guide: "Replace `from tensorflow import keras` / `tf.keras.*`" (every form of the import).
    "keras_namespace": program("""
from tensorflow.keras import layers, models
from tensorflow.keras.layers import Dense
import tensorflow.keras.backend as K
model = init(models.Sequential([layers.Input(shape=(6,)), Dense(3, activation="relu"), tf.keras.layers.Dense(1)]))
model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss=tf.keras.losses.MeanSquaredError())
hist = model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
onehot = tf.keras.utils.to_categorical([0, 2, 1], 3)
emit(loss=hist.history["loss"], onehot=onehot, floatx=[K.epsilon()])
""", {"TFK008"}),
    # Guide: "Saving a model in the TF SavedModel format" and "Loading a TF SavedModel", in one
    # program: the save and its load get the same path (issue 15: save / load pairs consistent).
    "savedmodel_pair": program("""
model = dense_model()
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
model.save("my_model")
tf.keras.models.save_model(model, "other_model", save_format="tf")
reloaded = keras.models.load_model("my_model")
other = tf.keras.models.load_model("other_model")
emit(pred=reloaded.predict(x[:4], verbose=0), other=other.predict(x[:4], verbose=0),
     evaluated=[other.evaluate(x, y, verbose=0)])
""", {"TFK001"}),
    # The same, trained on after the reload: Keras 2's SavedModel reload restarted the optimizer
    # (Adam's step 0), a .keras file carries its state on; unsafe, and recompiling keeps Keras 2's.
    "savedmodel_resume": program("""
model = dense_model()
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
model.save("my_model")
reloaded = keras.models.load_model("my_model")
emit(resumed=reloaded.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0).history["loss"])
""", reported={"TFK001"}, expect="fails", edit=(('"my_model"', '"my_model.keras"'), (
        re.compile(r"^emit\(", re.M), 'reloaded.compile(optimizer="adam", loss="mse")\nemit('))),
    # Guide: "Saving a model in the TF SavedModel format", saved for serving and never loaded as a
    # Keras model: the unsafe fix keeps a SavedModel (model.export), whose outputs Keras 3 names
    # output_0, ... (the finding says so; the consumer's key is the manual edit).
    "savedmodel_export": program("""
model = dense_model()
model.save("exported")
served = tf.saved_model.load("exported")
emit(pred=served.signatures["serving_default"](tf.constant(x[:4]))[model.layers[-1].name].numpy())
""", {"TFK001"}, group="unsafe", expect="fails", edit=(('[model.layers[-1].name]', '["output_0"]'),)),
    # Further break: save_weights / load_weights with a TF checkpoint path (TFK003).
    "checkpoint_weights": program("""
model = dense_model()
model.compile(optimizer="sgd", loss="mse")
model.save_weights("ckpt/weights")
model.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
model.load_weights("ckpt/weights")
first = model.predict(x[:4], verbose=0)
model.save_weights("model.ckpt")
model.load_weights("model.ckpt")
emit(first=first, again=model.predict(x[:4], verbose=0))
""", {"TFK003"}),
    # Further break: fit_generator / evaluate_generator / predict_generator (TFK004).
    "fit_generator": program("""
def batches():
    while True:
        for start in range(0, 64, 16):
            yield x[start:start + 16], y[start:start + 16]
model = dense_model()
model.compile(optimizer="sgd", loss="mse")
hist = model.fit_generator(batches(), steps_per_epoch=4, epochs=2, verbose=0)
loss = model.evaluate_generator(batches(), steps=4)
pred = model.predict_generator(batches(), steps=1)
emit(loss=hist.history["loss"], evaluated=[loss], pred=pred)
""", {"TFK004"}),
    # Further break: fit(workers=, use_multiprocessing=, max_queue_size=) (TFK006).
    "fit_workers": program("""
model = dense_model()
model.compile(optimizer="sgd", loss="mse")
hist = model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0, workers=2,
                 use_multiprocessing=False, max_queue_size=4)
emit(loss=hist.history["loss"], evaluated=[model.evaluate(x, y, verbose=0, workers=1)])
""", {"TFK006"}),
    # Guide: "TensorFlow variables tracking": a tf.Variable layer attribute must train (TFK009).
    "variable_tracking": program("""
class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = tf.Variable(tf.fill([input_shape[-1]], 0.5), name="w")

    def call(self, inputs):
        return inputs * self.w


model = keras.Sequential([keras.layers.Input(shape=(6,)), Scale(), keras.layers.Dense(1, kernel_initializer="ones")])
model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
hist = model.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0)
emit(loss=hist.history["loss"], scale=model.layers[0].get_weights()[0], count=[len(model.trainable_weights)])
""", {"TFK009"}),
    # Further break: a loss alias that Keras 3 cannot load back from .h5 (TFK010).
    "h5_loss_alias": program("""
model = dense_model()
model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
model.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
model.save("model.h5")
reloaded = keras.models.load_model("model.h5")
emit(evaluated=reloaded.evaluate(x, y, verbose=0))
""", {"TFK010"}),
    # Guide: "`jit_compile` is `True` by default on GPU": reported; on this CPU it runs the same.
    "jit_string_ops": program("""
class Parse(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1, kernel_initializer="ones")

    def call(self, inputs):
        text = tf.strings.as_string(inputs, precision=3)
        return self.dense(tf.strings.to_number(text))


model = Parse()
model.compile(optimizer="sgd", loss="mse")
hist = model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
emit(loss=hist.history["loss"])
""", reported={"TFK055"}),
    # Guide: "Removed: keras.layers.ThresholdedReLU": still in TF 2.21's Keras, reported deprecated.
    "thresholded_relu": program("""
layer = keras.layers.ThresholdedReLU(theta=0.5)
emit(out=layer(tf.constant([[0.2, 0.5, 0.7, -1.0]])).numpy())
""", reported={"TFU101"}),
    # Guide: "Removed: symbolic Layer.add_loss()": reported; the rule's "Use instead" runs.
    "symbolic_add_loss": program("""
inputs = keras.Input(shape=(6,))
outputs = keras.layers.Dense(1)(inputs)
model = init(keras.Model(inputs, outputs))
model.add_loss(tf.reduce_mean(outputs) * 0.01)
model.compile(optimizer="sgd", loss="mse")
hist = model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
emit(loss=hist.history["loss"])
""", reported={"TFK053"}, expect="fails", edit=((
        "outputs = keras.layers.Dense(1)(inputs)\n",
        "class ActivityPenalty(keras.layers.Layer):\n    def call(self, x):\n"
        "        self.add_loss(keras.ops.mean(x) * 0.01)\n        return x\n\n\n"
        "outputs = ActivityPenalty()(keras.layers.Dense(1)(inputs))\n"),
        (re.compile(r"model\.add_loss\(.*\)\n"), ""))),
    # Further break: Layer.add_metric(): reported; the rule's "Use instead" runs.
    "add_metric": program("""
class Probe(keras.layers.Layer):
    def call(self, inputs):
        self.add_metric(tf.reduce_mean(inputs), name="mean_activation")
        return inputs


model = init(keras.Sequential([keras.layers.Input(shape=(6,)), keras.layers.Dense(2), Probe(), keras.layers.Dense(1)]))
model.compile(optimizer="sgd", loss="mse")
hist = model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0)
emit(loss=hist.history["loss"], probe=hist.history["mean_activation"])
""", reported={"TFK052"}, expect="fails", edit=((
        "class Probe(keras.layers.Layer):\n",
        "class Probe(keras.layers.Layer):\n    def __init__(self, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.mean_activation = keras.metrics.Mean(name=\"mean_activation\")\n\n"),
        ('self.add_metric(tf.reduce_mean(inputs), name="mean_activation")',
         "self.mean_activation.update_state(tf.reduce_mean(inputs))"))),
    # Guide: "Deeply nested inputs in functional models" and "None entries in nested call()
    # arguments": Keras 2 builds such models (calling the nested one fails there); Keras 3.15 (TF
    # 2.21) builds and runs both, so TFK060 reports them only for targets before 2.21.
    "nested_inputs": program("""
class Pick(keras.layers.Layer):
    def call(self, inputs):
        return inputs["foo"] if inputs["bar"]["baz"] is None else inputs["foo"] * 2.0


inputs = {"foo": keras.Input(shape=(6,), name="foo"), "bar": {"baz": keras.Input(shape=(6,), name="baz")}}
outputs = keras.layers.Dense(1, kernel_initializer="ones")(inputs["foo"] + inputs["bar"]["baz"])
model = keras.Model(inputs, outputs)
single = keras.Input(shape=(6,))
picked = keras.Model(single, Pick()({"foo": single, "bar": {"baz": None}}))
emit(inputs=[len(model.inputs)], weights=[w.size for w in model.get_weights()], picked=picked(x[:2]))
"""),
    # Further break: tf.train.latest_checkpoint for Keras weights: reported; the glob runs.
    "latest_checkpoint": program("""
model = dense_model()
model.compile(optimizer="sgd", loss="mse")
saver = tf.keras.callbacks.ModelCheckpoint("training/cp-{epoch:02d}", save_weights_only=True)
model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0, callbacks=[saver])
fresh = dense_model()
fresh.load_weights(tf.train.latest_checkpoint("training/"))
emit(pred=fresh.predict(x[:4], verbose=0))
""", reported={"TFK056", "TFK058"}, expect="fails", edit=(
        ('"training/cp-{epoch:02d}"', '"training/cp-{epoch:02d}.weights.h5"'),
        ('fresh.load_weights(tf.train.latest_checkpoint("training/"))',
         'import glob\nimport os\nfresh.load_weights(max(glob.glob("training/*.weights.h5"), key=os.path.getmtime))'),)),
    # Issue 15, requirements: tf.summary needs the tensorboard package on TF 2.21 (TFK071).
    "tf_summary": program("""
writer = tf.summary.create_file_writer("logs")
with writer.as_default():
    for step in range(3):
        tf.summary.scalar("loss", 1.0 / (step + 1), step=step)
writer.flush()
emit(files=[len(tf.io.gfile.listdir("logs"))])
""", reported={"TFK071"}, packages=frozenset({"tensorboard"})),
    # Further break: weights looked up by Keras 2's names ("hidden/kernel:0"); Keras 3's .name is
    # the bare "kernel" (TFK073 reports it, no exact fix), then the advice: look them up by .path.
    "weight_names": program("""
model = init(keras.Sequential([keras.layers.Dense(2, input_shape=(6,), name="hidden")]))
by_name = {v.name: v for v in model.trainable_variables}
emit(kernel=by_name["hidden/kernel:0"].numpy())
""", reported={"TFK073"}, expect="fails", edit=(
        ("{v.name: v for v in model.trainable_variables}",
         "{v.path.split('/', 1)[-1]: v for v in model.trainable_variables}"),
        ('by_name["hidden/kernel:0"]', 'by_name["hidden/kernel"]'))),
    # Issue 15, NumPy 2: a prediction of shape (1,) formatted or converted to a number (TFN002).
    "numpy2_array_scalar": program("""
model = dense_model()
pred = model.predict(x[:2], verbose=0)
row = model.predict(x[:1], verbose=0)[0]
text = "%.4f / %d / %s" % (pred[0], model.predict(x[:1], verbose=0), "ok")
emit(text=[float(t) for t in text.split(" / ")[:2]], row=[float(row), int(row)])
""", {"TFN002"}),
    # Issue 15: ImageDataGenerator. Through tf.keras it stays (TF 2.21 keeps it there); from
    # standalone Keras (Deep Learning with Python, 1st edition) it moves to tf.keras (TFK061).
    "image_data_generator": program("from tensorflow.keras.preprocessing.image import ImageDataGenerator\n"
                                    + IMAGES, {"TFK008"}),
    "image_data_generator_standalone": program("from keras.preprocessing.image import ImageDataGenerator\n"
                                               + IMAGES, {"TFK061"}),
    # Guide: "Loading a TF SavedModel" written elsewhere (here by savedmodel_pair on TF 2.15):
    # the unsafe fix's TFSMLayer is inference only and returns the signature's dict of outputs.
    "savedmodel_load": program("""
reloaded = tf.keras.models.load_model({saved!r})
emit(pred=reloaded(tf.constant(x[:4])))
""", {"TFK002"}, expect="fails", group="unsafe", edit=(
        ("reloaded(tf.constant(x[:4]))", "list(reloaded(tf.constant(x[:4])).values())[0]"),)),
    # Issue 15: K.random_normal / K.random_uniform with Keras 2's keywords -> keras.random (unsafe:
    # the same distribution, other draws; compared on statistics of many draws).
    "backend_random": program("""
from tensorflow.keras import backend as K
a = K.random_normal((20000,), mean=1.0, stddev=0.5, seed=1).numpy()
b = K.random_uniform((20000,), minval=-1.0, maxval=3.0).numpy()
emit(normal=[round(float(a.mean()), 1), round(float(a.std()), 1)], uniform=[round(float(b.min())), round(float(b.max()))])
""", {"TFK007"}, group="unsafe"),
    # Guide: removed LocallyConnected2D, RandomFourierFeatures, RadialConstraint: reported with
    # the Keras 2 environment, where the upgraded program runs as before.
    "keras2_only_layers": program("""
inputs = keras.Input(shape=(4, 4, 1))
h = keras.layers.LocallyConnected2D(2, 3, kernel_constraint=keras.constraints.RadialConstraint())(inputs)
h = keras.layers.Flatten()(h)
h = keras.layers.experimental.RandomFourierFeatures(4, kernel_initializer="gaussian")(h)
model = keras.Model(inputs, h)
emit(shapes=[w.shape for w in model.get_weights()][:2])
""", reported={"TFK008"}, group="keras2"),
}


def _run(version, programs, workdir, *, keras2=False, packages=()):
    args = [sys.executable, "-m", "tfshift", "run", "--tf", version, *(["--keras2"] if keras2 else [])]
    for package in sorted(packages):
        args += ["--with", package]
    args += ["--", "python", str(RUNNER), str(workdir), *map(str, programs)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
    lines = [json.loads(line[len("PROGRAM "):]) for line in done.stdout.splitlines() if line.startswith("PROGRAM ")]
    assert len(lines) == len(programs), (done.returncode, done.stdout[-2000:], done.stderr[-4000:])
    return {line["name"]: line for line in lines}


def _edited(text, edits):
    for old, new in edits:  # old: the text, or a pattern, that the upgraded program must hold
        text, count = re.subn(old if isinstance(old, re.Pattern) else re.escape(old), lambda _: new, text)
        assert count, f"the edit's text is not in the upgraded program: {old!r}"
    return text


@pytest.fixture(scope="module")
def runs(tmp_path_factory, tf_env):
    """Everything, once: originals on 2.15, upgrades per group, upgraded programs on 2.21."""
    tf_env("2.15")
    tf_env("2.21")
    root = tmp_path_factory.mktemp("keras3_runs")
    originals, reports, upgraded = [], {}, {}
    for name, spec in PROGRAMS.items():
        path = root / "src" / spec.group / f"{name}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        saved = root / "run-2.15" / "savedmodel_pair" / "my_model"  # written by savedmodel_pair on 2.15
        path.write_text(PRELUDE + spec.source.replace("{saved!r}", repr(str(saved))))
        originals.append(path)
    before = _run("2.15", originals, root / "run-2.15")
    batches = {}  # (keras2, packages) -> upgraded programs: one process for each
    for group in sorted({spec.group for spec in PROGRAMS.values()}):
        out = root / "upgraded" / group
        options = ["--unsafe-fixes"] if group == "unsafe" else []
        done = equivalence.tfshift("upgrade", str(root / "src" / group), "--from", "2.15", "--to", "2.21",
                                   "--out", str(out), "--json", "--no-cache", *options)
        assert done.returncode in (0, 1), done.stderr
        report = json.loads(done.stdout)
        assert not report["internal_errors"], report["internal_errors"]
        reports[group] = report
        files = sorted(out.glob("*.py"))
        for name in [f.stem for f in files]:
            if PROGRAMS[name].edit:
                edited = out / f"{name}__edited.py"
                edited.write_text(_edited((out / f"{name}.py").read_text(), PROGRAMS[name].edit))
                files.append(edited)
        needs = report["requirements"]
        keras2 = "keras2" in needs["environments"]
        assert keras2 == (group == "keras2") and set(needs["environments"]) <= {"keras2"}, needs  # plain Keras 3
        batches.setdefault(keras2, (set(), []))[0].update(needs["packages"])
        batches[keras2][1].extend(files)
    for keras2, (packages, files) in batches.items():
        upgraded.update(_run("2.21", files, root / f"run-2.21{'-keras2' if keras2 else ''}", keras2=keras2,
                             packages=packages))
    return before, reports, upgraded, root


def _findings(report, name, key):
    if key == "changed":
        return {f["id"] for c in report["changed"] if Path(c["path"]).stem == name for f in c["fixes"]}
    return {f["id"] for f in report["remaining"] if Path(f["path"]).stem == name}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_upgraded_program_runs_on_keras_3(runs, name):
    before, reports, after, root = runs
    spec = PROGRAMS[name]
    report = reports[spec.group]
    original = before[name]
    assert original["error"] is None and original["result"], original  # it runs on 2.15
    assert spec.fixed <= _findings(report, name, "changed"), _findings(report, name, "changed")
    assert spec.reported <= _findings(report, name, "remaining"), report["remaining"]
    assert spec.packages <= set(report["requirements"]["packages"]), report["requirements"]
    upgraded = (root / "upgraded" / spec.group / f"{name}.py").read_text()
    if spec.expect == "same":
        assert after[name]["error"] is None, (after[name], upgraded)
        assert not equivalence.same(original["result"], after[name]["result"]), (
            equivalence.same(original["result"], after[name]["result"]), upgraded)
    else:
        assert after[name]["error"], (after[name], upgraded)  # the finding was needed
    if spec.edit:
        edited = after[f"{name}__edited"]
        assert edited["error"] is None, edited
        assert not equivalence.same(original["result"], edited["result"]), (
            equivalence.same(original["result"], edited["result"]))
