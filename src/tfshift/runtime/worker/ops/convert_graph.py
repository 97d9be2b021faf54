"""TF1 graphs to TF2 SavedModels, the worker's half (see tfshift.models.convert.graph).

`graph_export` runs in the TensorFlow that reads the source (TF 1.x, or 2.x through
tf.compat.v1): it opens a frozen graph, a checkpoint or a TF1 SavedModel in a Session over a
private graph, the route TF1 itself used, so reference variables, v1 control flow and table
initialisers work. It freezes what the signatures need, then turns each variable back into a
placeholder whose value travels beside the graph, and describes the tables the graph looks up.

`graph_write` runs in the target TensorFlow 2.x: it imports that graph into a
`tf.compat.v1.wrap_function`, with the placeholders mapped to real tf.Variables and the tables
rebuilt (text-file tables from their asset, the others from their exported contents), prunes one
function per signature and saves a TF2 SavedModel, then loads it again to prove it works.
Exporting a loaded TF1 SavedModel directly would lose its reference variables (tensorflow#59287).
"""
import importlib
import importlib.util
import os
import re

import numpy as np

from .. import tfcompat
from ..errors import LoadError, OperationError
from ..loaders.graph import load_checkpoint, load_frozen, tensor_name
from ..loaders.saved_model import DEFAULT_SIGNATURE, open_in_session, pick_tags, signature_tensors
from ..registry import operation

VARIABLE_OPS = ("VariableV2", "Variable", "VarHandleOp", "AutoReloadVariable")
TABLE_OPS = ("HashTableV2", "HashTable", "MutableHashTableV2", "MutableHashTable",
             "MutableHashTableOfTensorsV2", "MutableDenseHashTableV2")
TEXT_INIT_OPS = ("InitializeTableFromTextFileV2", "InitializeTableFromTextFile")
KEEPABLE = ("float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64",
            "uint8", "uint16", "uint32", "uint64", "bool", "string", "complex64", "complex128")


# -- the source side


@operation("graph_export")
def graph_export(state, header, arrays):
    try:
        session, signatures, assets = open_source(header)
    except (LoadError, OperationError):
        raise
    except Exception as exc:
        raise LoadError("%s: %s" % (type(exc).__name__, tfcompat.first_line(exc))) from exc
    try:
        return export(session, signatures, assets, header)
    finally:
        session.close()


def open_source(request):
    """(session, signatures, {asset tensor name: path}) for the source model."""
    fmt = request.get("format")
    if fmt == "saved_model":
        return open_saved_model(request)
    if fmt == "frozen_graph":
        model = load_frozen(request)
    elif fmt == "checkpoint":
        model = load_checkpoint(request)
    else:
        raise LoadError("graph_export reads TF1 graphs, not %r" % (fmt,))
    signature = {
        "name": request.get("signature") or DEFAULT_SIGNATURE,
        "inputs": [spec_of(s.name, s.tensor, s) for s in model.inputs],
        "outputs": [spec_of(s.name, s.tensor, s) for s in model.outputs],
        "left_out": model.info.get("outputs_left_out") or [],
    }
    return model.session, [signature], {}


def spec_of(key, tensor, spec):
    return {"name": key, "tensor": tensor, "dtype": spec.dtype, "shape": spec.shape}


def open_saved_model(request):
    session, meta_graph, _ = open_in_session(request)
    graph = session.graph
    wanted = request.get("signature")
    keys = sorted(k for k in meta_graph.signature_def if not k.startswith("_"))
    if wanted:
        if wanted not in meta_graph.signature_def:
            raise LoadError("no signature %r; the signatures are: %s" % (wanted, ", ".join(keys) or "none"))
        keys = [wanted]
    if not keys:
        raise LoadError("the SavedModel has no signatures to convert (saved without a "
                        "signature_def_map); convert its checkpoint with --inputs/--outputs")
    signatures = []
    for key in keys:
        definition = meta_graph.signature_def[key]
        signatures.append({"name": key, "inputs": bind(graph, key, definition.inputs),
                           "outputs": bind(graph, key, definition.outputs)})
    return session, signatures, asset_paths(meta_graph, request["path"])


