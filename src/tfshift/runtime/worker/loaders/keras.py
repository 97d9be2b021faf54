"""Keras models: HDF5 (.h5) and the .keras zip, with whatever `tf.keras` is in this environment.

That is Keras 2 up to TF 2.15 and in keras2 environments (tf_keras), Keras 3 from TF 2.16. Safe mode
stays on unless the caller passes unsafe=True; Keras 2 ignores it for HDF5 and older Keras 3
imports any module a .keras names, so before Keras sees the file its config is parsed and checked
here (modelguard.py): a Lambda layer's bytecode or a foreign module is refused.
"""
import importlib
import importlib.util
import inspect
import os
import zipfile

from .. import composites, modelguard, tfcompat
from ..errors import LoadError
from .base import Model, SessionModel, Spec


def load(request):
    path = request["path"]
    unsafe = bool(request.get("unsafe"))
    keras, version = keras_package(request)
    kwargs = {"compile": False}
    custom = custom_objects(request.get("custom_objects"))
    if custom:
        kwargs["custom_objects"] = custom
    if not unsafe:
        guard([read_config(path, request["format"])], "this model", custom)
    if "safe_mode" in inspect.signature(keras.models.load_model).parameters:
        kwargs["safe_mode"] = not unsafe
    elif request["format"] == "keras":
        raise LoadError("the .keras format needs Keras 2.13 or newer (TF 2.13+); this is Keras %s"
                        % version)
    info = {"route": "session" if tfcompat.graph_mode() else "function", "keras": version}
    if request.get("standalone_keras"):
        info["keras"] = "keras %s (standalone)" % version
    if tfcompat.graph_mode():
        return load_in_session(keras, path, kwargs, info)
    return KerasModel(keras.models.load_model(path, **kwargs), info)


def keras_package(request):
    """(the Keras that reads the file, its version): tf.keras, or with standalone_keras the
    `keras` package of the environment (Keras 2.0 to 2.3 wrote their files with it)."""
    if not request.get("standalone_keras"):
        return tfcompat.keras(), tfcompat.keras_version()
    try:
        import keras
    except ImportError:
        raise LoadError("this file was written by standalone Keras and this environment has no "
                        "keras package: create it with --with keras==VERSION") from None
    version = getattr(keras, "__version__", "?")
    if version.endswith("-tf") or not version.startswith(("1.", "2.0", "2.1", "2.2", "2.3")):
        raise LoadError("standalone Keras asked for, but the keras package here is %s (tf.keras); "
                        "create the environment with --with keras==2.x (2.0 to 2.3)" % version)
    return keras, version


def load_in_session(keras, path, kwargs, info):
    """TF 1.x: Keras builds the model into a private graph and its Session."""
    graph = tfcompat.tf.Graph()
    session = tfcompat.session(graph)
    with graph.as_default(), session.as_default():
        backend = keras.backend if hasattr(keras.backend, "set_session") else tfcompat.tf1.keras.backend
        backend.set_session(session)
        if not keras.__name__.startswith("tensorflow"):
            backend.set_learning_phase(0)  # standalone Keras feeds its learning phase: inference
        model = keras.models.load_model(path, **kwargs)
    inputs = [(Spec.of(n, t.dtype, t.shape, t.name), t) for n, t in zip(model.input_names, model.inputs)]
    outputs = [(Spec.of(n, t.dtype, t.shape, t.name), t) for n, t in zip(output_names(model), model.outputs)]
    loaded = SessionModel(session, inputs, outputs, info)
    loaded.model = model  # for convert's exporter, which works inside this graph and session
    return loaded


class KerasModel(Model):
    """TF 2.x: the model's inference call, traced once per input shape with tf.function."""

    def __init__(self, model, info):
        if not model.inputs:
            raise LoadError("the model has no symbolic inputs (a subclassed model that was never "
                            "built); export it as a SavedModel with a signature instead")
        names = getattr(model, "input_names", None) or [t.name for t in model.inputs]
        inputs, builders, found = [], [], []
        for name, tensor in zip(names, model.inputs):
            parts, build, composite = input_components(name, tensor)
            inputs.extend(parts)
            builders.append((len(parts), build))
            if composite is not None:
                found.append(composite.wire())
        if found:
            info = dict(info, composites=found)
        outputs = [Spec.of(n, t.dtype, t.shape) for n, t in zip(output_names(model), model.outputs)]
        Model.__init__(self, inputs, outputs, info)
        self.model = model
        several = len(builders) > 1

        def forward(*tensors):
            values, at = [], 0
            for count, build in builders:
                values.append(build(tensors[at:at + count]))
                at += count
            return model(values if several else values[0], training=False)

        tf = tfcompat.tf
        options = {}
        if "reduce_retracing" in inspect.signature(tf.function).parameters:
            options["reduce_retracing"] = True  # one trace for every batch size
        self.fn = tf.function(forward, **options)

    def run(self, feeds):
        tf = tfcompat.tf
        result = self.fn(*[tf.convert_to_tensor(feeds[s.name]) for s in self.inputs])
        if isinstance(result, dict):
            return [result[s.name] for s in self.outputs]
        if isinstance(result, (list, tuple)):
            return list(result)
        return [result]


