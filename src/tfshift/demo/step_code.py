"""Demo step: scan and upgrade a TF1 program and a Keras 2 program, then run each before and after.

The original runs on the TensorFlow it was written for, the upgraded program on TF 2.21 in the
environment the upgrade report asks for; the losses they print must agree.
"""

from __future__ import annotations

import json
from pathlib import Path

from tfshift.demo.steps import TF2_OLD, DemoContext

TITLE = "Code: scan and upgrade a TF1 and a Keras 2 program, run before and after, compare"
TOLERANCE = 1e-5


def run(ctx: DemoContext) -> bool:
    import shutil

    programs = ctx.workdir / "programs"  # a copy, so the commands read as a user would type them
    programs.mkdir(exist_ok=True)
    for name in ("train_tf1.py", "train_keras2.py"):
        shutil.copy2(ctx.programs / name, programs / name)
    out = ctx.workdir / "upgraded"
    tf1 = _program(ctx, "train_tf1.py", "1.15", out / "tf1", run_original=ctx.tf1)
    ctx.say("")
    keras = _program(ctx, "train_keras2.py", TF2_OLD, out / "keras2", run_original=True)
    return tf1 and keras


def _program(ctx: DemoContext, name: str, written_for: str, out, run_original: bool) -> bool:
    program = Path("programs") / name
    out = out.relative_to(ctx.workdir)
    target = ctx.new
    scan = ctx.tfshift("scan", str(program), "--from", written_for, "--to", target, "--statistics",
                       cwd=ctx.workdir)
    for line in scan.stdout.splitlines():
        ctx.say(f"  {line}")
    plan = ctx.tfshift("upgrade", str(program), "--from", written_for, "--to", target, "--diff",
                       "--format", "json", show=False, cwd=ctx.workdir)
    needs = json.loads(plan.stdout)["requirements"]
    done = ctx.tfshift("upgrade", str(program), "--from", written_for, "--to", target,
                       "--out", str(out), "--force", cwd=ctx.workdir)
    for line in done.stdout.splitlines():
        ctx.say(f"  {line}")
    if done.returncode not in (0, 1):
        ctx.say(f"upgrade failed: {done.stderr.strip()}")
        return False
    options = (["--keras2"] if "keras2" in needs["environments"] else [])
    for package in needs["packages"]:
        options += ["--with", package]
    after = _run(ctx, ["--tf", target, *options], out / name)
    if not run_original:
        ctx.skip(f"running {name} under TF {written_for} to compare with its upgrade")
        return after is not None
    before = _run(ctx, ["--tf", written_for], program)
    if before is None or after is None:
        return False
    diff = max(abs(a - b) for a, b in zip(before["losses"], after["losses"], strict=True))
    ok = diff <= TOLERANCE * max(1.0, max(abs(v) for v in before["losses"]))
    ctx.say(f"  max |loss difference| over {len(before['losses'])} training steps = {diff:.2e}: "
            + ("the upgraded program trains the same model" if ok else "they DISAGREE"))
    return ok


def _run(ctx: DemoContext, options: list[str], program) -> dict | None:
    done = ctx.tfshift("run", *options, "--", "python", str(program), cwd=ctx.workdir)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    shown = [line for line in done.stdout.splitlines() if line and not line.startswith("RESULT ")]
    for line in shown[-2:]:
        ctx.say(f"  {line}")
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        ctx.say(f"  FAILED (exit {done.returncode}): {tail}")
        return None
    return json.loads(lines[-1][len("RESULT "):])