def asset_paths(meta_graph, folder):
    """{asset tensor name: file in the SavedModel's assets/}: TF 2.x records them in
    asset_file_def, TF 1.x in the saved_model_assets collection."""
    from tensorflow.core.protobuf import meta_graph_pb2

    defs = list(meta_graph.asset_file_def)
    collection = meta_graph.collection_def.get("saved_model_assets")
    if collection is not None:
        for any_value in collection.any_list.value:
            asset = meta_graph_pb2.AssetFileDef()
            any_value.Unpack(asset)
            defs.append(asset)
    return dict((a.tensor_info.name, os.path.join(folder, "assets", a.filename)) for a in defs)


def bind(graph, key, infos):
    return [{"name": name, "tensor": t.name, "dtype": tfcompat.dtype_name(t.dtype),
             "shape": tfcompat.shape_of(t.shape)}
            for name, t in signature_tensors(graph, key, infos, "convert")]


# Weights above this go the large route: the graph is never frozen (a GraphDef holds at most
# 2 GB), and variables the checkpoint holds travel as their checkpoint keys, not as values.
LARGE = 1 << 30


def export(session, signatures, assets, request):
    tf1 = tfcompat.tf1
    graph = session.graph
    graph_def = graph.as_graph_def()
    keep = [op_name(t["tensor"]) for s in signatures for t in s["inputs"] + s["outputs"]]
    keep = sorted(set(keep))
    needed = tf1.graph_util.extract_sub_graph(graph_def, keep)
    variables = [n.name for n in needed.node if n.op in VARIABLE_OPS]
    trainable = set(v.op.name for v in graph.get_collection(tf1.GraphKeys.TRAINABLE_VARIABLES))
    replace = set(request.get("replace_ops") or ())
    kept, folded, values = [], [], []
    weights = sum(variable_bytes(graph, name) for name in variables)
    if variables and weights >= LARGE and not request.get("freeze"):
        frozen = needed
        restorable = checkpoint_keys(request)
        for name in variables:
            dtype, shape = variable_spec(graph, name)
            entry = {"node": name, "dtype": dtype, "shape": shape, "trainable": name in trainable}
            if restorable.get(name) == shape:
                entry["checkpoint"] = restorable["__prefix__"]
                entry["key"] = name
            else:
                entry["array"] = "var%d" % len(kept)
                values.append((entry["array"], session.run(graph.get_tensor_by_name(name + ":0"))))
            kept.append(entry)
        variables_to_placeholders(frozen, dict((v["node"], v) for v in kept))
    else:
        frozen = tf1.graph_util.convert_variables_to_constants(session, graph_def, keep) if variables else needed
        nodes = dict((n.name, n) for n in frozen.node)
        for name in variables:
            node = nodes.get(name)
            if node is None or node.op != "Const":
                continue
            value = tfcompat.tf.make_ndarray(node.attr["value"].tensor)
            dtype = tfcompat.dtype_name(node.attr["dtype"].type)
            if request.get("freeze") or dtype not in KEEPABLE:
                folded.append(name)
                continue
            to_placeholder(node, value.shape)
            key = "var%d" % len(kept)
            kept.append({"node": name, "dtype": dtype, "shape": list(value.shape),
                         "trainable": name in trainable, "array": key})
            values.append((key, value))
    check_fed(frozen, signatures, set(v["node"] for v in kept))
    tables, table_arrays = describe_tables(session, graph, frozen, assets)
    for node in frozen.node:
        node.device = ""
        if "_class" in node.attr:  # colocation with nodes that may be gone after pruning
            del node.attr["_class"]
    replaced = describe_replaced(graph, frozen, replace)
    data = np.frombuffer(frozen.SerializeToString(), dtype=np.uint8)
    reply = {
        "signatures": signatures,
        "variables": kept,
        "folded": folded,
        "tables": tables,
        "replaced": replaced,
        "nodes": len(frozen.node),
        "ops": op_attrs(frozen),
        "tensorflow": tfcompat.tf.__version__,
    }
    return reply, [("graph_def", data), *values, *table_arrays]


