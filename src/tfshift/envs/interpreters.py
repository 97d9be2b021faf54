"""Find a Python interpreter for a TensorFlow release, without hard-coded paths.

Order, for each acceptable Python minor from newest to oldest: `--python PATH`, `uv python find`,
the versions folder of `pyenv root`, then every `pythonX.Y` on PATH. Every candidate is run once
to learn its real version (pyenv shims exist for inactive versions and fail when run); results are
cached by path, size and mtime so that repeated discovery costs no process. What `uv python find`
answered is cached too, for as long as nothing it searches has changed (the folders on PATH, uv's
own Python folder, the variables that steer it, uv itself).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tfshift import config, supervisor
from tfshift.errors import InterpreterNotFoundError

_PROBE = "import sys; print('%d.%d.%d' % sys.version_info[:3]); print(sys.implementation.name)"
_PYENV_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Interpreter:
    path: Path  # the executable as found (not resolved: a venv python stays a venv python)
    version: str  # "3.7.16"
    source: str  # "--python", "uv", "pyenv", "PATH"

    @property
    def minor(self) -> str:
        return ".".join(self.version.split(".")[:2])


def _cache_file() -> Path:
    return config.home() / "cache" / "interpreters.json"


def _load_cache() -> dict[str, list]:
    try:
        return json.loads(_cache_file().read_text())
    except (OSError, ValueError):
        return {}


def _save_cache(cache: dict[str, list]) -> None:
    path = _cache_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(cache))
        os.replace(tmp, path)
    except OSError:
        pass  # a cache we cannot write is only slower


def probe(path: Path, source: str, cache: dict[str, list] | None = None) -> Interpreter | None:
    """Run `path` once to read its version; None if it is not a working CPython."""
    try:
        real = os.path.realpath(path)
        st = os.stat(real)
    except OSError:
        return None
    if not os.access(real, os.X_OK):
        return None
    key = f"{path}|{real}|{st.st_size}|{st.st_mtime_ns}"
    if cache is not None and key in cache:
        version, impl = cache[key]
    else:
        try:
            proc = supervisor.run(
                [str(path), "-I", "-c", _PROBE], capture_output=True, text=True, timeout=20,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        lines = proc.stdout.split()
        if proc.returncode != 0 or len(lines) != 2:
            return None
        version, impl = lines
        if cache is not None:
            cache[key] = [version, impl]
    if impl != "cpython":
        return None
    return Interpreter(path=Path(path), version=version, source=source)


# Variables that change what `uv python find` answers (beyond PATH, which is fingerprinted).
_UV_FIND_VARS = ("UV_PYTHON_INSTALL_DIR", "UV_PYTHON_PREFERENCE", "UV_PYTHON", "XDG_DATA_HOME",
                 "HOME", "PYENV_VERSION")


def _uv_find(minor: str, cache: dict[str, list] | None = None) -> Iterator[Path]:
    from tfshift.envs import backends

    uv = backends.uv_binary()
    if uv is None:
        return
    env = backends.uv_environ()
    # pyenv's shims make uv run a shell script per shim (~1 s in all); pyenv's interpreters are
    # searched directly in its versions folder right after, so uv need not see the shims.
    env["PATH"] = os.pathsep.join(
        d for d in env.get("PATH", "").split(os.pathsep) if not _is_pyenv_shims(d)
    )
    key = f"uv-find|{minor}"
    fingerprint = _uv_fingerprint(uv, env)
    hit = cache.get(key) if cache is not None else None
    if isinstance(hit, list) and len(hit) == 2 and hit[1] == fingerprint:
        if not hit[0]:
            return  # uv found none, and nothing it searches has changed since
        if os.path.exists(hit[0]):
            yield Path(hit[0])
            return
    try:
        proc = supervisor.run(
            [uv, "python", "find", "--no-project", "--system", "--no-python-downloads", minor],
            capture_output=True, text=True, timeout=30, env=env, stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return
    found = proc.stdout.strip().splitlines()[-1] if proc.returncode == 0 and proc.stdout.strip() else ""
    if cache is not None:
        cache[key] = [found, fingerprint]
    if found:
        yield Path(found)


def _uv_fingerprint(uv: str, env: dict[str, str]) -> str:
    """What `uv python find` searches, as stat results: a new interpreter in a folder on PATH
    or in uv's Python folder changes that folder's mtime."""
    data_home = env.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    managed = env.get("UV_PYTHON_INSTALL_DIR") or os.path.join(data_home, "uv", "python")
    parts = [f"{name}={env.get(name, '')}" for name in _UV_FIND_VARS]
    for path in (uv, managed, *env.get("PATH", "").split(os.pathsep)):
        try:
            st = os.stat(path)
            parts.append(f"{path}:{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            parts.append(f"{path}:-")
    return "\n".join(parts)


def _is_pyenv_shims(folder: str) -> bool:
    path = Path(folder)
    return path.name == "shims" and (path.parent / "versions").is_dir()


def pyenv_root() -> Path | None:
    explicit = os.environ.get("PYENV_ROOT")
    if explicit:
        return Path(explicit)
    exe = shutil.which("pyenv")
    if exe:
        try:
            proc = supervisor.run([exe, "root"], capture_output=True, text=True, timeout=10)
            if proc.returncode == 0 and proc.stdout.strip():
                return Path(proc.stdout.strip())
        except (OSError, subprocess.TimeoutExpired):
            pass
    default = Path.home() / ".pyenv"
    return default if default.is_dir() else None


def _pyenv_find(minor: str, cache: dict[str, list] | None = None) -> Iterator[Path]:
    root = pyenv_root()
    if root is None:
        return
    versions = root / "versions"
    try:
        names = os.listdir(versions)
    except OSError:
        return
    matching = []
    for name in names:
        m = _PYENV_VERSION.match(name)
        if m and f"{m[1]}.{m[2]}" == minor:
            matching.append((int(m[3]), name))
    for _, name in sorted(matching, reverse=True):  # newest patch first
        yield versions / name / "bin" / f"python{minor}"


def _path_find(minor: str, cache: dict[str, list] | None = None) -> Iterator[Path]:
    seen = set()
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(folder or ".") / f"python{minor}"
        if candidate in seen:
            continue
        seen.add(candidate)
        if candidate.is_file():
            yield candidate


_SOURCES = (("uv", _uv_find), ("pyenv", _pyenv_find), ("PATH", _path_find))


def find(minors: Sequence[str], explicit: str | os.PathLike[str] | None = None,
         what: str = "this TensorFlow") -> Interpreter:
    """The first interpreter of the newest acceptable minor, searching the sources in order."""
    cache = _load_cache()
    try:
        if explicit is not None:
            return _check_explicit(Path(explicit), minors, what, cache)
        for minor in minors:
            for source, finder in _SOURCES:
                for candidate in finder(minor, cache):
                    found = probe(candidate, source, cache)
                    if found is not None and found.minor == minor:
                        return found
    finally:
        _save_cache(cache)
    raise InterpreterNotFoundError(_not_found_message(minors, what))


def _check_explicit(path: Path, minors: Sequence[str], what: str, cache: dict) -> Interpreter:
    if not path.exists():
        raise InterpreterNotFoundError(f"--python {path}: no such file; pass the path of a Python executable")
    found = probe(path, "--python", cache)
    if found is None:
        raise InterpreterNotFoundError(f"--python {path}: not a working CPython interpreter")
    if found.minor not in minors:
        raise InterpreterNotFoundError(
            f"--python {path} is Python {found.version}, but {what} has wheels only for "
            f"Python {_join(minors)}; pass one of those"
        )
    return found


def _join(minors: Iterable[str]) -> str:
    items = list(minors)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _not_found_message(minors: Sequence[str], what: str) -> str:
    newest = minors[0]
    if tuple(int(p) for p in newest.split(".")) >= (3, 8):
        how = f"`uv python install {newest}` or `pyenv install {newest}`"
    else:
        how = f"`pyenv install {newest}` (uv no longer downloads Python {newest})"
    return (
        f"no Python interpreter for {what}: it needs Python {_join(minors)} "
        f"(searched uv, pyenv and PATH); install one with {how}, or pass --python PATH"
    )
