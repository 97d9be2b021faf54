"""Sparse and ragged signature inputs, on real models built by TF 1.15 and TF 2.15 (Keras 2).

Whatever the encoding (TF1's coo_sparse and composite_tensor, TF2's flattened x, x_1, x_2, a Keras
Input(sparse=True) or Input(ragged=True)), tfshift shows one input per argument, feeds it as its
components (x_indices, x_values, x_dense_shape; r_component_0, r_component_1: the names TF gives
them when it loads a TF1 SavedModel), generates valid ones for verify, and convert keeps them.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from tfshift.models.inspection.describe import describe
from tfshift.models.verify import verify

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPARSE = {"x_indices": np.array([[0, 1], [1, 3]]), "x_values": np.array([1.0, 2.0], np.float32),
          "x_dense_shape": np.array([2, 4])}
RAGGED = {"r_component_0": np.array([1.0, 2.0, 3.0], np.float32), "r_component_1": np.array([0, 2, 3])}
X_AT_W = [[2.0], [8.0]]  # SPARSE as a dense [2, 4] matrix, times w = [1, 2, 3, 4]


def written(env, script: str, folder: Path) -> Path:
    done = env.run_python([str(FIXTURES / script), str(folder)], timeout=900)
    assert done.returncode == 0, done.stderr[-4000:]
    return folder


@pytest.fixture(scope="module")
def tf1_models(tf115, tmp_path_factory) -> Path:
    return written(tf115, "make_composite_tf1.py", tmp_path_factory.mktemp("composite115"))


@pytest.fixture(scope="module")
def tf2_models(tf215, tmp_path_factory) -> Path:
    return written(tf215, "make_composite_tf2.py", tmp_path_factory.mktemp("composite215") / "models")


def composites(path: Path) -> dict[str, list[tuple[str, str, list | None, list[str]]]]:
    return {sig.name: [(c["name"], c["kind"], c["shape"], c["components"]) for c in sig.composites]
            for sig in describe(path).signatures}


def test_inspect_shows_one_input_per_sparse_or_ragged_argument(tf1_models, tf2_models, cli):
    sparse = ["x_indices", "x_values", "x_dense_shape"]
    ragged = ["r_component_0", "r_component_1"]
    assert composites(tf2_models / "module") == {
        "serving_default": [("x", "sparse", [None, 4], sparse)],
        "ragged": [("r", "ragged", [None, None], ragged)]}
    assert composites(tf1_models / "saved_model") == {
        "serving_default": [("x", "sparse", [None, None], sparse)],  # TF 1.15 keeps only the rank
        "unshaped": [("u", "sparse", None, ["u_indices", "u_values", "u_dense_shape"])],
        "ragged": [("r", "ragged", [None, None], ragged)]}
    assert composites(tf2_models / "keras_ragged")["serving_default"][0][1] == "ragged"
    sig = describe(tf2_models / "module").signature("serving_default")
    assert [s.name for s in sig.inputs] == sparse  # not x, x_1, x_2
    shown = cli("inspect", str(tf1_models / "saved_model"))
    assert shown.returncode == 0, shown.stderr
    assert "u: sparse float32[...] as u_indices, u_values, u_dense_shape" in shown.stdout
    assert "unfed input" not in shown.stdout  # the components' placeholders are fed


@pytest.mark.parametrize(("runtime", "model"), [
    ("rt115", "tf1"), ("rt221", "tf1"), ("rt215", "module"), ("rt221", "module"),
])
def test_the_runtime_feeds_components_on_every_route(request, tf1_models, tf2_models, runtime, model):
    """TF 1.15 runs the TF1 model in a Session, TF 2.x as functions; TF2's flattened keys."""
    rt = request.getfixturevalue(runtime)
    path = tf1_models / "saved_model" if model == "tf1" else tf2_models / "module"
    loaded = rt.load(path)
    try:
        assert sorted(loaded.input_names) == sorted(SPARSE)
        np.testing.assert_allclose(loaded(SPARSE)["y"], X_AT_W)
        assert loaded.info["composites"][0]["name"] == "x"
    finally:
        loaded.close()
    loaded = rt.load(path, signature="ragged")
    try:
        out = loaded(RAGGED)
        expected = [6.0, 6.0] if model == "tf1" else [3 * 2 + 2, 3 * 2 + 1]  # sum * w[1] + length
        np.testing.assert_allclose(out["z" if model == "tf1" else "y"], expected)
    finally:
        loaded.close()


