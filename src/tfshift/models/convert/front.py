"""The front of `tfshift convert`: plan, start the two runtimes, run the route, verify, install.

    from tfshift.models.convert import convert
    result = convert("model.pb", "converted/", target="2.21", verify=True)
    result.ok, result.out, result.notes, result.to_dict()

The source is read by the TensorFlow that can read it (by default the one that wrote it) and
the result written by the target's, each in its own runtime. One route per kind of source
(graph.py, keras_route.py) behind this one function; the result is staged next to OUT and
moved into place only when whole (and verified, with verify=True). See docs/convert.md.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tfshift
from tfshift import arguments
from tfshift.envs import table
from tfshift.models import formats
from tfshift.models.convert import output
from tfshift.models.convert.route import KERAS, SAVED_MODEL, ConvertError, Job, RouteOutcome
from tfshift.models.inspection.describe import Description, describe
from tfshift.output import progress

__all__ = ["ConvertError", "ConvertResult", "convert"]

PathLike = str | os.PathLike[str]
KERAS_FORMATS = (formats.KERAS_H5, formats.KERAS)


@dataclass
class ConvertResult:
    """What `convert` wrote, and what it found on the way."""

    source: str
    source_format: str
    out: str | None  # the installed result (None when --verify failed: nothing installed)
    written: str  # SAVED_MODEL or KERAS
    route: str
    source_tf: str  # exact versions that read and wrote
    target_tf: str
    source_python: str
    target_python: str
    notes: list[str] = field(default_factory=list)
    fallback: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    verified: list[Any] = field(default_factory=list)  # verify Reports, one per signature
    verified_names: list[str | None] = field(default_factory=list)  # their signatures
    provenance: str | None = None
    seconds: float = 0.0
    source_with: list[str] = field(default_factory=list)  # packages beside the source's TF

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.verified)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "source": self.source, "source_format": self.source_format,
            "out": self.out, "written": self.written, "route": self.route,
            "source_tf": self.source_tf, "source_with": self.source_with, "target_tf": self.target_tf,
            "source_python": self.source_python, "target_python": self.target_python,
            "notes": self.notes, "fallback": self.fallback, "details": self.details,
            "verify": [dict(report.to_dict(), signature=name) for name, report
                       in zip(self.verified_names, self.verified, strict=True)] if self.verified else None,
            "provenance": self.provenance, "seconds": round(self.seconds, 3),
        }

    def text(self) -> str:
        kind = "SavedModel" if self.written == SAVED_MODEL else "Keras 3 .keras"
        lines = [f"{self.source} ({self.source_format}) -> {self.out or '(not written)'} ({kind})",
                 f"  read by      TF {self.source_tf}"
                 + (f" with {', '.join(self.source_with)}" if self.source_with else "")
                 + f" (Python {self.source_python})",
                 f"  written by   TF {self.target_tf} (Python {self.target_python})",
                 f"  route        {self.route}"]
        if self.fallback:
            lines.append(f"  fallback     {self.fallback}")
        lines += [f"  note         {note}" for note in self.notes]
        several = len(self.verified) > 1
        for name, report in zip(self.verified_names, self.verified, strict=True):
            label = f"{name}: " if several and name else ""
            lines.append(f"  verify       {label}{report.summary()}")
        if self.provenance:
            lines.append(f"  provenance   {self.provenance}")
        lines.append(f"  took         {self.seconds:.1f} s")
        return "\n".join(lines)


def convert(model: PathLike, out: PathLike, *, to: str | None = None, target: str | None = None,
            source: str | None = None, source_keras2: bool | None = None,
            source_with: Sequence[str] | None = None, inputs: Sequence[str] | None = None, outputs: Sequence[str] | None = None,
            signature: str | None = None, tags: str | Sequence[str] | None = None,
            custom_objects: PathLike | None = None, unsafe: bool = False, freeze: bool = False,
            replace_ops: Mapping[str, str] | None = None, verify: bool = False,
            verify_options: Mapping[str, Any] | None = None, force: bool = False,
            timeout: float | None = None, runtime_source: Any = None,
            runtime_target: Any = None) -> ConvertResult:
    """Convert MODEL into OUT; see docs/models.md and `tfshift convert --help`.

    to: "saved_model" or "keras" (default: keras when OUT ends in .keras). target/source:
    TensorFlow versions that write the result (default: the newest) and read the source
    (default: the one that wrote it). inputs/outputs: graph tensors (frozen graphs and
    checkpoints). signature/tags: SavedModel signature (default: all) and tag set.
    custom_objects: module or .py file with custom Keras classes. unsafe: allow Lambda layers.
    freeze: fold variables into constants. replace_ops: {op type: "module:function"}.
    source_with: packages beside the source's TensorFlow (default: what the file's era needs,
    keras==2.3.1 for a standalone Keras 2.3.1 file read by TF 1.x).
    verify: run `verify` on the result before installing it (verify_options go to verify()).
    runtime_source/runtime_target: Runtimes to use (kept open).
    """
    started = time.monotonic()
    arguments.check_all(timeout=(arguments.TIMEOUT, timeout))
    if verify:
        from tfshift.models.verify.run import check_numbers

        check_numbers(**(verify_options or {}))
    with contextlib.ExitStack() as stack:
        # The target's TensorFlow imports while the host reads the source (an .h5 takes 0.4 s).
        early = None if runtime_target is not None else _early_target(target, stack)
        description = _describe(model)
        out_path = Path(out).expanduser().absolute()
        to = _kind(to, out_path)
        _check_out(out_path, description, force)
        job = _plan(description, out_path, to, target, source, source_keras2, inputs, outputs,
                    signature, tags, custom_objects, unsafe, freeze, replace_ops, timeout)
        if source_with is not None:
            job.source_extras = list(source_with)
        route = _route(job)
        if route == "keras":
            from tfshift.models.convert import keras_route

            keras_route.check(job)  # refusals that need no TensorFlow come before any starts
        src, tgt = _runtimes(job, route, runtime_source, runtime_target, early, stack)
        staging = stack.enter_context(output.staging(out_path))
        staged = staging / out_path.name
        progress(f"converting {job.path.name}: TF {src.tf_version} reads it, TF {tgt.tf_version} writes it")
        outcome = _run(route, job, src, tgt, staged)
        written = Path(outcome.details.pop("path", staged))
        final = out_path if outcome.written == job.to else _fallback_out(out_path, outcome, force)
        result = ConvertResult(
            source=str(job.path), source_format=description.model.description, out=None,
            written=outcome.written, route=outcome.route, source_tf=src.tf_version,
            target_tf=tgt.tf_version, source_python=src.python_version,
            target_python=tgt.python_version, notes=outcome.notes, fallback=outcome.fallback,
            details=outcome.details, source_with=list(src.env.extras))
        if job.source_extras:
            result.notes.insert(0, f"read with {', '.join(job.source_extras)}: "
                                   f"{description.provenance.reason}")
        if verify:
            result.verified_names, result.verified = _verify(job, outcome, written, src, tgt,
                                                             verify_options or {})
        record = _provenance(job, result, description)
        output.write_provenance(written, outcome.written, record)
        if result.ok:
            output.install(written, final, force)
            result.out = str(final)
            result.provenance = str(output.provenance_path(final, outcome.written))
        else:
            result.notes.append("verify found a mismatch: nothing was written to "
                                f"{final} (convert without --verify to keep the result)")
    result.seconds = time.monotonic() - started
    return result


# -- planning


def _describe(model: PathLike) -> Description:
    description = describe(model)
    if description.format == formats.CHECKPOINT and description.model.meta_graph is None:
        raise ConvertError(f"{model}: a TF2 object-based checkpoint holds no graph; only the code "
                           "that built the model can load it (then save a SavedModel)")
    return description


def _kind(to: str | None, out: Path) -> str:
    if to is None:
        return KERAS if out.suffix == ".keras" else SAVED_MODEL
    if to not in (SAVED_MODEL, KERAS):
        raise ConvertError(f"--to {to}: choose saved_model or keras")
    if to == KERAS and out.suffix != ".keras":
        raise ConvertError(f"{out}: a Keras 3 model is a .keras file; name OUT like model.keras")
    if to == SAVED_MODEL and out.suffix in (".keras", ".h5"):
        raise ConvertError(f"{out}: a SavedModel is a folder; name OUT without {out.suffix}")
    return to


def _check_out(out: Path, description: Description, force: bool) -> None:
    model = description.model.path.absolute()
    if out == model or model in out.parents or out in (f.absolute() for f in description.model.files):
        raise ConvertError(f"{out}: that is the model itself (or inside it); choose another OUT")
    output.check_free(out, force)


def _plan(description: Description, out: Path, to: str, target: str | None, source: str | None,
          source_keras2: bool | None, inputs: Sequence[str] | None,
          outputs: Sequence[str] | None, signature: str | None,
          tags: str | Sequence[str] | None, custom_objects: PathLike | None, unsafe: bool,
          freeze: bool, replace_ops: Mapping[str, str] | None, timeout: float | None) -> Job:
    found = description.provenance
    source_tf = source or found.tf
    source_request = table.parse(source_tf)  # an unknown version fails here, before anything starts
    # Standalone Keras files are read by their own keras package, on TF 1.x (the default) or a
    # 1.x --source; a 2.x --source reads them with its tf.keras.
    extras = list(found.extras) if source_request.release.minor.startswith("1.") else []
    target_tf = target or table.minors()[-1]
    request = table.parse(target_tf)
    if request.release.minor.startswith("1."):
        raise ConvertError(f"--target {target_tf}: convert writes TF2 SavedModels and Keras 3 "
                           "models; choose TF 2.0 or newer")
    if to == KERAS and request.release.keras != "keras3":
        raise ConvertError(f"--target {target_tf}: its tf.keras is Keras 2; a Keras 3 .keras needs "
                           "TF 2.16 or newer")
    if inputs and description.format not in formats.GRAPH_FORMATS:
        raise ConvertError(f"--inputs names graph tensors; a {description.model.description}'s "
                           "inputs come from its signature")
    if (signature or tags) and description.format != formats.SAVED_MODEL:
        raise ConvertError(f"{description.model.path}: --signature and --tag choose a SavedModel's "
                           f"signature and meta graph; a {description.model.description} has none")
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    if custom_objects is not None and Path(custom_objects).is_file():
        custom_objects = str(Path(custom_objects).absolute())
    return Job(
        source=description, out=out, to=to, source_tf=source_tf,
        source_keras2=found.keras2 if source_keras2 is None else source_keras2,
        target_tf=target_tf, inputs=list(inputs) if inputs else None,
        outputs=list(outputs) if outputs else None, signature=signature,
        tags=list(tags) if tags else None,
        custom_objects=str(custom_objects) if custom_objects else None, unsafe=unsafe,
        freeze=freeze, replace_ops=_replacements(replace_ops or {}), timeout=timeout,
        source_extras=extras)


def _replacements(spec: Mapping[str, str]) -> dict[str, str]:
    """{op: "module:function"} with .py paths made absolute (the worker has its own cwd)."""
    found = {}
    for op, target in spec.items():
        module, sep, function = str(target).rpartition(":")
        if not sep or not module or not function or not op:
            raise ConvertError(f"--replace-op {op}={target}: write it as OP=module:function or "
                               "OP=path/to/file.py:function")
        if module.endswith(".py"):
            path = Path(module).expanduser()
            if not path.is_file():
                raise ConvertError(f"--replace-op {op}: {module}: no such file")
            module = str(path.absolute())
        found[op] = f"{module}:{function}"
    return found


def _route(job: Job) -> str:
    """"graph", "keras" or "resave", from the source's format and what is asked."""
    fmt = job.format
    if fmt in KERAS_FORMATS or _keras_saved_model(job.source):
        if fmt == formats.KERAS and job.source.provenance.tf == table.minors()[-1] \
                and not job.source_keras2 and job.to == KERAS:
            raise ConvertError(f"{job.path}: already a Keras 3 model; nothing to convert")
        return "keras"
    if job.to == KERAS:
        raise ConvertError(f"{job.path}: a {job.source.model.description} holds a graph, not "
                           "Keras layers; convert it to a SavedModel (OUT without .keras)")
    if job.replace_ops and not (fmt in formats.GRAPH_FORMATS or job.source.model.flavour == "tf1"):
        raise ConvertError("--replace-op works on TF1 graphs (frozen graphs, checkpoints, TF1 "
                           "SavedModels)")
    if fmt == formats.SAVED_MODEL and job.source.model.flavour == "tf2":
        return "resave"
    return "graph"