def variable_spec(graph, name):
    tensor = graph.get_operation_by_name(name).outputs[0]
    dtype = tensor.dtype.base_dtype
    if dtype == tfcompat.tf.resource:  # a resource variable: its dtype and shape are attributes
        op = graph.get_operation_by_name(name)
        return tfcompat.dtype_name(op.get_attr("dtype")), tfcompat.shape_of(op.get_attr("shape"))
    return tfcompat.dtype_name(dtype), tfcompat.shape_of(tensor.shape)


def variable_bytes(graph, name):
    dtype, shape = variable_spec(graph, name)
    size = tfcompat.tf.as_dtype(dtype).size if dtype not in ("string", "variant") else 8
    for dim in shape or ():
        size *= dim or 0
    return size


def checkpoint_keys(request):
    """{variable: shape} of what the source's checkpoint holds, plus its "__prefix__"."""
    fmt, path = request.get("format"), request.get("path")
    prefix = os.path.join(path, "variables", "variables") if fmt == "saved_model" else path
    if fmt not in ("checkpoint", "saved_model") or not os.path.exists(prefix + ".index"):
        return {}
    found = dict((name, list(shape)) for name, shape in tfcompat.tf1.train.list_variables(prefix))
    found["__prefix__"] = prefix
    return found


def variables_to_placeholders(graph_def, kept):
    """Without freezing: each variable becomes a placeholder of its value (a resource
    variable's reads become Identity), so no weight is ever inside the GraphDef."""
    tf = tfcompat.tf
    handles = set()
    for node in graph_def.node:
        entry = kept.get(node.name)
        if entry is not None:
            if node.op == "VarHandleOp":
                handles.add(node.name)
            to_placeholder(node, entry["shape"])
            node.attr["dtype"].type = tf.as_dtype(entry["dtype"]).as_datatype_enum
    for node in graph_def.node:
        if not node.input or op_name(node.input[0]) not in handles:
            continue
        if node.op == "ReadVariableOp":
            dtype = node.attr["dtype"].type
            node.op = "Identity"
            del node.attr["dtype"]
            node.attr["T"].type = dtype
        elif node.op == "ResourceGather":
            dtype = node.attr["dtype"].type
            node.op = "Gather"
            for key in list(node.attr.keys()):
                if key not in ("Tindices", "validate_indices"):
                    del node.attr[key]
            node.attr["Tparams"].type = dtype


def check_fed(graph_def, signatures, variables):
    """A TF2 signature cannot leave a placeholder unfed (TF raises UnliftableError): say which."""
    nodes = dict((n.name, n) for n in graph_def.node)
    for signature in signatures:
        fed = set(op_name(t["tensor"]) for t in signature["inputs"])
        stack = [op_name(t["tensor"]) for t in signature["outputs"]]
        seen = set()
        while stack:
            name = stack.pop()
            if name in seen or name not in nodes:
                continue
            seen.add(name)
            node = nodes[name]
            if node.op == "Placeholder" and name not in fed and name not in variables:
                raise LoadError(
                    "signature %r needs placeholder %r, which it does not feed (a TF2 signature "
                    "cannot leave one unfed): for a graph, add it with --inputs; for a SavedModel, "
                    "export it with that placeholder as a signature input or a "
                    "placeholder_with_default" % (signature["name"], name))
            if name not in fed:
                stack.extend(op_name(i) for i in node.input)


def op_attrs(graph_def):
    """{op type: attribute names its nodes set}: what the target must know to import the graph."""
    found = {}
    for node in graph_def.node:
        found.setdefault(node.op, set()).update(k for k in node.attr if not k.startswith("_"))
    return dict((op, sorted(attrs)) for op, attrs in found.items())


