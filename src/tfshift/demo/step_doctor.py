"""Demo step: doctor diagnoses an environment without importing TensorFlow, and previews an upgrade."""

from __future__ import annotations

from tfshift.demo.steps import DemoContext

TITLE = "Doctor: a healthy TF {new} environment, and what moving TF {old}'s to TF {new} would break"


def run(ctx: DemoContext) -> bool:
    from tfshift.envs import manager

    new, old = manager.ensure(ctx.new), manager.ensure(ctx.old)
    healthy = ctx.tfshift("doctor", "--python", str(new.path))
    _show(ctx, healthy.stdout, last=4)
    if healthy.returncode != 0:
        ctx.say(f"doctor found errors in the TF {ctx.new} environment (exit {healthy.returncode})")
        return False
    preview = ctx.tfshift("doctor", "--python", str(old.path), "--tf", ctx.new)
    _show(ctx, preview.stdout, last=None, limit=14)
    found = preview.returncode == 1 and "error" in preview.stdout
    ctx.say("doctor names what an in-place upgrade would break, and the command that fixes each"
            if found else "the preview found nothing to fix")
    return found


def _show(ctx: DemoContext, text: str, last: int | None, limit: int = 14) -> None:
    lines = [line for line in text.splitlines() if line.strip()]
    lines = lines[-last:] if last else lines[:limit] + (["..."] if len(lines) > limit else [])
    for line in lines:
        ctx.say(f"  {line}")
