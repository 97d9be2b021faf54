"""What every loader returns: a model with input and output specs that takes arrays by name."""
import numpy as np

from .. import tfcompat
from ..errors import CallError


class Spec(object):
    """One input or output: its name in calls, dtype name, shape, and graph tensor if any."""

    __slots__ = ("dtype", "name", "shape", "tensor")

    def __init__(self, name, dtype, shape, tensor=None):
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.tensor = tensor

    @classmethod
    def of(cls, name, dtype, shape, tensor=None):
        return cls(name, tfcompat.dtype_name(dtype), tfcompat.shape_of(shape), tensor)

    def wire(self):
        out = {"name": self.name, "dtype": self.dtype, "shape": self.shape}
        if self.tensor:
            out["tensor"] = self.tensor
        return out


class Model(object):
    """A loaded model. Subclasses implement `run(feeds) -> list of arrays` in output order."""

    def __init__(self, inputs, outputs, info):
        self.inputs = inputs
        self.outputs = outputs
        self.info = info

    def describe(self):
        return {
            "signature": {
                "inputs": [s.wire() for s in self.inputs],
                "outputs": [s.wire() for s in self.outputs],
            },
            "info": self.info,
        }

    def call(self, feeds):
        missing = [s.name for s in self.inputs if s.name not in feeds]
        extra = sorted(set(feeds) - set(s.name for s in self.inputs))
        if missing or extra:
            raise CallError("inputs do not match the signature (missing: %s; unexpected: %s)"
                            % (", ".join(missing) or "none", ", ".join(extra) or "none"))
        values = self.run(feeds)
        return [(s.name, to_numpy(v)) for s, v in zip(self.outputs, values)]

    def run(self, feeds):
        raise NotImplementedError

    def close(self):
        pass


def to_numpy(value):
    if hasattr(value, "numpy"):
        value = value.numpy()
    return np.asarray(value)


class SessionModel(Model):
    """A graph run by a Session the worker keeps (TF 1.x, and TF1 graphs everywhere)."""

    def __init__(self, session, inputs, outputs, info):
        Model.__init__(self, [s for s, _ in inputs], [s for s, _ in outputs], info)
        self.session = session
        self.fetch = session.make_callable([t for _, t in outputs], feed_list=[t for _, t in inputs])

    def run(self, feeds):
        return self.fetch(*[feeds[s.name] for s in self.inputs])

    def close(self):
        self.session.close()


class FunctionModel(Model):
    """A TF 2.x callable taking keyword tensors (a signature, a traced Keras call)."""

    def __init__(self, fn, inputs, outputs, info, keep=None):
        Model.__init__(self, inputs, outputs, info)
        self.fn = fn
        self.keep = keep  # what the function needs alive (a loaded SavedModel owns its variables)

    def run(self, feeds):
        tf = tfcompat.tf
        result = self.fn(**dict((s.name, tf.convert_to_tensor(feeds[s.name])) for s in self.inputs))
        return fetched(result, self.outputs)


def fetched(result, outputs):
    """The arrays of `outputs` from a function's dict of results, a SparseTensor or RaggedTensor
    among them taken as its components (loaders/saved_model.py output_specs names them)."""
    tf = tfcompat.tf
    flat = {}
    for name, value in result.items():
        if isinstance(value, tf.SparseTensor):
            parts = [value.indices, value.values, value.dense_shape]
            flat.update(zip(["%s_indices" % name, "%s_values" % name, "%s_dense_shape" % name], parts))
        elif isinstance(value, getattr(tf, "RaggedTensor", ())):
            parts = [value.flat_values] + list(value.nested_row_splits)
            flat.update(("%s_component_%d" % (name, i), part) for i, part in enumerate(parts))
        else:
            flat[name] = value
    return [flat[s.name] for s in outputs]


def select_outputs(model, names):
    """Keep only the outputs named in `names` (a load option), in that order."""
    if not names:
        return model
    by_name = dict((s.name, s) for s in model.outputs)
    unknown = [n for n in names if n not in by_name]
    if unknown:
        from ..errors import LoadError

        raise LoadError("no output named %s; the outputs are: %s"
                        % (", ".join(unknown), ", ".join(sorted(by_name))))
    model.outputs = [by_name[n] for n in names]
    return model
