"""Checks for code that runs inside managed environments (runtime workers, the verify-code probe):
it compiles on the oldest interpreter a TensorFlow needs, and imports only what is there."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

COMPILE_ALL = """
import py_compile, sys, tempfile
for path in sys.argv[1:]:
    py_compile.compile(path, cfile=tempfile.mktemp(), doraise=True)
print(sys.version_info[:2])
"""


def compiled_on(env, folder: Path) -> tuple[int, str]:
    """(how many files, the interpreter's version) after compiling every module of the folder."""
    files = sorted(str(p) for p in folder.rglob("*.py"))
    result = env.run_python(["-c", COMPILE_ALL, *files], timeout=120)
    assert result.returncode == 0, result.stderr
    return len(files), result.stdout.strip()


def foreign_imports(folder: Path, allowed: set[str]) -> list[str]:
    """`file: module` for every import of a top-level module outside the standard library and
    `allowed`."""
    allowed = set(sys.stdlib_module_names) | allowed
    found = []
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                roots = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [node.module.split(".")[0]]
            else:
                continue
            found += [f"{path.name}: {root}" for root in roots if root not in allowed]
    return found