def op_name(tensor):
    return tensor.split(":")[0].lstrip("^")


def to_placeholder(node, shape):
    dtype = node.attr["dtype"].type
    node.op = "Placeholder"
    node.ClearField("input")
    for key in list(node.attr.keys()):
        del node.attr[key]
    node.attr["dtype"].type = dtype
    dims = node.attr["shape"].shape
    for size in shape:
        dims.dim.add().size = int(size)


def describe_tables(session, graph, frozen, assets):
    """How to rebuild each hash table the frozen graph looks up, and the arrays that need."""
    tables, arrays = [], []
    initializers = {}
    for op in graph.get_operations():
        if op.type.startswith("InitializeTable") and op.inputs:
            initializers[op.inputs[0].op.name] = op
    for node in frozen.node:
        if node.op not in TABLE_OPS:
            continue
        key_dtype = tfcompat.dtype_name(node.attr["key_dtype"].type)
        value_dtype = tfcompat.dtype_name(node.attr["value_dtype"].type)
        entry = {"node": node.name, "op": node.op, "key_dtype": key_dtype, "value_dtype": value_dtype}
        init = initializers.get(node.name)
        if init is not None and init.type in TEXT_INIT_OPS and node.op.startswith("HashTable"):
            filename = init.inputs[1]
            path = assets.get(filename.name)
            if path is None:
                path = session.run(filename)
                path = path.decode("utf-8") if isinstance(path, bytes) else str(path)
            if os.path.isfile(path):
                entry.update(kind="text_file", path=os.path.abspath(path),
                             key_index=init.get_attr("key_index"),
                             value_index=init.get_attr("value_index"),
                             vocab_size=init.get_attr("vocab_size"),
                             delimiter=init.get_attr("delimiter"))
                entry["delimiter"] = to_text(entry["delimiter"])
                entry["offset"] = attr_or(init, "offset", 0)
                tables.append(entry)
                continue
        # Any other table: its contents now, rebuilt as a static table.
        handle = graph.get_tensor_by_name(node.name + ":0")
        with graph.as_default():
            export_op = export_table(handle, node)
        keys, values = session.run(export_op)
        name = "table%d" % len(tables)
        entry.update(kind="contents", keys=name + "_keys", values=name + "_values",
                     size=int(np.asarray(keys).shape[0]) if np.ndim(keys) else 0,
                     mutable=not node.op.startswith("HashTable"))
        tables.append(entry)
        arrays.append((name + "_keys", np.asarray(keys)))
        arrays.append((name + "_values", np.asarray(values)))
    return tables, arrays


def export_table(handle, node):
    from tensorflow.python.ops import gen_lookup_ops

    tf = tfcompat.tf
    key_dtype = tf.as_dtype(node.attr["key_dtype"].type)
    value_dtype = tf.as_dtype(node.attr["value_dtype"].type)
    if handle.dtype == tf.resource:
        return gen_lookup_ops.lookup_table_export_v2(handle, key_dtype, value_dtype)
    return gen_lookup_ops.lookup_table_export(handle, key_dtype, value_dtype)


def attr_or(op, name, default):
    try:
        return op.get_attr(name)
    except ValueError:
        return default


def to_text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def describe_replaced(graph, frozen, replace):
    """The nodes whose op a user function replaces: inputs, attributes, output dtypes and shapes."""
    found = []
    for node in frozen.node:
        if node.op not in replace:
            continue
        op = graph.get_operation_by_name(node.name)
        found.append({
            "node": node.name, "op": node.op,
            "inputs": [i for i in node.input if not i.startswith("^")],
            "outputs": [{"dtype": tfcompat.dtype_name(t.dtype), "shape": tfcompat.shape_of(t.shape)}
                        for t in op.outputs],
            "attrs": dict((k, attr_value(op, k)) for k in sorted(node.attr) if not k.startswith("_")),
        })
    return found


