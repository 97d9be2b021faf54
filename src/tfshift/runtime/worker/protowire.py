"""Just enough of the protobuf wire format to recognise TensorFlow's files without TensorFlow.

Walks messages field by field over any buffer (bytes, memoryview, mmap) without copying; a
length-delimited field is returned as a (start, end) span into the buffer, parsed further only
when asked. Anything malformed (a truncated file, random bytes) raises WireError.
It lives in the worker package (Python 3.7, standard library only) because workers read Keras
metadata with it too (modelguard.py); the host imports it as tfshift.models.protowire.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Tuple

VARINT, I64, LEN, I32 = 0, 1, 2, 5
Span = Tuple[int, int]


class WireError(ValueError):
    """Not valid protobuf wire format (truncated or not protobuf at all)."""


def read_varint(buf: Any, pos: int, end: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= end:
            raise WireError(f"a number runs past the end (byte {pos})")
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift >= 64:
            raise WireError(f"overlong number at byte {pos}")


def fields(buf: Any, span: Span | None = None) -> Iterator[tuple[int, int, Any]]:
    """(field number, wire type, value) of one message; value is an int or a Span for LEN."""
    pos, end = span if span is not None else (0, len(buf))
    while pos < end:
        key, pos = read_varint(buf, pos, end)
        number, wire_type = key >> 3, key & 7
        if number == 0:
            raise WireError(f"field number 0 at byte {pos}")
        if wire_type == VARINT:
            value, pos = read_varint(buf, pos, end)
        elif wire_type in (I64, I32):
            width = 8 if wire_type == I64 else 4
            if pos + width > end:
                raise WireError(f"field {number} runs past the end (byte {pos})")
            value = int.from_bytes(bytes(buf[pos:pos + width]), "little")
            pos += width
        elif wire_type == LEN:
            length, pos = read_varint(buf, pos, end)
            if pos + length > end:
                raise WireError(f"field {number} at byte {pos} claims {length} bytes, past the "
                                f"end at byte {end}")
            value = (pos, pos + length)
            pos += length
        else:
            raise WireError(f"wire type {wire_type} (field {number}) at byte {pos}")
        yield number, wire_type, value


def text(buf: Any, span: Span) -> str:
    try:
        return bytes(buf[span[0]:span[1]]).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WireError(f"invalid UTF-8 at byte {span[0]}") from exc


def first(buf: Any, span: Span | None = None) -> tuple[int, int, Any] | None:
    """The first field of a message, or None when it is empty."""
    return next(fields(buf, span), None)
