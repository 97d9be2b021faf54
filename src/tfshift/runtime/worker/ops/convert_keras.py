"""Keras 2 to Keras 3 conversion, the worker's half (see tfshift.models.convert.keras_route).

In the source runtime (Keras 2):
  keras_export       the model's config, its weights layer by layer, the shapes of each layer's
                     call, and its outputs for the sample inputs given;
  keras_write_saved_model  the model as a TF2 SavedModel whose serving_default signature takes
                     and returns tensors named after the model's inputs and outputs.
In the target runtime (Keras 3):
  keras_build        the translated config built with safe_mode, the weights set layer by layer,
                     saved as .keras, reloaded from that file, and its outputs for the samples;
  keras_resave_saved_model  a SavedModel loaded and saved again by this TensorFlow.
"""
import json
import os
import shutil
import sys
import tempfile
import zipfile

import numpy as np

from .. import composites, modelguard, tfcompat
from ..errors import LoadError, OperationError
from ..loaders import keras as keras_loader
from ..registry import operation

SIGNATURE = "serving_default"


# -- reading the source


def load_source(header):
    """The Keras 2 model at header["path"], loaded as tfshift's `load` would (no Lambda unless
    unsafe). Under TF 1.x the model lives in its own graph and session: see in_graph()."""
    fmt = header.get("format")
    if tfcompat.graph_mode() and fmt != "keras_h5":
        raise OperationError("TensorFlow 1.x reads Keras .h5 files only; choose a 2.x --source")
    if fmt in ("keras_h5", "keras"):
        loaded = keras_loader.load(header)
        return loaded if tfcompat.graph_mode() else loaded.model
    if fmt != "saved_model":
        raise LoadError("a %s is not a Keras model" % fmt)
    path = header["path"]
    unsafe = bool(header.get("unsafe"))
    # Keras JSON from keras_metadata.pb and saved_model.pb's object graph, both parsed: Keras
    # reads the latter when the former is missing or has no nodes (TF 2.0-2.4 wrote only it).
    try:
        documents = modelguard.read_saved_model(path)
    except modelguard.GuardError as exc:
        if not unsafe:
            raise LoadError("cannot check this Keras SavedModel: %s" % exc) from None
        documents = None
    if documents == [] and not os.path.isfile(os.path.join(path, "keras_metadata.pb")):
        raise LoadError("this SavedModel was not written by Keras (no Keras objects in it)")
    keras = tfcompat.keras()
    kwargs = {"compile": False}
    custom = keras_loader.custom_objects(header.get("custom_objects"))
    if custom:
        kwargs["custom_objects"] = custom
    if not unsafe:
        keras_loader.guard(documents, "this Keras SavedModel", custom)
    return keras.models.load_model(path, **kwargs)


def walk_layers(model, prefix=""):
    """(path, layer) for every layer that is not a model, nested models included ("inner/dense")."""
    for layer in model.layers:
        path = prefix + layer.name
        yield path, layer
        if is_model(layer):
            for item in walk_layers(layer, path + "/"):
                yield item


def is_model(layer):
    return hasattr(layer, "layers") and hasattr(layer, "inputs")


def tensor_specs(value):
    tf = tfcompat.tf
    specs = []
    for t in tf.nest.flatten(value):
        shape = getattr(t, "shape", None)
        dtype = getattr(t, "dtype", None)
        if shape is None or dtype is None:
            specs.append([None, None])
            continue
        specs.append([tfcompat.shape_of(shape), tfcompat.dtype_name(dtype)])
    return specs


def first_call(layer):
    """Input and output specs of the layer's first call, or None where Keras cannot tell."""
    out = {}
    for key, getter in (("inputs", "get_input_at"), ("outputs", "get_output_at")):
        try:
            out[key] = tensor_specs(getattr(layer, getter)(0))
        except Exception:  # a layer never called, or one Keras cannot describe
            out[key] = None
    return out


def io_names(model):
    inputs = list(getattr(model, "input_names", None) or [t.name.split(":")[0] for t in model.inputs])
    return inputs, keras_loader.output_names(model)


