"""The worker process: started in its environment, watched, explained when it dies, stopped.

Workers are started by tfshift's supervisor: a process group of their own, the parent-death
signal armed from a process-long spawner thread (a Runtime made in a short-lived thread keeps its
worker), and the reaper for a host killed with -9. The worker also arms the signal itself.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from tfshift import supervisor
from tfshift.envs.manager import Env
from tfshift.errors import WorkerError

WORKER_MAIN = Path(__file__).resolve().parent / "worker" / "main.py"
TAIL_LINES = 200  # stderr lines kept
# How long a worker polls for the next request after answering, before it sleeps (see
# worker/server.py Channel): longer than a caller's turn-around in a loop (~0.1 ms).
WORKER_SPIN = 0.0003
QUOTED_LINES = 12  # of which an error message quotes

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
            self.proc = supervisor.popen(
                [str(env.python), "-I", str(WORKER_MAIN), json.dumps(config)],
                pass_fds=(req_r, resp_w), stdin=subprocess.DEVNULL, stdout=log_w, stderr=log_w,
                env=env.worker_environ(),
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
        supervisor.stop(self.proc)

    def stop(self, grace: float = 5.0) -> None:
        """Close the request pipe (the worker exits on EOF); kill its group if it lingers."""
        for fd in (self.wfd, self.rfd):
            with contextlib.suppress(OSError):
                os.close(fd)
        supervisor.stop(self.proc, grace)
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
