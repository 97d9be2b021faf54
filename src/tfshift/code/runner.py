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
from tfshift.code.project import Project, digest_of
from tfshift.output import progress

# Set in the parent before workers start; inherited by forked workers, sent to spawned ones.
_STATE: dict = {}
SERIAL_BELOW = 24  # files; fewer than this are not worth starting processes for


def run(files: list, engine, upgrade: bool, jobs: int, cache: Cache | None) -> list[FileResult]:
    """Results for `files` (discover.Found items), in their order.

    `engine` is an Engine, or a function that makes one: it is only called when some file is
    not answered by the cache. Files that take TensorFlow names from the project's own modules
    (project.py) are done again, knowing those names, once every file's summary is known.
    """
    results: dict[int, FileResult] = {}
    digests: dict[int, str] = {}
    pending: list[tuple[int, str, int, dict | None]] = []
    for index, item in enumerate(files):
        name = item.path
        try:
            info = os.stat(name)
        except OSError:
            pending.append((index, name, 0, None))
            continue
        if cache is not None:
            known = cache.known_digest(item.absolute, info)
            hit = cache.get(known, name) if known else None
            if hit is not None:
                results[index], digests[index] = hit, known
                continue
        pending.append((index, name, info.st_size, None))
    engine = _computed(files, pending, results, digests, engine, upgrade, jobs, cache)
    # Second pass: the files whose imports bring TensorFlow names from the project.
    project = Project({files[i].absolute: r.summary for i, r in results.items() if r.summary is not None})
    again = []
    for index, item in enumerate(files):
        received = project.received(item.absolute) if index in digests else None
        if not received:
            continue
        key = f"{digests[index]}:{digest_of(received)}"
        hit = cache.get(key, item.path) if cache is not None else None
        if hit is not None:
            results[index] = hit
        else:
            again.append((index, item.path, 0, received))
    _computed(files, again, results, digests, engine, upgrade, jobs, cache)
    return [results[i] for i in range(len(files))]


def _computed(files, pending, results, digests, engine, upgrade, jobs, cache):
    """Compute `pending` into `results`; returns the engine (made on first need)."""
    if not pending:
        return engine
    progress(f"{'upgrading' if upgrade else 'scanning'} {len(pending)} of {len(files)} files")
    if callable(engine):
        engine = engine()
    _STATE.update(engine=engine, upgrade=upgrade, cached=cache.results if cache else {})
    for index, name, key, received, result in _compute(pending, jobs):
        results[index] = result
        if key is not None:
            digests[index] = key
        if cache is not None and key is not None:
            with contextlib.suppress(OSError):  # vanished meanwhile: just not cached
                cache.put(key, files[index].absolute, os.stat(name), result,
                          f"{key}:{digest_of(received)}" if received else None)
    return engine


def _compute(pending, jobs):
    if jobs <= 1 or len(pending) < SERIAL_BELOW:
        return _batch([(i, n, r) for i, n, _, r in pending])
    pending = sorted(pending, key=lambda item: -item[2])
    batches: list[list] = [[] for _ in range(max(len(pending) // 8, jobs))]
    for n, (index, name, _, received) in enumerate(pending):
        batches[n % len(batches)].append((index, name, received))
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


def _batch(items: list[tuple[int, str, dict | None]]) -> list:
    """Run in a worker (or in-process): read, hash, answer from the cache or compute.

    Each item is (index, path, what the file receives from project modules or None)."""
    engine, upgrade, cached = _STATE["engine"], _STATE["upgrade"], _STATE["cached"]
    out = []
    enabled = gc.isenabled()
    gc.disable()  # ASTs are freed by reference counting; collections would only cost time
    try:
        for index, name, received in items:
            try:
                # Not a blocking open: the file may have become a FIFO since it was found.
                data = reading.read_bytes(name)
            except (OSError, reading.NotRegularFile) as exc:
                from tfshift.code.process import UNDECODABLE, problem

                why = exc.strerror if isinstance(exc, OSError) else str(exc).split(": ", 1)[-1]
                result = FileResult(name, [problem(UNDECODABLE, f"cannot read: {why}")])
                out.append((index, name, None, received, result))
                continue
            key = digest(data)
            entry = cached.get(f"{key}:{digest_of(received)}" if received else key)
            if entry is not None:
                from tfshift.code.cache import _load

                out.append((index, name, key, received, _load(entry, name)))
                continue
            out.append((index, name, key, received, process(name, data, engine, upgrade, received)))
    finally:
        if enabled:
            gc.enable()
    return out
