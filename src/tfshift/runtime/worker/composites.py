"""Sparse and ragged signature inputs, as the plain arrays a caller feeds: their components.

A SignatureDef holds a sparse or ragged input in one of three ways:
- TF1 `coo_sparse` (build_tensor_info of a SparseTensor): three graph tensors;
- `composite_tensor` (a ragged tensor in a TF1 signature): a TypeSpec and its component tensors;
- TF2 (tf.saved_model.save) flattens the argument: `x`, `x_1`, `x_2` are a SparseTensor's
  indices, values and dense_shape, `r`, `r_1` a RaggedTensor's flat_values and row_splits. The
  SignatureDef does not say so; the traced function it wraps does (a SparseTensorSpec or
  RaggedTensorSpec in the object graph's canonicalized input signatures), so the flat inputs
  are grouped where their names, dtypes and ranks fit such a spec.
Whatever the encoding, tfshift shows and feeds the same names: `x_indices`, `x_values`,
`x_dense_shape` for a sparse x; `r_component_0` (flat values), `r_component_1`... (row splits,
outermost first) for a ragged r. So a TF1 model and its TF2 conversion take the same arrays.

Standard library only, Python 3.7: the host (inspect, verify) and the workers read it alike.
"""
import mmap
import os

from .protowire import LEN, VARINT, fields

SPARSE, RAGGED = "sparse", "ragged"
# DataType enum (types.proto) -> TF name, for the dtypes a component can have.
DTYPES = {1: "float32", 2: "float64", 3: "int32", 4: "uint8", 5: "int16", 6: "int8", 7: "string",
          8: "complex64", 9: "int64", 10: "bool", 14: "bfloat16", 17: "uint16", 18: "complex128",
          19: "float16", 22: "uint32", 23: "uint64"}
SPARSE_TENSOR_SPEC, RAGGED_TENSOR_SPEC = 1, 3  # TypeSpecProto.TypeSpecClass


class Composite(object):
    """One sparse or ragged input: `name`, its kind, values dtype, shape (None: unknown rank;
    dims None when unknown), and `parts`: [(component name shown, signature key or graph
    tensor)], in component order."""

    def __init__(self, name, kind, dtype, shape, parts, row_splits_dtype="int64", encoding="tf2",
                 specs=None):
        self.name = name
        self.specs = specs or [(None, None)] * len(parts)  # (dtype, shape) of each component
        self.kind = kind
        self.dtype = dtype
        self.shape = shape
        self.parts = parts
        self.row_splits_dtype = row_splits_dtype
        self.encoding = encoding  # "tf2" (flattened keys), "coo_sparse", "composite_tensor"

    @property
    def ragged_rank(self):
        return len(self.parts) - 1 if self.kind == RAGGED else 0

    def names(self):
        return [shown for shown, _ in self.parts]

    def wire(self):
        return {"name": self.name, "kind": self.kind, "dtype": self.dtype, "shape": self.shape,
                "components": self.names(), "row_splits_dtype": self.row_splits_dtype,
                "encoding": self.encoding}

    def describe(self):
        dims = "[...]" if self.shape is None else "[%s]" % ", ".join(
            "?" if d is None else str(d) for d in self.shape)
        return "%s: %s %s%s" % (self.name, self.kind, self.dtype, dims)


def component_names(name, kind, count):
    if kind == SPARSE:
        return [name + "_indices", name + "_values", name + "_dense_shape"]
    return ["%s_component_%d" % (name, i) for i in range(count)]


# -- reading saved_model.pb


def read(path, tags=None, key=None):
    """{signature key: [Composite]} of the SavedModel directory `path`: the meta graph with
    `tags` (default: the first), each signature (only `key` when given). {} when unreadable:
    the loader's own errors say more."""
    pb = os.path.join(path, "saved_model.pb")
    try:
        with open(pb, "rb") as fh:
            if not os.fstat(fh.fileno()).st_size:
                return {}
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return saved_model(data, tags, key)
    except (OSError, ValueError):
        return {}


def saved_model(data, tags=None, key=None):
    """As read(), over the bytes of a saved_model.pb (WireError when damaged)."""
    metas = [span for number, wire, span in fields(data) if number == 2 and wire == LEN]
    chosen = None
    for span in metas:
        if tags is None or sorted(_tags(data, span)) == sorted(tags):
            chosen = span
            break
    if chosen is None:
        return {}
    specs, signatures = [], []
    for number, wire, span in fields(data, chosen):
        if wire != LEN:
            continue
        if number == 5:
            signatures.append(_map_entry(data, span))
        elif number == 7:
            specs.extend(_object_graph_specs(data, span))
    out = {}
    for name, span in signatures:
        if name is None or (key is not None and name != key) or span is None:
            continue
        found = signature(data, span, specs)
        if found:
            out[name] = found
    return out


