"""A Keras 2 model with a mixed_float16 policy (issue 16): written by TF 2.15, converted to Keras 3
and verified with float16's tolerances (it computes in float16), its result run by plain TF 2.21."""

from __future__ import annotations

import json
import textwrap

import pytest

pytestmark = pytest.mark.slow

MAKE = textwrap.dedent("""
    import sys, numpy as np, tensorflow as tf
    keras = tf.keras
    keras.mixed_precision.set_global_policy("mixed_float16")
    keras.utils.set_random_seed(0)
    x = keras.Input((16,), name="x")
    h = keras.layers.Dense(32, activation="relu", name="hidden")(x)
    h = keras.layers.Dense(10, name="logits")(h)
    probs = keras.layers.Activation("softmax", dtype="float32", name="probs")(h)
    model = keras.Model(x, probs)
    assert model.layers[1].compute_dtype == "float16"
    model.save(sys.argv[1] + "/mixed.h5")
""")

PLAIN = textwrap.dedent("""
    import sys, numpy as np, keras
    model = keras.models.load_model(sys.argv[1], safe_mode=True)
    print(model.layers[1].dtype_policy.name, model.predict(np.ones((2, 16), "float32"), verbose=0).dtype)
""")


@pytest.fixture(scope="module")
def mixed(tf215, tmp_path_factory):
    folder = tmp_path_factory.mktemp("mixed215")
    done = tf215.run_python(["-c", MAKE, str(folder)], timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return folder / "mixed.h5"


def test_mixed_float16_converts_and_verifies_with_float16_tolerances(mixed, tf221, tmp_path, cli):
    shown = cli("inspect", str(mixed), "--json")
    assert shown.returncode == 0, shown.stderr
    out = tmp_path / "mixed.keras"
    done = cli("convert", str(mixed), str(out), "--verify", "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    doc = json.loads(done.stdout)
    (report,) = doc["verify"]
    assert report["ok"], report
    (probs,) = report["outputs"]
    assert probs["dtype"] == {"a": "float32", "b": "float32"}
    assert probs["rtol"] == 1e-2  # float16's, not float32's 5e-5: the model computes in float16
    assert probs["argmax_agreement"] == 1.0
    assert any("float16" in note for note in doc.get("notes", [])), doc.get("notes")
    plain = tf221.run_python(["-c", PLAIN, str(out)], timeout=600)
    assert plain.returncode == 0, plain.stderr[-3000:]
    assert plain.stdout.split()[-2:] == ["mixed_float16", "float32"]  # the policy survived
