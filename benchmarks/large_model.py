#!/usr/bin/env python3
"""Benchmark: a TF1 checkpoint with weights over the protobuf limit (2 GB), converted and verified.

    python benchmarks/large_model.py [--gib 2.1] [--keep DIR]

tests/fixtures/make_large_tf1.py writes the checkpoint with real TF 1.15 (8 embedding tables).
Then `tfshift convert CHECKPOINT OUT --verify` runs with runtimes this script starts, so it can
read each worker's peak memory (VmHWM) afterwards: the source (TF 1.15, which restores the
checkpoint in a Session), the target (TF 2.21, which builds the variables from the checkpoint one
at a time, saves, frees them, loads the result back) and the same two during verify. Printed:
the model's size, each peak and its ratio to the size, and the seconds. The usual recipe,
`convert_variables_to_constants` then a SavedModel, fails here at 2 GB ("GraphDef cannot be
larger than 2GB"); the script shows that too, in TF 1.15.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tfshift.envs import manager  # noqa: E402

BY_HAND = textwrap.dedent('''
    import sys
    import tensorflow as tf
    tf1 = tf.compat.v1
    with tf.Graph().as_default() as graph, tf1.Session() as sess:
        saver = tf1.train.import_meta_graph(sys.argv[1] + ".meta")
        saver.restore(sess, sys.argv[1])
        try:
            frozen = tf1.graph_util.convert_variables_to_constants(sess, graph.as_graph_def(), ["vector"])
            frozen.SerializeToString()  # what writing it (or a SavedModel of it) does
            print("froze and wrote it")
        except Exception as exc:
            print("FAILED: %s: %s" % (type(exc).__name__, str(exc).splitlines()[0][:120]))
''')


def peak(pid: int) -> int:
    """The peak resident memory of a live process, in bytes (Linux VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def gib(n: float) -> str:
    return f"{n / (1 << 30):.2f} GiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gib", type=float, default=2.1)
    parser.add_argument("--keep", type=Path, help="write the model here and keep it")
    args = parser.parse_args()
    from tfshift.models.convert import convert
    from tfshift.runtime import Runtime

    folder = args.keep or Path(tempfile.mkdtemp(prefix="tfshift-large-"))
    try:
        old = manager.ensure("1.15")
        model = folder / "large" / "model"
        if not model.with_suffix(".index").exists():
            made = old.run_python([str(ROOT / "tests" / "fixtures" / "make_large_tf1.py"), str(folder),
                                   str(args.gib)], timeout=1800)
            if made.returncode != 0:
                print(made.stderr[-2000:])
                return 2
        size = sum(f.stat().st_size for f in model.parent.iterdir())
        script = folder / "by_hand.py"
        script.write_text(BY_HAND)
        start = time.monotonic()
        by_hand = old.run_python([str(script), str(model)], timeout=1800)
        hand_s = time.monotonic() - start
        out = folder / "converted"
        shutil.rmtree(out, ignore_errors=True)
        start = time.monotonic()
        with Runtime("1.15") as source, Runtime("2.21") as target:
            result = convert(model, out, runtime_source=source, runtime_target=target)
            peaks = {"convert: source (TF 1.15)": peak(source.pid),
                     "convert: target (TF 2.21)": peak(target.pid)}
        seconds = time.monotonic() - start
        from tfshift.models.verify import verify

        start = time.monotonic()
        with Runtime("1.15") as a, Runtime("2.21") as b:
            report = verify(model, out, runtime_a=a, runtime_b=b, inputs=str(folder / "inputs" / "large.npz"))
            peaks.update({"verify: A (TF 1.15)": peak(a.pid), "verify: B (TF 2.21)": peak(b.pid)})
        verify_s = time.monotonic() - start
        result.verified = [report]
        print(f"model: {gib(size)} in {model.parent} (8 tables)")
        last = (by_hand.stdout.strip().splitlines() or ["?"])[-1]
        print(f"by hand (TF 1.15 restore + convert_variables_to_constants): {last} ({hand_s:.1f} s)")
        print(f"tfshift convert: {seconds:.1f} s; tfshift verify: {report.summary()} in {verify_s:.1f} s")
        for note in result.notes:
            print(f"  note: {note}")
        for name, value in peaks.items():
            print(f"peak memory of the {name} worker: {gib(value)} = {value / size:.2f}x the model")
        return 0 if report.ok else 1
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