def signature(data, span, specs):
    """[Composite] of one SignatureDef's inputs (inputs = 1, a map of TensorInfo)."""
    infos = {}
    for number, wire, value in fields(data, span):
        if number == 1 and wire == LEN:
            name, info = _map_entry(data, value)
            if name is not None and info is not None:
                infos[name] = tensor_info(data, info)
    found = []
    for name in sorted(infos):
        info = infos[name]
        if info["encoding"] == "coo_sparse":
            shape = info["shape"]
            tensors = info["coo"]
            parts = list(zip(component_names(name, SPARSE, 3),
                             [tensors.get("indices"), tensors.get("values"), tensors.get("dense_shape")]))
            rank = None if shape is None else len(shape)
            specs = [("int64", [None, rank]), (info["dtype"], [None]), ("int64", [rank])]
            found.append(Composite(name, SPARSE, info["dtype"], shape, parts, encoding="coo_sparse",
                                   specs=specs))
        elif info["encoding"] == "composite_tensor":
            comp = info["composite"]
            kind = {SPARSE_TENSOR_SPEC: SPARSE, RAGGED_TENSOR_SPEC: RAGGED}.get(comp["class"])
            if kind is None:
                continue
            tensors = [c["name"] for c in comp["components"]]
            parts = list(zip(component_names(name, kind, len(tensors)), tensors))
            state = comp["state"] or {}
            dtype = state.get("dtype") or (comp["components"][0]["dtype"] if comp["components"] else None)
            row_splits = comp["components"][1]["dtype"] if len(comp["components"]) > 1 else "int64"
            if kind == SPARSE and len(comp["components"]) == 3:
                dtype = comp["components"][1]["dtype"]
            found.append(Composite(name, kind, dtype, state.get("shape"), parts, row_splits,
                                   encoding="composite_tensor",
                                   specs=[(c["dtype"], c["shape"]) for c in comp["components"]]))
    plain = dict((n, i) for n, i in infos.items() if i["encoding"] == "name")
    found.extend(_flattened(plain, specs))
    return found


def _flattened(infos, specs):
    """TF2's flattened composites: `n`, `n_1`, ... whose dtypes and ranks fit a traced spec."""
    found, used = [], set()
    for name in sorted(infos):
        if name in used:
            continue
        for spec in specs:
            keys = [name] + ["%s_%d" % (name, i) for i in range(1, spec["count"])]
            if any(k not in infos or k in used for k in keys) or "%s_%d" % (name, spec["count"]) in infos:
                continue
            parts = [infos[k] for k in keys]
            if not _fits(spec, parts):
                continue
            kind = spec["kind"]
            shown = component_names(name, kind, len(keys))
            found.append(Composite(name, kind, spec["dtype"], spec["shape"], list(zip(shown, keys)),
                                   spec.get("row_splits_dtype", "int64"),
                                   specs=[(p["dtype"], p["shape"]) for p in parts]))
            used.update(keys)
            break
    return found


def _fits(spec, parts):
    def rank(info):
        return None if info["shape"] is None else len(info["shape"])

    if spec["kind"] == SPARSE:
        indices, values, dense_shape = parts
        want = None if spec["shape"] is None else len(spec["shape"])
        return (indices["dtype"] == "int64" and rank(indices) == 2 and values["dtype"] == spec["dtype"]
                and rank(values) == 1 and dense_shape["dtype"] == "int64" and rank(dense_shape) == 1
                and (want is None or indices["shape"][1] in (None, want)))
    values, splits = parts[0], parts[1:]
    return (values["dtype"] == spec["dtype"] and rank(values) is not None and rank(values) >= 1
            and all(s["dtype"] == spec["row_splits_dtype"] and rank(s) == 1 for s in splits))


# -- protobuf pieces


def _tags(data, meta):
    for number, wire, span in fields(data, meta):
        if number == 1 and wire == LEN:  # meta_info_def: tags = 4
            return [_text(data, s) for n, w, s in fields(data, span) if n == 4 and w == LEN]
    return []


def _map_entry(data, span):
    key = value = None
    for number, wire, got in fields(data, span):
        if number == 1 and wire == LEN:
            key = _text(data, got)
        elif number == 2 and wire == LEN:
            value = got
    return key, value


def _text(data, span):
    return bytes(data[span[0]:span[1]]).decode("utf-8", "replace")


def shape(data, span):
    """TensorShapeProto (dim = 2 {size = 1}, unknown_rank = 3) -> list (None per unknown) or None."""
    dims = []
    for number, wire, value in fields(data, span):
        if number == 3 and wire == VARINT and value:
            return None
        if number == 2 and wire == LEN:
            size = -1
            for n, w, v in fields(data, value):
                if n == 1 and w == VARINT:
                    size = v - (1 << 64) if v >= 1 << 63 else v
            dims.append(None if size < 0 else size)
    return dims


def tensor_info(data, span):
    """TensorInfo: name = 1, dtype = 2, tensor_shape = 3, coo_sparse = 4, composite_tensor = 5."""
    info = {"name": None, "dtype": None, "shape": None, "encoding": "name"}
    for number, wire, value in fields(data, span):
        if number == 1 and wire == LEN:
            info["name"] = _text(data, value)
        elif number == 2 and wire == VARINT:
            info["dtype"] = DTYPES.get(value, "dtype%d" % value)
        elif number == 3 and wire == LEN:
            info["shape"] = shape(data, value)
        elif number == 4 and wire == LEN:
            info["encoding"] = "coo_sparse"
            keys = {1: "values", 2: "indices", 3: "dense_shape"}
            info["coo"] = dict((keys[n], _text(data, v)) for n, w, v in fields(data, value)
                               if n in keys and w == LEN)
        elif number == 5 and wire == LEN:
            info["encoding"] = "composite_tensor"
            comp = {"class": None, "state": None, "components": []}
            for n, w, v in fields(data, value):
                if n == 1 and w == LEN:
                    comp["class"], comp["state"] = _type_spec(data, v)
                elif n == 2 and w == LEN:
                    comp["components"].append(tensor_info(data, v))
            info["composite"] = comp
    return info


def _type_spec(data, span):
    """TypeSpecProto: (type_spec_class, {"shape", "dtype", "ragged_rank", "row_splits_dtype"})."""
    cls, state = None, None
    for number, wire, value in fields(data, span):
        if number == 1 and wire == VARINT:
            cls = value
        elif number == 2 and wire == LEN:
            state = value
    items = _tuple_items(data, state) if state is not None else []
    found = {}
    if cls in (SPARSE_TENSOR_SPEC, RAGGED_TENSOR_SPEC) and len(items) >= 2:
        found["shape"] = items[0] if isinstance(items[0], list) or items[0] is None else None
        found["dtype"] = items[1] if isinstance(items[1], str) else None
        if cls == RAGGED_TENSOR_SPEC and len(items) >= 4:
            found["ragged_rank"] = items[2] if isinstance(items[2], int) else None
            found["row_splits_dtype"] = items[3] if isinstance(items[3], str) else "int64"
    return cls, found


def _tuple_items(data, span):
    """The simple values of a StructuredValue tuple: shapes as lists, dtypes as names, ints."""
    out = []
    for number, wire, value in fields(data, span):
        if number == 52 and wire == LEN:  # tuple_value: values = 1
            for n, w, v in fields(data, value):
                if n == 1 and w == LEN:
                    out.append(_simple(data, v))
    return out


def _simple(data, span):
    for number, wire, value in fields(data, span):
        if number == 31 and wire == LEN:
            return shape(data, value)
        if number == 32 and wire == VARINT:
            return DTYPES.get(value, "dtype%d" % value)
        if number == 12 and wire == VARINT:  # int64_value is a sint64: zigzag-encoded
            return (value >> 1) ^ -(value & 1)
        if number == 1:
            return None
    return None


def _object_graph_specs(data, span):
    """Sparse and ragged TypeSpecs anywhere in the concrete functions' input signatures
    (SavedObjectGraph: concrete_functions = 2, SavedConcreteFunction: canonicalized_input_signature = 3)."""
    specs = []
    for number, wire, value in fields(data, span):
        if number != 2 or wire != LEN:
            continue
        _, function = _map_entry(data, value)
        if function is None:
            continue
        for n, w, v in fields(data, function):
            if n == 3 and w == LEN:
                _collect(data, v, specs)
    unique = []
    for spec in specs:
        if spec not in unique:
            unique.append(spec)
    return unique


def _collect(data, span, out):
    """Walk a StructuredValue (iteratively: a hostile file nests deep) for composite TypeSpecs."""
    stack = [span]
    while stack:
        current = stack.pop()
        for number, wire, value in fields(data, current):
            if wire != LEN:
                continue
            if number == 34:  # type_spec_value
                cls, state = _type_spec(data, value)
                if cls == SPARSE_TENSOR_SPEC and state.get("dtype"):
                    out.append({"kind": SPARSE, "dtype": state["dtype"], "shape": state.get("shape"),
                                "count": 3})
                elif cls == RAGGED_TENSOR_SPEC and state.get("dtype") and state.get("ragged_rank"):
                    out.append({"kind": RAGGED, "dtype": state["dtype"], "shape": state.get("shape"),
                                "count": state["ragged_rank"] + 1,
                                "row_splits_dtype": state.get("row_splits_dtype", "int64")})
            elif number in (51, 52):  # list_value, tuple_value: values = 1
                stack.extend(v for n, w, v in fields(data, value) if n == 1 and w == LEN)
            elif number == 53:  # dict_value: fields = 1 (map entries: value = 2)
                for n, w, v in fields(data, value):
                    if n == 1 and w == LEN:
                        stack.extend(x for m, ww, x in fields(data, v) if m == 2 and ww == LEN)
            elif number == 54:  # named_tuple_value: values = 2 (PairValue: value = 2)
                for n, w, v in fields(data, value):
                    if n == 2 and w == LEN:
                        stack.extend(x for m, ww, x in fields(data, v) if m == 2 and ww == LEN)


