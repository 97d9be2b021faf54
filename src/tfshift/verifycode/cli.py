"""`tfshift verify-code ORIGINAL MIGRATED --tf-a V --tf-b V [-- ARGS...]`: the command line over
tfshift.verifycode. Everything heavy (NumPy, matplotlib) is imported inside the handler."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tfshift.arguments import GLOBAL_SEED, TIMEOUT, TOLERANCE
from tfshift.errors import TfshiftError


def register(subparsers: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name, help=help_text,
        usage="tfshift verify-code ORIGINAL MIGRATED [--tf-a VERSION] [--tf-b VERSION] [options] [-- ARGS...]",
        description="Run ORIGINAL under --tf-a and MIGRATED under --tf-b (same ARGS, each in a "
        "scratch copy of its folder), give B's variables A's initial values (matched by name, "
        "then by creation order and shape), and compare the numbers both programs print and "
        "their final trainable variables, with verify's tolerances. Exit 0 same, 1 different, "
        "2 when a program cannot run, prints no numbers, or a variable has no counterpart.",
        epilog="Example: tfshift verify-code tf1/train.py tf2/train.py --tf-a 1.15 --tf-b 2.21 "
        "--report r.html -- --steps 5")
    parser.add_argument("original", metavar="ORIGINAL", help="the original program (a script, or a folder with __main__.py)")
    parser.add_argument("migrated", metavar="MIGRATED", help="the migrated program")
    side = parser.add_argument_group("TensorFlow of each side (default: the newest)")
    side.add_argument("--tf-a", metavar="VERSION", help="TensorFlow for ORIGINAL, e.g. 1.15")
    side.add_argument("--tf-b", metavar="VERSION", help="TensorFlow for MIGRATED, e.g. 2.21")
    side.add_argument("--keras2-a", action="store_true", help="A's 2.16+ TensorFlow with Keras 2 (tf_keras)")
    side.add_argument("--keras2-b", action="store_true", help="B's 2.16+ TensorFlow with Keras 2 (tf_keras)")
    side.add_argument("--with-a", action="append", default=[], metavar="REQ",
                      help="extra requirement of A's environment, e.g. tf-slim (repeatable)")
    side.add_argument("--with-b", action="append", default=[], metavar="REQ",
                      help="extra requirement of B's environment (repeatable)")
    compare = parser.add_argument_group("comparison")
    compare.add_argument("--rtol", type=TOLERANCE, help="relative tolerance (default 1e-5, as verify)")
    compare.add_argument("--atol", type=TOLERANCE, help="absolute tolerance (default 1e-6, as verify)")
    compare.add_argument("--seed", type=GLOBAL_SEED, default=0,
                         help="seed of Python's random, NumPy and TensorFlow on both sides (default 0)")
    compare.add_argument("--ignore-variable", action="append", default=[], metavar="NAME",
                         help="a variable that is not part of the model (fnmatch pattern, either "
                         "side; repeatable): not matched, not compared")
    compare.add_argument("--timeout", type=TIMEOUT, default=3600.0, metavar="SECONDS",
                         help="per program (default 3600)")
    out = parser.add_argument_group("output")
    out.add_argument("--json", action="store_true", help="print one JSON document (schema verify-code/1)")
    out.add_argument("--report", metavar="FILE.html", type=Path,
                     help="write a self-contained HTML report (match table, differences, plots, output)")
    out.add_argument("--force", action="store_true", help="overwrite an existing --report file")
    parser.set_defaults(handler=_verify_code, program_args=[])
    _args_after_separator(parser)
    return parser


def _args_after_separator(parser: argparse.ArgumentParser) -> None:
    """Everything after `--` is the programs' ARGS, wherever the options stand."""
    parse = parser.parse_known_args

    def parse_known_args(args: Any = None, namespace: Any = None) -> Any:
        args = list(args or [])
        tail: list[str] = []
        if "--" in args:
            cut = args.index("--")
            args, tail = args[:cut], args[cut + 1:]
        found, extra = parse(args, namespace)
        found.program_args = tail
        return found, extra

    parser.parse_known_args = parse_known_args  # type: ignore[method-assign]


def _verify_code(args: argparse.Namespace) -> int:
    import sys

    from tfshift.verifycode import SCHEMA

    try:
        return _run(args)
    except TfshiftError as exc:
        if not args.json:
            raise
        from tfshift.output import emit_json

        found = getattr(exc, "report", None)
        emit_json(SCHEMA, {"ok": False, "same": None, "error": str(exc),
                           **({"weights": found.to_dict()["weights"]} if found is not None else {})})
        sys.stderr.write(f"tfshift: error: {exc}\n")
        return exc.exit_code


def _run(args: argparse.Namespace) -> int:
    from tfshift.models.cli import emit
    from tfshift.verifycode import SCHEMA, VerifyCodeError, verify_code

    if args.report is not None and args.report.exists() and not args.force:
        raise TfshiftError(f"{args.report}: exists; pass --force to overwrite it")
    try:
        report = verify_code(
            args.original, args.migrated, tf_a=args.tf_a, tf_b=args.tf_b, keras2_a=args.keras2_a,
            keras2_b=args.keras2_b, with_a=args.with_a, with_b=args.with_b, rtol=args.rtol,
            atol=args.atol, args=args.program_args, seed=args.seed,
            timeout=args.timeout, ignore_variables=args.ignore_variable)
    except VerifyCodeError as exc:
        if exc.report is not None and args.report is not None:
            exc.report.write_html(args.report)
            raise VerifyCodeError(f"{exc} (match table in {args.report})") from exc
        raise
    if args.report is not None:
        report.write_html(args.report)
    return emit(report, SCHEMA, args.json, args.report)
