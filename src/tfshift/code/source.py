"""Source files as text, and back to the exact bytes they came from.

The text is decoded without newline translation, so every edit is made on the file's own line
endings; it is encoded back with the same codec, BOM included. Files are replaced atomically and
keep their permission bits.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path

_NEWLINE = re.compile(r"\r\n|\r|\n")


class UndecodableSource(ValueError):
    """The bytes do not decode with the encoding the file declares (or UTF-8)."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec that decodes and re-encodes the bytes ("utf-8-sig" keeps a BOM)
    newline: str  # the file's first line ending, used for inserted lines


def decode(data: bytes) -> Decoded:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # a bad coding cookie, or a BOM that contradicts it
        raise UndecodableSource(str(exc)) from None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise UndecodableSource(f"not valid {encoding}: {exc}") from None
    return Decoded(text, encoding, first_newline(text))


def first_newline(text: str) -> str:
    """The line ending the text uses first ("\n" when it has none)."""
    match = _NEWLINE.search(text)
    return match.group() if match else "\n"


def encode(decoded: Decoded, text: str) -> bytes:
    return text.encode(decoded.encoding)


def line_starts(text: str) -> list[int]:
    """Offsets where each line starts; line N (1-based, as `ast` counts) starts at [N - 1]."""
    if "\r" not in text:
        return [0, *itertools.accumulate(len(line) + 1 for line in text.split("\n")[:-1])]
    starts = [0]
    starts.extend(m.end() for m in _NEWLINE.finditer(text))
    return starts


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace `path` with `data` in one step (temp file in the same folder, then rename)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tfshift-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if mode is not None:
            os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
