"""Demo step 1 runs the bundled MLP TF1-style under TF 1.15 and TF2-style under TF 2.21 (matrix)."""

from __future__ import annotations

from tfshift.demo import step_envs, steps
from tfshift.demo.steps import DemoContext


def test_step_runs_both_programs_side_by_side(tf115, tf221, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # side by side when the terminal is wide enough
    ctx = DemoContext(workdir=tmp_path)
    assert step_envs.run(ctx) is True
    out = capsys.readouterr().out
    assert "$ tfshift matrix --tf 1.15,2.21 -- python mlp.py --export" in out
    lines = [line for line in out.splitlines() if "TensorFlow 1.15.5 on Python 3.7" in line]
    assert len(lines) == 1 and "TensorFlow 2.21.0 on Python" in lines[0]  # one row, both columns
    assert "graph mode: tf.placeholder, tf.Session" in out and "eager mode: tf.keras.Model" in out
    assert "max |TF 1.15.5 - TF 2.21.0| = " in out and "the two programs agree" in out
    assert "(logs: " in out
    # What the later steps take from this one.
    assert ctx.artifacts["old_tf"] == "1.15.5" and ctx.artifacts["new_tf"] == "2.21.0"
    tf1 = ctx.artifacts["tf1_export"]
    assert tf1 == tmp_path / "models" / "tf1.15.5"
    for name in ("mlp_frozen.pb", "checkpoint/mlp.meta", "saved_model/saved_model.pb", "inputs.npz"):
        assert (tf1 / name).is_file(), name
    assert (ctx.artifacts["tf2_export"] / "mlp.keras").is_file()


FAILING = """\
import os, sys
print("RESULT-less output of", os.environ["VIRTUAL_ENV"])
sys.exit(3 if "tf-2." in os.environ["VIRTUAL_ENV"] else 0)
"""


def test_step_names_the_version_that_failed(tf115, tf221, tmp_path, monkeypatch, capsys):
    programs = tmp_path / "programs"
    programs.mkdir()
    (programs / "mlp.py").write_text(FAILING)
    monkeypatch.setattr(steps, "PROGRAMS", programs)
    assert step_envs.run(DemoContext(workdir=tmp_path / "work")) is False
    out = capsys.readouterr().out
    assert "FAILED under TF 2.21.0 (exit 3, see " in out and "TF 1.15.5 (exit" not in out


def test_step_shows_both_sides_when_one_printed_nothing(tf115, tf221, tmp_path, monkeypatch,
                                                        capsys):
    programs = tmp_path / "programs"
    programs.mkdir()
    (programs / "mlp.py").write_text(
        "import os, sys\n"
        "if 'tf-2.' in os.environ['VIRTUAL_ENV']:\n"
        "    print('right side, line 1'); print('right side, line 2')\n"
        "sys.exit(5)\n")
    monkeypatch.setattr(steps, "PROGRAMS", programs)
    assert step_envs.run(DemoContext(workdir=tmp_path / "work")) is False
    out = capsys.readouterr().out
    assert "right side, line 1" in out and "right side, line 2" in out
    assert "FAILED under TF 1.15.5 (exit 5" in out and "TF 2.21.0 (exit 5" in out


def test_step_prints_one_after_the_other_on_a_narrow_terminal(tf115, tf221, tmp_path, capsys,
                                                              monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert step_envs.run(DemoContext(workdir=tmp_path)) is True
    out = capsys.readouterr().out
    ours = [line for line in out.splitlines() if "TensorFlow" in line and "on Python" in line]
    assert len(ours) == 2 and not any("TensorFlow 2.21.0 on Python" in line for line in ours[:1])
