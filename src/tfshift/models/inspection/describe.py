"""Everything a model's files say without running it: `describe(path) -> Description`.

The format comes from tfshift.models.formats; then the whole model is parsed on the host
(protobuf by tfshift's own reader, checkpoint indexes, HDF5 metadata in a child process, JSON),
so a truncated or damaged model is refused here, in milliseconds, before any TensorFlow starts.
Nothing is deserialised into Keras objects and nothing is unpickled: no model code runs.
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfshift.models import formats
from tfshift.models.formats import ModelFile, ModelFormatError
from tfshift.models.inspection import bundle, keras_files, provenance, tfproto
from tfshift.models.inspection.graphs import GraphView, Uncovered, call_name, op_name
from tfshift.models.inspection.provenance import Provenance
from tfshift.models.protowire import WireError
from tfshift.runtime.signature import TensorSpec
from tfshift.runtime.worker import composites, modelguard

DETECTED = "(detected)"  # the name of a graph's signature that no file records
SAVER_PLACEHOLDERS = ("saver_filename",)  # TF2 SavedModels: the save/restore file name


@dataclass
class SignatureInfo:
    name: str
    inputs: list[TensorSpec]
    outputs: list[TensorSpec]
    method: str = ""
    # sparse and ragged inputs ({"name", "kind", "dtype", "shape", "components"}): `inputs`
    # holds their components, as the runtime feeds them (runtime/worker/composites.py)
    composites: list[dict[str, Any]] = field(default_factory=list)

    @property
    def detected(self) -> bool:
        return self.name == DETECTED

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "detected": self.detected, "method": self.method or None,
                "inputs": [_spec_dict(s) for s in self.inputs],
                "outputs": [_spec_dict(s) for s in self.outputs], "composites": self.composites}


def _spec_dict(spec: TensorSpec) -> dict[str, Any]:
    return {"name": spec.name, "dtype": spec.dtype,
            "shape": list(spec.shape) if spec.shape is not None else None, "tensor": spec.tensor}


@dataclass
class Variables:
    """The model's weights: variables (checkpoints), constants (frozen graphs) or Keras weights."""

    kind: str
    count: int = 0
    values: int = 0
    nbytes: int = 0
    dtypes: Counter[str] = field(default_factory=Counter)
    optimizer: int = 0  # optimizer state kept beside them (slots, iterations), not counted above

    def add(self, dtype: str, shape: tfproto.Shape, nbytes: int | None = None) -> None:
        dtype = tfproto.base_dtype(dtype)
        values = 1
        for d in shape or ():
            values *= d or 0
        self.count += 1
        self.values += values
        self.nbytes += nbytes if nbytes is not None else values * tfproto.ITEM_BYTES.get(dtype, 0)
        self.dtypes[dtype] += 1

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "count": self.count, "values": self.values,
                "bytes": self.nbytes, "dtypes": dict(self.dtypes.most_common()),
                "optimizer_state": self.optimizer}


@dataclass
class Description:
    model: ModelFile
    provenance: Provenance
    signatures: list[SignatureInfo] = field(default_factory=list)
    variables: Variables | None = None
    ops: Counter[str] = field(default_factory=Counter)
    op_kind: str = "ops"  # "ops" (graph op types) or "layers" (Keras layer classes)
    functions: int = 0
    uncovered: list[Uncovered] = field(default_factory=list)
    index_ranges: dict[str, int] = field(default_factory=dict)  # integer input -> rows it indexes
    notes: list[str] = field(default_factory=list)
    graph: tfproto.Graph | None = None
    tag_sets: list[list[str]] = field(default_factory=list)
    code_layers: list[str] = field(default_factory=list)  # Keras: Lambda layers holding bytecode
    foreign_modules: list[str] = field(default_factory=list)  # Keras: "module.Class" outside Keras
    unknown_ops: list[str] = field(default_factory=list)  # Keras op layers calling unlisted TF functions
    model_class: str | None = None  # Keras: the model's own class (Functional, Sequential, Model)
    converted: dict[str, Any] | None = None  # the provenance `tfshift convert` recorded, if any
    compute_dtype: str | None = None  # Keras: a mixed precision policy's compute dtype

    @property
    def format(self) -> str:
        return self.model.format

    def signature(self, name: str | None = None) -> SignatureInfo | None:
        for sig in self.signatures:
            if name is None or sig.name == name:
                return sig
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.model.path),
            "format": self.model.format,
            "description": self.model.description,
            "files": [str(f) for f in self.model.files],
            "bytes": sum(f.stat().st_size for f in self.model.files if f.is_file()),
            "flavour": self.model.flavour,
            "producer": self.provenance.to_dict(),
            "tag_sets": self.tag_sets,
            "signatures": [s.to_dict() for s in self.signatures],
            "variables": self.variables.to_dict() if self.variables else None,
            "op_kind": self.op_kind,
            "ops": dict(sorted(self.ops.items(), key=lambda kv: (-kv[1], kv[0]))),
            "functions": self.functions,
            "uncovered_placeholders": [
                {"name": u.name, "dtype": u.dtype, "shape": list(u.shape) if u.shape is not None else None,
                 "has_default": u.has_default, "needed_by": list(u.needed_by)} for u in self.uncovered],
            "index_ranges": self.index_ranges,
            "model_class": self.model_class,
            "code_layers": self.code_layers,
            "foreign_modules": self.foreign_modules,
            "unknown_ops": self.unknown_ops,
            "converted": self.converted,
            "notes": self.notes,
        }


