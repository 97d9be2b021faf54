"""The in-process half of benchmarks/runtime.py, run by a managed environment's interpreter.

    python runtime_inprocess.py CONFIG_JSON    (then one JSON command per stdin line)

Loads each model with the worker's own loaders, so both halves run the same model code, then
answers commands so the host can interleave its batches with the Runtime's:
    {"model": NAME, "calls": N}  -> {"per_call": s, "fastest": s}   one batch of N calls
                                    ("rows": R first: the model's input now has R rows)
    {"copy": NBYTES}             -> {"seconds": seconds}    one copy of a float32 array
Python 3.7+, NumPy and TensorFlow only.
"""
import importlib.util
import json
import os
import sys
import time

import numpy as np


def load_worker_package(worker_dir):
    spec = importlib.util.spec_from_file_location("tfshift_worker_main", os.path.join(worker_dir, "main.py"))
    main = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(main)
    return main.load_package()


def main():
    config = json.loads(sys.argv[1])
    load_worker_package(config["worker"])
    from _tfshift_worker import tfcompat
    from _tfshift_worker.loaders import loader_for

    tf = tfcompat.load()
    models = {}
    for name, spec in config["models"].items():
        model = loader_for("frozen_graph")({"format": "frozen_graph", "path": spec["path"]})
        feeds = {"x": np.random.RandomState(0).normal(size=spec["shape"]).astype(np.float32)}
        for _ in range(5):
            model.call(feeds)
        models[name] = (model, feeds)
    v = sys.version_info
    print(json.dumps({"tensorflow": tf.__version__, "python": f"{v[0]}.{v[1]}.{v[2]}",
                      "numpy": np.__version__}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if "model" in command:
            model, feeds = models[command["model"]]
            rows = command.get("rows")
            if rows and rows != feeds["x"].shape[0]:
                shape = (rows, *feeds["x"].shape[1:])
                feeds = {"x": np.random.RandomState(0).normal(size=shape).astype(np.float32)}
                models[command["model"]] = (model, feeds)
                model.call(feeds)
            fastest = float("inf")
            start = time.perf_counter()
            for _ in range(command["calls"]):
                began = time.perf_counter()
                model.call(feeds)
                fastest = min(fastest, time.perf_counter() - began)
            answer = {"per_call": (time.perf_counter() - start) / command["calls"], "fastest": fastest}
        else:
            data = np.ones(command["copy"] // 4, dtype=np.float32)
            start = time.perf_counter()
            data.copy()
            answer = {"seconds": time.perf_counter() - start}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
