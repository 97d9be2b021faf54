"""Shared output conventions: JSON documents, tables that fit the terminal, colour, progress.

Colour follows the usual switches: `NO_COLOR` (any value) turns it off, `FORCE_COLOR` (any value
but `0`) turns it on even when piped; otherwise only a terminal gets it. Width is `COLUMNS` when
set, else the terminal's, else 100 (piped output is not squeezed to 80).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
from collections.abc import Sequence
from typing import Any, TextIO

import tfshift

# Whether this process has already printed its one JSON document (an error then adds nothing).
_emitted = False
_quiet = False


def emit_json(schema: str, payload: dict[str, Any], stream: TextIO | None = None) -> None:
    """Print one JSON document on stdout, with the contract's two top-level keys first."""
    global _emitted
    document = {"tfshift_version": tfshift.__version__, "schema": schema, **payload}
    (stream or sys.stdout).write(json.dumps(document, indent=2, default=str) + "\n")
    if stream is None:
        _emitted = True


def json_emitted() -> bool:
    return _emitted


def emit_error_json(command: str | None, message: str, exit_code: int) -> None:
    """The JSON document of a command that failed: one line of `error`, and the exit code."""
    if _emitted:
        return
    schema = f"{command}/1" if command else "tfshift/1"
    emit_json(schema, {"error": message, "exit_code": exit_code})


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def set_quiet(quiet: bool) -> None:
    global _quiet
    _quiet = bool(quiet)


def quiet() -> bool:
    return _quiet


def progress_enabled() -> bool:
    """Progress goes to stderr only when it is a terminal, and not with --quiet."""
    return not _quiet and sys.stderr.isatty()


def progress(message: str) -> None:
    """A progress line on stderr, only when stderr is a terminal."""
    if progress_enabled():
        sys.stderr.write(f"tfshift: {message}\n")
        sys.stderr.flush()


def warn(message: str) -> None:
    sys.stderr.write(f"tfshift: warning: {message}\n")


def colour_enabled(stream: TextIO | None = None) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    forced = os.environ.get("FORCE_COLOR")
    if forced is not None and forced != "0":
        return True
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def color(text: str, code: str, stream: TextIO | None = None) -> str:
    """ANSI colour when the stream (default stdout) gets colour."""
    return f"\033[{code}m{text}\033[0m" if colour_enabled(stream) else text


RED, GREEN, YELLOW, BOLD, CYAN = "31", "32", "33", "1", "36"


def width(stream: TextIO | None = None) -> int:
    """Columns to fit: COLUMNS, else the terminal of the stream, else 100."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) >= 20:
        return int(env)
    stream = stream or sys.stdout
    try:
        if stream.isatty():
            return max(20, shutil.get_terminal_size((100, 24)).columns)
    except (AttributeError, ValueError, OSError):
        pass
    return 100


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int | None = None,
          styles: Sequence[Sequence[str | None]] | None = None) -> str:
    """A left-aligned text table no wider than the terminal.

    When the natural layout is too wide, the widest columns give way first: their cells wrap
    onto continuation lines inside the column, so the columns stay aligned and no line is wider
    than the terminal (a terminal's own wrapping would tear the table apart). `styles` gives
    an ANSI colour per cell (None: plain), applied only where colour is on.
    """
    limit = max_width or width()
    cells = [[str(h) for h in headers]] + [[_one_line(c) for c in row] for row in rows]
    count = len(headers)
    natural = [max(len(row[i]) for row in cells) for i in range(count)]
    prose = [any(" " in row[i] for row in cells[1:]) for i in range(count)]
    widths = _fit(natural, [len(h) for h in cells[0]], limit, prose)
    lines = []
    for n, row in enumerate(cells):
        style = styles[n - 1] if styles and n > 0 else None
        wrapped = [_wrap(row[i], widths[i]) for i in range(count)]
        for part in range(max(len(w) for w in wrapped)):
            pieces = []
            for i, w in enumerate(wrapped):
                text = w[part] if part < len(w) else ""
                padding = " " * (widths[i] - len(text))
                pieces.append((color(text, style[i]) if style and style[i] and text else text) + padding)
            lines.append("  ".join(pieces).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _one_line(value: Any) -> str:
    return " ".join(str(value).split()) if "\n" in str(value) else str(value)


def _fit(natural: list[int], floors: list[int], limit: int, prose: list[bool] | None = None) -> list[int]:
    """Column widths summing (with 2-space gaps) to at most `limit`.

    Columns of prose (cells with spaces) give way first, widest first, down to 20 characters;
    then every column down to its header (at most 12) or 8 characters; then, on a very narrow
    terminal, down to 6.
    """
    widths = list(natural)
    gaps = 2 * (len(widths) - 1)
    minimum = [min(n, 6) for n in natural]
    readable = [max(min(f, 12), min(n, 8)) for f, n in zip(floors, natural, strict=True)]
    prose = prose or [False] * len(widths)
    stages = [[max(readable[i], min(natural[i], 20)) if prose[i] else natural[i]
               for i in range(len(widths))], readable, minimum]
    for floor in stages:
        while sum(widths) + gaps > limit:
            index = max(range(len(widths)), key=lambda i: widths[i] - floor[i])
            if widths[index] <= floor[index]:
                break  # this stage cannot shrink further
            widths[index] -= 1
    return widths


def _wrap(text: str, size: int) -> list[str]:
    if len(text) <= size:
        return [text]
    return textwrap.wrap(text, size, break_long_words=True, break_on_hyphens=False) or [""]


def fit_line(text: str, limit: int | None = None) -> str:
    """One line cut to the terminal with an ellipsis (for lists of long names)."""
    limit = limit or width()
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"


def wrap_list(prefix: str, items: Sequence[str], limit: int | None = None) -> list[str]:
    """`prefix` followed by comma-separated items, wrapped to the terminal with a hanging indent."""
    limit = limit or width()
    text = ", ".join(items)
    return textwrap.wrap(text, limit, initial_indent=prefix, subsequent_indent=" " * len(prefix),
                         break_long_words=False, break_on_hyphens=False) or [prefix.rstrip()]


def colour_diff(text: str, stream: TextIO | None = None) -> str:
    """A unified diff with git's colours (headers bold, hunks cyan, - red, + green)."""
    if not text or not colour_enabled(stream):
        return text
    out = []
    for line in text.splitlines(keepends=True):
        body, end = line.rstrip("\r\n"), line[len(line.rstrip("\r\n")):]
        if line.startswith(("--- ", "+++ ")):
            out.append(color(body, BOLD, stream) + end)
        elif line.startswith("@@"):
            out.append(color(body, CYAN, stream) + end)
        elif line.startswith("-"):
            out.append(color(body, RED, stream) + end)
        elif line.startswith("+"):
            out.append(color(body, GREEN, stream) + end)
        else:
            out.append(line)
    return "".join(out)


def hanging(prefix: str, value: str, limit: int | None = None) -> list[str]:
    """`prefix` + `value` wrapped to the terminal, continuation lines indented under the value."""
    limit = limit or width()
    if len(prefix) + len(value) <= limit or limit - len(prefix) < 20:
        return [(prefix + value).rstrip()]
    return textwrap.wrap(value, limit, initial_indent=prefix, subsequent_indent=" " * len(prefix),
                         break_long_words=True, break_on_hyphens=False) or [prefix.rstrip()]
