"""Run a program as written (TF 1.15, or 2.15 for TF 2.0-era code) and as `upgrade --native`
wrote it (plain TF 2.21: Keras 3, no --keras2, no extras), and compare what they print.

Each program prints one `RESULT {json}` line of numbers and declares what it was written for
in a `# tfshift-native: from=1.15` line.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

PROGRAMS = Path(__file__).parent / "programs"
ORIGINAL_TF = {"1.15": "1.15", "2.0": "2.15"}
_DECLARED = re.compile(r"^# tfshift-native: from=(\S+)$", re.M)


def declared_from(program: Path) -> str:
    return _DECLARED.search(program.read_text()).group(1)


def declared_atol(program: Path) -> float:
    match = re.search(r"^# tfshift-native: atol=(\S+)", program.read_text(), re.M)
    return float(match.group(1)) if match else 1e-6


def declared_with(program: Path) -> tuple[str, ...]:
    """Packages the native program needs beside TensorFlow (`# tfshift-native: with=tensorboard`:
    tf.summary's writers live there and TF 2.21 no longer installs it)."""
    match = re.search(r"^# tfshift-native: with=(\S+)", program.read_text(), re.M)
    return tuple(match.group(1).split(",")) if match else ()


def run(env, program: Path, cwd: Path, *args: str) -> dict:
    environ = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "CUDA_VISIBLE_DEVICES": "", "PYTHONHASHSEED": "0"}
    environ.pop("TF_USE_LEGACY_KERAS", None)
    done = subprocess.run([str(env.python), str(program), *args], capture_output=True, text=True, cwd=str(cwd),
                          env=environ, timeout=900, stdin=subprocess.DEVNULL)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise AssertionError(f"{program} on TF {env.tf_version} failed (exit {done.returncode}):\n"
                             f"{done.stdout[-3000:]}\n{done.stderr[-6000:]}")
    return json.loads(lines[-1][len("RESULT "):])


def migrate(path: Path, out: Path, source: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "tfshift", "upgrade", str(path), "--native", "--from", source,
                           "--to", "2.21", "--out", str(out), "--format", "json", "--no-cache"],
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    if done.returncode not in (0, 1):
        raise AssertionError(f"upgrade --native of {path} failed: {done.stderr}")
    return json.loads(done.stdout)


def agree(a, b, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    assert type(a) is type(b) or (isinstance(a, (int, float)) and isinstance(b, (int, float))), (a, b)
    if isinstance(a, dict):
        assert a.keys() == b.keys(), (a.keys(), b.keys())
        for key in a:
            agree(a[key], b[key], rtol, atol)
    elif isinstance(a, list) and any(isinstance(x, str) for x in a):
        assert a == b
    elif isinstance(a, list) and any(isinstance(x, list) for x in a):
        assert len(a) == len(b), (len(a), len(b))
        for x, y in zip(a, b):
            agree(x, y, rtol, atol)
    elif isinstance(a, (int, float, list)):
        np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=rtol, atol=atol)
    else:
        assert a == b


def native_text(path: Path) -> str:
    return path.read_text()


def assert_native(text: str) -> None:
    """What plain TensorFlow 2 code has no more of (comments aside)."""
    import ast

    text = ast.unparse(ast.parse(text))
    for word in ("compat.v1", "disable_v2_behavior", "disable_eager_execution", "Session", "placeholder",
                 "feed_dict", "TF_USE_LEGACY_KERAS", "tf_slim", "tf_keras"):
        assert word not in text, f"{word} left in:\n{text}"
