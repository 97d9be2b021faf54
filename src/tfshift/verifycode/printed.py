"""The numbers a program prints, and how A's compare with B's.

What counts as a printed number: a decimal or scientific number standing on its own in stdout
(`loss 0.6931`, `loss=0.69`, `[0.1 0.2]`, `nan`, `-inf`), as the terminal shows it (only what
follows a line's last carriage return; ANSI colours and backspaces applied). What does not:
parts of words and names (`conv2d`, `layer_3`, `0x7f3a`), versions (`2.21.0`, `Python 3.13`),
dates and
clock times, and durations (`0s`, `12ms/step`, `1.5 sec`), which differ from run to run.

Both sides' numbers are compared in the order printed, whatever the words around them (a
migration may reword a message). A number printed with a fixed number of decimals on both
sides (`%.6f`) stands for any value within half a unit of its last digit, so the difference
beyond that rounding is what the tolerance judges.

Keras's progress lines (`- loss: 0.52 - accuracy: 0.81`) are read by metric name: Keras 3
prints the same metrics in another order than Keras 2 (`- accuracy: 0.81 - loss: 0.52`), so
each run of `name: value` pairs counts in the order of the names.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_BACKSPACED = re.compile("[^\x08]\x08")
_NOT_NUMBERS = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"  # dates (and a time)
    r"|\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"  # clock times, elapsed h:mm:ss
    r"|(?<![\w.])\d+(?:\.\d+){2,}(?![\w.])"  # versions: 2.21.0
    r"|\b(?:python|tensorflow|tf|keras|numpy|cuda|cudnn|version|v)\s*[:=]?\s*\d+(?:\.\d+)*"
    r"|(?<![\w.])\d+(?:\.\d+)?\s*(?:ms|us|µs|ns|sec|secs|second|seconds|min|mins|minutes|hours?)\b"
    r"(?:/\w+)?",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf(?:inity)?)(?![\w]|\.\d)",
    re.IGNORECASE,
)

# One `- name: value` pair of a Keras progress line; a run of them is compared name by name.
_KERAS_PAIR = re.compile(
    r" - ([A-Za-z_][\w./]*): ([-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf)(?![\w.])")


@dataclass(frozen=True)
class Number:
    value: float
    text: str
    line: int  # 1-based line of stdout
    decimals: int | None  # digits after the point; None for an integer (exact)
    exponent: int  # the printed exponent (`1.5e-3`: -3)

    def rounding(self, other: Number) -> float:
        """How far apart the true values of two numbers printed the same way may be, at most."""
        if self.decimals is None or self.decimals != other.decimals or self.exponent != other.exponent:
            return 0.0
        return 10.0 ** (self.exponent - self.decimals)


@dataclass
class Printed:
    """What one program printed: its stdout lines and the numbers in them."""

    lines: list[str]
    numbers: list[Number]

    def template(self, line: int) -> str:
        """A line with its numbers replaced, to see where two programs' outputs part."""
        return _NUMBER.sub("#", _NOT_NUMBERS.sub("~", self.lines[line - 1]))


def screen_lines(text: str) -> list[str]:
    """Stdout as a terminal would show it, line by line."""
    found = []
    for raw in text.split("\n"):
        line = _ANSI.sub("", raw).rstrip("\r").rsplit("\r", 1)[-1]
        while "\b" in line:
            stripped = _BACKSPACED.sub("", line, count=1)
            line = stripped if stripped != line else line.replace("\b", "")
        found.append(line)
    if found and found[-1] == "":
        found.pop()
    return found


def parse(text: str) -> Printed:
    lines = screen_lines(text)
    numbers = []
    for number, line in enumerate(lines, start=1):
        masked = _keras_pairs_by_name(_NOT_NUMBERS.sub(lambda m: " " * len(m.group()), line))
        for match in _NUMBER.finditer(masked):
            numbers.append(_number(match.group(), number))
    return Printed(lines, numbers)


def _keras_pairs_by_name(line: str) -> str:
    """Each run of two or more Keras `- name: value` pairs, sorted by name."""
    pairs = list(_KERAS_PAIR.finditer(line))
    runs: list[list[re.Match[str]]] = []
    for pair in pairs:
        if runs and runs[-1][-1].end() == pair.start():
            runs[-1].append(pair)
        else:
            runs.append([pair])
    for run in reversed(runs):
        if len(run) > 1:
            ordered = "".join(p.group() for p in sorted(run, key=lambda p: p.group(1)))
            line = line[:run[0].start()] + ordered + line[run[-1].end():]
    return line


def _number(token: str, line: int) -> Number:
    mantissa, _, exponent = token.lower().partition("e")
    if mantissa.lstrip("+-") in ("nan", "inf", "infinity"):
        return Number(float(token), token, line, 0, 0)
    decimals = len(mantissa.partition(".")[2]) if "." in mantissa else None
    if decimals is None and exponent:
        decimals = 0
    return Number(float(token), token, line, decimals, int(exponent or 0))


@dataclass
class Aligned:
    """A's and B's printed numbers, side by side, with B's shifted by the printing's rounding."""

    a: np.ndarray
    b: np.ndarray  # as printed
    b_judged: np.ndarray  # B moved towards A by the rounding both printings allow

    @classmethod
    def of(cls, a: Printed, b: Printed) -> Aligned:
        values_a = np.array([n.value for n in a.numbers], np.float64)
        values_b = np.array([n.value for n in b.numbers], np.float64)
        slack = np.array([x.rounding(y) for x, y in zip(a.numbers, b.numbers, strict=True)], np.float64)
        with np.errstate(invalid="ignore"):
            gap = values_b - values_a
            moved = np.sign(gap) * np.maximum(np.abs(gap) - slack, 0.0)
            judged = np.where(np.isfinite(gap), values_a + moved, values_b)
        return cls(values_a, values_b, judged)


def parting(a: Printed, b: Printed) -> tuple[int | None, int | None]:
    """Where two outputs with different counts of numbers part: (A's line, B's line)."""
    ta = [a.template(n) for n in range(1, len(a.lines) + 1)]
    tb = [b.template(n) for n in range(1, len(b.lines) + 1)]
    for tag, i1, _, j1, _ in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if tag != "equal":
            return (i1 + 1 if i1 < len(ta) else None, j1 + 1 if j1 < len(tb) else None)
    return None, None
