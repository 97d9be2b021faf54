"""How an environment is built: uv (the default) or the standard library's venv plus pip.

A backend has two operations, `create(python, path)` and `install(env_python, requirements)`.
uv comes from the `uv` wheel that tfshift depends on; if it cannot be found or run, tfshift
falls back to `python -m venv` and pip, which is slower (~25 s for TF 2.21 against ~6 s) but
needs nothing beyond the interpreter.

uv and pip run in a session of their own and die with tfshift: a build killed midway (even by
SIGKILL) leaves no installer writing into the environment folder behind it, and Ctrl-C or
SIGTERM stops the installer's whole process group (uv's byte-compile workers, pip's builds).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from tfshift import config, supervisor
from tfshift.errors import EnvBuildError
from tfshift.output import progress_enabled

# Inherited variables that would redirect an install into some other interpreter or env.
_SCRUBBED = (
    "PYTHONHOME", "PYTHONPATH", "VIRTUAL_ENV", "CONDA_PREFIX", "UV_PYTHON", "UV_SYSTEM_PYTHON",
    "UV_PROJECT_ENVIRONMENT", "PIP_REQUIRE_VIRTUALENV", "PIP_USER", "__PYVENV_LAUNCHER__",
)


@cache
def uv_binary() -> str | None:
    """The uv executable: the one in the `uv` wheel, else uv on PATH; None if neither runs."""
    if os.environ.get("TFSHIFT_BACKEND", "").lower() in ("pip", "venv"):
        return None
    candidates = []
    try:
        from uv import find_uv_bin

        candidates.append(find_uv_bin())
    except Exception:  # the wheel is missing or broken: try PATH
        pass
    on_path = shutil.which("uv")
    if on_path:
        candidates.append(on_path)
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def uv_cache_dir() -> Path:
    """uv's cache: the user's UV_CACHE_DIR if set, else inside TFSHIFT_HOME.

    Keeping it beside the environments lets uv hardlink files instead of copying them.
    """
    explicit = os.environ.get("UV_CACHE_DIR")
    return Path(explicit) if explicit else config.home() / "cache" / "uv"


def uv_environ() -> dict[str, str]:
    env = clean_environ()
    env["UV_CACHE_DIR"] = str(uv_cache_dir())
    env["UV_PYTHON_DOWNLOADS"] = "never"
    if not progress_enabled():  # on a terminal uv shows its own download progress
        env["UV_NO_PROGRESS"] = "1"
    env.pop("UV_NO_CACHE", None)
    return env


def clean_environ() -> dict[str, str]:
    env = dict(os.environ)
    for name in _SCRUBBED:
        env.pop(name, None)
    return env


def _run(cmd: Sequence[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess[str]:
    stream = progress_enabled()
    try:
        # Its own process group, killed with every helper it started should tfshift stop or die.
        proc = supervisor.popen(
            list(cmd), env=env, text=True, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=None if stream else subprocess.PIPE,
        )
    except OSError as exc:
        raise EnvBuildError(f"{what}: cannot run {cmd[0]}: {exc}") from exc
    try:
        stdout, stderr = proc.communicate()
    finally:
        supervisor.stop(proc)
    if proc.returncode != 0:
        detail = _last_error_line(stderr or stdout or "")
        raise EnvBuildError(f"{what} failed: {detail}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


# How uv and pip start the lines that explain a failure (uv draws a cross and an arrow).
_ERROR_STARTS = ("error", "\u00d7", "\u2570\u2500\u25b6", "because", "and because")


def _last_error_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    for line in reversed(lines):
        if line.lower().startswith(_ERROR_STARTS):
            return " ".join(lines[lines.index(line):])[:600]
    return " ".join(lines[-3:])[:600] if lines else "no output"


class UvBackend:
    name = "uv"

    def __init__(self, binary: str) -> None:
        self.binary = binary

    def create(self, python: Path, path: Path) -> None:
        # The manager removes the folder first; should something have recreated it since,
        # replace it (`--clear`, spelled as its variable: uv < 0.8 has no such flag, and
        # replaced an existing folder anyway).
        env = uv_environ()
        env["UV_VENV_CLEAR"] = "1"
        _run([self.binary, "venv", "--quiet", "--python", str(python), str(path)],
             env, f"uv venv {path.name}")

    def install(self, env_python: Path, requirements: Sequence[str], *, compile_bytecode: bool = False) -> None:
        # On a terminal uv reports what it resolves, downloads (with progress bars) and installs.
        quiet = [] if progress_enabled() else ["--quiet"]
        cmd = [self.binary, "pip", "install", *quiet, "--python", str(env_python)]
        if compile_bytecode:
            cmd.append("--compile-bytecode")
        _run([*cmd, *requirements], uv_environ(), "uv pip install " + " ".join(requirements))


class PipBackend:
    name = "pip"

    def create(self, python: Path, path: Path) -> None:
        _run([str(python), "-m", "venv", "--clear", str(path)], clean_environ(),
             f"python -m venv {path.name}")

    def install(self, env_python: Path, requirements: Sequence[str], *, compile_bytecode: bool = False) -> None:
        env = clean_environ()
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        cmd = [str(env_python), "-m", "pip", "install", *([] if progress_enabled() else ["--quiet"])]
        if not compile_bytecode:
            cmd.append("--no-compile")
        _run([*cmd, *requirements], env, "pip install " + " ".join(requirements))


def installed(env_path: Path) -> dict[str, str]:
    """{normalized name: version} of what is installed in an environment, from its dist-info
    folder names (`{name}-{version}.dist-info`, names escaped per the wheel spec): no process."""
    found: dict[str, str] = {}
    for site in env_path.glob("lib/python*/site-packages"):
        for entry in os.listdir(site):
            if entry.endswith(".dist-info"):
                name, _, version = entry[: -len(".dist-info")].partition("-")
                found[re.sub(r"[-_.]+", "-", name).lower()] = version
    return dict(sorted(found.items()))


def get(name: str | None = None) -> UvBackend | PipBackend:
    """The named backend, or uv when it is available, else venv + pip."""
    name = (name or os.environ.get("TFSHIFT_BACKEND") or "").lower() or None
    if name in (None, "uv"):
        binary = uv_binary()
        if binary is not None:
            return UvBackend(binary)
        if name == "uv":
            raise EnvBuildError("the uv backend was asked for but uv is not installed; pip install uv")
    if name in (None, "pip", "venv"):
        return PipBackend()
    raise EnvBuildError(f"unknown backend {name!r}; use uv or pip")
