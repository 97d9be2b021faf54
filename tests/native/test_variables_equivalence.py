"""TF1 variables on TF 1.15 against their native rewrite on plain TF 2.21: the same names, dtypes,
trainability and initial values (exact where the initializer is deterministic; for random ones,
the distribution: 9 million draws pin the standard deviation to 0.15% (4 standard errors), finer than the 0.29%
that contrib's truncated-normal scaling differs from Keras's; seeded on both sides, so the
test gives the same answer every run)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.native.tools import native

pytestmark = pytest.mark.slow

MODEL = """\
import tensorflow as tf

N = 3000
with tf.variable_scope("dense"):
    w = tf.get_variable("w", [N, N])
    t = tf.get_variable("t", [N, N], initializer=tf.truncated_normal_initializer())
    r = tf.get_variable("r", [N, N], initializer=tf.random_uniform_initializer())
    n = tf.get_variable("n", [N, N], initializer=tf.random_normal_initializer(mean=1.0))
    x = tf.get_variable("x", [N, N], initializer=tf.contrib.layers.xavier_initializer(uniform=False))
    v = tf.get_variable("v", [N, N], initializer=tf.contrib.layers.variance_scaling_initializer())
    g = tf.get_variable("g", [N, N], initializer=tf.glorot_normal_initializer())
    b = tf.get_variable("b", [7], initializer=tf.constant_initializer(0.5))
    s = tf.get_variable("s", [], tf.int64, trainable=False)
    c = tf.get_variable("c", initializer=tf.constant([1.0, 2.0]))
    d = tf.get_variable("d", [3], dtype=tf.float64, initializer=tf.ones_initializer())


def linear(x, n, scope=None):
    with tf.variable_scope(scope or "Linear"):
        with tf.name_scope("inner", values=[x]):
            m = tf.get_variable("Matrix", [3, n], tf.float32, tf.random_normal_initializer(stddev=0.02))
        bias = tf.get_variable("bias", [n], initializer=tf.constant_initializer(0.1))
        return m, bias


layer = linear(None, 4, "h0")
"""

_STATS = """
import json
import numpy as np

def describe(name, value, dtype, trainable):
    value = np.asarray(value)
    data = {"name": name, "dtype": dtype, "trainable": bool(trainable), "shape": list(value.shape)}
    if value.size > 100:
        flat = value.astype(np.float64).ravel()
        data.update(mean=flat.mean(), std=flat.std(), min=flat.min(), max=flat.max())
    else:
        data["value"] = value.tolist()
    return data
"""

_TF1_TAIL = """
found = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for var in tf.global_variables():
        found.append(describe(var.op.name, sess.run(var), var.dtype.base_dtype.name,
                              var in tf.trainable_variables()))
print("RESULT " + json.dumps(found))
"""

_TF2_TAIL = """
found = []
def walk(value):
    if isinstance(value, tf.Variable):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from walk(item)
for value in list(globals().values()):
    for var in walk(value):
        found.append(describe(var.name.split(":")[0], var.numpy(), var.dtype.name, var.trainable))
print("RESULT " + json.dumps(found))
"""


def _run(env, program: str) -> dict:
    done = env.run_python(["-c", program], timeout=900)
    lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
    assert lines, f"exit {done.returncode}\n{done.stderr[-5000:]}"
    return {v["name"]: v for v in json.loads(lines[-1][7:])}


def test_variables_agree(tf115, tf221):
    converted = native(MODEL)
    assert "get_variable" not in converted and "variable_scope" not in converted
    assert "contrib" not in converted, converted
    original = _run(tf115, "import tensorflow as tf\ntf.set_random_seed(0)\n" + MODEL + _STATS
                    + _TF1_TAIL)
    migrated = _run(tf221, "import keras\nkeras.utils.set_random_seed(0)\n" + converted + _STATS
                    + _TF2_TAIL)
    # TF1's get_variable left name scopes out of variable names; TensorFlow 2 does not (the
    # rewrite says so at the site).
    moved = migrated.pop("h0/inner/Matrix")
    migrated["h0/Matrix"] = {**moved, "name": "h0/Matrix"}
    assert sorted(original) == sorted(migrated), (sorted(original), sorted(migrated))
    for name, a in original.items():
        b = migrated[name]
        for key in ("dtype", "trainable", "shape"):
            assert a[key] == b[key], (name, key, a[key], b[key])
        if "value" in a:
            if name == "h0/Matrix":
                continue  # 12 random draws: only its name, shape and dtype can agree
            np.testing.assert_allclose(b["value"], a["value"], rtol=1e-6, err_msg=name)
            continue
        # 9e6 draws on each side: the means differ by ~0.0005 sd, the sds by ~0.033%.
        assert abs(a["mean"] - b["mean"]) < 2e-3 * a["std"] + 1e-6, (name, a, b)
        assert abs(a["std"] - b["std"]) < 1.5e-3 * a["std"], (name, a, b)
        spread = a["max"] - a["min"]
        if spread > 7 * a["std"]:
            continue  # unbounded (normal): its extremes are noise; uniform and truncated agree
        assert abs(a["min"] - b["min"]) < 0.01 * spread, (name, a, b)
        assert abs(a["max"] - b["max"]) < 0.01 * spread, (name, a, b)
