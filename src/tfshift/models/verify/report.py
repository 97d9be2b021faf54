"""What verify found: `Report`, its JSON document (schema verify/1) and its text table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tfshift.models.verify.compare import OutputResult, _percent
from tfshift.models.verify.inputs import InputPlan

SCHEMA = "verify/1"
HEADERS = ("output", "dtype", "shape", "max abs", "max rel", "outside tol", "NaN/Inf A/B", "result")


@dataclass
class Side:
    """One of the two models and the TensorFlow that ran it."""

    label: str  # "A" or "B"
    path: str
    format: str
    description: str
    tf_version: str
    python: str
    keras: str
    reason: str  # why this TensorFlow (the user's choice, or what the file records)
    signature: str
    route: str | None = None  # how the runtime ran it: "session" or "function"
    extras: list[str] = field(default_factory=list)  # packages beside TensorFlow (keras==2.3.1)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "format": self.format, "tf": self.tf_version,
                "python": self.python, "keras": self.keras, "why_this_tf": self.reason,
                "with": self.extras, "signature": self.signature, "route": self.route}

    def title(self) -> str:
        more = f" with {', '.join(self.extras)}" if self.extras else ""
        return f"{self.path} ({self.description}) under TF {self.tf_version}{more}"


@dataclass
class Report:
    """The outcome of `verify(a, b)`: `ok` when every output agrees within tolerance."""

    a: Side
    b: Side
    inputs: InputPlan
    outputs: list[OutputResult]
    unmatched_a: list[str] = field(default_factory=list)
    unmatched_b: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    flag_names: dict[str, str] = field(default_factory=dict)  # verify's options as another command spells them
    input_problems: list[str] = field(default_factory=list)  # A and B take different inputs

    @property
    def ok(self) -> bool:
        return bool(self.outputs) and all(o.ok for o in self.outputs) and not self.unmatched_a \
            and not self.unmatched_b and not self.input_problems

    @property
    def failures(self) -> list[str]:
        """One line per problem, naming the output."""
        found = list(self.input_problems)
        found += [f"{o.name}: {o.verdict}" for o in self.outputs if not o.ok]
        match = self.flag_names.get("--map", "--map")
        found += [f"{name}: A's output has no counterpart in B (match it with {match} {name}:B_OUTPUT)"
                  for name in self.unmatched_a]
        found += [f"{name}: B's output has no counterpart in A (match it with {match} A_OUTPUT:{name})"
                  for name in self.unmatched_b]
        if not self.outputs and not found:
            found.append("no outputs to compare")
        return found

    def summary(self) -> str:
        if self.ok:
            n = len(self.outputs)
            return (f"OK: {'all ' if n > 1 else ''}{n} output{'s agree' if n != 1 else ' agrees'} over {self._elements()} "
                    f"element{'s' if self._elements() != 1 else ''} ({len(self.inputs.batches)} "
                    f"batch{'es' if len(self.inputs.batches) != 1 else ''})")
        return "MISMATCH: " + "; ".join(self.failures)

    def _elements(self) -> int:
        return sum(o.elements for o in self.outputs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "summary": self.summary(),
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "inputs": self.inputs.to_dict(),
            "outputs": [o.to_dict() for o in self.outputs],
            "unmatched": {"a": self.unmatched_a, "b": self.unmatched_b},
            "input_problems": self.input_problems,
            "notes": self.notes,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }

    def write_html(self, path: Any) -> None:
        """The self-contained HTML report (table, error histograms, A-against-B scatter plots)."""
        from tfshift.models.verify.html import write

        write(self, path)

    # -- text

    HEADERS = HEADERS

    def rows(self) -> list[list[str]]:
        """The table: one row per compared output."""
        return output_rows(self.outputs)

    def text(self) -> str:
        from tfshift.output import GREEN, RED, color

        lines = [f"A: {self.a.title()}", f"   why: {self.a.reason}",
                 f"B: {self.b.title()}", f"   why: {self.b.reason}", f"inputs: {self._inputs_line()}"]
        lines += [f"note: {n}" for n in self.notes]
        lines.append("")
        lines.append(result_table(self.HEADERS, self.rows()))
        lines += self.tolerance_lines()
        agreement = [f"{o.name} {o.argmax_agreement:.1%}"
                     + (f" (top-5 sets {o.topk_agreement:.1%})" if o.topk_agreement is not None else "")
                     for o in self.outputs if o.argmax_agreement is not None]
        if agreement:
            lines.append("top-class (argmax) agreement: " + ", ".join(agreement))
        lines.append("")
        if self.ok:
            lines.append(color(self.summary(), GREEN))
        else:
            lines.append(color("MISMATCH:", RED))
            lines += [f"  {f}" for f in self.failures]
        return "\n".join(lines)

    def tolerance_lines(self) -> list[str]:
        return tolerance_lines(self.outputs)

    def _inputs_line(self) -> str:
        plan = self.inputs
        first = plan.batches[0] if plan.batches else {}
        arrays = ", ".join(f"{k} {_dtype(v)}{list(v.shape)}" for k, v in first.items()) or "none"
        if plan.source == "file":
            extra = f"; unused arrays: {', '.join(plan.unused)}" if plan.unused else ""
            return f"{plan.path}: {arrays}{extra}"
        ranges = "".join(f"; {k} in [{lo}, {hi})" for k, (lo, hi) in plan.ranges.items())
        n = len(plan.batches)
        return f"generated (seed {plan.seed}, {n} batch{'es' if n != 1 else ''}): {arrays}{ranges}"


def output_rows(outputs: Sequence[OutputResult]) -> list[list[str]]:
    """verify's table: one row per compared output (also verify-code's, per compared value)."""
    found = []
    for o in outputs:
        dtype = o.dtype_a if o.dtype_a == o.dtype_b else f"{o.dtype_a} / {o.dtype_b}"
        shape = _dims(o.shape_a) if o.shape_a == o.shape_b else f"{_dims(o.shape_a)} / {_dims(o.shape_b)}"
        outside = f"{o.outside}/{o.elements} ({_percent(o.mismatch_share)})" if o.elements else "-"
        specials = []
        if o.nan_a or o.nan_b:
            specials.append(f"NaN {o.nan_a}/{o.nan_b}")
        if o.inf_a or o.inf_b:
            specials.append(f"Inf {o.inf_a}/{o.inf_b}")
        found.append([o.name, dtype, shape, _num(o.max_abs), _num(o.max_rel), outside,
                      ", ".join(specials) or "-", "ok" if o.ok else "FAIL"])
    return found


def result_table(headers: Sequence[str], rows: list[list[str]]) -> str:
    """The text table, its last column (ok / FAIL) green or red on a terminal."""
    from tfshift.output import GREEN, RED, table

    last = len(headers) - 1
    styles = [[None] * last + [GREEN if row[last] == "ok" else RED] for row in rows]
    return table(headers, rows, styles=styles)


def tolerance_lines(outputs: Sequence[OutputResult]) -> list[str]:
    """Which tolerances were used and where they came from (verify's and verify-code's)."""
    given = sorted({(o.rtol, o.atol) for o in outputs if not getattr(o, "atol_scale", None)})
    lines = []
    if given:
        lines.append("tolerance: " + ", ".join(f"rtol {r:g}, atol {a:g}" for r, a in given)
                     + " (A is the reference: |a - b| <= atol + rtol * |a|)")
    chosen = [o for o in outputs if getattr(o, "atol_scale", None)]
    if chosen:
        parts = [f"{o.name} rtol {o.rtol:g}, atol {o.atol:.2g} ({o.atol_scale:g} x max|A| "
                 f"{o.scale:.3g}; {o.tolerance_from})" for o in chosen]
        lines.append("tolerance (verify's choice by dtype and scale; --rtol/--atol set them): "
                     + "; ".join(parts))
        lines.append("  (A is the reference: |a - b| <= atol + rtol * |a|)")
    return lines


def _dtype(array: Any) -> str:
    from tfshift.models.verify.inputs import dtype_name

    return dtype_name(array)


def _dims(shape: tuple[int, ...] | None) -> str:
    return "?" if shape is None else "[" + ", ".join(map(str, shape)) + "]"


def _num(value: float | None) -> str:
    if value is None:
        return "-"
    return "0" if value == 0 else f"{value:.2e}"
