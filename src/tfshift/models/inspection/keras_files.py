"""Keras files read as data: HDF5 attributes and weight shapes, the model config as JSON.

No Keras, no deserialisation: the config is walked as plain JSON, so a Lambda's bytecode or a
custom class is named, never run (what would run is found by the runtime's modelguard, the same
check the workers make before loading). HDF5 is read by h5py in a child process (h5_child.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfshift import supervisor
from tfshift.models.formats import ModelFormatError
from tfshift.runtime.signature import TensorSpec
from tfshift.runtime.worker import modelguard

CHILD = Path(__file__).resolve().parent / "h5_child.py"
CHILD_TIMEOUT = 120.0
KERAS2_ONLY = ("TFOpLambda", "SlicingOpLambda")  # tf.keras wrappers of raw TF ops; Keras 3 lacks them
MODEL_CLASSES = ("Functional", "Model", "Sequential")


@dataclass(frozen=True)
class H5Metadata:
    attrs: dict[str, Any]
    datasets: tuple[tuple[str, str, tuple[int, ...] | None], ...]


def read_h5(path: Path, member: str | None = None) -> H5Metadata:
    """Root attributes and dataset shapes of an HDF5 file (or of `member` inside a zip)."""
    args = [sys.executable, "-I", str(CHILD), str(path), *([member] if member else [])]
    where = f"{path}:{member}" if member else str(path)
    try:
        done = supervisor.run(args, capture_output=True, text=True, timeout=CHILD_TIMEOUT,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise ModelFormatError(f"{where}: reading its HDF5 structure took over {CHILD_TIMEOUT:g} s "
                               "(a damaged file?)") from None
    try:
        result = json.loads(done.stdout)
    except ValueError:
        last = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise ModelFormatError(f"{where}: the HDF5 reader failed on this file ({last}): damaged?") from None
    if "error" in result:
        raise ModelFormatError(f"{where}: not a readable HDF5 file ({result['error']})")
    datasets = tuple((n, d, tuple(s) if s is not None else None) for n, d, s in result["datasets"])
    return H5Metadata(result["attrs"], datasets)


def saved_model_code(folder: Path) -> modelguard.Findings:
    """What a Keras 2 SavedModel would run on load, from the parsed JSON of its keras_metadata.pb
    and of the Keras objects in its saved_model.pb (Keras reads the latter when the former is
    missing or empty)."""
    try:
        return modelguard.scan(modelguard.read_saved_model(str(folder)))
    except modelguard.GuardError as exc:
        raise ModelFormatError(f"{folder}: its Keras metadata cannot be checked ({exc})") from None


def parse_config(raw: Any, where: Path) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    if not isinstance(raw, (str, bytes)):
        raise ModelFormatError(f"{where}: its model config is not a JSON string")
    try:
        config = modelguard.parse_json(raw, f"{where}: its model config")
    except modelguard.GuardError as exc:
        raise ModelFormatError(str(exc)) from None
    if not isinstance(config, dict):
        raise ModelFormatError(f"{where}: its model config is not a JSON object")
    return config


@dataclass
class KerasModelInfo:
    """What a Keras model config says: class, inputs, outputs, layers by class."""

    class_name: str | None
    inputs: list[TensorSpec] = field(default_factory=list)
    outputs: list[TensorSpec] = field(default_factory=list)
    layers: Counter[str] = field(default_factory=Counter)
    code: modelguard.Findings = field(default_factory=modelguard.Findings)  # what runs on load
    keras2_only: list[str] = field(default_factory=list)
    index_ranges: dict[str, int] = field(default_factory=dict)  # input -> Embedding input_dim


def describe_config(config: dict[str, Any]) -> KerasModelInfo:
    info = KerasModelInfo(config.get("class_name"))
    body = config.get("config") if isinstance(config.get("config"), dict) else {}
    layers = [layer for layer in body.get("layers") or [] if isinstance(layer, dict)]
    for layer in _all_layers(config):
        cls = str(layer.get("class_name"))
        info.layers[cls] += 1
        name = str(_config(layer).get("name") or layer.get("name") or "?")
        if cls in KERAS2_ONLY:
            info.keras2_only.append(name)
    info.code = modelguard.scan([config])
    by_name = {str(layer.get("name") or _config(layer).get("name")): layer for layer in layers}
    if info.class_name == "Sequential":
        _sequential_io(info, layers)
    else:
        for ref in _refs(body.get("input_layers")):
            layer = by_name.get(_ref_name(ref))
            if layer is not None:
                info.inputs.append(_input_spec(layer))
        for ref in _refs(body.get("output_layers")):
            name = _ref_name(ref)
            info.outputs.append(TensorSpec(name, _dtype(by_name.get(name, {})), None))
        for layer in layers:
            if layer.get("class_name") == "Embedding":
                for source in _inbound_names(layer.get("inbound_nodes")):
                    if source in {s.name for s in info.inputs}:
                        _note_range(info, source, _config(layer).get("input_dim"))
    return info


def _sequential_io(info: KerasModelInfo, layers: list[dict[str, Any]]) -> None:
    if not layers:
        return
    first = layers[0]
    spec = _input_spec(first)
    if first.get("class_name") != "InputLayer" and spec.shape is None:
        return  # a Sequential built without an input shape: nothing to call yet
    info.inputs.append(spec)
    body = [layer for layer in layers if layer.get("class_name") != "InputLayer"]
    if body:
        last = body[-1]
        info.outputs.append(TensorSpec(str(_config(last).get("name") or "output"), _dtype(last), None))
        if body[0].get("class_name") == "Embedding":
            _note_range(info, spec.name, _config(body[0]).get("input_dim"))


def _note_range(info: KerasModelInfo, name: str, size: Any) -> None:
    if isinstance(size, int) and size > 0:
        info.index_ranges[name] = min(size, info.index_ranges.get(name, size))


def _all_layers(config: dict[str, Any]) -> Iterator[dict[str, Any]]:
    body = config.get("config") if isinstance(config.get("config"), dict) else {}
    for layer in body.get("layers") or []:
        if not isinstance(layer, dict):
            continue
        yield layer
        if layer.get("class_name") in MODEL_CLASSES:
            yield from _all_layers(layer)


def _config(layer: dict[str, Any]) -> dict[str, Any]:
    value = layer.get("config")
    return value if isinstance(value, dict) else {}


def _refs(value: Any) -> list[Any]:
    """input_layers/output_layers: a list of [name, node, tensor], or one such triple (Keras 3)."""
    if isinstance(value, list) and value and isinstance(value[0], str):
        return [value]
    return value if isinstance(value, list) else []


def _ref_name(ref: Any) -> str:
    """["x", 0, 0] (Keras 2 and 3) or a keras_history record: the layer's name."""
    if isinstance(ref, list) and ref:
        return str(ref[0]) if not isinstance(ref[0], list) else _ref_name(ref[0])
    if isinstance(ref, dict):
        history = _config(ref).get("keras_history")
        if isinstance(history, list) and history:
            return str(history[0])
    return str(ref)