def _keras_saved_model(description: Description) -> bool:
    model = description.model
    return model.format == formats.SAVED_MODEL and bool(model.details.get("keras"))


# -- running


def _early_target(target: str | None, stack: contextlib.ExitStack) -> Any:
    """A runtime of the target version started now, when its environment already exists."""
    from tfshift.envs import manager
    from tfshift.errors import TfshiftError
    from tfshift.runtime import Runtime

    try:
        request = table.parse(target or table.minors()[-1])
    except TfshiftError:
        return None  # _plan says what is wrong with it
    env = manager.find_existing(request) if not request.minor.startswith("1.") else None
    return stack.enter_context(Runtime(env=env)) if env is not None else None


def _runtimes(job: Job, route: str, given_source: Any, given_target: Any, early: Any,
              stack: contextlib.ExitStack) -> tuple[Any, Any]:
    """The source's and the target's runtimes, started together (one when they are the same)."""
    from tfshift.runtime import Runtime

    python = None
    if route == "keras":
        from tfshift.models.convert import keras_route

        minor = keras_route.target_python(job)
        if minor is not None:
            from tfshift.envs import interpreters

            python = interpreters.find([minor], what=f"TensorFlow {job.target_tf}").path

    if early is not None and (python is not None or not _same(early.tf_version, job.target_tf)):
        early.close()  # started for a different interpreter than the one this model needs
        early = None

    def start_target() -> Any:
        if given_target is not None:
            return given_target
        if early is not None:
            return early
        progress(f"starting TF {job.target_tf} (writes the result)")
        return stack.enter_context(Runtime(job.target_tf, python=python))

    def start_source() -> Any:
        if given_source is not None:
            return given_source
        progress(f"starting TF {job.source_tf} (reads the source)")
        return stack.enter_context(Runtime(job.source_tf, keras2=job.source_keras2,
                                           extras=job.source_extras))

    if route == "resave":
        tgt = start_target()
        return tgt, tgt
    if given_source is None and given_target is None and python is None \
            and _same(job.source_tf, job.target_tf) and not job.source_keras2 \
            and not job.source_extras:
        both = start_target()
        return both, both
    with ThreadPoolExecutor(2) as pool:  # environments may need building: both at once
        futures = [pool.submit(start_source), pool.submit(start_target)]
        return futures[0].result(), futures[1].result()


