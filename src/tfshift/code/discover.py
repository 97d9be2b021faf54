"""The files a scan or an upgrade looks at.

A path given on the command line is always taken. Folders are walked honouring `.gitignore`,
skipping tool and environment folders (`.git`, `__pycache__`, virtualenvs, `node_modules`...)
and symbolic links (an in-place upgrade must not write outside the tree it was given).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from tfshift import reading
from tfshift.code.gitignore import Ignore
from tfshift.errors import TfshiftError

SOURCE_SUFFIXES = (".py", ".ipynb")
SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".bzr", "__pycache__", ".tox", ".nox", ".venv", "venv", ".eggs",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".pytype", "node_modules",
    ".ipynb_checkpoints", "__pypackages__", "site-packages", ".direnv",
})


@dataclass(frozen=True)
class Found:
    path: str  # as the user will see it
    root: str  # the folder the user named (or the file's folder): --out mirrors below it
    source: bool  # a .py or .ipynb file; otherwise only copied by --out
    absolute: str = ""  # the absolute path (the cache's key)

    @property
    def relative(self) -> str:
        return os.path.relpath(self.path, self.root)


def discover(paths: list[str], others: bool = False, skip: str | None = None) -> list[Found]:
    """Source files under `paths` (and, with `others`, every other file, for --out).

    `skip` is a folder never to enter (the --out folder, when it lies inside the tree).
    """
    found: list[Found] = []
    seen: set[str] = set()
    skip_abs = os.path.abspath(skip) if skip else None
    for text in paths:
        text = os.path.normpath(text)  # `src/` and `src//x.py` are printed as src/x.py
        if not os.path.exists(text):
            raise TfshiftError(f"{text}: no such file or folder; give a .py file, a notebook or a folder")
        if os.path.isdir(text):
            items = _walk(text, others, skip_abs)
        else:
            reading.check_regular(text)  # a FIFO would block the read forever
            items = [Found(text, os.path.dirname(text) or ".", True, os.path.abspath(text))]
        for item in items:
            if item.absolute not in seen:
                seen.add(item.absolute)
                found.append(item)
    return found


def _walk(top: str, others: bool, skip: str | None):
    stack = [(top, os.path.abspath(top), Ignore.for_folder(top))]
    while stack:
        folder, folder_abs, ignore = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError:
            continue
        folders = []
        for entry in entries:
            name = entry.name
            if entry.is_symlink():
                continue
            if entry.is_dir():
                path = folder + os.sep + name
                absolute = folder_abs + os.sep + name
                if name in SKIP_DIRS or os.path.exists(os.path.join(path, "pyvenv.cfg")):
                    continue
                if absolute == skip or (ignore.layers and ignore.ignored(absolute, True)):
                    continue
                folders.append((path, absolute))
            elif name.endswith(SOURCE_SUFFIXES) or others:
                absolute = folder_abs + os.sep + name
                if ignore.layers and ignore.ignored(absolute, False):
                    continue
                if entry.is_file():
                    yield Found(folder + os.sep + name, top, name.endswith(SOURCE_SUFFIXES), absolute)
        for path, absolute in reversed(folders):
            stack.append((path, absolute, ignore.child(path)))

