"""The probe runs inside every managed environment: Python 3.7 (TF 1.15) and up, stdlib, NumPy and
TensorFlow only, never tfshift."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import tfshift.verifycode

PROBE = Path(tfshift.verifycode.__file__).resolve().parent / "probe"

COMPILE_ALL = """
import py_compile, sys, tempfile
for path in sys.argv[1:]:
    py_compile.compile(path, cfile=tempfile.mktemp(), doraise=True)
print(sys.version_info[:2])
"""


def test_every_probe_module_compiles_on_python37(tf115):
    files = sorted(str(p) for p in PROBE.rglob("*.py"))
    assert len(files) >= 7
    result = tf115.run_python(["-c", COMPILE_ALL, *files], timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(3, 7)"


def test_probe_imports_only_stdlib_numpy_and_tensorflow():
    allowed = set(sys.stdlib_module_names) | {"numpy", "tensorflow", "_tfshift_probe"}
    for path in PROBE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                roots = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [node.module.split(".")[0]]
            else:
                continue
            assert set(roots) <= allowed, f"{path.name} imports {roots}"
