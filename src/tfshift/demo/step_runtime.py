"""Demo step 2: one program calls the same model under TF 1.15 and TF 2.21 at once (tfshift.Runtime)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from tfshift.demo.steps import DemoContext
from tfshift.output import table

TITLE = "Runtime: one program calls the TF {old} model under TF {old} and TF {new} at once"
TOLERANCE = 1e-5

SNIPPET = """\
with tfshift.Runtime("{old}") as old, tfshift.Runtime("{new}") as new:
    a = old.load("{model}")
    b = new.load("{model}")
    a(x=batch)["probs"], b(x=batch)["probs"]     # two processes, two TensorFlows"""


def run(ctx: DemoContext) -> bool:
    from tfshift.runtime import ModelLoadError, Runtime

    base = ctx.artifacts.get("old_export")
    tf2 = ctx.artifacts.get("tf2_export")
    first = "mlp_frozen.pb" if ctx.tf1 else "mlp.keras"
    if base is None or not (Path(base) / first).is_file():
        ctx.say(f"skipped: step 1 left no TF {ctx.old} export to call")
        return False
    base = Path(base)
    with np.load(base / "inputs.npz") as data:
        batch = data["x"]
    expected = np.load(base / "expected.npy")
    if ctx.tf1:
        models = [base / "mlp_frozen.pb", base / "checkpoint", base / "saved_model"]
    else:
        models = [base / "mlp.keras"]
        ctx.skip("the TF1 frozen graph, checkpoint and SavedModel under TF 1.15 and TF 2.21")
    if tf2 is not None and (Path(tf2) / "mlp.keras").is_file():
        models.append(Path(tf2) / "mlp.keras")

    for line in SNIPPET.format(old=ctx.old, new=ctx.new, model=models[0].name).splitlines():
        ctx.say(f"  {line}")
    started = time.monotonic()
    with Runtime(ctx.old) as old, Runtime(ctx.new) as new:
        runtimes = (old, new)
        with ThreadPoolExecutor(2) as pool:  # both TensorFlows import at the same time
            infos = list(pool.map(lambda rt: rt.info, runtimes))
        ctx.say(f"\n  started side by side in {time.monotonic() - started:.1f} s: " + "; ".join(
            f"TF {i['tensorflow']} (Python {i['python']}, NumPy {i['numpy']}, pid {i['pid']})"
            for i in infos))

        rows, ok = [], True
        for path in models:
            cells, loaded = [], []
            for rt in runtimes:
                try:
                    loaded.append(rt.load(path))
                except ModelLoadError as exc:
                    loaded.append(None)
                    reason = str(exc).splitlines()[0].split(": ", 2)[-1].split(";")[0]
                    reason = reason if len(reason) <= 70 else reason[:67].rsplit(" ", 1)[0] + " ..."
                    cells.append(f"does not load: {reason}")
            with ThreadPoolExecutor(2) as pool:  # one call in each version, concurrently
                outputs = list(pool.map(lambda m: m(x=batch)["probs"] if m else None, loaded))
            cells = iter(cells)
            shown = []
            for out in outputs:
                if out is None:
                    shown.append(next(cells))
                    continue
                diff = float(np.max(np.abs(out - expected)))
                ok &= diff <= TOLERANCE
                shown.append(f"max |diff| {diff:.1e}")
            source = loaded[0].source if loaded[0] else loaded[1].source
            rows.append([_short(path, base), source.description, *shown])
        ctx.say(f"\n  outputs against what TF {ctx.old} computed when it wrote the model:")
        header = ["model", "format", f"TF {old.tf_version}", f"TF {new.tf_version}"]
        for line in table(header, rows).splitlines():
            ctx.say(f"  {line}")

        model = old.load(models[0])
        model(x=batch)
        calls = 200
        t0 = time.perf_counter()
        for _ in range(calls):
            model(x=batch)
        per_call = (time.perf_counter() - t0) / calls * 1e3
        ctx.say(f"\n  a call into TF {old.tf_version} from this Python {_python()} process: "
                f"{per_call:.2f} ms (see benchmarks/runtime.py)")
    ctx.say(f"every version gives TF {ctx.old}'s outputs" if ok else "the versions DISAGREE")
    return ok


def _short(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return f"{path.parent.name}/{path.name}"


def _python() -> str:
    import platform

    return ".".join(platform.python_version_tuple()[:2])
