"""tfshift inspect on models written by real TF 1.15, 2.15 and 2.21: facts, targets, no code run."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.models.helpers import command_json
from tfshift.models.inspection.describe import describe


def inspect_json(cli, *args):
    return command_json(cli, "inspect", *args)


def signature(document, name=None):
    sigs = [s for s in document["signatures"] if name is None or s["name"] == name]
    assert sigs, document["signatures"]
    sig = sigs[0]
    return ([(i["name"], i["dtype"], i["shape"]) for i in sig["inputs"]],
            [(o["name"], o["dtype"], o["shape"]) for o in sig["outputs"]])


def test_tf1_saved_model(cli, tf1_models):
    code, doc = inspect_json(cli, str(tf1_models / "saved_model"))
    assert code == 0 and doc["format"] == "saved_model" and doc["flavour"] == "tf1"
    assert doc["producer"]["writer"] == "TensorFlow 1.15.5" and doc["producer"]["tf"] == "1.15"
    assert doc["tag_sets"] == [["serve"]]
    assert signature(doc, "serving_default") == ([("x", "float32", [None, 8])], [("probs", "float32", [None, 3])])
    assert doc["variables"] == {"kind": "variables", "count": 4, "values": 8 * 16 + 16 + 16 * 3 + 3,
                                "bytes": 780, "dtypes": {"float32": 4}, "optimizer_state": 0}
    assert doc["ops"]["MatMul"] == 2 and doc["ops"]["Softmax"] == 1 and doc["ops"]["VariableV2"] == 4
    assert doc["uncovered_placeholders"] == []


def test_tf1_checkpoint_and_frozen_graph(cli, tf1_models):
    _, ckpt = inspect_json(cli, str(tf1_models / "checkpoint"))
    assert ckpt["format"] == "checkpoint" and ckpt["producer"]["writer"] == "TensorFlow 1.15.5"
    assert signature(ckpt) == ([("x", "float32", [None, 8])], [("probs", "float32", [None, 3])])
    assert ckpt["signatures"][0]["detected"] and ckpt["variables"]["count"] == 4
    _, frozen = inspect_json(cli, str(tf1_models / "mlp_frozen.pb"))
    assert frozen["format"] == "frozen_graph" and frozen["variables"]["kind"] == "constants"
    assert frozen["variables"]["values"] == 195 and frozen["ops"]["Const"] == 4
    assert signature(frozen)[0] == [("x", "float32", [None, 8])]
    assert [o["name"] for o in frozen["signatures"][0]["outputs"]] == ["probs"]
    # TF 1.15's freezer records no GraphDef version: nothing says which TensorFlow wrote it.
    assert frozen["producer"]["writer"] is None


def test_dtype_families_of_a_detected_signature(tf1_models):
    desc = describe(tf1_models / "kinds_frozen.pb")
    outputs = {s.name: s.dtype for s in desc.signatures[0].outputs}
    assert outputs == {"doubled": "float32", "next": "int64", "shout": "string", "positive": "bool",
                       "brain": "bfloat16", "half": "float16"}
    assert {s.name: s.dtype for s in desc.signatures[0].inputs} == {
        "h": "float16", "n": "int64", "s": "string", "x": "float32"}


@pytest.mark.parametrize("models", ["tf215_models", "tf221_models"])
def test_tf2_saved_model(request, models):
    written = request.getfixturevalue(models)
    doc = describe(written / "module").to_dict()
    assert doc["flavour"] == "tf2" and doc["producer"]["writer"] == f"TensorFlow {written.meta['tensorflow']}"
    assert signature(doc, "serving_default") == (
        [("a", "float32", [None, 2]), ("k", "int32", [None])],
        [("k_squared", "int32", [None]), ("mixed", "float32", [None, 2])])
    assert doc["variables"]["count"] == 1 and doc["variables"]["values"] == 4
    assert doc["functions"] > 0 and doc["ops"]["MatMul"] == 1  # counted inside the functions
    assert doc["uncovered_placeholders"] == []  # the saver's file name placeholder is no input


def test_keras_files(tf215_models, tf221_models):
    h5 = describe(tf215_models / "mlp.h5").to_dict()
    assert h5["producer"] == {"writer": "Keras 2.15.0", "tf": "2.15", "keras2": False,
                              "reason": "tf.keras 2.15.0 is in TensorFlow 2.15", "with": []}
    assert h5["op_kind"] == "layers" and h5["ops"] == {"Dense": 3, "InputLayer": 2, "Concatenate": 1}
    assert signature(h5) == ([("x", "float32", [None, 8]), ("z", "float32", [None, 2])],
                             [("probs", "float32", None), ("score", "float32", None)])
    assert h5["variables"]["count"] == 6 and h5["variables"]["values"] == 10 * 16 + 16 + 16 * 3 + 3 + 16 + 1
    keras3 = describe(tf221_models / "mlp.keras").to_dict()
    assert keras3["producer"]["writer"] == "Keras 3.15.1" and keras3["producer"]["tf"] == "2.21"
    assert keras3["variables"]["count"] == 6 and keras3["model_class"] == "Functional"
    keras215 = describe(tf215_models / "mlp.keras").to_dict()
    assert keras215["producer"]["tf"] == "2.15"
    lam = describe(tf221_models / "lambda.h5").to_dict()
    assert lam["code_layers"] == ["affine"] and any("--unsafe" in n for n in lam["notes"])


def test_graph_written_by_tf215_and_targets(cli, v2):
    code, doc = inspect_json(cli, str(v2 / "graph215.pb"), "--target", "1.15", "--target", "2.21")
    assert doc["producer"]["writer"] == "GraphDef producer 1645" and doc["producer"]["tf"] == "2.15"
    old, new = doc["targets"]
    assert code == 1 and not doc["ok"]
    assert old["target"].startswith("TF 1.15.5") and old["missing"] == {"Dawsn": 1}
    assert old["unknown_attrs"] == {"TopKV2": {"Tk": 1, "index_type": 1}}
    assert "newer TensorFlow" in old["problems"][0]
    assert new["ok"] and new["missing"] == {}
    ok = cli("inspect", str(v2 / "graph215.pb"), "--target", "2.21")
    assert ok.returncode == 0 and "op types it uses are there; load not tried" in ok.stdout


def test_keras_layers_a_target_lacks(cli, v2):
    done = cli("inspect", str(v2 / "tfop.h5"), "--target", "2.21,2.15")
    assert done.returncode == 1, done.stderr
    lines = [line for line in done.stdout.splitlines() if "target" in line]
    assert "TF 2.21.0 (Keras 3): lacks TFOpLambda (1)" in lines[0]
    assert "TF 2.15.1 (Keras 2): all " in lines[1] and "layer classes it uses are there" in lines[1]


def test_load_tried_in_the_target(cli, v2):
    """--load loads the model in the target: Keras 3 refuses TFOpLambda, TF 2.15 loads it."""
    code, doc = inspect_json(cli, str(v2 / "tfop.h5"), "--target", "2.21,2.15", "--load")
    new, old = doc["targets"]
    assert code == 1 and new["load"]["tried"] and new["load"]["ok"] is False
    assert "TFOpLambda" in new["load"]["error"]
    assert old["load"] == {"tried": True, "ok": True, "error": None} and old["ok"]


def test_placeholders_no_signature_feeds(cli, v1):
    code, doc = inspect_json(cli, str(v1 / "unfed"))
    assert code == 1
    found = {u["name"]: u for u in doc["uncovered_placeholders"]}
    assert found["keep_prob"]["needed_by"] == ["serving_default/y"] and not found["keep_prob"]["has_default"]
    assert found["is_training"]["has_default"] and found["is_training"]["dtype"] == "bool"
    text = cli("inspect", str(v1 / "unfed")).stdout
    assert "keep_prob: float32[] is fed by no signature; serving_default/y needs it" in text


def test_index_ranges_from_graphs_and_keras_configs(v1, v2):
    assert describe(v1 / "embed.pb").index_ranges == {"ids": 50}
    assert describe(v2 / "embed.h5").index_ranges == {"ids": 30}


def test_text_output_lists_the_facts(cli, tf1_models):
    done = cli("inspect", str(tf1_models / "saved_model"))
    assert done.returncode == 0
    out = done.stdout
    for expected in ("format       SavedModel (TF1)", "written by   TensorFlow 1.15.5",
                     "signature    serving_default: (x: float32[?, 8]) -> (probs: float32[?, 3])",
                     "variables    4 (195 values, 780 B; float32 4)", "MatMul 2"):
        assert expected in out


def test_reading_metadata_runs_no_model_code(tf1_models, tf215_models, tf221_models, v1, v2):
    """Neither TensorFlow, Keras nor h5py enters the inspecting process; no worker starts."""
    paths = [tf1_models / "saved_model", tf1_models / "checkpoint", tf1_models / "mlp_frozen.pb",
             tf215_models / "mlp.h5", tf215_models / "mlp.keras", tf221_models / "lambda.keras",
             tf221_models / "lambda.h5", tf221_models / "module", v1 / "unfed", v2 / "tfop.h5"]
    code = ("import sys, json\nfrom tfshift.models.inspection.describe import describe\n"
            f"for p in {[str(p) for p in paths]!r}: describe(p)\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('tensorflow', 'keras', 'tf_keras', 'h5py'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize("content", [b"", b"\x00" * 100, b"not a model at all", b"\x0a\x05hello"])
def test_not_a_model_is_one_line_exit_2(cli, tmp_path, content):
    path = tmp_path / "model.pb"
    path.write_bytes(content)
    done = cli("inspect", str(path))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("tfshift: error: ")
    assert "Traceback" not in done.stderr


def test_unknown_target_version(cli, tf1_models):
    done = cli("inspect", str(tf1_models / "mlp_frozen.pb"), "--target", "3.99")
    assert done.returncode == 2 and "not a release tfshift knows" in done.stderr


@pytest.mark.parametrize(("version", "present", "absent", "grad_a"), [
    ("tf115", {"Dense", "Model", "TensorFlowOpLayer"}, {"Functional", "TFOpLambda"}, False),
    ("tf221", {"Dense", "Functional", "InputLayer"}, {"TFOpLambda", "SlicingOpLambda"}, True),
])
def test_registries_come_from_the_target_itself(request, version, present, absent, grad_a):
    """The worker operations behind --target, asked directly (the cache is bypassed)."""
    from tfshift.models.inspection import target

    env = request.getfixturevalue(version)
    data = target._ask(env)
    assert data["tensorflow"] == env.tf_version and len(data["ops"]) > 1000
    assert {"T", "transpose_a"} <= set(data["ops"]["MatMul"])
    assert ("grad_a" in data["ops"]["MatMul"]) is grad_a  # MatMul gained grad_a after 1.15
    layers = set(data["layers"])
    assert present <= layers and not absent & layers
