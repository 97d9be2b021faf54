"""Demo step 4: convert turns the TF 1.15 checkpoint into a TF2 SavedModel and verifies it."""

from __future__ import annotations

from pathlib import Path

from tfshift.demo.steps import DemoContext

TITLE = "Convert: the TF 1.15 checkpoint becomes a TF 2.21 SavedModel, verified against TF 1.15"
OUT = "converted"


def run(ctx: DemoContext) -> bool:
    from tfshift.models.convert import convert
    from tfshift.runtime import Runtime

    tf1 = ctx.artifacts.get("tf1_export")
    if tf1 is None or not (Path(tf1) / "checkpoint").is_dir():
        ctx.say("skipped: step 1 left no TF 1.15 checkpoint to convert")
        return False
    tf1 = Path(tf1)
    out = ctx.workdir / OUT
    ctx.say(f"$ tfshift convert checkpoint {OUT} --target {ctx.new} --verify --verify-inputs inputs.npz")
    with Runtime(ctx.old) as old, Runtime(ctx.new) as new:
        result = convert(tf1 / "checkpoint", out, target=ctx.new, verify=True, force=True,
                         verify_options={"inputs": tf1 / "inputs.npz"},
                         runtime_source=old, runtime_target=new)
    for line in result.text().splitlines():
        ctx.say(f"  {line}".rstrip())
    ctx.artifacts["converted"] = out
    ctx.say(f"\nload it anywhere with TF 2.x: tf.saved_model.load({str(out)!r})"
            ".signatures['serving_default'](x=...)")
    ctx.say("the converted model computes what TF 1.15 computed" if result.ok else "the conversion DISAGREES")
    return result.ok
