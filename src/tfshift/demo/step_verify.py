"""Demo step: verify proves the old model computes the same under the old TF and TF 2.21."""

from __future__ import annotations

from pathlib import Path

from tfshift.demo.steps import DemoContext

TITLE = "Verify: the TF {old} model under TF {old} and TF {new}, output by output, with a report"
REPORT = "verify-report.html"


def run(ctx: DemoContext) -> bool:
    from tfshift.models.verify import verify
    from tfshift.runtime import Runtime

    base = ctx.artifacts.get("old_export")
    model = "mlp_frozen.pb" if ctx.tf1 else "mlp.keras"
    if base is None or not (Path(base) / model).is_file():
        ctx.say(f"skipped: step 1 left no TF {ctx.old} export to verify")
        return False
    base = Path(base)
    report_path = ctx.workdir / REPORT
    # With TF 1.15: its graph under both versions. Without: the program's model as TF 2.15
    # (Keras 2) wrote it against the one TF 2.21 (Keras 3) wrote, each under its own TF;
    # Keras 3 cannot read a Keras 2 .keras file (the convert step turns one into the other).
    a = base / model
    b = a if ctx.tf1 else Path(ctx.artifacts.get("tf2_export", base)) / model
    shown_b = model if ctx.tf1 else f"{b.parent.name}/{model}"
    ctx.say(f"$ tfshift verify {model} {shown_b} --tf-a {ctx.old} --tf-b {ctx.new} "
            f"--inputs inputs.npz --report {REPORT}")
    with Runtime(ctx.old) as old, Runtime(ctx.new) as new:
        first = verify(a, b, inputs=base / "inputs.npz", runtime_a=old, runtime_b=new)
        first.write_html(report_path)
        for line in first.text().splitlines():
            ctx.say(f"  {line}".rstrip())
        ok = first.ok
        if ctx.tf1:
            ctx.say(f"\n$ tfshift verify saved_model checkpoint --tf-a {ctx.old} --tf-b {ctx.new} "
                    "--samples 4 --seed 1")
            formats = verify(base / "saved_model", base / "checkpoint", samples=4, seed=1,
                             runtime_a=old, runtime_b=new)
            ctx.say(f"  {formats.summary()}")
            ok = ok and formats.ok
        else:
            ctx.skip("verifying TF 1.15's SavedModel against its checkpoint across versions")
    ctx.say(f"\nreport: {report_path}")
    ctx.say(f"TF {ctx.new} computes what TF {ctx.old} computed" if ok else "the versions DISAGREE")
    return ok
