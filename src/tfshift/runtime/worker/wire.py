"""The runtime's wire format, shared by the host and the worker.

This module runs on both sides: in the host (Python 3.10+, any NumPy) and, loaded by file path,
in the worker (Python 3.7+, NumPy 1.16+). Standard library and NumPy only.

A frame is a 16-byte prefix (magic, header length, payload length), a JSON header and a raw
payload. Arrays never travel pickled (a NumPy 2 pickle does not load in NumPy 1): the header
describes each array by dtype string, shape and where its bytes are, either inline in the
payload or in a shared-memory slab (a file in /dev/shm that only the host creates and removes).
"""
import json
import struct

import numpy as np

PROTOCOL = 1
MAGIC = b"TFS1"
PREFIX = struct.Struct("<4sIQ")
ALIGN = 64  # TensorFlow aliases NumPy buffers only when they are 64-byte aligned
INLINE_LIMIT = 64 * 1024  # larger arrays go through a slab when one is available

STRING = "string"  # variable-length byte strings (TF string tensors, NumPy object arrays)
BFLOAT16 = "bfloat16"  # raw 16-bit patterns; each side maps them to its own bfloat16 type
_LENGTH = np.dtype("<u8")


class ProtocolError(Exception):
    """The other side sent something that is not a frame of this protocol."""


def aligned(n):
    return (n + ALIGN - 1) // ALIGN * ALIGN


def prefix(header_len, payload_len):
    return PREFIX.pack(MAGIC, header_len, payload_len)


def parse_prefix(data):
    magic, header_len, payload_len = PREFIX.unpack(bytes(data[:PREFIX.size]))
    if magic != MAGIC:
        raise ProtocolError("bad frame magic %r" % (magic,))
    return header_len, payload_len


_JSON = json.JSONEncoder(separators=(",", ":"))


def dump_header(header):
    return _JSON.encode(header).encode("utf-8")


def load_header(data):
    return json.loads(bytes(data).decode("utf-8"))


class Packed(object):
    """One array in wire form: a NumPy array to copy from, or prepared bytes (strings)."""

    __slots__ = ("array", "dtype", "nbytes", "raw", "shape")

    def __init__(self, dtype, shape, nbytes, array=None, raw=None):
        self.dtype = dtype
        self.shape = shape  # a NumPy shape: a tuple of ints
        self.nbytes = nbytes
        self.array = array
        self.raw = raw

    def buffer(self):
        """The wire bytes as one buffer: a copy when small (cheapest), else a view."""
        if self.raw is not None:
            return self.raw
        if self.nbytes <= INLINE_LIMIT:
            return self.array.tobytes()
        return memoryview(np.ascontiguousarray(self.array).reshape(-1).view(np.uint8))

    def write_into(self, view):
        """Copy the wire bytes into `view` (a writable memoryview of exactly nbytes)."""
        if self.raw is not None:
            view[:] = self.raw
        elif self.nbytes:
            target = np.frombuffer(view, dtype=self.array.dtype).reshape(self.array.shape)
            np.copyto(target, self.array, casting="no")


def pack(value, bfloat16=None):
    """Wire form of one array; `bfloat16` is this side's bfloat16 dtype, if it has one."""
    a = value if type(value) is np.ndarray else np.asarray(value)
    dtype = a.dtype
    kind = dtype.kind
    if kind == "O":
        return _pack_strings(a)
    if kind == "V":  # structured or sub-array dtypes, and bfloat16 (which this side may know)
        if bfloat16 is not None and dtype == bfloat16:
            return Packed(BFLOAT16, a.shape, a.nbytes, array=a.view(np.uint16))
        raise TypeError("arrays of dtype %s cannot cross to another process" % (dtype,))
    if dtype.fields is not None or dtype.subdtype is not None:
        raise TypeError("arrays of dtype %s cannot cross to another process" % (dtype,))
    if not dtype.isnative:
        a = a.astype(dtype.newbyteorder("="))
    return Packed(a.dtype.str, a.shape, a.nbytes, array=a)


