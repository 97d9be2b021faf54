"""The Keras route of `tfshift convert`: a Keras 2 model rebuilt as real Keras 3 layers.

The source runtime (Keras 2) loads the model and gives its config, weights and layer shapes;
keras_config.py translates the config; the target runtime (Keras 3) builds it with safe_mode,
sets the weights layer by layer, saves the `.keras` and loads it back. Both sides then run the
same sample batch, so a model that rebuilt but computes something else is caught here. What
cannot become Keras 3 (a blocker, a build error, different outputs) falls back to a SavedModel
written by the target TensorFlow, and the outcome says why in one line.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from tfshift.errors import TfshiftError
from tfshift.models.convert import keras_config
from tfshift.models.convert.route import KERAS, SAVED_MODEL, ConvertError, Job, RouteOutcome
from tfshift.runtime import Runtime
from tfshift.runtime.errors import RemoteError
from tfshift.runtime.runtime import load_request
from tfshift.runtime.signature import TensorSpec

ROUTE = "keras"
FALLBACK_ROUTE = "keras-saved-model"
SAMPLE_BATCH = 2
# The sample check catches a model rebuilt wrong (weights misplaced: errors of order 1), not
# rounding: `tfshift verify` holds the real tolerances. float16 layers round at ~1e-3.
SAMPLE_TOLERANCE = 1e-3
SAMPLE_TOLERANCE_FLOAT16 = 2e-2
UNKNOWN_CLASS = ("Unknown layer", "Could not locate class", "Unknown object")  # Keras: a custom class


def code_layers(job: Job) -> list[str]:
    """The source's Lambda layers (Python bytecode), as inspect found them on the parsed
    metadata (a Keras SavedModel's keras_metadata.pb included)."""
    return list(job.source.code_layers)


def source_python(job: Job) -> str | None:
    """The Python minor the source runtime runs: its Lambda bytecode is that Python's."""
    from tfshift.envs import manager, table

    env = manager.find_existing(job.source_tf, keras2=job.source_keras2)
    if env is not None:
        return _minor(env.python_version)
    request = table.parse(job.source_tf)
    pythons = request.release.pythons_for(request.exact)
    return pythons[0] if pythons else None


def target_python(job: Job) -> str | None:
    """The Python the target must run, when the model's Lambda bytecode has to be rebuilt there.

    None: any Python will do (no Lambda, no --unsafe, a SavedModel result), or the target
    TensorFlow has no wheel for the source's Python (run() then falls back, saying so).
    """
    if job.to != KERAS or not job.unsafe or not code_layers(job):
        return None
    from tfshift.envs import table

    wanted = source_python(job)
    request = table.parse(job.target_tf)
    if wanted is None or wanted not in request.release.pythons_for(request.exact):
        return None
    return wanted


def check(job: Job) -> None:
    """ConvertError for what needs no TensorFlow to refuse (the workers check again, before Keras
    reads the file): Lambda layers, or modules outside Keras without --custom-objects, unless
    --unsafe."""
    if job.unsafe:
        return
    code = code_layers(job)
    if code:
        raise ConvertError(f"{job.path}: Lambda layer(s) {', '.join(code)} hold Python bytecode that "
                           "runs on load; pass --unsafe only if you trust this file")
    ops = job.source.unknown_ops
    if ops:
        raise ConvertError(f"{job.path}: op layer(s) {', '.join(ops)} call TensorFlow functions "
                           "tfshift does not know to be free of side effects, which Keras runs on "
                           "load; pass --unsafe only if you trust this file")
    modules = job.source.foreign_modules
    if modules and not job.custom_objects:
        raise ConvertError(f"{job.path}: names Python module(s) outside Keras ({', '.join(modules)}) "
                           "that Keras would import; pass --custom-objects with those classes, or "
                           "--unsafe only if you trust this file")


def run(job: Job, source: Runtime, target: Runtime, staged: Path) -> RouteOutcome:
    """Convert job's Keras 2 model; write a .keras (job.to == "keras") or a SavedModel at `staged`."""
    check(job)
    load = _load_fields(job)
    if job.to == SAVED_MODEL:
        details = _write_saved_model(job, source, target, staged, load)
        return RouteOutcome(SAVED_MODEL, FALLBACK_ROUTE, details=details)
    return _to_keras(job, source, target, staged, load)


# -- .keras


def _to_keras(job: Job, source: Runtime, target: Runtime, staged: Path,
              load: dict[str, Any]) -> RouteOutcome:
    samples = _samples(job)
    try:
        export = source.request("keras_export", samples, timeout=job.timeout, **load)
    except RemoteError as exc:
        hint = ""
        if not job.custom_objects and any(s in str(exc) for s in UNKNOWN_CLASS):
            hint = "; pass --custom-objects MODULE_OR_FILE.py with the model's own classes"
        raise ConvertError(f"{job.path}: TensorFlow {source.tf_version} could not read this Keras "
                           f"model: {_first_line(exc).rstrip('.')}{hint}") from None
    header = export.header
    shapes = {layer["path"]: {"inputs": layer["inputs"], "outputs": layer["outputs"]}
              for layer in header["layers"]}
    known = set(target.request("keras_layers", timeout=job.timeout).header["layers"])
    translation = keras_config.translate(json.loads(header["config"]), shapes, known)

    def fallback(why: str) -> RouteOutcome:
        _remove(staged)
        return _fallback(job, source, target, staged, load, why)

    if not translation.ok:
        more = f" (and {len(translation.blockers) - 1} more)" if len(translation.blockers) > 1 else ""
        return fallback(translation.blockers[0] + more)
    if translation.code_layers and _minor(target.python_version) != header["python"]:
        return fallback(f"the Lambda layers hold Python {header['python']} bytecode, which only a "
                        f"TensorFlow {target.tf_version} on Python {header['python']} can rebuild "
                        f"(the target runs Python {target.python_version})")
    arrays = {w["array"]: export.arrays[w["array"]] for layer in header["layers"]
              for w in layer["weights"]}
    arrays.update({f"in/{name}": value for name, value in samples.items()})
    try:
        built = target.request(
            "keras_build", arrays, timeout=job.timeout, config=json.dumps(translation.config),
            layers=header["layers"], functions=translation.functions, path=str(staged),
            custom_objects=load["custom_objects"], unsafe=job.unsafe,
            code_layers=translation.code_layers, bytecode_python=header["python"])
    except RemoteError as exc:
        return fallback(_build_error(exc, job))
    float16 = "float16" in header["config"]  # a mixed or float16 dtype policy somewhere
    tolerance = SAMPLE_TOLERANCE_FLOAT16 if float16 else SAMPLE_TOLERANCE
    differs = _compare(export.arrays, built.arrays, header["outputs"], tolerance)
    if differs:
        return fallback(f"the rebuilt Keras 3 model computes different outputs ({differs})")
    notes = list(translation.notes)
    if built.header["outputs"] != header["outputs"]:
        notes.append(f"the outputs are named {', '.join(built.header['outputs'])} in Keras 3 "
                     f"({', '.join(header['outputs'])} in the source)")
    if translation.code_layers:
        notes.append(f"Lambda layer(s) {', '.join(translation.code_layers)} hold Python "
                     f"{header['python']} bytecode: load the result with safe_mode=False, under "
                     f"Python {header['python']} only")
    if not samples:
        notes.append("no sample inputs could be made for this model: only `tfshift verify` checks it")
    if float16:
        notes.append("the model computes in float16 (a mixed precision policy): expect differences "
                     "near 1e-3 from the source, beyond verify's default tolerance")
    details = {
        "path": str(staged), "source_keras": header["keras"], "target_keras": built.header["keras"],
        "layers": built.header["layers"], "weights": built.header["weights_placed"],
        "replaced": translation.replaced, "inputs": built.header["inputs"],
        "outputs": built.header["outputs"], "safe_mode": not translation.code_layers,
    }
    return RouteOutcome(KERAS, ROUTE, notes=notes, details=details)


def _fallback(job: Job, source: Runtime, target: Runtime, staged: Path, load: dict[str, Any],
              why: str) -> RouteOutcome:
    folder = staged.with_suffix("") if staged.suffix == ".keras" else staged
    details = _write_saved_model(job, source, target, folder, load)
    return RouteOutcome(SAVED_MODEL, FALLBACK_ROUTE, fallback=why, details=details)


# -- SavedModel


def _write_saved_model(job: Job, source: Runtime, target: Runtime, folder: Path,
                       load: dict[str, Any]) -> dict[str, Any]:
    """The Keras 2 model as a SavedModel written by the target TF, with a serving_default
    signature keyed by the model's input and output names."""
    scratch = Path(tempfile.mkdtemp(prefix=".tfshift-keras2-", dir=folder.parent))
    try:
        first = scratch / "saved_model"
        try:
            written = source.request("keras_write_saved_model", timeout=job.timeout,
                                     out=str(first), **load)
        except RemoteError as exc:
            raise ConvertError(f"{job.path}: TensorFlow {source.tf_version} could not write it as "
                               f"a SavedModel: {_first_line(exc)}") from None
        if source is target:
            first.rename(folder)
        else:
            try:
                target.request("keras_resave_saved_model", timeout=job.timeout, path=str(first),
                               out=str(folder))
            except RemoteError as exc:
                raise ConvertError(f"{job.path}: TensorFlow {target.tf_version} could not re-save "
                                   f"the SavedModel TensorFlow {source.tf_version} wrote: "
                                   f"{_first_line(exc)}") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {"path": str(folder), "signature": "serving_default",
            "inputs": written.header["inputs"], "outputs": written.header["outputs"]}


# -- helpers


def _load_fields(job: Job) -> dict[str, Any]:
    try:
        _, fields = load_request(job.path, unsafe=job.unsafe, custom_objects=job.custom_objects,
                                 standalone_keras=job.standalone_keras)
    except TfshiftError as exc:
        raise ConvertError(str(exc)) from None
    return fields


def _samples(job: Job) -> dict[str, np.ndarray]:
    """One small seeded batch for the model's inputs, or nothing when they cannot be made."""
    from tfshift.models.verify import inputs

    signature = job.source.signature()
    specs: list[TensorSpec] = list(signature.inputs) if signature else []
    if not specs or any(s.shape is None or s.dtype in ("", "string") for s in specs):
        return {}
    try:
        plan = inputs.generate(specs, seed=0, batch=SAMPLE_BATCH, index_ranges=job.source.index_ranges)
    except TfshiftError:
        return {}
    return plan.batches[0]


def _compare(source: dict[str, np.ndarray], built: dict[str, np.ndarray], names: list[str],
             tolerance: float) -> str | None:
    """None when the two sides' sample outputs (in output order) agree; else the first
    disagreement, in words."""
    if sum(k.startswith("out/") for k in source) != sum(k.startswith("out/") for k in built):
        return "the number of outputs changed"
    for i, name in enumerate(names):
        a, b = source.get(f"out/{i}"), built.get(f"out/{i}")
        if a is None or b is None:
            continue
        if a.shape != b.shape:
            return f"output {name!r} has shape {list(b.shape)} instead of {list(a.shape)}"
        if a.dtype.kind in "fc":
            if not np.allclose(a, b, rtol=tolerance, atol=tolerance, equal_nan=True):
                worst = float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))))
                return f"output {name!r}: max |diff| {worst:.3g} on a sample batch"
        elif not np.array_equal(a, b):
            return f"output {name!r} differs on a sample batch"
    return None


def _build_error(exc: Exception, job: Job) -> str:
    """Keras 3's build error in one short line (its "Full object config" dump left out)."""
    text = _first_line(exc).split(" Full object config")[0]
    missing = re.search(r"Could not locate class '([^']+)'", text)
    if missing:
        text = (f"Keras 3 cannot build custom class {missing.group(1)!r}"
                + ("" if job.custom_objects else "; pass --custom-objects MODULE_OR_FILE.py with "
                   "the model's own classes for a .keras"))
    return text


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()
