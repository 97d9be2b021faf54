"""One symbol's story across releases: where it exists, how its signature changed, what to use.

`describe()` gathers it as plain data (the `api/1` JSON document); `render()` prints it.
"""

from __future__ import annotations

from typing import Any

from tfshift.api import suggest
from tfshift.api.database import ApiDatabase, Signature, normalize_symbol, ranges
from tfshift.output import hanging


def _span(first: str, last: str) -> str:
    return first if first == last else f"{first}-{last}"


def _groups(releases: list[str], values: list[Any]) -> list[tuple[str, str, Any]]:
    """Runs of consecutive releases with equal values (None values separate runs)."""
    found: list[tuple[str, str, Any]] = []
    previous = None
    for i, (release, value) in enumerate(zip(releases, values, strict=True)):
        if value is None:
            previous = None
            continue
        if found and previous == i - 1 and found[-1][2] == value:
            found[-1] = (found[-1][0], release, value)
        else:
            found.append((release, release, value))
        previous = i
    return found


def changes(old: Signature, new: Signature, notes: dict[str, str]) -> dict[str, Any]:
    """What changed between two signatures of one symbol."""
    renamed = suggest.derive_renames(old, new, notes)
    old_by, new_by = {p.name: p for p in old.params}, {p.name: p for p in new.params}
    added = [n for n in new_by if n not in old_by and n not in renamed.values()]
    removed = [n for n in old_by if n not in new_by and n not in renamed]
    defaults = {n: [old_by[n].default, new_by[n].default] for n in old_by
                if n in new_by and old_by[n].default != new_by[n].default}
    kinds = {n: [old_by[n].kind, new_by[n].kind] for n in old_by
             if n in new_by and old_by[n].kind != new_by[n].kind}
    order = [n for n in old.names if n in new_by] != [n for n in new.names if n in old_by]
    result: dict[str, Any] = {}
    for key, value in (("added", added), ("removed", removed), ("renamed", renamed),
                       ("defaults", defaults), ("kinds", kinds)):
        if value:
            result[key] = value
    if order:
        result["reordered"] = True
    return result


def describe(db: ApiDatabase, symbol: str) -> dict[str, Any]:
    symbol = normalize_symbol(symbol)
    releases = list(db.releases)
    per: list[dict[str, Any]] = []
    notes: dict[str, str] = {}
    for version in releases:
        exists = db.exists(symbol, version)
        signature = db.signature(symbol, version) if exists else None
        deprecated_args = db.deprecated_args(symbol, version) if exists else {}
        for arg, text in deprecated_args.items():
            notes.setdefault(arg, text)
        per.append({
            "release": version,
            "exists": exists,
            "kind": db.kind(symbol, version) if exists else None,
            "canonical": db.canonical(symbol, version) if exists else None,
            "signature": [p._asdict() for p in signature.params] if signature else None,
            "deprecation": db.deprecation(symbol, version) if exists else None,
            "deprecated_args": deprecated_args,
            "absent_reason": None if exists else db.absent_reason(symbol, version),
        })
    signatures = []
    previous: Signature | None = None
    sigs = [db.signature(symbol, r["release"]) if r["exists"] else None for r in per]
    for first, last, signature in _groups(releases, sigs):
        entry: dict[str, Any] = {"from": first, "to": last, "signature": str(signature),
                                 "params": [p._asdict() for p in signature.params]}
        if previous is not None:
            entry["changes"] = changes(previous, signature, notes)
        signatures.append(entry)
        previous = signature
    newest = releases[-1]
    kinds = [r["kind"] for r in per if r["kind"]]
    now: dict[str, Any] = {"release": newest, "exists": per[-1]["exists"]}
    if per[-1]["exists"]:
        now["canonical"] = per[-1]["canonical"]
    else:
        now["replacements"] = db.replacements(symbol, newest)
        now["absent_reason"] = per[-1]["absent_reason"]
    return {
        "symbol": symbol,
        "kind": kinds[-1] if kinds else None,
        "history": [{"from": a, "to": b} for a, b in ranges(db.releases, [r["exists"] for r in per])],
        "releases": per,
        "signatures": signatures,
        "deprecations": [{"from": a, "to": b, "message": m} for a, b, m in
                         _groups(releases, [r["deprecation"] for r in per])],
        "deprecated_args": [{"from": a, "to": b, "args": dict(m)} for a, b, m in
                            _groups(releases, [tuple(sorted(r["deprecated_args"].items())) or None
                                               for r in per])],
        "canonical": [{"from": a, "to": b, "name": m} for a, b, m in
                      _groups(releases, [r["canonical"] for r in per]) if m != symbol],
        "absent": [{"from": a, "to": b, "reason": m} for a, b, m in
                   _groups(releases, [r["absent_reason"] for r in per])],
        "now": now,
    }


