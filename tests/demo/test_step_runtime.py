"""Demo step 2 calls the model TF 1.15 exported under TF 1.15 and TF 2.21 at once."""

from __future__ import annotations

import pytest

from tfshift.demo import step_runtime
from tfshift.demo.steps import PROGRAMS, DemoContext


@pytest.fixture(scope="module")
def exports(tf115, tf221, tmp_path_factory):
    """What step 1 leaves: the demo MLP exported by real TF 1.15 and TF 2.21."""
    out = tmp_path_factory.mktemp("demo") / "models"
    folders = {}
    for env in (tf115, tf221):
        result = env.run_python([str(PROGRAMS / "mlp.py"), "--export", str(out)], timeout=900)
        assert result.returncode == 0, result.stderr[-3000:]
        folders[env.tf_minor] = out / f"tf{env.tf_version}"
    return folders


def test_step_calls_one_model_under_both_versions(exports, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the table's cells unwrapped
    ctx = DemoContext(workdir=tmp_path)
    ctx.artifacts["old_export"] = exports["1.15"]
    ctx.artifacts["tf2_export"] = exports["2.21"]
    assert step_runtime.run(ctx) is True
    out = capsys.readouterr().out
    assert "started side by side" in out and "TF 1.15.5 (Python 3.7" in out
    rows = [line for line in out.splitlines() if line.strip().startswith(("mlp_frozen.pb", "checkpoint", "saved_model"))]
    assert len(rows) == 3 and all(row.count("max |diff|") == 2 for row in rows)
    assert "does not load: the .keras format needs Keras 2.13 or newer" in out
    assert "every version gives TF 1.15's outputs" in out


def test_step_without_step_one(tmp_path, capsys):
    assert step_runtime.run(DemoContext(workdir=tmp_path)) is False
    assert "skipped" in capsys.readouterr().out
