"""`tfshift demo` end to end, with TF 1.15 available and on a machine without Python 3.7."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tfshift.envs import backends, interpreters

STEPS = ("Environments", "Doctor", "API history", "Code", "Native", "Runtime", "Verify", "Convert")


def _summary(stdout: str) -> list[str]:
    return stdout.split("== Summary ==", 1)[1].splitlines()


@pytest.mark.slow
def test_demo_with_tf1(cli, tf115, tf215, tf221, tmp_path):
    done = cli("demo", "--workdir", str(tmp_path / "demo"), timeout=1800)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    summary = _summary(done.stdout)
    for title in STEPS:
        assert any(re.match(rf"\s+ok\s+[\d.]+s\s+{title}", line) for line in summary), title
    assert "skipped" not in done.stdout
    assert "the upgraded program trains the same model" in done.stdout
    assert (tmp_path / "demo" / "verify-report.html").is_file()


def _machine_without_python37(tmp_path: Path) -> dict[str, str]:
    """PATH with this machine's Python 3.11 and 3.13 only, no pyenv, a fresh TFSHIFT_HOME that
    shares the uv cache (so the environments build from it in seconds)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for minor in ("3.11", "3.13"):
        found = interpreters.find([minor])
        os.symlink(found.path, bin_dir / f"python{minor}")
    (tmp_path / "no-pyenv").mkdir()
    return {
        "PATH": os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"]),
        "PYENV_ROOT": str(tmp_path / "no-pyenv"),
        "TFSHIFT_HOME": str(tmp_path / "home"),
        "UV_CACHE_DIR": str(backends.uv_cache_dir()),
        "UV_PYTHON_INSTALL_DIR": str(tmp_path / "no-uv-pythons"),
    }


@pytest.mark.slow
def test_demo_without_python37_runs_the_tf2_parts(cli, tf215, tf221, tmp_path):
    env = _machine_without_python37(tmp_path)
    check = cli("env", "create", "1.15", env=env)
    assert check.returncode == 2 and "needs Python 3.7" in check.stderr  # the sandbox holds
    done = cli("demo", env=env, timeout=1800)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    out = done.stdout
    assert out.startswith("note: TensorFlow 1.15 needs Python 3.7, which this machine lacks")
    assert "with TF 2.15 (Keras 2) as the old version" in out
    summary = _summary(out)
    for title in STEPS:
        assert any(re.match(rf"\s+ok\s+[\d.]+s\s+{title}", line) for line in summary), title
    skipped = summary[summary.index(next(line for line in summary if "skipped (" in line)) + 1:]
    assert any("running train_tf1.py under TF 1.15" in line for line in skipped)
    assert any("TF 1.15's checkpoint into a TF2 SavedModel" in line for line in skipped)
    assert "pyenv install 3.7" in out
    # Nothing for 1.15 was built: the interpreters were checked before anything else.
    envs = os.listdir(Path(env["TFSHIFT_HOME"]) / "envs")
    assert envs and not any(name.startswith("tf-1.") for name in envs)
