"""Keras 2 programs on TF 2.15 against their `tfshift upgrade --from 2.15 --to 2.21` output on
TF 2.21 (Keras 3), through verify-code: same initial weights, same printed numbers, same
trained weights. Each program exercises rules of the Keras 3 family (TFK) whose fix must carry
Keras 2's meaning; `fit(shuffle=False)` because Keras 2 and 3 draw different permutations."""

from __future__ import annotations

import json
import textwrap

import pytest

pytestmark = pytest.mark.slow

PRELUDE = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras
rs = np.random.RandomState(0)
x = rs.rand(128, 6).astype("float32")
y = (x @ rs.rand(6, 1)).astype("float32")
"""

PROGRAMS = {
    # TFK005: TF 2.11-2.15's optimizers ignored lr= (the default 0.001 trained); the fix drops it.
    "lr_ignored": """
model = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(6,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(lr=0.5), loss="mse")
model.fit(x, y, epochs=3, batch_size=32, shuffle=False)
print("lr", float(keras.backend.get_value(model.optimizer.learning_rate)))
print("loss", model.evaluate(x, y, verbose=0))
""",
    # TFK070: a custom training loop resetting its metrics each epoch (TF's quickstart for experts).
    "metric_reset": """
model = keras.Sequential([keras.layers.Dense(4, activation="tanh", input_shape=(6,)), keras.layers.Dense(1)])
optimizer = keras.optimizers.SGD(learning_rate=0.1)
mean_loss = keras.metrics.Mean()
for epoch in range(3):
    mean_loss.reset_states()
    for start in range(0, 128, 32):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x[start:start + 32]) - y[start:start + 32]))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        mean_loss(loss)
    print("epoch", epoch, "loss", float(mean_loss.result()))
""",
    # TFK007: backend functions in a custom loss and metric, with Keras 2's defaults carried.
    "backend_functions": """
from tensorflow.keras import backend as K
labels = np.eye(3, dtype="float32")[(x[:, 0] * 3).astype(int)]
def top_match(y_true, y_pred):
    return K.mean(K.cast(K.equal(K.argmax(y_true), K.argmax(y_pred)), "float32"))
def loss(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_true - K.softmax(y_pred)), axis=-1) - 0.01)
model = keras.Sequential([keras.layers.Dense(3, input_shape=(6,))])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss=loss, metrics=[top_match])
K.set_value(model.optimizer.learning_rate, 0.2)
model.fit(x, labels, epochs=2, batch_size=32, shuffle=False)
print("lr", K.get_value(model.optimizer.learning_rate))
p = tf.constant(model.predict(x[:4], verbose=0))
print(K.cumsum(p).numpy(), K.expand_dims(K.argmax(p)).numpy(), K.concatenate([p, p]).numpy().shape)
print(K.gather(p, [1, 0]).numpy(), K.flatten(p).numpy().shape, K.int_shape(p))
print(K.sqrt(p - 0.5).numpy())
""",
    # TFK071: the TensorBoard callback; the upgraded code runs with what the report names.
    "tensorboard_callback": """
model = keras.Sequential([keras.layers.Dense(1, input_shape=(6,))])
model.compile(optimizer="sgd", loss="mse")
model.fit(x, y, epochs=2, batch_size=32, shuffle=False, callbacks=[keras.callbacks.TensorBoard("logs")])
print("loss", model.evaluate(x, y, verbose=0))
""",
    # TFN001: NumPy 1 aliases (TF 2.21 brings NumPy 2).
    "numpy2_aliases": """
data = np.asarray(x, dtype=np.float_)
data[0, 0] = np.NaN
model = keras.Sequential([keras.layers.Dense(1, input_shape=(6,))])
model.compile(optimizer="sgd", loss="mse")
model.fit(np.nan_to_num(data, nan=0.0), y, epochs=2, batch_size=32, shuffle=False)
print(np.product(data.shape), np.alltrue(np.isfinite(data[1:])), np.cumproduct([1.5, 2.0]), np.NINF)
""",
    # TFK072: a custom metric on (n,) labels against (n, 1) predictions (Keras 3 broadcasts).
    "metric_label_rank": """
from tensorflow.keras import backend as K
def rmse(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true)))
model = keras.Sequential([keras.layers.Dense(1, input_shape=(6,))])
model.compile(optimizer="sgd", loss="mse", metrics=[rmse])
model.fit(x, y[:, 0], epochs=2, batch_size=32, shuffle=False)
print("rmse", model.evaluate(x, y[:, 0], verbose=0))
""",
}


def run(cli, tmp_path, name, unsafe=False):
    folder = tmp_path / name
    folder.mkdir()
    program = folder / "program.py"
    program.write_text(PRELUDE + textwrap.dedent(PROGRAMS[name]))
    out = tmp_path / f"{name}-upgraded"
    options = ["--unsafe-fixes"] if unsafe else []
    done = cli("upgrade", str(folder), "--from", "2.15", "--to", "2.21", "--out", str(out), "--json", *options)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    extras = [option for package in report["requirements"]["packages"] for option in ("--with-b", package)]
    verified = cli("verify-code", str(program), str(out / "program.py"), "--tf-a", "2.15", "--tf-b", "2.21",
                   *extras, "--json")
    return report, (out / "program.py").read_text(), verified


def applied(report):
    return {fix["id"] for changed in report["changed"] for fix in changed["fixes"]}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_upgraded_program_trains_the_same(cli, tmp_path, name):
    report, upgraded, verified = run(cli, tmp_path, name)
    document = json.loads(verified.stdout)
    assert verified.returncode == 0, (upgraded, document.get("error"), document.get("failures"))
    assert document["same"] and document["printed"]["elements"] >= 2


def test_unsafe_lr_fix_trains_with_the_rate_written_and_verify_code_sees_it(cli, tmp_path):
    _, upgraded, verified = run(cli, tmp_path, "lr_ignored", unsafe=True)
    assert "learning_rate=0.5" in upgraded
    assert verified.returncode == 1, verified.stdout[-2000:]


def test_tensorboard_is_named_and_needed(cli, tmp_path):
    report, _, _ = run(cli, tmp_path, "tensorboard_callback")
    assert report["requirements"]["packages"] == ["tensorboard"]
    bare = cli("verify-code", str(tmp_path / "tensorboard_callback" / "program.py"),
               str(tmp_path / "tensorboard_callback-upgraded" / "program.py"), "--tf-a", "2.15", "--tf-b", "2.21")
    assert bare.returncode == 2 and "TBNotInstalledError" in bare.stderr, bare.stderr


def test_the_metric_unchanged_on_keras_3_reports_another_number(cli, tmp_path):
    _, _, _ = run(cli, tmp_path, "metric_label_rank")
    program = tmp_path / "metric_label_rank" / "program.py"
    unchanged = cli("verify-code", str(program), str(program), "--tf-a", "2.15", "--tf-b", "2.21", "--json")
    assert unchanged.returncode == 1, unchanged.stdout[-1500:]
