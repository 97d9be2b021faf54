"""Results of earlier runs, keyed by file content, tool version and options.

One JSON file per set of options under TFSHIFT_HOME/cache/code/. It maps the BLAKE2 digest of a
file's bytes to what scanning (or upgrading) those bytes found; a file that takes TensorFlow names
from other modules of the project is keyed by its digest and a digest of those names, so a change
to what gcn/layers.py exports invalidates gcn/models.py's result and nothing else does. A second table remembers each
path's size, mtime and inode with the digest they had, so an unchanged tree is recognised
without reading it again; any change to those re-reads and re-hashes the file. Upgrade results
that rewrite a file are not kept (the file changes, and its new content is cached next time).
The cache is JSON, not pickle: tfshift never unpickles files.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

import tfshift
from tfshift import config
from tfshift.code.process import FileResult
from tfshift.code.rule import Finding, Fix
from tfshift.code.source import write_atomic

MAX_ENTRIES = 200_000


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def fingerprint(options: dict) -> str:
    """Options, tool version, the rule code itself and the API database with the code that
    answers from it (a change to any invalidates)."""
    package = Path(__file__).resolve().parent
    stamp = []
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json"):
            info = path.stat()
            stamp.append((str(path.relative_to(package)), info.st_size, info.st_mtime_ns))
    api = package.parent / "api"  # what the data-driven rules read, and the code deriving from it
    for path in (api / "data" / "api.bin", api / "suggest.py", api / "database.py"):
        if path.is_file():
            info = path.stat()
            stamp.append((path.name, info.st_size, info.st_mtime_ns))
    text = json.dumps([tfshift.__version__, options, stamp], sort_keys=True)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def stat_key(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ino]


class Cache:
    def __init__(self, options: dict) -> None:
        self.path = config.home() / "cache" / "code" / f"{fingerprint(options)}.json"
        self.stats: dict[str, list] = {}  # path -> [size, mtime_ns, inode, digest]
        self.results: dict[str, dict] = {}
        self.dirty = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.stats, self.results = data["stats"], data["results"]
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def known_digest(self, path: str, info: os.stat_result) -> str | None:
        entry = self.stats.get(path)
        if entry and entry[:3] == stat_key(info):
            return entry[3]
        return None

    def get(self, key: str, path: str) -> FileResult | None:
        entry = self.results.get(key)
        return None if entry is None else _load(entry, path)

    def put(self, digest: str, path: str, info: os.stat_result, result: FileResult,
            key: str | None = None) -> None:
        """Remember `result` for the file's content `digest`; `key` when the result also
        depends on what the file receives from other modules (`digest:received`)."""
        self.stats[path] = [*stat_key(info), digest]
        if result.output is None and not result.internal:
            self.results[key or digest] = _dump(result)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        live = {entry[3] for entry in self.stats.values()}
        results = {k: v for k, v in self.results.items() if k.partition(":")[0] in live}
        if len(results) > MAX_ENTRIES:
            results = dict(list(results.items())[-MAX_ENTRIES:])
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps({"stats": self.stats, "results": results}, separators=(",", ":"))
            write_atomic(self.path, text.encode("utf-8"))
        except OSError:
            pass  # a cache that cannot be written only costs time


def _dump(result: FileResult) -> dict:
    return {
        "findings": [_finding(f) for f in result.findings],
        "applied": [_finding(f) for f in result.applied],
        "lines": result.lines,
        "summary": result.summary,
    }


def _finding(finding: Finding) -> dict:
    data = asdict(finding)
    if finding.fix is not None:
        data["fix"] = {"applicability": finding.fix.applicability, "description": finding.fix.description}
    return data


def _load(entry: dict, path: str) -> FileResult:
    return FileResult(path, [_revive(f) for f in entry["findings"]],
                      [_revive(f) for f in entry["applied"]], lines=entry["lines"],
                      summary=entry.get("summary"))


def _revive(data: dict) -> Finding:
    data = dict(data)
    fix = data.pop("fix")
    data["needs"] = tuple(data["needs"])
    finding = Finding(**data)
    if fix is not None:
        finding.fix = Fix((), fix["applicability"], fix["description"])
    return finding
