"""Numbers and option values, checked once for every command: finite, in range, of the right type.

Each kind of number is declared here once (a tolerance, a share, a seed, a count, a timeout) and
serves three callers: argparse (`type=TOLERANCE`), the `[tool.tfshift]` table of pyproject.toml
(whose values argparse never checks: `config_defaults`), and the library functions the commands
call (`TOLERANCE.check(rtol, "rtol")`). A bad value is one line naming it and the allowed range;
the command exits 2.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Mapping
from typing import Any

from tfshift.errors import TfshiftError


class ArgumentValueError(TfshiftError):
    """A number or option value out of its range, or of the wrong type."""


class Number:
    """An int or float with inclusive bounds (`above`: the low bound itself is excluded)."""

    def __init__(self, kind: type, low: float, high: float, *, above: bool = False,
                 unit: str = "") -> None:
        self.kind = kind
        self.low, self.high, self.above = low, high, above
        self.unit = unit
        self.__name__ = kind.__name__  # argparse names the type in its messages

    def __call__(self, text: str) -> int | float:
        """argparse's type: parse the text and check it (ArgumentTypeError, one line)."""
        try:
            return self.check(self.parse(text))
        except ArgumentValueError as exc:
            raise argparse.ArgumentTypeError(f"{text}: {exc}") from None

    def parse(self, text: str) -> int | float:
        try:
            number = float(text) if self.kind is float else int(text)
        except ValueError:
            if self.kind is int:  # "1e3" is a whole number too
                try:
                    value = float(text)
                except ValueError:
                    value = math.nan
                if math.isfinite(value) and value.is_integer():
                    return int(value)
            raise ArgumentValueError(f"not {'a whole number' if self.kind is int else 'a number'}") from None
        return number

    def check(self, value: Any, name: str | None = None) -> int | float:
        """The value, if it is a number of this kind in range; else ArgumentValueError."""
        where = f"{name}={value!r}: " if name else ""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ArgumentValueError(f"{where}not a number")
        if self.kind is int and not (isinstance(value, int) or float(value).is_integer()):
            raise ArgumentValueError(f"{where}not a whole number")
        if not math.isfinite(value):
            raise ArgumentValueError(f"{where}not a finite number")
        if value < self.low or (self.above and value == self.low) or value > self.high:
            raise ArgumentValueError(f"{where}{self.range()}")
        return self.kind(value)

    def range(self) -> str:
        def show(n: float) -> str:
            return f"{n:d}" if self.kind is int else f"{n:g}"

        low = f"above {show(self.low)}" if self.above else f"at least {show(self.low)}"
        return f"must be {low} and at most {show(self.high)}{self.unit}"


# Tolerances of a comparison: |a - b| <= atol + rtol * |a|. A NaN or infinite one accepts anything.
TOLERANCE = Number(float, 0.0, 1e30)
SHARE = Number(float, 0.0, 1.0)  # a share of elements, 0 to 1 (not a percentage)
SEED = Number(int, 0, 2**64 - 1)  # NumPy seeds are non-negative
SAMPLES = Number(int, 1, 100_000)  # generated batches (their memory is checked with the shapes)
BATCH = Number(int, 1, 2**31 - 1)  # an unknown dimension of a generated input
DIMENSION = Number(int, 1, 2**31 - 1)  # one dimension of a --shape
INT64 = Number(int, -(2**63), 2**63)  # an --int-range bound (high is exclusive)
TIMEOUT = Number(float, 0.0, 30 * 86400.0, above=True, unit=" seconds")  # 30 days
JOBS = Number(int, 1, 256)  # worker processes or concurrent environments


def check_all(**values: tuple[Number, Any]) -> None:
    """Check library arguments: check_all(rtol=(TOLERANCE, rtol), ...); None passes."""
    for name, (kind, value) in values.items():
        if value is not None:
            kind.check(value, name)


# -- [tool.tfshift]


def config_defaults(parser: argparse.ArgumentParser, values: Mapping[str, Any],
                    source: str) -> dict[str, Any]:
    """The `[tool.tfshift]` values for this parser's options, checked as the command line would
    check them (argparse checks only what it parses itself)."""
    actions: dict[str, list[argparse.Action]] = {}
    for action in parser._actions:
        if action.option_strings:
            actions.setdefault(action.dest, []).append(action)
    out = {}
    for dest, value in values.items():
        if dest not in actions:
            continue
        key = dest.replace("_", "-")
        try:
            out[dest] = _config_value(actions[dest], value)
        except (ArgumentValueError, argparse.ArgumentTypeError, ValueError, TypeError) as exc:
            raise ArgumentValueError(f"{source}: [tool.tfshift] {key} = {value!r}: {exc}") from None
    return out


def _config_value(actions: list[argparse.Action], value: Any) -> Any:
    # Of the options sharing a destination (--format and --json), the one that takes a value.
    action = next((a for a in actions if a.nargs != 0), actions[0])
    if action.nargs == 0:
        if not isinstance(value, bool):
            raise ArgumentValueError("write true or false")
        return value
    if isinstance(action, argparse._AppendAction):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ArgumentValueError("write a string or a list of strings")
        return [_one(action, i) for i in items]
    return _one(action, value)


def _one(action: argparse.Action, value: Any) -> Any:
    if isinstance(action.type, Number):
        value = action.type.check(value)
    elif not isinstance(value, str):
        raise ArgumentValueError(f"write it as a string ({str(value)!r} in quotes)")
    elif action.type is not None:
        value = action.type(value)
    if action.choices is not None and value not in action.choices:
        raise ArgumentValueError(f"choose one of {', '.join(map(str, action.choices))}")
    return value
