"""Numbers and option values, checked once for every command: finite, in range, of the right type.

Each kind of number is declared here once (a tolerance, a share, a seed, a count, a timeout) and
serves three callers: argparse (`type=TOLERANCE`), the `[tool.tfshift]` table of pyproject.toml
(whose values argparse never checks: `tfshift.config` calls `check`), and the library functions the commands
call (`TOLERANCE.check(rtol, "rtol")`). A bad value is one line naming it and the allowed range;
the command exits 2.
"""

from __future__ import annotations

import argparse
import math
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
GLOBAL_SEED = Number(int, 0, 2**32 - 1)  # np.random.seed (NumPy's legacy global generator) takes 32 bits
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
