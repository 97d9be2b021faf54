"""Demo step 1: the same MLP, TF1 style under TF 1.15 and TF2 style under TF 2.21, via matrix."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np

from tfshift import output
from tfshift.demo.steps import DemoContext
from tfshift.envs import table
from tfshift.envs.matrix import run_matrix

TITLE = "Environments: one program under TF {old} and TF {new}, side by side (matrix)"


def _result(log: str) -> dict | None:
    for line in Path(log).read_text(errors="replace").splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    return None


def _body(log: str) -> list[str]:
    lines = Path(log).read_text(errors="replace").splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.startswith("RESULT ")), None)
    return lines[start + 1:] if start is not None else lines[-8:]


def run(ctx: DemoContext) -> bool:
    program = ctx.programs / "mlp.py"
    export = ctx.workdir / "models"
    requests = [table.parse(ctx.old), table.parse(ctx.new)]
    ctx.say(f"$ tfshift matrix --tf {ctx.old},{ctx.new} -- python {program.name} --export {export}")
    logs, outcomes = run_matrix(requests, ["python", str(program), "--export", str(export)], jobs=2)
    left, right = (_body(o.log) for o in outcomes)
    width = max((len(line) for line in left), default=0) + 4
    if 2 + width + max((len(line) for line in right), default=0) <= output.width():
        for a, b in itertools.zip_longest(left, right, fillvalue=""):
            ctx.say(f"  {a.ljust(width)}{b}".rstrip())
    else:  # side by side would not fit this terminal: one after the other
        for line in (*left, "", *right):
            ctx.say(f"  {line}".rstrip())
    ctx.say(f"  (logs: {logs})")
    if any(o.exit_code != 0 for o in outcomes):
        failed = ", ".join(f"TF {o.tf} (exit {o.exit_code}, see {o.log})" for o in outcomes if o.exit_code)
        ctx.say(f"FAILED under {failed}")
        return False
    old, new = (_result(o.log) for o in outcomes)
    diff = float(np.max(np.abs(np.array(old["probs"]) - np.array(new["probs"]))))
    ctx.say(f"max |TF {old['tf']} - TF {new['tf']}| = {diff:.2e}")
    ctx.artifacts["old_export"] = export / f"tf{old['tf']}"
    if ctx.tf1:
        ctx.artifacts["tf1_export"] = export / f"tf{old['tf']}"
    ctx.artifacts["tf2_export"] = export / f"tf{new['tf']}"
    ctx.artifacts["old_tf"], ctx.artifacts["new_tf"] = old["tf"], new["tf"]
    ok = diff <= 1e-5
    ctx.say("the two programs agree" if ok else "the two programs DISAGREE")
    return ok