def describe(path: str | Path) -> Description:
    """Parse the model at `path`; ModelFormatError (one line) when it is damaged."""
    found = formats.detect(path)
    reader = {
        formats.FROZEN_GRAPH: _frozen_graph,
        formats.CHECKPOINT: _checkpoint,
        formats.SAVED_MODEL: _saved_model,
        formats.KERAS_H5: _keras_h5,
        formats.KERAS: _keras,
    }[found.format]
    try:
        desc = reader(found)
    except WireError as exc:
        raise ModelFormatError(f"{found.path}: a truncated or damaged {found.description} ({exc})") from None
    from tfshift.models.convert.output import read_provenance  # (convert imports this module)

    desc.converted = read_provenance(found.path)
    return desc


# -- graphs


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _frozen_graph(found: ModelFile) -> Description:
    if found.text:
        desc = Description(found, provenance.from_producer(None))
        desc.notes.append("a text GraphDef: its nodes are read when it is loaded, not here")
        return desc
    graph = tfproto.graph(_read(found.path))
    view = _closed(GraphView(graph), found.path)
    desc = Description(found, provenance.from_producer(graph.producer), graph=graph)
    _graph_facts(desc, view, None)
    desc.variables = _constants(graph)
    return desc


def _closed(view: GraphView, where: Path) -> GraphView:
    missing = view.missing_inputs()
    if missing:
        node, name = missing[0]
        raise ModelFormatError(f"{where}: node {node!r} takes input {name!r}, which is not in the "
                               "graph: truncated or damaged?")
    return view


def _constants(graph: tfproto.Graph) -> Variables:
    found = Variables("constants")
    for n in graph.nodes:
        value = n.attrs.get("value")
        if n.op == "Const" and isinstance(value, tfproto.TensorMeta) and value.shape:
            found.add(value.dtype, value.shape)
    return found


def _graph_facts(desc: Description, view: GraphView, meta: tfproto.MetaGraph | None) -> None:
    """Signatures (recorded, else detected), op counts, uncovered placeholders, index ranges."""
    desc.ops = view.op_counts()
    desc.functions = len(view.graph.functions)
    fed: list[str] = []
    outputs: dict[str, str] = {}
    recorded = {k: v for k, v in (meta.signatures if meta else {}).items() if not k.startswith("__")}
    for key, sig in recorded.items():
        shown = [spec for n, t in sig.outputs.items() for spec in _output_specs(view, n, t)]
        info = SignatureInfo(key, [_info_spec(n, t) for n, t in sig.inputs.items()], shown,
                             sig.method_name)
        desc.signatures.append(info)
        fed.extend(t.name for t in sig.inputs.values() if t.name)
        fed.extend(part for t in sig.inputs.values() for part in t.components)
        outputs.update({f"{key}/{s.name}": s.tensor for s in shown if s.tensor})
    if not recorded:
        out_tensors, left_out = view.outputs()
        in_tensors = view.inputs_of(out_tensors)
        if left_out:
            desc.notes.append(
                f"a training graph: its outputs are taken to be {', '.join(call_name(t) for t in out_tensors)}; "
                f"left out: {', '.join(call_name(t) for t in left_out)} (scalar metrics) and "
                "the optimizer's state; name others with --outputs / --output-names")
        if out_tensors:
            desc.signatures.append(SignatureInfo(DETECTED, [view.spec(t) for t in in_tensors],
                                                 [view.spec(t) for t in out_tensors]))
        fed = in_tensors
        outputs = {view.spec(t).name: t for t in out_tensors}
    skip = set(SAVER_PLACEHOLDERS)
    if meta is not None and meta.saver and meta.saver.get("filename_tensor"):
        skip.add(op_name(meta.saver["filename_tensor"]))
    desc.uncovered = [u for u in view.uncovered(fed, outputs)
                      if u.name not in skip and (not u.has_default or u.needed_by)]
    for sig in desc.signatures:
        for spec in sig.inputs:
            if spec.dtype.startswith(("int", "uint")) and spec.tensor:
                rows = view.index_range(spec.tensor)
                if rows:
                    desc.index_ranges[spec.name] = rows


