"""Demo step: convert the old model for TF 2.21 and verify it against the TF that wrote it.

With TF 1.15: its checkpoint becomes a TF2 SavedModel. Without: the TF 2.15 Keras 2 model
becomes a Keras 3 `.keras` file of real layers.
"""

from __future__ import annotations

from pathlib import Path

from tfshift.demo.steps import DemoContext

TITLE = "Convert: the TF {old} model becomes a TF {new} model, verified against TF {old}"
OUT = "converted"


def run(ctx: DemoContext) -> bool:
    from tfshift.models.convert import convert
    from tfshift.runtime import Runtime

    base = ctx.artifacts.get("old_export")
    source, to, out = (("checkpoint", "saved_model", ctx.workdir / OUT) if ctx.tf1 else
                       ("mlp.keras", "keras", ctx.workdir / f"{OUT}.keras"))
    if base is None or not (Path(base) / source).exists():
        ctx.say(f"skipped: step 1 left no TF {ctx.old} {source} to convert")
        return False
    base = Path(base)
    ctx.say(f"$ tfshift convert {source} {out.name} --to {to} --target {ctx.new} --verify "
            "--verify-inputs inputs.npz")
    with Runtime(ctx.old) as old, Runtime(ctx.new) as new:
        result = convert(base / source, out, to=to, target=ctx.new, verify=True, force=True,
                         verify_options={"inputs": base / "inputs.npz"},
                         runtime_source=old, runtime_target=new)
    for line in result.text().splitlines():
        ctx.say(f"  {line}".rstrip())
    ctx.artifacts["converted"] = out
    if not ctx.tf1:
        ctx.skip("converting TF 1.15's checkpoint into a TF2 SavedModel")
    elif result.ok:
        ctx.say(f"\nload it anywhere with TF 2.x: tf.saved_model.load({str(out)!r})"
                ".signatures['serving_default'](x=...)")
    ctx.say(f"the converted model computes what TF {ctx.old} computed" if result.ok
            else "the conversion DISAGREES")
    return result.ok
