"""The probe runs inside every managed environment: Python 3.7 (TF 1.15) and up, stdlib, NumPy and
TensorFlow only, never tfshift."""

from __future__ import annotations

from pathlib import Path

import tfshift.verifycode
from tests.worker_code import compiled_on, foreign_imports

PROBE = Path(tfshift.verifycode.__file__).resolve().parent / "probe"


def test_every_probe_module_compiles_on_python37(tf115):
    files, version = compiled_on(tf115, PROBE)
    assert files >= 7 and version == "(3, 7)"


def test_probe_imports_only_stdlib_numpy_and_tensorflow():
    assert foreign_imports(PROBE, {"numpy", "tensorflow", "_tfshift_probe"}) == []