def attr_value(op, key):
    """An attribute as JSON: numbers, strings, bools, dtype names, shapes, lists of those."""
    value = op.get_attr(key)
    return json_value(value)


def json_value(value):
    tf = tfcompat.tf
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, tf.DType):
        return value.name
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if hasattr(value, "dim"):  # TensorShapeProto
        return tfcompat.shape_of(tf.TensorShape(value))
    if isinstance(value, tf.TensorShape):
        return tfcompat.shape_of(value)
    return str(value)


# -- the target side


def require_tf2():
    """TensorFlow, when it can write TF2 SavedModels (2.0 and newer)."""
    if tfcompat.graph_mode():
        raise OperationError("TF %s cannot write TF2 SavedModels; convert to TF 2.0 or newer"
                             % tfcompat.tf.__version__)
    return tfcompat.tf


@operation("graph_write")
def graph_write(state, header, arrays):
    tf = require_tf2()
    arrays = dict(arrays)
    graph_def = tfcompat.tf1.GraphDef()
    graph_def.ParseFromString(arrays.pop("graph_def").tobytes())
    module = tf.Module()
    variables = dict((v["node"], tf.Variable(initial_value(v, arrays), name=variable_name(v["node"]),
                                             trainable=v["trainable"]))
                     for v in header.get("variables", ()))
    tables = dict((t["node"], make_table(t, arrays)) for t in header.get("tables", ()))
    module.graph_variables = list(variables.values())  # tracked: saved in variables/
    module.graph_tables = list(tables.values())  # tracked: initialised when loaded
    replace = dict((r["node"], r) for r in header.get("replaced", ()))
    functions = load_functions(header.get("replace_ops") or {})
    graph_def = without_table_nodes(graph_def, tables)
    replaced_placeholders(graph_def, replace)

    def import_graph():
        input_map = dict((name + ":0", var.read_value()) for name, var in variables.items())
        # Identity captures the eager handle into this graph (input_map takes graph tensors).
        input_map.update((name + ":0", tf.identity(table.resource_handle)) for name, table in tables.items())
        tfcompat.tf1.import_graph_def(graph_def, input_map=input_map, name="")

    wrapped = tfcompat.tf1.wrap_function(import_graph, [])
    signatures = {}
    for signature in header["signatures"]:
        fn = signature_function(wrapped, signature, replace, functions)
        signatures[signature["name"]] = fn.get_concrete_function()
        setattr(module, "signature_" + re.sub(r"\W", "_", signature["name"]), fn)
    tf.saved_model.save(module, header["out"], signatures=signatures)
    names = sorted(signatures)
    variables.clear()  # the check loads the weights again: never twice in memory
    del module, wrapped, signatures, fn  # (the traced functions hold the variables too)
    import gc

    gc.collect()
    return {"written": header["out"], "check": check(header["out"], names)}, []


def initial_value(entry, arrays):
    """A variable's value: from the arrays sent, or restored from the source's own checkpoint
    (the large route: one tensor at a time, never the whole model twice)."""
    if "checkpoint" not in entry:
        return arrays.pop(entry["array"])
    tf = tfcompat.tf
    return tf.raw_ops.RestoreV2(prefix=entry["checkpoint"], tensor_names=[entry["key"]],
                                shape_and_slices=[""], dtypes=[tf.as_dtype(entry["dtype"])])[0]


def variable_name(node):
    return re.sub(r"[^A-Za-z0-9_.\-/]", "_", node)


