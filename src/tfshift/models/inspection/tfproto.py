"""TensorFlow's protobuf messages, read with tfshift's own wire-format walker (no TensorFlow).

Only what inspect and verify need: GraphDef nodes with their attributes, function libraries,
MetaGraphDefs with signatures and savers, SavedModels, TensorProto metadata (dtype, shape, size;
the values are skipped, never copied). Any malformed byte raises WireError, which callers turn
into a one-line ModelFormatError. Field numbers are from tensorflow/core/framework/*.proto and
tensorflow/core/protobuf/{meta_graph,saved_model,saver}.proto.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

from tfshift.models.protowire import I32, LEN, VARINT, Span, WireError, fields, read_varint, text

# types.proto DataType; 100 + n is the reference type of n ("float32_ref").
DTYPES = {
    1: "float32", 2: "float64", 3: "int32", 4: "uint8", 5: "int16", 6: "int8", 7: "string",
    8: "complex64", 9: "int64", 10: "bool", 11: "qint8", 12: "quint8", 13: "qint32",
    14: "bfloat16", 15: "qint16", 16: "quint16", 17: "uint16", 18: "complex128", 19: "float16",
    20: "resource", 21: "variant", 22: "uint32", 23: "uint64", 24: "float8_e5m2",
    25: "float8_e4m3fn", 26: "float8_e4m3fnuz", 27: "float8_e4m3b11fnuz", 28: "float8_e5m2fnuz",
    29: "int4", 30: "uint4", 31: "int2", 32: "uint2",
}
ITEM_BYTES = {
    "float32": 4, "float64": 8, "int32": 4, "uint8": 1, "int16": 2, "int8": 1, "complex64": 8,
    "int64": 8, "bool": 1, "qint8": 1, "quint8": 1, "qint32": 4, "bfloat16": 2, "qint16": 2,
    "quint16": 2, "uint16": 2, "complex128": 16, "float16": 2, "uint32": 4, "uint64": 8,
    "float8_e5m2": 1, "float8_e4m3fn": 1, "float8_e4m3fnuz": 1, "float8_e4m3b11fnuz": 1,
    "float8_e5m2fnuz": 1, "int4": 1, "uint4": 1, "int2": 1, "uint2": 1,
}
Shape = tuple[int | None, ...] | None  # None: unknown rank; None inside: unknown dimension


def dtype_name(number: int) -> str:
    if number > 100 and number - 100 in DTYPES:
        return DTYPES[number - 100] + "_ref"
    return DTYPES.get(number, f"dtype{number}")


def base_dtype(name: str) -> str:
    return name.removesuffix("_ref")


@dataclass(frozen=True)
class TensorMeta:
    """A TensorProto without its values: dtype, shape and how many bytes the values take."""

    dtype: str
    shape: Shape
    nbytes: int
    scalar: int | None = None  # the value of an integer scalar (a one-hot depth, an axis)

    @property
    def size(self) -> int | None:
        if self.shape is None or any(d is None for d in self.shape):
            return None
        n = 1
        for d in self.shape:
            n *= d  # type: ignore[operator]
        return n


@dataclass(frozen=True)
class Node:
    """A NodeDef: name, op type, inputs ("x", "x:1", "^ctrl"), device and decoded attributes."""

    name: str
    op: str
    inputs: tuple[str, ...]
    device: str
    attrs: dict[str, Any]

    @property
    def data_inputs(self) -> list[str]:
        return [i for i in self.inputs if not i.startswith("^")]


@dataclass(frozen=True)
class Function:
    """A FunctionDef of a graph's library: its name and the nodes of its body."""

    name: str
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    functions: tuple[Function, ...] = ()
    producer: int | None = None  # GraphDef version the writer's TensorFlow produces
    min_consumer: int | None = None
    has_versions: bool = False


@dataclass(frozen=True)
class TensorInfo:
    """A signature's input or output: the graph tensor, dtype and shape (dense tensors only)."""

    name: str | None
    dtype: str
    shape: Shape
    encoding: str = "name"  # or "coo_sparse", "composite_tensor"
    components: tuple[str, ...] = ()  # the graph tensors of a sparse or composite one
    component_dtypes: tuple[str, ...] = ()  # a composite one's, as its TensorInfos record them


