"""Make the API database from real releases, and check a release against it (drift).

Two passes: first every environment is walked (its modules listed with `dir()`); then every
environment is walked again and also asked, by name, about every path any release listed. The
second pass is what finds symbols that exist but are not listed, and symbols that raise on
access (`tf.compat.v1.layers.dense` under Keras 3) with their message. The inputs of the second
pass come only from the first, so a rebuild from the same releases gives the same file.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tfshift
from tfshift.api import build, database, walk
from tfshift.envs import table
from tfshift.errors import TfshiftError

Log = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def snapshots(minors: list[str], *, build_envs: bool = True, use_cache: bool = True,
              log: Log = _quiet) -> list[build.Snapshot]:
    targets = walk.targets(minors)
    seen: set[str] = set()  # every path any walk met: what each release is then asked about
    for target in targets:
        log(f"walk {target}")
        seen.update(walk.walk(target, build=build_envs, use_cache=use_cache)["entries"])
    probes = sorted(seen)
    texts: dict[str, str] = {}
    found = []
    for minor in minors:
        documents = []
        for target in walk.targets([minor]):
            log(f"walk {target} with {len(probes)} probes")
            documents.append(walk.walk(target, probes=_for_roots(probes, target),
                                       build=build_envs, use_cache=use_cache))
        found.append(build.merge(minor, documents, texts))
    return found


def _for_roots(probes: list[str], target: walk.Target) -> list[str]:
    roots = target.root_names
    return [p for p in probes if p.split(".", 1)[0] in roots]


def generator_info() -> dict[str, Any]:
    return {"tool": "tfshift", "tfshift": tfshift.__version__, "walker": walk.worker_digest()}


def write_database(snaps: list[build.Snapshot], out: Path, *, built: str | None = None) -> bool:
    """Write the database; False (file untouched) when its content would not change."""
    built = built or dt.datetime.now(dt.timezone.utc).date().isoformat()
    data = build.build(snaps, built=built, generator=generator_info())
    if out.is_file():
        try:
            old = database.ApiDatabase(out.read_bytes(), source=str(out))
            new = database.ApiDatabase(data)
            if old.info()["content_sha256"] == new.info()["content_sha256"]:
                return False
        except TfshiftError:
            pass  # a damaged database is simply replaced
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, out)
    return True


def python_minor(version: str | None) -> str | None:
    """"3.13" for "3.13.0"; None for None."""
    return ".".join(version.split(".")[:2]) if version else None


def drift(minor: str, db: database.ApiDatabase, *, build_envs: bool = True,
          use_cache: bool = False, log: Log = _quiet, python: str | None = None) -> list[str]:
    """Walk one release for real and list every way it differs from the database.

    The release is walked with the Python minor the database recorded for it (`python`
    overrides it): the reprs of some defaults differ between Pythons, so another Python would
    report differences that are not drift."""
    minor = db.minor(minor)
    recorded = db.info()["releases"].get(minor, {})
    python = python or python_minor(recorded.get("python"))
    probes = list(db.names)
    documents = []
    for target in walk.targets([minor]):
        log(f"walk {target} (Python {python or 'newest'}) with {len(probes)} probes from the database")
        documents.append(walk.walk(target, probes=_for_roots(probes, target),
                                   build=build_envs, use_cache=use_cache, python=python))
    snapshot = build.merge(minor, documents)
    fresh = snapshot.records
    stored = db.release_slice(minor)
    problems = []
    for name in sorted(set(fresh) | set(stored)):
        if fresh.get(name) != stored.get(name):
            problems.append(f"{name}: database {stored.get(name) or 'absent'}, "
                            f"{minor} now {fresh.get(name) or 'absent'}")
    for dist in ("tensorflow", "keras", "tf-keras"):
        if recorded.get(dist) != snapshot.meta.get(dist):
            problems.insert(0, f"database built from {dist} {recorded.get(dist)}, "
                               f"walked {snapshot.meta.get(dist)}")
    walked = snapshot.meta.get("python")
    if recorded.get("python") and python_minor(walked) != python_minor(recorded["python"]):
        problems.insert(0, f"database built with Python {recorded['python']} for TensorFlow {minor}, "
                           f"walked with Python {walked}: walk an environment with Python "
                           f"{python_minor(recorded['python'])} (reprs of defaults differ between Pythons)")
    return problems


def all_minors() -> list[str]:
    return table.minors()
