"""`tfshift api SYMBOL`: where and how a TensorFlow/Keras symbol exists across releases."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction, name: str, help_text: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name, help=help_text, description=(
            "Answer from the bundled API database (every public TensorFlow and Keras symbol in "
            "every release since 1.13): in which releases SYMBOL exists, its signature per range "
            "of releases, deprecations, and what to use where it is gone."),
        epilog="examples: tfshift api tf.placeholder; tfshift api tf.nn.dropout --tf 1.15; "
               "tfshift api tf.keras.Model.fit_generator --json; tfshift api --info",
    )
    parser.add_argument("symbol", nargs="?", metavar="SYMBOL",
                        help="dotted name as written in code: tf.nn.dropout, keras.ops.add, "
                             "tf.keras.Model.fit (tensorflow.* works too)")
    parser.add_argument("--tf", metavar="VERSION", help="only this release (e.g. 2.15)")
    parser.add_argument("--json", action="store_true", help="print one JSON document (schema api/1)")
    parser.add_argument("--info", action="store_true",
                        help="what the database covers: releases, versions, build date")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from tfshift.api import database, report
    from tfshift.errors import TfshiftError
    from tfshift.output import emit_json

    db = database.load()
    if args.info:
        return _info(db, args.json)
    if not args.symbol:
        raise TfshiftError("name a symbol, e.g. `tfshift api tf.placeholder` (or use --info)")
    symbol = database.normalize_symbol(args.symbol)
    if not db.known(symbol):
        close = db.closest(symbol, n=5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        message = (f"{symbol} is not a public TensorFlow or Keras symbol in any release from "
                   f"{db.releases[0]} to {db.releases[-1]}{hint}")
        if args.json:
            emit_json("api/1", {"symbol": symbol, "exists_anywhere": False, "closest": close,
                                "error": message, "exit_code": 2})
        raise TfshiftError(message)
    story = report.describe(db, symbol)
    if args.tf:
        story = report.only(db, story, db.minor(args.tf))
    if args.json:
        emit_json("api/1", {**story, "exists_anywhere": True, "database": _summary(db)})
    else:
        print(report.render(story))
    return 0


def _summary(db) -> dict:
    info = db.info()
    return {"built": info["built"], "releases": list(db.releases),
            "content_sha256": info["content_sha256"]}


def _info(db, as_json: bool) -> int:
    from tfshift.output import emit_json, table

    info = db.info()
    if as_json:
        emit_json("api-info/1", info)
        return 0
    rows = []
    for minor in db.releases:
        meta = info["releases"].get(minor, {})
        rows.append([minor, meta.get("tensorflow", ""), meta.get("keras", ""),
                     meta.get("tf-keras", ""), meta.get("python", "")])
    print(f"API database built {info['built']}: {info['counts'].get('names')} names, "
          f"{len(db.releases)} releases ({db.releases[0]} to {db.releases[-1]})")
    print(table(["minor", "tensorflow", "keras", "tf-keras", "python"], rows))
    return 0