@dataclass(frozen=True)
class SignatureDef:
    inputs: dict[str, TensorInfo]
    outputs: dict[str, TensorInfo]
    method_name: str = ""


@dataclass(frozen=True)
class MetaGraph:
    tags: tuple[str, ...]
    tensorflow_version: str | None
    tensorflow_git_version: str | None
    graph: Graph | None
    signatures: dict[str, SignatureDef]
    saver: dict[str, str] | None  # SaverDef's filename tensor and restore op, when there is one
    object_graph: bool  # TF2 tf.saved_model.save
    collections: tuple[str, ...] = ()
    stripped_default_attrs: bool = False


@dataclass(frozen=True)
class SavedModel:
    schema_version: int | None
    meta_graphs: tuple[MetaGraph, ...] = field(default_factory=tuple)


# -- small messages


def shape(buf: Any, span: Span) -> Shape:
    """TensorShapeProto: dim = 2 (size = 1, -1 unknown), unknown_rank = 3."""
    dims: list[int | None] = []
    for number, wire_type, value in fields(buf, span):
        if number == 2 and wire_type == LEN:
            size = 0
            for sub, sub_type, sub_value in fields(buf, value):
                if sub == 1 and sub_type == VARINT:
                    size = _signed(sub_value)
            dims.append(None if size < 0 else size)
        elif number == 3 and wire_type == VARINT and value:
            return None
    return tuple(dims)


def tensor_meta(buf: Any, span: Span) -> TensorMeta:
    """TensorProto: dtype = 1, tensor_shape = 2, tensor_content = 4, typed value lists 5-17
    (int_val = 7, int64_val = 10)."""
    dtype = "float32"
    dims: Shape = ()
    nbytes = 0
    first_int = None
    for number, wire_type, value in fields(buf, span):
        if number == 1 and wire_type == VARINT:
            dtype = dtype_name(value)
        elif number == 2 and wire_type == LEN:
            dims = shape(buf, value)
        elif wire_type == LEN:
            nbytes += value[1] - value[0]
            if number in (7, 10) and value[1] > value[0]:
                first_int = _signed(read_varint(buf, value[0], value[1])[0])
            elif number == 4 and value[1] - value[0] in (4, 8):
                first_int = int.from_bytes(bytes(buf[value[0]:value[1]]), "little", signed=True)
        elif number >= 4:
            nbytes += 8 if wire_type != I32 else 4
            if number in (7, 10) and wire_type == VARINT:
                first_int = _signed(value)
    scalar = first_int if dims == () and dtype in ("int32", "int64") else None
    if scalar is not None and dtype == "int32":
        scalar = (scalar + (1 << 31)) % (1 << 32) - (1 << 31)
    return TensorMeta(dtype, dims, nbytes, scalar)


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def attr_value(buf: Any, span: Span) -> Any:
    """AttrValue: list = 1, s = 2, i = 3, f = 4, b = 5, type = 6, shape = 7, tensor = 8,
    placeholder = 9, func = 10 (NameAttrList: name = 1)."""
    for number, wire_type, value in fields(buf, span):
        if number == 1 and wire_type == LEN:
            return _attr_list(buf, value)
        if number == 2 and wire_type == LEN:
            return bytes(buf[value[0]:value[1]])
        if number == 3 and wire_type == VARINT:
            return _signed(value)
        if number == 4 and wire_type == I32:
            return struct.unpack("<f", value.to_bytes(4, "little"))[0]
        if number == 5 and wire_type == VARINT:
            return bool(value)
        if number == 6 and wire_type == VARINT:
            return dtype_name(value)
        if number == 7 and wire_type == LEN:
            return shape(buf, value)
        if number == 8 and wire_type == LEN:
            return tensor_meta(buf, value)
        if number == 9 and wire_type == LEN:
            return ("placeholder", text(buf, value))
        if number == 10 and wire_type == LEN:
            return ("func", _name_of(buf, value))
    return None