def _same(a: str, b: str) -> bool:
    first, second = table.parse(a), table.parse(b)
    return (first.exact or first.release.newest) == (second.exact or second.release.newest)


def _run(route: str, job: Job, src: Any, tgt: Any, staged: Path) -> RouteOutcome:
    if route == "graph":
        from tfshift.models.convert import graph

        return graph.run(job, src, tgt, staged)
    if route == "resave":
        from tfshift.models.convert import graph

        return graph.resave(job, tgt, staged)
    from tfshift.models.convert import keras_route

    return keras_route.run(job, src, tgt, staged)


def _fallback_out(out: Path, outcome: RouteOutcome, force: bool) -> Path:
    """A Keras source that became a SavedModel goes to OUT without its .keras suffix."""
    final = out.with_suffix("") if out.suffix == ".keras" else out
    output.check_free(final, force)
    outcome.notes.append(f"wrote a SavedModel at {final} instead of {out.name}")
    return final


# verify's option names as convert spells them (cli.md: one name for one thing in each command;
# convert's --inputs/--outputs name graph tensors, as in tf2onnx; its data file is --verify-inputs).
CONVERT_TERMS = {"--inputs": "--verify-inputs", "--input-names": "--inputs",
                 "--output-names": "--outputs", "--tf-a": "--source", "--tf-b": "--target",
                 "--keras2-a": "--source-keras2", "--with-a": "--source-with"}
_VERIFY_FLAG = re.compile(r"--(?:inputs|input-names|output-names|tf-a|tf-b|keras2-a|with-a)\b(?!-)")


def in_convert_terms(text: str) -> str:
    """A message of verify's, with the options it names spelt as convert takes them."""
    return _VERIFY_FLAG.sub(lambda m: CONVERT_TERMS[m.group(0)], text)


def _verify(job: Job, outcome: RouteOutcome, written: Path, src: Any, tgt: Any,
            options: Mapping[str, Any]) -> tuple[list[str | None], list[Any]]:
    from tfshift.errors import TfshiftError

    try:
        return _verify_each(job, outcome, written, src, tgt, options)
    except TfshiftError as exc:
        exc.args = (in_convert_terms(str(exc)), *exc.args[1:])
        raise


def _verify_each(job: Job, outcome: RouteOutcome, written: Path, src: Any, tgt: Any,
                 options: Mapping[str, Any]) -> tuple[list[str | None], list[Any]]:
    """verify(source, result) for each signature of the result, with the same runtimes."""
    from tfshift.models.verify import verify

    signatures = sorted(outcome.details.get("signatures") or [None])
    if outcome.written == KERAS:
        signatures = [None]
    reports = []
    for name in signatures:
        load_a: dict[str, Any] = {}
        load_b: dict[str, Any] = {}
        if job.format == formats.SAVED_MODEL:
            load_a = {"signature": name, "tags": job.tags}
        elif job.format in formats.GRAPH_FORMATS:
            load_a = {"inputs": job.inputs, "outputs": job.outputs}
        if outcome.written == SAVED_MODEL and name is not None:
            load_b = {"signature": name}
        progress(f"verifying {'signature ' + name if name else 'the result'}")
        report = verify(job.path, written, runtime_a=src, runtime_b=tgt, load_a=load_a,
                        load_b=load_b, unsafe=job.unsafe, custom_objects=job.custom_objects,
                        timeout=job.timeout, **_for_signature(job, name, options))
        report.notes = [in_convert_terms(n) for n in report.notes]
        report.flag_names = CONVERT_TERMS
        reports.append(report)
    return list(signatures), reports


