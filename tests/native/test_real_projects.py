"""Real public TF1 projects (tests/fixtures/real_tf1/, README there): each folder is upgraded
with `tfshift upgrade --native --from 1.15 --to 2.21`, every program in it must go native (no
tf.compat.v1, no Session, placeholder or feed_dict left), and `tfshift verify-code` runs the
program as published on TF 1.15 and the migration on plain TF 2.21 (Keras 3, no extras) from
the same initial weights: the numbers they print and the trained variables agree.

No program line was edited. Test setup only: programs that plot get a no-op `matplotlib`
(shims/) beside them on both sides, as the environments have neither matplotlib nor a display.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import tfshift
from tests.native import runs

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real_tf1"
SHIMS = REAL / "shims"
# (project folder, program, what it needs beside it)
PROGRAMS = [
    ("nakedtensor", "serial.py", ()),
    ("nakedtensor", "tensor.py", ()),
    ("nakedtensor", "bigdata.py", ()),
    ("tensorflow_examples", "linear_regression.py", ("matplotlib",)),
    ("tensorflow_examples", "basic_operations.py", ()),
    ("pkmital_tutorials", "02_linear_regression.py", ("matplotlib",)),
]


def _with_shims(folder: Path, shims) -> None:
    for shim in shims:
        shutil.copytree(SHIMS / shim, folder / shim)


@pytest.mark.slow
@pytest.mark.parametrize("project, program, shims", PROGRAMS, ids=[f"{p}/{f}" for p, f, _ in PROGRAMS])
def test_real_program_migrates_natively_and_trains_alike(project, program, shims, tf_env, tmp_path):
    tf_env("1.15"), tf_env("2.21")  # built before verify-code's clock starts
    original = tmp_path / "original"
    original.mkdir()
    shutil.copy(REAL / project / program, original / program)
    report = runs.migrate(original, tmp_path / "native", "1.15")
    assert not report["compat"], report["compat"]
    migrated = tmp_path / "native" / program
    runs.assert_native(migrated.read_text())
    _with_shims(original, shims)
    _with_shims(migrated.parent, shims)
    result = tfshift.verify_code(str(original / program), str(migrated), tf_a="1.15", tf_b="2.21",
                                 timeout=1800)
    assert result.same, "\n".join(result.failures)
