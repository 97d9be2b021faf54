"""`tfshift matrix`: one command under several TensorFlow versions, concurrently.

Each version's output goes to its own log under TFSHIFT_HOME/logs/; the summary is a table (or
JSON). Children run in their own sessions, so Ctrl-C (or SIGTERM) stops every one of them.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import os
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tfshift import config, supervisor
from tfshift.envs import gpu as gpus
from tfshift.envs import manager, table
from tfshift.envs.run import resolve_command


@dataclass
class Outcome:
    tf: str
    python: str
    exit_code: int | None
    seconds: float
    output_tail: str
    log: str
    gpu: str = ""  # "CUDA 12.2 / cuDNN 8.9 (pip)" in a GPU environment

    def as_dict(self) -> dict:
        return {
            "tf": self.tf, "python": self.python, "exit_code": self.exit_code,
            "seconds": round(self.seconds, 2), "output_tail": self.output_tail, "log": self.log,
            **({"gpu": self.gpu} if self.gpu else {}),
        }


class _Children:
    """Live child processes, so an interrupt can stop them all."""

    def __init__(self) -> None:
        self._procs: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self.stopping = False

    def add(self, proc: subprocess.Popen) -> None:
        with self._lock:
            self._procs.add(proc)

    def discard(self, proc: subprocess.Popen) -> None:
        with self._lock:
            self._procs.discard(proc)

    def stop_all(self, grace: float = 3.0) -> None:
        self.stopping = True
        with self._lock:
            procs = list(self._procs)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for proc in procs:
                if proc.poll() is None:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, sig)
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and any(p.poll() is None for p in procs):
                time.sleep(0.05)


def log_dir() -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = config.home() / "logs" / f"matrix-{stamp}-{os.getpid()}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _tail(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 4096))
            lines = [ln.strip() for ln in fh.read().decode("utf-8", "replace").splitlines()]
    except OSError:
        return ""
    lines = [ln for ln in lines if ln]
    return lines[-1][:200] if lines else ""


class _Status:
    """What each run is doing, for the live board: queued, building, running, or its exit."""

    def __init__(self, labels: Sequence[str]) -> None:
        from tfshift.live import Board

        self.board = Board()
        self.width = max(len(label) for label in labels)
        self.labels = list(labels)
        for index, label in enumerate(self.labels):
            self.board.set(index, f"{label:<{self.width}}  queued")

    def building(self, index: int) -> None:
        started = time.monotonic()
        label = self.labels[index]
        self.board.set(index, lambda: f"{label:<{self.width}}  {self.board.spinner()} building "
                                      f"environment {_since(started)}")

    def running(self, index: int, log: Path) -> None:
        started = time.monotonic()
        label = self.labels[index]

        def row() -> str:
            tail = _tail(log)
            return (f"{label:<{self.width}}  {self.board.spinner()} running {_since(started)}"
                    + (f"  {tail}" if tail else ""))
        self.board.set(index, row)

    def finished(self, index: int, outcome: Outcome) -> None:
        from tfshift.output import GREEN, RED, color

        ok = outcome.exit_code == 0
        state = "ok" if ok else ("not started" if outcome.exit_code is None else f"exit {outcome.exit_code}")
        mark = color(state, GREEN if ok else RED, self.board.stream)
        tail = f"  {outcome.output_tail}" if outcome.output_tail and not ok else ""
        self.board.set(index, f"{self.labels[index]:<{self.width}}  {mark} in {outcome.seconds:.1f}s{tail}")

    def close(self) -> None:
        self.board.close()


def _since(started: float) -> str:
    from tfshift.live import elapsed

    return elapsed(time.monotonic() - started)


def _run_one(env: manager.Env, command: Sequence[str], log: Path, children: _Children,
             status: _Status | None = None, index: int = 0) -> Outcome:
    started = time.monotonic()
    executable, environ = resolve_command(env, command)
    with open(log, "wb") as out:
        if children.stopping:
            return Outcome(env.tf_version, env.python_version, None, 0.0, "not started", str(log),
                           gpus.label(env.gpu))
        proc = supervisor.popen([executable, *command[1:]], env=environ, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        children.add(proc)
        if status is not None:
            status.running(index, log)
        try:
            code = proc.wait()
        finally:
            children.discard(proc)
            supervisor.stop(proc)  # what the command left running in its group goes with it
    outcome = Outcome(env.tf_version, env.python_version, code, time.monotonic() - started,
                      _tail(log), str(log), gpus.label(env.gpu))
    if status is not None:
        status.finished(index, outcome)
    return outcome


def run_matrix(requests: Sequence[table.VersionRequest], command: Sequence[str], *, jobs: int,
               keras2: bool = False, extras: Sequence[str] | None = None, gpu: bool = False,
               cuda: str | None = None) -> tuple[Path, list[Outcome]]:
    """Build (or reuse) every environment, then run `command` in each; returns the log dir too.

    On a terminal, a live line per version shows where it is (queued, building its
    environment, running with its last output line, its exit code and time), and the log
    folder is named at the start.
    """
    from tfshift.output import progress

    logs = log_dir()
    progress(f"logs in {logs}")
    labels = [f"TF {r}" + (" (Keras 2)" if keras2 else "") + (" GPU" if gpu else "") for r in requests]
    status = _Status(labels)
    try:
        envs = _ensure_all(requests, keras2, extras, jobs, gpu, cuda, status)
        children = _Children()
        previous = signal.signal(signal.SIGTERM, _raise_interrupt) if _main_thread() else None
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs))
        try:
            futures = [pool.submit(_run_one, env, command, logs / name, children, status, index)
                       for index, (env, name) in enumerate(zip(envs, log_names(envs), strict=True))]
            outcomes = [f.result() for f in futures]
        except BaseException:
            children.stop_all()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        pool.shutdown()
    finally:
        status.close()
    return logs, outcomes


def log_names(envs: Sequence[manager.Env]) -> list[str]:
    """One log file per run: `tf-2.21.0.log`, and `tf-2.21.0-2.log` for a version asked twice."""
    names = []
    seen: dict[str, int] = {}
    for env in envs:
        stem = f"tf-{env.tf_version}{'-keras2' if env.keras2 else ''}{'-gpu' if env.gpu else ''}"
        seen[stem] = seen.get(stem, 0) + 1
        names.append(f"{stem}.log" if seen[stem] == 1 else f"{stem}-{seen[stem]}.log")
    return names


def _ensure_all(requests, keras2, extras, jobs, gpu=False, cuda=None,
                status: _Status | None = None) -> list[manager.Env]:
    def one(index: int, request) -> manager.Env:
        if status is not None:
            status.building(index)
        env = manager.ensure(request, keras2=keras2, extras=extras, gpu=gpu, cuda=cuda)
        if status is not None:
            status.board.set(index, f"{status.labels[index]:<{status.width}}  queued")
        return env

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(jobs, len(requests)))) as pool:
        futures = [pool.submit(one, index, r) for index, r in enumerate(requests)]
        return [f.result() for f in futures]


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt
