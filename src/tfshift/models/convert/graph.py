"""The graph route: a frozen GraphDef, a TF1 checkpoint or a TF1 SavedModel becomes a TF2
SavedModel with the same signatures (`serving_default` for graphs).

The source's TensorFlow opens it in a Session, the way TF1 did, and exports the part of the
graph the signatures need, its variables' values and its tables (worker op `graph_export`).
The target's TensorFlow checks it knows every op, imports the graph into a wrap_function with
the variables as real tf.Variables, and saves (worker op `graph_write`), then loads the result
again. TF2 SavedModels take the short way: loaded and saved again by the target (`resave`).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from tfshift.models.convert.route import SAVED_MODEL, ConvertError, Job, RouteOutcome
from tfshift.runtime import RemoteError, Runtime
from tfshift.runtime.runtime import load_request


def run(job: Job, source: Runtime, target: Runtime, staged: Path) -> RouteOutcome:
    _, request = load_request(job.path, inputs=job.inputs, outputs=job.outputs,
                              signature=job.signature, tags=job.tags)
    try:
        exported = source.request("graph_export", timeout=job.timeout, **request,
                                  freeze=job.freeze, replace_ops=sorted(job.replace_ops))
    except RemoteError as exc:
        raise ConvertError(f"{job.path}: {_first_line(exc)} (read by TF {source.tf_version})") from None
    header = exported.header
    check_target_ops(header["ops"], header["replaced"], job, target)
    fields = {key: header[key] for key in ("signatures", "variables", "tables", "replaced")}
    try:
        written = target.request("graph_write", exported.arrays, timeout=job.timeout, **fields,
                                 out=str(staged), replace_ops=job.replace_ops)
    except RemoteError as exc:
        if "UnliftableError" in str(exc) or "Unable to lift" in str(exc):
            import re

            tensor = re.search(r"tf\.Tensor '([^']+)'", str(exc))
            what = f"variable {tensor.group(1).split(':')[0]!r}" if tensor else "a variable"
            raise ConvertError(
                f"{job.path}: a signature uses {what} as a reference that it also assigns to (a "
                "stateful counter), which no TF2 signature can hold; convert other signatures "
                "with --signature NAME") from None
        raise ConvertError(f"{job.path}: TensorFlow {target.tf_version} could not write the "
                           f"converted graph: {_first_line(exc)}") from None
    return RouteOutcome(SAVED_MODEL, "graph", notes=_notes(header, written.header, job),
                        details=_details(header, written.header))


def resave(job: Job, target: Runtime, staged: Path) -> RouteOutcome:
    """A TF2 SavedModel: loaded by the target TensorFlow and saved again with its signatures."""
    _, request = load_request(job.path, signature=job.signature, tags=job.tags)
    try:
        written = target.request("saved_model_resave", timeout=job.timeout, **request, out=str(staged))
    except RemoteError as exc:
        raise ConvertError(f"{job.path}: TensorFlow {target.tf_version} could not load and save "
                           f"this SavedModel: {_first_line(exc)}") from None
    header = written.header
    notes = [f"loaded and saved again by TF {target.tf_version}: {header['variables']} "
             "variable(s) kept, signatures " + ", ".join(sorted(header["check"]["signatures"]))]
    return RouteOutcome(SAVED_MODEL, "resave", notes=notes,
                        details={"signatures": header["check"]["signatures"],
                                 "variables": {"kept": header["variables"], "folded": 0}})


def check_target_ops(ops: dict[str, list[str]], replaced: list[dict[str, Any]], job: Job,
                     target: Runtime) -> None:
    """Stop before writing when the target lacks an op (or an op attribute) the graph uses."""
    from tfshift.models.inspection.target import registry

    known = registry(target.tf_version, keras2=target.keras == "keras2", runtime=target)
    replaced_ops = {r["op"] for r in replaced}
    missing = sorted(op for op in ops if op not in known.ops and op not in replaced_ops)
    unknown = Counter()
    for op, attrs in ops.items():
        if op in known.ops and op not in replaced_ops:
            unknown.update(f"{op}.{a}" for a in attrs if a not in known.ops[op])
    if missing:
        raise ConvertError(
            f"{job.path}: TF {target.tf_version} lacks op(s) {', '.join(missing)} that the model "
            f"uses; give TF2 implementations with --replace-op {missing[0]}=module:function, or "
            f"choose another --target")
    if unknown:
        raise ConvertError(
            f"{job.path}: TF {target.tf_version} does not know the attribute(s) "
            f"{', '.join(sorted(unknown))} (written by a newer TensorFlow); choose a newer --target")
    unused = sorted(set(job.replace_ops) - replaced_ops)
    if unused:
        raise ConvertError(f"--replace-op {unused[0]}: the converted graph has no {unused[0]} "
                           "node (op types are case-sensitive, e.g. MatMul)")


def _notes(header: dict[str, Any], written: dict[str, Any], job: Job) -> list[str]:
    notes = []
    kept = header["variables"]
    folded = header["folded"]
    if kept:
        trainable = sum(1 for v in kept if v["trainable"])
        restored = sum(1 for v in kept if v.get("checkpoint"))
        source = "the source's values" if not restored else (
            f"the source's checkpoint{'' if restored == len(kept) else ' and values'} (weights "
            "over 1 GiB: the graph was never frozen)")
        notes.append(f"kept {len(kept)} variable(s) as tf.Variables ({trainable} trainable), "
                     f"restored from {source}")
    if folded:
        why = "--freeze" if job.freeze else "their dtype cannot be a tf.Variable"
        notes.append(f"froze {len(folded)} variable(s) into constants ({why}): {_some(folded)}")
    if job.format == "frozen_graph":
        notes.append("a frozen graph holds constants only: nothing to keep as variables")
    for table in header["tables"]:
        if table["kind"] == "text_file":
            notes.append(f"table {table['node']}: rebuilt from its vocabulary file "
                         f"{Path(table['path']).name}, now an asset of the SavedModel")
        elif table.get("mutable"):
            notes.append(f"table {table['node']} ({table['op']}): its {table['size']} current "
                         "entries became a static table (lookups work, inserts do not)")
        else:
            notes.append(f"table {table['node']}: rebuilt from its {table['size']} entries")
    by_op = Counter(r["op"] for r in header["replaced"])
    for op, count in sorted(by_op.items()):
        notes.append(f"replaced {count} {op} node(s) with {job.replace_ops[op]}")
    saved = written["check"]["signatures"]
    for signature in header["signatures"]:
        if signature.get("left_out"):
            notes.append(f"a training graph: outputs taken to be "
                         f"{', '.join(t['name'] for t in signature['outputs'])}; left out "
                         f"{', '.join(signature['left_out'])} (scalar metrics) and the optimizer's "
                         "state (name others with --outputs)")
        keys = saved[signature["name"]]
        notes.append(f"signature {signature['name']}: ({', '.join(keys['inputs'])}) -> "
                     f"({', '.join(keys['outputs'])})")
        renamed = [t["name"] for t in signature["inputs"] if t["name"] not in keys["inputs"]]
        if renamed:
            notes.append(f"signature {signature['name']}: TensorFlow renamed input(s) "
                         f"{', '.join(renamed)} (a signature key holds letters, digits and _ only)")
    return notes


def _details(header: dict[str, Any], written: dict[str, Any]) -> dict[str, Any]:
    return {
        "signatures": {s["name"]: {"inputs": s["inputs"], "outputs": s["outputs"]}
                       for s in header["signatures"]},
        "variables": {"kept": len(header["variables"]), "folded": len(header["folded"]),
                      "trainable": sum(1 for v in header["variables"] if v["trainable"])},
        "tables": [{k: t[k] for k in ("node", "op", "kind") if k in t} for t in header["tables"]],
        "replaced": [{"node": r["node"], "op": r["op"]} for r in header["replaced"]],
        "nodes": header["nodes"],
        "source_tensorflow": header["tensorflow"],
        "check": written.get("check"),
    }


def _some(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
