"""Keras 2 model configs rewritten as Keras 3 configs: JSON in, JSON out, no Keras here.

The input is `model.get_config()` as the source (Keras 2) runtime gives it, with the shapes it
reports per layer; the output is what Keras 3's `deserialize_keras_object` builds with
safe_mode on. Only what Keras 3 refuses or reads differently is rewritten:

- every layer names its module (Keras 3 resolves classes by module; configs before Keras 2.13
  have none), models are `keras.Model` (which builds a Functional) or `keras.Sequential`;
- `batch_input_shape` becomes an InputLayer's `batch_shape` (a Sequential gets the InputLayer
  Keras 2 implied), and is dropped from other layers;
- arguments Keras 3 removed or renamed (`groups` of depthwise and transposed convolutions,
  `time_major`, `input_length`, LeakyReLU `alpha`, a one-element BatchNormalization `axis`,
  dtype policies, and a few more in REMOVED);
- nested models' call numbers, which Keras 2 counts from 1 and Keras 3 from 0;
- TFOpLambda and SlicingOpLambda layers become keras.ops Lambdas or merge layers (keras_ops.py);
- Lambda layers keep their bytecode in Keras 3's form (loading them needs --unsafe);
- call nodes are written in Keras 3's form, so tensors passed as keyword arguments stay tensors.

What cannot become Keras 3 is a blocker: one line naming the layer and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tfshift.models.convert import keras_ops

OP_LAYERS = ("TFOpLambda", "SlicingOpLambda")
LIST_OPS = ("concat", "stack")  # TF functions whose first argument is a list of tensors
KERAS_MODULES = ("keras", "tf_keras", "tensorflow")  # a module under these is Keras' own
CONSTANT = "_CONSTANT_VALUE"  # Keras 2's marker for a constant in a call's first argument
# Keras 2 arguments Keras 3 dropped, by class: dropped only at these values (else a blocker).
REMOVED: dict[str, dict[str, Any]] = {
    "DepthwiseConv1D": {"groups": 1},
    "DepthwiseConv2D": {"groups": 1},
    "Conv1DTranspose": {"groups": 1},
    "Conv2DTranspose": {"groups": 1},
    "Conv3DTranspose": {"groups": 1},
    # Keras 2 separable convolutions inherit Conv's kernel_* arguments and never use them.
    "SeparableConv1D": {"groups": 1, "kernel_initializer": "*", "kernel_regularizer": "*",
                        "kernel_constraint": "*"},
    "SeparableConv2D": {"groups": 1, "kernel_initializer": "*", "kernel_regularizer": "*",
                        "kernel_constraint": "*"},
    "MultiHeadAttention": {"query_shape": "*", "key_shape": "*", "value_shape": "*"},  # built on call
    # Keras 3 takes neither (no weights; the noise shape follows from the input).
    "SpatialDropout1D": {"trainable": "*", "noise_shape": None},
    "SpatialDropout2D": {"trainable": "*", "noise_shape": None},
    "SpatialDropout3D": {"trainable": "*", "noise_shape": None},
    "LSTM": {"time_major": False},
    "GRU": {"time_major": False},
    "SimpleRNN": {"time_major": False},
    "RNN": {"time_major": False},
    "BatchNormalization": {"fused": "*", "virtual_batch_size": None, "adjustment": None},
    "Embedding": {"input_length": "*"},  # Keras 3 reads the length from its input
}
RENAMED = {"LeakyReLU": {"alpha": "negative_slope"}}
# Keras 2 layers Keras 3 removed (its tf.keras facade may still list some of them).
KERAS2_ONLY_LAYERS = ("ThresholdedReLU", "LocallyConnected1D", "LocallyConnected2D", "DenseFeatures",
                      "CuDNNGRU", "CuDNNLSTM")
# Keras 3 layers that compute something else from the same weights (measured: ConvLSTM2D
# differs by ~4e-2 from Keras 2.15's on the same inputs and weights).
DIFFERENT_MATH = ("ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")
SINGLE_AXIS = ("BatchNormalization",)  # Keras 3 takes an int axis here
WRAPPED = ("layer", "backward_layer", "cell")  # keys holding a nested layer config
DROPPED_EVERYWHERE = ("batch_input_shape",)  # the model's InputLayers hold the input shapes


@dataclass
class Translation:
    config: dict[str, Any]  # {"module", "class_name", "config", "registered_name"}
    notes: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)  # keras.ops functions held by Lambda layers
    code_layers: list[str] = field(default_factory=list)  # Lambda layers holding Python bytecode
    replaced: dict[str, str] = field(default_factory=dict)  # TFOp layer -> what it became

    @property
    def ok(self) -> bool:
        return not self.blockers


def translate(model: dict[str, Any], shapes: dict[str, Any] | None = None,
              known_layers: set[str] | None = None) -> Translation:
    """Keras 2 `{"class_name", "config"}` of a model -> Keras 3 config, notes and blockers.

    shapes: per layer path ("dense", "inner/dense"), {"inputs": [[shape, dtype], ...],
    "outputs": [...]} of its first call, as the source reports them. known_layers: the layer
    classes the target Keras can build (a class outside it, from a Keras module, is a blocker).
    """
    translator = _Translator(shapes or {}, known_layers)
    config = translator.any(model, "", top=True)
    notes = []
    if translator.replaced:
        shown = [f"{layer} -> {made}" for layer, made in list(translator.replaced.items())[:3]]
        more = len(translator.replaced) - len(shown)
        notes.append(f"{len(translator.replaced)} TFOpLambda/SlicingOpLambda layer(s) became Keras 3 "
                     f"layers ({'; '.join(shown)}{f'; {more} more' if more > 0 else ''})")
    if translator.custom_classes:
        notes.append(f"custom class(es) {', '.join(sorted(translator.custom_classes))}: loading the "
                     "result needs them (import their module, or pass custom_objects)")
    return Translation(config, notes, translator.blockers, sorted(translator.functions),
                       translator.code_layers, translator.replaced)


class _Translator:
    def __init__(self, shapes: dict[str, Any], known_layers: set[str] | None) -> None:
        self.shapes = shapes
        self.known = known_layers
        self.blockers: list[str] = []
        self.functions: set[str] = set()
        self.code_layers: list[str] = []
        self.replaced: dict[str, str] = {}
        self.shifts: dict[str, dict[str, tuple[int, int]]] = {}  # model path -> layer -> shifts
        self.custom_classes: set[str] = set()

    def block(self, where: str, why: str) -> None:
        self.blockers.append(f"layer {where!r}: {why}" if where else why)

    # -- objects

    def any(self, obj: dict[str, Any], prefix: str, top: bool = False) -> dict[str, Any]:
        """A model or a layer (with whatever it wraps), without its call nodes.

        prefix: the path of the model holding it ("" at the top, "inner" inside model "inner").
        """
        cls = obj.get("class_name")
        body = obj.get("config") if isinstance(obj.get("config"), dict) else {}
        inner = prefix if top else _join(prefix, body.get("name"))  # the path of its own layers
        if cls == "Sequential":
            return self.sequential(obj, inner)
        if "layers" in body and "input_layers" in body:
            return self.functional(obj, inner)
        return self.layer(obj, prefix)

    def sequential(self, obj: dict[str, Any], path: str) -> dict[str, Any]:
        body = obj["config"]
        name = body.get("name")
        layers = [layer for layer in body.get("layers") or [] if isinstance(layer, dict)]
        out = []
        if layers and layers[0].get("class_name") != "InputLayer":
            implied = _implied_input(layers[0])
            if implied is not None:
                out.append(implied)
        for layer in layers:
            out.append(self.any(layer, path))
        config = {"name": name, "trainable": body.get("trainable", True), "layers": out}
        if not out or out[0]["class_name"] != "InputLayer":
            shape = body.get("build_input_shape")
            if shape is None:
                self.block(name or "", "a Sequential model that was never built (no input shape): "
                                       "its weights cannot be placed")
            config["build_input_shape"] = shape
        return _keras_object("keras", "Sequential", config)

    def functional(self, obj: dict[str, Any], path: str) -> dict[str, Any]:
        body = obj["config"]
        name = body.get("name")
        layers = [layer for layer in body["layers"] if isinstance(layer, dict)]
        names = {str(layer.get("name")) for layer in layers}
        self.shifts[path] = _node_shifts(layers, body["output_layers"])
        out: list[dict[str, Any]] = []
        for layer in layers:
            if layer.get("class_name") in OP_LAYERS:
                out.extend(self.op_layer(layer, path, names))
                continue
            converted = self.any(layer, path)
            converted["name"] = layer.get("name")
            converted["inbound_nodes"] = [self.node(n, path) for n in layer.get("inbound_nodes") or []]
            out.append(converted)
        outputs = self.shifted(_io(body["output_layers"]), path, OUTPUTS)
        config = {"name": name, "trainable": body.get("trainable", True), "layers": out,
                  "input_layers": _io(body["input_layers"]), "output_layers": outputs}
        cls = obj.get("class_name")
        if cls in ("Functional", "Model"):
            return _keras_object("keras", "Model", config)  # keras.Model builds a Functional
        # A subclass of Model built functionally: the user's class (through --custom-objects).
        return self.custom(obj, config)

    def layer(self, obj: dict[str, Any], prefix: str) -> dict[str, Any]:
        cls = str(obj.get("class_name"))
        body = dict(obj.get("config") or {})
        name = str(body.get("name") or obj.get("name") or cls)
        where = _join(prefix, name)
        keras_class = _is_keras(obj)
        if keras_class is None:  # no module recorded: the target's classes tell
            keras_class = self.known is None or cls in self.known or cls in ("InputLayer", "Lambda")
        if not keras_class:
            return self.custom(obj, self.arguments(cls, body, where))
        missing = self.known is not None and cls not in self.known and cls not in ("InputLayer", "Lambda")
        if missing or cls in KERAS2_ONLY_LAYERS:
            self.block(where, f"Keras 3 has no {cls} layer")
        if cls in DIFFERENT_MATH:
            self.block(where, f"Keras 3's {cls} computes differently from Keras 2's with the same weights")
        if cls == "InputLayer":
            body = self.input_layer(body, where)
        elif cls == "Lambda":
            body = self.lambda_layer(body, where)
        else:
            body = self.arguments(cls, body, where)
        return _keras_object("keras.layers", cls, body)

    def custom(self, obj: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
        """The user's class: Keras 3 finds it by its registered name in the custom objects."""
        cls = str(obj.get("class_name"))
        registered = obj.get("registered_name") or cls
        self.custom_classes.add(cls)
        return {"module": obj.get("module"), "class_name": cls, "config": config,
                "registered_name": registered}

    # -- layer arguments

    def arguments(self, cls: str, body: dict[str, Any], where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        removed = REMOVED.get(cls, {})
        renamed = RENAMED.get(cls, {})
        for key, value in body.items():
            if key in DROPPED_EVERYWHERE:
                continue
            if key in removed:
                allowed = removed[key]
                if allowed != "*" and value != allowed:
                    self.block(where, f"{cls}({key}={value!r}) has no Keras 3 equivalent")
                continue
            if key in WRAPPED and isinstance(value, dict) and "class_name" in value:
                value = self.any(value, where)
            elif key == "cells" and isinstance(value, list):
                value = [self.any(v, where) if isinstance(v, dict) else v for v in value]
            elif key == "dtype":
                value = _dtype(value)
            elif key == "axis" and cls in SINGLE_AXIS and isinstance(value, list):
                if len(value) != 1:
                    self.block(where, f"{cls} over several axes {value} (Keras 3 takes one)")
                    continue
                value = value[0]
            out[renamed.get(key, key)] = value
        return out

    def input_layer(self, body: dict[str, Any], where: str) -> dict[str, Any]:
        out = {k: v for k, v in body.items() if k not in ("batch_input_shape", "ragged")}
        if "batch_input_shape" in body:
            out["batch_shape"] = body["batch_input_shape"]
        if body.get("ragged"):
            self.block(where, "a ragged input (Keras 3 has no ragged tensors)")
        if "dtype" in out:
            out["dtype"] = _dtype_name(out["dtype"])
        return out

    def lambda_layer(self, body: dict[str, Any], where: str) -> dict[str, Any]:
        out = {k: v for k, v in body.items()
               if k not in ("module", "function_type", "output_shape_type", "output_shape_module")}
        out["function"] = self.function(body.get("function"), body.get("function_type"),
                                        body.get("module"), where)
        shape = body.get("output_shape")
        if body.get("output_shape_type") in ("lambda", "function") and shape is not None:
            out["output_shape"] = self.function(shape, body.get("output_shape_type"),
                                                body.get("output_shape_module"), where)
        elif shape is None:
            out.pop("output_shape", None)
        if body.get("mask") is not None:
            self.block(where, "a Lambda layer with a mask function")
        out.pop("mask", None)
        if "dtype" in out:
            out["dtype"] = _dtype(out["dtype"])
        return out

    def function(self, value: Any, kind: str | None, module: str | None, where: str) -> Any:
        if isinstance(value, dict):  # already Keras 3's form
            if value.get("class_name") == "__lambda__":
                self.code_layers.append(where)
            elif value.get("class_name") == "function" and value.get("module") == "builtins":
                # How Keras 3 saves keras.ops functions, which it cannot load back.
                self.functions.add(str(value.get("config")))
                return dict(value, module="keras.ops", registered_name=None)
            return value
        if kind == "lambda" or isinstance(value, list):
            self.code_layers.append(where)
            parts = list(value) if isinstance(value, list) else [value]
            code, defaults, closure = [*parts, None, None][:3]
            if defaults or closure:
                # Keras 3.15 saves them as tuples it then cannot load ("must be None or tuple").
                self.block(where, "a Lambda whose function has default arguments or a closure "
                                  "(Keras 3 cannot reload those)")
            return {"class_name": "__lambda__",
                    "config": {"code": code, "defaults": defaults, "closure": closure}}
        if kind == "function" and isinstance(value, str):
            # A named function: Keras 3 finds it in the custom objects by its name.
            return {"module": module, "class_name": "function", "config": value,
                    "registered_name": value}
        self.block(where, f"a Lambda layer whose function is stored as {kind!r}")
        return value

    # -- TFOpLambda / SlicingOpLambda

    def op_layer(self, layer: dict[str, Any], path: str, names: set[str]) -> list[dict[str, Any]]:
        name = str(layer.get("name"))
        where = _join(path, name)
        body = layer.get("config") or {}
        nodes = layer.get("inbound_nodes") or []
        if len(nodes) != 1:
            self.block(where, f"a {layer.get('class_name')} layer called {len(nodes)} times")
            return []
        first, kwargs = _split_node(nodes[0])
        tensors = {k for k, v in kwargs.items() if _is_ref(v)}
        function = str(body.get("function"))
        if isinstance(first, list) and len(first) == 1 and _is_ref(first[0]) and function not in LIST_OPS:
            first = first[0]
        if layer.get("class_name") == "SlicingOpLambda":
            if function != "__operators__.getitem" or not _is_ref(first):
                self.block(where, f"tf.{function} (a slicing op tfshift does not know)")
                return []
            extra = sorted(set(kwargs) - {"slice_spec", "name"})
            if extra:
                self.block(where, f"x[...] with arguments {extra}")
                return []
            steps = keras_ops.slicing(kwargs.get("slice_spec"), self.input_shape(where, layer))
        else:
            if _is_tensors(first):
                steps = keras_ops.tf_op(function, kwargs, tensors)
            else:  # `2.0 - x` reaches TF as subtract(2.0, x): the tensor is the second operand
                steps = keras_ops.constant_first(function, first, kwargs, tensors)
                first = kwargs.get("y")
        if isinstance(steps, str):
            self.block(where, steps)
            return []
        if isinstance(steps, keras_ops.Step):
            steps = [steps]
        dtype = _dtype(body.get("dtype", "float32"))
        made: list[dict[str, Any]] = []
        current: Any = first
        for i, step in enumerate(steps):
            last = i == len(steps) - 1
            step_name = name if last else _fresh(f"{name}_{i}", names)
            inputs = current
            if step.operand is not None:
                inputs = [current, kwargs[step.operand]]
            made.append(self.step_layer(step, step_name, dtype, inputs, path))
            current = [step_name, 0, 0]
        self.replaced[where] = " -> ".join(_describe(s) for s in steps)
        return made

    def step_layer(self, step: keras_ops.Step, name: str, dtype: Any, inputs: Any,
                   path: str) -> dict[str, Any]:
        config: dict[str, Any] = {"name": name, "trainable": True, "dtype": dtype}
        if step.layer == "Lambda":
            assert step.function is not None
            self.functions.add(step.function)
            config["function"] = {"module": "keras.ops", "class_name": "function",
                                  "config": step.function, "registered_name": None}
            config["arguments"] = dict(step.arguments)
        else:
            config.update(step.arguments)
        layer = _keras_object("keras.layers", step.layer, config)
        layer["name"] = name
        layer["inbound_nodes"] = [{"args": [self.tensors(inputs, path)], "kwargs": {}}]
        return layer

    def input_shape(self, where: str, layer: dict[str, Any]) -> list[int | None] | None:
        known = self.shapes.get(where) or {}
        inputs = known.get("inputs")
        if inputs:
            return inputs[0][0]
        build = layer.get("build_config") or {}
        shape = build.get("input_shape")
        if isinstance(shape, list) and all(d is None or isinstance(d, int) for d in shape):
            return shape
        return None

    # -- call nodes

    def node(self, data: Any, path: str) -> Any:
        """A Keras 2 call node ([[layer, node, tensor, kwargs], ...]) in Keras 3's form."""
        if isinstance(data, dict):  # already Keras 3's {"args", "kwargs"}
            return data
        first, kwargs = _split_node(data)
        if isinstance(first, list) and len(first) == 1 and not _is_ref(first):
            first = first[0]  # Keras 2 passes a single input tensor unwrapped
        return {"args": [self.tensors(first, path)], "kwargs": self.tensors(kwargs, path)}

    def tensors(self, value: Any, path: str) -> Any:
        """Tensor references [layer, node, tensor] inside a structure -> Keras 3 keras tensors."""
        if _is_ref(value):
            layer, node, index = self.shifted(value[:3], path, ARGS)
            shape, dtype = self.spec(_join(path, layer), index)
            return {"class_name": "__keras_tensor__",
                    "config": {"shape": shape, "dtype": dtype, "keras_history": [layer, node, index]}}
        if isinstance(value, list):
            return [self.tensors(v, path) for v in value]
        if isinstance(value, dict):
            return {k: self.tensors(v, path) for k, v in value.items()}
        return value

    def shifted(self, value: Any, path: str, kind: int) -> Any:
        """References [layer, node, tensor] with Keras 2's node numbers turned into Keras 3's."""
        if _is_ref(value):
            layer, node, index = value[:3]
            delta = self.shifts.get(path, {}).get(layer, (0, 0))[kind]
            return [layer, node + delta, index]
        if isinstance(value, list):
            return [self.shifted(v, path, kind) for v in value]
        if isinstance(value, dict):
            return {k: self.shifted(v, path, kind) for k, v in value.items()}
        return value

    def spec(self, where: str, index: int) -> tuple[list[int | None], str]:
        # Keras 3 replaces this tensor by the layer's real output: the shape is only a placeholder.
        outputs = (self.shapes.get(where) or {}).get("outputs") or []
        if index < len(outputs):
            shape, dtype = outputs[index]
            if shape is not None:
                return list(shape), dtype
        return [None], "float32"


# -- helpers

ARGS, OUTPUTS = 0, 1  # where a node reference is: a call's arguments, or the model's outputs


def _node_shifts(layers: list[dict[str, Any]], outputs: Any) -> dict[str, tuple[int, int]]:
    """How much to add to Keras 2 node numbers of each nested model, in arguments and outputs.

    Keras 2 numbers a nested model's calls from 1 when it was built on an Input (its node 0
    links that Input to its outputs); Keras 3 numbers every layer's calls from 0, except a
    nested Functional's in the model's outputs, from 1 (functional_from_config subtracts one
    there). The Keras 2 start is read from the references: the highest one names the last
    call, and every call is listed in the layer's inbound_nodes.
    """
    highest: dict[str, int] = {}

    def visit(value: Any) -> None:
        if _is_entry(value) and value[0] != CONSTANT:
            highest[value[0]] = max(highest.get(value[0], 0), value[1])
            if len(value) == 4:
                visit(value[3])
        elif isinstance(value, list):
            for v in value:
                visit(v)
        elif isinstance(value, dict):
            for v in value.values():
                visit(v)

    for layer in layers:
        for node in layer.get("inbound_nodes") or []:
            if isinstance(node, list):
                visit(node)
    visit(outputs)
    shifts: dict[str, tuple[int, int]] = {}
    for layer in layers:
        name, cls = str(layer.get("name")), layer.get("class_name")
        calls = len(layer.get("inbound_nodes") or [])
        body = layer.get("config") if isinstance(layer.get("config"), dict) else {}
        if not calls or name not in highest or "layers" not in body:
            continue  # only nested models number their calls unusually
        delta = -max(0, highest[name] - calls + 1)
        shifts[name] = (delta, delta + (0 if cls == "Sequential" else 1))
    return shifts


def _keras_object(module: str, cls: str, config: dict[str, Any]) -> dict[str, Any]:
    return {"module": module, "class_name": cls, "config": config, "registered_name": None}


def _is_keras(obj: dict[str, Any]) -> bool | None:
    """Whether a layer is one of Keras' own; None when the config does not say (before 2.13)."""
    module = obj.get("module")
    if module is None:
        return False if ">" in str(obj.get("registered_name") or "") else None
    return str(module).split(".")[0] in KERAS_MODULES


def _implied_input(first: dict[str, Any]) -> dict[str, Any] | None:
    """The InputLayer a Keras 2 Sequential made from its first layer's batch_input_shape."""
    body = first.get("config") or {}
    shape = body.get("batch_input_shape")
    if shape is None:
        return None
    name = f"{body.get('name')}_input"
    dtype = _dtype_name(body.get("dtype") or "float32")
    if dtype.startswith("mixed_"):
        dtype = "float32"
    return _keras_object("keras.layers", "InputLayer",
                         {"batch_shape": shape, "dtype": dtype, "sparse": False, "name": name})


def _dtype(value: Any) -> Any:
    """A Keras 2 dtype policy ({"class_name": "Policy", ...}) as Keras 3's DTypePolicy."""
    if isinstance(value, dict) and value.get("class_name") in ("Policy", "DTypePolicy"):
        name = (value.get("config") or {}).get("name")
        return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": name},
                "registered_name": None}
    return value


