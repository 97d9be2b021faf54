"""Hostile model files for the reliability tests: Keras metadata respelled, archives that lie.

Everything here writes real file formats (a .keras zip, an HDF5 file through h5py, a protobuf
keras_metadata.pb): the checks under test read them as Keras would.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from tfshift.models.protowire import LEN, fields

LAMBDA = '"class_name": "Lambda"'
# Spellings of the same JSON that Keras reads as a Lambda layer, and text matching does not.
SPELLINGS: dict[str, Callable[[str], str]] = {
    "spaced": lambda text: text.replace(LAMBDA, '"class_name" : "Lambda"'),
    "escaped": lambda text: text.replace(LAMBDA, '"class_name": "\\u004cambda"'),
    "newline": lambda text: text.replace(LAMBDA, '"class_name":\n\t"Lambda"'),
    "escaped_key": lambda text: text.replace(LAMBDA, '"class\\u005fname": "Lambda"'),
}


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number: int, payload: bytes) -> bytes:
    return varint(number << 3 | LEN) + varint(len(payload)) + payload


def keras_metadata(documents: list[str]) -> bytes:
    """A SavedMetadata message: one SavedObject (metadata = 5) per JSON document."""
    return b"".join(field(1, field(5, doc.encode("utf-8"))) for doc in documents)


def respell_metadata(data: bytes, spell: Callable[[str], str]) -> bytes:
    """keras_metadata.pb with each node's JSON (field 5) respelled, its other fields kept."""
    out = bytearray()
    for number, wire, span in fields(data):
        assert number == 1 and wire == LEN
        node = bytearray()
        for inner, inner_wire, value in fields(data, span):
            raw = data[value[0]:value[1]] if inner_wire == LEN else value
            if inner == 5:
                node += field(5, spell(raw.decode()).encode())
            elif inner_wire == LEN:
                node += field(inner, raw)
            else:
                node += varint(inner << 3 | inner_wire) + varint(raw)
        out += field(1, bytes(node))
    return bytes(out)


def respell_saved_model(src: Path, dest: Path, spell: Callable[[str], str]) -> Path:
    """A copy of a Keras 2 SavedModel whose keras_metadata.pb says the same in other words."""
    shutil.copytree(src, dest)
    pb = dest / "keras_metadata.pb"
    data = pb.read_bytes()
    assert LAMBDA.encode() in data, "the fixture has no Lambda to respell"
    pb.write_bytes(respell_metadata(data, spell))
    return dest


def respell_h5(src: Path, dest: Path, spell: Callable[[str], str]) -> Path:
    import h5py

    shutil.copy(src, dest)
    with h5py.File(dest, "r+") as fh:
        text = fh.attrs["model_config"]
        text = text.decode() if isinstance(text, bytes) else str(text)
        assert LAMBDA in text
        fh.attrs["model_config"] = spell(text)
    return dest


def rewrite_zip(src: Path, dest: Path, replace: dict[str, bytes | Callable[[bytes], bytes]]) -> Path:
    """A copy of a zip with members replaced (a value) or rewritten (a function of the old bytes)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            change = replace.get(item.filename)
            if change is not None:
                data = change(data) if callable(change) else change
            new.writestr(item.filename, data)
    return dest


def respell_keras(src: Path, dest: Path, spell: Callable[[str], str]) -> Path:
    def change(data: bytes) -> bytes:
        text = data.decode()
        assert LAMBDA in text
        return spell(text).encode()

    return rewrite_zip(src, dest, {"config.json": change})


def keras_zip(dest: Path, config: dict | str, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal .keras: config.json, metadata.json and whatever else is asked."""
    text = config if isinstance(config, str) else json.dumps(config)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": "3.10.0"}))
        zf.writestr("config.json", text)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return dest


def _rewrite(data: bytes, path: tuple[int, ...], change: Callable[[bytes], bytes]) -> bytes:
    """A message with the LEN fields at `path` (field numbers, outermost first) changed."""
    out = bytearray()
    for number, wire, value in fields(data):
        if wire == LEN:
            raw = data[value[0]:value[1]]
            if number == path[0]:
                raw = change(raw) if len(path) == 1 else _rewrite(raw, path[1:], change)
            out += field(number, raw)
        else:
            out += varint(number << 3 | wire)
            out += varint(value) if wire == 0 else value.to_bytes(8 if wire == 1 else 4, "little")
    return bytes(out)


# SavedModel.meta_graphs -> object_graph_def -> nodes -> user_object -> metadata
USER_OBJECT_METADATA = (2, 7, 1, 4, 3)


def rewrite_saved_model(src: Path, dest: Path, change: Callable[[str], str]) -> Path:
    """A copy of a SavedModel whose Keras objects' JSON (in saved_model.pb) is changed."""
    shutil.copytree(src, dest)
    pb = dest / "saved_model.pb"
    before = pb.read_bytes()
    after = _rewrite(before, USER_OBJECT_METADATA, lambda raw: change(raw.decode()).encode())
    assert after != before, "nothing to rewrite"
    pb.write_bytes(after)
    return dest
