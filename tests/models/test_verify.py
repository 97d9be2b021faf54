"""tfshift verify with models written by real TF 1.15 and TF 2.15, run under 1.15, 2.15 and 2.21.

Most tests call the library with the session's runtimes (no TensorFlow start-up per test); the
command line is run for real where its exit codes, JSON and messages are what is tested.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.models.helpers import command_json
from tfshift.errors import TfshiftError
from tfshift.models.verify import verify


def run_json(cli, *args):
    return command_json(cli, "verify", *args)


# -- the same model under two versions


def test_frozen_graph_under_tf115_and_tf221(cli, tf1_models):
    model = str(tf1_models / "mlp_frozen.pb")
    code, doc = run_json(cli, model, model, "--tf-a", "1.15", "--tf-b", "2.21")
    assert code == 0 and doc["ok"] and doc["summary"].startswith("OK: 1 output agrees")
    assert doc["a"]["tf"] == "1.15.5" and doc["b"]["tf"] == "2.21.0"
    assert doc["a"]["why_this_tf"] == "chosen with --tf-a"
    (out,) = doc["outputs"]
    assert out["a"] == out["b"] == "probs" and out["matched_by"] == "name"
    assert out["shape"] == {"a": [8, 3], "b": [8, 3]} and out["dtype"]["a"] == "float32"
    assert out["elements"] == 24 and out["outside_tolerance"] == 0 and out["max_abs"] < 1e-6
    assert out["rtol"] == 5e-5 and out["atol"] == pytest.approx(5e-5 * out["scale"])
    assert out["tolerance_from"] == "float32 outputs" and out["argmax_agreement"] == 1.0
    assert doc["inputs"]["source"] == "generated" and doc["inputs"]["seed"] == 0


def test_text_output_and_exit_0(cli, tf1_models):
    model = str(tf1_models / "mlp_frozen.pb")
    done = cli("verify", model, model, "--tf-a", "1.15", "--tf-b", "2.21", "--samples", "2")
    assert done.returncode == 0, done.stderr
    assert "A: " in done.stdout and "under TF 1.15.5" in done.stdout and "under TF 2.21.0" in done.stdout
    assert "OK: 1 output agrees over 48 elements (2 batches)" in done.stdout


def test_writer_versions_are_the_default(cli, tf1_models):
    code, doc = run_json(cli, str(tf1_models / "checkpoint"), str(tf1_models / "saved_model"))
    assert code == 0 and doc["a"]["tf"] == doc["b"]["tf"] == "1.15.5"
    assert doc["a"]["why_this_tf"] == "recorded by the writer"


def test_one_model_in_four_formats_and_three_versions(tf1_models, rt115, rt215, rt221):
    ckpt, saved, frozen = (tf1_models / n for n in ("checkpoint", "saved_model", "mlp_frozen.pb"))
    for a, rt_a, b, rt_b in [(saved, rt115, ckpt, rt221), (frozen, rt215, saved, rt221),
                             (ckpt, rt115, frozen, rt215)]:
        report = verify(a, b, runtime_a=rt_a, runtime_b=rt_b, samples=2, seed=3)
        assert report.ok, report.text()
        assert report.a.tf_version == rt_a.tf_version and report.b.tf_version == rt_b.tf_version


def test_every_dtype_family(tf1_models, rt115, rt221):
    report = verify(tf1_models / "kinds_frozen.pb", tf1_models / "kinds_saved_model",
                    runtime_a=rt115, runtime_b=rt221)
    assert report.ok, report.text()
    by_name = {o.a: o for o in report.outputs}
    assert by_name["shout"].dtype_a == "string" and by_name["shout"].elements == 8
    assert by_name["positive"].dtype_a == "bool" and by_name["next"].dtype_a == "int64"
    assert (by_name["half"].rtol, by_name["brain"].rtol) == (1e-2, 5e-2)  # per-type defaults
    assert report.inputs.batches[0]["s"].dtype == object


def test_keras_h5_written_by_215_and_its_keras3_reading(tf215_models, rt215, rt221):
    report = verify(tf215_models / "mlp.h5", tf215_models / "mlp.h5", runtime_a=rt215, runtime_b=rt221)
    assert report.ok, report.text()
    assert [o.a for o in report.outputs] == ["probs", "score"]
    assert report.a.keras == "keras2" and report.b.keras == "keras3"


# -- mismatches


def test_one_weight_moved_by_1e3_fails_naming_the_output(cli, v1):
    done = cli("verify", str(v1 / "mlp.pb"), str(v1 / "mlp_perturbed.pb"), "--tf-a", "1.15", "--tf-b", "2.21")
    assert done.returncode == 1, done.stderr
    assert "MISMATCH:" in done.stdout
    failure = done.stdout.split("MISMATCH:")[1].strip().splitlines()[0]
    assert failure.startswith("probs: ") and "outside rtol 5e-05 / atol" in failure
    assert "FAIL" in done.stdout


def test_one_keras_weight_moved_by_1e3_fails(v2, rt215, rt221):
    report = verify(v2 / "mlp.h5", v2 / "mlp_perturbed.h5", runtime_a=rt215, runtime_b=rt221)
    assert not report.ok and report.failures[0].startswith("probs: ")
    (out,) = report.outputs
    assert 0 < out.max_abs < 1e-2 and out.outside > 0


def test_different_output_shapes_fail_clearly(cli, v1):
    code, doc = run_json(cli, str(v1 / "mlp.pb"), str(v1 / "mlp_wide.pb"), "--tf-a", "1.15", "--tf-b", "2.21")
    assert code == 1 and not doc["ok"]
    (out,) = doc["outputs"]
    assert out["problems"] == ["shape differs: A (8, 3), B (8, 4)"]
    assert doc["summary"] == "MISMATCH: probs: shape differs: A (8, 3), B (8, 4)"


def test_nan_in_both_at_the_same_places_agrees(cli, v1):
    code, doc = run_json(cli, str(v1 / "nan.pb"), str(v1 / "nan.pb"), "--tf-a", "1.15", "--tf-b", "2.21",
                         "--inputs", str(v1 / "nan_inputs.npz"))
    assert code == 0 and doc["ok"]
    outputs = {o["a"]: o for o in doc["outputs"]}
    assert outputs["logx"]["nan"] == {"a": 2, "b": 2, "disagree": 0}
    assert outputs["logx"]["inf"] == {"a": 2, "b": 2, "disagree": 0}  # log(0) = -inf on both
    assert outputs["recip"]["inf"] == {"a": 2, "b": 2, "disagree": 0}
    assert doc["inputs"]["source"] == "file" and doc["inputs"]["arrays"][0]["shape"] == [2, 3]


def test_nan_on_one_side_fails(v1, rt115, rt221):
    report = verify(v1 / "nan.pb", v1 / "nan_abs.pb", inputs=v1 / "nan_inputs.npz",
                    runtime_a=rt115, runtime_b=rt221)
    assert not report.ok
    outputs = {o.a: o for o in report.outputs}
    assert outputs["logx"].nan_disagree == 2 and outputs["logx"].outside == 2 and not outputs["logx"].ok
    assert outputs["recip"].ok
    (failure,) = report.failures
    assert failure.startswith("logx: 2 of 6 elements (33.3%) outside rtol 5e-05 / atol ")
    assert failure.endswith("(max abs error 0, NaN on one side only: 2)")


def test_renamed_outputs_pair_by_order_or_map(v1, rt115, rt221):
    report = verify(v1 / "mlp.pb", v1 / "mlp_renamed.pb", runtime_a=rt115, runtime_b=rt221)
    assert report.ok and [(o.a, o.b, o.matched_by) for o in report.outputs] == [("probs", "output_0", "order")]
    mapped = verify(v1 / "mlp.pb", v1 / "mlp_renamed.pb", runtime_a=rt115, runtime_b=rt221,
                    mapping=["probs:output_0"])
    assert mapped.outputs[0].matched_by == "map"


def test_models_with_different_inputs_cannot_be_compared(tf215_models, v2, rt215):
    # mlp.h5 of the shared fixtures takes x and z; v2's mlp.h5 takes x only.
    with pytest.raises(TfshiftError, match="cannot get the same inputs"):
        verify(tf215_models / "mlp.h5", v2 / "mlp.h5", runtime_a=rt215, runtime_b=rt215)


def test_unmatched_outputs_fail(tf215_models, rt215):
    report = verify(tf215_models / "mlp.h5", tf215_models / "mlp.h5", runtime_a=rt215, runtime_b=rt215,
                    load_b={"outputs": ["probs"]})
    assert not report.ok and report.unmatched_a == ["score"] and report.outputs[0].ok
    assert report.failures == ["score: A's output has no counterpart in B (match it with --map score:B_OUTPUT)"]


# -- inputs


def test_integer_inputs_stay_inside_the_embedding(v1, v2, rt115, rt215, rt221):
    report = verify(v1 / "embed.pb", v1 / "embed.pb", runtime_a=rt115, runtime_b=rt221, batch=64)
    assert report.ok and report.inputs.ranges == {"ids": (0, 50)}
    assert report.inputs.batches[0]["ids"].max() > 10  # the whole table is used, not just 0..9
    keras = verify(v2 / "embed.h5", v2 / "embed.h5", runtime_a=rt215, runtime_b=rt221)
    assert keras.ok and keras.inputs.ranges == {"ids": (0, 30)}


def test_out_of_range_integers_are_a_model_error(cli, v1):
    done = cli("verify", str(v1 / "embed.pb"), str(v1 / "embed.pb"), "--tf-a", "1.15", "--tf-b", "2.21",
               "--int-range", "1000,2000")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "failed under TF" in done.stderr
    assert "Traceback" not in done.stderr


def test_inputs_file_by_name(v1, rt115, rt221, tmp_path):
    x = np.random.default_rng(5).standard_normal((3, 8)).astype(np.float32)
    path = tmp_path / "x.npz"
    np.savez(path, x=x, unrelated=np.zeros(2))
    report = verify(v1 / "mlp.pb", v1 / "mlp.pb", inputs=path, runtime_a=rt115, runtime_b=rt221)
    assert report.ok and report.inputs.unused == ["unrelated"]
    assert np.array_equal(report.inputs.batches[0]["x"], x) and report.outputs[0].shape_a == (3, 3)


def test_inputs_file_without_the_input_is_exit_2(cli, v1, tmp_path):
    path = tmp_path / "wrong.npz"
    np.savez(path, y=np.zeros((2, 8), np.float32), z=np.zeros(1))
    done = cli("verify", str(v1 / "mlp.pb"), str(v1 / "mlp.pb"), "--tf-a", "1.15", "--tf-b", "1.15",
               "--inputs", str(path))
    assert done.returncode == 2
    assert done.stderr.strip() == (f"tfshift: error: {path}: no array for input(s) x; it holds y, z "
                                   "(name the arrays after the model's inputs)")


# -- bad input


def test_unknown_version_fails_before_anything_starts(cli, v1):
    done = cli("verify", str(v1 / "mlp.pb"), str(v1 / "mlp.pb"), "--tf-a", "1.99")
    assert done.returncode == 2 and "TensorFlow 1.99 is not a release tfshift knows" in done.stderr


def test_a_model_the_version_cannot_load_is_exit_2(cli, v2):
    done = cli("verify", str(v2 / "graph215.pb"), str(v2 / "graph215.pb"), "--tf-a", "1.15", "--tf-b", "2.15")
    assert done.returncode == 2 and done.stdout == ""
    line = done.stderr.strip()
    assert "\n" not in line and "TensorFlow 1.15.5 could not load this frozen GraphDef" in line
    assert "Dawsn" in line


def test_an_existing_report_needs_force(cli, v1, tmp_path):
    report = tmp_path / "r.html"
    report.write_text("mine")
    done = cli("verify", str(v1 / "mlp.pb"), str(v1 / "mlp.pb"), "--report", str(report))
    assert done.returncode == 2 and "--force" in done.stderr and report.read_text() == "mine"
