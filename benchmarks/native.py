"""`tfshift upgrade --native` against the compat upgrade (`tfshift upgrade`), side by side, on
the same generated 100k-line tree of TF1 and TF 2.0-era programs.

    python benchmarks/native.py [--lines 100000] [--jobs 2]

The tree is made of the run-test programs of tests/native/programs (graph programs with
placeholders, sessions and optimizers; TF 2.0-era layers and generators; compat imports) and
plain TensorFlow/NumPy modules, each copy in its own folder with its names varied. Both
commands run cold (`--no-cache`) writing `--out` trees. Printed: wall time, CPU time of the
process tree, lines/s, and the ratio native / compat (the issue asks for at most 2x). A
measurement, not a test: figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = ROOT / "tests" / "native" / "programs"
PLAIN = '''import numpy as np
import tensorflow as tf


def features_{i}(x):
    """Plain TensorFlow 2 code: nothing to change."""
    y = tf.reduce_sum(tf.square(x), axis=1)
    return tf.nn.relu(y) + np.float32({i})


class Scaler{i}:
    def __init__(self, factor):
        self.factor = factor

    def __call__(self, x):
        return x * self.factor
'''


def make_tree(root: Path, lines: int) -> tuple[int, int]:
    templates = [p.read_text() for p in sorted(PROGRAMS.glob("*.py"))]
    files = total = i = 0
    while total < lines:
        folder = root / f"project_{i:05d}"
        folder.mkdir(parents=True)
        for n, text in enumerate(templates + [PLAIN.format(i=i)]):
            text = text.replace("losses", f"losses_{i}")
            (folder / f"module_{n}.py").write_text(text)
            total += text.count("\n")
            files += 1
        i += 1
    return files, total


def timed(args: list[str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(args)}\n{done.stderr[-2000:]}")
    return wall, cpu, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        tree = Path(scratch) / "tree"
        files, lines = make_tree(tree, args.lines)
        print(f"tree: {files} files, {lines} lines")
        base = [sys.executable, "-m", "tfshift", "upgrade", str(tree), "--from", "1.15", "--to", "2.21",
                "--no-cache", "--jobs", str(args.jobs), "--format", "json"]
        rows = {}
        for name, extra in (("compat upgrade", []), ("native upgrade", ["--native"])):
            out = Path(scratch) / name.replace(" ", "_")
            wall, cpu, _ = timed(base + extra + ["--out", str(out)])
            rows[name] = (wall, cpu)
            shutil.rmtree(out, ignore_errors=True)
        print(f"{'':16} {'wall s':>8} {'cpu s':>8} {'lines/s (wall)':>15}")
        for name, (wall, cpu) in rows.items():
            print(f"{name:16} {wall:8.2f} {cpu:8.2f} {lines / wall:15.0f}")
        (cw, cc), (nw, nc) = rows["compat upgrade"], rows["native upgrade"]
        print(f"native / compat: {nw / cw:.2f}x wall, {nc / cc:.2f}x CPU (issue 13: within 2x)")


if __name__ == "__main__":
    main()
