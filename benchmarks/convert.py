#!/usr/bin/env python3
"""Benchmark: `tfshift convert` against a hand-written minimal load and save in the target TF.

    python benchmarks/convert.py [--repeat 3]

Models: the TF1 zoo of the tests (tests/fixtures/make_convert_tf1.py, written by real TF 1.15)
and the Keras 2 zoo (tests/fixtures/make_convert_tf2.py, written by TF 2.15).
By hand is the shortest script a user would write for each, run in the TF 2.21 environment:
  frozen graph   the guide's wrap_frozen_graph (import_graph_def in wrap_function, prune), saved
                 with tf.saved_model.save;
  checkpoint     a TF1 Session restores it, convert_variables_to_constants, then as a frozen graph
                 (the guide's own checkpoint recipe fails on TF1 reference variables);
  TF1 SavedModel tf.saved_model.load and tf.saved_model.save(..., signatures=...), the common
                 recipe (which loses reference-variable weights: tensorflow#59287);
  Keras .h5      tf_keras is not there, so keras.models.load_model(h5) and model.save(.keras)
                 in Keras 3 (which fails on TFOpLambda, groups and Lambda).
tfshift is the whole command, `tfshift convert MODEL OUT --target 2.21` (no --verify), start-up of
both TensorFlows included. Both results are then called by plain TF 2.21 on the zoo's inputs and
compared with what the writing TensorFlow computed, so the table also says which result is right.
Target (issue 8): tfshift at most 1.5x the by-hand time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tfshift.envs import manager  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"

BY_HAND = textwrap.dedent('''
    import sys
    import tensorflow as tf
    tf1 = tf.compat.v1
    kind, source, out, inputs, outputs = sys.argv[1:6]
    custom = None
    if len(sys.argv) > 6:
        import importlib.util, inspect
        spec = importlib.util.spec_from_file_location("custom_layers", sys.argv[6])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        custom = dict((k, v) for k, v in vars(module).items() if inspect.isclass(v))
    inputs, outputs = inputs.split(","), outputs.split(",")

    def save_graph(graph_def):
        def imported():
            tf1.import_graph_def(graph_def, name="")
        wrapped = tf1.wrap_function(imported, [])
        graph = wrapped.graph
        fn = wrapped.prune([graph.get_tensor_by_name(n + ":0") for n in inputs],
                           {n: graph.get_tensor_by_name(n + ":0") for n in outputs})
        module = tf.Module()
        module.fn = fn
        tf.saved_model.save(module, out, signatures={"serving_default": fn})

    if kind == "frozen":
        graph_def = tf1.GraphDef()
        with open(source, "rb") as fh:
            graph_def.ParseFromString(fh.read())
        save_graph(graph_def)
    elif kind == "checkpoint":
        graph = tf.Graph()
        with graph.as_default(), tf1.Session(graph=graph) as sess:
            tf1.train.import_meta_graph(source + ".meta").restore(sess, source)
            save_graph(tf1.graph_util.convert_variables_to_constants(sess, graph.as_graph_def(), outputs))
    elif kind == "saved_model":
        loaded = tf.saved_model.load(source)
        tf.saved_model.save(loaded, out, signatures=loaded.signatures)
    elif kind == "keras":
        import keras
        keras.models.load_model(source, compile=False, custom_objects=custom).save(out)
''')

CHECK = textwrap.dedent('''
    import json, sys
    import numpy as np
    import tensorflow as tf
    path, inputs, want = sys.argv[1:4]
    custom = None
    if len(sys.argv) > 4:
        import importlib.util, inspect
        spec = importlib.util.spec_from_file_location("custom_layers", sys.argv[4])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        custom = dict((k, v) for k, v in vars(module).items() if inspect.isclass(v))
    try:
        with np.load(inputs) as data:
            feeds = dict((k, data[k]) for k in data.files)
        with np.load(want) as data:
            names = [k.split("__", 1)[1] for k in sorted(data.files)]
            wanted = [data[k] for k in sorted(data.files)]
        if path.endswith(".keras"):
            import keras
            model = keras.models.load_model(path, custom_objects=custom)
            got = model(feeds if len(feeds) > 1 else list(feeds.values())[0])  # by input name
            got = dict(zip(names, got if isinstance(got, (list, tuple)) else [got]))
        else:
            fn = tf.saved_model.load(path).signatures["serving_default"]
            got = fn(**dict((k, tf.constant(v)) for k, v in feeds.items()))
        ok = all(np.allclose(np.asarray(got[n]), w, rtol=1e-5, atol=1e-6) for n, w in zip(names, wanted))
        print(json.dumps({"ok": bool(ok)}))
    except Exception as exc:
        print(json.dumps({"ok": False, "error": type(exc).__name__ + ": " + str(exc).splitlines()[0][:90]}))
''')

# name: (zoo, path in the zoo, by-hand kind, inputs, outputs, inputs file, expected prefix, extra)
CASES = [
    ("mlp frozen", "tf1", "mlp.pb", "frozen", "x", "probs", "mlp", []),
    ("mlp checkpoint", "tf1", "mlp_ckpt/mlp", "checkpoint", "x", "probs", "mlp", []),
    ("cnn SavedModel", "tf1", "cnn_saved", "saved_model", "images", "logits", "cnn", []),
    ("rnn SavedModel", "tf1", "rnn_saved", "saved_model", "steps", "last,total", "rnn", []),
    ("table SavedModel", "tf1", "table_saved", "saved_model", "words", "ids,vectors", "table", []),
    ("Keras Sequential .h5", "tf2", "sequential.h5", "keras", "", "", "sequential.h5", []),
    ("Keras custom layer .h5", "tf2", "custom.h5", "keras", "", "", "custom.h5",
     ["--custom-objects", str(FIXTURES / "convert_custom_layers.py")]),
    ("Keras TFOpLambda .h5", "tf2", "tfop.h5", "keras", "", "", "tfop.h5", []),
    ("Keras DepthwiseConv2D .h5", "tf2", "depthwise.h5", "keras", "", "", "depthwise.h5", []),
    ("Keras 2 SavedModel", "tf2", "saved_model", "keras", "", "", "saved_model", []),
]


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    return time.perf_counter() - started, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    old, keras2, new = manager.ensure("1.15"), manager.ensure("2.15"), manager.ensure("2.21")
    work = Path(tempfile.mkdtemp(prefix="tfshift-bench-convert-"))
    (work / "by_hand.py").write_text(BY_HAND)
    (work / "check.py").write_text(CHECK)
    zoos = {"tf1": work / "tf1", "tf2": work / "tf2"}
    for env, script, folder in ((old, "make_convert_tf1.py", zoos["tf1"]),
                                (keras2, "make_convert_tf2.py", zoos["tf2"])):
        if not (FIXTURES / script).is_file():
            continue
        done = env.run_python([str(FIXTURES / script), str(folder)], timeout=900)
        if done.returncode:
            raise SystemExit(f"{script}: {done.stderr[-3000:]}")
    host = dict(os.environ)

    def prepare(zoo_name: str, zoo: Path, prefix: str) -> tuple[Path, Path]:
        """inputs.npz and want.npz (NNN__output name -> what the writing TensorFlow computed)."""
        import numpy as np

        inputs, want = work / f"{prefix}-inputs.npz", work / f"{prefix}-want.npz"
        with np.load(zoo / "expected.npz") as data:
            expected = {k: data[k] for k in data.files}
        if zoo_name == "tf1":
            with np.load(zoo / "inputs" / f"{prefix}.npz") as data:
                feeds = {k: data[k] for k in data.files}
            outs = {k.split("__", 1)[1]: v for k, v in expected.items() if k.startswith(prefix + "__")}
        else:
            names = json.loads((zoo / "expected.json").read_text())["models"][prefix]
            feeds = {n: expected[f"{prefix}:{n}"] for n in names["inputs"]}
            outs = {n: expected[f"{prefix}:{i}"] for i, n in enumerate(names["outputs"])}
        np.savez(inputs, **feeds)
        ordered = sorted(outs) if zoo_name == "tf1" else list(outs)
        np.savez(want, **{f"{i:03d}__{n}": outs[n] for i, n in enumerate(ordered)})
        return inputs, want

    def check(path: Path, inputs: Path, want: Path, custom: list[str]) -> str:
        _, done = run([str(new.python), str(work / "check.py"), str(path), str(inputs), str(want),
                       *custom], new.environ())
        try:
            found = json.loads(done.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return "no result"
        return "right" if found["ok"] else f"WRONG ({found.get('error', 'other outputs')})"

    print(f"TF {old.tf_version} / TF {keras2.tf_version} sources, TF {new.tf_version} "
          f"(Python {new.python_version}) target; {os.cpu_count()} CPUs; {args.repeat} runs each, median\n")
    print(f"{'model':<22} {'by hand':>9} {'tfshift':>9} {'ratio':>6}  by-hand result / tfshift result")
    worst = 0.0
    for name, zoo_name, source, kind, ins, outs, prefix, extra in CASES:
        zoo = zoos[zoo_name]
        model = zoo / source
        if not (model.exists() or Path(str(model) + ".meta").exists()):
            print(f"{name:<22} (not in this zoo)")
            continue
        suffix = ".keras" if kind == "keras" else ""
        custom = [extra[1]] if extra[:1] == ["--custom-objects"] else []
        times: dict[str, list[float]] = {"hand": [], "tfshift": []}
        results: dict[str, str] = {}
        for repeat in range(args.repeat):
            order = ("hand", "tfshift") if repeat % 2 == 0 else ("tfshift", "hand")
            for side in order:
                out = work / f"out-{side}{suffix}"
                if out.is_dir():
                    shutil.rmtree(out)
                out.unlink(missing_ok=True)
                if side == "hand":
                    seconds, done = run([str(new.python), str(work / "by_hand.py"), kind, str(model),
                                         str(out), ins, outs, *custom], new.environ())
                else:
                    seconds, done = run([sys.executable, "-m", "tfshift", "convert", str(model), str(out),
                                         "--target", "2.21", *extra], host)
                times[side].append(seconds)
                if repeat == 0:
                    if done.returncode:
                        last = (done.stderr.strip().splitlines() or ["?"])[-1]
                        results[side] = f"FAILED ({last[:70]})"
                    else:
                        results[side] = check(out, *prepare(zoo_name, zoo, prefix), custom)
        hand, ours = statistics.median(times["hand"]), statistics.median(times["tfshift"])
        ratio = ours / hand
        if not results["hand"].startswith("FAILED"):
            worst = max(worst, ratio)
        print(f"{name:<22} {hand:>7.2f} s {ours:>7.2f} s {ratio:>5.2f}x  {results['hand']} / {results['tfshift']}")
    print(f"\nworst ratio where the by-hand script ran: {worst:.2f}x (target: at most 1.5x)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
