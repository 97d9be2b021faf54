"""Can a target TensorFlow run this model? Its op registry (or Keras layer table) against the model.

The lists come from the target version itself, asked once through a runtime worker (operations
`op_registry` and `keras_layers`) and cached under TFSHIFT_HOME/cache/target/ by exact release,
so the next inspect answers without starting TensorFlow.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfshift import config
from tfshift.models import formats
from tfshift.models.inspection.describe import Description

CACHE_VERSION = 1


@dataclass(frozen=True)
class Registry:
    """What one TensorFlow release can run: op types with their attributes, Keras layer classes."""

    tensorflow: str
    keras: str  # "keras2" or "keras3": what tf.keras is there
    graph_def_version: int
    ops: dict[str, frozenset[str]]
    layers: frozenset[str]


@dataclass
class TargetCheck:
    target: str  # "TF 2.21.0 (Keras 3)"
    missing: Counter[str] = field(default_factory=Counter)  # op type or layer class -> uses
    unknown_attrs: dict[str, Counter[str]] = field(default_factory=dict)  # op -> attribute -> uses
    problems: list[str] = field(default_factory=list)  # format-level: cannot read at all
    kinds: int = 0  # op types (or layer classes) the model uses, all checked
    what: str = "op types"
    loaded: bool | None = None  # None: no load tried; else whether the target loaded it
    load_error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.missing and not self.unknown_attrs and not self.problems \
            and self.loaded is not False

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "ok": self.ok, "missing": dict(self.missing.most_common()),
                "unknown_attrs": {op: dict(c) for op, c in self.unknown_attrs.items()},
                "problems": self.problems,
                "load": {"tried": self.loaded is not None, "ok": self.loaded,
                         "error": self.load_error}}


def registry(version: str, *, keras2: bool = False, runtime: Any = None) -> Registry:
    """The registry of `version` (built into its managed environment if missing), cached.

    runtime: a Runtime of that version to ask, instead of starting one, when not cached.
    """
    from tfshift.envs import manager

    env = runtime.env if runtime is not None else manager.ensure(version, keras2=keras2)
    path = config.home() / "cache" / "target" / f"{env.name}.json"
    data = _read_cache(path)
    if data is None:
        data = _ask(env, runtime)
        _write_atomic(path, data)
    return Registry(data["tensorflow"], data["keras_flavour"], data["graph_def_version"],
                    {op: frozenset(attrs) for op, attrs in data["ops"].items()},
                    frozenset(data["layers"]))


def _read_cache(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("cache_version") == CACHE_VERSION else None


def _ask(env: Any, runtime: Any = None) -> dict[str, Any]:
    import contextlib

    from tfshift.output import progress
    from tfshift.runtime import Runtime

    progress(f"reading the op registry of TF {env.tf_version} (once; then cached)")
    with contextlib.ExitStack() as stack:
        rt = runtime if runtime is not None else stack.enter_context(Runtime(env=env))
        ops = rt.request("op_registry").header
        layers = rt.request("keras_layers").header
    return {"cache_version": CACHE_VERSION, "tensorflow": ops["tensorflow"],
            "graph_def_version": ops["graph_def_version"], "ops": ops["ops"],
            "keras": layers.get("keras"), "keras_flavour": env.keras, "layers": layers["layers"]}


def _write_atomic(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check(description: Description, target: Registry) -> TargetCheck:
    flavour = "Keras 3" if target.keras == "keras3" else "Keras 2"
    result = TargetCheck(f"TF {target.tensorflow} ({flavour})", kinds=len(description.ops),
                         what="layer classes" if description.op_kind == "layers" else "op types")
    if description.op_kind == "layers":
        _check_layers(description, target, result)
    elif description.graph is not None:
        _check_ops(description, target, result)
    model = description.model
    if (target.keras == "keras3" and model.format == formats.SAVED_MODEL
            and model.details.get("keras") and model.flavour == "tf2"
            and description.variables is not None and description.variables.optimizer):
        result.problems.append("tf.saved_model.load fails here: the Keras 2 optimizer's slots it "
                               "keeps need Keras 2 ('_UserObject' object has no attribute "
                               "'add_slot'); tfshift convert writes one that loads")
    return result


def try_load(check: TargetCheck, path: str, version: str, keras2: bool) -> TargetCheck:
    """Load the model in the target (its code runs: only with inspect --load); record the outcome."""
    from tfshift.errors import TfshiftError
    from tfshift.runtime import Runtime

    try:
        with Runtime(version, keras2=keras2) as rt:
            rt.load(path).close()
        check.loaded = True
    except TfshiftError as exc:
        check.loaded = False
        lines = [line for line in str(exc).splitlines() if line.strip()]
        check.load_error = (lines[0] if lines else type(exc).__name__).split(": ", 1)[-1][:300]
    return check


def _check_ops(description: Description, target: Registry, result: TargetCheck) -> None:
    graph = description.graph
    assert graph is not None
    functions = {f.name for f in graph.functions}
    unknown: dict[str, Counter[str]] = defaultdict(Counter)
    nodes = list(graph.nodes) + [n for f in graph.functions for n in f.nodes]
    for node in nodes:
        if node.op in functions:
            continue
        attrs = target.ops.get(node.op)
        if attrs is None:
            result.missing[node.op] += 1
            continue
        for key in node.attrs:
            if not key.startswith("_") and key not in attrs:
                unknown[node.op][key] += 1
    result.unknown_attrs = dict(unknown)
    producer = graph.producer
    if producer and producer > target.graph_def_version and (result.missing or result.unknown_attrs):
        result.problems.append(f"written by a newer TensorFlow (GraphDef version {producer}; "
                               f"TF {target.tensorflow} writes {target.graph_def_version})")


def _check_layers(description: Description, target: Registry, result: TargetCheck) -> None:
    if description.format == formats.KERAS and target.keras == "keras2" and not _reads_keras_zip(target):
        result.problems.append(f"the .keras format needs Keras 2.13+ (TF 2.13+); TF "
                               f"{target.tensorflow} cannot read it: convert to .h5 or a SavedModel")
    for cls, count in description.ops.items():
        if cls not in target.layers:
            result.missing[cls] += count
    if description.model_class and description.model_class not in target.layers:
        result.missing[description.model_class] += 1


def _reads_keras_zip(target: Registry) -> bool:
    major, minor = (int(p) for p in target.tensorflow.split(".")[:2])
    return (major, minor) >= (2, 13)
