"""SavedModels, TF1 (simple_save, SavedModelBuilder, Estimator) and TF2 (tf.saved_model.save).

Under TF 1.x a SavedModel runs in a Session (the TF1 loader, as `saved_model_cli run` does).
Under TF 2.x it loads with `tf.saved_model.load` and a signature runs as a concrete function;
TF1 SavedModels load that way too (TF renames their functions, initialises their tables), and
`session=True` asks for the Session route instead.
"""
from .. import tfcompat
from ..errors import LoadError
from .base import FunctionModel, SessionModel, Spec

DEFAULT_SIGNATURE = "serving_default"


def pick_tags(request):
    """The tag set to load: the caller's, the only one there is, or "serve"."""
    tags = request.get("tags")
    if tags:
        return list(tags)
    tag_sets = [list(t) for t in request.get("tag_sets") or ()]
    if len(tag_sets) == 1:
        return tag_sets[0]
    for candidate in tag_sets:
        if candidate == ["serve"]:
            return candidate
    if not tag_sets:
        return None
    raise LoadError("the SavedModel has several tag sets (%s); choose one with tags=[...]"
                    % "; ".join(",".join(t) or "(empty)" for t in tag_sets))


def pick_signature(keys, wanted):
    keys = sorted(keys)
    if wanted:
        if wanted not in keys:
            raise LoadError("no signature %r; the signatures are: %s" % (wanted, ", ".join(keys) or "none"))
        return wanted
    if DEFAULT_SIGNATURE in keys:
        return DEFAULT_SIGNATURE
    public = [k for k in keys if not k.startswith("_")]
    if len(public) == 1:
        return public[0]
    if not public:
        raise LoadError("the SavedModel has no signatures to call (saved without `signatures=`)")
    raise LoadError("the SavedModel has several signatures and none is %r; choose one with "
                    "signature=...: %s" % (DEFAULT_SIGNATURE, ", ".join(public)))


def load(request):
    if tfcompat.graph_mode() or request.get("session"):
        return load_in_session(request)
    return load_as_function(request)


def open_in_session(request):
    """(session, meta_graph, tags): TF1's loader runs the SavedModel into a private graph."""
    tags = pick_tags(request) or ["serve"]
    graph = tfcompat.tf.Graph()
    session = tfcompat.session(graph)
    with graph.as_default():
        meta_graph = tfcompat.tf1.saved_model.loader.load(session, tags, request["path"])
    return session, meta_graph, tags


def signature_tensors(graph, key, infos, doing):
    """[(key, graph tensor)] of a SignatureDef's inputs or outputs, sorted by key."""
    bound = []
    for name in sorted(infos):
        info = infos[name]
        if info.WhichOneof("encoding") != "name":
            raise LoadError("signature %r: %r is a sparse or composite tensor, which tfshift "
                            "cannot %s yet" % (key, name, doing))
        bound.append((name, graph.get_tensor_by_name(info.name)))
    return bound


def load_in_session(request):
    session, meta_graph, tags = open_in_session(request)
    graph = session.graph
    key = pick_signature(meta_graph.signature_def.keys(), request.get("signature"))
    signature = meta_graph.signature_def[key]

    def bind(infos):
        return [(Spec.of(name, t.dtype, t.shape, t.name), t)
                for name, t in signature_tensors(graph, key, infos, "feed")]

    inputs, outputs = bind(signature.inputs), bind(signature.outputs)
    info = {"route": "session", "tags": tags, "signature": key}
    return SessionModel(session, inputs, outputs, info)


def load_as_function(request):
    tf = tfcompat.tf
    tags = pick_tags(request)
    loaded = tf.saved_model.load(request["path"], tags=tags)
    key = pick_signature(list(loaded.signatures.keys()), request.get("signature"))
    fn = loaded.signatures[key]
    args, kwargs = fn.structured_input_signature
    if args:
        raise LoadError("signature %r takes positional arguments, which tfshift cannot name" % key)
    inputs = [Spec.of(name, spec.dtype, spec.shape) for name, spec in sorted(kwargs.items())]
    structured = fn.structured_outputs
    if not isinstance(structured, dict):
        raise LoadError("signature %r does not return a dict of named outputs" % key)
    outputs = [Spec.of(name, spec.dtype, spec.shape) for name, spec in sorted(structured.items())]
    info = {"route": "function", "tags": tags, "signature": key}
    return FunctionModel(fn, inputs, outputs, info, keep=loaded)
