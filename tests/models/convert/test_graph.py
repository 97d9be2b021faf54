"""`tfshift convert` on the TF1 zoo written by real TF 1.15: frozen graphs, checkpoints and TF1
SavedModels become TF2 SavedModels that plain TF 2.21 (no tfshift) loads, with the outputs TF 1.15
computed, their weights as variables, their tables and assets, and every signature.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import tfshift_cli
from tests.models.helpers import command_json

pytestmark = pytest.mark.slow

# name: (source in the zoo, inputs file, extra convert arguments, outputs, variables kept)
ZOO = {
    "mlp_frozen": ("mlp.pb", "mlp", [], ["probs"], 0),
    "mlp_ckpt": ("mlp_ckpt/mlp", "mlp", [], ["probs"], 4),
    "mlp_saved": ("mlp_saved", "mlp", [], ["probs"], 4),
    "cnn_ckpt": ("cnn_ckpt/cnn", "cnn", [], ["logits"], 8),
    "cnn_saved": ("cnn_saved", "cnn", [], ["logits"], 8),
    "rnn_frozen": ("rnn.pb", "rnn", ["--outputs", "last,total"], ["last", "total"], 0),
    "rnn_saved": ("rnn_saved", "rnn", [], ["last", "total"], 2),
    "table_saved": ("table_saved", "table", [], ["ids", "vectors"], 1),
    "two_saved": ("two_saved", "two", [], ["probs"], 4),
}
REPLACE = "CompareAndBitpack={}:compare_and_bitpack"


@pytest.fixture(scope="module")
def converted(zoo1, tmp_path_factory):
    """Every zoo model converted (and verified) once, by the real command line."""
    out = tmp_path_factory.mktemp("converted")
    documents = {}
    for name, (source, inputs, extra, _, _) in ZOO.items():
        code, document = command_json(
            tfshift_cli, "convert", str(zoo1 / source), str(out / name), "--verify",
            "--verify-inputs", str(zoo1 / "inputs" / f"{inputs}.npz"), *extra)
        assert code == 0, document
        documents[name] = document
    return out, documents


@pytest.fixture(scope="module")
def plain_run(converted, zoo1, tf221, tmp_path_factory):
    """The converted models loaded and called by plain TF 2.21, without tfshift."""
    out, _ = converted
    folder = tmp_path_factory.mktemp("plain")
    jobs = [{"key": name, "path": str(out / name), "signature": "serving_default",
             "inputs": str(zoo1 / "inputs" / f"{inputs}.npz")}
            for name, (_, inputs, _, _, _) in ZOO.items()]
    jobs.append({"key": "two_embed", "path": str(out / "two_saved"), "signature": "embed",
                 "inputs": str(zoo1 / "inputs" / "two.npz")})
    (folder / "jobs.json").write_text(json.dumps(jobs))
    from tests.conftest import FIXTURES

    done = tf221.run_python([str(FIXTURES / "run_saved_models.py"), str(folder / "jobs.json"),
                             str(folder / "result")], timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    facts = json.loads((folder / "result.json").read_text())
    with np.load(folder / "result.npz") as data:
        arrays = {k: data[k] for k in data.files}
    return facts, arrays


@pytest.mark.parametrize("name", sorted(ZOO))
def test_plain_tf221_computes_what_tf115_computed(name, plain_run, zoo1):
    facts, arrays = plain_run
    assert facts["tfshift_importable"] is False  # the proof runs without tfshift
    model = ZOO[name][1]
    for output in ZOO[name][3]:
        np.testing.assert_allclose(arrays[f"{name}__{output}"], zoo1[f"{model}__{output}"],
                                   rtol=1e-5, atol=1e-6, err_msg=f"{name}: {output}")


@pytest.mark.parametrize("name", sorted(ZOO))
def test_weights_survive_as_variables(name, plain_run, converted):
    facts, _ = plain_run
    kept = ZOO[name][4]
    assert facts["jobs"][name]["variables"] == kept
    _, documents = converted
    assert documents[name]["details"]["variables"]["kept"] == kept
    if kept:
        assert any(f"kept {kept} variable(s)" in note for note in documents[name]["notes"])


def test_every_signature_is_converted_and_verified(converted, plain_run, zoo1):
    _, documents = converted
    document = documents["two_saved"]
    assert sorted(document["details"]["signatures"]) == ["embed", "serving_default"]
    assert len(document["verify"]) == 2 and all(v["ok"] for v in document["verify"])
    facts, arrays = plain_run
    assert facts["jobs"]["two_embed"]["outputs"] == ["hidden"]
    np.testing.assert_allclose(arrays["two_embed__hidden"], zoo1["two__hidden"], rtol=1e-5, atol=1e-6)


def test_table_keeps_its_vocabulary_as_an_asset(converted):
    out, documents = converted
    assert (out / "table_saved" / "assets" / "vocab.txt").read_text().split() == \
        ["the", "cat", "sat", "on", "mat"]
    assert documents["table_saved"]["details"]["tables"][0]["kind"] == "text_file"


def test_provenance_is_recorded_next_to_the_model(converted, zoo1):
    out, documents = converted
    record = json.loads((out / "mlp_ckpt" / "assets.extra" / "tfshift.json").read_text())
    assert record["schema"] == "tfshift-provenance/1"
    assert record["source"]["format"] == "checkpoint"
    assert record["source"]["read_by_tensorflow"] == "1.15.5"
    assert record["target"]["tensorflow"].startswith("2.21")
    assert record["tfshift_version"] and record["verify"][0]["ok"] is True
    assert documents["mlp_ckpt"]["provenance"].endswith("assets.extra/tfshift.json")


def test_freeze_folds_variables_into_constants(zoo1, tmp_path, cli):
    code, document = command_json(cli, "convert", str(zoo1 / "cnn_saved"), str(tmp_path / "cnn"),
                                  "--freeze", "--verify", "--verify-inputs",
                                  str(zoo1 / "inputs" / "cnn.npz"))
    assert code == 0
    assert document["details"]["variables"] == {"kept": 0, "folded": 8, "trainable": 0}
    assert any("froze 8 variable(s) into constants (--freeze)" in n for n in document["notes"])
    assert not (tmp_path / "cnn" / "variables" / "variables.index").exists() or \
        (tmp_path / "cnn" / "variables" / "variables.index").stat().st_size < 200


def test_tag_set_chooses_the_meta_graph(zoo1, tmp_path, cli):
    code, document = command_json(cli, "convert", str(zoo1 / "two_saved"), str(tmp_path / "train"),
                                  "--tag", "train")
    assert code == 0
    assert sorted(document["details"]["signatures"]) == ["serving_default"]


def test_signature_option_converts_one(zoo1, tmp_path, cli):
    code, document = command_json(cli, "convert", str(zoo1 / "two_saved"), str(tmp_path / "embed"),
                                  "--signature", "embed")
    assert code == 0
    assert sorted(document["details"]["signatures"]) == ["embed"]


def test_missing_op_is_reported_before_anything_is_written(zoo1, tmp_path, cli):
    done = cli("convert", str(zoo1 / "bits_saved"), str(tmp_path / "bits"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "lacks op(s) CompareAndBitpack" in done.stderr and "--replace-op" in done.stderr
    assert list(tmp_path.iterdir()) == []  # no OUT, no staging folder left behind


def test_replace_op_substitutes_a_tf2_function(zoo1, tmp_path, cli):
    from tests.conftest import FIXTURES

    replacement = REPLACE.format(FIXTURES / "convert_replacements.py")
    code, document = command_json(cli, "convert", str(zoo1 / "bits_saved"), str(tmp_path / "bits"),
                                  "--replace-op", replacement, "--verify", "--verify-inputs",
                                  str(zoo1 / "inputs" / "bits.npz"))
    assert code == 0, document
    assert document["details"]["replaced"] == [{"node": "CompareAndBitpack", "op": "CompareAndBitpack"}]
    report = document["verify"][0]
    assert report["ok"] and {o["a"] for o in report["outputs"]} == {"packed", "score"}


def test_verify_mismatch_writes_nothing(zoo1, tmp_path, cli):
    from tests.conftest import FIXTURES

    wrong = tmp_path / "wrong.py"
    wrong.write_text((FIXTURES / "convert_replacements.py").read_text().replace("values > threshold",
                                                                               "values < threshold"))
    code, document = command_json(cli, "convert", str(zoo1 / "bits_saved"), str(tmp_path / "bits"),
                                  "--replace-op", f"CompareAndBitpack={wrong}:compare_and_bitpack",
                                  "--verify", "--verify-inputs", str(zoo1 / "inputs" / "bits.npz"))
    assert code == 1
    assert document["ok"] is False and document["out"] is None
    assert not (tmp_path / "bits").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wrong.py"]


def test_existing_out_needs_force_and_is_then_replaced(zoo1, tmp_path, cli):
    out = tmp_path / "out"
    assert cli("convert", str(zoo1 / "mlp.pb"), str(out)).returncode == 0
    before = (out / "saved_model.pb").read_bytes()
    done = cli("convert", str(zoo1 / "two_saved"), str(out))
    assert done.returncode == 2 and "exists; pass --force" in done.stderr
    assert (out / "saved_model.pb").read_bytes() == before
    assert cli("convert", str(zoo1 / "two_saved"), str(out), "--force").returncode == 0
    assert (out / "saved_model.pb").read_bytes() != before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing left aside


def test_inspect_shows_where_a_converted_model_came_from(converted, cli):
    out, _ = converted
    code, document = command_json(cli, "inspect", str(out / "mlp_ckpt"))
    assert code == 0
    assert document["converted"]["source"]["format"] == "checkpoint"
    assert document["converted"]["source"]["read_by_tensorflow"] == "1.15.5"
    text = " ".join(cli("inspect", str(out / "mlp_ckpt")).stdout.split())  # lines wrap to the terminal
    assert "converted by tfshift" in text and "read by TF 1.15.5" in text
