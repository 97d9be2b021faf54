"""What verify-code found: `CodeReport`, its JSON document (verify-code/1) and its text.

The comparison table is verify's (tfshift.models.verify.report): one row for the printed numbers
and one per trainable variable of A with its counterpart in B, the same columns and verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tfshift.models.verify.compare import OutputResult
from tfshift.models.verify.report import HEADERS, output_rows, result_table, tolerance_lines
from tfshift.output import GREEN, RED, color, table
from tfshift.verifycode.printed import Printed

SCHEMA = "verify-code/1"
TABLE_HEADERS = ("compared", *HEADERS[1:])


@dataclass
class CodeSide:
    """One program and the TensorFlow that ran it."""

    label: str  # "A" or "B"
    program: str
    tf_version: str
    python: str
    keras: str
    exit_code: int | None
    seconds: float
    printed: Printed
    random_ops: list[dict[str, Any]]  # beyond initializers: {op, api, site, count}
    variables: int  # created
    trainable: int

    def title(self) -> str:
        return f"{self.program} under TF {self.tf_version} (Python {self.python}, {self.keras})"

    def to_dict(self) -> dict[str, Any]:
        return {"program": self.program, "tf": self.tf_version, "python": self.python,
                "keras": self.keras, "exit_code": self.exit_code, "seconds": round(self.seconds, 3),
                "printed_lines": len(self.printed.lines), "printed_numbers": len(self.printed.numbers),
                "variables": self.variables, "trainable_variables": self.trainable,
                "random_ops": self.random_ops}


@dataclass
class Match:
    """A variable of B and the variable of A whose initial value it started from."""

    a: str | None
    b: str | None
    shape: list[int | None] | None
    dtype: str
    trainable: bool
    how: str  # "name", "scope", "order", or why there is no partner
    transferred: bool
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "shape": self.shape, "dtype": self.dtype,
                "trainable": self.trainable, "matched_by": self.how if self.a and self.b else None,
                "transferred": self.transferred, "note": self.note}


@dataclass
class Difference:
    """The first value that differs: where, and the two values."""

    what: str  # "printed numbers" or the variable's row name
    where: str  # "stdout line 3" or "element [2, 5]"
    a: float | None
    b: float | None
    context: str = ""  # the printed lines
    lines: tuple[int, int] | None = None  # printed numbers: the stdout lines of A and B

    def text(self) -> str:
        values = f"A {self.a:.7g}, B {self.b:.7g}" if self.a is not None and self.b is not None else ""
        tail = f" ({self.context})" if self.context else ""
        return f"{self.what}: first at {self.where}: {values}{tail}"

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "where": self.where, "a": self.a, "b": self.b,
                "context": self.context}


@dataclass
class CodeReport:
    """The outcome of `verify_code(original, migrated)`: `same` when everything agrees."""

    a: CodeSide
    b: CodeSide
    args: list[str]
    seed: int
    printed: OutputResult
    variables: list[OutputResult]
    matches: list[Match]
    first_printed: Difference | None = None
    first_variable: Difference | None = None
    printed_problem: str | None = None  # counts differ: where the outputs part
    unmatched_a: list[str] = field(default_factory=list)
    unmatched_b: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def outputs(self) -> list[OutputResult]:
        """Every compared row: the printed numbers first, then the variables."""
        return [self.printed, *self.variables]

    @property
    def same(self) -> bool:
        return all(o.ok for o in self.outputs) and not self.unmatched_a and not self.unmatched_b

    ok = same

    @property
    def approximate(self) -> bool:
        """Either program ran random ops beyond variable initializers."""
        return bool(self.a.random_ops or self.b.random_ops)

    @property
    def failures(self) -> list[str]:
        """One line per difference, the first printed value and the first variable first."""
        found = []
        if not self.printed.ok:
            found.append(self.printed_problem or (self.first_printed.text() if self.first_printed
                                                  else f"printed numbers: {self.printed.verdict}"))
        bad = [o for o in self.variables if not o.ok]
        for number, result in enumerate(bad):
            if number == 0 and self.first_variable is not None:
                found.append(f"{self.first_variable.text()}; {result.verdict}")
            else:
                found.append(f"{result.name}: {result.verdict}")
        found += [f"{name}: A's variable has no counterpart in B" for name in self.unmatched_a]
        found += [f"{name}: B's variable has no counterpart in A" for name in self.unmatched_b]
        return found

    def summary(self) -> str:
        if self.same:
            values = sum(o.elements for o in self.variables)
            what = [f"{self.printed.elements} printed number{'s' if self.printed.elements != 1 else ''}"]
            if self.variables:
                what.append(f"{len(self.variables)} trainable variable{'s' if len(self.variables) != 1 else ''} "
                            f"({values} value{'s' if values != 1 else ''})")
            return f"SAME: {' and '.join(what)} agree"
        return "DIFFERENT: " + "; ".join(self.failures[:2]) + \
            (f"; and {len(self.failures) - 2} more" if len(self.failures) > 2 else "")

    # -- JSON

    def to_dict(self) -> dict[str, Any]:
        return {
            "same": self.same,
            "ok": self.same,
            "summary": self.summary(),
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "args": self.args,
            "seed": self.seed,
            "weights": [m.to_dict() for m in self.matches],
            "unmatched": {"a": self.unmatched_a, "b": self.unmatched_b},
            "printed": {**self.printed.to_dict(), "problem": self.printed_problem},
            "variables": [o.to_dict() for o in self.variables],
            "first_difference": {
                "printed": self.first_printed.to_dict() if self.first_printed else None,
                "variable": self.first_variable.to_dict() if self.first_variable else None,
            },
            "failures": self.failures,
            "approximate": self.approximate,
            "notes": self.notes,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }

    as_dict = to_dict

    def write_html(self, path: Any) -> None:
        """The self-contained HTML report: the match table, the comparison, plots, the output."""
        from tfshift.verifycode.html import write

        write(self, path)

    # -- text

    def match_rows(self) -> list[list[str]]:
        rows = []
        for m in self.matches:
            if not (m.trainable or m.transferred):
                continue
            shape = "?" if m.shape is None else "[" + ", ".join(map(str, m.shape)) + "]"
            how = m.how if m.a and m.b else "-"
            if m.note:
                how += f" ({m.note})"
            rows.append([m.a or "-", m.b or "-", shape, how])
        return rows

    MATCH_HEADERS = ("A variable", "B variable (starts from A's initial value)", "shape", "matched by")

    def text(self) -> str:
        lines = [f"A: {self.a.title()}", f"B: {self.b.title()}"]
        if self.args:
            lines.append("args: " + " ".join(self.args))
        lines += [f"note: {n}" for n in self.notes]
        rows = self.match_rows()
        if rows:
            lines += ["", table(self.MATCH_HEADERS, rows)]
        lines += ["", result_table(TABLE_HEADERS, output_rows(self.outputs))]
        tolerance = tolerance_lines(self.outputs)
        if tolerance:
            tolerance[0] += "; printed numbers beyond their printed rounding"
            lines += tolerance
        lines.append("")
        if self.same:
            lines.append(color(self.summary(), GREEN))
        else:
            lines.append(color("DIFFERENT:", RED))
            lines += [f"  {f}" for f in self.failures]
        return "\n".join(lines)
