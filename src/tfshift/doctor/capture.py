"""Capture a snapshot: choose the interpreter to diagnose and run the probe in it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tfshift import supervisor
from tfshift.doctor.snapshot import Snapshot
from tfshift.errors import TfshiftError

PROBE = Path(__file__).with_name("probe.py")
PROBE_TIMEOUT = 60


def locate_python(given: str | None) -> tuple[str, str]:
    """The interpreter to diagnose and where that choice came from.

    Without --python: the active virtual environment or conda environment, else the interpreter
    running tfshift. A folder given to --python is taken as an environment (bin/python inside).
    """
    if given:
        path = Path(given).expanduser()
        if path.is_dir():
            for candidate in ("bin/python", "bin/python3", "Scripts/python.exe", "python.exe"):
                if (path / candidate).exists():
                    return str(path / candidate), "--python"
            raise TfshiftError(f"{given} is a folder without bin/python; pass --python the interpreter itself")
        if not path.exists():
            found = shutil.which(given)
            if found:
                return found, "--python"
            raise TfshiftError(f"no Python interpreter at {given}; pass --python PATH to a python executable "
                               "or a virtual environment folder")
        return str(path), "--python"
    for var in ("VIRTUAL_ENV", "CONDA_PREFIX"):
        prefix = os.environ.get(var)
        if prefix:
            candidate = Path(prefix) / "bin" / "python"
            if candidate.exists():
                return str(candidate), var
    return sys.executable, "the interpreter running tfshift"


def take(python: str, *, source: str = "--python", root: str | None = None,
         timeout: float = PROBE_TIMEOUT, env: dict[str, str] | None = None,
         cwd: str | None = None) -> Snapshot:
    """Run the probe in `python` and return the snapshot; TfshiftError if it cannot run."""
    cmd = [python, str(PROBE)]
    if root:
        cmd += ["--root", str(root)]
    try:
        proc = supervisor.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout, env=env,
                              cwd=cwd, stdin=subprocess.DEVNULL)
    except FileNotFoundError as exc:
        raise TfshiftError(f"cannot run {python}: {exc.strerror}; pass --python PATH to a Python interpreter") from exc
    except PermissionError as exc:
        raise TfshiftError(f"cannot run {python}: permission denied; pass --python PATH to a Python interpreter") from exc
    except OSError as exc:
        raise TfshiftError(f"cannot run {python}: {exc}; is it a Python interpreter?") from exc
    except subprocess.TimeoutExpired as exc:
        raise TfshiftError(f"the doctor's probe did not finish in {timeout:.0f} s in {python}; "
                           "is the file system (a network mount on sys.path?) responding?") from exc
    if proc.returncode != 0:
        raise TfshiftError(_probe_failure(python, proc))
    try:
        data = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError) as exc:
        raise TfshiftError(f"{python} did not print the probe's snapshot; is it a Python 3 interpreter? "
                           f"(output: {proc.stdout.strip()[:120]!r})") from exc
    return Snapshot(data=data, python_path=python, python_source=source)


def _probe_failure(python: str, proc: subprocess.CompletedProcess[str]) -> str:
    stderr = proc.stderr or ""
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    last = lines[-1].strip() if lines else f"exit code {proc.returncode}"
    if "SyntaxError" in stderr or "machinery" in last:
        version = _version_of(python)
        return (f"{python} is Python {version or '2 or older than 3.6'}; tfshift doctor needs Python 3.6 or "
                "newer in the environment it diagnoses")
    return f"the doctor's probe failed in {python}: {last}; rerun with --debug and please report it"


def _version_of(python: str) -> str | None:
    try:
        proc = supervisor.run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                              capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.strip() or None
