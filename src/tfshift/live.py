"""Live status lines on a terminal: phases with their elapsed time, and a board of rows
(one per TensorFlow version in `matrix`), redrawn in place as tox and uv do.

Everything here is a no-op unless stderr is a terminal and --quiet was not given, so piped
output and logs never get control codes or extra lines.
"""

from __future__ import annotations

import contextlib
import itertools
import sys
import threading
import time
from collections.abc import Callable, Iterator

from tfshift import output

_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Board:
    """Rows redrawn in place under the lines already printed; `note` prints above them."""

    def __init__(self, stream=None, interval: float = 0.2) -> None:
        self.stream = stream or sys.stderr
        self.enabled = output.progress_enabled()
        self.interval = interval
        self._rows: dict[object, Callable[[], str] | str] = {}
        self._drawn = 0
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._spin = itertools.cycle(_SPINNER)

    # -- rows

    def set(self, key: object, text: Callable[[], str] | str) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._rows[key] = text
            self._start()
            self._draw()

    def remove(self, key: object) -> None:
        if not self.enabled:
            return
        with self._lock:
            self._rows.pop(key, None)
            self._draw()

    def note(self, line: str) -> None:
        """A permanent line above the live rows."""
        if not self.enabled:
            return
        with self._lock:
            self._clear()
            self.stream.write(output.fit_line(line, output.width(self.stream)) + "\n")
            self._drawn = 0
            self._draw()

    def close(self) -> None:
        """Leave the rows as they last were, as permanent lines."""
        if not self.enabled:
            return
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=1)
        with self._lock:
            self._draw()
            self._drawn = 0
            self._rows.clear()

    def spinner(self) -> str:
        return next(self._spin)

    # -- drawing

    def _start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="tfshift-live", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            with self._lock:
                if self._rows:
                    self._draw()

    def _clear(self) -> None:
        if self._drawn:
            self.stream.write(f"\r\x1b[{self._drawn}A\x1b[J" if self._drawn > 0 else "\r\x1b[J")

    def _draw(self) -> None:
        limit = output.width(self.stream) - 1
        lines = []
        for text in list(self._rows.values()):
            try:
                value = text() if callable(text) else text
            except Exception:  # a row must never take the command down
                value = "..."
            lines.append(output.fit_line(value, limit))
        self._clear()
        self.stream.write("".join(f"\x1b[2K{line}\n" for line in lines))
        self.stream.flush()
        self._drawn = len(lines)


_board: Board | None = None
_board_lock = threading.Lock()


def board() -> Board:
    """The process's status board (phases of several runtimes share it)."""
    global _board
    with _board_lock:
        if _board is None or (not _board.enabled and output.progress_enabled()):
            _board = Board()
        return _board


def elapsed(seconds: float) -> str:
    return f"{seconds:.1f}s" if seconds < 60 else f"{int(seconds // 60)}m{int(seconds % 60):02d}s"


@contextlib.contextmanager
def phase(message: str, done: str | None = None) -> Iterator[None]:
    """`message` with a spinner and its elapsed time while the block runs; then one line
    saying `done` (default: the message) and how long it took."""
    live = board()
    if not live.enabled:
        yield
        return
    started = time.monotonic()
    key = object()
    live.set(key, lambda: f"{live.spinner()} {message} {elapsed(time.monotonic() - started)}")
    try:
        yield
    except BaseException:
        live.remove(key)
        raise
    live.remove(key)
    live.note(f"tfshift: {done or message} in {elapsed(time.monotonic() - started)}")
