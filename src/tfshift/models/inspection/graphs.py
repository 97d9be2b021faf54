"""What a TF graph's nodes say, on the host: inputs, outputs, uncovered placeholders, index ranges.

Mirrors what the runtime's graph loader does inside TensorFlow (the sink rules are shared:
tfshift.runtime.worker.graphrules), so `inspect` shows the signature `verify` will call.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from tfshift.models.inspection.tfproto import Graph, Node, TensorMeta, base_dtype
from tfshift.runtime.signature import TensorSpec
from tfshift.runtime.worker.graphrules import NO_DATA, is_result, training_outputs, trains

PLACEHOLDERS = ("Placeholder", "PlaceholderV2")
WITH_DEFAULT = "PlaceholderWithDefault"
# Ops that hand their first input through unchanged (for following an input to what uses it).
PASS_THROUGH = frozenset(["Identity", "Cast", "Reshape", "ExpandDims", "Squeeze", "StopGradient",
                          "Enter", "Switch", "Merge", "ReadVariableOp", "IdentityN", "Snapshot"])
GATHERS = {"Gather": 1, "GatherV2": 1, "ResourceGather": 1}  # op -> which input holds the indices
VARIABLES = ("VariableV2", "Variable", "VarHandleOp")
_DTYPE_ATTRS = ("dtype", "out_type", "DstT", "output_type", "Tout", "T", "type")
# Ops whose output type is fixed whatever their attributes say about their inputs.
_FIXED_DTYPES = {
    **dict.fromkeys(("Greater", "GreaterEqual", "Less", "LessEqual", "Equal", "NotEqual",
                     "LogicalAnd", "LogicalOr", "LogicalNot", "IsNan", "IsInf", "IsFinite",
                     "InTopK", "InTopKV2", "ApproximateEqual", "IsVariableInitialized"), "bool"),
    **dict.fromkeys(("StringJoin", "AsString", "StringFormat", "ReduceJoin", "EncodeBase64",
                     "DecodeBase64", "StringLower", "StringUpper", "RegexReplace",
                     "StaticRegexReplace", "Substr", "EncodeJpeg", "EncodePng"), "string"),
    **dict.fromkeys(("StringLength", "StringToHashBucketFast", "StringToHashBucket",
                     "StringToHashBucketStrong"), "int64"),
    **dict.fromkeys(("Shape", "Size", "Rank"), "int32"),
    **dict.fromkeys(("ArgMax", "ArgMin"), "int64"),
}


def op_name(tensor: str) -> str:
    """The node a tensor reference names: "x" for "x:0", "^x" and "x"."""
    return tensor.lstrip("^").split(":")[0]


def tensor_name(name: str) -> str:
    return name if ":" in name else f"{name}:0"


def call_name(tensor: str) -> str:
    """A graph tensor's name in calls and results, as the runtime names it: `probs` for `probs:0`."""
    op, _, index = tensor.rpartition(":")
    return op if index == "0" else tensor


@dataclass(frozen=True)
class Uncovered:
    """A placeholder no signature input feeds."""

    name: str
    dtype: str
    shape: tuple | None
    has_default: bool
    needed_by: tuple[str, ...]  # signature outputs that depend on it


class GraphView:
    """A graph's nodes by name, and who consumes whom."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.nodes = {n.name: n for n in graph.nodes}
        self.consumers: dict[str, list[tuple[Node, int]]] = defaultdict(list)
        for n in graph.nodes:
            for position, name in enumerate(n.inputs):
                self.consumers[op_name(name)].append((n, -1 if name.startswith("^") else position))

    def missing_inputs(self) -> list[tuple[str, str]]:
        """(node, input) pairs whose input names no node: the mark of a cut or damaged graph."""
        return [(n.name, i) for n in self.graph.nodes for i in n.inputs
                if op_name(i) not in self.nodes]

    def op_counts(self) -> Counter[str]:
        """Op types of the graph and of every function body, without calls to library functions."""
        functions = {f.name for f in self.graph.functions}
        counts: Counter[str] = Counter(n.op for n in self.graph.nodes if n.op not in functions)
        for f in self.graph.functions:
            counts.update(n.op for n in f.nodes if n.op not in functions)
        return counts

    # -- the signature a graph gets when none is recorded

    def outputs(self) -> tuple[list[str], list[str]]:
        """(tensors of the sink ops that compute something, the scalar metrics of a training
        graph left out of them): the runtime's rule."""
        consumed = set(self.consumers)
        found = []
        for n in self.graph.nodes:
            inputs = [self.nodes[op_name(i)].op for i in n.inputs
                      if not i.startswith("^") and op_name(i) in self.nodes]
            if n.name in consumed or not is_result(n.op, n.name, inputs):
                continue
            for index, dtype in enumerate(self._output_dtypes(n)):
                if dtype not in NO_DATA:
                    found.append(f"{n.name}:{index}")
        if not found or not trains(n.op for n in self.graph.nodes):
            return found, []
        ranks = []
        for tensor in found:
            shape = self.spec(tensor).shape
            ranks.append((tensor, None if shape is None else len(shape)))
        return training_outputs(ranks)

    def inputs_of(self, outputs: Iterable[str]) -> list[str]:
        """The placeholders the outputs depend on (a PlaceholderWithDefault keeps its default)."""
        return sorted(f"{name}:0" for name in self.ancestors(outputs)
                      if self.nodes[name].op in PLACEHOLDERS)

    def ancestors(self, tensors: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        stack = [op_name(t) for t in tensors]
        while stack:
            name = stack.pop()
            if name in seen or name not in self.nodes:
                continue
            seen.add(name)
            stack.extend(op_name(i) for i in self.nodes[name].inputs)
        return seen

    def spec(self, tensor: str) -> TensorSpec:
        """A tensor's spec as far as the attributes tell: dtype, and shape where recorded."""
        tensor = tensor_name(tensor)
        name, _, index = tensor.rpartition(":")
        node = self.nodes.get(name)
        if node is None:
            return TensorSpec(call_name(tensor), "?", None, tensor)
        dtypes = self._output_dtypes(node)
        position = int(index)
        dtype = dtypes[position] if position < len(dtypes) else "?"
        shape = None
        if node.op in PLACEHOLDERS or node.op == WITH_DEFAULT:
            shape = node.attrs.get("shape")
        else:
            shapes = node.attrs.get("_output_shapes")
            if isinstance(shapes, list) and position < len(shapes):
                shape = shapes[position]
            elif isinstance(node.attrs.get("value"), TensorMeta):
                shape = node.attrs["value"].shape
        return TensorSpec(call_name(tensor), base_dtype(dtype), shape, tensor)

    def _output_dtypes(self, node: Node) -> list[str]:
        declared = node.attrs.get("_output_shapes")
        count = len(declared) if isinstance(declared, list) and declared else 1
        fixed = _FIXED_DTYPES.get(node.op)
        if fixed is not None:
            override = node.attrs.get("out_type") or node.attrs.get("output_type")
            return [override if isinstance(override, str) else fixed] * count
        for key in _DTYPE_ATTRS:
            value = node.attrs.get(key)
            if isinstance(value, str):
                return [value] * count
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                return list(value)
        return ["?"] * count

    # -- placeholders and ranges

    def placeholders(self) -> list[Node]:
        return [n for n in self.graph.nodes if n.op in PLACEHOLDERS or n.op == WITH_DEFAULT]

    def uncovered(self, fed: Iterable[str], outputs: dict[str, str]) -> list[Uncovered]:
        """Placeholders that no input in `fed` (tensor names) covers; `outputs`: name -> tensor."""
        fed_ops = {op_name(t) for t in fed}
        needs = {name: self.ancestors([tensor]) for name, tensor in outputs.items()}
        found = []
        for n in self.placeholders():
            if n.name in fed_ops:
                continue
            needed = tuple(sorted(o for o, seen in needs.items() if n.name in seen))
            spec = self.spec(n.name)
            found.append(Uncovered(n.name, spec.dtype, spec.shape, n.op == WITH_DEFAULT, needed))
        return found

    def index_range(self, placeholder: str) -> int | None:
        """For an integer input used as indices (embedding lookup, one-hot): how many rows.

        Follows the input through ops that pass it on unchanged to a gather whose table's first
        dimension is known, or a one-hot with a constant depth; the smallest such size.
        """
        sizes = []
        seen: set[str] = set()
        stack = [op_name(placeholder)]
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            for consumer, position in self.consumers.get(name, ()):
                if consumer.op in PASS_THROUGH and position == 0:
                    stack.append(consumer.name)
                elif GATHERS.get(consumer.op) == position:
                    rows = self._rows(consumer.inputs[0])
                    if rows:
                        sizes.append(rows)
                elif consumer.op == "OneHot" and position == 0 and len(consumer.inputs) > 1:
                    depth = self._scalar(consumer.inputs[1])
                    if depth:
                        sizes.append(depth)
        return min(sizes) if sizes else None

    def _source(self, tensor: str) -> Node | None:
        node = self.nodes.get(op_name(tensor))
        hops = 0
        while node is not None and node.op in PASS_THROUGH and node.inputs and hops < 50:
            node = self.nodes.get(op_name(node.inputs[0]))
            hops += 1
        return node

    def _rows(self, tensor: str) -> int | None:
        node = self._source(tensor)
        if node is None:
            return None
        shape = node.attrs.get("shape") if node.op in VARIABLES else None
        value = node.attrs.get("value")
        if node.op == "Const" and isinstance(value, TensorMeta):
            shape = value.shape
        if shape and shape[0]:
            return shape[0]
        return None

    def _scalar(self, tensor: str) -> int | None:
        """The value of a small integer Const, read from its TensorProto when it is a scalar."""
        node = self._source(tensor)
        value = node.attrs.get("value") if node is not None else None
        if node is None or node.op != "Const" or not isinstance(value, TensorMeta):
            return None
        return value.scalar
