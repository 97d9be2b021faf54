"""`tfshift demo`: every capability end to end on the bundled examples."""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from tfshift import config

# The files and folders the demo writes under its workdir (cleared before a new run).
OWN = ("models", "programs", "upgraded", "converted", "converted.keras", "converted.keras.tfshift.json",
       "verify-report.html")


def register(subparsers, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name, help=help_text,
        description="Run every capability on the bundled examples: environments and matrix, "
        "doctor, api, scan and upgrade, the Runtime, verify with its report, and convert. "
        "Uses TF 1.15 and TF 2.21 (TF 2.15 in place of 1.15 where no Python 3.7 is found). "
        "Writes only under --workdir (default: TFSHIFT_HOME/demo).",
    )
    parser.add_argument("--workdir", type=Path, help="where the demo writes models and reports")
    parser.set_defaults(handler=_demo)
    return parser


def _demo(args) -> int:
    from tfshift.demo.steps import NEW, TF2_OLD, DemoContext, available_steps, tf1_missing
    from tfshift.envs import interpreters, table
    from tfshift.errors import InterpreterNotFoundError, TfshiftError
    from tfshift.output import GREEN, RED, YELLOW, color

    workdir = (args.workdir or config.home() / "demo").resolve()
    # Interpreters first: nothing is built before the demo knows what it can run.
    try:
        interpreters.find(table.parse(NEW).release.pythons_for(None), what=f"TensorFlow {NEW}")
    except InterpreterNotFoundError as exc:
        raise TfshiftError(f"the demo needs TensorFlow {NEW} at least: {exc}") from None
    missing = tf1_missing()
    if args.workdir is None and workdir.exists():
        shutil.rmtree(workdir)  # our own scratch folder from a previous demo
    workdir.mkdir(parents=True, exist_ok=True)
    for name in OWN:  # what an earlier demo wrote in a --workdir: never anything else
        path = workdir / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
    ctx = DemoContext(workdir=workdir, tf1_missing=missing)
    if missing:
        ctx.old = TF2_OLD
        ctx.say(color(f"note: {missing}.", YELLOW))
        ctx.say(f"The demo runs the TF2 parts, with TF {TF2_OLD} (Keras 2) as the old version.")
    results = []
    for number, step in enumerate(available_steps(), start=1):
        title = step.TITLE.format(old=ctx.old, new=ctx.new)
        ctx.say(f"\n== {number}. {title} ==")
        started = time.monotonic()
        try:
            ok = step.run(ctx)
        except TfshiftError as exc:  # one step's failure must not hide the others
            ctx.say(color(f"FAILED: {exc}", RED))
            ok = False
        results.append((title, ok, time.monotonic() - started))
    ctx.say("\n== Summary ==")
    for title, ok, seconds in results:
        mark = color("ok  ", GREEN) if ok else color("FAIL", RED)
        ctx.say(f"  {mark}  {seconds:6.1f}s  {title}")
    if ctx.skipped:
        ctx.say(color(f"  skipped ({missing}):", YELLOW))
        for what in ctx.skipped:
            ctx.say(f"    - {what}")
    ctx.say(f"  files written under {workdir}")
    return 0 if all(ok for _, ok, _ in results) else 1