def sample_outputs(model, arrays):
    """[("out/<i>", array)] of the model's outputs, in order, for arrays named after its
    inputs; nothing when the arrays do not name its inputs (the host then skips its check)."""
    tf = tfcompat.tf
    inputs, outputs = io_names(model)
    by_name = dict(arrays)
    if not by_name or any(n not in by_name for n in inputs):
        return []
    if tfcompat.graph_mode():  # a Keras model of a TF1 graph: predict runs it in its session
        feeds = [by_name[n] for n in inputs]
        result = model.predict(feeds if len(feeds) > 1 else feeds[0])
        values = [np.asarray(t) for t in (result if isinstance(result, list) else [result])]
        return [("out/%d" % i, value) for i, value in enumerate(values)]
    feeds = [tf.convert_to_tensor(by_name[n]) for n in inputs]
    result = model(feeds if len(feeds) > 1 else feeds[0], training=False)
    if isinstance(result, dict) and all(n in result for n in outputs):
        result = [result[n] for n in outputs]
    values = [np.asarray(t) for t in tf.nest.flatten(result)]
    return [("out/%d" % i, value) for i, value in enumerate(values)]


@operation("keras_export")
def keras_export(state, header, arrays):
    if not tfcompat.graph_mode():
        return export_model(load_source(header), header, arrays)
    loaded = load_source(header)  # a SessionModel: the Keras model is built in its graph
    with loaded.session.graph.as_default(), loaded.session.as_default():
        try:
            return export_model(loaded.model, header, arrays)
        finally:
            loaded.close()


def export_model(model, header, arrays):
    config = json.loads(model.to_json())
    layers = []
    out_arrays = []
    for i, (path, layer) in enumerate(walk_layers(model)):
        entry = {"path": path, "class_name": type(layer).__name__, "weights": []}
        entry.update(first_call(layer))
        if not is_model(layer):
            for j, (variable, value) in enumerate(zip(layer.weights, layer.get_weights())):
                key = "w%d/%d" % (i, j)
                entry["weights"].append({"name": variable.name, "shape": list(value.shape),
                                         "array": key})
                out_arrays.append((key, np.asarray(value)))
        layers.append(entry)
    inputs, outputs = io_names(model)
    reply = {
        "config": json.dumps(config), "layers": layers, "inputs": inputs, "outputs": outputs,
        "input_specs": tensor_specs(model.inputs), "python": "%d.%d" % sys.version_info[:2],
        "keras": tfcompat.keras_version(), "tensorflow": tfcompat.tf.__version__,
    }
    out_arrays.extend(sample_outputs(model, arrays))
    return reply, out_arrays


# -- building in Keras 3


def keras3():
    """The Keras 3 package itself: TF 2.16+'s tf.keras is a facade of it without `saving`."""
    version = tfcompat.keras_version() or "?"
    if not version.startswith("3."):
        raise OperationError("building a Keras 3 model needs Keras 3; tf.keras here is Keras %s" % version)
    return sys.modules[tfcompat.keras().__name__.split(".")[0]]


def innermost(exc):
    """The exception Keras' "could not be deserialized properly" wraps: the one that says why."""
    seen = set()
    while (exc.__cause__ or exc.__context__) is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return exc


def same_python(header):
    wanted = header.get("bytecode_python")
    here = "%d.%d" % sys.version_info[:2]
    if wanted and wanted != here:
        # Unmarshalling another Python's bytecode can crash the interpreter: never try.
        raise OperationError("the Lambda bytecode is Python %s's and this worker runs Python %s"
                             % (wanted, here))


def pair_weights(path, variables, saved):
    """(variable, saved entry) pairs: by name when the names say it unambiguously, else in order."""
    if len(variables) != len(saved):
        raise OperationError("layer %r has %d weights in Keras 3 and %d in the source"
                             % (path, len(variables), len(saved)))

    def short(name):
        return name.split(":")[0].split("/")[-1]

    ours = [short(v.path if hasattr(v, "path") else v.name) for v in variables]
    theirs = [short(w["name"]) for w in saved]
    if len(set(ours)) == len(ours) and sorted(ours) == sorted(theirs):
        by_name = dict((short(w["name"]), w) for w in saved)
        return [(v, by_name[n]) for v, n in zip(variables, ours)]
    return list(zip(variables, saved))


