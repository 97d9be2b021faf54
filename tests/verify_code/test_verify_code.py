"""verify-code on real TensorFlow: TF 1.15 against hand-migrated TF 2.21 (Keras 3), against its own
compat upgrade (2.21, Keras 2, tf-slim), and Keras 2 on 2.15 against Keras 3 on 2.21.

The original (fixtures/tf1_mlp) draws random initial weights (glorot, contrib's and tf.layers'
defaults); the hand migration (fixtures/tf2_mlp) draws others, and is judged the same only
because B starts from A's. Each classic slip is one edit of the correct migration.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import pytest

import tfshift
from tfshift import arguments

FIXTURES = Path(__file__).parent / "fixtures"
TF1 = FIXTURES / "tf1_mlp" / "train.py"
TF2 = FIXTURES / "tf2_mlp" / "train.py"
KERAS_FIT = FIXTURES / "keras_fit" / "train.py"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def environments(tf_env):
    """Built (or found) before any test runs, so no test times an environment build."""
    tf_env("1.15")
    tf_env("2.21")


def edited(tmp_path: Path, program: Path, *edits: str) -> Path:
    """A copy of the program's folder with edits (old, new, old, new...; each applies once)."""
    folder = tmp_path / program.parent.name
    shutil.copytree(program.parent, folder)
    target = folder / program.name
    text = target.read_text()
    for old, new in zip(edits[::2], edits[1::2], strict=True):
        assert text.count(old) == 1, f"{old!r} is not in {program} exactly once"
        text = text.replace(old, new)
    target.write_text(text)
    return target


def verify_code_json(cli, a: Path, b: Path, *options: str, args: tuple[str, ...] = ()):
    result = cli("verify-code", str(a), str(b), *options, "--json", *(("--", *args) if args else ()))
    document = json.loads(result.stdout)
    return result, document


# -- the correct migration