def _attr_list(buf: Any, span: Span) -> list[Any]:
    """ListValue: s = 2, i = 3 (packed), f = 4, b = 5, type = 6 (packed), shape = 7, func = 9."""
    items: list[Any] = []
    for number, wire_type, value in fields(buf, span):
        if number in (3, 5, 6) and wire_type == LEN:  # packed varints
            pos, end = value
            while pos < end:
                item, pos = read_varint(buf, pos, end)
                items.append(dtype_name(item) if number == 6 else _signed(item))
        elif number == 6 and wire_type == VARINT:
            items.append(dtype_name(value))
        elif number in (3, 5) and wire_type == VARINT:
            items.append(_signed(value))
        elif number == 2 and wire_type == LEN:
            items.append(bytes(buf[value[0]:value[1]]))
        elif number == 7 and wire_type == LEN:
            items.append(shape(buf, value))
        elif number == 9 and wire_type == LEN:
            items.append(("func", _name_of(buf, value)))
    return items


def _name_of(buf: Any, span: Span) -> str:
    for number, wire_type, value in fields(buf, span):
        if number == 1 and wire_type == LEN:
            return text(buf, value)
    return ""


def node(buf: Any, span: Span) -> Node:
    """NodeDef: name = 1, op = 2, input = 3, device = 4, attr = 5 (map: key = 1, value = 2)."""
    name = op = device = ""
    inputs: list[str] = []
    attrs: dict[str, Any] = {}
    for number, wire_type, value in fields(buf, span):
        if wire_type != LEN:
            continue
        if number == 1:
            name = text(buf, value)
        elif number == 2:
            op = text(buf, value)
        elif number == 3:
            inputs.append(text(buf, value))
        elif number == 4:
            device = text(buf, value)
        elif number == 5:
            key, attr = map_entry(buf, value, attr_value)
            attrs[key] = attr
    if not name or not op:
        raise WireError(f"a node without a {'name' if not name else 'op'} at byte {span[0]}")
    return Node(name, op, tuple(inputs), device, attrs)


def function(buf: Any, span: Span) -> Function:
    """FunctionDef: signature = 1 (OpDef: name = 1), node_def = 3."""
    name = ""
    nodes: list[Node] = []
    for number, wire_type, value in fields(buf, span):
        if number == 1 and wire_type == LEN:
            name = _name_of(buf, value)
        elif number == 3 and wire_type == LEN:
            nodes.append(node(buf, value))
    return Function(name, tuple(nodes))


def graph(buf: Any, span: Span | None = None) -> Graph:
    """GraphDef: node = 1, library = 2 (FunctionDefLibrary: function = 1), versions = 4
    (VersionDef: producer = 1, min_consumer = 2)."""
    nodes: list[Node] = []
    functions: list[Function] = []
    producer = min_consumer = None
    has_versions = False
    for number, wire_type, value in fields(buf, span):
        if number == 1 and wire_type == LEN:
            nodes.append(node(buf, value))
        elif number == 2 and wire_type == LEN:
            for sub, sub_type, sub_value in fields(buf, value):
                if sub == 1 and sub_type == LEN:
                    functions.append(function(buf, sub_value))
        elif number == 4 and wire_type == LEN:
            has_versions = True
            for sub, sub_type, sub_value in fields(buf, value):
                if sub == 1 and sub_type == VARINT:
                    producer = sub_value
                elif sub == 2 and sub_type == VARINT:
                    min_consumer = sub_value
    return Graph(tuple(nodes), tuple(functions), producer, min_consumer, has_versions)


# -- MetaGraphDef and SavedModel


def tensor_info(buf: Any, span: Span) -> TensorInfo:
    """TensorInfo: name = 1, dtype = 2, tensor_shape = 3, coo_sparse = 4, composite_tensor = 5."""
    name = None
    dtype = "invalid"
    dims: Shape = None
    encoding = "name"
    parts: list[str] = []
    dtypes: list[str] = []
    for number, wire_type, value in fields(buf, span):
        if number == 1 and wire_type == LEN:
            name = text(buf, value)
        elif number == 2 and wire_type == VARINT:
            dtype = dtype_name(value) if value else "invalid"
        elif number == 3 and wire_type == LEN:
            dims = shape(buf, value)
        elif number == 4 and wire_type == LEN:
            encoding = "coo_sparse"  # values = 1, indices = 2, dense_shape = 3
            parts += [text(buf, v) for n, w, v in fields(buf, value) if n in (1, 2, 3) and w == LEN]
        elif number == 5 and wire_type == LEN:
            encoding = "composite_tensor"  # components = 2
            for n, w, v in fields(buf, value):
                if n == 2 and w == LEN:
                    inner = tensor_info(buf, v)
                    parts += [inner.name] if inner.name else list(inner.components)
                    dtypes += [inner.dtype] if inner.name else list(inner.component_dtypes)
    return TensorInfo(name, dtype, dims, encoding, tuple(parts), tuple(dtypes))