def test_verify_generates_valid_sparse_and_ragged_inputs(tf2_models, rt215, rt221):
    report = verify(tf2_models / "module", tf2_models / "module", runtime_a=rt215, runtime_b=rt221,
                    samples=3, batch=5)
    assert report.ok, report.text()
    for feed in report.inputs.batches:
        indices, shape = feed["x_indices"], feed["x_dense_shape"]
        assert list(shape) == [5, 4] and len(indices) == len(feed["x_values"]) > 0
        flat = np.ravel_multi_index(indices.T, shape)  # inside the shape: raises otherwise
        assert (np.diff(flat) > 0).all()  # unique, in row-major order
    ragged = verify(tf2_models / "module", tf2_models / "module", runtime_a=rt215, runtime_b=rt221,
                    signature="ragged", batch=6)
    assert ragged.ok, ragged.text()
    splits = ragged.inputs.batches[0]["r_component_1"]
    assert splits[0] == 0 and len(splits) == 7 and (np.diff(splits) >= 0).all()
    assert splits[-1] == len(ragged.inputs.batches[0]["r_component_0"])


def test_a_tf1_sparse_input_without_its_dense_shape_asks_for_shape(tf1_models, cli):
    model = str(tf1_models / "saved_model")
    done = cli("verify", model, model, "--tf-a", "1.15", "--tf-b", "2.21")
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert "sparse input 'x'" in lines[0] and "--shape x=" in lines[0]
    done = cli("verify", model, model, "--tf-a", "1.15", "--tf-b", "2.21", "--shape", "x=6,4")
    assert done.returncode == 0 and "OK" in done.stdout, done.stdout + done.stderr


PLAIN_CHECK = textwrap.dedent("""
    import sys, numpy as np, tensorflow as tf
    path, kind = sys.argv[1], sys.argv[2]
    if kind == "keras":
        import keras
        model = keras.models.load_model(path, safe_mode=True)
        out = model(tf.SparseTensor([[0, 1], [1, 3]], [1.0, 2.0], [2, 4]))
        print(np.asarray(out).shape)
    else:
        fn = tf.saved_model.load(path).signatures[sys.argv[3]]
        feeds = {"x_indices": [[0, 1], [1, 3]], "x_values": [1.0, 2.0], "x_dense_shape": [2, 4]}
        if sys.argv[4] == "ragged":
            feeds = {"r_component_0": [1.0, 2.0, 3.0], "r_component_1": [0, 2, 3]}
        args = {k: tf.constant(v, tf.float32 if "values" in k or k.endswith("_0") else tf.int64)
                for k, v in feeds.items()}
        keys = set(fn.structured_input_signature[1])
        if keys.isdisjoint(args):  # TF2's own flattened keys, kept by a re-save: x, x_1, x_2
            args = dict(zip(sorted(keys), args.values()))
        print(np.asarray(list(fn(**args).values())[0]).tolist())
""")


@pytest.mark.parametrize(("model", "out", "options"), [
    ("module", "out", []),
    ("keras_sparse", "out.keras", []),
    ("keras_sparse.h5", "out.keras", []),
    ("keras_ragged", "out", []),  # Keras 3 has no ragged tensors: a SavedModel taking components
    ("tf1", "out", ["--shape", "x=6,4", "--shape", "u=3,5,2"]),
])
def test_convert_keeps_them_and_plain_tf_runs_the_result(tf1_models, tf2_models, tf221, tmp_path,
                                                        cli, model, out, options):
    source = tf1_models / "saved_model" if model == "tf1" else tf2_models / model
    done = cli("convert", str(source), str(tmp_path / out), "--verify", "--json", *options)
    assert done.returncode == 0, done.stderr[-3000:]
    doc = json.loads(done.stdout)
    assert all(v["ok"] for v in doc["verify"]), doc["verify"]
    kind = "keras" if out.endswith(".keras") else "saved_model"
    signatures = ["serving_default"] if model.startswith("keras") else ["serving_default", "ragged"]
    for name in signatures if kind == "saved_model" else [""]:
        feed = "ragged" if "ragged" in name + model else "sparse"
        plain = tf221.run_python(["-c", PLAIN_CHECK, str(tmp_path / out), kind, name, feed], timeout=600)
        assert plain.returncode == 0, plain.stderr[-3000:]
        printed = plain.stdout.strip().splitlines()[-1]
        if model in ("module", "tf1") and name == "serving_default":
            assert printed == str(X_AT_W)
        if model in ("keras_sparse", "keras_sparse.h5"):
            assert printed == "(2, 3)"
        if model == "keras_ragged":
            assert len(json.loads(printed)) == 2  # two rows of Dense(2)
    assert sys.executable  # the host never imported TensorFlow for any of this


