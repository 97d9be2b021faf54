"""Disk space: what a build will take before it downloads, and what environments take.

uv unpacks each wheel once into its cache and hardlinks the files into every environment (its
link mode on Linux; tfshift keeps the cache beside the environments so that it can). A wheel in
the cache therefore costs an environment almost nothing, and an environment's size on disk counts
each hardlinked file once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from tfshift.errors import TfshiftError

# Installed size (MB) of the large wheels, measured on TF 2.12 / 2.15 / 2.21 GPU environments
# (the largest release of each); smaller packages count nothing.
SIZES_MB = {
    "tensorflow": 1850, "tensorflow-gpu": 1500, "tensorflow-cpu": 1850,
    "nvidia-cudnn": 1100, "nvidia-cublas": 820, "nvidia-cusolver": 470, "nvidia-nccl": 470,
    "nvidia-cusparse": 470, "nvidia-cufft": 280, "nvidia-cuda-nvcc": 170, "nvidia-cuda-nvrtc": 100,
    "nvidia-curand": 100, "nvidia-nvjitlink": 100, "nvidia-cuda-cupti": 50, "nvidia-cuda-runtime": 10,
}
MARGIN_MB = 300  # the small packages, uv's temporary files
_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;,]+)\s*$")


class NoSpace(TfshiftError):
    """Not enough free disk space for a build."""


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _size_mb(name: str) -> int:
    family = re.sub(r"-cu\d+$", "", name)
    return SIZES_MB.get(family, 0)


def cached(cache: Path, name: str, version: str) -> bool:
    """Whether uv's cache holds this wheel unpacked (`wheels-v*/pypi/NAME/VERSION-TAGS`)."""
    try:
        buckets = [d for d in os.listdir(cache) if d.startswith("wheels-v")]
    except OSError:
        return False
    for bucket in buckets:
        folder = cache / bucket / "pypi" / name
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        if any(e.startswith(version + "-") and not e.endswith((".http", ".lock", ".msgpack"))
               for e in entries):
            return True
    return False


def estimate_mb(requirements: Iterable[str], cache: Path) -> int:
    """MB the pinned large wheels not yet in uv's cache will take once installed (0 when none)."""
    need = 0
    for text in requirements:
        match = _PIN.match(text)
        if not match:
            continue
        name, version = _name(match[1]), match[2]
        size = _size_mb(name)
        if size and not cached(cache, name, version):
            need += size
    return need


def free_mb(path: Path) -> int:
    """Free MB on the file system that holds `path` (or its nearest existing parent)."""
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    st = os.statvfs(probe)
    return st.f_bavail * st.f_frsize // (1 << 20)


def check(requirements: Sequence[str], cache: Path, target: Path, name: str) -> None:
    """NoSpace (one line, exit 2) when the download cannot fit: before anything is fetched."""
    need = estimate_mb(requirements, cache)
    if not need:
        return
    have = free_mb(cache)
    if have < need + MARGIN_MB:
        raise NoSpace(f"{name} needs about {_gb(need + MARGIN_MB)} of free disk space for its downloads "
                      f"but {_mount(cache)} has {_gb(have)}; free some space (`tfshift env list` shows what "
                      "each environment takes, `tfshift env remove VERSION` removes one) or set TFSHIFT_HOME "
                      "(or UV_CACHE_DIR) to a disk with room")


def _gb(mb: int) -> str:
    return f"{mb / 1024:.1f} GB" if mb >= 1024 else f"{mb} MB"


def _mount(path: Path) -> str:
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return str(probe)


# -- Sizes of what exists -----------------------------------------------------------------------

def tree_sizes(roots: Sequence[Path]) -> tuple[dict[Path, dict[str, int]], int]:
    """Per root: `bytes` on disk (each file counted once within the root, hardlinks included) and
    `own_bytes` (files hardlinked nowhere else: neither to uv's cache nor to another root); and
    what all roots take together, each hardlinked file counted once."""
    out = {}
    everywhere: set[tuple[int, int]] = set()
    together = 0
    for root in roots:
        seen: set[tuple[int, int]] = set()
        total = own = 0
        for st in _walk(root):
            key = (st.st_dev, st.st_ino)
            if key in seen:
                continue
            seen.add(key)
            used = st.st_blocks * 512
            total += used
            if key not in everywhere:
                everywhere.add(key)
                together += used
            if st.st_nlink == 1:
                own += used
        out[root] = {"bytes": total, "own_bytes": own}
    return out, together


def _walk(root: Path) -> Iterable[os.stat_result]:
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    yield st
        except OSError:
            continue


def human(nbytes: int) -> str:
    for unit, scale in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if nbytes >= scale:
            return f"{nbytes / scale:.1f}{unit}"
    return f"{nbytes}B"