def test_a_correct_hand_migration_is_the_same(cli, tmp_path):
    report = tmp_path / "report.html"
    result, doc = verify_code_json(cli, TF1, TF2, "--tf-a", "1.15", "--tf-b", "2.21",
                                   "--report", str(report), args=("--steps", "4"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert doc["schema"] == "verify-code/1" and doc["tfshift_version"] == tfshift.__version__
    assert doc["same"] is True and doc["summary"].startswith("SAME: 9 printed numbers and 4 trainable")
    assert doc["a"]["tf"] == "1.15.5" and doc["b"]["tf"].startswith("2.21")
    assert doc["args"] == ["--steps", "4"]
    weights = {(w["a"], w["b"]): w["matched_by"] for w in doc["weights"] if w["trainable"]}
    assert weights == {("fully_connected/weights", "dense/kernel"): "order",
                       ("fully_connected/biases", "dense/bias"): "order",
                       ("logits/kernel", "logits/kernel"): "name",
                       ("logits/bias", "logits/bias"): "name"}
    assert all(w["transferred"] for w in doc["weights"] if w["trainable"])
    assert [v["b"] for v in doc["variables"]] == ["dense/kernel", "dense/bias", "logits/kernel", "logits/bias"]
    assert all(v["ok"] for v in doc["variables"]) and doc["printed"]["elements"] == 9
    # dropout runs on both sides beyond the initializers: said, though here both draw alike (seed=1)
    assert doc["approximate"] is True
    assert any("B ran random ops beyond variable initializers: random_uniform via dropout" in n
               for n in doc["notes"]), doc["notes"]
    assert report.is_file() and doc["report"] == str(report)


def test_without_the_weight_transfer_the_two_runs_differ():
    """The control: both programs draw their own initial weights and print other losses."""
    import subprocess

    from tfshift.envs import manager

    losses = []
    for version, program in (("1.15", TF1), ("2.21", TF2)):
        env = manager.ensure(version)
        run = subprocess.run([str(env.python), str(program), "--steps", "1"], capture_output=True,
                             text=True, env=env.environ(), timeout=600)
        assert run.returncode == 0, run.stderr[-2000:]
        losses.append(run.stdout.splitlines()[0])
    assert losses[0] != losses[1]


# -- classic slips, one edit each


SLIPS = {
    "from_logits forgotten": ("CategoricalCrossentropy(from_logits=True)", "CategoricalCrossentropy()", True),
    "Adam epsilon left at Keras's default": ("Adam(0.01, epsilon=1e-8)", "Adam(0.01)", False),
    "l2_loss replaced by a plain sum of squares": (
        "tf.nn.l2_loss(fully_connected.kernel)", "tf.reduce_sum(tf.square(fully_connected.kernel))", True),
    "keep_prob passed as rate": ("rate=1 - keep_prob", "rate=keep_prob", True),
    "fully_connected's default relu lost": ('Dense(16, activation="relu")', "Dense(16)", True),
    "loss reduced by sum instead of mean": (
        "CategoricalCrossentropy(from_logits=True)",
        'CategoricalCrossentropy(from_logits=True, reduction="sum")', True),
}


@pytest.mark.parametrize("slip", list(SLIPS))
def test_a_classic_slip_is_different(cli, tmp_path, slip):
    old, new, loss_changes = SLIPS[slip]
    migrated = edited(tmp_path, TF2, old, new)
    result, doc = verify_code_json(cli, TF1, migrated, "--tf-a", "1.15", "--tf-b", "2.21")
    assert result.returncode == 1, result.stdout + result.stderr
    assert doc["same"] is False and doc["summary"].startswith("DIFFERENT: ")
    first = doc["first_difference"]
    # the first variable that differs is named, with the element and both values
    assert first["variable"]["what"] == "fully_connected/weights -> dense/kernel"
    assert first["variable"]["where"].startswith("element [")
    if loss_changes:  # the loss printed at step 0 already differs, and is named first
        assert first["printed"]["where"] == "stdout line 1", first
        assert doc["failures"][0].startswith("printed numbers: first at stdout line 1: A ")
    else:  # Adam's epsilon moves the weights, not the printed losses
        assert first["printed"] is None and doc["printed"]["ok"]
    assert not any("differences are small" in note for note in doc["notes"]), doc["notes"]


def test_the_text_names_the_first_value_and_variable_that_differ(cli, tmp_path):
    migrated = edited(tmp_path, TF2, "rate=1 - keep_prob", "rate=keep_prob")
    result = cli("verify-code", str(TF1), str(migrated), "--tf-a", "1.15", "--tf-b", "2.21", "--", "--steps", "2")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    at = lines.index("DIFFERENT:")
    assert re.match(r"  printed numbers: first at stdout line 1: A 1\.\d+, B \d\.\d+ \(A: 'step 0 loss ", lines[at + 1])
    assert lines[at + 2].startswith("  fully_connected/weights -> dense/kernel: first at element [")
    assert "compared" in result.stdout and "outside tol" in result.stdout  # verify's table


def test_rounding_grown_over_many_steps_is_told_apart(cli):
    """300 Adam steps: float32 rounding (TF 1.15's Eigen against 2.21's oneDNN) grows past 1e-5."""
    result, doc = verify_code_json(cli, TF1, TF2, "--tf-a", "1.15", "--tf-b", "2.21", args=("--steps", "300"))
    assert result.returncode == 1 and doc["printed"]["ok"]
    assert any(note.startswith("the differences are small (at most ") for note in doc["notes"]), doc["notes"]
    result, doc = verify_code_json(cli, TF1, TF2, "--tf-a", "1.15", "--tf-b", "2.21", "--rtol", "1e-3", "--atol", "1e-5",
                                   args=("--steps", "300"))
    assert result.returncode == 0, doc["failures"]


# -- other pairs of TensorFlow


def test_tf1_against_its_compat_upgrade_on_221_with_keras2(cli, tmp_path, tf_env):
    tf_env("2.21", keras2=True, extras=("tf-slim",))
    out = tmp_path / "upgraded"
    upgrade = cli("upgrade", str(TF1.parent), "--to", "2.21", "--out", str(out))
    assert upgrade.returncode in (0, 1), upgrade.stderr
    upgraded = out / "train.py"
    assert "tf.compat.v1" in upgraded.read_text()
    result, doc = verify_code_json(cli, TF1, upgraded, "--tf-a", "1.15", "--tf-b", "2.21",
                                   "--keras2-b", "--with-b", "tf-slim")
    assert result.returncode == 0, result.stdout + result.stderr
    assert doc["b"]["keras"] == "Keras 2"
    assert {w["matched_by"] for w in doc["weights"] if w["trainable"]} == {"name"}
    # graph mode on both sides: B's variables start from A's through new initializer ops
    assert all(w["transferred"] for w in doc["weights"] if w["trainable"])
    assert max(v["max_abs"] for v in doc["variables"]) < 1e-6


def test_keras2_on_215_against_keras3_on_221(cli, tf_env):
    tf_env("2.15")
    result, doc = verify_code_json(cli, KERAS_FIT, KERAS_FIT, "--tf-a", "2.15", "--tf-b", "2.21")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (doc["a"]["keras"], doc["b"]["keras"]) == ("Keras 2", "Keras 3")
    trained = {w["a"]: (w["b"], w["matched_by"]) for w in doc["weights"] if w["trainable"]}
    assert trained == {"dense/kernel": ("sequential/dense/kernel", "scope"),
                       "dense/bias": ("sequential/dense/bias", "scope"),
                       "dense_1/kernel": ("sequential/dense_1/kernel", "scope"),
                       "dense_1/bias": ("sequential/dense_1/bias", "scope")}
    assert doc["printed"]["elements"] == 7 and doc["approximate"] is False


def test_the_python_api():
    report = tfshift.verify_code(TF1, TF2, tf_a="1.15", tf_b="2.21", args=("--steps", "2"))
    assert report.same and report.ok
    assert report.as_dict()["same"] is True and report.as_dict() == report.to_dict()
    assert report.summary() == "SAME: 5 printed numbers and 4 trainable variables (195 values) agree"
    assert [o.name for o in report.variables][:1] == ["fully_connected/weights -> dense/kernel"]


# -- bad input: one line, exit 2


def one_line_error(result) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_program_that_crashes_on_a(cli, tmp_path):
    original = edited(tmp_path, TF1, "args = parser.parse_args()", "args = parser.parse_args()\nraise ValueError('no data file')")
    line = original.read_text().splitlines().index("raise ValueError('no data file')") + 1
    message = one_line_error(cli("verify-code", str(original), str(TF2), "--tf-a", "1.15", "--tf-b", "2.21"))
    assert message == f"tfshift: error: A ({original}) under TF 1.15.5 failed at train.py:{line}: ValueError: no data file"


def test_a_program_that_crashes_on_b(cli, tmp_path):
    migrated = edited(tmp_path, TF2, "print(\"test loss", "print(\"test loss %s\" % undefined_name)\nprint(\"test loss")
    line = next(n for n, text in enumerate(migrated.read_text().splitlines(), 1) if "undefined_name" in text)
    message = one_line_error(cli("verify-code", str(TF1), str(migrated), "--tf-a", "1.15", "--tf-b", "2.21"))
    assert message.startswith(f"tfshift: error: B ({migrated}) under TF 2.21")
    assert message.endswith(f"failed at train.py:{line}: NameError: name 'undefined_name' is not defined")


def test_a_tf1_program_on_tf2_says_which_tf_to_choose(cli):
    message = one_line_error(cli("verify-code", str(TF1), str(TF2)))
    assert "AttributeError: module 'tensorflow' has no attribute 'placeholder'" in message
    assert message.endswith("(pass --tf-a with the TensorFlow it was written for, e.g. --tf-a 1.15)")


def test_a_variable_that_cannot_be_matched(cli, tmp_path):
    migrated = edited(tmp_path, TF2, 'Dense(16, activation="relu")', 'Dense(32, activation="relu")',
                      "output.build((None, 16))", "output.build((None, 32))")
    result = cli("verify-code", str(TF1), str(migrated), "--tf-a", "1.15", "--tf-b", "2.21",
                 "--report", str(tmp_path / "r.html"))
    message = one_line_error(result)
    assert message.startswith("tfshift: error: variables without a counterpart: A: fully_connected/"
                              "weights [8, 16], fully_connected/biases [16], logits/kernel [16, 3]; B: ")
    assert "dense/kernel [8, 32] (no free trainable variable of A has shape [8, 32])" in message
    assert "logits/kernel [32, 3] (A's logits/kernel has shape [16, 3], B's [32, 3])" in message
    assert message.endswith(f"(match table in {tmp_path / 'r.html'})")
    assert "fully_connected/weights" in (tmp_path / "r.html").read_text()
    result, doc = verify_code_json(cli, TF1, migrated, "--tf-a", "1.15", "--tf-b", "2.21")
    assert result.returncode == 2 and doc["error"].startswith("variables without a counterpart")
    assert doc["schema"] == "verify-code/1" and doc["weights"]


def test_a_program_that_prints_nothing(cli, tmp_path):
    quiet = tmp_path / "quiet" / "train.py"
    quiet.parent.mkdir()
    quiet.write_text("import tensorflow as tf\nv = tf.Variable(tf.zeros([3]))\n")
    message = one_line_error(cli("verify-code", str(TF2), str(quiet), "--tf-a", "2.21", "--tf-b", "2.21"))
    assert message == (f"tfshift: error: B ({quiet}) printed nothing under TF 2.21.0: verify-code "
                       "compares the numbers both programs print; make it print its losses or metrics")


@pytest.mark.parametrize(("option", "value"), [("rtol", math.nan), ("atol", -1.0), ("seed", 2**32),
                                               ("timeout", 0.0)])
def test_the_library_checks_its_numbers(option, value):
    with pytest.raises(arguments.ArgumentValueError, match=option):
        tfshift.verify_code(TF1, TF2, **{option: value})


def test_paths_and_versions_are_checked_before_anything_runs(cli, tmp_path):
    message = one_line_error(cli("verify-code", str(tmp_path / "missing.py"), str(TF2)))
    assert message == f"tfshift: error: ORIGINAL {tmp_path / 'missing.py'}: no such file; name the program's script (e.g. train.py)"
    message = one_line_error(cli("verify-code", str(TF1), str(TF2), "--tf-a", "1.99"))
    assert "1.99 is not a release tfshift knows" in message
