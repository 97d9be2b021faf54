"""Demo step: a TF1 graph program migrated with `upgrade --native`, run on 1.15 and plain 2.21."""

from __future__ import annotations

import pytest

from tfshift.demo import step_native
from tfshift.demo.steps import DemoContext


@pytest.mark.slow
def test_step_migrates_natively_and_agrees(tf115, tf221, tmp_path, capsys):
    assert step_native.run(DemoContext(workdir=tmp_path)) is True
    out = capsys.readouterr().out
    assert "made 1 file(s) native TensorFlow 2" in out
    assert "no tf.compat.v1, Session, placeholder or feed_dict left" in out
    assert "the native TensorFlow 2 program trains the same model" in out
