"""Benchmark: calling a model through tfshift.Runtime against calling it in-process in that TF.

    python benchmarks/runtime.py [--tf 1.15,2.21] [--quick] [--json FILE]

Side by side, in one process tree, for each TensorFlow version:
  1. per-call overhead: a small MLP (frozen graph written by TF 1.15), called through a Runtime
     and in-process in the environment's own interpreter with the worker's own loader code,
     batches of the two interleaved (target: at most 0.2 ms more per call);
  2. a model taking 10 ms or more (N x 1024 through four 1024x1024 matmuls, N sized for each
     version at start-up until the in-process call takes 10 ms or more), the same two ways
     (target: within 1.1x);
  3. a 100 MB array round trip through the worker (target: at least 2 GB/s), also as a fraction
     of an in-process copy of the same size;
  4. what a user would do without tfshift: .npy files and one subprocess per call in the other
     environment (skipped with --quick).
Times are the best of several batches (the machine is shared; the minimum is the least noisy);
the targets are judged on those. Each in-process batch runs right next to a Runtime batch, so the
median over those pairs (of the difference, or of the ratio) is shown too: it is the least moved
by load that comes and goes between batches.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from tfshift.envs import manager
from tfshift.runtime import Runtime
from tfshift.runtime.process import WORKER_MAIN

HERE = Path(__file__).resolve().parent
MB = 100 * 2**20  # the round trip's array: 100 MiB of float32

MAKE_MODELS = r"""
import os, sys
import numpy as np
import tensorflow as tf
tf1 = tf.compat.v1
out = sys.argv[1]

def freeze(build, name, outputs):
    graph = tf.Graph()
    with graph.as_default():
        build()
        with tf1.Session(graph=graph) as sess:
            sess.run(tf1.global_variables_initializer())
            frozen = tf1.graph_util.convert_variables_to_constants(sess, graph.as_graph_def(), outputs)
    with open(os.path.join(out, name), "wb") as fh:
        fh.write(frozen.SerializeToString())

rng = np.random.RandomState(0)

def small():
    x = tf1.placeholder(tf.float32, [None, 8], name="x")
    h = tf.nn.relu(tf.matmul(x, tf.constant(rng.normal(size=(8, 16)).astype("float32"))))
    tf.nn.softmax(tf.matmul(h, tf.constant(rng.normal(size=(16, 3)).astype("float32"))), name="y")

def heavy():
    h = tf1.placeholder(tf.float32, [None, 1024], name="x")
    for i in range(4):
        w = tf.constant((rng.normal(size=(1024, 1024)) / 32).astype("float32"))
        h = tf.nn.relu(tf.matmul(h, w))
    tf.identity(h, name="y")

freeze(small, "small.pb", ["y"])
freeze(heavy, "heavy.pb", ["y"])
"""

WITHOUT_TFSHIFT = r"""
import sys
import numpy as np
import tensorflow as tf
tf1 = tf.compat.v1
graph_def = tf1.GraphDef()
graph_def.ParseFromString(open(sys.argv[1], "rb").read())
graph = tf.Graph()
with graph.as_default():
    tf1.import_graph_def(graph_def, name="")
with tf1.Session(graph=graph) as sess:
    np.save(sys.argv[3], sess.run("y:0", {"x:0": np.load(sys.argv[2])}))
