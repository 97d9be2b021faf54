"""Demo step: the API database answers where a symbol lives in every release, without TensorFlow."""

from __future__ import annotations

from tfshift.demo.steps import DemoContext

TITLE = "API history: tf.placeholder and tf.nn.dropout across every release since 1.13"


def run(ctx: DemoContext) -> bool:
    ok = True
    for symbol in ("tf.placeholder", "tf.nn.dropout"):
        done = ctx.tfshift("api", symbol)
        for line in done.stdout.splitlines()[:12]:
            ctx.say(f"  {line}")
        ok = ok and done.returncode == 0
    return ok
