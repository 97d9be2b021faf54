"""Many files: the cache first, then the rest in worker processes.

The parent only stats files. A file whose size, mtime and inode match the cache's record is
answered from the cache without being read. The others go to `jobs` worker processes, biggest
first, in small batches; a worker reads the file, hashes it, answers from the cache when the
content is known (a touched but unchanged file), and otherwise scans or upgrades it. Results
come back in the order the files were found.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys

from tfshift import reading
from tfshift.code.cache import Cache, digest
from tfshift.code.process import FileResult, process
from tfshift.output import progress

# Set in the parent before workers start; inherited by forked workers, sent to spawned ones.
_STATE: dict = {}
SERIAL_BELOW = 24  # files; fewer than this are not worth starting processes for


def run(files: list, engine, upgrade: bool, jobs: int, cache: Cache | None) -> list[FileResult]:
    """Results for `files` (discover.Found items), in their order.

    `engine` is an Engine, or a function that makes one: it is only called when some file is
    not answered by the cache.
    """
    results: dict[int, FileResult] = {}
    pending: list[tuple[int, str, int]] = []
    for index, item in enumerate(files):
        name = item.path
        try:
            info = os.stat(name)
        except OSError:
            pending.append((index, name, 0))
            continue
        if cache is not None:
            known = cache.known_digest(item.absolute, info)
            hit = cache.get(known, name) if known else None
            if hit is not None:
                results[index] = hit
                continue
        pending.append((index, name, info.st_size))
    if pending:
        progress(f"{'upgrading' if upgrade else 'scanning'} {len(pending)} of {len(files)} files")
        if callable(engine):
            engine = engine()
        _STATE.update(engine=engine, upgrade=upgrade, cached=cache.results if cache else {})
        for index, name, key, result in _compute(pending, jobs):
            results[index] = result
            if cache is not None and key is not None:
                with contextlib.suppress(OSError):  # vanished meanwhile: just not cached
                    cache.put(key, files[index].absolute, os.stat(name), result)
    return [results[i] for i in range(len(files))]


def _compute(pending, jobs):
    if jobs <= 1 or len(pending) < SERIAL_BELOW:
        return _batch([(i, n) for i, n, _ in pending])
    pending = sorted(pending, key=lambda item: -item[2])
    batches: list[list] = [[] for _ in range(max(len(pending) // 8, jobs))]
    for n, (index, name, _) in enumerate(pending):
        batches[n % len(batches)].append((index, name))
    from tfshift import supervisor

    context = _context()
    initializer, initargs = (None, ()) if context.get_start_method() == "fork" else (_init, (dict(_STATE),))
    # Workers die with this process and are killed, not awaited, on Ctrl-C or SIGTERM.
    with supervisor.pool(jobs, context, initializer, initargs) as pool:
        out = []
        for chunk in pool.map(_batch, batches):
            out.extend(chunk)
        return out


def _context():
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _init(state: dict) -> None:
    _STATE.update(state)


def _batch(items: list[tuple[int, str]]) -> list:
    """Run in a worker (or in-process): read, hash, answer from the cache or compute."""
    engine, upgrade, cached = _STATE["engine"], _STATE["upgrade"], _STATE["cached"]
    out = []
    enabled = gc.isenabled()
    gc.disable()  # ASTs are freed by reference counting; collections would only cost time
    try:
        for index, name in items:
            try:
                # Not a blocking open: the file may have become a FIFO since it was found.
                data = reading.read_bytes(name)
            except (OSError, reading.NotRegularFile) as exc:
                from tfshift.code.process import UNDECODABLE, problem

                why = exc.strerror if isinstance(exc, OSError) else str(exc).split(": ", 1)[-1]
                result = FileResult(name, [problem(UNDECODABLE, f"cannot read: {why}")])
                out.append((index, name, None, result))
                continue
            key = digest(data)
            entry = cached.get(key)
            if entry is not None:
                from tfshift.code.cache import _load

                out.append((index, name, key, _load(entry, name)))
                continue
            out.append((index, name, key, process(name, data, engine, upgrade)))
    finally:
        if enabled:
            gc.enable()
    return out
