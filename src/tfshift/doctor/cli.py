"""`tfshift doctor [--python PATH] [--json] [--import-check]`."""

from __future__ import annotations

import argparse

from tfshift.arguments import TIMEOUT

DESCRIPTION = """Diagnose the TensorFlow setup of a Python environment without importing TensorFlow:
Python against the TensorFlow wheels, NumPy/protobuf/h5py/ml-dtypes, Keras and tf-keras,
TensorFlow Text/Probability/Addons/IO, duplicate or leftover installs, glibc and CPU features,
and CUDA/cuDNN/driver. Exit 1 when any finding is an error."""


def register(subparsers, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=help_text, description=DESCRIPTION)
    parser.add_argument("--python", metavar="PATH",
                        help="the interpreter (or environment folder) to diagnose; default: the active "
                             "virtual or conda environment, else the interpreter running tfshift")
    parser.add_argument("--json", action="store_true", help="print one JSON document (schema doctor/1)")
    parser.add_argument("--import-check", action="store_true",
                        help="also import TensorFlow in a child process and classify a failure")
    parser.add_argument("--import-timeout", type=TIMEOUT, default=300, metavar="SECONDS",
                        help="give up on the import check after this long (default: 300)")
    parser.add_argument("--tf", metavar="VERSION",
                        help="preview an upgrade: check the environment as if TensorFlow VERSION (2.16, "
                             "2.16.2) replaced the installed one, from its published metadata")
    parser.add_argument("--gpu", action="store_true",
                        help="diagnose for GPU use: check the CUDA/cuDNN libraries and the driver even "
                             "when nothing in the environment asks for a GPU")
    parser.add_argument("--list-rules", action="store_true", help="list the doctor's rules and exit")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from tfshift.doctor import capture, render, rules
    from tfshift.errors import TfshiftError
    from tfshift.output import emit_json, progress, table

    if args.list_rules:
        docs = [d for d in rules.rule_docs() if d.family == "doctor"]
        if args.json:
            from dataclasses import asdict

            emit_json("rules/1", {"rules": [asdict(d) for d in sorted(docs, key=lambda d: d.id)]})
            return 0
        print(table(["ID", "NAME", "SEVERITY", "SUMMARY"], [(d.id, d.name, d.severity, d.summary)
                                                            for d in sorted(docs, key=lambda d: d.id)]))
        return 0
    python, source = capture.locate_python(args.python)
    snap = capture.take(python, source=source)
    snap.expect_gpu = bool(getattr(args, "gpu", False))
    if args.tf:
        if args.import_check:
            raise TfshiftError("--import-check imports the installed TensorFlow; it cannot go with --tf")
        from tfshift.doctor.preview import assuming_tf

        snap = assuming_tf(snap, args.tf)
    findings = rules.evaluate(snap, debug=bool(getattr(args, "debug", False)))
    import_result = None
    if args.import_check:
        if snap.tf is None:
            import_result = {"skipped": "TensorFlow is not installed"}
        else:
            from tfshift.doctor import importcheck

            progress(f"importing TensorFlow in {python} (up to {args.import_timeout:.0f} s)")
            import_result, more = importcheck.run(snap, timeout=args.import_timeout)
            findings = sorted(findings + more, key=lambda f: f.sort_key)
    if args.json:
        emit_json("doctor/1", render.document(snap, findings, import_result))
    else:
        print(render.text(snap, findings, import_result))
    return 1 if any(f.severity == "error" for f in findings) else 0