def _output_specs(view: GraphView, key: str, info: tfproto.TensorInfo) -> list[TensorSpec]:
    """A signature output; a sparse or ragged one as the components the runtime fetches
    (s_indices, s_values, s_dense_shape; r_component_0, ...), specs from the graph."""
    parts = info.components
    if info.encoding == "coo_sparse" and len(parts) == 3:
        values, indices, dense_shape = parts  # TensorInfo.CooSparse's field order
        names = composites.component_names(key, composites.SPARSE, 3)
        rank = None if info.shape is None else len(info.shape)
        return [TensorSpec(names[0], "int64", (None, rank), indices),
                TensorSpec(names[1], tfproto.base_dtype(info.dtype), (None,), values),
                TensorSpec(names[2], "int64", (rank,), dense_shape)]
    if info.encoding == "composite_tensor" and parts:
        names = composites.component_names(key, composites.RAGGED, len(parts))
        dtypes = info.component_dtypes if len(info.component_dtypes) == len(parts) else ("?",) * len(parts)
        return [TensorSpec(name, tfproto.base_dtype(dtype), view.spec(tensor).shape, tensor)
                for name, tensor, dtype in zip(names, parts, dtypes, strict=True)]
    return [_info_spec(key, info)]


def _info_spec(key: str, info: tfproto.TensorInfo) -> TensorSpec:
    return TensorSpec(key, tfproto.base_dtype(info.dtype), info.shape, info.name)


def _meta_graph_facts(desc: Description, meta: tfproto.MetaGraph, where: Path) -> None:
    if meta.graph is None:
        raise ModelFormatError(f"{where}: a MetaGraphDef without a graph: truncated or damaged?")
    view = _closed(GraphView(meta.graph), where)
    desc.graph = meta.graph
    _graph_facts(desc, view, meta)
    for name, sig in meta.signatures.items():
        sparse = [k for k, t in sig.inputs.items() if t.encoding not in ("name", "coo_sparse", "composite_tensor")]
        if sparse:
            desc.notes.append(f"signature {name!r}: inputs ({', '.join(sparse)}) of an encoding "
                              "tfshift cannot feed yet")


def _composite_inputs(desc: Description, data: Any, tags: tuple[str, ...]) -> None:
    """Sparse and ragged signature inputs as the runtime feeds them: their components, named
    x_indices, x_values, x_dense_shape / r_component_0, ... (TF2's flattened x, x_1, x_2 and
    TF1's coo_sparse alike), each signature listing the composite it belongs to."""
    try:
        found = composites.saved_model(data, list(tags))
    except WireError:
        return
    for sig in desc.signatures:
        groups = found.get(sig.name) or []
        if not groups:
            continue
        by_key = {spec.name: spec for spec in sig.inputs}
        replaced: dict[str, list[TensorSpec]] = {}
        for group in groups:
            parts = []
            for (shown, key), (dtype, shape) in zip(group.parts, group.specs, strict=True):
                plain = by_key.get(key) if group.encoding == "tf2" else None
                if plain is not None:
                    parts.append(TensorSpec(shown, plain.dtype, plain.shape, plain.tensor))
                else:
                    parts.append(TensorSpec(shown, dtype or "int64",
                                            None if shape is None else tuple(shape), key))
            first = group.parts[0][1] if group.encoding == "tf2" else group.name
            replaced[first] = parts
            for _, key in group.parts[1:] if group.encoding == "tf2" else ():
                replaced[key] = []
        inputs: list[TensorSpec] = []
        for spec in sig.inputs:
            inputs.extend(replaced.get(spec.name, [spec]))
        sig.inputs = inputs
        sig.composites = [g.wire() for g in groups]


