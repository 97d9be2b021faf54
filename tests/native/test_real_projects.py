"""Real public TF1 projects (tests/fixtures/real_tf1/, README there): each folder is upgraded
with `tfshift upgrade --native --from 1.15 --to 2.21`, every program in it must go native (no
tf.compat.v1, no Session, placeholder or feed_dict left), and `tfshift verify-code` runs the
program as published on TF 1.15 and the migration on plain TF 2.21 (Keras 3, no extras) from
the same initial weights: the numbers they print and the trained variables agree.

No program line was edited. Test setup only: programs that plot get a no-op `matplotlib`
(shims/) beside them on both sides, as the environments have neither matplotlib nor a display;
a program reading its project's data file gets that file beside it.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

import tfshift
from tests.native import runs

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real_tf1"
SHIMS = REAL / "shims"
# Projects the compat tests already vendor are read from there, not copied again.
FOLDERS = {"nakedtensor": Path(__file__).resolve().parents[1] / "code" / "fixtures" / "projects" / "nakedtensor"}


def _project(name: str) -> Path:
    return FOLDERS.get(name, REAL / name)
# (project folder, program, what it needs beside it: a shim or a data file of the project)
PROGRAMS = [
    ("nakedtensor", "serial.py", ()),
    ("nakedtensor", "tensor.py", ()),
    ("nakedtensor", "bigdata.py", ()),
    ("tensorflow_examples", "linear_regression.py", ("matplotlib",)),
    ("tensorflow_examples", "basic_operations.py", ()),
]
# What plain TensorFlow 2 code has none of (names the programs chose, like `xs_placeholder`, aside).
TF1_ONLY = ("compat", "v1", "Session", "InteractiveSession", "placeholder", "disable_v2_behavior",
            "disable_eager_execution", "global_variables_initializer", "set_random_seed")


def assert_native(text: str) -> None:
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if type(node) is ast.Attribute:
            assert node.attr not in TF1_ONLY, f"{ast.unparse(node)} left in:\n{text}"
        elif type(node) is ast.keyword:
            assert node.arg != "feed_dict", f"feed_dict left in:\n{text}"
        elif type(node) in (ast.Import, ast.ImportFrom):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            assert not any(n.startswith(("tf_keras", "tf_slim", "tensorflow.compat")) for n in names), text


def _beside(project: str, folder: Path, needs) -> None:
    for need in needs:
        if (SHIMS / need).is_dir():
            shutil.copytree(SHIMS / need, folder / need)
        else:
            shutil.copy(_project(project) / need, folder / need)


@pytest.mark.slow
@pytest.mark.parametrize("project, program, needs", PROGRAMS, ids=[f"{p}/{f}" for p, f, _ in PROGRAMS])
def test_real_program_migrates_natively_and_trains_alike(project, program, needs, tf_env, tmp_path):
    tf_env("1.15"), tf_env("2.21")  # built before verify-code's clock starts
    original = tmp_path / "original"
    original.mkdir()
    shutil.copy(_project(project) / program, original / program)
    report = runs.migrate(original, tmp_path / "native", "1.15")
    assert not report["compat"], report["compat"]
    migrated = tmp_path / "native" / program
    assert_native(migrated.read_text())
    _beside(project, original, needs)
    _beside(project, migrated.parent, needs)
    result = tfshift.verify_code(str(original / program), str(migrated), tf_a="1.15", tf_b="2.21",
                                 timeout=1800)
    assert result.same, "\n".join(result.failures)
