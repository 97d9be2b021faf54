"""TensorFlow checkpoints (tensor bundles) read without TensorFlow: which variables, how big.

A bundle is `PREFIX.index`, a LevelDB-style sorted table (blocks of prefix-compressed keys, each
followed by a type byte and a masked CRC32C, then a 48-byte footer), mapping each tensor name to
a BundleEntryProto (dtype = 1, shape = 2, shard_id = 3, offset = 4, size = 5, slices = 7), and
`PREFIX.data-NNNNN-of-MMMMM` shards holding the bytes. Reading the index and checking every
entry against its shard's size finds truncated and damaged checkpoints before TensorFlow does.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from tfshift.models.formats import TABLE_MAGIC, ModelFormatError, checkpoint_file
from tfshift.models.inspection import tfproto
from tfshift.models.protowire import LEN, VARINT, WireError, fields, read_varint

FOOTER = 48
OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"  # TF2 checkpoints: the object graph, not a variable
_OPTIMIZER_MARKERS = ("/.OPTIMIZER_SLOT/", "optimizer/", "/Adam", "/Momentum", "/RMSProp", "/Adagrad",
                      "/Ftrl", "/Adadelta", "/ExponentialMovingAverage")


@dataclass(frozen=True)
class Entry:
    name: str
    dtype: str
    shape: tfproto.Shape
    shard: int
    offset: int
    nbytes: int

    @property
    def size(self) -> int:
        n = 1
        for d in self.shape or ():
            n *= d or 0
        return n

    @property
    def optimizer_state(self) -> bool:
        return any(m in self.name for m in _OPTIMIZER_MARKERS) or self.name in (
            "global_step", "save_counter/.ATTRIBUTES/VARIABLE_VALUE")


@dataclass(frozen=True)
class Bundle:
    entries: tuple[Entry, ...]
    num_shards: int


def read(prefix: str | Path, shards: tuple[Path, ...]) -> Bundle:
    """The variables of the checkpoint at `prefix`, checked against its data shards."""
    index = checkpoint_file(prefix, ".index")
    data = index.read_bytes()
    try:
        raw = list(_table(data))
    except (WireError, IndexError, ValueError) as exc:
        raise ModelFormatError(f"{index}: a damaged checkpoint index ({exc})") from None
    entries: list[Entry] = []
    num_shards = 1
    try:
        for key, value in raw:
            if key == b"":
                num_shards = _header(value)
                continue
            entry = _entry(key, value)
            if entry is not None:
                entries.append(entry)
    except (WireError, UnicodeDecodeError) as exc:
        raise ModelFormatError(f"{index}: a damaged checkpoint index entry ({exc})") from None
    _check_shards(prefix, entries, shards, num_shards)
    return Bundle(tuple(e for e in entries if e.name != OBJECT_GRAPH_KEY and not e.name.startswith("\0")),
                  num_shards)


def _check_shards(prefix: str | Path, entries: list[Entry], shards: tuple[Path, ...], num_shards: int) -> None:
    sizes = {}
    for shard in shards:
        number = int(shard.name.rsplit(".data-", 1)[1][:5])
        sizes[number] = shard.stat().st_size
    for entry in entries:
        have = sizes.get(entry.shard)
        if have is None:
            raise ModelFormatError(f"{prefix}: variable {entry.name!r} lives in shard {entry.shard}, "
                                   f"which is missing (the index names {num_shards} shard(s))")
        if entry.offset + entry.nbytes > have:
            raise ModelFormatError(
                f"{checkpoint_file(prefix, f'.data-{entry.shard:05d}-of-{num_shards:05d}')}: {have} bytes, but variable "
                f"{entry.name!r} ends at byte {entry.offset + entry.nbytes}: truncated?")


def _header(value: bytes) -> int:
    """BundleHeaderProto: num_shards = 1, endianness = 2, version = 3."""
    shards = 1
    for number, wire_type, item in fields(value):
        if number == 1 and wire_type == VARINT:
            shards = item
        elif number == 2 and wire_type == VARINT and item != 0:
            raise WireError("a big-endian checkpoint")
    return shards


def _entry(key: bytes, value: bytes) -> Entry | None:
    dtype, shape, shard, offset, size = "invalid", (), 0, 0, 0
    for number, wire_type, item in fields(value):
        if number == 1 and wire_type == VARINT:
            dtype = tfproto.dtype_name(item)
        elif number == 2 and wire_type == LEN:
            shape = tfproto.shape(value, item)
        elif number == 3 and wire_type == VARINT:
            shard = item
        elif number == 4 and wire_type == VARINT:
            offset = item
        elif number == 5 and wire_type == VARINT:
            size = item
    name = key.decode("utf-8") if not key.startswith(b"\0") else "\0" + key.hex()
    return Entry(name, dtype, shape, shard, offset, size)


# -- the sorted-table format


def _table(data: bytes):
    """(key, value) of every entry, in order."""
    if len(data) < FOOTER or data[-8:] != TABLE_MAGIC:
        raise ValueError("no table footer (truncated?)")
    footer = data[-FOOTER:]
    pos = 0
    meta_offset, pos = read_varint(footer, pos, 40)
    meta_size, pos = read_varint(footer, pos, 40)
    index_offset, pos = read_varint(footer, pos, 40)
    index_size, pos = read_varint(footer, pos, 40)
    _checked(data, meta_offset, meta_size)  # the metaindex holds nothing we use; its checksum still counts
    for _key, handle in _block(data, index_offset, index_size):
        offset, at = read_varint(handle, 0, len(handle))
        size, _ = read_varint(handle, at, len(handle))
        yield from _block(data, offset, size)


def _checked(data: bytes, offset: int, size: int) -> bytes:
    """A block's bytes, after its checksum is verified (and uncompressed: TensorFlow builds with
    snappy write index blocks as type 1, snappy; the others as type 0, raw)."""
    end = offset + size
    if end + 5 > len(data):
        raise ValueError(f"a block at byte {offset} runs past the end of the file")
    kind = data[end]
    if kind not in (0, 1):
        raise ValueError(f"a block compressed with unknown type {kind}")
    stored = int.from_bytes(data[end + 1:end + 5], "little")
    if _unmask(stored) != crc32c(data[offset:end + 1]):
        raise ValueError(f"the block at byte {offset} fails its checksum")
    return data[offset:end] if kind == 0 else snappy_decompress(data[offset:end])


def snappy_decompress(raw: bytes) -> bytes:
    """The raw snappy format: a varint length, then literals and back-references."""
    length, pos = read_varint(raw, 0, len(raw))
    out = bytearray()
    while pos < len(raw):
        tag = raw[pos]
        pos += 1
        kind = tag & 3
        if kind == 0:  # literal; lengths above 60 follow in 1-4 bytes
            size = tag >> 2
            if size >= 60:
                extra = size - 59
                size = int.from_bytes(raw[pos:pos + extra], "little")
                pos += extra
            size += 1
            if pos + size > len(raw):
                raise ValueError("a snappy literal runs past its block")
            out += raw[pos:pos + size]
            pos += size
            continue
        if kind == 1:
            size = 4 + ((tag >> 2) & 7)
            back = ((tag >> 5) << 8) | raw[pos]
            pos += 1
        else:
            width = 2 if kind == 2 else 4
            size = (tag >> 2) + 1
            back = int.from_bytes(raw[pos:pos + width], "little")
            pos += width
        if back == 0 or back > len(out):
            raise ValueError("a snappy copy reaches before the start of its block")
        for _ in range(size):  # copies may overlap what they write
            out.append(out[-back])
    if len(out) != length:
        raise ValueError(f"a snappy block of {len(out)} bytes, not the {length} it declares")
    return bytes(out)


def _block(data: bytes, offset: int, size: int):
    block = _checked(data, offset, size)
    if len(block) < 4:
        raise ValueError(f"a block at byte {offset} too short for its restart array")
    restarts = int.from_bytes(block[-4:], "little")
    limit = len(block) - 4 - 4 * restarts
    if limit < 0:
        raise ValueError(f"a block at byte {offset} with an impossible restart count")
    pos = 0
    key = b""
    while pos < limit:
        shared, pos = read_varint(block, pos, limit)
        unshared, pos = read_varint(block, pos, limit)
        length, pos = read_varint(block, pos, limit)
        if shared > len(key) or pos + unshared + length > limit:
            raise ValueError(f"a damaged entry in the block at byte {offset}")
        key = key[:shared] + block[pos:pos + unshared]
        pos += unshared
        yield key, block[pos:pos + length]
        pos += length


def _unmask(crc: int) -> int:
    rot = (crc - 0xA282EAD8) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF


@functools.cache
def _crc_table() -> tuple[int, ...]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return tuple(table)


def crc32c(data: bytes) -> int:
    table = _crc_table()
    crc = 0xFFFFFFFF
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF
