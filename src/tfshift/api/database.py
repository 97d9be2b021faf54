"""Query the bundled API database: which TF/Keras symbols exist where, and how they look.

    from tfshift.api import database
    db = database.load()
    db.exists("tf.placeholder", "2.0")          # False
    db.history("tf.placeholder")                # [("1.13", "1.15")]
    db.signature("tf.nn.dropout", "1.15").names # ("x", "keep_prob", ...)

Symbols are dotted public paths as users write them: `tf.*` (including `tf.compat.v1.*`),
`keras.*` (the standalone package installed with that TF minor) and `tf_keras.*` (the tf-keras
environments of 2.16+). Methods of public classes are `tf.keras.Model.fit`. A path that reaches
a symbol through another name of a module or class (`tf.keras.models.Model.fit`), or a method
a class inherits from a public base (`tf.keras.Sequential.fit`), resolves like Python would.

Loading reads the names and the presence masks; signatures and the rest are decoded on first
use, one record at a time.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from tfshift.api import storage
from tfshift.errors import TfshiftError, UnknownVersionError

if TYPE_CHECKING:
    from collections.abc import Iterator

# Kept light on purpose (no dataclasses, importlib.resources or the builder): importing this
# module is part of every `tfshift api` and every scan.

DATA_FILE = Path(__file__).resolve().parent / "data" / "api.bin"
_VERSION = re.compile(r"^\s*(?:tf|tensorflow)?[=-]?(\d+)\.(\d+)(?:\.\d+)?\s*$", re.IGNORECASE)
_MAX_DEPTH = 24


class Param(NamedTuple):
    name: str
    kind: str  # positional_only | positional_or_keyword | var_positional | keyword_only | var_keyword
    default: str | None  # repr of the default, None when there is none

    def __str__(self) -> str:
        if self.kind == "var_positional":
            return "*" + self.name
        if self.kind == "var_keyword":
            return "**" + self.name
        return self.name if self.default is None else f"{self.name}={self.default}"


class Signature(NamedTuple):
    params: tuple[Param, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def __str__(self) -> str:
        parts: list[str] = []
        slash = star = False
        for i, p in enumerate(self.params):
            if p.kind == "keyword_only" and not star:
                parts.append("*")
                star = True
            if p.kind == "var_positional":
                star = True
            parts.append(str(p))
            nxt = self.params[i + 1] if i + 1 < len(self.params) else None
            if p.kind == "positional_only" and not slash and (nxt is None or nxt.kind != "positional_only"):
                parts.append("/")
                slash = True
        return "(" + ", ".join(parts) + ")"


class ApiDatabase:
    """The database in memory. All queries take a TF minor ("2.15"; "2.15.1" means 2.15)."""

    def __init__(self, data: bytes, *, source: str = "<bytes>"):
        self.source = source
        try:
            self._file = storage.Container(data)
            header = self._file.header
            self.releases: tuple[str, ...] = tuple(header["order"])
            self._names: list[str] = self._file.raw("names").decode().split("\n")
            self._present = self._file.uint32("present")
        except (storage.CorruptDatabase, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise self._damaged(exc) from None
        if len(self._present) != len(self._names):
            raise self._damaged("section sizes differ")
        self._index = {name: i for i, name in enumerate(self._names)}
        self._bits = {minor: 1 << i for i, minor in enumerate(self.releases)}
        self._records: dict[int, dict[str, Any]] = {}
        self._owners: dict[tuple[str, int], tuple[str, dict[str, Any]] | None] = {}
        self._runs_start = self._runs = self._info_start = self._info = None

    # -- loading -----------------------------------------------------------------------
    def _damaged(self, why: object) -> TfshiftError:
        return TfshiftError(
            f"the API database {self.source} is damaged ({why}); reinstall tfshift or rebuild "
            "it with `python tools/build_api_db.py build`"
        )

    def _lazy(self) -> None:
        if self._runs is None:
            try:
                runs_start = self._file.uint32("runs_start")
                runs = self._file.uint32("runs")
                info_start = self._file.uint32("info_start")
                info = self._file.raw("info")
            except storage.CorruptDatabase as exc:
                raise self._damaged(exc) from None
            if len(runs_start) != len(self._names) + 1 or runs_start[-1] * 2 != len(runs) \
                    or not info_start or info_start[-1] != len(info):
                raise self._damaged("section sizes differ")
            self._runs_start, self._runs, self._info_start, self._info = (
                runs_start, runs, info_start, info)

    def _record(self, info_id: int) -> dict[str, Any]:
        record = self._records.get(info_id)
        if record is None:
            try:
                start, end = self._info_start[info_id], self._info_start[info_id + 1]
                record = json.loads(self._info[start:end])
            except (IndexError, ValueError) as exc:
                raise self._damaged(f"record {info_id}: {exc}") from None
            self._records[info_id] = record
        return record

    # -- versions ----------------------------------------------------------------------
    def minor(self, version: str) -> str:
        """"2.15.1" -> "2.15"; an unknown release raises UnknownVersionError."""
        if version in self._bits:
            return version
        match = _VERSION.match(str(version))
        minor = f"{int(match[1])}.{int(match[2])}" if match else None
        if minor not in self._bits:
            raise UnknownVersionError(
                f"TensorFlow {version} is not in the API database; it covers "
                f"{self.releases[0]} to {self.releases[-1]}"
            )
        return minor

    def _bit(self, version: str) -> int:
        bit = self._bits.get(version)
        return bit if bit is not None else self._bits[self.minor(version)]

    # -- raw lookups -------------------------------------------------------------------
    def _direct(self, path: str, bit: int) -> dict[str, Any] | None:
        """The record stored under exactly this path for this release (raising ones too)."""
        i = self._index.get(path)
        if i is None:
            return None
        self._lazy()
        runs = self._runs
        for r in range(self._runs_start[i], self._runs_start[i + 1]):
            if runs[2 * r] & bit:
                return self._record(runs[2 * r + 1])
        return None

    def _resolve(self, path: str, bit: int, depth: int = 0) -> tuple[str, dict[str, Any]] | None:
        """(path where the object is described, its record), following aliases and bases."""
        if depth > _MAX_DEPTH:
            return None
        i = self._index.get(path)
        if i is not None and self._present[i] & bit:
            record = self._direct(path, bit)
            target = record.get("a")
            return self._resolve(target, bit, depth + 1) if target else (path, record)
        parent, dot, leaf = path.rpartition(".")
        if not dot:
            return None
        key = (parent, bit)
        if key in self._owners:
            owner = self._owners[key]
        else:
            # Modules and classes are the parents of many queries: resolve each once.
            owner = self._owners[key] = self._resolve(parent, bit, depth + 1)
        if owner is None:
            return None
        owner_path, owner_record = owner
        if owner_path != parent:
            return self._resolve(f"{owner_path}.{leaf}", bit, depth + 1)
        for base in owner_record.get("b", ()):
            # Bases are listed in MRO order, each with the members it defines itself.
            member = f"{base}.{leaf}"
            j = self._index.get(member)
            if j is not None and self._present[j] & bit:
                return self._resolve(member, bit, depth + 1)
        return None

    # -- the query interface -----------------------------------------------------------
    def info(self) -> dict[str, Any]:
        header = self._file.header
        return {
            "built": header.get("built"),
            "releases": header.get("releases", {}),
            "generator": header.get("generator", {}),
            "counts": header.get("counts", {}),
            "content_sha256": header.get("content_sha256"),
        }

    def exists(self, symbol: str, version: str) -> bool:
        symbol = normalize_symbol(symbol)
        bit = self._bit(version)
        i = self._index.get(symbol)
        if i is not None and self._present[i] & bit:
            return True
        return self._resolve(symbol, bit) is not None

    def _locate(self, symbol: str, version: str) -> tuple[str, int, tuple[str, dict] | None]:
        """(normalised symbol, release bit, where it resolves to or None)."""
        symbol = normalize_symbol(symbol)
        bit = self._bit(version)
        return symbol, bit, self._resolve(symbol, bit)

    def record(self, symbol: str, version: str) -> dict[str, Any] | None:
        """The resolved record (kind "k", signature "s", ...) or None where it is absent."""
        found = self._locate(symbol, version)[2]
        return found[1] if found else None

    def kind(self, symbol: str, version: str) -> str | None:
        record = self.record(symbol, version)
        return record.get("k") if record else None

    def signature(self, symbol: str, version: str) -> Signature | None:
        record = self.record(symbol, version)
        if not record or "s" not in record:
            return None
        return _signature(tuple(tuple(p) for p in record["s"]))

    def history(self, symbol: str) -> list[tuple[str, str]]:
        """Inclusive ranges of consecutive releases where the symbol exists."""
        symbol = normalize_symbol(symbol)
        return ranges(self.releases, [self.exists(symbol, v) for v in self.releases])

    def deprecation(self, symbol: str, version: str) -> str | None:
        symbol, bit, found = self._locate(symbol, version)
        if found is None:
            return None
        own = self._direct(symbol, bit)
        if own is not None and own.get("pd"):
            return own["pd"]
        path, record = found
        if path != symbol:
            # Reached through another name: that name's own deprecation does not apply here.
            return record.get("d")
        return record.get("pd") or record.get("d")

    def deprecated_args(self, symbol: str, version: str) -> dict[str, str]:
        record = self.record(symbol, version)
        return dict(record.get("da", {})) if record else {}

    def absent_reason(self, symbol: str, version: str) -> str | None:
        """Why a symbol is absent, when getting it raised (here or on a parent)."""
        symbol, bit, found = self._locate(symbol, version)
        if found is not None:
            return None
        path = symbol
        while path:
            record = self._direct(path, bit)
            if record is not None and "e" in record:
                return record["e"] if path == symbol else f"{record['e']} (getting {path})"
            if record is not None or self._resolve(path, bit) is not None:
                return None  # the nearest existing ancestor is fine: plainly not there
            path = path.rpartition(".")[0]
        return None

    def canonical(self, symbol: str, version: str) -> str | None:
        symbol, _, found = self._locate(symbol, version)
        if found is None:
            return None
        path, record = found
        chosen = record.get("c") or path
        # TF 2.1-2.5 exported Keras classes under both spellings and the v1 one came first:
        # in a TF2 release the TF2 spelling of the same object is its name, not compat.v1's.
        if (chosen.startswith("tf.compat.v1.") and not version.startswith("1.")
                and symbol == "tf." + chosen[len("tf.compat.v1."):]):
            return symbol
        return chosen

    def replacements(self, symbol: str, target: str) -> list[str]:
        from tfshift.api import suggest
        return suggest.replacements(self, normalize_symbol(symbol), self.minor(target))

    def arg_renames(self, symbol: str, source: str, target: str) -> dict[str, str]:
        from tfshift.api import suggest
        return suggest.arg_renames(self, normalize_symbol(symbol), self.minor(source),
                                   self.minor(target))

    def closest(self, name: str, n: int = 5) -> list[str]:
        from tfshift.api import suggest
        return suggest.closest(self, normalize_symbol(name), n)

    # -- helpers for the suggestion and report modules -----------------------------------
    @property
    def names(self) -> list[str]:
        """Every stored path, sorted (aliases' members are reached through resolution)."""
        return self._names

    def known(self, symbol: str) -> bool:
        """Whether the symbol exists in any release."""
        symbol = normalize_symbol(symbol)
        return any(self.exists(symbol, v) for v in self.releases)

    def stored(self, path: str) -> bool:
        return path in self._index

    def alias_targets(self, path: str) -> list[str]:
        """Where this path points in the releases where it is a module/class alias."""
        found: list[str] = []
        for bit in self._bits.values():
            record = self._direct(path, bit)
            if record and record.get("a") and record["a"] not in found:
                found.append(record["a"])
        return found

    def release_slice(self, version: str) -> dict[str, str]:
        """path -> stored record (JSON text) for one release: what a rebuild must reproduce."""
        bit = self._bit(version)
        self._lazy()
        start, runs, info_start, info = self._runs_start, self._runs, self._info_start, self._info
        found = {}
        for i, name in enumerate(self._names):
            for r in range(start[i], start[i + 1]):
                if runs[2 * r] & bit:
                    k = runs[2 * r + 1]
                    found[name] = info[info_start[k]:info_start[k + 1]].decode()
                    break
        return found

    def messages(self, symbol: str) -> Iterator[tuple[str, str]]:
        """(release, text) of every deprecation and access error, newest release first."""
        symbol = normalize_symbol(symbol)
        for version in reversed(self.releases):
            for text in (self.deprecation(symbol, version), self.absent_reason(symbol, version),
                         *self.deprecated_args(symbol, version).values()):
                if text:
                    yield version, text


@functools.lru_cache(maxsize=4096)
def _signature(params: tuple[tuple[str, str, str | None], ...]) -> Signature:
    return Signature(tuple(Param(name, storage.KINDS[kind], default) for name, kind, default in params))


def normalize_symbol(symbol: str) -> str:
    symbol = symbol.strip()
    if symbol == "tensorflow" or symbol.startswith("tensorflow."):
        return "tf" + symbol[len("tensorflow"):]
    return symbol


def ranges(releases: tuple[str, ...], flags: list[bool]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    start = None
    for i, flag in enumerate(flags):
        if flag and start is None:
            start = i
        if not flag and start is not None:
            found.append((releases[start], releases[i - 1]))
            start = None
    if start is not None:
        found.append((releases[start], releases[-1]))
    return found


def data_path() -> Path:
    return DATA_FILE


def from_file(path: str | os.PathLike[str]) -> ApiDatabase:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise TfshiftError(f"cannot read the API database {path}: {exc.strerror}") from None
    return ApiDatabase(data, source=str(path))


@functools.cache
def load() -> ApiDatabase:
    """The bundled database (TFSHIFT_API_DB names another file), loaded once per process."""
    override = os.environ.get("TFSHIFT_API_DB")
    if override:
        return from_file(override)
    path = data_path()
    if not path.is_file():
        raise TfshiftError(
            f"the API database is missing from this installation ({path}); reinstall tfshift"
        )
    return from_file(path)