def _for_signature(job: Job, name: str | None, options: Mapping[str, Any]) -> dict[str, Any]:
    """verify's options for one signature: --shape entries naming another signature's inputs
    left out (one --shape list serves every signature; a name no signature has stays, to fail)."""
    shapes = options.get("shapes")
    if not shapes or name is None or len(job.source.signatures) < 2:
        return dict(options)

    def names(sig: Any) -> set[str]:
        return ({s.name for s in sig.inputs} | {s.tensor for s in sig.inputs if s.tensor}
                | {c["name"] for c in sig.composites})

    mine = next((names(sig) for sig in job.source.signatures if sig.name == name), set())
    anywhere = set().union(*(names(sig) for sig in job.source.signatures))
    kept = {k: v for k, v in shapes.items() if k in mine or k not in anywhere}
    return {**options, "shapes": kept}


def _provenance(job: Job, result: ConvertResult, description: Description) -> dict[str, Any]:
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return {
        "schema": "tfshift-provenance/1",
        "tfshift_version": tfshift.__version__,
        "converted_at": now.isoformat(),
        "source": {"path": str(job.path), "format": description.format,
                   "description": description.model.description,
                   "writer": description.provenance.writer,
                   "read_by_tensorflow": result.source_tf, "python": result.source_python},
        "target": {"kind": result.written, "tensorflow": result.target_tf,
                   "python": result.target_python},
        "route": result.route,
        "fallback": result.fallback,
        "options": {"freeze": job.freeze, "unsafe": job.unsafe, "signature": job.signature,
                    "tags": job.tags, "inputs": job.inputs, "outputs": job.outputs,
                    "replace_ops": job.replace_ops,
                    "custom_objects": job.custom_objects},
        "notes": result.notes,
        "verify": [{"ok": r.ok, "summary": r.summary()} for r in result.verified] or None,
    }