# -- sparse and ragged outputs


@pytest.fixture(scope="module")
def tf1_outputs(tf115, tmp_path_factory) -> Path:
    return written(tf115, "make_composite_outputs_tf1.py", tmp_path_factory.mktemp("outputs115")) / "saved_model"


X = np.array([[1.0, 1.0, 1.0, 1.0], [-1.0, 2.0, 0.0, -1.0]], np.float32)  # x * w = [1,-2,3,-4], [-1,-4,0,4]


def test_sparse_and_ragged_outputs_are_fetched_as_components(tf1_outputs, rt115, rt221, cli):
    """TF 1.15's Session fetches a coo_sparse output's tensors; TF 2.x's signature function returns
    a SparseTensor / RaggedTensor: both give the same components (s_indices, ...)."""
    shown = cli("inspect", str(tf1_outputs))
    assert shown.returncode == 0, shown.stderr
    assert "s_indices: int64[?, 2], s_values: float32[?]" in shown.stdout
    assert "r_component_0: float32[?], r_component_1: int64[?]" in shown.stdout
    for rt in (rt115, rt221):
        sparse = rt.load(tf1_outputs)
        ragged = rt.load(tf1_outputs, signature="ragged")
        try:
            out = sparse(x=X)
            assert out["s_indices"].tolist() == [[0, 0], [0, 2], [1, 3]]
            np.testing.assert_allclose(out["s_values"], [1.0, 3.0, 4.0])
            assert out["s_dense_shape"].tolist() == [2, 4]
            out = ragged(x=X)
            np.testing.assert_allclose(out["r_component_0"], [1.0, 3.0, 4.0])
            assert out["r_component_1"].tolist() == [0, 2, 3]
        finally:
            sparse.close()
            ragged.close()


def test_sparse_and_ragged_outputs_verify_and_convert(tf1_outputs, tf221, tmp_path, cli):
    for signature in ("serving_default", "ragged"):
        done = cli("verify", str(tf1_outputs), str(tf1_outputs), "--tf-a", "1.15", "--tf-b", "2.21",
                   "--signature", signature, "--json")
        assert done.returncode == 0, done.stderr[-3000:]
        assert len(json.loads(done.stdout)["outputs"]) == (3 if signature == "serving_default" else 2)
    done = cli("convert", str(tf1_outputs), str(tmp_path / "out"), "--verify", "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    assert all(v["ok"] for v in json.loads(done.stdout)["verify"])
    check = ("import sys, tensorflow as tf\n"
             "fn = tf.saved_model.load(sys.argv[1]).signatures['serving_default']\n"
             "out = fn(x=tf.constant([[1.0, 1.0, 1.0, 1.0], [-1.0, 2.0, 0.0, -1.0]]))\n"
             "print(out['s_indices'].numpy().tolist())\n")
    plain = tf221.run_python(["-c", check, str(tmp_path / "out")], timeout=600)
    assert plain.returncode == 0, plain.stderr[-3000:]
    assert plain.stdout.strip().splitlines()[-1] == "[[0, 0], [0, 2], [1, 3]]"


def test_bad_sparse_inputs_are_one_line(tf1_models, tmp_path, cli):
    model = str(tf1_models / "saved_model")
    part, outside = tmp_path / "part.npz", tmp_path / "outside.npz"
    np.savez(part, x_indices=SPARSE["x_indices"])
    np.savez(outside, **{**SPARSE, "x_indices": np.array([[0, 1], [1, 9]])})
    for options, needles in [
        (["--inputs", str(part)], ["part.npz", "no array for input(s) x_values, x_dense_shape"]),
        (["--inputs", str(outside)], ["failed under TF 1.15.5 on the inputs", "out of bounds"]),
        (["--shape", "x=6"], ["--shape x=6 does not fit the sparse input 'x'"]),
    ]:
        done = cli("verify", model, model, "--tf-a", "1.15", "--tf-b", "2.21", *options)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2 and len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
        assert all(needle in lines[0] for needle in needles), lines[0]
