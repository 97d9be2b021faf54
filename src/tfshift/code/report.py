"""What `scan` and `upgrade` print: text, JSON (scan/1, upgrade/1) and SARIF 2.1.0."""

from __future__ import annotations

import json
import sys
from collections import Counter

import tfshift
from tfshift.code.process import FileResult
from tfshift.code.rule import SAFE, UNSAFE, Finding
from tfshift.output import BOLD, CYAN, RED, YELLOW, color, quiet

_SEVERITY_COLOUR = {"error": RED, "warning": YELLOW, "info": CYAN}


def location(path: str, finding: Finding) -> str:
    cell = f"cell {finding.cell}:" if finding.cell is not None else ""
    return f"{path}:{cell}{finding.line}:{finding.column}"


def pairs(results: list[FileResult]) -> list[tuple[str, Finding]]:
    return [(r.path, f) for r in results for f in r.findings]


# scan ---------------------------------------------------------------------------------------

SUMMARY_AFTER = 20  # findings: longer reports end with a count per rule


def scan_text(results: list[FileResult], settings, out=None) -> None:
    out = out or sys.stdout
    found = pairs(results)
    for path, finding in found:
        where = color(location(path, finding), BOLD, out)
        code = color(finding.id, _SEVERITY_COLOUR.get(finding.severity, YELLOW), out)
        print(f"{where}: {code} {finding.message}", file=out)
    if len(found) > SUMMARY_AFTER and not quiet():
        print(file=out)
        statistics(results, out=out)
    safe = sum(1 for _, f in found if f.applicability == SAFE)
    unsafe = sum(1 for _, f in found if f.applicability == UNSAFE)
    files = len({p for p, _ in found})
    if quiet():
        pass
    elif found:
        extra = f", {unsafe} more with --unsafe-fixes" if unsafe else ""
        print(f"Found {len(found)} finding{'s' * (len(found) != 1)} in {files} file{'s' * (files != 1)} "
              f"of {len(results)} ({safe} fixable with `tfshift upgrade`{extra}).", file=out)
    else:
        print(f"No findings in {len(results)} file{'s' * (len(results) != 1)} "
              f"(TensorFlow {settings.source} -> {settings.target}).", file=out)
    _internal(results)


def statistics(results: list[FileResult], findings=None, out=None) -> None:
    """One line per rule, most frequent first (ruff's --statistics): count, id, fix, name."""
    out = out or sys.stdout
    found = findings if findings is not None else [f for _, f in pairs(results)]
    counts = Counter(f.id for f in found)
    names = {f.id: f.name for f in found}
    fixable = {f.id for f in found if f.applicability == SAFE}
    width = len(str(max(counts.values()))) if counts else 1
    for rule_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        mark = "[*]" if rule_id in fixable else "   "
        print(f"{count:>{width}}  {rule_id:<7} {mark} {names[rule_id]}", file=out)


def statistics_json(results: list[FileResult], settings, out=None) -> None:
    found = [f for _, f in pairs(results)]
    counts = Counter(f.id for f in found)
    names = {f.id: f.name for f in found}
    fixable = {f.id for f in found if f.applicability == SAFE}
    emit_document("scan-statistics/1", {
        "from": settings.source, "to": settings.target, "files": len(results),
        "statistics": [{"id": rule_id, "name": names[rule_id], "count": count,
                        "fixable": rule_id in fixable}
                       for rule_id, count in sorted(counts.items(), key=lambda i: (-i[1], i[0]))],
    }, out)


def emit_document(schema: str, payload: dict, out=None) -> None:
    """Like output.emit_json, with the long lists written one item per line by the C encoder:
    as readable, and many times faster than an indented dump of thousands of findings."""
    document = {"tfshift_version": tfshift.__version__, "schema": schema, **payload}
    lines = ["{"]
    items = list(document.items())
    for index, (key, value) in enumerate(items):
        comma = "," if index + 1 < len(items) else ""
        if isinstance(value, list) and value:
            rows = ",\n".join("    " + json.dumps(item, default=str) for item in value)
            lines.append(f"  {json.dumps(key)}: [\n{rows}\n  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, default=str)}{comma}")
    lines.append("}")
    (out or sys.stdout).write("\n".join(lines) + "\n")


def scan_json(results: list[FileResult], settings, out=None) -> None:
    emit_document("scan/1", {
        "from": settings.source, "to": settings.target, "keras2": settings.keras2,
        "files": len(results),
        "findings": [{"path": path, **finding.as_dict()} for path, finding in pairs(results)],
        "internal_errors": [e for r in results for e in r.internal],
    }, out)


def scan_sarif(results: list[FileResult], settings, rules, out=None) -> None:
    from tfshift.code import sarif

    sarif.write(results, settings, rules, out)


# upgrade ------------------------------------------------------------------------------------