def input_components(name, tensor):
    """([Spec], build(tensors) -> the model's input, Composite or None) for one Keras input: a
    sparse or ragged one is fed as its components (composites.py), as its SavedModel would be."""
    tf = tfcompat.tf
    spec = getattr(tensor, "type_spec", None)  # Keras 2; Keras 3 says .sparse / .ragged
    shape = tfcompat.shape_of(tensor.shape)
    dtype = tfcompat.dtype_name(tensor.dtype)
    sparse = isinstance(spec, tf.SparseTensorSpec) or getattr(tensor, "sparse", False) is True
    ragged = isinstance(spec, tf.RaggedTensorSpec) or getattr(tensor, "ragged", False) is True
    if sparse:
        rank = None if shape is None else len(shape)
        names = composites.component_names(name, composites.SPARSE, 3)
        parts = [Spec(names[0], "int64", [None, rank]), Spec(names[1], dtype, [None]),
                 Spec(names[2], "int64", [rank])]
        found = composites.Composite(name, composites.SPARSE, dtype, shape, list(zip(names, names)),
                                     encoding="keras")
        return parts, lambda t: tf.SparseTensor(t[0], t[1], t[2]), found
    if ragged:
        ragged_rank = getattr(spec, "ragged_rank", 1)
        splits = tfcompat.dtype_name(getattr(spec, "row_splits_dtype", tf.int64))
        names = composites.component_names(name, composites.RAGGED, ragged_rank + 1)
        inner = (shape or [])[ragged_rank + 1:]
        parts = [Spec(names[0], dtype, [None, *inner])]
        parts += [Spec(n, splits, [None]) for n in names[1:]]
        found = composites.Composite(name, composites.RAGGED, dtype, shape, list(zip(names, names)),
                                     splits, encoding="keras")
        return parts, lambda t: tf.RaggedTensor.from_nested_row_splits(t[0], list(t[1:])), found
    return [Spec(name, dtype, shape)], lambda t: t[0], None


def output_names(model):
    """The model's output names; a Keras 3 Sequential has none: name them after their layers."""
    names = getattr(model, "output_names", None)
    if names:
        return list(names)
    return [t._keras_history[0].name for t in model.outputs]


def guard(documents, what, custom):
    """LoadError when the parsed metadata holds code (modelguard.py); the caller's custom objects
    and Keras's registered ones are where Keras finds the classes they name."""
    names = set(custom or ())
    registered = getattr(getattr(tfcompat.keras(), "utils", None), "get_custom_objects", None)
    if registered is not None:
        names.update(registered())
    try:
        modelguard.check(documents, False, what, names)
    except modelguard.GuardError as exc:
        raise LoadError(str(exc)) from None


def read_config(path, fmt):
    """The model config Keras would build from: an .h5's model_config, a .keras's config.json."""
    if fmt == "keras_h5":
        return read_h5_config(path)
    try:
        if os.path.isdir(path):
            with open(os.path.join(path, "config.json"), "rb") as fh:
                data = fh.read(modelguard.MAX_JSON_BYTES + 1)
        else:
            with zipfile.ZipFile(path) as zf, zf.open("config.json") as fh:
                data = fh.read(modelguard.MAX_JSON_BYTES + 1)
    except (OSError, KeyError, zipfile.BadZipFile, EOFError) as exc:
        raise LoadError("cannot read the model's config.json (%s)" % tfcompat.first_line(exc)) from None
    try:
        return modelguard.parse_json(data, "its config.json")
    except modelguard.GuardError as exc:
        raise LoadError(str(exc)) from None


def read_h5_config(path):
    import h5py

    try:
        with h5py.File(path, "r") as fh:
            if "model_config" in fh.attrs and (fh.attrs.get_id("model_config").get_storage_size()
                                               > modelguard.MAX_JSON_BYTES):
                raise LoadError("the model_config of this HDF5 file is over %d MB (a damaged or "
                                "hostile file?)" % (modelguard.MAX_JSON_BYTES >> 20))
            raw = fh.attrs.get("model_config")
    except (OSError, ValueError, KeyError) as exc:
        raise LoadError("not a readable HDF5 file (%s)" % tfcompat.first_line(exc)) from None
    if raw is None:
        raise LoadError("this HDF5 file holds weights only (no model_config): load the weights "
                        "into the model's code with load_weights()")
    try:
        return modelguard.parse_json(raw, "the model_config in this HDF5 file")
    except modelguard.GuardError as exc:
        raise LoadError(str(exc)) from None


def custom_objects(source):
    """Classes and functions from a module name or a .py file, for custom layers."""
    if not source:
        return None
    import sys

    before = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # no __pycache__ in the user's folder
    try:
        if source.endswith(".py") or os.sep in source:
            spec = importlib.util.spec_from_file_location("tfshift_custom_objects", source)
            if spec is None:
                raise LoadError("cannot import custom objects from %s" % source)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        else:
            module = importlib.import_module(source)
    finally:
        sys.dont_write_bytecode = before
    explicit = getattr(module, "CUSTOM_OBJECTS", None)
    if explicit is not None:
        return dict(explicit)
    return dict((name, obj) for name, obj in vars(module).items()
                if not name.startswith("_") and getattr(obj, "__module__", None) == module.__name__
                and (inspect.isclass(obj) or inspect.isfunction(obj)))
