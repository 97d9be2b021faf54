"""`tfshift inspect` as text: one labelled line per fact, longest lists shortened."""

from __future__ import annotations

from tfshift.models.inspection.describe import Description, SignatureInfo
from tfshift.models.inspection.target import TargetCheck
from tfshift.output import color, hanging

SHOWN_OPS = 30


def size(nbytes: int) -> str:
    value = float(nbytes)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{nbytes} B"


def text(desc: Description, checks: list[TargetCheck]) -> str:
    found = desc.model
    lines = [str(found.path)]

    def row(label: str, value: str) -> None:
        lines.extend(hanging(f"  {label:<12} ", value))

    files = [f for f in found.files if f.is_file()]
    kind = found.description + (f" ({found.flavour.upper()})" if found.format == "saved_model" else "")
    kind += ", text" if found.text else ""
    row("format", f"{kind}; {len(files)} file{'s' if len(files) != 1 else ''}, "
                  f"{size(sum(f.stat().st_size for f in files))}")
    prov = desc.provenance
    row("written by", f"{prov.writer}" if prov.writer else "not recorded")
    row("runs under", f"TF {prov.tf}{' with tf_keras' if prov.keras2 else ''} by default ({prov.reason})")
    if desc.converted:
        made = desc.converted
        source = made.get("source") or {}
        row("converted", f"by tfshift {made.get('tfshift_version')} on "
                         f"{str(made.get('converted_at', '?'))[:10]} from {source.get('path')} "
                         f"({source.get('description')}, read by TF {source.get('read_by_tensorflow')})")
    if desc.tag_sets and (len(desc.tag_sets) > 1 or desc.tag_sets[0] != ["serve"]):
        row("tag sets", "; ".join(",".join(t) or "(none)" for t in desc.tag_sets))
    for sig in desc.signatures or []:
        label = "signature"
        name = "detected from the graph" if sig.detected else sig.name
        ins = _inputs(sig) or "no inputs"
        outs = ", ".join(str(s) for s in sig.outputs) or "no outputs"
        row(label, f"{name}: ({ins}) -> ({outs})")
    if not desc.signatures and desc.graph is not None:
        row("signature", "none: no computing sink ops found; name outputs with --output-names")
    if desc.variables is not None:
        v = desc.variables
        dtypes = ", ".join(f"{d} {n}" for d, n in v.dtypes.most_common())
        value = f"{v.count} ({v.values:,} values, {size(v.nbytes)}" + (f"; {dtypes})" if dtypes else ")")
        if v.optimizer:
            value += f"; and {v.optimizer} optimizer state entries"
        row(v.kind, value)
    if desc.ops:
        total = sum(desc.ops.values())
        listed = sorted(desc.ops.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = ", ".join(f"{op} {n}" for op, n in listed[:SHOWN_OPS])
        more = f", ... ({len(listed) - SHOWN_OPS} more)" if len(listed) > SHOWN_OPS else ""
        unit = "nodes" if desc.op_kind == "ops" else "layers"
        functions = f" in the graph and {desc.functions} functions" if desc.functions else ""
        row(desc.op_kind, f"{len(listed)} types, {total} {unit}{functions}: {shown}{more}")
    if desc.index_ranges:
        row("index ranges", ", ".join(f"{k} in [0, {v})" for k, v in desc.index_ranges.items())
            + " (embedding or one-hot sizes; verify draws from them)")
    for u in desc.uncovered:
        shape = "[" + ", ".join("?" if d is None else str(d) for d in u.shape) + "]" if u.shape is not None else "[...]"
        if u.has_default:
            what = f"keeps its default; {', '.join(u.needed_by)} use{'s' if len(u.needed_by) == 1 else ''} it"
        elif u.needed_by:
            what = color(f"{', '.join(u.needed_by)} need{'s' if len(u.needed_by) == 1 else ''} it: "
                         "TF 2.x's tf.saved_model.load refuses such a signature", "33")
        else:
            what = "unused by the outputs"
        row("unfed input", f"{u.name}: {u.dtype}{shape} is fed by no signature; {what}")
    for check in checks:
        row("target", _target(check))
    for note in desc.notes:
        row("note", note)
    return "\n".join(lines)


def _target(check: TargetCheck) -> str:
    loaded = {None: "load not tried (--load tries it: the model's code runs)",
              True: "loaded it"}.get(check.loaded, f"failed to load it: {check.load_error}")
    if check.ok:
        return f"{check.target}: all {check.kinds} {check.what} it uses are there; {loaded}"
    parts = list(check.problems)
    if check.loaded is not None:
        parts.append(loaded)
    if check.missing:
        listed = ", ".join(f"{op} ({n})" for op, n in check.missing.most_common(20))
        parts.append(f"lacks {listed}")
    for op, attrs in check.unknown_attrs.items():
        parts.append(f"{op} has no attribute {', '.join(sorted(attrs))}")
    return color(f"{check.target}: " + "; ".join(parts), "31")


def problems(desc: Description, checks: list[TargetCheck]) -> bool:
    """Whether inspect found something (exit 1): a target that cannot run the model, or a
    signature output that needs a placeholder nothing feeds."""
    return any(not c.ok for c in checks) or any(u.needed_by and not u.has_default for u in desc.uncovered)


def _inputs(sig: SignatureInfo) -> str:
    """A signature's inputs, a sparse or ragged one shown once with the components it is fed as."""
    groups = {part: group for group in sig.composites for part in group["components"]}
    shown, done = [], set()
    for spec in sig.inputs:
        group = groups.get(spec.name)
        if group is None:
            shown.append(str(spec))
        elif group["name"] not in done:
            done.add(group["name"])
            shape = group.get("shape")
            dims = "[...]" if shape is None else "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"
            shown.append(f"{group['name']}: {group['kind']} {group['dtype']}{dims} as "
                         f"{', '.join(group['components'])}")
    return ", ".join(shown)
