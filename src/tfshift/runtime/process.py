"""The worker process: started in its environment, watched, explained when it dies, stopped.

The worker asks the kernel to kill it when its parent dies (PR_SET_PDEATHSIG). That signal fires
when the *thread* that forked it ends, so every worker is forked by one spawner thread that lives
as long as the host process; a Runtime made in a short-lived thread keeps its worker.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from tfshift.envs.manager import Env
from tfshift.errors import WorkerError

WORKER_MAIN = Path(__file__).resolve().parent / "worker" / "main.py"
TAIL_LINES = 200  # stderr lines kept
# How long a worker polls for the next request after answering, before it sleeps (see
# worker/server.py Channel): longer than a caller's turn-around in a loop (~0.1 ms).
WORKER_SPIN = 0.0003
QUOTED_LINES = 12  # of which an error message quotes

_spawn_queue: queue.SimpleQueue | None = None
_spawn_lock = threading.Lock()


def _spawner(jobs: queue.SimpleQueue) -> None:
    while True:
        argv, kwargs, future = jobs.get()
        try:
            future.set_result(subprocess.Popen(argv, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)


def spawn(argv: list[str], **kwargs: Any) -> subprocess.Popen:
    """subprocess.Popen, called from the process-long spawner thread."""
    global _spawn_queue
    with _spawn_lock:
        if _spawn_queue is None:
            _spawn_queue = queue.SimpleQueue()
            threading.Thread(target=_spawner, args=(_spawn_queue,), name="tfshift-spawner",
                             daemon=True).start()
    future: concurrent.futures.Future = concurrent.futures.Future()
    _spawn_queue.put((argv, kwargs, future))
    return future.result()


class WorkerProcess:
    """One worker: its pipes, its stderr (last lines kept), its exit."""

    def __init__(self, env: Env, shm_dir: Path, *, echo_stderr: bool = False) -> None:
        self.env = env
        self.echo_stderr = echo_stderr
        self.tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        log_r, log_w = os.pipe()
        config = {"rfd": req_r, "wfd": resp_w, "host_pid": os.getpid(), "shm_dir": str(shm_dir),
                  "spin": WORKER_SPIN}
        try:
            self.proc = spawn(
                [str(env.python), "-I", str(WORKER_MAIN), json.dumps(config)],
                pass_fds=(req_r, resp_w), stdin=subprocess.DEVNULL, stdout=log_w, stderr=log_w,
                env=env.worker_environ(), start_new_session=True,
            )
        except BaseException:
            for fd in (req_w, resp_r, log_r):
                os.close(fd)
            raise
        finally:
            for fd in (req_r, resp_w, log_w):
                os.close(fd)
        self.wfd, self.rfd = req_w, resp_r
        self._log = threading.Thread(target=self._drain, args=(log_r,),
                                     name=f"tfshift-worker-{self.proc.pid}-stderr", daemon=True)
        self._log.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _drain(self, fd: int) -> None:
        with open(fd, "rb") as stream:
            for raw in stream:
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                self.tail.append(line)
                if self.echo_stderr:
                    sys.stderr.write(f"[tf {self.env.tf_version}] {line}\n")

    def exit_code(self, wait: float) -> int | None:
        try:
            return self.proc.wait(wait)
        except subprocess.TimeoutExpired:
            return None

    def diagnose(self, doing: str, *, wait: float = 1.0) -> WorkerError:
        """The WorkerError for a worker that went away while `doing` something."""
        code = self.exit_code(wait)
        if code is None:  # closed its pipe yet lives on: of no further use
            self.kill()
            code = self.exit_code(wait)
        self._log.join(wait)
        return self.error(f"{describe_exit(code)} while {doing}", code)

    def error(self, what: str, code: int | None = None) -> WorkerError:
        tail = tuple(self.tail)
        message = f"TensorFlow {self.env.tf_version} worker (pid {self.pid}) {what}"
        quoted = [line for line in tail if line.strip()][-QUOTED_LINES:]
        if quoted:
            message += "; its last stderr lines:\n" + "\n".join(f"  | {line}" for line in quoted)
        return WorkerError(message, stderr_tail=tail, returncode=code)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()

    def stop(self, grace: float = 5.0) -> None:
        """Close the request pipe (the worker exits on EOF); kill it if it lingers."""
        for fd in (self.wfd, self.rfd):
            with contextlib.suppress(OSError):
                os.close(fd)
        if self.exit_code(grace) is None:
            self.kill()
            self.proc.wait()
        self._log.join(grace)


def describe_exit(code: int | None) -> str:
    if code is None:
        return "stopped answering"
    if code < 0:
        sig = -code
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else f"signal {sig}"
        if sig == signal.SIGKILL:
            return "was killed (SIGKILL; the kernel's out-of-memory killer sends this too)"
        if sig == signal.SIGABRT:
            return "aborted (SIGABRT)"
        if sig in (signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE):
            return f"crashed ({name})"
        return f"was killed by {name}"
    return f"exited with code {code}"