def make_table(entry, arrays):
    tf = tfcompat.tf
    key_dtype, value_dtype = tf.as_dtype(entry["key_dtype"]), tf.as_dtype(entry["value_dtype"])
    if entry["kind"] == "text_file":
        options = {}
        if entry.get("offset"):
            options["offset"] = entry["offset"]
        init = tf.lookup.TextFileInitializer(
            tf.saved_model.Asset(entry["path"]), key_dtype, entry["key_index"], value_dtype,
            entry["value_index"], vocab_size=None if entry["vocab_size"] < 0 else entry["vocab_size"],
            delimiter=entry["delimiter"], **options)
    else:
        init = tf.lookup.KeyValueTensorInitializer(
            tf.constant(arrays[entry["keys"]], key_dtype), tf.constant(arrays[entry["values"]], value_dtype))
    # The graph's own lookups pass their default value; this one is never used.
    default = "" if value_dtype == tf.string else 0
    return tf.lookup.StaticHashTable(init, tf.constant(default, value_dtype))


def without_table_nodes(graph_def, tables):
    """Table nodes become resource placeholders, fed the rebuilt tables' handles."""
    tf = tfcompat.tf
    for node in graph_def.node:
        if node.name in tables:
            node.op = "Placeholder"
            node.ClearField("input")
            for key in list(node.attr.keys()):
                del node.attr[key]
            node.attr["dtype"].type = tf.resource.as_datatype_enum
    return graph_def


def replaced_placeholders(graph_def, replace):
    """Each replaced node becomes one placeholder per output, named node, node__out1, ..."""
    tf = tfcompat.tf
    renames = {}
    for node in list(graph_def.node):
        entry = replace.get(node.name)
        if entry is None:
            continue
        for index, out in enumerate(entry["outputs"]):
            name = node.name if index == 0 else "%s__tfshift_out%d" % (node.name, index)
            target = node if index == 0 else graph_def.node.add()
            target.name = name
            target.op = "Placeholder"
            target.ClearField("input")
            for key in list(target.attr.keys()):
                del target.attr[key]
            target.attr["dtype"].type = tf.as_dtype(out["dtype"]).as_datatype_enum
            if index:
                renames["%s:%d" % (entry["node"], index)] = name + ":0"
    if renames:
        for node in graph_def.node:
            for i, source in enumerate(node.input):
                if source in renames:
                    node.input[i] = renames[source]


def load_functions(spec):
    """{op type: callable} from "module:function" or "/path/file.py:function"."""
    found = {}
    for op, target in spec.items():
        module_name, _, attr = target.rpartition(":")
        module = import_user_module(module_name, "tfshift_replace_%s" % op)
        fn = getattr(module, attr, None)
        if not callable(fn):
            raise OperationError("--replace-op %s=%s: %s has no function %r" % (op, target, module_name, attr))
        found[op] = fn
    return found


def import_user_module(name, alias):
    """A module by name or a .py file by path, without writing __pycache__ into the user's folder."""
    import sys

    before = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    try:
        if name.endswith(".py") or os.sep in name:
            spec = importlib.util.spec_from_file_location(alias, name)
            if spec is None:
                raise OperationError("cannot import %s" % name)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
        return importlib.import_module(name)
    finally:
        sys.dont_write_bytecode = before


def signature_function(wrapped, signature, replace, functions):
    """A tf.function with the signature's named inputs that runs the pruned graph."""
    tf = tfcompat.tf
    graph = wrapped.graph
    inputs = signature["inputs"]
    feeds = [graph.get_tensor_by_name(tensor_name(t["tensor"])) for t in inputs]
    fetches = dict((t["name"], graph.get_tensor_by_name(tensor_name(t["tensor"])))
                   for t in signature["outputs"])
    stages = plan_stages(wrapped, feeds, fetches, replace)
    final_feeds = list(feeds) + [t for stage in stages for t in stage["outputs"]]
    final = wrapped.prune(final_feeds, fetches)
    specs = [tf.TensorSpec(t["shape"], tf.as_dtype(t["dtype"]), name=t["name"]) for t in inputs]

    def run(*args):
        known = dict(zip([f.name for f in feeds], args))
        for stage in stages:  # nodes replaced by user functions, in dependency order
            values = stage["before"](*[known[f.name] for f in stage["feeds"]])
            entry = stage["entry"]
            result = functions[entry["op"]](*values, **entry["attrs"])
            outs = list(result) if isinstance(result, (list, tuple)) else [result]
            if len(outs) != len(stage["outputs"]):
                raise ValueError("the replacement of %s (%s) returned %d values; the op has %d "
                                 "outputs" % (entry["node"], entry["op"], len(outs), len(stage["outputs"])))
            for tensor, value in zip(stage["outputs"], outs):
                known[tensor.name] = tf.cast(value, tensor.dtype)
        outputs = final(*[known[f.name] for f in final_feeds])
        return dict((key, tf.identity(value, name=re.sub(r"\W", "_", key)))
                    for key, value in outputs.items())

    return tf.function(run, input_signature=specs, autograph=False)