def set_weights(model, layers, arrays):
    targets = dict(walk_layers(model))
    placed = 0
    for entry in layers:
        if not entry["weights"]:
            continue
        layer = targets.get(entry["path"])
        if layer is None:
            raise OperationError("layer %r of the source has no counterpart in the Keras 3 model"
                                 % entry["path"])
        for variable, saved in pair_weights(entry["path"], list(layer.weights), entry["weights"]):
            value = arrays[saved["array"]]
            if tuple(variable.shape) != tuple(value.shape):
                raise OperationError("layer %r: weight %s is %s in Keras 3 and %s in the source"
                                     % (entry["path"], saved["name"], tuple(variable.shape),
                                        tuple(value.shape)))
            variable.assign(value.astype(np.dtype(variable.dtype)))
            placed += 1
    return placed


def patch_functions(config, functions):
    """Keras 3 saves keras.ops functions as builtins, which it cannot load: name their module."""
    if isinstance(config, dict):
        if (config.get("class_name") == "function" and config.get("module") == "builtins"
                and config.get("config") in functions):
            config["module"] = "keras.ops"
            config["registered_name"] = None
        for value in config.values():
            patch_functions(value, functions)
    elif isinstance(config, list):
        for value in config:
            patch_functions(value, functions)


def save_keras(model, path, functions):
    """model.save to a temporary file beside `path`, config.json patched, then moved into place."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, raw = tempfile.mkstemp(prefix=".tfshift-", suffix=".keras", dir=folder)
    os.close(fd)
    fd, patched = tempfile.mkstemp(prefix=".tfshift-", suffix=".keras", dir=folder)
    os.close(fd)
    try:
        model.save(raw)
        with zipfile.ZipFile(raw) as src, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename == "config.json":
                    config = json.loads(data.decode("utf-8"))
                    patch_functions(config, set(functions))
                    data = json.dumps(config).encode("utf-8")
                dst.writestr(item, data)
        os.chmod(patched, 0o666 & ~current_umask())  # mkstemp made it private: as open() would
        os.replace(patched, path)
    finally:
        for leftover in (raw, patched):
            if os.path.exists(leftover):
                os.remove(leftover)


def current_umask():
    mask = os.umask(0o22)
    os.umask(mask)
    return mask


@operation("keras_build")
def keras_build(state, header, arrays):
    keras = keras3()
    unsafe = bool(header.get("unsafe"))
    custom = keras_loader.custom_objects(header.get("custom_objects")) or {}
    config = json.loads(header["config"])
    if unsafe:
        if modelguard.scan([config]).code:
            same_python(header)
    else:
        keras_loader.guard([config], "the translated model", custom)
    try:
        model = keras.saving.deserialize_keras_object(config, custom_objects=custom,
                                                      safe_mode=not unsafe)
    except Exception as exc:
        raise OperationError("Keras 3 cannot build the translated model: %s"
                             % tfcompat.first_line(innermost(exc))) from None
    by_name = dict(arrays)
    placed = set_weights(model, header["layers"], by_name)
    path = header["path"]
    save_keras(model, path, header.get("functions") or [])
    try:
        loaded = keras.models.load_model(path, custom_objects=custom or None, compile=False,
                                         safe_mode=not unsafe)
    except Exception as exc:
        raise OperationError("the saved .keras does not load back: %s" % tfcompat.first_line(exc)) from None
    inputs, outputs = io_names(loaded)
    reply = {
        "keras": tfcompat.keras_version(), "tensorflow": tfcompat.tf.__version__,
        "python": "%d.%d" % sys.version_info[:2], "weights_placed": placed,
        "weights": len(loaded.weights), "inputs": inputs, "outputs": outputs,
        "layers": sorted(set(type(layer).__name__ for _, layer in walk_layers(loaded))),
    }
    samples = [(k[len("in/"):], v) for k, v in arrays if k.startswith("in/")]
    return reply, sample_outputs(loaded, samples)


# -- SavedModels


def serving_module(model):
    """A tf.Module whose serving_default takes and returns tensors named like the model's; a
    sparse or ragged input is taken as its components (x_indices, x_values, x_dense_shape;
    r_component_0, r_component_1...), as tfshift's runtime feeds them (composites.py)."""
    tf = tfcompat.tf
    inputs, outputs = io_names(model)
    specs, builders = [], []
    for name, tensor in zip(inputs, model.inputs):
        parts, build = input_components(name, tensor)
        specs.extend(parts)
        builders.append((len(parts), build))
    several = len(builders) > 1

    def serve(*tensors):
        values, at = [], 0
        for count, build in builders:
            values.append(build(tensors[at:at + count]))
            at += count
        result = model(values if several else values[0], training=False)
        if isinstance(result, dict) and all(n in result for n in outputs):
            result = [result[n] for n in outputs]
        flat = tf.nest.flatten(result)
        return dict((name, tf.identity(t)) for name, t in zip(outputs, flat))

    module = tf.Module()
    module.model_variables = list(model.variables)  # what the signature captures, tracked
    module.model_resources = model_resources(model)  # lookup tables (StringLookup, ...) too
    module.serve = tf.function(serve, input_signature=specs)
    return module, [s.name for s in specs], outputs


def input_components(name, tensor):
    """([TensorSpec], build(tensors) -> the model's input) for one Keras input."""
    tf = tfcompat.tf
    spec = getattr(tensor, "type_spec", None)
    if isinstance(spec, tf.SparseTensorSpec):
        rank = spec.shape.rank
        names = composites.component_names(name, composites.SPARSE, 3)
        parts = [tf.TensorSpec([None, rank], tf.int64, name=names[0]),
                 tf.TensorSpec([None], spec.dtype, name=names[1]),
                 tf.TensorSpec([rank], tf.int64, name=names[2])]
        return parts, lambda t: tf.SparseTensor(t[0], t[1], t[2])
    if isinstance(spec, tf.RaggedTensorSpec):
        ragged_rank = spec.ragged_rank
        names = composites.component_names(name, composites.RAGGED, ragged_rank + 1)
        inner = spec.shape[ragged_rank + 1:]
        parts = [tf.TensorSpec(tf.TensorShape([None]).concatenate(inner), spec.dtype, name=names[0])]
        parts += [tf.TensorSpec([None], spec.row_splits_dtype, name=n) for n in names[1:]]
        return parts, lambda t: tf.RaggedTensor.from_nested_row_splits(t[0], list(t[1:]))
    return [tf.TensorSpec(tensor.shape, tensor.dtype, name=name)], lambda t: t[0]


def model_resources(model):
    """The resources the model's layers hold besides variables: lookup tables, which a saved
    signature captures and so must be tracked (they are initialised again when it loads)."""
    try:
        from tensorflow.python.trackable.resource import CapturableResource
    except ImportError:  # TF before 2.7
        from tensorflow.python.training.tracking.tracking import CapturableResource
    found = []
    for layer in getattr(model, "submodules", ()):
        for value in vars(layer).values():
            if isinstance(value, CapturableResource) and all(value is not f for f in found):
                found.append(value)
    return found


@operation("keras_write_saved_model")
def keras_write_saved_model(state, header, arrays):
    if tfcompat.graph_mode():
        raise OperationError("TensorFlow %s cannot write the TF2 SavedModel this model falls back "
                             "to; convert with a 2.x --source (2.15 reads Keras 2 files)"
                             % tfcompat.tf.__version__)
    model = load_source(header)
    module, inputs, outputs = serving_module(model)
    tf = tfcompat.tf
    tf.saved_model.save(module, header["out"], signatures={SIGNATURE: module.serve})
    return {"inputs": inputs, "outputs": outputs, "tensorflow": tf.__version__}, []


@operation("keras_resave_saved_model")
def keras_resave_saved_model(state, header, arrays):
    tf = tfcompat.tf
    source, out = header["path"], header["out"]
    loaded = tf.saved_model.load(source)
    if SIGNATURE not in loaded.signatures:
        raise OperationError("the SavedModel to re-save has no %s signature" % SIGNATURE)
    signature = loaded.signatures[SIGNATURE]
    try:
        tf.saved_model.save(loaded, out, signatures={SIGNATURE: signature})
    except Exception:
        if os.path.isdir(out):
            shutil.rmtree(out)
        raise
    _, inputs = signature.structured_input_signature
    return {"inputs": sorted(inputs), "outputs": sorted(signature.structured_outputs),
            "tensorflow": tf.__version__}, []
