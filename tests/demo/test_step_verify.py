"""Demo step 3 verifies the model TF 1.15 exported, under TF 1.15 against TF 2.21, with a report."""

from __future__ import annotations

import pytest

from tfshift.demo import step_verify
from tfshift.demo.steps import PROGRAMS, DemoContext


@pytest.fixture(scope="module")
def tf1_export(tf115, tmp_path_factory):
    """What step 1 leaves: the demo MLP exported by real TF 1.15."""
    out = tmp_path_factory.mktemp("demo") / "models"
    result = tf115.run_python([str(PROGRAMS / "mlp.py"), "--export", str(out)], timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return out / f"tf{tf115.tf_version}"


def test_step_verifies_and_writes_the_report(tf1_export, tf221, tmp_path, capsys):
    ctx = DemoContext(workdir=tmp_path)
    ctx.artifacts["old_export"] = tf1_export
    assert step_verify.run(ctx) is True
    out = capsys.readouterr().out
    report = tmp_path / step_verify.REPORT
    assert f"report: {report}" in out and report.is_file()
    assert "<table id=\"outputs\">" in report.read_text()
    assert "under TF 1.15.5" in out and "under TF 2.21.0" in out
    assert "OK: 1 output agrees over 12 elements (1 batch)" in out  # inputs.npz: 4 rows, 3 classes
    assert "OK: 1 output agrees over 96 elements (4 batches)" in out
    assert "TF 2.21 computes what TF 1.15 computed" in out


def test_step_without_step_one(tmp_path, capsys):
    assert step_verify.run(DemoContext(workdir=tmp_path)) is False
    assert "skipped" in capsys.readouterr().out