def _inbound_names(nodes: Any) -> set[str]:
    """Layer names a layer's inbound nodes refer to, in the Keras 2 and Keras 3 layouts."""
    found: set[str] = set()

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            history = item.get("keras_history")
            if isinstance(history, list) and history:
                found.add(str(history[0]))
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            if len(item) >= 3 and isinstance(item[0], str) and isinstance(item[1], int):
                found.add(item[0])  # Keras 2: [name, node index, tensor index, kwargs]
            else:
                for value in item:
                    walk(value)

    walk(nodes)
    return found


def _input_spec(layer: dict[str, Any]) -> TensorSpec:
    config = _config(layer)
    shape = config.get("batch_shape") or config.get("batch_input_shape")
    if shape is None and config.get("input_shape") is not None:
        shape = [None, *config["input_shape"]]
    dims = tuple(d if isinstance(d, int) else None for d in shape) if isinstance(shape, list) else None
    name = str(config.get("name") or layer.get("name") or "input")
    return TensorSpec(name, _dtype(layer), dims)


def _dtype(layer: dict[str, Any]) -> str:
    value = _config(layer).get("dtype")
    if isinstance(value, dict):  # Keras 3 DTypePolicy
        value = _config(value).get("name")
    if not isinstance(value, str):
        return "float32"
    return {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}.get(value, value)
