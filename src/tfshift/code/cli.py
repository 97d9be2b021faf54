"""`tfshift scan` and `tfshift upgrade`."""

from __future__ import annotations

import argparse
import os

from tfshift.arguments import JOBS

SCAN_HELP = ("Report every place where the code would break or change behaviour when moved from "
             "one TensorFlow version to another. Exit 1 when there are findings.")
UPGRADE_HELP = ("Rewrite code for a target TensorFlow version: in place, into --out DIR, as a "
                "--diff, or as a --check. Safe fixes only, unless --unsafe-fixes. Formatting, "
                "comments, encodings, line endings and file modes are kept; files that do not "
                "parse are reported and left untouched.")


def register(subparsers, name: str, help_text: str) -> argparse.ArgumentParser:
    upgrade = name == "upgrade"
    parser = subparsers.add_parser(name, help=help_text,
                                   description=UPGRADE_HELP if upgrade else SCAN_HELP)
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="a .py file, a notebook, or a folder (walked, honouring .gitignore)")
    parser.add_argument("--from", dest="from", metavar="VERSION",
                        help="TensorFlow version the code was written for (default: the oldest "
                             "known, 1.13; fixes that could harm newer code are then unsafe)")
    parser.add_argument("--to", dest="to", metavar="VERSION", help="TensorFlow version to run on (required)")
    parser.add_argument("--keras2", action="store_true",
                        help="the target keeps Keras 2 (tf-keras with TF_USE_LEGACY_KERAS=1): no Keras 3 rules")
    parser.add_argument("--select", action="append", default=[], metavar="IDS",
                        help="only these rules: ids, id prefixes or names, comma-separated")
    parser.add_argument("--ignore", action="append", default=[], metavar="IDS",
                        help="skip these rules (ids, id prefixes or names)")
    parser.add_argument("--jobs", "-j", type=JOBS, default=min(os.cpu_count() or 1, JOBS.high), metavar="N",
                        help="worker processes (default: number of cores)")
    parser.add_argument("--no-cache", dest="no_cache", action="store_true",
                        help="neither read nor write the result cache under TFSHIFT_HOME")
    parser.add_argument("--native", action="store_true",
                        help="idiomatic TensorFlow 2 with Keras 3, no tf.compat.v1 (docs/native.md); "
                             "programs that cannot go native stay on the compat upgrade")
    if upgrade:
        modes = parser.add_mutually_exclusive_group()
        modes.add_argument("--diff", action="store_true", help="print a unified diff; write nothing")
        modes.add_argument("--check", action="store_true",
                           help="write nothing; exit 1 when anything would change")
        parser.add_argument("--out", metavar="DIR",
                            help="write the upgraded tree here (mirroring it) instead of in place")
        parser.add_argument("--force", action="store_true", help="with --out: overwrite existing files")
        parser.add_argument("--unsafe-fixes", dest="unsafe_fixes", action="store_true",
                            help="also apply fixes marked unsafe")
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="report format (default: text)")
    else:
        parser.add_argument("--format", choices=["text", "json", "sarif"], default="text",
                            help="output format (default: text)")
    parser.add_argument("--json", action="store_const", const="json", dest="format",
                        help="same as --format json")
    if not upgrade:
        parser.add_argument("--statistics", action="store_true",
                            help="print the number of findings per rule instead of the findings")
    parser.add_argument("--exit-zero", dest="exit_zero", action="store_true",
                        help="exit 0 even when there are findings or changes (2 still means an error)")
    parser.add_argument("--output-file", "-o", dest="output_file", metavar="FILE",
                        help="write the report to FILE instead of stdout")
    parser.set_defaults(handler=_upgrade if upgrade else _scan)
    return parser


def _ids(values) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    if not values:
        return ()
    from tfshift.code import rules
    from tfshift.errors import TfshiftError

    out = []
    for value in values or ():
        for part in str(value).split(","):
            part = part.strip()
            if not part:
                continue
            if not rules.by_key(part) and not part.upper().startswith("TFX"):
                raise TfshiftError(f"no rule matches {part!r}; list them with `tfshift rules`")
            out.append(part)
    return tuple(out)


def settings_from(args, unsafe: bool = False):
    from tfshift.code.settings import Settings
    from tfshift.envs import table
    from tfshift.errors import TfshiftError

    target = getattr(args, "to", None)
    if not target:
        raise TfshiftError("--to VERSION is required (for example --to 2.21)")
    to = table.parse(str(target)).minor
    given = getattr(args, "from", None)
    source = table.parse(str(given)).minor if given else table.minors()[0]
    if tuple(map(int, source.split("."))) >= tuple(map(int, to.split("."))):
        raise TfshiftError(f"--from {source} is not older than --to {to}; nothing to move between")
    return Settings(source=source, target=to, keras2=bool(args.keras2), unsafe=unsafe,
                    select=_ids(args.select), ignore=_ids(args.ignore), source_known=bool(given))


def active_rules(settings):
    from tfshift.code import rules

    return rules.active(settings.source, settings.target, settings.keras2, settings.select,
                        settings.ignore)


def engine_for(settings):
    """The engine, built only when some file is not answered by the cache (loading every
    rule costs more than a whole cached rescan)."""
    from tfshift.code.engine import Engine

    return Engine(settings, active_rules(settings))


def _prepare(args, upgrade: bool):
    from functools import partial

    from tfshift.code.cache import Cache
    from tfshift.code.discover import discover

    settings = settings_from(args, unsafe=upgrade and bool(args.unsafe_fixes))
    engine = partial(engine_for, settings)
    out = getattr(args, "out", None)
    found = discover(args.paths, others=bool(out), skip=out)
    cache = None
    if not args.no_cache:
        options = {"mode": "upgrade" if upgrade else "scan", **settings.__dict__}
        cache = Cache({k: list(v) if isinstance(v, tuple) else v for k, v in options.items()})
    return settings, engine, found, cache


def _scan(args) -> int:
    from tfshift.code import report, runner

    if getattr(args, "native", False):
        from tfshift.native import cli as native

        return native.scan(args)

    settings, engine, found, cache = _prepare(args, upgrade=False)
    files = [f for f in found if f.source]
    results = runner.run(files, engine, upgrade=False, jobs=args.jobs, cache=cache)
    if cache is not None:
        cache.save()
    with _report_stream(args) as out:
        if args.statistics:
            if args.format == "json":
                report.statistics_json(results, settings, out)
            elif args.format == "sarif":
                from tfshift.errors import TfshiftError

                raise TfshiftError("--statistics prints counts; it cannot go with --format sarif")
            else:
                report.statistics(results, out=out)
        elif args.format == "json":
            report.scan_json(results, settings, out)
        elif args.format == "sarif":
            report.scan_sarif(results, settings, active_rules(settings), out)
        else:
            report.scan_text(results, settings, out)
    if any(r.internal for r in results):
        return 2  # some file could not be fully processed (each said on stderr)
    if args.exit_zero:
        return 0
    return 1 if any(r.findings for r in results) else 0


class _report_stream:
    """stdout, or --output-file written atomically when the report is complete."""

    def __init__(self, args, fallback=None) -> None:
        self.path = getattr(args, "output_file", None)
        self.fallback = fallback

    def __enter__(self):
        import io
        import sys

        self.buffer = io.StringIO() if self.path else None
        return self.buffer or self.fallback or sys.stdout

    def __exit__(self, kind, value, tb) -> None:
        if self.buffer is None or kind is not None:
            return
        from pathlib import Path

        from tfshift.code.source import write_atomic
        from tfshift.errors import TfshiftError

        target = Path(self.path)
        if target.is_dir():
            raise TfshiftError(f"--output-file {self.path}: is a folder; name a file")
        try:
            write_atomic(target, self.buffer.getvalue().encode("utf-8"), 0o644)
        except OSError as exc:
            raise TfshiftError(f"--output-file {self.path}: cannot write ({exc.strerror})") from None


def _upgrade(args) -> int:
    import sys

    from tfshift.code import report, runner, write

    if getattr(args, "native", False):
        from tfshift.native import cli as native

        return native.upgrade(args)
    settings, engine, found, cache = _prepare(args, upgrade=True)
    mode = "diff" if args.diff else "check" if args.check else "out" if args.out else "in-place"
    if args.out and (args.diff or args.check):
        from tfshift.errors import TfshiftError

        raise TfshiftError("--out writes files; it cannot go with --diff or --check")
    files = [f for f in found if f.source]
    results = runner.run(files, engine, upgrade=True, jobs=args.jobs, cache=cache)
    if cache is not None:
        cache.save()
    if mode != "in-place":
        # What is left is reported where it is in the files the user has: the originals.
        for result in results:
            result.findings = [f.at_origin() for f in result.findings]
    written: dict[str, str] = {}
    diffs: dict[str, str] = {}
    if mode == "in-place":
        written = write.in_place(results)
    elif mode == "out":
        written = write.mirror(found, results, args.out, force=args.force)
    elif mode == "diff":
        diffs = write.diffs(results)
        if args.format != "json":
            from tfshift.output import colour_diff

            sys.stdout.write(colour_diff("".join(diffs.values())))
    text_to_stderr = mode == "diff" and args.format != "json"  # the diff owns stdout
    with _report_stream(args, sys.stderr if text_to_stderr else None) as out:
        if args.format == "json":
            report.upgrade_json(results, settings, mode, written, diffs, out)
        else:
            report.upgrade_text(results, settings, mode, written, out=out)
    changed = any(r.output is not None for r in results)
    if any(r.internal for r in results):
        return 2  # some file could not be fully processed (each said on stderr)
    if args.exit_zero:
        return 0
    if mode == "check":
        return 1 if changed or any(f.id.startswith("TFX") for r in results for f in r.findings) else 0
    return 1 if changed or any(r.findings for r in results) else 0
