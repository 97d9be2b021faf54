"""The protobuf wire-format walker, shared with the runtime's workers (see its module)."""

from tfshift.runtime.worker.protowire import (  # noqa: F401
    I32,
    I64,
    LEN,
    VARINT,
    Span,
    WireError,
    fields,
    first,
    read_varint,
    text,
)
