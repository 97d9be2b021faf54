"""SavedModels, TF1 (simple_save, SavedModelBuilder, Estimator) and TF2 (tf.saved_model.save).

Under TF 1.x a SavedModel runs in a Session (the TF1 loader, as `saved_model_cli run` does).
Under TF 2.x it loads with `tf.saved_model.load` and a signature runs as a concrete function;
TF1 SavedModels load that way too (TF renames their functions, initialises their tables), and
`session=True` asks for the Session route instead.

Sparse and ragged inputs are fed as their components, named as TF names them when it loads a TF1
SavedModel (x_indices, x_values, x_dense_shape; r_component_0, r_component_1): see composites.py.
The model's info lists them ("composites"), so callers can make valid ones.
"""
from .. import composites, tfcompat
from ..errors import LoadError
from .base import FunctionModel, SessionModel, Spec, fetched

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
    """[(key, graph tensor)] of a SignatureDef's inputs or outputs, sorted by key; a sparse or
    ragged one as its components (composites.component_names)."""
    bound = []
    for name in sorted(infos):
        info = infos[name]
        encoding = info.WhichOneof("encoding")
        if encoding == "name":
            bound.append((name, graph.get_tensor_by_name(info.name)))
        elif encoding == "coo_sparse":
            coo = info.coo_sparse
            tensors = [coo.indices_tensor_name, coo.values_tensor_name, coo.dense_shape_tensor_name]
            for shown, tensor in zip(composites.component_names(name, composites.SPARSE, 3), tensors):
                bound.append((shown, graph.get_tensor_by_name(tensor)))
        elif encoding == "composite_tensor":
            parts = [c.name for c in info.composite_tensor.components]
            if any(not part for part in parts):
                raise LoadError("signature %r: %r is a composite tensor with nested components, "
                                "which tfshift cannot %s yet" % (key, name, doing))
            kind = composites.RAGGED if info.composite_tensor.type_spec.type_spec_class == 3 else None
            for shown, tensor in zip(composites.component_names(name, kind, len(parts)), parts):
                bound.append((shown, graph.get_tensor_by_name(tensor)))
        else:
            raise LoadError("signature %r: %r is a %s tensor, which tfshift cannot %s yet"
                            % (key, name, encoding, doing))
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
    found = composites.read(request["path"], tags, key).get(key)
    if found:
        info["composites"] = [c.wire() for c in found]
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
    # TF2 flattens a sparse or ragged argument into keys x, x_1, x_2: shown as its components.
    found = composites.read(request["path"], tags, key).get(key) or []
    renamed = dict((k, shown) for c in found if c.encoding == "tf2" for shown, k in c.parts)
    inputs = [Spec.of(renamed.get(name, name), spec.dtype, spec.shape)
              for name, spec in sorted(kwargs.items())]
    structured = fn.structured_outputs
    if not isinstance(structured, dict):
        raise LoadError("signature %r does not return a dict of named outputs" % key)
    outputs = output_specs(key, structured)
    info = {"route": "function", "tags": tags, "signature": key}
    if found:
        info["composites"] = [c.wire() for c in found]
    if renamed:
        return RenamedFunctionModel(fn, inputs, outputs, info, loaded,
                                    dict((shown, k) for k, shown in renamed.items()))
    return FunctionModel(fn, inputs, outputs, info, keep=loaded)


def output_specs(key, structured):
    """A signature's outputs; a sparse or ragged one as its components, named as inputs are
    (s_indices, s_values, s_dense_shape; r_component_0 the flat values, then the row splits,
    outermost first), as TF 1.x's Session route fetches them."""
    tf = tfcompat.tf
    sparse_spec = getattr(tf, "SparseTensorSpec", None)
    ragged_spec = getattr(tf, "RaggedTensorSpec", None)
    specs = []
    for name, spec in sorted(structured.items()):
        if isinstance(spec, (tf.SparseTensor, getattr(tf, "RaggedTensor", ()))):
            spec = spec._type_spec  # a TF1 signature's outputs are the symbolic tensors
        elif isinstance(spec, tf.Tensor):
            spec = tf.TensorSpec(spec.shape, spec.dtype)
        if sparse_spec is not None and isinstance(spec, sparse_spec):
            rank = spec.shape.ndims
            names = composites.component_names(name, composites.SPARSE, 3)
            specs += [Spec.of(names[0], tf.int64, [None, rank]), Spec.of(names[1], spec.dtype, [None]),
                      Spec.of(names[2], tf.int64, [rank])]
        elif ragged_spec is not None and isinstance(spec, ragged_spec):
            shape = tf.TensorShape(spec._shape)
            names = composites.component_names(name, composites.RAGGED, spec._ragged_rank + 1)
            inner = shape[spec._ragged_rank + 1:] if shape.ndims is not None else None
            specs.append(Spec.of(names[0], spec._dtype, None if inner is None else [None] + inner.as_list()))
            specs += [Spec.of(n, spec._row_splits_dtype, [None]) for n in names[1:]]
        elif isinstance(spec, tf.TensorSpec):
            specs.append(Spec.of(name, spec.dtype, spec.shape))
        else:
            raise LoadError("signature %r: output %r is a %s, which tfshift cannot fetch yet"
                            % (key, name, type(spec).__name__))
    return specs


class RenamedFunctionModel(FunctionModel):
    """A signature whose flattened composite keys (x, x_1, x_2) are fed by component names."""

    def __init__(self, fn, inputs, outputs, info, keep, keys):
        FunctionModel.__init__(self, fn, inputs, outputs, info, keep=keep)
        self.keys = keys  # shown name -> the signature's key

    def run(self, feeds):
        tf = tfcompat.tf
        result = self.fn(**dict((self.keys.get(s.name, s.name), tf.convert_to_tensor(feeds[s.name]))
                                for s in self.inputs))
        return fetched(result, self.outputs)
