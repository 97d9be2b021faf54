"""TF1 graphs: frozen GraphDef and checkpoint (.meta + data), run in a Session over a private graph.

This is how TF 1.x itself ran them, and TF 2.x keeps `tf.compat.v1.Session` for exactly this; it
works with reference variables, v1 control flow and table initialisers, and each model gets its
own graph, so two graphs with same-named functions never collide.
"""
from .. import tfcompat
from ..errors import LoadError
from ..graphrules import NO_DATA, is_result, training_outputs, trains
from .base import SessionModel, Spec


def tensor_name(name):
    return name if ":" in name else name + ":0"


def call_name(tensor):
    """The name a graph tensor has in calls and results: `probs` for `probs:0`."""
    op, _, index = tensor.rpartition(":")
    return op if index == "0" else tensor


def load_frozen(request):
    tf1 = tfcompat.tf1
    graph_def = tf1.GraphDef()
    with open(request["path"], "rb") as fh:
        data = fh.read()
    try:
        if request.get("text"):
            from google.protobuf import text_format

            text_format.Merge(data.decode("utf-8"), graph_def)
        else:
            graph_def.ParseFromString(data)
    except Exception as exc:
        raise LoadError("not a readable GraphDef (%s)" % tfcompat.first_line(exc)) from None
    for node in graph_def.node:
        node.device = ""  # a frozen graph may pin nodes to a device this machine lacks
    graph = tfcompat.tf.Graph()
    with graph.as_default():
        tf1.import_graph_def(graph_def, name="")
    info = {"route": "session", "graph_producer": graph_def.versions.producer}
    return session_model(graph, tfcompat.session(graph), request, info)


def load_checkpoint(request):
    tf1 = tfcompat.tf1
    meta = request.get("meta_graph")
    if not meta:
        raise LoadError("this checkpoint has no .meta graph next to it (a TF2 object-based "
                        "checkpoint, or saved with write_meta_graph=False): only the code that "
                        "built the model can load it")
    graph = tfcompat.tf.Graph()
    with graph.as_default():
        saver = tf1.train.import_meta_graph(meta, clear_devices=True)
        session = tfcompat.session(graph)
        if saver is not None:
            saver.restore(session, request["path"])
        local = tf1.local_variables()
        tables = graph.get_collection(tf1.GraphKeys.TABLE_INITIALIZERS)
        if local or tables:
            session.run([tf1.variables_initializer(local), *tables])
    info = {"route": "session", "restored": saver is not None}
    return session_model(graph, session, request, info)


def session_model(graph, session, request, info):
    left_out = []
    if request.get("outputs"):
        outputs = [_tensor(graph, n) for n in request["outputs"]]
    else:
        outputs, left_out = find_outputs(graph)
    inputs = [_tensor(graph, n) for n in request.get("inputs") or ()] or find_inputs(outputs)
    info = dict(info, inputs_detected=not request.get("inputs"),
                outputs_detected=not request.get("outputs"))
    if left_out:
        info["outputs_left_out"] = [call_name(t.name) for t in left_out]
    return SessionModel(session, [_spec(t) for t in inputs], [_spec(t) for t in outputs], info)


def _spec(tensor):
    return Spec.of(call_name(tensor.name), tensor.dtype, tensor.shape, tensor.name), tensor


def _tensor(graph, name):
    try:
        return graph.get_tensor_by_name(tensor_name(name))
    except (KeyError, ValueError):
        placeholders = [op.name for op in graph.get_operations() if op.type == "Placeholder"]
        raise LoadError("the graph has no tensor %r (its placeholders: %s)"
                        % (name, ", ".join(placeholders[:20]) or "none")) from None


def find_outputs(graph):
    """(the tensors of sink ops that compute something: what the graph is for, the scalar
    metrics of a training graph left out of them)."""
    consumed = set()
    ops = graph.get_operations()
    for op in ops:
        consumed.update(t.op.name for t in op.inputs)
        consumed.update(c.name for c in op.control_inputs)
    found = []
    for op in ops:
        if op.name in consumed or not is_result(op.type, op.name, [t.op.type for t in op.inputs]):
            continue
        found.extend(t for t in op.outputs if t.dtype.name not in NO_DATA)
    if not found:
        raise LoadError("could not tell the graph's outputs (no computing sink ops); name them "
                        "with outputs=[...]")
    if not trains(op.type for op in ops):
        return found, []
    by_name = dict((t.name, t) for t in found)
    kept, left_out = training_outputs([(t.name, t.shape.ndims) for t in found])
    return [by_name[n] for n in kept], [by_name[n] for n in left_out]


def find_inputs(outputs):
    """The placeholders the outputs depend on (a PlaceholderWithDefault keeps its default)."""
    seen = set()
    stack = [t.op for t in outputs]
    found = []
    while stack:
        op = stack.pop()
        if op.name in seen:
            continue
        seen.add(op.name)
        if op.type == "Placeholder":
            found.append(op.outputs[0])
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return sorted(found, key=lambda t: t.name)
