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


def _run_one(env: manager.Env, command: Sequence[str], log: Path, children: _Children) -> Outcome:
    started = time.monotonic()
    executable, environ = resolve_command(env, command)
    with open(log, "wb") as out:
        if children.stopping:
            return Outcome(env.tf_version, env.python_version, None, 0.0, "not started", str(log),
                           gpus.label(env.gpu))
        proc = supervisor.popen([executable, *command[1:]], env=environ, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        children.add(proc)
        try:
            code = proc.wait()
        finally:
            children.discard(proc)
            supervisor.stop(proc)  # what the command left running in its group goes with it
    return Outcome(env.tf_version, env.python_version, code, time.monotonic() - started,
                   _tail(log), str(log), gpus.label(env.gpu))


def run_matrix(requests: Sequence[table.VersionRequest], command: Sequence[str], *, jobs: int,
               keras2: bool = False, extras: Sequence[str] | None = None, gpu: bool = False,
               cuda: str | None = None) -> tuple[Path, list[Outcome]]:
    """Build (or reuse) every environment, then run `command` in each; returns the log dir too."""
    envs = _ensure_all(requests, keras2, extras, jobs, gpu, cuda)
    logs = log_dir()
    children = _Children()
    previous = signal.signal(signal.SIGTERM, _raise_interrupt) if _main_thread() else None
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        futures = [pool.submit(_run_one, env, command, logs / name, children)
                   for env, name in zip(envs, log_names(envs), strict=True)]
        outcomes = [f.result() for f in futures]
    except BaseException:
        children.stop_all()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    pool.shutdown()
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


def _ensure_all(requests, keras2, extras, jobs, gpu=False, cuda=None) -> list[manager.Env]:
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(jobs, len(requests)))) as pool:
        futures = [pool.submit(manager.ensure, r, keras2=keras2, extras=extras, gpu=gpu, cuda=cuda)
                   for r in requests]
        return [f.result() for f in futures]


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt
