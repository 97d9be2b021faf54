"""Putting upgraded files where they belong: in place, mirrored into --out, or as a diff."""

from __future__ import annotations

import difflib
import os
import shutil
import sys
from pathlib import Path

from tfshift.code import source
from tfshift.code.process import FileResult
from tfshift.errors import TfshiftError


def in_place(results: list[FileResult]) -> dict[str, str]:
    """Replace each changed file atomically, keeping its permission bits (and symlinks)."""
    written = {}
    changed = [r for r in results if r.output is not None]
    try:
        for result in changed:
            target = Path(os.path.realpath(result.path))
            source.write_atomic(target, result.output, target.stat().st_mode)
            written[result.path] = result.path
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM: the file in hand was written whole or not at all
        sys.stderr.write(f"tfshift: stopped after writing {len(written)} of {len(changed)} upgraded "
                         "files; the others are untouched\n")
        raise
    return written


def mirror(found, results: list[FileResult], out: str, force: bool) -> dict[str, str]:
    """Write the whole tree below `out`: upgraded files, and every other file as it was."""
    root = Path(out)
    if root.exists() and not root.is_dir():
        raise TfshiftError(f"--out {out} exists and is not a folder; choose another path")
    outputs = {r.path: r.output for r in results}
    plan = []
    for item in found:
        plan.append((item, root / item.relative))
    clashes = [str(dest) for _, dest in plan if dest.exists()]
    if clashes and not force:
        raise TfshiftError(f"--out would overwrite {len(clashes)} existing file(s), e.g. {clashes[0]}; "
                           "choose an empty folder or add --force")
    written = {}
    for item, dest in plan:
        dest.parent.mkdir(parents=True, exist_ok=True)
        data = outputs.get(item.path)
        mode = os.stat(item.path).st_mode
        if data is not None:
            source.write_atomic(dest, data, mode)
            written[item.path] = str(dest)
        else:
            shutil.copy2(item.path, dest)
    return written


def diffs(results: list[FileResult]) -> dict[str, str]:
    out = {}
    for result in results:
        if result.output is None:
            continue
        old = Path(result.path).read_bytes()
        try:
            before = source.decode(old)
            after_text = result.output.decode(before.encoding)
        except (source.UndecodableSource, UnicodeDecodeError):
            continue
        name = _diff_name(result.path)
        lines = difflib.unified_diff(
            before.text.splitlines(keepends=True), after_text.splitlines(keepends=True),
            fromfile=f"a/{name}", tofile=f"b/{name}")
        text = "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
                       for line in lines)
        out[result.path] = text
    return out


def _diff_name(path: str) -> str:
    """The path as git writes it after `a/` and `b/`: forward slashes and no leading slash
    (`/tmp/x.py` -> `a/tmp/x.py`, not `a//tmp/x.py`)."""
    return Path(path).as_posix().lstrip("/")
