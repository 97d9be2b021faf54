"""`verify(a, b)`: run two models on the same inputs, each in its own TensorFlow, and compare.

    from tfshift.models.verify import verify
    report = verify("model.pb", "model.pb", tf_a="1.15", tf_b="2.21")
    report.ok, report.summary(), report.to_dict(), report.write_html("report.html")

Both models are parsed on the host first (tfshift.models.inspection), so a damaged file fails in
milliseconds, before any TensorFlow starts. Then each side gets its own Runtime (a worker in its
version's environment; or the one you pass), both load and run at the same time.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from tfshift import arguments
from tfshift.envs import table
from tfshift.errors import TfshiftError
from tfshift.models import formats
from tfshift.models.inspection.describe import Description, describe
from tfshift.models.verify import inputs as inputs_mod
from tfshift.models.verify.compare import KEEP, OutputResult, auto_tolerance
from tfshift.models.verify.matching import (
    input_mismatches,
    merged_spec,
    pair_inputs,
    pair_outputs,
    parse_map,
)
from tfshift.models.verify.report import Report, Side
from tfshift.output import progress
from tfshift.runtime import Model, ModelCallError, Runtime

T = TypeVar("T")
PathLike = str | os.PathLike[str]


class VerifyError(TfshiftError):
    """A model could not be run on the inputs (the command exits 2)."""


NUMBERS = {"samples": arguments.SAMPLES, "batch": arguments.BATCH, "seed": arguments.SEED,
           "rtol": arguments.TOLERANCE, "atol": arguments.TOLERANCE,
           "max_mismatch": arguments.SHARE, "timeout": arguments.TIMEOUT}


def check_numbers(**values: Any) -> None:
    """ArgumentValueError (one line) for a numeric option of verify out of range: a NaN or
    infinite tolerance would accept any difference, a share above 1 any mismatch."""
    arguments.check_all(**{k: (NUMBERS[k], v) for k, v in values.items() if k in NUMBERS})


def verify(a: PathLike, b: PathLike, *, tf_a: str | None = None, tf_b: str | None = None,
           keras2_a: bool | None = None, keras2_b: bool | None = None,
           inputs: PathLike | Mapping[str, Any] | None = None, samples: int = 1, batch: int = 8,
           seed: int = 0, int_range: tuple[int, int] | None = None,
           shapes: Mapping[str, Sequence[int]] | None = None,
           input_names: Sequence[str] | None = None, output_names: Sequence[str] | None = None,
           mapping: Mapping[str, str] | Iterable[str] | None = None,
           rtol: float | None = None, atol: float | None = None, max_mismatch: float = 0.0,
           signature: str | None = None, tags: str | Sequence[str] | None = None,
           unsafe: bool = False, custom_objects: PathLike | None = None,
           load_a: Mapping[str, Any] | None = None, load_b: Mapping[str, Any] | None = None,
           runtime_a: Runtime | None = None, runtime_b: Runtime | None = None,
           with_a: Sequence[str] | None = None, with_b: Sequence[str] | None = None,
           timeout: float | None = None) -> Report:
    """Run A and B on the same inputs and compare every output; see docs/models.md.

    tf_a/tf_b: TensorFlow versions ("1.15", "2.21.0"); default: the version that wrote each
    model where its files record it, else the newest. keras2_a/keras2_b: Keras 2 (tf_keras)
    on 2.16+. inputs: an .npz/.npy path or a dict of arrays (one batch); else `samples` batches
    are generated from A's signature with `seed` (`batch` fills unknown dimensions, `shapes`
    gives whole shapes by input name, `int_range` = [low, high) for integer inputs).
    input_names/output_names: graph tensors to feed and fetch (frozen graphs, checkpoints).
    mapping: {A output: B output} or "a:b" strings. rtol/atol: default 1e-5/1e-6 (1e-3 for
    float16, 1e-2 for bfloat16). max_mismatch: share of elements allowed outside tolerance.
    signature/tags/unsafe/custom_objects: as Runtime.load, for both; load_a/load_b: more
    Runtime.load options for one side. runtime_a/runtime_b: runtimes to use (kept open; the
    models loaded in them are closed). timeout: seconds per load and per call.
    """
    check_numbers(samples=samples, batch=batch, seed=seed, rtol=rtol, atol=atol,
                  max_mismatch=max_mismatch, timeout=timeout)
    clock = _Clock()
    pairs_map = parse_map(mapping)
    description_a, description_b = describe(a), describe(b)
    _check_applies(description_a, description_b, signature=signature, tags=tags,
                   input_names=input_names, output_names=output_names)
    given = _given(inputs)
    side_a = _plan("A", description_a, tf_a, keras2_a, runtime_a, with_a)
    side_b = _plan("B", description_b, tf_b, keras2_b, runtime_b, with_b)
    clock.lap("describe")
    options_a = _load_options(description_a, input_names, output_names, signature, tags, unsafe,
                              custom_objects, {**side_a.load_options(), **(load_a or {})}, timeout)
    options_b = _load_options(description_b, input_names, output_names, signature, tags, unsafe,
                              custom_objects, {**side_b.load_options(), **(load_b or {})}, timeout)

    with contextlib.ExitStack() as stack, ThreadPoolExecutor(2, thread_name_prefix="tfshift-verify") as pool:
        rt_a = runtime_a or stack.enter_context(_runtime(side_a))
        rt_b = runtime_b or stack.enter_context(_runtime(side_b))
        progress(f"loading A under TF {rt_a.tf_version} and B under TF {rt_b.tf_version}")
        model_a, model_b = _both(pool, lambda: rt_a.load(a, **options_a), lambda: rt_b.load(b, **options_b))
        stack.callback(model_a.close)
        stack.callback(model_b.close)
        clock.lap("start_and_load")

        clashes = input_mismatches(model_a.signature.inputs, model_b.signature.inputs,
                                   pair_inputs(model_a.signature.inputs, model_b.signature.inputs))
        if clashes:  # the models differ before any input is fed: a finding, not a user error
            clock.lap("total", since_start=True)
            report = Report(side_a.side(rt_a, model_a), side_b.side(rt_b, model_b),
                            inputs_mod.InputPlan([], "generated", seed=seed), [],
                            notes=_notes(side_a, side_b, rt_a, rt_b, a, b), input_problems=clashes)
            report.seconds = clock.laps
            return report
        plan, feeds_b = _inputs(model_a, model_b, given, inputs, description_a, description_b,
                                seed=seed, samples=samples, batch=batch, int_range=int_range,
                                shapes=shapes)
        pairs, unmatched_a, unmatched_b = pair_outputs(model_a.signature.outputs,
                                                       model_b.signature.outputs, pairs_map)
        dtypes = {s.name: s.dtype for s in model_a.signature.outputs}
        compute = _compute_dtype(description_a, description_b)
        results = [OutputResult(x, y, how, max_mismatch=max_mismatch,
                                **auto_tolerance(dtypes.get(x), rtol, atol, compute))
                   for x, y, how in pairs]
        budget = max(1, KEEP // max(1, len(plan.batches)))
        for number, feed in enumerate(plan.batches, start=1):
            progress(f"batch {number} of {len(plan.batches)}")
            out_a, out_b = _both(pool, lambda f=feed: _call("A", model_a, f, timeout),
                                 lambda f=feed: _call("B", model_b, feeds_b(f), timeout))
            for result in results:
                result.add(out_a[result.a], out_b[result.b], budget)
        clock.lap("run")
        notes = _notes(side_a, side_b, rt_a, rt_b, a, b)
        for label, model in (("A", model_a), ("B", model_b)):
            left_out = model.info.get("outputs_left_out")
            if left_out:
                notes.append(f"{label} is a training graph: its outputs are taken to be "
                             f"{', '.join(model.output_names)}; left out {', '.join(left_out)} "
                             "(scalar metrics) and the optimizer's state (--output-names chooses)")
        report = Report(side_a.side(rt_a, model_a), side_b.side(rt_b, model_b), plan, results,
                        unmatched_a, unmatched_b, notes=notes)
    clock.lap("total", since_start=True)
    report.seconds = clock.laps
    return report


def _compute_dtype(*descriptions: Description) -> str | None:
    """The lowest precision either model computes in, where its files say (Keras dtype policies)."""
    found = [d.compute_dtype for d in descriptions if d.compute_dtype]
    order = ["bfloat16", "float16", "float32", "float64"]
    return min(found, key=order.index) if found else None


class _Clock:
    def __init__(self) -> None:
        self.start = self.last = time.monotonic()
        self.laps: dict[str, float] = {}

    def lap(self, name: str, since_start: bool = False) -> None:
        now = time.monotonic()
        self.laps[name] = now - (self.start if since_start else self.last)
        self.last = now


def _both(pool: ThreadPoolExecutor, first: Callable[[], T], second: Callable[[], T]) -> tuple[T, T]:
    """Run two calls at once (each in its own worker process); the first error wins."""
    futures = [pool.submit(first), pool.submit(second)]
    errors = []
    results = []
    for future in futures:
        try:
            results.append(future.result())
        except BaseException as exc:
            errors.append(exc)
    if errors:
        raise errors[0]
    return results[0], results[1]


# -- which TensorFlow runs each side


class _SidePlan:
    def __init__(self, label: str, description: Description, version: str, keras2: bool,
                 reason: str, recorded: bool, extras: Sequence[str] = ()) -> None:
        self.label = label
        self.description = description
        self.version = version
        self.keras2 = keras2
        self.reason = reason
        self.recorded = recorded  # the version comes from the file (or the user), not a guess
        self.extras = list(extras)  # packages beside TensorFlow ("keras==2.3.1")

    def load_options(self) -> dict[str, Any]:
        standalone = any(e.replace(" ", "").startswith("keras==") for e in self.extras)
        keras_file = self.description.format in (formats.KERAS, formats.KERAS_H5)
        return {"standalone_keras": True} if standalone and keras_file else {}

    def side(self, rt: Runtime, model: Model) -> Side:
        found = self.description.model
        return Side(self.label, str(found.path), found.format, found.description, rt.tf_version,
                    rt.python_version, rt.keras, self.reason, str(model.signature),
                    model.info.get("route"), list(rt.env.extras))


def _plan(label: str, description: Description, version: str | None, keras2: bool | None,
          runtime: Runtime | None, extras: Sequence[str] | None = None) -> _SidePlan:
    flag = f"--tf-{label.lower()}"
    found = description.provenance
    if runtime is not None:
        return _SidePlan(label, description, runtime.tf_version, runtime.keras == "keras2",
                         "the runtime given", True, runtime.env.extras)
    if version:
        request = table.parse(version)  # an unknown version fails here, before anything starts
        reason = f"chosen with {flag}"
        era = list(found.extras) if request.release.minor.startswith("1.") else []
        if extras is None and era:
            reason += f", with {', '.join(era)} ({found.reason.split(':')[0]})"
        return _SidePlan(label, description, version, bool(keras2), reason, True,
                         era if extras is None else extras)
    use_keras2 = found.keras2 if keras2 is None else keras2
    recorded = found.writer is not None
    return _SidePlan(label, description, found.tf, use_keras2, found.reason, recorded,
                     found.extras if extras is None else extras)


def _runtime(side: _SidePlan) -> Runtime:
    more = f" with {', '.join(side.extras)}" if side.extras else ""
    progress(f"starting TF {side.version}{more} for {side.label}")
    return Runtime(side.version, keras2=side.keras2, extras=side.extras)


def _notes(side_a: _SidePlan, side_b: _SidePlan, rt_a: Runtime, rt_b: Runtime,
           a: PathLike, b: PathLike) -> list[str]:
    notes = []
    for side, flag in ((side_a, "--tf-a"), (side_b, "--tf-b")):
        if not side.recorded:
            notes.append(f"{side.label} records no TensorFlow version; it ran under the newest "
                         f"({side.version}): pass {flag} to choose")
    same_file = Path(a).resolve() == Path(b).resolve()
    if same_file and (rt_a.tf_version, rt_a.keras) == (rt_b.tf_version, rt_b.keras):
        notes.append("A and B are the same file under the same TensorFlow; pass --tf-a and --tf-b "
                     "to compare two versions")
    return notes


def _check_applies(*descriptions: Description, **options: Any) -> None:
    """An option neither model can take is a mistake to report, not to drop: --signature of two
    frozen graphs, --output-names of two SavedModels."""
    takes = {"signature": {formats.SAVED_MODEL}, "tags": {formats.SAVED_MODEL},
             "input_names": set(formats.GRAPH_FORMATS), "output_names": set(formats.GRAPH_FORMATS)}
    flags = {"signature": "--signature", "tags": "--tag", "input_names": "--input-names",
             "output_names": "--output-names"}
    for name, value in options.items():
        if value and not any(d.format in takes[name] for d in descriptions):
            kinds = " and ".join(sorted({d.model.description for d in descriptions}))
            what = "SavedModels" if name in ("signature", "tags") else "graphs (frozen GraphDef, checkpoint)"
            raise VerifyError(f"{flags[name]} applies to {what} only; A and B: {kinds}")


def _load_options(description: Description, input_names: Sequence[str] | None,
                  output_names: Sequence[str] | None, signature: str | None,
                  tags: str | Sequence[str] | None, unsafe: bool, custom_objects: PathLike | None,
                  extra: Mapping[str, Any] | None, timeout: float | None) -> dict[str, Any]:
    options: dict[str, Any] = {"unsafe": unsafe, "timeout": timeout}
    if description.format in formats.GRAPH_FORMATS:
        options.update(inputs=list(input_names or ()) or None, outputs=list(output_names or ()) or None)
    if description.format == formats.SAVED_MODEL:
        options.update(signature=signature, tags=tags)
    if description.format in (formats.KERAS, formats.KERAS_H5) and custom_objects is not None:
        options["custom_objects"] = custom_objects
    options.update(extra or {})
    return options


# -- inputs


def _given(inputs: PathLike | Mapping[str, Any] | None) -> Mapping[str, np.ndarray] | None:
    if inputs is None:
        return None
    if isinstance(inputs, Mapping):
        return {k: np.asarray(v) for k, v in inputs.items()}
    return inputs_mod.read_file(inputs)


def _inputs(model_a: Model, model_b: Model, given: Mapping[str, np.ndarray] | None,
            source: Any, description_a: Description, description_b: Description, *, seed: int,
            samples: int, batch: int, int_range: tuple[int, int] | None,
            shapes: Mapping[str, Sequence[int]] | None
            ) -> tuple[inputs_mod.InputPlan, Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]]]:
    specs_a, specs_b = model_a.signature.inputs, model_b.signature.inputs
    names = pair_inputs(specs_a, specs_b)
    by_name_b = {s.name: s for s in specs_b}
    specs = [merged_spec(s, by_name_b[names[s.name]]) for s in specs_a]
    if given is not None:
        path = None if isinstance(source, Mapping) else str(source)
        plan = inputs_mod.from_arrays(specs, given, path)
    else:
        ranges = _index_ranges(specs, description_a, description_b, {names[s.name]: s.name for s in specs})
        plan = inputs_mod.generate(specs, seed=seed, samples=samples, batch=batch,
                                   int_range=int_range, index_ranges=ranges, shapes=shapes,
                                   composites=_composites(model_a, model_b))

    def for_b(feed: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {names[k]: v for k, v in feed.items()}

    return plan, for_b


def _composites(model_a: Model, model_b: Model) -> list[dict[str, Any]]:
    """The sparse and ragged inputs, as A's runtime describes them (else B's: a TF1 graph
    read without its SignatureDef knows only plain tensors)."""
    return list(model_a.info.get("composites") or model_b.info.get("composites") or ())


def _index_ranges(specs: Sequence[Any], description_a: Description, description_b: Description,
                  b_to_a: Mapping[str, str]) -> dict[str, int]:
    """Rows each integer input indexes, as either model's files show (the smaller wins)."""
    found: dict[str, int] = {}
    for name, rows in description_a.index_ranges.items():
        found[name] = rows
    for name, rows in description_b.index_ranges.items():
        key = b_to_a.get(name, name)
        found[key] = min(rows, found.get(key, rows))
    ints = [s.name for s in specs if s.dtype.startswith(("int", "uint"))]
    unknown = [n for n in found if n not in ints]
    if len(ints) == 1 and ints[0] not in found and len(unknown) == 1:
        found[ints[0]] = found.pop(unknown[0])  # a Sequential's input has no name of its own
    return found


def _call(label: str, model: Model, feed: Mapping[str, np.ndarray], timeout: float | None
          ) -> dict[str, np.ndarray]:
    try:
        return model.call(feed, timeout=timeout)
    except ModelCallError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise VerifyError(f"{label} ({model.path}) failed under TF {model.runtime.tf_version} on "
                          f"the inputs: {first}") from exc
