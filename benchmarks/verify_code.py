#!/usr/bin/env python3
"""Benchmark: `tfshift verify-code` against the two plain runs it replaces, side by side.

    python benchmarks/verify_code.py [--repeat 3]

The plain runs are what a user runs without verify-code: `tfshift run --tf A -- python
original.py ARGS`, then `tfshift run --tf B -- python migrated.py ARGS` (one after the other).
verify-code runs both under the probe (B from A's initial weights) and compares; its command is
timed whole, start-up included. Programs: the tests' TF 1.x classifier (tests/verify_code/
fixtures/tf1_mlp) against its hand migration to TF 2.21 / Keras 3 (tf2_mlp), for 6 and for 300
training steps (the probe's hooks sit on every Session.run and every random op; --rtol 1e-3 --atol 1e-5,
as float32 rounding grows over 300 Adam steps); its compat
upgrade on 2.21 with Keras 2 and tf-slim; and a Keras fit() program on Keras 2 (2.15) against
Keras 3 (2.21). Order alternates between repeats. Target (issue 14): at most 1.3x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tfshift.envs import manager  # noqa: E402

FIXTURES = ROOT / "tests" / "verify_code" / "fixtures"


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:6])} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds


def side_flags(version: str, keras2: bool, extras: tuple[str, ...]) -> list[str]:
    return ["--tf", version, *(["--keras2"] if keras2 else []), *(f"--with={e}" for e in extras)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    tfshift = [sys.executable, "-m", "tfshift"]
    upgraded = Path(tempfile.mkdtemp(prefix="tfshift-bench-verify-code-")) / "tf1_mlp_upgraded"
    subprocess.run([*tfshift, "upgrade", str(FIXTURES / "tf1_mlp"), "--to", "2.21", "--out", str(upgraded)],
                   capture_output=True, check=False)
    cases = [  # name, (A program, version, keras2, extras), (B ...), args, verify-code options
        ("TF1 -> native TF2, 6 steps", (FIXTURES / "tf1_mlp/train.py", "1.15", False, ()),
         (FIXTURES / "tf2_mlp/train.py", "2.21", False, ()), ["--steps", "6"], []),
        ("TF1 -> native TF2, 300 steps", (FIXTURES / "tf1_mlp/train.py", "1.15", False, ()),
         (FIXTURES / "tf2_mlp/train.py", "2.21", False, ()), ["--steps", "300"], ["--rtol", "1e-3", "--atol", "1e-5"]),
        ("TF1 -> compat upgrade (Keras 2, tf-slim)", (FIXTURES / "tf1_mlp/train.py", "1.15", False, ()),
         (upgraded / "train.py", "2.21", True, ("tf-slim",)), ["--steps", "6"], []),
        ("Keras 2 (2.15) -> Keras 3 (2.21), fit()", (FIXTURES / "keras_fit/train.py", "2.15", False, ()),
         (FIXTURES / "keras_fit/train.py", "2.21", False, ()), [], []),
    ]
    for _, (_, va, ka, ea), (_, vb, kb, eb), _, _ in cases:  # build what is missing, untimed
        manager.ensure(va, keras2=ka, extras=list(ea))
        manager.ensure(vb, keras2=kb, extras=list(eb))

    print(f"{os.cpu_count()} CPUs; {args.repeat} runs each, median\n")
    print(f"{'programs':<42} {'tfshift run A + B':>18} {'tfshift verify-code':>20}  ratio")
    worst = 0.0
    for name, a, b, program_args, options in cases:
        def plain(a=a, b=b, program_args=program_args) -> float:
            return sum(timed([*tfshift, "run", *side_flags(*side[1:]), "--", "python", str(side[0]),
                              *program_args]) for side in (a, b))

        def verify_code(a=a, b=b, program_args=program_args, options=options) -> float:
            flags = [*options, "--tf-a", a[1], "--tf-b", b[1], *(["--keras2-b"] if b[2] else []),
                     *(f"--with-b={e}" for e in b[3])]
            return timed([*tfshift, "verify-code", str(a[0]), str(b[0]), *flags, "--", *program_args])

        verify_code()  # warm the file cache once
        times: dict[str, list[float]] = {"plain": [], "verify": []}
        runners = [("plain", plain), ("verify", verify_code)]
        for run in range(args.repeat):
            for key, fn in runners if run % 2 == 0 else reversed(runners):
                times[key].append(fn())
        p, v = statistics.median(times["plain"]), statistics.median(times["verify"])
        worst = max(worst, v / p)
        print(f"{name:<42} {p:>16.2f} s {v:>18.2f} s  {v / p:.2f}x   (ranges: "
              f"{min(times['plain']):.2f}-{max(times['plain']):.2f}, "
              f"{min(times['verify']):.2f}-{max(times['verify']):.2f})")
    print(f"\nworst ratio to the two plain runs {worst:.2f}x (target: at most 1.3x)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