NEEDS_TEXT = {
    "env:keras2": "Keras 2 (tf-keras, with TF_USE_LEGACY_KERAS=1): tfshift env create {to} --keras2",
    "env:tf<=2.15": "TensorFlow 2.15 or older (tf.estimator): tfshift env create 2.15",
}


def needs_text(need: str, target: str) -> str:
    if need.startswith("package:"):
        name = need.partition(":")[2]
        return f"package {name}: pip install {name}"
    return NEEDS_TEXT.get(need, need).format(to=target)


def requirements(results: list[FileResult]) -> dict[str, list[str]]:
    needs = sorted({n for r in results for f in (*r.applied, *r.findings) for n in f.needs})
    return {
        "packages": [n.partition(":")[2] for n in needs if n.startswith("package:")],
        "environments": [n.partition(":")[2] for n in needs if n.startswith("env:")],
    }


def upgrade_text(results: list[FileResult], settings, mode: str, written: dict[str, str],
                 out=sys.stdout) -> None:
    changed = [r for r in results if r.applied or r.output is not None]
    verb = {"check": "would upgrade", "diff": "would upgrade"}.get(mode, "upgraded")
    fixes = sum(len(r.applied) for r in changed)
    print(f"{verb} {len(changed)} of {len(results)} file{'s' * (len(results) != 1)} "
          f"({fixes} fix{'es' * (fixes != 1)}, TensorFlow {settings.source} -> {settings.target})",
          file=out)
    for result in changed:
        counts = Counter(f.id for f in result.applied)
        summary = ", ".join(f"{rule} x{n}" if n > 1 else rule for rule, n in sorted(counts.items()))
        destination = written.get(result.path)
        target = f" -> {destination}" if destination and destination != result.path else ""
        print(f"  {result.path}{target}: {summary}", file=out)
    untouched = [(r.path, f) for r in results for f in r.findings if f.id.startswith("TFX")]
    unsafe = [(r.path, f) for r in results for f in r.findings if f.applicability == UNSAFE]
    person = [(r.path, f) for r in results for f in r.findings
              if f.applicability not in (SAFE, UNSAFE) and not f.id.startswith("TFX")]
    conflicts = [(r.path, f) for r in results for f in r.findings if f.applicability == SAFE]
    for title, items in (("needs a person", person),
                         ("unsafe fixes not applied (rerun with --unsafe-fixes to apply them)", unsafe),
                         ("fixes left for another run", conflicts),
                         ("files left untouched", untouched)):
        if items:
            print(f"{title} ({len(items)}):", file=out)
            for path, finding in items:
                print(f"  {location(path, finding)}: {finding.id} {finding.message}", file=out)
    if len(changed) > SUMMARY_AFTER and not quiet():
        print("fixes by rule:", file=out)
        by_rule = Counter(f.id for r in changed for f in r.applied)
        for rule_id, count in sorted(by_rule.items(), key=lambda item: (-item[1], item[0])):
            print(f"  {count:>6}  {rule_id}", file=out)
        left = [f for r in results for f in r.findings]
        if len(left) > SUMMARY_AFTER:
            print("left by rule:", file=out)
            statistics(results, left, out=_Indented(out))
    needs = requirements(results)
    lines = [needs_text(f"package:{p}", settings.target) for p in needs["packages"]]
    lines += [needs_text(f"env:{e}", settings.target) for e in needs["environments"]]
    if lines:
        print("the upgraded code needs:", file=out)
        for line in lines:
            print(f"  {line}", file=out)
    _internal(results)


class _Indented:
    """A stream that indents every line written to it by two spaces."""

    def __init__(self, out) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.write("".join(f"  {line}" if line.strip() else line
                               for line in text.splitlines(keepends=True)))


def upgrade_json(results: list[FileResult], settings, mode: str, written: dict[str, str],
                 diffs: dict[str, str], out=None) -> None:
    changed = []
    for result in results:
        if result.applied or result.output is not None:
            entry = {"path": result.path, "written_to": written.get(result.path),
                     "fixes": [f.as_dict() for f in result.applied]}
            if result.path in diffs:
                entry["diff"] = diffs[result.path]
            changed.append(entry)
    emit_document("upgrade/1", {
        "from": settings.source, "to": settings.target, "keras2": settings.keras2,
        "mode": mode, "unsafe_fixes": settings.unsafe, "files": len(results),
        "changed": changed,
        "remaining": [{"path": r.path, **f.as_dict()} for r in results for f in r.findings],
        "requirements": requirements(results),
        "internal_errors": [e for r in results for e in r.internal],
    }, out)


def _internal(results: list[FileResult]) -> None:
    errors = [e for r in results for e in r.internal]
    for error in errors[:20]:
        sys.stderr.write(f"tfshift: internal error (please report): {error}\n")
    if len(errors) > 20:
        sys.stderr.write(f"tfshift: ... and {len(errors) - 20} more internal errors\n")
