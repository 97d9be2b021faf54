"""Processes for the kill tests: start tfshift marked, signal it, find what it left behind.

Every process tfshift starts inherits the environment, so a variable set on the host marks its
whole tree; /proc says which processes still carry it after the host is gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

MARK = "TFSHIFT_TEST_MARK"


def start(*args: str, cwd: str | None = None, env: dict | None = None, code: str | None = None,
          stdout=subprocess.DEVNULL) -> tuple[subprocess.Popen, str]:
    """`tfshift ARGS` (or `python -c CODE`) in a session of its own, as a terminal would run it
    (so a signal to its group is a Ctrl-C at that terminal); returns it and its mark."""
    mark = uuid.uuid4().hex
    argv = [sys.executable, "-c", code] if code is not None else [sys.executable, "-m", "tfshift", *args]
    proc = subprocess.Popen(argv, cwd=cwd, env={**os.environ, **(env or {}), MARK: mark},
                            stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE,
                            start_new_session=True)
    return proc, mark


def marked(mark: str) -> list[str]:
    """Command lines of the live processes (zombies aside) that carry the mark."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f"{MARK}={mark}".encode() not in (entry / "environ").read_bytes():
                continue
            if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue
            found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:200])
        except OSError:
            continue
    return found


def survivors(mark: str, within: float = 3.0) -> list[str]:
    """What still carries the mark after `within` seconds (the reaper needs a moment)."""
    deadline = time.monotonic() + within
    left = marked(mark)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = marked(mark)
    return left


def wait_for(predicate, timeout: float = 300.0, step: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def signal_it(proc: subprocess.Popen, sig: int, group: bool) -> None:
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)


EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGKILL: -signal.SIGKILL}