def map_entry(buf: Any, span: Span, parse: Any) -> tuple[str, Any]:
    """One entry of a map<string, Message> field: (key = 1, parse(value = 2)); None if absent."""
    key, found = "", None
    for number, wire_type, value in fields(buf, span):
        if number == 1 and wire_type == LEN:
            key = text(buf, value)
        elif number == 2 and wire_type == LEN:
            found = parse(buf, value)
    return key, found


def _tensor_map(buf: Any, span: Span, into: dict[str, TensorInfo]) -> None:
    key, info = map_entry(buf, span, tensor_info)
    if info is not None:
        into[key] = info


def signature_def(buf: Any, span: Span) -> SignatureDef:
    """SignatureDef: inputs = 1, outputs = 2 (maps of TensorInfo), method_name = 3."""
    inputs: dict[str, TensorInfo] = {}
    outputs: dict[str, TensorInfo] = {}
    method = ""
    for number, wire_type, value in fields(buf, span):
        if number == 1 and wire_type == LEN:
            _tensor_map(buf, value, inputs)
        elif number == 2 and wire_type == LEN:
            _tensor_map(buf, value, outputs)
        elif number == 3 and wire_type == LEN:
            method = text(buf, value)
    return SignatureDef(dict(sorted(inputs.items())), dict(sorted(outputs.items())), method)


def meta_graph(buf: Any, span: Span | None = None) -> MetaGraph:
    """MetaGraphDef: meta_info_def = 1 (tags = 4, tensorflow_version = 5, git_version = 6,
    stripped_default_attrs = 7), graph_def = 2, saver_def = 3 (filename_tensor_name = 1,
    restore_op_name = 3), collection_def = 4, signature_def = 5, object_graph_def = 7."""
    tags: list[str] = []
    version = git_version = None
    stripped = object_graph = False
    the_graph = None
    saver = None
    signatures: dict[str, SignatureDef] = {}
    collections: list[str] = []
    for number, wire_type, value in fields(buf, span):
        if wire_type != LEN:
            continue
        if number == 1:
            for sub, sub_type, sub_value in fields(buf, value):
                if sub == 4 and sub_type == LEN:
                    tags.append(text(buf, sub_value))
                elif sub == 5 and sub_type == LEN:
                    version = text(buf, sub_value) or None
                elif sub == 6 and sub_type == LEN:
                    git_version = text(buf, sub_value) or None
                elif sub == 7 and sub_type == VARINT:
                    stripped = bool(sub_value)
        elif number == 2:
            the_graph = graph(buf, value)
        elif number == 3:
            saver = {}
            for sub, sub_type, sub_value in fields(buf, value):
                if sub == 1 and sub_type == LEN:
                    saver["filename_tensor"] = text(buf, sub_value)
                elif sub == 3 and sub_type == LEN:
                    saver["restore_op"] = text(buf, sub_value)
        elif number == 4:
            collections.append(_name_of(buf, value))
        elif number == 5:
            key, sig = map_entry(buf, value, signature_def)
            if sig is not None:
                signatures[key] = sig
        elif number == 7:
            object_graph = True
    return MetaGraph(tuple(tags), version, git_version, the_graph, dict(sorted(signatures.items())),
                     saver, object_graph, tuple(collections), stripped)


def saved_model(buf: Any) -> SavedModel:
    """SavedModel: saved_model_schema_version = 1, meta_graphs = 2."""
    schema = None
    metas: list[MetaGraph] = []
    for number, wire_type, value in fields(buf):
        if number == 1 and wire_type == VARINT:
            schema = value
        elif number == 2 and wire_type == LEN:
            metas.append(meta_graph(buf, value))
    return SavedModel(schema, tuple(metas))
