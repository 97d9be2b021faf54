"""Where a conversion writes: a private staging folder next to OUT, then one rename into place.

Routes write into the staging folder, never into OUT; OUT appears only once the result is whole
(and verified, with --verify). An existing OUT is replaced only with --force, and even then it
is moved aside first and removed only after the new result is in place, so at no moment is the
user's old model lost while the new one is incomplete.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tfshift import reading, supervisor
from tfshift.errors import TfshiftError
from tfshift.models.convert.route import ConvertError

PROVENANCE_NAME = "tfshift.json"  # inside a SavedModel's assets.extra/, which TF leaves alone
SIDECAR_SUFFIX = ".tfshift.json"  # next to a .keras file
PROVENANCE_LIMIT = 1 << 20


def check_free(out: Path, force: bool) -> None:
    """OUT may be written: it does not exist, or --force says it may be replaced."""
    if out.exists() or out.is_symlink():
        if not force:
            raise ConvertError(f"{out}: exists; pass --force to replace it")
        if out.is_dir() and not (out / "saved_model.pb").is_file() and any(out.iterdir()):
            # --force replaces a model, not a folder of other things the user keeps there.
            raise ConvertError(f"{out}: a folder that is not a SavedModel; choose another OUT")


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A private folder beside OUT (same file system, so the final rename is atomic), removed
    when the conversion ends, or by the supervisor's reaper should tfshift be killed."""
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.tfshift-", dir=parent))
    except OSError as exc:
        raise ConvertError(f"{parent}: cannot write there ({exc.strerror or exc})") from None
    with supervisor.temporary(folder):
        yield folder


def install(staged: Path, out: Path, force: bool) -> None:
    """Move the staged result to OUT; with force, the old OUT goes only once the new is there."""
    check_free(out, force)
    sidecar = staged.with_name(staged.name + SIDECAR_SUFFIX)
    old = None
    if out.exists() or out.is_symlink():
        old = out.with_name(f".{out.name}.tfshift-old-{os.getpid()}")
        os.replace(out, old)
    try:
        os.replace(staged, out)
    except BaseException:
        if old is not None:
            os.replace(old, out)
        raise
    if sidecar.exists():
        os.replace(sidecar, out.with_name(out.name + SIDECAR_SUFFIX))
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def provenance_path(model: Path, kind: str) -> Path:
    """Where the provenance of a result at `model` lives."""
    from tfshift.models.convert.route import SAVED_MODEL

    if kind == SAVED_MODEL:
        return model / "assets.extra" / PROVENANCE_NAME
    return model.with_name(model.name + SIDECAR_SUFFIX)


def write_provenance(model: Path, kind: str, record: dict[str, Any]) -> Path:
    path = provenance_path(model, kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_provenance(model: Path) -> dict[str, Any] | None:
    """The provenance tfshift recorded for a converted model, if any (for inspect)."""
    for candidate in (model / "assets.extra" / PROVENANCE_NAME, model.with_name(model.name + SIDECAR_SUFFIX)):
        try:  # a hostile sidecar must not cost memory: a record is a few KB
            data = json.loads(reading.read_bytes(candidate, PROVENANCE_LIMIT))
        except (OSError, ValueError, TfshiftError):
            continue
        if isinstance(data, dict) and data.get("schema") == "tfshift-provenance/1":
            return data
    return None