"""

MODELS = {  # name -> input shape, calls per batch, batches of each half (interleaved)
    "small": ((5, 8), 200, 15),
    "heavy": ((256, 1024), 5, 12),  # rows: a first guess, sized per version (size_heavy)
}
HEAVY_MIN = 0.010  # seconds in-process: the 1.1x target is about a model at least this slow


class InProcess:
    """The models called in-process, in the environment's own interpreter, batch by batch."""

    def __init__(self, env: manager.Env, models: Path) -> None:
        config = {
            "worker": str(WORKER_MAIN.parent),
            "models": {name: {"path": str(models / f"{name}.pb"), "shape": shape}
                       for name, (shape, _, _) in MODELS.items()},
        }
        self.proc = subprocess.Popen(
            [str(env.python), str(HERE / "runtime_inprocess.py"), json.dumps(config)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env=env.worker_environ())
        self.info = self._answer()

    def _answer(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit("the in-process benchmark died (run runtime_inprocess.py by hand to see why)")
        return json.loads(line)

    def ask(self, **command) -> dict:
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        return self._answer()

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()
        self.proc.stdout.close()


def batch(fn, calls: int) -> float:
    return timed_batch(fn, calls)[0]


def timed_batch(fn, calls: int) -> tuple[float, float]:
    """(seconds per call over the batch, the fastest single call)."""
    fastest = float("inf")
    start = time.perf_counter()
    for _ in range(calls):
        began = time.perf_counter()
        fn()
        fastest = min(fastest, time.perf_counter() - began)
    return (time.perf_counter() - start) / calls, fastest


def size_heavy(inproc: InProcess) -> int:
    """Rows of the heavy model's input for which its in-process call takes >= 10 ms, with a
    margin (a fast TensorFlow does 256 rows in 8 ms; the machine's load varies)."""
    rows = MODELS["heavy"][0][0]
    for _ in range(8):
        seconds = min(inproc.ask(model="heavy", calls=3, rows=rows)["per_call"] for _ in range(3))
        if seconds >= HEAVY_MIN * 1.2:
            break
        rows = math.ceil(rows * HEAVY_MIN * 1.4 / seconds / 64) * 64
    return rows


def measure(env: manager.Env, models: Path) -> dict:
    """Both halves, their batches interleaved so the machine's load hits both alike."""
    inproc = InProcess(env, models)
    out: dict = {"in_process": {"info": inproc.info}, "runtime": {}}
    try:
        rows = {"small": MODELS["small"][0][0], "heavy": size_heavy(inproc)}
        out["heavy_rows"] = rows["heavy"]
        with Runtime(env=env) as rt:
            out["runtime"]["info"] = rt.info
            for name, (shape, calls, batches) in MODELS.items():
                model = rt.load(models / f"{name}.pb")
                shape = (rows[name], *shape[1:])
                x = np.random.RandomState(0).normal(size=shape).astype(np.float32)
                batch(lambda m=model, x=x: m(x=x), 5)
                here, there, here_fast, there_fast = [], [], [], []
                for _ in range(batches):
                    answer = inproc.ask(model=name, calls=calls, rows=rows[name])
                    here.append(answer["per_call"])
                    here_fast.append(answer["fastest"])
                    per_call, fastest = timed_batch(lambda m=model, x=x: m(x=x), calls)
                    there.append(per_call)
                    there_fast.append(fastest)
                out["in_process"][name], out["runtime"][name] = here, there
                out["in_process"][f"{name}_fastest"] = min(here_fast)
                out["runtime"][f"{name}_fastest"] = min(there_fast)
            out["runtime"]["ping"] = [batch(lambda: rt.request("ping"), 200) for _ in range(5)]
            data = np.ones(MB // 4, dtype=np.float32)
            batch(lambda: rt.request("echo", {"a": data}), 2)
            trips, copies = [], []
            for _ in range(7):
                trips.append(batch(lambda: rt.request("echo", {"a": data}), 1))
                copies.append(inproc.ask(copy=MB)["seconds"])
            out["runtime"]["roundtrip"], out["in_process"]["copy"] = trips, copies
    finally:
        inproc.close()
    return out


def without_tfshift(env: manager.Env, models: Path, work: Path) -> float:
    x = np.random.RandomState(0).normal(size=MODELS["small"][0]).astype(np.float32)
    np.save(work / "in.npy", x)
    start = time.perf_counter()
    result = env.run_python(["-c", WITHOUT_TFSHIFT, str(models / "small.pb"), str(work / "in.npy"),
                             str(work / "out.npy")], timeout=600)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])
    np.load(work / "out.npy")
    return elapsed


def host_copy() -> float:
    data = np.ones(MB // 4, dtype=np.float32)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        data.copy()
        times.append(time.perf_counter() - start)
    return min(times)


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def targets(figures: dict) -> dict[str, tuple[str, bool]]:
    """Each target of issue 3: (the figure as text, met or not)."""
    inproc, rt = figures["in_process"], figures["runtime"]
    overhead = (min(rt["small"]) - min(inproc["small"])) * 1e3
    heavy_in = min(inproc["heavy"])
    ratio = min(rt["heavy"]) / heavy_in
    gbps = MB / min(rt["roundtrip"]) / 1e9
    return {
        "call overhead <= +0.2 ms": (f"{overhead:+.3f} ms", overhead <= 0.2),
        "10 ms+ model within 1.1x": (f"{ratio:.3f}x", ratio <= 1.1 and heavy_in >= HEAVY_MIN),
        "100 MiB round trip >= 2 GB/s": (f"{gbps:.2f} GB/s", gbps >= 2),
    }


def report(figures: dict, copy_host: float, subprocess_s: float | None) -> list[str]:
    inproc, rt = figures["in_process"], figures["runtime"]
    hello = rt["info"]
    lines = [f"TF {hello['tensorflow']} (worker: Python {hello['python']}, NumPy {hello['numpy']})"]
    small_in, small_rt = min(inproc["small"]), min(rt["small"])
    overhead = (small_rt - small_in) * 1e3
    lines.append(f"  per call, small MLP      in-process {small_in * 1e3:7.3f} ms   Runtime "
                 f"{small_rt * 1e3:7.3f} ms   {small_rt / small_in:5.2f}x   overhead {overhead:+.3f} ms "
                 f"(target <= +0.2)  {verdict(overhead <= 0.2)}")
    fast_in, fast_rt = inproc["small_fastest"], rt["small_fastest"]
    lines.append(f"    fastest single call    in-process {fast_in * 1e3:7.3f} ms   Runtime "
                 f"{fast_rt * 1e3:7.3f} ms   {fast_rt / fast_in:5.2f}x   overhead "
                 f"{(fast_rt - fast_in) * 1e3:+.3f} ms")
    paired = statistics.median(b - a for a, b in zip(inproc["small"], rt["small"], strict=True))
    lines.append(f"    paired batches         median overhead {paired * 1e3:+.3f} ms")
    heavy_in, heavy_rt = min(inproc["heavy"]), min(rt["heavy"])
    ratio = heavy_rt / heavy_in
    sized = verdict(heavy_in >= HEAVY_MIN).replace("met", "yes").replace("MISSED", "NO: invalid")
    lines.append(f"  per call, 4 matmuls      in-process {heavy_in * 1e3:7.2f} ms   Runtime "
                 f"{heavy_rt * 1e3:7.2f} ms   {ratio:5.3f}x (target <= 1.1x)  "
                 f"{verdict(ratio <= 1.1 and heavy_in >= HEAVY_MIN)}")
    paired = statistics.median(b / a for a, b in zip(inproc["heavy"], rt["heavy"], strict=True))
    lines.append(f"    ({figures['heavy_rows']} x 1024 input, sized so that in-process >= 10 ms: {sized}; "
                 f"paired batches: median ratio {paired:.3f}x)")
    trip = min(rt["roundtrip"])
    copy_env = min(inproc["copy"])
    gbps = MB / trip / 1e9
    lines.append(f"  100 MiB round trip       {trip * 1e3:7.1f} ms: {gbps:.2f} GB/s each way, "
                 f"{2 * gbps:.2f} GB/s both ways (target >= 2 GB/s)  {verdict(gbps >= 2)}")
    lines.append(f"                           = {copy_host / trip:.2f} of an in-process copy of "
                 f"100 MiB on the host ({copy_host * 1e3:.1f} ms), {copy_env / trip:.2f} of "
                 f"one in the worker's NumPy ({copy_env * 1e3:.1f} ms)")
    lines.append(f"  ping (empty request)     {min(rt['ping']) * 1e6:7.0f} us")
    if subprocess_s is not None:
        lines.append(f"  without tfshift: .npy files + a subprocess per call: {subprocess_s:.2f} s per "
                     f"call ({subprocess_s / small_rt:,.0f}x the Runtime)")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tf", default="1.15,2.21", help="versions, comma-separated")
    parser.add_argument("--quick", action="store_true", help="skip the subprocess-per-call baseline")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    versions = [v.strip() for v in args.tf.split(",") if v.strip()]
    envs = {v: manager.ensure(v) for v in versions}
    writer = envs.get("1.15") or manager.ensure("1.15")
    raw: dict = {"host": {"python": sys.version.split()[0], "numpy": np.__version__,
                          "cpus": os.cpu_count(), "load": os.getloadavg()[0]}}
    print(f"tfshift runtime benchmark: host Python {raw['host']['python']}, NumPy {np.__version__}, "
          f"{os.cpu_count()} CPUs, load {raw['host']['load']:.1f}")
    with tempfile.TemporaryDirectory(prefix="tfshift-bench-") as tmp:
        work = Path(tmp)
        models = work / "models"
        models.mkdir()
        made = writer.run_python(["-c", MAKE_MODELS, str(models)], timeout=900)
        if made.returncode != 0:
            raise SystemExit(f"could not write the models with TF 1.15:\n{made.stderr[-3000:]}")
        copy_host = host_copy()
        verdicts = {}
        for version, env in envs.items():
            figures = measure(env, models)
            subprocess_s = None if args.quick else without_tfshift(env, models, work)
            raw[version] = {**figures, "subprocess_per_call": subprocess_s, "host_copy": copy_host}
            print("\n".join(report(figures, copy_host, subprocess_s)))
            verdicts[figures["runtime"]["info"]["tensorflow"]] = targets(figures)
    raw["host"]["load_after"] = os.getloadavg()[0]
    print(f"\ntargets (load {raw['host']['load']:.1f} at the start, {raw['host']['load_after']:.1f} at the end):")
    for target in next(iter(verdicts.values())):
        cells = "   ".join(f"TF {tf}: {v[target][0]} {verdict(v[target][1])}" for tf, v in verdicts.items())
        print(f"  {target:<30}{cells}")
    if args.json:
        args.json.write_text(json.dumps(raw, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
