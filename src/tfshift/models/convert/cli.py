"""`tfshift convert MODEL OUT`: the command line over tfshift.models.convert.convert."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tfshift.arguments import BATCH, SAMPLES, SEED, SHARE, TIMEOUT, TOLERANCE
from tfshift.errors import TfshiftError


def register(subparsers: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name, help=help_text,
        description="Convert a TF1 frozen graph, checkpoint or SavedModel into a TF2 SavedModel "
        "(serving_default and the source's other signatures, variables kept), or a Keras 2 "
        ".h5/.keras/SavedModel into a Keras 3 .keras of real Keras 3 layers. The source is read "
        "by the TensorFlow that wrote it, the result written by the target, each in its own "
        "environment. OUT appears only when complete. Exit 0 on success, 1 when --verify finds "
        "a mismatch (nothing is written then), 2 when the model cannot be converted.",
        epilog="Examples: tfshift convert frozen.pb converted/ --verify;  "
        "tfshift convert model.h5 model.keras --custom-objects layers.py")
    parser.add_argument("model", metavar="MODEL", help="a .pb, checkpoint prefix, SavedModel folder, .h5 or .keras")
    parser.add_argument("out", metavar="OUT", help="the result: a folder (SavedModel) or NAME.keras")
    what = parser.add_argument_group("what to write")
    what.add_argument("--to", choices=("saved_model", "keras"),
                      help="the result's kind (default: keras when OUT ends in .keras, else saved_model)")
    what.add_argument("--target", metavar="VERSION", help="TensorFlow that writes the result (default: the newest)")
    what.add_argument("--source", metavar="VERSION",
                      help="TensorFlow that reads the source (default: the one that wrote it, else the newest)")
    what.add_argument("--source-keras2", action="store_true", default=None,
                      help="read a Keras 2 source with tf_keras on a 2.16+ --source")
    what.add_argument("--source-with", action="append", metavar="REQ",
                      help="a package beside the source's TensorFlow, e.g. keras==2.3.1 (repeatable; "
                      "default: what the file's era needs)")
    what.add_argument("--freeze", action="store_true",
                      help="fold every variable into a constant (default: keep them as variables)")
    graph = parser.add_argument_group("graphs and SavedModels")
    graph.add_argument("--inputs", "--input-names", dest="inputs", type=_names, metavar="NAMES",
                       help="graph tensors to feed, comma-separated (default: the placeholders the outputs need)")
    graph.add_argument("--outputs", "--output-names", dest="outputs", type=_names, metavar="NAMES",
                       help="graph tensors to fetch, comma-separated (default: the sink nodes that compute)")
    graph.add_argument("--signature", metavar="NAME", help="convert only this SavedModel signature (default: all)")
    graph.add_argument("--tag", metavar="TAGS", help="SavedModel tag set, comma-separated (default: the only one, or serve)")
    graph.add_argument("--replace-op", action="append", default=[], metavar="OP=MODULE:FUNCTION",
                       help="run a TF2 function in place of every node of op type OP (repeatable); "
                       "MODULE may be a .py file; the function gets the node's inputs and attributes")
    keras = parser.add_argument_group("Keras")
    keras.add_argument("--custom-objects", metavar="MODULE_OR_FILE",
                       help="custom Keras classes, loaded in both TensorFlows")
    keras.add_argument("--unsafe", action="store_true",
                       help="allow Lambda layers (Python bytecode runs on load): trusted files only")
    check = parser.add_argument_group("verification")
    check.add_argument("--verify", action="store_true",
                       help="run verify on the result (source under its TF, result under the target) "
                       "and write nothing on a mismatch")
    check.add_argument("--verify-inputs", metavar="FILE.npz", help="inputs for --verify (else generated)")
    check.add_argument("--samples", type=SAMPLES, default=1, metavar="N", help="generated batches for --verify")
    check.add_argument("--seed", type=SEED, default=0, help="seed of the generated inputs")
    check.add_argument("--batch", type=BATCH, default=8, metavar="N",
                       help="unknown dimensions of generated inputs (default 8)")
    check.add_argument("--shape", action="append", default=[], metavar="NAME=D1,D2,...",
                       help="the whole shape of a generated input (repeatable)")
    check.add_argument("--int-range", metavar="LOW,HIGH", type=_int_range,
                       help="generated integers in [LOW, HIGH) (default: embedding sizes, else 0,10)")
    check.add_argument("--map", action="append", default=[], metavar="SOURCE_OUT:RESULT_OUT",
                       help="pair an output of the source with one of the result (repeatable)")
    check.add_argument("--rtol", type=TOLERANCE,
                       help="relative tolerance (default: chosen per dtype, 5e-5 for float32)")
    check.add_argument("--atol", type=TOLERANCE,
                       help="absolute tolerance (default: chosen per dtype and output scale)")
    check.add_argument("--max-mismatch", type=SHARE, default=0.0, metavar="SHARE",
                       help="share of elements allowed outside tolerance (default 0)")
    check.add_argument("--report", metavar="FILE.html", type=Path, help="the verify report as HTML")
    out = parser.add_argument_group("output")
    out.add_argument("--force", action="store_true", help="replace an existing OUT")
    out.add_argument("--json", action="store_true", help="print one JSON document (schema convert/1)")
    out.add_argument("--timeout", type=TIMEOUT, default=1800.0, metavar="SECONDS",
                     help="per worker operation (default 1800)")
    parser.set_defaults(handler=_convert)
    return parser


def _int_range(text: str) -> tuple[int, int]:
    from tfshift.models.cli import _int_range as parse

    return parse(text)


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _replacements(items: list[str]) -> dict[str, str]:
    found = {}
    for item in items:
        op, sep, target = item.partition("=")
        if not sep or not op.strip() or ":" not in target:
            raise TfshiftError(f"--replace-op {item!r}: write it as OP=module:function "
                               "(or OP=file.py:function)")
        found[op.strip()] = target.strip()
    return found


def _convert(args: argparse.Namespace) -> int:
    from tfshift.models.cli import _one_line, _shapes, emit
    from tfshift.models.convert import convert

    if args.report is not None and not args.verify:
        raise TfshiftError("--report writes the verify report: add --verify")
    if args.report is not None and args.report.exists() and not args.force:
        raise TfshiftError(f"{args.report}: exists; pass --force to overwrite it")
    options: dict[str, Any] = {"samples": args.samples, "seed": args.seed, "rtol": args.rtol,
                               "atol": args.atol, "batch": args.batch, "int_range": args.int_range,
                               "shapes": _shapes(args.shape), "mapping": args.map,
                               "max_mismatch": args.max_mismatch}
    if args.verify_inputs:
        options["inputs"] = args.verify_inputs
    result = _one_line(
        convert, args.model, args.out, to=args.to, target=args.target, source=args.source,
        source_keras2=args.source_keras2, source_with=args.source_with, inputs=args.inputs, outputs=args.outputs,
        signature=args.signature, tags=args.tag, custom_objects=args.custom_objects,
        unsafe=args.unsafe, freeze=args.freeze, replace_ops=_replacements(args.replace_op),
        verify=args.verify, verify_options=options, force=args.force, timeout=args.timeout)
    if args.report is not None and result.verified:
        result.verified[0].write_html(args.report)
    return emit(result, "convert/1", args.json, args.report)