def plan_stages(wrapped, feeds, fetches, replace):
    """For each replaced node: a pruned function computing its inputs from what is known."""
    graph = wrapped.graph
    stages = []
    known = list(feeds)
    for entry in ordered(graph, replace, fetches):
        node_inputs = [graph.get_tensor_by_name(tensor_name(i)) for i in entry["inputs"]]
        before = wrapped.prune(known, node_inputs)
        outputs = [graph.get_tensor_by_name(entry["node"] + ":0")]
        outputs += [graph.get_tensor_by_name("%s__tfshift_out%d:0" % (entry["node"], i))
                    for i in range(1, len(entry["outputs"]))]
        stages.append({"entry": entry, "feeds": list(known), "before": before, "outputs": outputs})
        known = known + outputs
    return stages


def ordered(graph, replace, fetches):
    """The replaced nodes the outputs need, each after those it depends on."""
    needed = []
    seen = set()
    stack = [(t.op, False) for t in fetches.values()]
    while stack:
        op, done = stack.pop()
        if done:
            if op.name in replace:
                needed.append(replace[op.name])
            continue
        if op.name in seen:
            continue
        seen.add(op.name)
        stack.append((op, True))
        entry = replace.get(op.name)
        if entry is not None:
            inputs = [graph.get_tensor_by_name(tensor_name(i)).op for i in entry["inputs"]]
        else:
            inputs = [t.op for t in op.inputs] + list(op.control_inputs)
        stack.extend((i, False) for i in inputs)
    return needed


def check(path, signatures):
    """Load the written SavedModel again: every signature there, with its inputs and outputs."""
    tf = tfcompat.tf
    loaded = tf.saved_model.load(path)
    found = {}
    for name in signatures:
        fn = loaded.signatures[name]
        _, kwargs = fn.structured_input_signature
        found[name] = {"inputs": sorted(kwargs), "outputs": sorted(fn.structured_outputs)}
    return {"signatures": found, "variables": saved_variables(path)}


def saved_variables(path):
    """How many variables the SavedModel's checkpoint holds."""
    prefix = os.path.join(path, "variables", "variables")
    if not os.path.exists(prefix + ".index"):
        return 0
    names = [n for n, _ in tfcompat.tf.train.list_variables(prefix)]
    return len([n for n in names if "VARIABLE_VALUE" in n and "OBJECT_GRAPH" not in n])


@operation("saved_model_resave")
def saved_model_resave(state, header, arrays):
    """A TF2 SavedModel loaded by this TensorFlow and saved again, with its signatures."""
    tf = require_tf2()
    loaded = tf.saved_model.load(header["path"], tags=pick_tags(header))
    keys = sorted(k for k in loaded.signatures if not k.startswith("_"))
    wanted = header.get("signature")
    if wanted:
        if wanted not in keys:
            raise LoadError("no signature %r; the signatures are: %s" % (wanted, ", ".join(keys) or "none"))
        keys = [wanted]
    if not keys:
        raise LoadError("the SavedModel has no signatures to keep (saved without `signatures=`)")
    tf.saved_model.save(loaded, header["out"], signatures=dict((k, loaded.signatures[k]) for k in keys))
    checked = check(header["out"], keys)
    return {"written": header["out"], "check": checked, "variables": checked["variables"]}, []
