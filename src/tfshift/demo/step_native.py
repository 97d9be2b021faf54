"""Demo step: `tfshift upgrade --native` turns a TF1 graph program (placeholders, Session,
tf.train optimizer) into plain TensorFlow 2; the original runs on TF 1.15, the native program on
plain TF 2.21 (Keras 3, no tf-keras, no extras), and the losses they print must agree."""

from __future__ import annotations

import shutil
from pathlib import Path

from tfshift.demo.step_code import TOLERANCE, _run
from tfshift.demo.steps import DemoContext

TITLE = "Native: upgrade --native a TF1 graph program to plain TensorFlow 2, run both, compare"
PROGRAM = "train_tf1_graph.py"


def run(ctx: DemoContext) -> bool:
    programs = ctx.workdir / "programs"
    programs.mkdir(exist_ok=True)
    shutil.copy2(ctx.programs / PROGRAM, programs / PROGRAM)
    program = Path("programs") / PROGRAM
    out = Path("native")
    done = ctx.tfshift("upgrade", str(program), "--native", "--from", "1.15", "--to", ctx.new,
                       "--out", str(out), "--force", "--no-cache", cwd=ctx.workdir)
    for line in done.stdout.splitlines():
        ctx.say(f"  {line}")
    if done.returncode not in (0, 1) or "stay on the compat upgrade" in done.stdout:
        ctx.say(f"native upgrade failed: {done.stderr.strip()}")
        return False
    text = (ctx.workdir / out / PROGRAM).read_text()
    left = [w for w in ("compat.v1", "Session", "placeholder", "feed_dict") if w in text.split('"""', 2)[-1]]
    ctx.say("  no tf.compat.v1, Session, placeholder or feed_dict left" if not left
            else f"  LEFT: {', '.join(left)}")
    after = _run(ctx, ["--tf", ctx.new], out / PROGRAM)
    if not ctx.tf1:
        ctx.skip(f"running {PROGRAM} under TF 1.15 to compare with its native migration")
        return after is not None and not left
    before = _run(ctx, ["--tf", "1.15"], program)
    if before is None or after is None:
        return False
    diff = max(abs(a - b) for a, b in zip(before["losses"], after["losses"], strict=True))
    ok = diff <= TOLERANCE * max(1.0, max(abs(v) for v in before["losses"])) and not left
    ctx.say(f"  max |loss difference| over {len(before['losses'])} training steps = {diff:.2e}: "
            + ("the native TensorFlow 2 program trains the same model" if ok else "they DISAGREE"))
    return ok