def _change_text(change: dict[str, Any]) -> str:
    parts = []
    for old, new in change.get("renamed", {}).items():
        parts.append(f"{old} renamed to {new}")
    if change.get("added"):
        parts.append("added " + ", ".join(change["added"]))
    if change.get("removed"):
        parts.append("removed " + ", ".join(change["removed"]))
    for name, (old, new) in change.get("defaults", {}).items():
        if old is not None and new is None:
            parts.append(f"{name} now required")
        elif old is None:
            parts.append(f"{name} now optional (default {new})")
        else:
            parts.append(f"{name} default {old} -> {new}")
    for name, (_, new) in change.get("kinds", {}).items():
        parts.append(f"{name} now {new.replace('_', '-')}")
    if change.get("reordered"):
        parts.append("parameters reordered")
    return "; ".join(parts)


def render(report: dict[str, Any]) -> str:
    lines = [f"{report['symbol']}  {report['kind'] or ''}".rstrip()]
    spans = [_span(h["from"], h["to"]) for h in report["history"]]
    absent = [_span(a["from"], a["to"]) for a in ranges_absent(report)]
    rows: list[tuple[str, str, str]] = [
        ("exists", ", ".join(spans), f"absent {', '.join(absent)}" if absent else "")]
    for item in report["canonical"]:
        rows.append(("canonical", _span(item["from"], item["to"]), item["name"]))
    for i, item in enumerate(report["signatures"]):
        rows.append(("signature" if i == 0 else "", _span(item["from"], item["to"]), item["signature"]))
        change = _change_text(item.get("changes", {}))
        if change:
            rows.append(("", "", change))
    for i, item in enumerate(report["deprecations"]):
        rows.append(("deprecated" if i == 0 else "", _span(item["from"], item["to"]), item["message"]))
    for i, item in enumerate(report["deprecated_args"]):
        for j, (arg, message) in enumerate(sorted(item["args"].items())):
            rows.append(("deprecated args" if i == 0 and j == 0 else "",
                         _span(item["from"], item["to"]) if j == 0 else "", f"{arg}: {message}"))
    for i, item in enumerate(report["absent"]):
        rows.append(("raises" if i == 0 else "", _span(item["from"], item["to"]), item["reason"]))
    now = report["now"]
    if now["exists"]:
        rows.append((f"in {now['release']}", "", now["canonical"] if now["canonical"] != report["symbol"]
                     else "present"))
    else:
        use = ", ".join(now["replacements"][:5]) or "no replacement found"
        rows.append((f"in {now['release']}", "absent", f"use {use}" if now["replacements"] else use))
    label_width = max(len(r[0]) for r in rows)
    span_width = max(len(r[1]) for r in rows)
    for label, span, value in rows:
        lines.extend(hanging(f"  {label:<{label_width}}  {span:<{span_width}}  ", value))
    return "\n".join(lines)


def ranges_absent(report: dict[str, Any]) -> list[dict[str, str]]:
    releases = tuple(r["release"] for r in report["releases"])
    first_seen = next((i for i, r in enumerate(report["releases"]) if r["exists"]), None)
    if first_seen is None:
        return []
    # Gaps after the first appearance: removals (before it is just "not yet").
    flags = [not r["exists"] and i > first_seen for i, r in enumerate(report["releases"])]
    return [{"from": a, "to": b} for a, b in ranges(releases, flags)]


def only(db: ApiDatabase, report: dict[str, Any], minor: str) -> dict[str, Any]:
    """The report narrowed to one release (`tfshift api SYMBOL --tf 2.15`)."""
    order = list(db.releases)
    at = order.index(minor)

    def inside(item: dict[str, Any]) -> bool:
        return order.index(item["from"]) <= at <= order.index(item["to"])

    release = report["releases"][at]
    narrowed = {key: [dict(item, **{"from": minor, "to": minor}) for item in report[key] if inside(item)]
                for key in ("signatures", "deprecations", "deprecated_args", "canonical", "absent")}
    for item in narrowed["signatures"]:
        item.pop("changes", None)
    now: dict[str, Any] = {"release": minor, "exists": release["exists"]}
    if release["exists"]:
        now["canonical"] = release["canonical"]
    else:
        now["replacements"] = db.replacements(report["symbol"], minor)
        now["absent_reason"] = release["absent_reason"]
    return {**report, **narrowed, "releases": [release], "now": now}