def _dtype_name(value: Any) -> str:
    if isinstance(value, dict):
        return str((value.get("config") or {}).get("name") or "float32")
    return str(value)


def _io(value: Any) -> Any:
    """input_layers/output_layers: one [layer, node, tensor] stays one, not a list of one."""
    if isinstance(value, list) and len(value) == 1 and _is_ref(value[0]):
        return list(value[0][:3])
    if _is_ref(value):
        return list(value[:3])
    if isinstance(value, dict):
        return {k: _io(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_io(v) for v in value]
    return value


def _split_node(data: Any) -> tuple[Any, dict[str, Any]]:
    """A Keras 2 node -> (its first argument, with references as [layer, node, tensor], kwargs).

    Keras 2 writes the first argument's structure with one [layer, node, tensor, kwargs] per
    tensor (the same kwargs on each), or [CONSTANT, -1, value, kwargs] for a constant.
    """
    kwargs: dict[str, Any] = {}

    def walk(value: Any) -> Any:
        nonlocal kwargs
        if _is_entry(value):
            if len(value) == 4 and isinstance(value[3], dict):
                kwargs = value[3]
            if value[0] == CONSTANT:
                return value[2]
            return list(value[:3])
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return walk(data), dict(kwargs)


def _is_entry(value: Any) -> bool:
    return (isinstance(value, list) and len(value) in (3, 4) and isinstance(value[0], str)
            and isinstance(value[1], int) and not isinstance(value[1], bool))


def _is_ref(value: Any) -> bool:
    return _is_entry(value) and len(value) == 3 and value[0] != CONSTANT and isinstance(value[2], int)


def _is_tensors(value: Any) -> bool:
    return _is_ref(value) or (isinstance(value, list) and bool(value) and all(_is_ref(v) for v in value))


def _join(prefix: str, name: Any) -> str:
    return f"{prefix}/{name}" if prefix else str(name)


def _fresh(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        candidate = f"{name}_{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _describe(step: keras_ops.Step) -> str:
    if step.layer == "Lambda":
        args = ", ".join(f"{k}={v!r}" for k, v in step.arguments.items())
        return f"Lambda(keras.ops.{step.function}{', ' + args if args else ''})"
    return step.layer
