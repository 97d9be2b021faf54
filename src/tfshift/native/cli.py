"""`tfshift upgrade --native` and `tfshift scan --native`.

Plans every file (driver.plan), writes native files through the same writer as the compat
upgrade (atomic, encodings, BOMs, line endings and modes kept), runs the compat upgrade on the
programs that cannot go native, and reports which is which with the reason at each site.
"""

from __future__ import annotations

import json
import sys

from tfshift.code import source
from tfshift.code.process import FileResult
from tfshift.errors import TfshiftError
from tfshift.native import driver

SCHEMA = "native/1"


def _check(args, settings) -> int:
    if settings.keras2:
        raise TfshiftError("--native writes Keras 3 code; it cannot go with --keras2")
    major, minor = map(int, settings.target.split("."))
    if (major, minor) < (2, 16):
        raise TfshiftError(f"--native needs --to 2.16 or later (Keras 3); got --to {settings.target}")
    return int(settings.source.split(".")[0])


def _plan(args, upgrade: bool):
    from tfshift.code.cli import settings_from
    from tfshift.code.discover import discover

    settings = settings_from(args, unsafe=upgrade and bool(getattr(args, "unsafe_fixes", False)))
    source_major = _check(args, settings)
    out = getattr(args, "out", None)
    found = discover(args.paths, others=bool(out), skip=out)
    return settings, found, driver.plan(found, source_major, getattr(args, "jobs", 1))


def _compat(args, settings, plan, upgrade: bool) -> dict[str, FileResult]:
    """The compat upgrade (or scan) of the files whose program cannot go native."""
    from functools import partial

    from tfshift.code import runner
    from tfshift.code.cli import engine_for

    items = [i for i in plan.files if not plan.native(i)]
    if not items:
        return {}
    wanted = {i.path for i in items}
    from tfshift.code.discover import discover

    found = [f for f in discover(args.paths) if f.source and f.path in wanted]
    results = runner.run(found, partial(engine_for, settings), upgrade=upgrade, jobs=args.jobs, cache=None)
    return {r.path: r for r in results}


def _results(plan, compat: dict[str, FileResult]) -> list[FileResult]:
    results = []
    for item in plan.files:
        if item.path in compat:
            results.append(compat[item.path])
            continue
        result = FileResult(item.path)
        converted = item.converted
        if converted is not None and converted.error is None and converted.text != item.decoded.text:
            result.output = source.encode(item.decoded, converted.text)
        results.append(result)
    return results


def _payload(plan, settings, mode: str, written: dict, compat: dict[str, FileResult]) -> dict:
    native, stayed = [], []
    for group in plan.groups.values():
        blockers = plan.blockers(group)
        problems = [i for i in group if i.problem]
        if not blockers:
            for item in group:
                if item.problem:
                    continue
                converted = item.converted
                entry = {"path": item.path, "changed": bool(converted and converted.error is None
                                                            and converted.text != item.decoded.text),
                         "sites": [s.as_dict() for s in (converted.sites if converted else [])]}
                if converted is not None and converted.error:
                    entry["untouched"] = f"does not parse ({converted.error}); left untouched"
                if item.path in written:
                    entry["written_to"] = written[item.path]
                native.append(entry)
        for item in problems:
            stayed.append({"files": [item.path], "reasons": [{"path": item.path, "line": 1, "column": 1,
                                                               "family": "driver", "cannot": item.problem}]})
        if blockers:
            stayed.append({"files": [i.path for i in group if not i.problem],
                           "reasons": [{"path": i.path, **s.as_dict()} for i, s in blockers]})
    return {"from": settings.source, "to": settings.target, "mode": mode,
            "native": native, "compat": stayed,
            "compat_fixes": sum(len(r.applied) for r in compat.values())}


def _text(payload: dict, upgrade: bool, out) -> None:
    changed = [n for n in payload["native"] if n["changed"]]
    verb = {"check": "would make", "diff": "would make", "scan": "can make"}.get(payload["mode"], "made")
    print(f"{verb} {len(changed)} file(s) native TensorFlow 2 (TensorFlow {payload['from']} -> "
          f"{payload['to']}, no compat layer)", file=out)
    for entry in changed:
        target = entry.get("written_to")
        arrow = f" -> {target}" if target and target != entry["path"] else ""
        families = sorted({s["family"] for s in entry["sites"]})
        print(f"  {entry['path']}{arrow}: {len(entry['sites'])} site(s) ({', '.join(families)})", file=out)
    for entry in payload["native"]:
        if entry.get("untouched"):
            print(f"  {entry['path']}: {entry['untouched']}", file=out)
    if payload["compat"]:
        files = sum(len(g["files"]) for g in payload["compat"])
        stays = "stay" if upgrade else "would stay"
        print(f"{files} file(s) in {len(payload['compat'])} program(s) {stays} on the compat upgrade "
              f"(tf.compat.v1{', ' + str(payload['compat_fixes']) + ' compat fixes' if upgrade else ''}):",
              file=out)
        for group in payload["compat"]:
            print(f"  program: {', '.join(group['files'])}", file=out)
            for reason in group["reasons"]:
                print(f"    {reason['path']}:{reason['line']}:{reason['column']}: cannot go native: "
                      f"{reason['cannot']}", file=out)


def upgrade(args) -> int:
    from tfshift.code import write
    from tfshift.code.cli import _report_stream

    settings, found, plan = _plan(args, upgrade=True)
    mode = "diff" if args.diff else "check" if args.check else "out" if args.out else "in-place"
    if args.out and (args.diff or args.check):
        raise TfshiftError("--out writes files; it cannot go with --diff or --check")
    compat = _compat(args, settings, plan, upgrade=True)
    results = _results(plan, compat)
    written: dict[str, str] = {}
    if mode == "in-place":
        written = write.in_place(results)
    elif mode == "out":
        written = write.mirror(found, results, args.out, force=args.force)
    elif mode == "diff":
        diffs = write.diffs(results)
        if args.format != "json":
            sys.stdout.write("".join(diffs.values()))
    payload = _payload(plan, settings, mode, written, compat)
    text_to_stderr = mode == "diff" and args.format != "json"
    with _report_stream(args, sys.stderr if text_to_stderr else None) as out:
        if args.format == "json":
            json.dump({"schema": SCHEMA, **payload}, out, indent=2)
            out.write("\n")
        else:
            _text(payload, True, out)
    if any(r.internal for r in results):
        return 2
    if args.exit_zero:
        return 0
    changed = any(r.output is not None for r in results)
    return 1 if changed or payload["compat"] else 0


def scan(args) -> int:
    from tfshift.code.cli import _report_stream

    settings, found, plan = _plan(args, upgrade=False)
    payload = _payload(plan, settings, "scan", {}, {})
    with _report_stream(args) as out:
        if args.format == "json":
            json.dump({"schema": SCHEMA, **payload}, out, indent=2)
            out.write("\n")
        else:
            _text(payload, False, out)
    if args.exit_zero:
        return 0
    return 1 if payload["compat"] or any(n["changed"] for n in payload["native"]) else 0
