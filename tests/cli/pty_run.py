"""Run the real `tfshift` command line in a pseudo-terminal: what a user at a terminal sees.

Colour, width and progress depend on the terminal, so these tests cannot use pipes.
"""

from __future__ import annotations

import os
import pty
import re
import select
import sys
import time
from dataclasses import dataclass

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass
class Seen:
    output: str  # everything written to the terminal (stdout and stderr), control codes kept
    exit_code: int

    @property
    def plain(self) -> str:
        """The output without control codes and carriage returns."""
        return ANSI.sub("", self.output).replace("\r", "")


def run(*args: str, env: dict[str, str] | None = None, columns: int = 100, cwd: str | None = None,
        timeout: float = 600) -> Seen:
    """`python -m tfshift ARGS` in a terminal."""
    return run_python("-m", "tfshift", *args, env=env, columns=columns, cwd=cwd, timeout=timeout)


def run_python(*args: str, env: dict[str, str] | None = None, columns: int = 100,
               cwd: str | None = None, timeout: float = 600) -> Seen:
    """`python ARGS` (this interpreter) in a terminal."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdin, stdout and stderr are the terminal
        try:
            if cwd:
                os.chdir(cwd)
            environ = {**os.environ, **(env or {}), "COLUMNS": str(columns), "TERM": "xterm"}
            environ.pop("NO_COLOR", None) if "NO_COLOR" not in (env or {}) else None
            os.execve(sys.executable, [sys.executable, *args], environ)
        finally:
            os._exit(127)
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return Seen(b"".join(chunks).decode("utf-8", "replace"), os.waitstatus_to_exitcode(status))
