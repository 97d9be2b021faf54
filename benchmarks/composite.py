#!/usr/bin/env python3
"""Benchmark: `tfshift verify` of a model with a sparse input, against checking it by hand.

    python benchmarks/composite.py [--repeat 3]

The model is the tests' TF1 SavedModel (tests/models/fixtures/make_composite_tf1.py, written by
TF 1.15): serving_default takes a sparse x [?, 4] (coo_sparse) and returns x @ w. By hand is
what a user writes today: in TF 1.15 a Session fed a SparseTensorValue, in TF 2.21
`tf.saved_model.load(...).signatures[...]` called with the three component tensors, each saving
its output to .npy, one after the other, then NumPy to compare. tfshift is the whole command,
`tfshift verify A A --tf-a 1.15 --tf-b 2.21 --inputs x.npz`, start-up included, the .npz holding
x_indices, x_values and x_dense_shape. Also timed: `tfshift verify` generating the sparse input
itself (--shape x=64,4), which by hand means writing the generator.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tfshift.envs import manager  # noqa: E402

BY_HAND = textwrap.dedent('''
    import sys
    import numpy as np
    import tensorflow as tf
    model, inputs, out = sys.argv[1:4]
    feed = np.load(inputs)
    if tf.__version__.startswith("1."):
        tf1 = tf.compat.v1
        with tf1.Session(graph=tf.Graph()) as sess:
            meta = tf1.saved_model.loader.load(sess, ["serve"], model)
            sig = meta.signature_def["serving_default"]
            coo = sig.inputs["x"].coo_sparse
            y = sess.run(sig.outputs["y"].name, {coo.indices_tensor_name: feed["x_indices"],
                                                  coo.values_tensor_name: feed["x_values"],
                                                  coo.dense_shape_tensor_name: feed["x_dense_shape"]})
    else:
        fn = tf.saved_model.load(model).signatures["serving_default"]
        y = fn(**{k: tf.constant(feed[k]) for k in ("x_indices", "x_values", "x_dense_shape")})["y"].numpy()
    np.save(out, y)
''')

COMPARE = textwrap.dedent('''
    import sys
    import numpy as np
    a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
    print(a.shape == b.shape, np.abs(a - b).max(), np.isclose(b, a, rtol=5e-5, atol=1e-6).mean())
''')


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{cmd[:3]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def sparse_inputs(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    cells = np.sort(rng.choice(rows * 4, size=rows * 4 // 3, replace=False))
    np.savez(path, x_indices=np.stack(np.unravel_index(cells, (rows, 4)), axis=1).astype(np.int64),
             x_values=rng.standard_normal(len(cells)).astype(np.float32),
             x_dense_shape=np.array([rows, 4], np.int64))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    old, new = manager.ensure("1.15"), manager.ensure("2.21")
    work = Path(tempfile.mkdtemp(prefix="tfshift-bench-composite-"))
    done = old.run_python([str(ROOT / "tests" / "models" / "fixtures" / "make_composite_tf1.py"), str(work)],
                          timeout=900)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    model = work / "saved_model"
    (work / "by_hand.py").write_text(BY_HAND)
    (work / "compare.py").write_text(COMPARE)
    sparse_inputs(work / "x.npz", 64)
    host = dict(os.environ)

    def by_hand() -> tuple[float, str]:
        total = 0.0
        for env, tag in ((old, "a"), (new, "b")):
            total += timed([str(env.python), str(work / "by_hand.py"), str(model), str(work / "x.npz"),
                            str(work / f"{tag}.npy")], env.environ())[0]
        seconds, said = timed([sys.executable, str(work / "compare.py"), str(work / "a.npy"),
                               str(work / "b.npy")], host)
        return total + seconds, said.strip()

    def tfshift(*inputs: str) -> tuple[float, str]:
        seconds, said = timed([sys.executable, "-m", "tfshift", "verify", str(model), str(model),
                               "--tf-a", "1.15", "--tf-b", "2.21", *inputs], host)
        return seconds, said.strip().splitlines()[-1]

    runners = {"by hand": by_hand, "tfshift verify --inputs": lambda: tfshift("--inputs", str(work / "x.npz")),
               "tfshift verify, generated": lambda: tfshift("--shape", "x=64,4")}
    tfshift("--inputs", str(work / "x.npz"))  # warm the file cache for every side
    times: dict[str, list[float]] = {k: [] for k in runners}
    said: dict[str, str] = {}
    for run in range(args.repeat):
        for name in runners if run % 2 == 0 else reversed(list(runners)):
            seconds, said[name] = runners[name]()
            times[name].append(seconds)
    print(f"TF {old.tf_version} against TF {new.tf_version}; {os.cpu_count()} CPUs; "
          f"{args.repeat} runs each, median; load at the end {os.getloadavg()[0]:.1f}\n")
    hand = statistics.median(times["by hand"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<28} {median:6.2f} s  {median / hand:.2f}x  ({min(values):.2f}-{max(values):.2f})  {said[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
