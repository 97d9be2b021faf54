"""Managed environments: one isolated TensorFlow per version, under TFSHIFT_HOME/envs/.

An environment is named by TensorFlow release, Python minor, the Keras 2 flag and a hash of any
extra requirements (`tf-2.21.0-py3.13-keras2-with-1a2b3c4d`). It counts as built only when its
marker (`tfshift-env.json`, written last and atomically) is present and its interpreter is the
one recorded there; anything else is an interrupted build and is rebuilt. Building holds a file
lock, so two processes creating the same environment end with one intact environment.

A build happens beside the environment (`.building-NAME-PID`) and is renamed into place whole,
its scripts' paths rewritten, so no reader ever sees a half-built one: until the rename the old
environment stays usable, and a reader that finds a build under way (`run`, a plain `create`,
a Runtime) waits for its lock and takes the result.

A `--keras2` environment carries its Keras 2 switch itself: a `.pth` file in site-packages sets
TF_USE_LEGACY_KERAS=1 for every run of its interpreter (unless already set) and `bin/activate`
exports it. A keras2 environment built before tfshift did this is repaired in place when it is
next asked for (under its lock): the switch is added and recorded in the marker.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tfshift
from tfshift import config, processes
from tfshift.envs import gpu as gpus
from tfshift.envs import table
from tfshift.errors import EnvBuildError, TfshiftError
from tfshift.output import progress

if TYPE_CHECKING:
    import subprocess

    from tfshift.envs import interpreters

# Reusing an environment must stay under ~0.2 s in all, so the modules that only building needs
# (uv/pip backends, interpreter discovery, subprocess) are imported when a build happens.

MARKER = "tfshift-env.json"
KERAS2_HOOK = "tfshift-keras2.pth"  # in site-packages of --keras2 environments
KERAS2_HOOK_TEXT = (
    "# tfshift: tf.keras is Keras 2 (tf-keras) in this environment\n"
    'import os; os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")\n'
)
_ACTIVATE_TAG = "# tfshift-keras2"
_NAME = re.compile(
    r"^tf-(?P<tf>\d+\.\d+\.\d+)-py(?P<py>\d+\.\d+)(?P<keras2>-keras2)?(?:-(?P<gpu>gpu(?:-cuda[\d.]+)?))?"
    r"(?:-with-(?P<with>[0-9a-f]{8}))?$"
)


def envs_dir() -> Path:
    return config.home() / "envs"


@dataclass
class Env:
    """A built environment, as its marker describes it."""

    path: Path
    marker: dict[str, Any] = field(repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    @property
    def bin(self) -> Path:
        return self.path / "bin"

    @property
    def tf_version(self) -> str:
        return self.marker["tensorflow"]

    @property
    def tf_minor(self) -> str:
        return ".".join(self.tf_version.split(".")[:2])

    @property
    def python_version(self) -> str:
        return self.marker["python"]

    @property
    def keras2(self) -> bool:
        return bool(self.marker.get("keras2"))

    @property
    def keras(self) -> str:
        """"keras2" or "keras3": what `tf.keras` is inside this environment."""
        return self.marker.get("keras", "keras2")

    @property
    def extras(self) -> list[str]:
        return list(self.marker.get("with", []))

    @property
    def packages(self) -> dict[str, str]:
        return dict(self.marker.get("packages", {}))

    @property
    def gpu(self) -> dict[str, Any] | None:
        """A GPU environment's CUDA facts (source, cuda, cudnn, library_dirs); None for CPU."""
        return self.marker.get("gpu") or None

    def environ(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """Process environment with this env first: PATH, VIRTUAL_ENV, TF_USE_LEGACY_KERAS."""
        env = dict(os.environ if base is None else base)
        for name in ("PYTHONHOME", "CONDA_PREFIX", "UV_PYTHON", "__PYVENV_LAUNCHER__"):
            env.pop(name, None)
        env["VIRTUAL_ENV"] = str(self.path)
        env["PATH"] = str(self.bin) + os.pathsep + env.get("PATH", "")
        if self.keras2:  # only 2.16+ environments carry the flag
            env["TF_USE_LEGACY_KERAS"] = "1"
        else:
            # The environment's contract wins over an inherited switch it cannot honour.
            env.pop("TF_USE_LEGACY_KERAS", None)
        if self.gpu:
            gpus.environ(self.path, self.gpu, env)  # the env's own CUDA wheels come first
        return env

    def worker_environ(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """environ() for tfshift's own processes in this env (workers, probes, generators).

        Bytecode is allowed: a TensorFlow import takes ~10 s from source and ~3.5 s from cached
        bytecode, and the cache lands in the managed environment, not in the user's folders.
        """
        env = self.environ(base)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("PYTHONPATH", None)
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        return env

    def run_python(self, args: Sequence[str], *, input: str | None = None,
                   timeout: float | None = None, cwd: str | os.PathLike[str] | None = None,
                   env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """Run this environment's Python with `args`, capturing text output."""
        import subprocess

        from tfshift import supervisor

        return supervisor.run(
            [str(self.python), *args], input=input, capture_output=True, text=True,
            timeout=timeout, cwd=cwd, env=self.worker_environ(env),
            stdin=None if input is not None else subprocess.DEVNULL,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path),
            "tf": self.tf_version,
            "python": self.python_version,
            "keras2": self.keras2,
            "with": self.extras,
            "gpu": self.gpu,
            "backend": self.marker.get("backend"),
            "created": self.marker.get("created"),
            "packages": self.packages,
        }


def env_name(patch: str, python_minor: str, keras2: bool, extras: Sequence[str], gpu: str = "") -> str:
    """gpu: "" for the CPU environment, else the GPU plan's variant ("gpu", "gpu-cuda11.8")."""
    name = f"tf-{patch}-py{python_minor}"
    if keras2:
        name += "-keras2"
    if gpu:
        name += f"-{gpu}"
    if extras:
        name += f"-with-{extras_hash(extras)}"
    return name


def normalize_extras(extras: Sequence[str] | None) -> list[str]:
    return sorted({" ".join(e.split()) for e in (extras or []) if e and e.strip()})


def extras_hash(extras: Sequence[str]) -> str:
    import hashlib

    return hashlib.sha256("\n".join(normalize_extras(extras)).encode()).hexdigest()[:8]


def _read_marker(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((path / MARKER).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("complete") else None


def intact(path: Path) -> Env | None:
    """The environment at `path` if its marker and interpreter check out, else None.

    A keras2 environment without its Keras 2 switch is not intact (ensure() repairs it).
    """
    env = _built(path)
    return None if env is None or _lacks_keras2_hook(env) else env


def _built(path: Path) -> Env | None:
    """The environment at `path` if its build completed, its venv and base interpreter are there."""
    marker = _read_marker(path)
    if marker is None:
        return None
    python = path / "bin" / "python"
    base = marker.get("base_python")
    try:
        if not (path / "pyvenv.cfg").is_file() or not python.exists():
            return None
        if base:
            st = os.stat(base["realpath"])
            if st.st_size != base["size"]:
                return None
    except (OSError, KeyError, TypeError):
        return None
    return Env(path=path, marker=marker)


def _lacks_keras2_hook(env: Env) -> bool:
    if not env.keras2:
        return False
    hook = env.marker.get("keras2_hook")
    return not (isinstance(hook, str) and (env.path / hook).is_file())


def _usable(path: Path) -> Env | None:
    """intact(path), after repairing a keras2 environment that lacks its switch.

    One that cannot be repaired (a TFSHIFT_HOME this user may not write) is used as it is:
    `run` and the runtime's workers set TF_USE_LEGACY_KERAS themselves.
    """
    env = _built(path)
    if env is not None and _lacks_keras2_hook(env):
        try:
            with _lock(path.name):
                env = _built(path)
                if env is not None and _lacks_keras2_hook(env):
                    env = _repair_keras2(env)
        except OSError as exc:
            from tfshift.output import warn

            warn(f"{path.name}: could not make TF_USE_LEGACY_KERAS=1 part of it ({exc})")
    return env


def _repair_keras2(env: Env) -> Env:
    """Add the Keras 2 switch to a keras2 environment built without it (caller holds the lock)."""
    marker = dict(env.marker, keras2_hook=_write_keras2_hook(env.path))
    _write_marker(env.path, marker)
    progress(f"repaired {env.name}: TF_USE_LEGACY_KERAS=1 is now part of the environment")
    return Env(path=env.path, marker=marker)


def _site_packages(path: Path) -> Path:
    found = sorted(path.glob("lib/python*/site-packages"))
    if len(found) != 1:
        raise EnvBuildError(f"{path.name}: expected one lib/pythonX.Y/site-packages, found {len(found)}")
    return found[0]


def _write_keras2_hook(path: Path) -> str:
    """Make TF_USE_LEGACY_KERAS=1 part of the environment: a .pth file that sets it when the
    interpreter starts (however it is started) and an export in bin/activate. Returns the
    .pth file's path relative to the environment, for the marker."""
    hook = _site_packages(path) / KERAS2_HOOK
    tmp = hook.with_name(f".{hook.name}.{os.getpid()}.tmp")
    tmp.write_text(KERAS2_HOOK_TEXT)
    os.replace(tmp, hook)
    _patch_activate(path / "bin" / "activate")
    return str(hook.relative_to(path))


_DEACTIVATE_KERAS2 = f"""    {_ACTIVATE_TAG}: restore TF_USE_LEGACY_KERAS
    if ! [ -z "${{_TFSHIFT_KERAS2+_}}" ] ; then
        if ! [ -z "${{_OLD_TF_USE_LEGACY_KERAS+_}}" ] ; then
            TF_USE_LEGACY_KERAS="$_OLD_TF_USE_LEGACY_KERAS"
            export TF_USE_LEGACY_KERAS
            unset _OLD_TF_USE_LEGACY_KERAS
        else
            unset TF_USE_LEGACY_KERAS
        fi
        unset _TFSHIFT_KERAS2
    fi
"""

_ACTIVATE_KERAS2 = f"""
{_ACTIVATE_TAG}: tf.keras is Keras 2 (tf-keras) in this environment
if ! [ -z "${{TF_USE_LEGACY_KERAS+_}}" ] ; then
    _OLD_TF_USE_LEGACY_KERAS="$TF_USE_LEGACY_KERAS"
fi
_TFSHIFT_KERAS2=1
TF_USE_LEGACY_KERAS=1
export TF_USE_LEGACY_KERAS
"""


def _patch_activate(activate: Path) -> None:
    """Export TF_USE_LEGACY_KERAS=1 in bin/activate (bash, zsh) and undo it in deactivate."""
    try:
        text = activate.read_text()
    except FileNotFoundError:
        return
    if _ACTIVATE_TAG in text:
        return
    opening = re.search(r"^deactivate \(\) \{\n", text, re.MULTILINE)
    if opening:
        text = text[:opening.end()] + _DEACTIVATE_KERAS2 + text[opening.end():]
    text = text.rstrip("\n") + "\n" + _ACTIVATE_KERAS2
    tmp = activate.with_name(f".{activate.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, activate)


def _write_marker(path: Path, marker: dict[str, Any]) -> None:
    tmp = path / f".{MARKER}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(marker, indent=1) + "\n")
    os.replace(tmp, path / MARKER)


@contextlib.contextmanager
def _lock(name: str) -> Iterator[None]:
    import fcntl

    locks = envs_dir() / ".locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f"{name}.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress(f"waiting for another tfshift process to finish building {name}")
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _wait_for_builder(name: str) -> None:
    """Return once no other process is building `name` (a shared lock waits for the builder's
    exclusive one); at once when none is."""
    import fcntl

    try:
        fh = open(envs_dir() / ".locks" / f"{name}.lock", "rb")  # noqa: SIM115
    except OSError:
        return  # never built here, or not readable: nothing to wait for
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            progress(f"waiting for another tfshift process to finish building {name}")
            fcntl.flock(fh, fcntl.LOCK_SH)
        except OSError:
            return
        fcntl.flock(fh, fcntl.LOCK_UN)


def _resolve(version: str | table.VersionRequest) -> table.VersionRequest:
    return version if isinstance(version, table.VersionRequest) else table.parse(version)


def _effective_keras2(request: table.VersionRequest, keras2: bool) -> bool:
    # Up to 2.15 tf.keras already is Keras 2: --keras2 names the same environment.
    return keras2 and request.release.uses_keras3


def _gpu_variant(request: table.VersionRequest, patch: str, gpu: bool, cuda: str | None) -> str:
    if not gpu and cuda is None:
        return ""
    return gpus.plan(request.minor, patch, cuda).variant if cuda is not None else "gpu"


def find_existing(version: str | table.VersionRequest, *, keras2: bool = False,
                  extras: Sequence[str] | None = None, python: str | None = None,
                  gpu: bool = False, cuda: str | None = None) -> Env | None:
    """An intact environment for this request, newest Python first, without any discovery.

    `python` (a minor, "3.13") keeps only the environment built with that Python. `gpu`: the
    GPU environment (`cuda`: of that CUDA, see envs.gpu)."""
    request = _resolve(version)
    release = request.release
    keras2 = _effective_keras2(request, keras2)
    extras = normalize_extras(extras)
    for minor in release.pythons_for(request.exact):
        if python is not None and minor != python:
            continue
        patch = request.exact or release.patch_for(minor)
        variant = _gpu_variant(request, patch, gpu, cuda)
        name = env_name(patch, minor, keras2, extras, variant)
        _wait_for_builder(name)
        env = _usable(envs_dir() / name)
        if env is not None:
            return env
    return None


def ensure(version: str | table.VersionRequest, *, keras2: bool = False,
           extras: Sequence[str] | None = None, python: str | os.PathLike[str] | None = None,
           force: bool = False, backend: str | None = None, compile_bytecode: bool = False,
           gpu: bool = False, cuda: str | None = None) -> Env:
    """Return an intact environment for this TensorFlow version, building it if needed.

    gpu: the GPU environment, with the CUDA/cuDNN of the build (`cuda`: another one it can use)."""
    request = _resolve(version)
    release = request.release
    keras2 = _effective_keras2(request, keras2)
    extras = normalize_extras(extras)
    gpu = gpu or cuda is not None
    if gpu:
        gpus.check_platform()
    if not force and python is None:
        existing = find_existing(request, keras2=keras2, extras=extras, gpu=gpu, cuda=cuda)
        if existing is not None:
            return existing
    from tfshift.envs import backends, interpreters

    interp = interpreters.find(release.pythons_for(request.exact), explicit=python,
                               what=f"TensorFlow {request}")
    patch = request.exact or release.patch_for(interp.minor)
    plan = gpus.plan(request.minor, patch, cuda) if gpu else None
    name = env_name(patch, interp.minor, keras2, extras, plan.variant if plan else "")
    path = envs_dir() / name
    with _lock(name):
        if not force:
            existing = _built(path)
            if existing is not None:
                return _repair_keras2(existing) if _lacks_keras2_hook(existing) else existing
        requirements = [plan.tf_requirement if plan else f"tensorflow=={patch}", *release.pins]
        if keras2:
            requirements += release.keras2_pins
        requirements += [*(plan.requirements if plan else ()), *extras]
        return _build(path, interp, patch, release, keras2, extras, requirements,
                      backends.get(backend), compile_bytecode, plan)


def _build(path: Path, interp: interpreters.Interpreter, patch: str, release: table.Release,
           keras2: bool, extras: list[str], requirements: list[str], backend: Any,
           compile_bytecode: bool, gpu_plan: gpus.Plan | None = None) -> Env:
    from tfshift import supervisor

    final = path
    path = final.with_name(f".building-{final.name}-{os.getpid()}")
    with supervisor.temporary(path):  # removed if the build fails, is stopped or killed
        env = _build_beside(path, interp, patch, release, keras2, extras, requirements, backend,
                            compile_bytecode, gpu_plan)
        _relocate(path, final)
        _discard(final)  # the old environment, if any: renamed away, then deleted
        os.replace(path, final)
    return Env(path=final, marker=env.marker)


def _relocate(built: Path, final: Path) -> None:
    """Point the scripts of an environment built at `built` (shebangs, activate) at `final`."""
    old, new = os.fsencode(built), os.fsencode(final)
    for item in (built / "bin").iterdir():
        if item.is_symlink() or not item.is_file() or item.stat().st_size > 1 << 20:
            continue
        data = item.read_bytes()
        if old in data:
            mode = item.stat().st_mode
            tmp = item.with_name(f".{item.name}.tmp")
            tmp.write_bytes(data.replace(old, new))
            os.chmod(tmp, mode & 0o7777)
            os.replace(tmp, item)


def _build_beside(path: Path, interp: interpreters.Interpreter, patch: str, release: table.Release,
                  keras2: bool, extras: list[str], requirements: list[str], backend: Any,
                  compile_bytecode: bool, gpu_plan: gpus.Plan | None = None) -> Env:
    from tfshift.envs import backends, disk

    name = path.name.removeprefix(".building-").rsplit("-", 1)[0]  # what the user asked for
    started = time.monotonic()
    if backend.name == "uv":  # before anything is removed or fetched
        disk.check(requirements, backends.uv_cache_dir(), path, name)
    _discard(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    progress(f"creating {name} with Python {interp.version} ({interp.path}) using {backend.name}")
    try:
        backend.create(interp.path, path)
    except EnvBuildError:
        if not path.exists():
            raise
        _discard(path)  # something wrote into the folder since it was removed: once more
        backend.create(interp.path, path)
    (path / ".gitignore").write_text("*\n")
    (path / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n"
                                       "# This directory is a tfshift environment.\n")
    progress("installing " + " ".join(requirements))
    python = path / "bin" / "python"
    backend.install(python, requirements, compile_bytecode=compile_bytecode)
    packages = backends.installed(path)
    distribution = gpu_plan.distribution if gpu_plan else "tensorflow"
    if packages.get(distribution) != patch:
        raise EnvBuildError(
            f"{name}: expected {distribution} {patch} but found {packages.get(distribution)}; "
            f"remove it with `tfshift env remove {release.minor}` and try again"
        )
    hook = _write_keras2_hook(path) if keras2 else None
    real = os.path.realpath(interp.path)
    marker = {
        "complete": True,
        "tensorflow": patch,
        "python": interp.version,
        "keras2": keras2,
        "keras": "keras2" if (keras2 or not release.uses_keras3) else "keras3",
        **({"keras2_hook": hook} if hook else {}),
        "with": extras,
        **({"gpu": gpus.built(path, _site_packages(path), packages, gpu_plan)} if gpu_plan else {}),
        "requirements": requirements,
        "backend": backend.name,
        "base_python": {"path": str(interp.path), "realpath": real, "size": os.stat(real).st_size},
        "packages": packages,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        "seconds": round(time.monotonic() - started, 2),
        "tfshift_version": tfshift.__version__,
    }
    _write_marker(path, marker)  # last step: from here on the environment counts as built
    progress(f"built {name} in {marker['seconds']:.1f}s")
    return Env(path=path, marker=marker)


def _discard(path: Path, attempts: int = 5) -> None:
    """Remove a directory by renaming it away first, so nobody sees it half-deleted.

    A process that was still writing into it (an installer of a build killed midway, left by an
    older tfshift) recreates folders under the old path: whatever reappears, while the renamed
    tree is deleted, is renamed away and deleted too.
    """
    import shutil

    _sweep_trash(path.parent)
    for _ in range(attempts):
        if not path.exists() and not path.is_symlink():
            return
        trash = path.with_name(f".trash-{path.name}-{os.getpid()}-{time.monotonic_ns()}")
        try:
            os.replace(path, trash)
        except FileNotFoundError:
            continue
        shutil.rmtree(trash, ignore_errors=True)
    if path.exists() or path.is_symlink():
        raise EnvBuildError(f"{path} keeps reappearing: another process is writing into it; "
                            "stop it and try again")


def _sweep_trash(folder: Path) -> None:
    """Delete what a tfshift killed while deleting an environment left (`.trash-*-PID-*`)."""
    import shutil

    try:
        names = [n for n in os.listdir(folder) if n.startswith(".trash-")]
    except OSError:
        return
    for name in names:
        pid = name.rsplit("-", 2)[-2] if name.count("-") >= 2 else ""
        if pid.isdigit() and int(pid) != os.getpid() and not processes.alive(int(pid)):
            shutil.rmtree(folder / name, ignore_errors=True)


def list_envs() -> list[dict[str, Any]]:
    """Every environment folder under envs/, complete or not."""
    root = envs_dir()
    found = []
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return []
    for name in names:
        path = root / name
        if name.startswith(".") or not path.is_dir():
            continue
        env = _built(path)
        if env is not None:
            status = "outdated" if _lacks_keras2_hook(env) else "ok"
            found.append({**env.as_dict(), "status": status})
        else:
            m = _NAME.match(name)
            found.append({
                "name": name, "path": str(path), "status": "incomplete",
                "tf": m["tf"] if m else None, "python": m["py"] if m else None,
                "keras2": bool(m and m["keras2"]), "gpu": None,
            })
    found.sort(key=lambda e: (_vkey(e.get("tf") or "0"), _vkey(e.get("python") or "0"), e["name"]))
    return found


def _vkey(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text))


def matching(version: str | table.VersionRequest, *, keras2: bool | None = None,
             gpu: bool | None = None) -> list[Path]:
    """Environment folders for this version (any Python and extras); keras2=None (gpu=None)
    matches both."""
    request = _resolve(version)
    out = []
    for entry in list_envs():
        m = _NAME.match(entry["name"])
        if not m:
            continue
        tf = m["tf"]
        if request.exact and tf != request.exact:
            continue
        if not tf.startswith(request.minor + "."):
            continue
        if keras2 is not None and bool(m["keras2"]) != _effective_keras2(request, keras2):
            continue
        if gpu is not None and bool(m["gpu"]) != gpu:
            continue
        out.append(Path(entry["path"]))
    return out


def remove(version: str | table.VersionRequest, *, keras2: bool | None = False,
           gpu: bool | None = False) -> list[Path]:
    removed = []
    for path in matching(version, keras2=keras2, gpu=gpu):
        with _lock(path.name):
            _discard(path)
        removed.append(path)
    return removed


def remove_all() -> list[Path]:
    removed = []
    for entry in list_envs():
        path = Path(entry["path"])
        with _lock(path.name):
            _discard(path)
        removed.append(path)
    return removed


def require_existing(version: str, *, keras2: bool = False, gpu: bool = False,
                     cuda: str | None = None) -> Env:
    env = find_existing(version, keras2=keras2, gpu=gpu, cuda=cuda)
    if env is None:
        flag = (" --keras2" if keras2 else "") + (" --gpu" if gpu and cuda is None else "")
        flag += f" --cuda {cuda}" if cuda is not None else ""
        raise TfshiftError(
            f"no environment for TensorFlow {version}{flag}; create it with "
            f"`tfshift env create {version}{flag}`"
        )
    return env