def _checkpoint(found: ModelFile) -> Description:
    prefix = found.prefix if found.prefix is not None else str(found.path)
    _, shards = formats._checkpoint_files(prefix)
    variables = bundle.read(prefix, shards)
    if found.meta_graph is None:
        desc = Description(found, provenance.from_tensorflow(None))
        desc.notes.append("a TF2 object-based checkpoint (no .meta): it holds weights but no graph; "
                          "only the code that built the model can run it")
    else:
        meta = tfproto.meta_graph(_read(found.meta_graph))
        desc = Description(found, provenance.from_tensorflow(meta.tensorflow_version))
        _meta_graph_facts(desc, meta, found.meta_graph)
        if not meta.saver:
            raise ModelFormatError(f"{found.meta_graph}: a MetaGraphDef without a saver, so its "
                                   "variables cannot be restored: truncated or damaged?")
    named = found.details.get("state_names")
    if named:
        desc.notes.append(f"its `checkpoint` file names {named!r}, which is not here: read "
                          f"{prefix!r} beside it instead (as TensorFlow restores a prefix it is given)")
    if prefix.endswith(("/", "\\")):
        desc.notes.append(f"an empty checkpoint prefix (files {Path(prefix).name or '.'}/.index, "
                          f".meta, .data-*): TensorFlow names it {prefix!r}")
    desc.variables = _bundle_variables(variables)
    return desc


def _bundle_variables(found: bundle.Bundle) -> Variables:
    variables = Variables("variables")
    for entry in found.entries:
        if entry.optimizer_state:
            variables.optimizer += 1
        else:
            variables.add(entry.dtype, entry.shape, entry.nbytes)
    return variables


def _saved_model(found: ModelFile) -> Description:
    if found.text:
        desc = Description(found, provenance.from_tensorflow(None))
        desc.notes.append("a text SavedModel (saved_model.pbtxt): read when it is loaded, not here")
        return desc
    pb = found.path / "saved_model.pb"
    data = _read(pb)
    model = tfproto.saved_model(data)
    if not model.meta_graphs:
        raise ModelFormatError(f"{pb}: a SavedModel without meta graphs: truncated or damaged?")
    meta = _serving_meta_graph(model.meta_graphs)
    desc = Description(found, provenance.from_tensorflow(meta.tensorflow_version),
                       tag_sets=[list(m.tags) for m in model.meta_graphs])
    _meta_graph_facts(desc, meta, pb)
    _composite_inputs(desc, data, meta.tags)
    if len(model.meta_graphs) > 1:
        desc.notes.append(f"{len(model.meta_graphs)} meta graphs; described: tags {','.join(meta.tags)}")
    prefix = str(found.path / "variables" / "variables")
    if formats._exists(prefix, ".index"):
        _, shards = formats._checkpoint_files(prefix)
        desc.variables = _bundle_variables(bundle.read(prefix, shards))
    else:
        desc.variables = Variables("variables")
    if found.details.get("keras") and not found.details.get("keras_metadata"):
        desc.notes.append("written by Keras 2 before TF 2.5 (its Keras config is in the object "
                          "graph): Keras 3 cannot load_model it")
    if found.details.get("keras") and desc.variables.optimizer and found.flavour == "tf2":
        desc.notes.append("it keeps a Keras 2 optimizer's slots: TensorFlow 2.16+ without Keras 2 "
                          "cannot tf.saved_model.load it ('_UserObject' object has no attribute "
                          "'add_slot'); tfshift convert writes one that loads")
    metadata = found.path / "keras_metadata.pb"
    if metadata.is_file():
        desc.notes.append("written by Keras 2 (keras_metadata.pb): Keras 3 cannot load_model it; "
                          "its signatures still run")
    if metadata.is_file() or found.details.get("keras"):
        try:
            _code_facts(desc, keras_files.saved_model_code(found.path))
        except ModelFormatError as exc:
            desc.notes.append(f"{exc}: Keras cannot load_model it (its signatures do not need it)")
    return desc


def _serving_meta_graph(metas: tuple[tfproto.MetaGraph, ...]) -> tfproto.MetaGraph:
    for meta in metas:
        if meta.tags == ("serve",):
            return meta
    return metas[0]


# -- Keras


