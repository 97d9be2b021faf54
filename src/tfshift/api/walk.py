"""Run the API walker inside managed environments and cache what it finds.

One walk = one worker process in one environment: `worker/walk_api.py` imports the roots,
walks them and writes a JSON document. A walk that kills its interpreter (a native crash on
some attribute) is run again with that attribute skipped, so one bad symbol never costs a
release. Documents are cached under TFSHIFT_HOME/cache/api, keyed by environment, worker code
and probe list, so rebuilding the database after a change in the builder walks nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from tfshift import config
from tfshift.envs import manager, table
from tfshift.errors import TfshiftError
from tfshift.output import progress

WORKER = "walk_api.py"
MAX_CRASHES = 25
TIMEOUT = 3600.0

# What each kind of environment contributes. Keras 2 API modules are walked under `keras`
# (the standalone package of 2.6-2.15 is the module tf.keras points to); Keras 3 is `keras`.
MAIN_ROOTS = (("keras", ("keras.api._v2.keras", "keras")), ("tf", ("tensorflow",)))
KERAS2_ROOTS = (("tf_keras", ("tf_keras",)),)


@dataclass(frozen=True)
class Target:
    """One walk: a TF minor, the Keras 2 flag, and the roots walked there."""

    minor: str
    keras2: bool

    @property
    def roots(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return KERAS2_ROOTS if self.keras2 else MAIN_ROOTS

    @property
    def root_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.roots)

    def __str__(self) -> str:
        return self.minor + (" --keras2" if self.keras2 else "")


def targets(minors: list[str]) -> list[Target]:
    """Every walk the given minors need: the default env, plus the tf-keras env from 2.16."""
    found = []
    for minor in minors:
        found.append(Target(minor, False))
        if table.release(minor).uses_keras3:
            found.append(Target(minor, True))
    return found


def worker_path() -> Path:
    return Path(str(resources.files("tfshift.api.worker").joinpath(WORKER)))


def worker_digest() -> str:
    return hashlib.sha256(worker_path().read_bytes()).hexdigest()[:16]


def cache_dir() -> Path:
    return config.home() / "cache" / "api"


def environment(target: Target, build: bool, python: str | None = None) -> manager.Env:
    """The environment to walk: the newest Python's, or the one built with `python` (a minor)."""
    env = manager.find_existing(target.minor, keras2=target.keras2, python=python)
    if env is None and build:
        explicit = None
        if python is not None:
            from tfshift.envs import interpreters

            explicit = interpreters.find([python], what=f"walking TensorFlow {target} with Python {python}").path
        progress(f"building the environment for TensorFlow {target}")
        env = manager.ensure(target.minor, keras2=target.keras2, python=explicit)
    if env is None:
        flag = " --keras2" if target.keras2 else ""
        if python is None:
            raise TfshiftError(
                f"no environment for TensorFlow {target}; create it with "
                f"`tfshift env create {target.minor}{flag}` or let the builder build it"
            )
        other = manager.find_existing(target.minor, keras2=target.keras2)
        found = f" (there is {other.name}, with Python {other.python_version})" if other else ""
        raise TfshiftError(
            f"no environment for TensorFlow {target} with Python {python}{found}; create it with "
            f"`tfshift env create {target.minor}{flag} --python PATH` (PATH a Python {python}) "
            "or let the builder build it"
        )
    return env


def walk(target: Target, *, probes: list[str] | None = None, build: bool = True,
         use_cache: bool = True, python: str | None = None) -> dict[str, Any]:
    """The walker's document for this target (from the cache when the inputs are unchanged),
    walked in the environment of the newest Python, or of `python` (a minor) when given."""
    env = environment(target, build, python)
    probe_text = "\n".join(sorted(probes)) + "\n" if probes else ""
    key = hashlib.sha256(
        "\n".join([env.name, worker_digest(), hashlib.sha256(probe_text.encode()).hexdigest()])
        .encode()).hexdigest()[:20]
    cached = cache_dir() / f"{env.name}-{key}.json.gz"
    document = None
    if use_cache and cached.is_file():
        try:
            document = json.loads(gzip.decompress(cached.read_bytes()))
        except (OSError, ValueError, EOFError):
            document = None  # a damaged cache entry is walked again
    if document is None:
        document = _run(env, target, probe_text)
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(cached.name + f".{os.getpid()}.tmp")
        tmp.write_bytes(gzip.compress(json.dumps(document, sort_keys=True).encode(), mtime=0))
        os.replace(tmp, cached)
    # What the environment's marker says it holds (the installer's record, exact versions).
    document["environment"] = {"name": env.name, "tensorflow": env.tf_version,
                               "python": env.python_version, "keras2": target.keras2,
                               "packages": env.packages}
    return document


def _run(env: manager.Env, target: Target, probe_text: str) -> dict[str, Any]:
    progress(f"walking the API of TensorFlow {target} ({env.name})")
    return run_walker(env, target.roots, probe_text=probe_text)


def run_walker(env: manager.Env, roots: tuple[tuple[str, tuple[str, ...]], ...], *,
               probe_text: str = "", extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """Run the worker in `env` until it finishes, skipping attributes that crash it."""
    skip: list[str] = []
    with tempfile.TemporaryDirectory(prefix="tfshift-api-") as tmp:
        out = Path(tmp) / "walk.json"
        progress_file = Path(tmp) / "progress.txt"
        args = [str(worker_path()), str(out)]
        args += [f"{root}={','.join(modules)}" for root, modules in roots]
        args += ["--progress", str(progress_file), *extra]
        if probe_text:
            probe_file = Path(tmp) / "probe.txt"
            probe_file.write_text(probe_text)
            args += ["--probe", str(probe_file)]
        run_env = {**os.environ, "PYTHONHASHSEED": "0", "TF_CPP_MIN_LOG_LEVEL": "3",
                   "CUDA_VISIBLE_DEVICES": "-1"}
        while True:
            skipped = [a for path in skip for a in ("--skip", path)]
            result = env.run_python(args + skipped, timeout=TIMEOUT, cwd=tmp, env=run_env)
            if result.returncode == 0 and out.is_file():
                document = json.loads(out.read_text())
                document["skipped"] = skip
                return document
            # Only a killed interpreter (native crash, abort) is worth a walk without the
            # culprit; a Python error in the walker is a bug to report as it is.
            culprit = _last_path(progress_file) if result.returncode < 0 else None
            tail = " | ".join(result.stderr.strip().splitlines()[-3:])
            if culprit is None or culprit in skip or len(skip) >= MAX_CRASHES:
                raise TfshiftError(
                    f"the API walker failed in {env.name} (exit {result.returncode}); "
                    f"last lines: {tail or 'none'}"
                )
            progress(f"{culprit} crashed the walker in {env.name}; walking again without it")
            skip.append(culprit)


def _last_path(progress_file: Path) -> str | None:
    try:
        lines = progress_file.read_text().splitlines()
    except OSError:
        return None
    last = lines[-1].strip() if lines else ""
    if not last or last == "done":
        return None
    return last.removesuffix(".__dir__")
