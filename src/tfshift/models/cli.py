"""`tfshift inspect MODEL` and `tfshift verify A B`: the command lines over tfshift.models.

Everything heavy (NumPy, the runtime, matplotlib) is imported inside the handlers.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from tfshift.arguments import BATCH, DIMENSION, INT64, SAMPLES, SEED, SHARE, TIMEOUT, TOLERANCE
from tfshift.errors import TfshiftError


def register(subparsers: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    if name == "inspect":
        return _register_inspect(subparsers, name, help_text)
    if name == "verify":
        return _register_verify(subparsers, name, help_text)
    raise ValueError(f"tfshift.models.cli registers inspect and verify, not {name!r}")


# -- inspect


def _register_inspect(subparsers: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name, help=help_text,
        description="Describe a model without running it: format (detected from the bytes), the "
        "TensorFlow/Keras version that wrote it, signatures, variables, op types, placeholders "
        "no signature feeds, and with --target the ops a TensorFlow version lacks. Exit 1 when a "
        "target lacks something or a signature output needs an unfed placeholder.")
    parser.add_argument("model", metavar="MODEL", help="a .pb, checkpoint prefix, SavedModel folder, .h5 or .keras")
    parser.add_argument("--target", action="append", metavar="VERSION", default=[],
                        help="TensorFlow version(s) to check against, e.g. 2.21 or 1.15,2.21 (repeatable)")
    parser.add_argument("--keras2", action="store_true",
                        help="targets 2.16+ with Keras 2 (tf_keras) as tf.keras")
    parser.add_argument("--load", action="store_true",
                        help="also load the model in each --target (its code runs there) and say "
                        "whether it loaded")
    parser.add_argument("--json", action="store_true", help="print one JSON document (schema inspect/1)")
    parser.set_defaults(handler=_inspect)
    return parser


def _inspect(args: argparse.Namespace) -> int:
    from tfshift.envs import table
    from tfshift.models.inspection import render, target
    from tfshift.models.inspection.describe import describe

    versions = [v for item in args.target or [] for v in table.parse_list(str(item))]
    desc = _one_line(describe, args.model)
    checks = [_one_line(lambda v=v: target.check(desc, target.registry(str(v), keras2=args.keras2)))
              for v in versions]
    if args.load:
        if not versions:
            raise TfshiftError("--load tries the model in each --target: name one, e.g. --target 2.21")
        for version, check in zip(versions, checks, strict=True):
            target.try_load(check, args.model, str(version), args.keras2)
    if args.json:
        from tfshift.output import emit_json

        emit_json("inspect/1", {**desc.to_dict(), "targets": [c.to_dict() for c in checks],
                                "ok": not render.problems(desc, checks)})
    else:
        print(render.text(desc, checks))
    return 1 if render.problems(desc, checks) else 0


# -- verify


def _register_verify(subparsers: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name, help=help_text,
        description="Run A and B on the same inputs, each under its own TensorFlow, and compare "
        "every output: dtype, shape, max absolute and relative error, share of elements outside "
        "tolerance, NaN/Inf agreement. Exit 0 when every output agrees, 1 on a mismatch, 2 when "
        "a model or the inputs cannot be used.",
        epilog="Example: tfshift verify model.pb model.pb --tf-a 1.15 --tf-b 2.21 --report r.html")
    parser.add_argument("a", metavar="A", help="the reference model (any format inspect reads)")
    parser.add_argument("b", metavar="B", help="the model to check against A")
    side = parser.add_argument_group("TensorFlow versions (default: the one that wrote each model, else the newest)")
    side.add_argument("--tf-a", metavar="VERSION", help="TensorFlow for A, e.g. 1.15")
    side.add_argument("--tf-b", metavar="VERSION", help="TensorFlow for B, e.g. 2.21")
    side.add_argument("--keras2-a", action="store_true", default=None, help="A's 2.16+ TensorFlow with Keras 2 (tf_keras)")
    side.add_argument("--keras2-b", action="store_true", default=None, help="B's 2.16+ TensorFlow with Keras 2 (tf_keras)")
    side.add_argument("--with-a", action="append", metavar="REQ",
                      help="a package beside A's TensorFlow, e.g. keras==2.3.1 (repeatable; default: "
                      "what the file's era needs)")
    side.add_argument("--with-b", action="append", metavar="REQ", help="a package beside B's TensorFlow")
    data = parser.add_argument_group("inputs")
    data.add_argument("--inputs", metavar="FILE.npz", help="arrays named after the inputs (else generated)")
    data.add_argument("--samples", type=SAMPLES, default=1, metavar="N", help="generated batches (default 1)")
    data.add_argument("--batch", type=BATCH, default=8, metavar="N", help="unknown dimensions of generated inputs (default 8)")
    data.add_argument("--seed", type=SEED, default=0, help="seed of the generated inputs (default 0)")
    data.add_argument("--int-range", metavar="LOW,HIGH", type=_int_range,
                      help="integers in [LOW, HIGH) (default: embedding/one-hot size when the model shows it, else 0,10)")
    data.add_argument("--shape", action="append", default=[], metavar="NAME=D1,D2,...",
                      help="the whole shape of a generated input (repeatable)")
    data.add_argument("--input-names", metavar="NAMES", type=_names,
                      help="graph tensors to feed (frozen graphs, checkpoints), comma-separated")
    data.add_argument("--output-names", metavar="NAMES", type=_names,
                      help="graph tensors to fetch (frozen graphs, checkpoints), comma-separated")
    compare = parser.add_argument_group("comparison")
    compare.add_argument("--map", action="append", default=[], metavar="A_OUT:B_OUT",
                         help="pair an output of A with one of B (repeatable; default: by name, then by order)")
    compare.add_argument("--rtol", type=TOLERANCE, help="relative tolerance (default 1e-5; 1e-3 float16, 1e-2 bfloat16)")
    compare.add_argument("--atol", type=TOLERANCE, help="absolute tolerance (default 1e-6; 1e-3 float16, 1e-2 bfloat16)")
    compare.add_argument("--max-mismatch", type=SHARE, default=0.0, metavar="SHARE",
                         help="share of elements allowed outside tolerance, e.g. 0.001 (default 0)")
    load = parser.add_argument_group("loading")
    load.add_argument("--signature", help="SavedModel signature (default serving_default or the only one)")
    load.add_argument("--tag", help="SavedModel tag set, comma-separated (default: the only one, or serve)")
    load.add_argument("--unsafe", action="store_true",
                      help="allow Keras Lambda layers (Python bytecode runs on load): trusted files only")
    load.add_argument("--custom-objects", metavar="MODULE_OR_FILE", help="custom Keras classes")
    load.add_argument("--timeout", type=TIMEOUT, default=900.0, metavar="SECONDS",
                      help="per load and per batch (default 900)")
    out = parser.add_argument_group("output")
    out.add_argument("--json", action="store_true", help="print one JSON document (schema verify/1)")
    out.add_argument("--report", metavar="FILE.html", type=Path,
                     help="write a self-contained HTML report (table, error histograms, A-vs-B plots)")
    out.add_argument("--force", action="store_true", help="overwrite an existing --report file")
    parser.set_defaults(handler=_verify)
    return parser


def _int_range(text: str) -> tuple[int, int]:
    try:
        low, high = (INT64.parse(p) for p in text.split(","))
        low, high = INT64.check(low), INT64.check(high)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write it as LOW,HIGH, e.g. 0,1000") from None
    except TfshiftError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: {exc}") from None
    if high <= low:
        raise argparse.ArgumentTypeError(f"{text!r}: HIGH must be above LOW")
    return low, high


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _shapes(items: list[str]) -> dict[str, list[int]]:
    shapes = {}
    for item in items:
        name, sep, dims = item.partition("=")
        try:
            shapes[name.strip()] = [DIMENSION.check(DIMENSION.parse(d.strip()))
                                    for d in dims.split(",") if d.strip()]
        except TfshiftError as exc:
            raise TfshiftError(f"--shape {item!r}: dimension {exc}") from None
        if not sep or not name.strip():
            raise TfshiftError(f"--shape {item!r}: write it as NAME=D1,D2,... (e.g. x=4,224,224,3)")
    return shapes


def _verify(args: argparse.Namespace) -> int:
    from tfshift.models.verify import verify

    if args.report is not None and args.report.exists() and not args.force:
        raise TfshiftError(f"{args.report}: exists; pass --force to overwrite it")
    report = _one_line(
        verify, args.a, args.b, tf_a=args.tf_a, tf_b=args.tf_b, keras2_a=args.keras2_a,
        keras2_b=args.keras2_b, inputs=args.inputs, samples=args.samples, batch=args.batch,
        seed=args.seed, int_range=args.int_range, shapes=_shapes(args.shape),
        input_names=args.input_names, output_names=args.output_names, mapping=args.map,
        rtol=args.rtol, atol=args.atol, max_mismatch=args.max_mismatch, signature=args.signature,
        tags=args.tag, unsafe=args.unsafe, custom_objects=args.custom_objects, timeout=args.timeout,
        with_a=args.with_a, with_b=args.with_b)
    if args.report is not None:
        report.write_html(args.report)
    return emit(report, "verify/1", args.json, args.report)


def emit(result: Any, schema: str, as_json: bool, report: Path | None) -> int:
    """Print a verify report or a conversion (JSON or text, with the HTML report's path);
    the exit code: 0 when it is ok, 1 when not."""
    if as_json:
        from tfshift.output import emit_json

        payload = result.to_dict()
        payload["report"] = str(report) if report else None
        emit_json(schema, payload)
    else:
        print(result.text())
        if report is not None:
            print(f"report: {report}")
    return 0 if result.ok else 1


def _one_line(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run fn; a TfshiftError whose message spans lines (a TensorFlow error, a worker's last
    words) becomes one line, with the original kept for --debug."""
    from tfshift.errors import WorkerError

    try:
        return fn(*args, **kwargs)
    except TfshiftError as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        if len(lines) <= 1 and not isinstance(exc, WorkerError):
            raise
        message = re.sub(r"[;:,]?\s*its last stderr lines:?$", "", lines[0] if lines else type(exc).__name__)
        tail = [line.strip(" |") for line in getattr(exc, "stderr_tail", ()) if line.strip(" |")]
        if isinstance(exc, WorkerError) and tail and tail[-1] not in message:
            message += f" (last stderr line: {tail[-1][:200]})"
        error = TfshiftError(message.rstrip(";:, "))
        error.exit_code = exc.exit_code
        raise error from exc
