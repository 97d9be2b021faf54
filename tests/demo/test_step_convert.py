"""Demo step 4 converts the TF 1.15 checkpoint into a TF2 SavedModel and verifies it."""

from __future__ import annotations

from tests.demo.test_step_verify import tf1_export
from tfshift.demo import step_convert
from tfshift.demo.steps import DemoContext

__all__ = ["tf1_export"]


def test_step_converts_and_verifies(tf1_export, tf221, tmp_path, capsys):
    ctx = DemoContext(workdir=tmp_path)
    ctx.artifacts["old_export"] = tf1_export
    assert step_convert.run(ctx) is True
    out = capsys.readouterr().out
    converted = tmp_path / step_convert.OUT
    assert (converted / "saved_model.pb").is_file()
    assert (converted / "assets.extra" / "tfshift.json").is_file()
    assert "kept" in out and "variable(s) as tf.Variables" in out
    assert "verify       OK: 1 output agrees over 12 elements (1 batch)" in out
    assert "the converted model computes what TF 1.15 computed" in out


def test_step_without_step_one(tmp_path, capsys):
    assert step_convert.run(DemoContext(workdir=tmp_path)) is False
    assert "skipped" in capsys.readouterr().out