def _keras_h5(found: ModelFile) -> Description:
    meta = keras_files.read_h5(found.path)
    attrs = meta.attrs
    raw = attrs.get("model_config")
    if raw is None:
        raise ModelFormatError(f"{found.path}: an HDF5 file with weights only (no model_config): "
                               "load the weights into the model's code with load_weights()")
    config = keras_files.parse_config(raw, found.path)
    version, backend = attrs.get("keras_version"), attrs.get("backend")
    desc = Description(found, provenance.from_keras(str(version) if version else None,
                                                    str(backend) if backend else None))
    _keras_facts(desc, config)
    desc.variables = _h5_weights(meta, "model_weights/", "optimizer_weights/")
    return desc


def _keras(found: ModelFile) -> Description:
    if found.details.get("unzipped"):
        config = formats.read_json(found.path / "config.json", found.path)
        meta_path = found.path / "metadata.json"
        metadata = formats.read_json(meta_path, found.path) if meta_path.is_file() else {}
        weights = keras_files.read_h5(found.path / "model.weights.h5")
    else:
        config, metadata, weights = _keras_zip(found.path)
    version = metadata.get("keras_version") if isinstance(metadata, dict) else None
    desc = Description(found, provenance.from_keras(str(version) if version else None))
    _keras_facts(desc, config)
    if weights is not None:
        desc.variables = _h5_weights(weights, "", "optimizer/")
    return desc


def _keras_zip(path: Path) -> tuple[dict[str, Any], Any, keras_files.H5Metadata | None]:
    try:
        with zipfile.ZipFile(path) as zf:
            config = keras_files.parse_config(formats.zip_json(zf, "config.json", path), path)
            names = set(zf.namelist())
            metadata = formats.zip_json(zf, "metadata.json", path) if "metadata.json" in names else {}
            bad = zf.testzip()
    except (zipfile.BadZipFile, EOFError, KeyError, UnicodeDecodeError, ValueError) as exc:
        raise ModelFormatError(f"{path}: a damaged .keras archive ({exc})") from None
    if bad is not None:
        raise ModelFormatError(f"{path}: {bad} inside the .keras archive fails its CRC: damaged")
    weights = keras_files.read_h5(path, "model.weights.h5") if "model.weights.h5" in names else None
    return config, metadata, weights


def _keras_facts(desc: Description, config: dict[str, Any]) -> None:
    info = keras_files.describe_config(config)
    desc.op_kind = "layers"
    desc.ops = info.layers
    desc.model_class = info.class_name
    desc.signatures.append(SignatureInfo("keras", info.inputs, info.outputs))
    desc.index_ranges = dict(info.index_ranges)
    _code_facts(desc, info.code)
    text = json.dumps(config)
    for policy, dtype in (("mixed_bfloat16", "bfloat16"), ("mixed_float16", "float16")):
        if f'"{policy}"' in text:
            desc.compute_dtype = dtype
            desc.notes.append(f"a {policy} dtype policy: it computes in {dtype}; verify "
                              f"compares it at {dtype}'s tolerances")
            break
    if info.keras2_only:
        desc.notes.append(f"TFOpLambda/SlicingOpLambda layer(s) {', '.join(info.keras2_only[:5])}: "
                          "Keras 3 cannot load them (run under a Keras 2 TensorFlow or --keras2)")


def _code_facts(desc: Description, found: modelguard.Findings) -> None:
    """What in the Keras metadata would run Python code on load (modelguard's verdict)."""
    desc.code_layers, desc.foreign_modules, desc.unknown_ops = found.code, found.modules, found.ops
    if found.code:
        desc.notes.append(f"Lambda layer(s) {', '.join(found.code)} hold Python bytecode that "
                          "runs on load: loading needs --unsafe (only for files you trust)")
    if found.modules:
        desc.notes.append(f"names Python module(s) outside Keras ({', '.join(found.modules)}) that "
                          "Keras would import: loading needs --custom-objects with those classes, "
                          "or --unsafe (only for files you trust)")
    if found.ops:
        desc.notes.append(f"op layer(s) {', '.join(found.ops)} call TensorFlow functions tfshift "
                          "does not know to be free of side effects: loading with Keras needs "
                          "--unsafe (only for files you trust)")


def _h5_weights(meta: keras_files.H5Metadata, under: str, optimizer: str) -> Variables:
    found = Variables("weights")
    for name, dtype, shape in meta.datasets:
        if name.startswith(optimizer):
            found.optimizer += 1
        elif name.startswith(under):
            found.add(dtype, shape)
    return found
