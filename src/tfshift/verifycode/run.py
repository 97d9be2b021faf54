"""`verify_code(original, migrated)`: run both programs, B from A's initial weights, and compare.

    from tfshift.verifycode import verify_code
    report = verify_code("tf1/train.py", "tf2/train.py", tf_a="1.15", tf_b="2.21")
    report.same, report.summary(), report.as_dict(), report.write_html("report.html")

A runs first (B needs its initial values); B's TensorFlow starts at the same time and waits,
so B costs only its program's own run after A.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from tfshift import arguments, supervisor
from tfshift.envs import manager, table
from tfshift.errors import TfshiftError
from tfshift.models.verify.compare import OutputResult, first_outside, pick_tolerance
from tfshift.output import progress
from tfshift.verifycode import printed as printed_mod
from tfshift.verifycode.probe.matching import plain
from tfshift.verifycode.report import CodeReport, CodeSide, Difference, Match
from tfshift.verifycode.sides import Outcome, Program, SideProcess

PathLike = str | os.PathLike[str]
SHOWN_RANDOM_OPS = 4
SMALL_SCALED_ERROR = 1e-4  # max |a - b| / max |a| below this may be rounding grown over training


class VerifyCodeError(TfshiftError):
    """A program could not be run or compared (exit 2). `report` holds what was found, if
    anything (an unmatched variable: the match table)."""

    def __init__(self, message: str, report: CodeReport | None = None) -> None:
        super().__init__(message)
        self.report = report


def verify_code(original: PathLike, migrated: PathLike, *, tf_a: str | None = None,
                tf_b: str | None = None, keras2_a: bool = False, keras2_b: bool = False,
                with_a: Sequence[str] = (), with_b: Sequence[str] = (),
                rtol: float | None = None, atol: float | None = None, args: Sequence[str] = (),
                seed: int = 0, timeout: float | None = None,
                ignore_variables: Sequence[str] = ()) -> CodeReport:
    """Run ORIGINAL under tf_a and MIGRATED under tf_b (same args), B's variables starting from
    A's initial values, and compare the numbers both print and their final trainable variables.

    tf_a/tf_b: TensorFlow versions ("1.15", "2.21.0"; default the newest). keras2_a/keras2_b:
    Keras 2 (tf_keras) on 2.16+. with_a/with_b: extra requirements of that side's environment
    ("tf-slim"). rtol/atol: verify's tolerances (default 1e-5/1e-6). args: the programs'
    command-line arguments. seed: what Python's random, NumPy and TensorFlow are seeded with on
    both sides. timeout: seconds per program. ignore_variables: fnmatch patterns of variables
    that are not part of the model (left out of the matching and the comparison).
    Raises VerifyCodeError (exit 2) when a program cannot run, prints no numbers, or a variable
    has no counterpart. See docs/verify-code.md.
    """
    if isinstance(args, str):
        raise VerifyCodeError(f"args={args!r}: give the programs' arguments as a list, e.g. "
                              "args=['--steps', '5']")
    arguments.check_all(rtol=(arguments.TOLERANCE, rtol), atol=(arguments.TOLERANCE, atol),
                        seed=(arguments.GLOBAL_SEED, seed), timeout=(arguments.TIMEOUT, timeout))
    started = time.monotonic()
    seconds: dict[str, float] = {}
    program_a = _program(original, "ORIGINAL")
    program_b = _program(migrated, "MIGRATED")
    notes = []
    newest = table.minors()[-1]
    for version, flag, label in ((tf_a, "--tf-a", "A"), (tf_b, "--tf-b", "B")):
        if version:
            table.parse(version)  # an unknown version fails here, before anything starts
        else:
            notes.append(f"{label} ran under the newest TensorFlow ({newest}): pass {flag} to choose")
    with ThreadPoolExecutor(2, thread_name_prefix="tfshift-verify-code") as pool:
        futures = [pool.submit(manager.ensure, tf_a or newest, keras2=keras2_a, extras=list(with_a)),
                   pool.submit(manager.ensure, tf_b or newest, keras2=keras2_b, extras=list(with_b))]
        env_a, env_b = (f.result() for f in futures)
    seconds["environments"] = time.monotonic() - started
    hint_a = "" if tf_a else " (pass --tf-a with the TensorFlow it was written for, e.g. --tf-a 1.15)"

    with supervisor.temporary(Path(tempfile.mkdtemp(prefix="tfshift-verify-code-"))) as scratch:
        progress(f"running A under TF {env_a.tf_version}; starting TF {env_b.tf_version} for B")
        side_a = SideProcess("A", program_a, env_a, scratch, args=list(args), seed=seed,
                             ignore=list(ignore_variables))
        side_b = None
        try:
            side_b = SideProcess("B", program_b, env_b, scratch, args=list(args), seed=seed,
                                 ignore=list(ignore_variables), a_record=side_a.out)
            outcome_a = side_a.wait(timeout)
            _check("A", original, env_a, outcome_a, timeout, hint_a)
            printed_a = _printed("A", original, env_a, outcome_a)
            progress(f"running B under TF {env_b.tf_version}, from A's initial weights")
            side_b.go()
            outcome_b = side_b.wait(timeout)
            _check("B", migrated, env_b, outcome_b, timeout, "")
            printed_b = _printed("B", migrated, env_b, outcome_b)
        finally:
            for side in (side_a, side_b):
                if side is not None:
                    side.kill()
    seconds["a"], seconds["b"] = outcome_a.seconds, outcome_b.seconds

    report = _compare(
        _side("A", original, env_a, outcome_a, printed_a), _side("B", migrated, env_b, outcome_b, printed_b),
        outcome_a, outcome_b, rtol, atol, list(args), seed)
    report.notes[:0] = notes
    seconds["total"] = time.monotonic() - started
    report.seconds = seconds
    if report.unmatched_a or report.unmatched_b:
        raise VerifyCodeError(
            "variables without a counterpart: A: " + (", ".join(report.unmatched_a) or "none")
            + "; B: " + (", ".join(report.unmatched_b) or "none")
            + " (pass --ignore-variable NAME for one that is not part of the model)", report)
    return report


def _program(path: PathLike, what: str) -> Program:
    given = Path(path).expanduser()
    if given.is_file():
        resolved = given.resolve()
        return Program(resolved, resolved.parent)
    if given.is_dir():
        if not (given / "__main__.py").is_file():
            raise VerifyCodeError(f"{what} {path}: a folder without __main__.py; name the script to run")
        resolved = given.resolve()
        return Program(resolved, resolved)
    raise VerifyCodeError(f"{what} {path}: no such file; name the program's script (e.g. train.py)")


def _check(label: str, path: PathLike, env: manager.Env, outcome: Outcome, timeout: float | None,
           hint: str) -> None:
    """A side that did not run to its end is an error, in one line."""
    head = f"{label} ({path}) under TF {env.tf_version}"
    record = outcome.record
    if outcome.timed_out:
        raise VerifyCodeError(f"{head} did not finish within {timeout:g} s (--timeout)")
    last = next((line.strip() for line in reversed(outcome.stderr_tail) if line.strip()), "")
    if record is None:
        tail = f" (last stderr line: {last[:200]})" if last else ""
        raise VerifyCodeError(f"{head} {outcome.describe_exit()} before the probe could record{tail}")
    error = record.get("error")
    if record.get("status") == "error" and error:
        where = f" at {error['where']}" if error.get("where") else ""
        message = f": {error['message']}" if error.get("message") else ""
        raise VerifyCodeError(f"{head} failed{where}: {error['type']}{message}{hint}")
    if record.get("exit_code"):
        tail = f" (last stderr line: {last[:200]})" if last else ""
        raise VerifyCodeError(f"{head} exited with code {record['exit_code']}{tail}")


def _printed(label: str, path: PathLike, env: manager.Env, outcome: Outcome) -> printed_mod.Printed:
    found = printed_mod.parse(outcome.stdout)
    if not found.numbers:
        what = "nothing" if not outcome.stdout.strip() else "no numbers"
        raise VerifyCodeError(
            f"{label} ({path}) printed {what} under TF {env.tf_version}: verify-code compares the "
            "numbers both programs print; make it print its losses or metrics")
    return found


def _side(label: str, path: PathLike, env: manager.Env, outcome: Outcome,
          printed: printed_mod.Printed) -> CodeSide:
    record = outcome.record or {}
    variables = record.get("variables", [])
    beyond = [{k: r[k] for k in ("op", "api", "site", "count")}
              for r in record.get("random", []) if not r["initializer"]]
    return CodeSide(label, str(path), record.get("tf", env.tf_version),
                    record.get("python", env.python_version),
                    "Keras 3" if env.keras == "keras3" else "Keras 2", outcome.exit_code,
                    outcome.seconds, printed, beyond, len(variables),
                    sum(1 for v in variables if v["trainable"]))


def _compare(side_a: CodeSide, side_b: CodeSide, outcome_a: Outcome, outcome_b: Outcome,
             rtol: float | None, atol: float | None, args: list[str], seed: int) -> CodeReport:
    printed_result, first_printed, problem = _compare_printed(side_a.printed, side_b.printed, rtol, atol)
    vars_a = (outcome_a.record or {}).get("variables", [])
    vars_b = (outcome_b.record or {}).get("variables", [])
    matches, results, first_variable = [], [], None
    for b in vars_b:
        a = vars_a[b["match"]] if b["match"] is not None else None
        matches.append(Match(plain(a["name"]) if a else None, plain(b["name"]), b["shape"], b["dtype"],
                             b["trainable"], b["how"] or "-", b["transferred"], b["note"]))
        if a is None or not (a["trainable"] or b["trainable"]):
            continue
        final_a = outcome_a.values.get(f"final_{a['index']}")
        final_b = outcome_b.values.get(f"final_{b['index']}")
        if final_a is None or final_b is None:
            continue
        result = OutputResult(plain(a["name"]), plain(b["name"]), b["how"],
                              *pick_tolerance(a["dtype"], rtol, atol))
        result.add(final_a, final_b)
        results.append(result)
        if not result.ok and first_variable is None and final_a.shape == final_b.shape:
            first_variable = _first_difference(result, final_a, final_b)
    unmatched_a = [f"{plain(vars_a[i]['name'])} {_dims(vars_a[i]['shape'])}"
                   for i in (outcome_b.record or {}).get("unmatched_a", [])]
    unmatched_b = [f"{plain(b['name'])} {_dims(b['shape'])} ({b['how']})" for b in vars_b
                   if b["trainable"] and b["match"] is None and b["how"] != "ignored"]
    for i in (outcome_b.record or {}).get("unmatched_a", []):
        a = vars_a[i]
        matches.append(Match(plain(a["name"]), None, a["shape"], a["dtype"], True,
                             "no counterpart in B", False))
    report = CodeReport(side_a, side_b, args, seed, printed_result, results, matches,
                        first_printed, first_variable, problem, unmatched_a, unmatched_b)
    report.notes += _random_notes(side_a, side_b, seed)
    report.notes += _rounding_note(report)
    report.notes += _missing_finals(vars_a, vars_b, outcome_a, outcome_b)
    return report


def _compare_printed(a: printed_mod.Printed, b: printed_mod.Printed, rtol: float | None,
                     atol: float | None) -> tuple[OutputResult, Difference | None, str | None]:
    result = OutputResult("printed numbers", "printed numbers", "order", *pick_tolerance(None, rtol, atol))
    if len(a.numbers) != len(b.numbers):
        line_a, line_b = printed_mod.parting(a, b)
        shown_a = f"A's line {line_a} {a.lines[line_a - 1]!r}" if line_a else "A's end"
        shown_b = f"B's line {line_b} {b.lines[line_b - 1]!r}" if line_b else "B's end"
        problem = (f"printed numbers: A printed {len(a.numbers)}, B {len(b.numbers)}; the outputs "
                   f"part at {shown_a} / {shown_b}")
        result.problems.append(f"A printed {len(a.numbers)} numbers, B {len(b.numbers)}")
        return result, None, problem
    aligned = printed_mod.Aligned.of(a, b)
    result.add(aligned.a, aligned.b_judged)
    where = first_outside(aligned.a, aligned.b_judged, result.rtol, result.atol)
    if where is None:
        return result, None, None
    na, nb = a.numbers[where[0]], b.numbers[where[0]]
    line = f"stdout line {na.line}" if na.line == nb.line else f"stdout line {na.line} of A, {nb.line} of B"
    context = f"A: {a.lines[na.line - 1].strip()!r}, B: {b.lines[nb.line - 1].strip()!r}"
    return result, Difference("printed numbers", line, na.value, nb.value, context, (na.line, nb.line)), None


def _first_difference(result: OutputResult, a: np.ndarray, b: np.ndarray) -> Difference | None:
    where = first_outside(a, b, result.rtol, result.atol)
    if where is None:
        return None
    return Difference(result.name, f"element {list(where)}" if where else "its value",
                      float(a[where]), float(b[where]))


def _random_notes(side_a: CodeSide, side_b: CodeSide, seed: int) -> list[str]:
    notes = []
    for side in (side_a, side_b):
        if not side.random_ops:
            continue
        shown = [f"{r['op']}" + (f" via {r['api']}" if r["api"] else "")
                 + (f" at {r['site']}" if r["site"] else "") + (f" (x{r['count']})" if r["count"] > 1 else "")
                 for r in side.random_ops[:SHOWN_RANDOM_OPS]]
        more = len(side.random_ops) - SHOWN_RANDOM_OPS
        notes.append(f"approximate: {side.label} ran random ops beyond variable initializers: "
                     + ", ".join(shown) + (f", and {more} more" if more > 0 else ""))
    if notes:
        notes.append(f"random ops draw alike on both sides only when they are the same ops with the "
                     f"same seeds (global seed {seed} unless the programs set one; give each op a "
                     "seed, or turn dropout and shuffling off through the programs' arguments)")
    return notes


def _rounding_note(report: CodeReport) -> list[str]:
    """Differences this small against the values' scale are float32 rounding grown over training
    steps, most likely (a forgotten epsilon moves weights by ~1e-3 of their scale in a few steps)."""
    failing = [o for o in report.outputs if not o.ok]
    if not failing or any(o.problems or o.nan_disagree or o.inf_disagree for o in failing):
        return []
    scaled = [_scaled_error(o) for o in failing]
    if any(s is None or s > SMALL_SCALED_ERROR for s in scaled):
        return []
    return [f"the differences are small (at most {max(s for s in scaled if s is not None):.2g} of the "
            "values' scale): float32 rounding differs between TensorFlow versions and grows with "
            "every training step; compare fewer steps, or pass looser tolerances (--rtol 1e-3 "
            "--atol 1e-5) if that is what you expect"]


def _scaled_error(result: OutputResult) -> float | None:
    if result.max_abs is None or not result.values_a:
        return None
    scale = float(np.max(np.abs(np.concatenate(result.values_a))))
    return result.max_abs / scale if scale > 0 else None


def _missing_finals(vars_a: list[dict[str, Any]], vars_b: list[dict[str, Any]], outcome_a: Outcome,
                    outcome_b: Outcome) -> list[str]:
    missing = []
    for label, variables, outcome in (("A", vars_a, outcome_a), ("B", vars_b, outcome_b)):
        for v in variables:
            if v["trainable"] and f"final_{v['index']}" not in outcome.values and \
                    (label == "A" or v["match"] is not None):
                missing.append(f"{label}'s {plain(v['name'])}")
    if not missing:
        return []
    return [f"no final value (never initialised in a session that was still open or closed "
            f"normally): {', '.join(missing[:6])}" + (", ..." if len(missing) > 6 else "")]


def _dims(shape: list[int | None] | None) -> str:
    return "[?]" if shape is None else "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"
