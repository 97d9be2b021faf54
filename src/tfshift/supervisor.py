"""One supervisor for the processes tfshift starts and the temporary files it makes.

Three layers, so that nothing outlives tfshift however it ends:

- Signals. The command line turns SIGTERM and SIGHUP into an exception (`Terminated`, a
  KeyboardInterrupt like Ctrl-C's), so a command stops where it is, finishes or rolls back the
  file in hand (every write is atomic), runs its clean-ups and exits 128 + the signal: 130, 143.
- Children. Each child starts in a process group of its own (a terminal's Ctrl-C reaches only
  tfshift, which decides), armed with the parent-death signal (PR_SET_PDEATHSIG: the kernel kills
  it when tfshift dies), from one spawner thread that lives as long as the process (the signal
  fires when the *thread* that forked the child ends). `stop()` kills the whole group, so what a
  child started (an installer's helpers, a diagnosed Python's subprocesses) goes too.
- The reaper (reaper.py). A kill -9 runs no clean-up, and the parent-death signal reaches only
  direct children. So the groups, temporary folders and shared-memory slabs tfshift holds are
  also registered with a small process of its own session; when tfshift's end of the pipe
  closes, it kills and removes what is still registered.

Pool workers (`pool()`) are forked Python processes: they arm the parent-death signal
themselves, ignore the signals their host handles, and are killed, not awaited, when the host
is interrupted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: the command line imports this module on every start
    import concurrent.futures
    import queue
    import subprocess

PR_SET_PDEATHSIG = 1
REAPER = Path(__file__).resolve().parent / "reaper.py"
_lock = threading.Lock()
_spawn_queue: queue.SimpleQueue | None = None
_reaper: subprocess.Popen | None = None
_children: dict[int, subprocess.Popen] = {}


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: stop like Ctrl-C, exit 128 + signum."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def exit_code(exc: KeyboardInterrupt) -> int:
    return 128 + (exc.signum if isinstance(exc, Terminated) else signal.SIGINT)


@contextlib.contextmanager
def signals() -> Iterator[None]:
    """While a command runs (main thread): SIGTERM and SIGHUP raise Terminated."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: Any) -> None:
        raise Terminated(signum)

    previous = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) in (signal.SIG_DFL, signal.default_int_handler):
            previous[sig] = signal.signal(sig, terminate)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# -- the parent-death signal


def _prctl() -> Callable[..., int] | None:
    """libc's prctl (Linux), looked up before any fork: a forked child must not load libraries."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        fn = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    fn.restype = ctypes.c_int
    fn.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return fn


_PRCTL = _prctl()


def die_with(parent: int) -> None:
    """In a child: the kernel kills it when `parent` dies; it exits now if that already happened."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


# -- children


def _spawner(jobs: queue.SimpleQueue) -> None:
    import subprocess

    while True:
        argv, kwargs, future = jobs.get()
        try:
            future.set_result(subprocess.Popen(argv, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)


def popen(argv: list[str], **kwargs: Any) -> subprocess.Popen:
    """subprocess.Popen in a process group of its own, killed with tfshift (see the module)."""
    import concurrent.futures
    import queue

    global _spawn_queue
    parent = os.getpid()
    kwargs["start_new_session"] = True
    kwargs["preexec_fn"] = lambda: die_with(parent)
    with _lock:
        if _spawn_queue is None:
            _spawn_queue = queue.SimpleQueue()
            threading.Thread(target=_spawner, args=(_spawn_queue,), name="tfshift-spawner",
                             daemon=True).start()
    future: concurrent.futures.Future = concurrent.futures.Future()
    _spawn_queue.put((argv, kwargs, future))
    proc = future.result()
    _children[proc.pid] = proc
    tell("+group", proc.pid)
    return proc


def stop(proc: subprocess.Popen, grace: float = 0.0) -> int:
    """End a child started by popen() and everything in its group; its exit code.

    grace: seconds it may take to exit on its own first (it was told to, say by closing its
    input). The group is killed in any case: a grandchild must not outlive its parent.
    """
    import subprocess

    if grace > 0:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(grace)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    code = proc.wait()
    if _children.pop(proc.pid, None) is not None:
        tell("-group", proc.pid)
    return code


def run(argv: list[str], *, timeout: float | None = None, input: str | bytes | None = None,
        **kwargs: Any) -> subprocess.CompletedProcess:
    """subprocess.run through popen(): on a timeout or an interrupt the whole group goes."""
    import subprocess

    if input is None:
        kwargs.setdefault("stdin", subprocess.DEVNULL)
    else:
        kwargs["stdin"] = subprocess.PIPE
    if kwargs.pop("capture_output", False):
        kwargs["stdout"] = kwargs["stderr"] = subprocess.PIPE
    proc = popen(argv, **kwargs)
    try:
        out, err = proc.communicate(input, timeout=timeout)
    finally:
        stop(proc)
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


# -- temporary files


@contextlib.contextmanager
def temporary(path: Path) -> Iterator[Path]:
    """A temporary file or folder the caller made: removed when the block ends, or by the
    reaper should tfshift die inside it."""
    import shutil

    tell("+path", str(path))
    try:
        yield path
    finally:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        tell("-path", str(path))


def tell(op: str, *item: Any) -> None:
    """Register (+) or unregister (-) something with the reaper, started on first use."""
    import json
    import subprocess

    global _reaper
    line = (json.dumps([op, *item]) + "\n").encode()
    with _lock:
        if _reaper is None or _reaper.poll() is not None:
            if op.startswith("-"):
                return
            try:
                _reaper = subprocess.Popen([sys.executable, "-I", "-S", str(REAPER)],
                                           stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, start_new_session=True,
                                           close_fds=True)
            except OSError:
                return  # no reaper: the other two layers still hold
        try:
            _reaper.stdin.write(line)
            _reaper.stdin.flush()
        except (OSError, ValueError):
            pass


# -- process pools


def _pool_worker_start(parent: int, initializer: Callable[..., None] | None, args: tuple) -> None:
    die_with(parent)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)  # the host handles them, and stops us
    if initializer is not None:
        initializer(*args)


@contextlib.contextmanager
def pool(jobs: int, context: Any, initializer: Callable[..., None] | None = None,
         initargs: tuple = ()) -> Iterator[concurrent.futures.ProcessPoolExecutor]:
    """A ProcessPoolExecutor whose workers die with the host, and are killed (not awaited)
    when the block ends by an exception such as Ctrl-C."""
    import concurrent.futures

    executor = concurrent.futures.ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_pool_worker_start,
        initargs=(os.getpid(), initializer, initargs))
    try:
        yield executor
    except BaseException:
        workers = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.kill()
        for worker in workers:
            with contextlib.suppress(Exception):
                worker.join(5)
        # Let the pool's manager thread see its dead workers and end now: left running into
        # interpreter exit, it races the executor's atexit hook on a closed wake-up pipe and
        # prints "OSError: [Errno 9] Bad file descriptor" after our last line.
        manager = getattr(executor, "_executor_manager_thread", None)
        if manager is not None:
            with contextlib.suppress(Exception):
                manager.join(5)
        raise
    else:
        executor.shutdown(wait=True)
