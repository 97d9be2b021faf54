"""Run tests: every program in programs/ as written on its own TensorFlow and migrated with
`upgrade --native` on plain TF 2.21 (Keras 3): every file goes native and the numbers agree."""

from __future__ import annotations

import shutil

import pytest

from tests.native import runs

PROGRAMS = sorted(runs.PROGRAMS.glob("*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_native_output_agrees(program, tf_env, tmp_path):
    source = runs.declared_from(program)
    original_dir = tmp_path / "original"
    original_dir.mkdir()
    shutil.copy(program, original_dir / program.name)
    report = runs.migrate(original_dir, tmp_path / "native", source)
    assert not report["compat"], report["compat"]
    migrated = tmp_path / "native" / program.name
    runs.assert_native(migrated.read_text())
    before = runs.run(tf_env(runs.ORIGINAL_TF[source]), original_dir / program.name, original_dir)
    after = runs.run(tf_env("2.21", extras=runs.declared_with(program)), migrated, tmp_path / "native")
    runs.agree(before, after, atol=runs.declared_atol(program))
