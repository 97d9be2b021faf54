"""One side of verify-code: the program copied to a scratch folder, run there by the probe in its
TensorFlow environment, its stdout kept whole, its stderr's last lines, and the probe's record.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tfshift import supervisor
from tfshift.envs.manager import Env
from tfshift.runtime.process import describe_exit

PROBE_MAIN = Path(__file__).resolve().parent / "probe" / "main.py"
NOT_COPIED = shutil.ignore_patterns(".git", ".hg", ".svn", "__pycache__", ".venv", "venv", ".tox",
                                    ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache",
                                    ".ipynb_checkpoints", "node_modules")
TAIL_LINES = 200


@dataclass
class Program:
    """A program as the user named it: a script, or a folder with a __main__.py."""

    path: Path  # as given, resolved
    folder: Path  # copied whole; the working directory and sys.path[0]

    @property
    def entry(self) -> str:
        """The path inside the folder that runpy runs."""
        return "." if self.path == self.folder else self.path.name


@dataclass
class Outcome:
    """How a side's run ended."""

    exit_code: int | None
    stdout: str
    stderr_tail: list[str]
    record: dict[str, Any] | None
    values: dict[str, np.ndarray] = field(default_factory=dict)
    seconds: float = 0.0
    timed_out: bool = False

    def describe_exit(self) -> str:
        return describe_exit(self.exit_code)


class SideProcess:
    """The probe running one program; side B waits for go() before it starts the program."""

    def __init__(self, label: str, program: Program, env: Env, scratch: Path, *, args: list[str],
                 seed: int, ignore: list[str], a_record: Path | None = None) -> None:
        self.label = label
        self.program = program
        self.env = env
        self.folder = scratch / label / program.folder.name
        self.out = scratch / f"{label}-record"
        self.out.mkdir(parents=True)
        shutil.copytree(program.folder, self.folder, symlinks=True, ignore=NOT_COPIED)
        self._go_w: int | None = None
        config = {
            "side": label, "program": str(self.folder / program.entry), "folder": str(self.folder),
            "args": list(args), "seed": seed, "out": str(self.out),
            "go_fd": None, "a_record": str(a_record) if a_record else None, "ignore": list(ignore),
        }
        pass_fds: tuple[int, ...] = ()
        go_r = None
        if a_record is not None:
            go_r, self._go_w = os.pipe()
            config["go_fd"] = go_r
            pass_fds = (go_r,)
        config_path = scratch / f"{label}-probe.json"
        config_path.write_text(json.dumps(config))
        environ = env.environ()
        environ["PYTHONHASHSEED"] = str(seed)
        environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        self.started = time.monotonic()
        try:
            # its own process group, killed with tfshift (and what the program started with it)
            self.proc = supervisor.popen([str(env.python), str(PROBE_MAIN), str(config_path)],
                                         cwd=str(self.folder), stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         pass_fds=pass_fds, env=environ)
        finally:
            if go_r is not None:
                os.close(go_r)
        self._stdout = bytearray()
        self._tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
        self._readers = [threading.Thread(target=self._read_stdout, daemon=True),
                         threading.Thread(target=self._read_stderr, daemon=True)]
        for reader in self._readers:
            reader.start()

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for chunk in iter(lambda: self.proc.stdout.read1(65536), b""):  # type: ignore[union-attr]
            self._stdout += chunk

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            self._tail.append(raw.decode("utf-8", "replace").rstrip("\r\n"))

    def go(self) -> None:
        """Side B: A's record is ready; run the program."""
        if self._go_w is not None:
            os.write(self._go_w, b"go\n")
            os.close(self._go_w)
            self._go_w = None

    def wait(self, timeout: float | None) -> Outcome:
        timed_out = False
        try:
            code: int | None = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            code, timed_out = supervisor.stop(self.proc), True
        for reader in self._readers:
            reader.join(5)
        self._close_pipes()
        seconds = time.monotonic() - self.started
        record, values = self._record()
        stdout = self._stdout.decode("utf-8", "replace")
        return Outcome(code, stdout, list(self._tail), record, values, seconds, timed_out)

    def _record(self) -> tuple[dict[str, Any] | None, dict[str, np.ndarray]]:
        try:
            record = json.loads((self.out / "record.json").read_text())
        except (OSError, ValueError):
            return None, {}
        try:
            with np.load(self.out / "values.npz", allow_pickle=False) as data:
                values = {key: data[key] for key in data.files}
        except (OSError, ValueError):
            values = {}
        return record, values

    def kill(self) -> None:
        """Stop the probe and whatever the program started (its own process group)."""
        if self._go_w is not None:
            with contextlib.suppress(OSError):
                os.close(self._go_w)
            self._go_w = None
        supervisor.stop(self.proc)
        for reader in self._readers:
            reader.join(5)
        self._close_pipes()

    def _close_pipes(self) -> None:
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None and not stream.closed:
                with contextlib.suppress(OSError):
                    stream.close()
