"""Shared-memory slabs: files in /dev/shm that only the host creates and removes.

Fresh shared memory is slow to touch (the kernel allocates and zeroes each page), so slabs are
reused: a slab holds the large arrays of one request or one reply. A reply's arrays stay in
their slab, handed to the caller without a copy; the slab comes back to the pool when the last of
those arrays is garbage. Idle slabs beyond the pool's budget are removed. The worker only maps
slabs by name (never creates or removes one), which also sidesteps the cross-version resource
tracker of multiprocessing.shared_memory (CPython gh-82300).
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import itertools
import mmap
import os
import secrets
import sys
import tempfile
import threading
import weakref
from pathlib import Path

from tfshift import processes, supervisor

PREFIX = "tfshift-"
GRAIN = 1 << 20  # slab sizes are whole MiB, so similar requests reuse the same slab
DEFAULT_BUDGET = 512 << 20  # idle bytes a pool keeps for reuse (a few slabs of 100 MB arrays)
MAP_POPULATE = getattr(mmap, "MAP_POPULATE", 0)
_pools: weakref.WeakSet[SlabPool] = weakref.WeakSet()  # closed at interpreter exit


def default_dir() -> Path:
    """/dev/shm where it exists (memory, not disk), else the temporary folder."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK):
        return shm
    return Path(tempfile.gettempdir())


def _map(fd: int, size: int) -> mmap.mmap:
    return mmap.mmap(fd, size, flags=mmap.MAP_SHARED | MAP_POPULATE)


class Slab:
    __slots__ = ("fd", "mm", "name", "path", "size")

    def __init__(self, name: str, path: Path, size: int, fd: int, mm: mmap.mmap) -> None:
        self.name, self.path, self.size, self.fd, self.mm = name, path, size, fd, mm

    def view(self, nbytes: int) -> memoryview:
        return memoryview(self.mm)[:nbytes]

    def destroy(self, unlink: bool = True) -> None:
        if unlink:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
        with contextlib.suppress(BufferError):  # a view still alive keeps the mapping
            self.mm.close()
        os.close(self.fd)


class SlabPool:
    """The slabs of one runtime. Thread-safe; finalizers return lent slabs from any thread."""

    def __init__(self, directory: Path | None = None, budget: int = DEFAULT_BUDGET) -> None:
        self.directory = Path(directory) if directory is not None else default_dir()
        self.budget = budget
        self._tag = f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}-"
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()
        self._idle: list[Slab] = []
        self._lent: dict[str, Slab] = {}
        self._returned: collections.deque[Slab] = collections.deque()  # appended lock-free by GC
        self._forgotten: list[str] = []
        self._closed = False
        self.disabled_reason: str | None = None
        # Every pool sweeps what killed hosts left (a notebook's tenth Runtime too); its own
        # slabs go at close, at interpreter exit, or through the reaper if this process is killed.
        sweep(self.directory)
        supervisor.tell("+prefix", str(self.directory), self._tag)
        _pools.add(self)

    def take(self, nbytes: int) -> Slab | None:
        """An idle slab of at least nbytes, or a new one; None when shared memory is full."""
        with self._lock:
            self._collect_returned()
            fitting = [s for s in self._idle if s.size >= nbytes]
            if fitting:
                slab = min(fitting, key=lambda s: s.size)
                self._idle.remove(slab)
                return slab
        return self._create(-(-max(nbytes, 1) // GRAIN) * GRAIN)

    def has_idle(self) -> bool:
        """Whether a slab may be idle (a lock-free hint: false means there is none)."""
        return bool(self._idle or self._returned)

    def has_news(self) -> bool:
        """Whether forgotten() may have names (a lock-free hint: false means it has none)."""
        return bool(self._forgotten or self._returned)

    def take_largest_idle(self) -> Slab | None:
        with self._lock:
            self._collect_returned()
            if not self._idle:
                return None
            slab = max(self._idle, key=lambda s: s.size)
            self._idle.remove(slab)
            return slab

    def give(self, slab: Slab) -> None:
        with self._lock:
            self._keep(slab)

    def lend(self, slab: Slab) -> memoryview:
        """A fresh mapping of the slab for the caller's arrays; it comes back when they are gone."""
        mm = _map(slab.fd, slab.size)
        with self._lock:
            self._lent[slab.name] = slab
        weakref.finalize(mm, self._came_back, slab)
        return memoryview(mm)

    def forgotten(self) -> list[str]:
        """Names removed since the last call: the worker may drop its mappings of them."""
        with self._lock:
            self._collect_returned()
            names, self._forgotten = self._forgotten, []
            return names

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._collect_returned()
            for slab in self._idle:
                slab.destroy()
            self._idle.clear()
            for slab in self._lent.values():
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(slab.path)  # the caller's arrays keep their mapping until they go
            self._forgotten.clear()

    @property
    def idle_bytes(self) -> int:
        with self._lock:
            return sum(s.size for s in self._idle)

    def _came_back(self, slab: Slab) -> None:
        # Runs wherever the garbage collector runs, maybe inside one of our locked sections:
        # never take the lock here.
        if self._closed:
            slab.destroy(unlink=False)
        else:
            self._returned.append(slab)

    def _collect_returned(self) -> None:
        while self._returned:
            slab = self._returned.popleft()
            self._lent.pop(slab.name, None)
            self._keep(slab)

    def _keep(self, slab: Slab) -> None:
        if self._closed:
            slab.destroy(unlink=slab.name not in self._lent)
            return
        self._idle.append(slab)
        while self._idle and sum(s.size for s in self._idle) > self.budget:
            old = self._idle.pop(0)
            old.destroy()
            self._forgotten.append(old.name)

    def _create(self, size: int) -> Slab | None:
        if self.disabled_reason is not None:
            return None
        name = f"{self._tag}{next(self._numbers)}"
        path = self.directory / name
        fd = None
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
            # Reserve the memory now: a full /dev/shm must fail here, not as SIGBUS on first touch.
            os.posix_fallocate(fd, 0, size)
            return Slab(name, path, size, fd, _map(fd, size))
        except OSError as exc:
            if fd is not None:
                os.close(fd)
                with contextlib.suppress(OSError):
                    os.unlink(path)
            self.disable(f"{self.directory}: {exc.strerror or exc}")
            sys.stderr.write(f"tfshift: warning: shared memory unavailable ({self.disabled_reason}); "
                             "large arrays now go through the pipe\n")
            return None

    def disable(self, reason: str) -> None:
        """From now on large arrays go through the pipe."""
        self.disabled_reason = reason


def sweep(directory: Path) -> list[Path]:
    """Remove slabs left behind by tfshift processes that no longer exist (killed hosts)."""
    removed = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        if not name.startswith(PREFIX):
            continue
        pid = name[len(PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or processes.alive(int(pid)):
            continue
        try:
            os.unlink(directory / name)
            removed.append(directory / name)
        except OSError:
            pass
    return removed


@atexit.register
def _close_pools() -> None:
    """At exit every slab of this process goes, those still in a request's hands too."""
    for pool in list(_pools):
        pool.close()
        with contextlib.suppress(OSError):
            for name in os.listdir(pool.directory):
                if name.startswith(pool._tag):
                    with contextlib.suppress(OSError):
                        os.unlink(pool.directory / name)
        supervisor.tell("-prefix", str(pool.directory), pool._tag)