def _pack_strings(a):
    items = []
    for item in a.reshape(-1).tolist():
        if isinstance(item, str):
            item = item.encode("utf-8")
        elif not isinstance(item, bytes):
            raise TypeError("object arrays may hold only str or bytes, not %s" % type(item).__name__)
        items.append(item)
    lengths = np.array([len(item) for item in items], dtype=_LENGTH)
    raw = lengths.tobytes() + b"".join(items)
    return Packed(STRING, a.shape, len(raw), raw=raw)


def unpack(desc, view, bfloat16=None):
    """The array described by `desc` whose wire bytes are `view` (not copied when possible)."""
    dtype = desc["dtype"]
    shape = desc["shape"]
    if dtype == STRING:
        return _unpack_strings(shape, view)
    if dtype == BFLOAT16:
        if bfloat16 is None:
            raise TypeError("received a bfloat16 array but this side has no bfloat16 type")
        target = np.dtype(bfloat16)
        if not desc["nbytes"]:
            return np.empty(shape, dtype=target)
        return np.frombuffer(view, dtype=np.uint16).view(target).reshape(shape)
    target = np.dtype(dtype)
    if not desc["nbytes"]:
        return np.empty(shape, dtype=target)
    return np.frombuffer(view, dtype=target).reshape(shape)


def _unpack_strings(shape, view):
    count = 1
    for d in shape:
        count *= d
    out = np.empty(count, dtype=object)
    if count:
        lengths = np.frombuffer(view, dtype=_LENGTH, count=count).tolist()
        data = bytes(view[count * _LENGTH.itemsize:])
        pos = 0
        for i, n in enumerate(lengths):
            out[i] = data[pos:pos + n]
            pos += n
    return out.reshape(shape)


def encode(header, arrays, place=None, bfloat16=None, limit=INLINE_LIMIT):
    """The buffers of one frame: `header` plus `arrays` (a list of (name, array)).

    Arrays over `limit` bytes go to shared memory when `place(nbytes)` returns a region
    (slab name, writable memoryview); otherwise, or when it returns None, they go inline.
    """
    if not arrays:  # most frames: a call's small header, or a reply without arrays
        head = dump_header(header)
        return [prefix(len(head), 0), head]
    packed = [(name, pack(value, bfloat16)) for name, value in arrays]
    large = 0
    for _, p in packed:
        if p.nbytes > limit:
            large += aligned(p.nbytes)
    region = place(large) if (large and place is not None) else None
    descs = []
    payload = []
    inline_at = 0
    slab_at = 0
    for name, p in packed:
        desc = {"name": name, "dtype": p.dtype, "shape": p.shape, "nbytes": p.nbytes}
        if region is not None and p.nbytes > limit:
            slab, view = region
            p.write_into(view[slab_at:slab_at + p.nbytes])
            desc["slab"] = slab
            desc["offset"] = slab_at
            slab_at += aligned(p.nbytes)
        else:
            desc["offset"] = inline_at
            payload.append(p.buffer())
            pad = aligned(p.nbytes) - p.nbytes
            if pad:
                payload.append(b"\0" * pad)
            inline_at += aligned(p.nbytes)
        descs.append(desc)
    if descs:
        header = dict(header, arrays=descs)
    head = dump_header(header)
    return [prefix(len(head), inline_at), head, *payload]


def decode(header, payload, slab_view=None, bfloat16=None):
    """The (name, array) pairs of a received frame; `slab_view(name)` maps a slab."""
    out = []
    inline = None
    for desc in header.get("arrays", ()):
        start = desc["offset"]
        end = start + desc["nbytes"]
        if "slab" in desc:
            if slab_view is None:
                raise ProtocolError("array %r is in shared memory, which is off" % desc["name"])
            view = slab_view(desc["slab"])[start:end]
        else:
            if inline is None:
                inline = memoryview(payload)
            view = inline[start:end]
        out.append((desc["name"], unpack(desc, view, bfloat16)))
    return out
