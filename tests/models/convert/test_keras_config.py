"""Keras 2 configs -> Keras 3 configs (keras_config.py, keras_ops.py): pure JSON, no TensorFlow.

The Keras 2 shapes below are what tf.keras 2.15 (and, without "module", 2.4-2.12) writes; the
build tests (test_keras_route.py) prove Keras 3.15 builds what these produce.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tfshift.models.convert import keras_ops
from tfshift.models.convert.keras_config import translate

KERAS3_LAYERS = {"InputLayer", "Dense", "Dropout", "BatchNormalization", "Conv2D", "Conv2DTranspose",
                 "DepthwiseConv2D", "LSTM", "GRU", "Embedding", "LeakyReLU", "Add", "Concatenate",
                 "Lambda", "Identity", "Bidirectional", "Multiply", "MaxPooling2D", "ConvLSTM2D",
                 "ThresholdedReLU"}  # Keras 3.15's tf.keras facade still lists ThresholdedReLU


def k2(cls: str, name: str, *, module: str | None = "keras.layers", inbound: list | None = None,
       **config: Any) -> dict[str, Any]:
    """A layer as Keras 2.15 writes it inside a functional config (module None: before 2.13)."""
    layer: dict[str, Any] = {"class_name": cls, "config": {"name": name, "trainable": True,
                                                           "dtype": "float32", **config}}
    if module is not None:
        layer.update(module=module, registered_name=None)
    layer["name"] = name
    layer["inbound_nodes"] = [] if inbound is None else inbound
    return layer


def k2_input(name: str, shape: list, dtype: str = "float32", module: str | None = "keras.layers"):
    layer = k2("InputLayer", name, module=module, batch_input_shape=shape, sparse=False, ragged=False)
    layer["config"] = {"batch_input_shape": shape, "dtype": dtype, "sparse": False, "ragged": False,
                       "name": name}
    return layer


def functional(*layers: dict[str, Any], inputs: list, outputs: list) -> dict[str, Any]:
    return {"class_name": "Functional", "config": {"name": "model", "trainable": True,
                                                   "layers": list(layers), "input_layers": inputs,
                                                   "output_layers": outputs}}


def call(*sources: str, **kwargs: Any) -> list:
    """A Keras 2 call node: [[layer, 0, 0, kwargs], ...]."""
    return [[[s, 0, 0, kwargs] for s in sources]]


def tensor(layer: str, node: int = 0, index: int = 0, shape: list | None = None,
           dtype: str = "float32") -> dict[str, Any]:
    return {"class_name": "__keras_tensor__",
            "config": {"shape": shape or [None], "dtype": dtype, "keras_history": [layer, node, index]}}


def layers_of(result) -> dict[str, dict[str, Any]]:
    return {layer["name"]: layer for layer in result.config["config"]["layers"]}


def one_layer(layer: dict[str, Any], **kw: Any):
    """Translate `layer` called on input x; the result and the translated layer."""
    model = functional(k2_input("x", [None, 4]), layer, inputs=[["x", 0, 0]],
                       outputs=[[layer["name"], 0, 0]])
    result = translate(model, **kw)
    return result, layers_of(result)[layer["name"]]


# -- models


def test_functional_becomes_keras_model_with_keras3_nodes():
    dense = k2("Dense", "d", inbound=call("x"), units=2, activation="relu")
    result = translate(functional(k2_input("x", [None, 4]), dense, inputs=[["x", 0, 0]],
                                  outputs=[["d", 0, 0]]))
    assert result.ok and result.functions == [] and result.code_layers == []
    assert {k: v for k, v in result.config.items() if k != "config"} == {
        "module": "keras", "class_name": "Model", "registered_name": None}
    body = result.config["config"]
    assert body["input_layers"] == ["x", 0, 0] and body["output_layers"] == ["d", 0, 0]
    layers = layers_of(result)
    assert layers["x"] == {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
                           "config": {"batch_shape": [None, 4], "dtype": "float32", "sparse": False,
                                      "name": "x"}, "name": "x", "inbound_nodes": []}
    assert layers["d"]["inbound_nodes"] == [{"args": [tensor("x")], "kwargs": {}}]
    assert layers["d"]["config"] == {"name": "d", "trainable": True, "dtype": "float32", "units": 2,
                                     "activation": "relu"}


def test_several_inputs_and_outputs_stay_lists_and_dicts():
    add = k2("Add", "add", inbound=call("a", "b"))
    model = functional(k2_input("a", [None, 3]), k2_input("b", [None, 3]), add,
                       inputs=[["a", 0, 0], ["b", 0, 0]], outputs={"sum": ["add", 0, 0]})
    result = translate(model)
    body = result.config["config"]
    assert body["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    assert body["output_layers"] == {"sum": ["add", 0, 0]}
    assert layers_of(result)["add"]["inbound_nodes"] == [{"args": [[tensor("a"), tensor("b")]], "kwargs": {}}]


def test_shared_layer_keeps_its_node_numbers_and_shapes_fill_the_placeholders():
    shared = k2("Dense", "shared", units=3, inbound=[[["a", 0, 0, {}]], [["b", 0, 0, {}]]])
    add = k2("Add", "add", inbound=[[["shared", 0, 0, {}], ["shared", 1, 0, {}]]])
    model = functional(k2_input("a", [None, 3]), k2_input("b", [None, 3]), shared, add,
                       inputs=[["a", 0, 0], ["b", 0, 0]], outputs=[["add", 0, 0]])
    shapes = {"shared": {"inputs": [[[None, 3], "float32"]], "outputs": [[[None, 3], "float32"]]}}
    node = layers_of(translate(model, shapes))["add"]["inbound_nodes"][0]
    assert node["args"] == [[tensor("shared", 0, shape=[None, 3]), tensor("shared", 1, shape=[None, 3])]]


def test_tensors_in_call_keywords_become_keras_tensors_and_constants_stay():
    attention = k2("MultiHeadAttention", "mha", num_heads=2, key_dim=2,
                   inbound=call("q", value=["v", 0, 0], use_causal_mask=True))
    model = functional(k2_input("q", [None, 2, 4]), k2_input("v", [None, 2, 4]), attention,
                       inputs=[["q", 0, 0], ["v", 0, 0]], outputs=[["mha", 0, 0]])
    node = layers_of(translate(model))["mha"]["inbound_nodes"][0]
    assert node == {"args": [tensor("q")], "kwargs": {"value": tensor("v"), "use_causal_mask": True}}


def test_nested_models_calls_are_renumbered_from_keras2_to_keras3():
    # Keras 2 numbers calls of a model built on an Input from 1; Keras 3 from 0, except in the
    # outputs, where a nested Functional's first call is 1.
    inner_layers = [k2_input("i", [None, 4]), k2("Dense", "d", inbound=call("i"), units=4)]
    inner_f = {"class_name": "Functional", "module": "keras.src.engine.functional",
               "registered_name": "Functional", "name": "inner_f",
               "config": {"name": "inner_f", "layers": inner_layers, "input_layers": [["i", 0, 0]],
                          "output_layers": [["d", 0, 0]]},
               "inbound_nodes": [[["x", 0, 0, {}]], [["inner_s", 1, 0, {}]]]}
    inner_s = {"class_name": "Sequential", "module": "keras", "registered_name": None, "name": "inner_s",
               "config": {"name": "inner_s", "layers": [
                   {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32",
                                                           "name": "s_in"}},
                   {"class_name": "Dense", "config": {"name": "s_d", "units": 4, "batch_input_shape": [None, 4]}}]},
               "inbound_nodes": [[["x", 0, 0, {}]]]}
    cat = k2("Concatenate", "cat", inbound=[[["inner_f", 1, 0, {}], ["inner_f", 2, 0, {}]]])
    model = functional(k2_input("x", [None, 4]), inner_s, inner_f, cat, inputs=[["x", 0, 0]],
                       outputs=[["cat", 0, 0], ["inner_f", 2, 0], ["inner_s", 1, 0]])
    result = translate(model)
    layers = layers_of(result)
    assert layers["inner_f"]["inbound_nodes"][1]["args"] == [tensor("inner_s", 0)]
    assert layers["cat"]["inbound_nodes"][0]["args"] == [[tensor("inner_f", 0), tensor("inner_f", 1)]]
    assert result.config["config"]["output_layers"] == [["cat", 0, 0], ["inner_f", 2, 0], ["inner_s", 0, 0]]
    assert layers["inner_f"]["class_name"] == "Model" and layers["inner_f"]["module"] == "keras"
    inner = layers["inner_s"]["config"]["layers"]
    assert inner[0]["config"]["batch_shape"] == [None, 4] and "batch_input_shape" not in inner[1]["config"]
    assert inner[1]["module"] == "keras.layers"  # Keras 2.15 writes nested Sequential layers without one


def test_sequential_keeps_its_input_layer_and_drops_batch_input_shape():
    model = {"class_name": "Sequential", "config": {"name": "seq", "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
         "config": {"batch_input_shape": [None, 6], "dtype": "float32", "sparse": False,
                    "ragged": False, "name": "hidden_input"}},
        {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
         "config": {"name": "hidden", "batch_input_shape": [None, 6], "units": 3},
         "build_config": {"input_shape": [None, 6]}}]}}
    result = translate(model)
    assert result.ok
    assert result.config["class_name"] == "Sequential" and result.config["module"] == "keras"
    first, dense = result.config["config"]["layers"]
    assert first["config"] == {"batch_shape": [None, 6], "dtype": "float32", "sparse": False,
                               "name": "hidden_input"}
    assert dense == {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
                     "config": {"name": "hidden", "units": 3}}


def test_sequential_from_before_keras_213_gets_the_input_layer_keras2_implied():
    model = {"class_name": "Sequential", "config": {"name": "seq", "layers": [
        {"class_name": "Embedding", "config": {"name": "embed", "batch_input_shape": [None, 5],
                                               "dtype": "float32", "input_dim": 9, "output_dim": 2,
                                               "input_length": 5}}]}}
    result = translate(model)
    first, embed = result.config["config"]["layers"]
    assert first["config"] == {"batch_shape": [None, 5], "dtype": "float32", "sparse": False,
                               "name": "embed_input"}
    assert embed["config"] == {"name": "embed", "dtype": "float32", "input_dim": 9, "output_dim": 2}


def test_sequential_never_built_is_a_blocker():
    model = {"class_name": "Sequential", "config": {"name": "seq", "layers": [
        {"class_name": "Dense", "config": {"name": "d", "units": 2}}]}}
    result = translate(model)
    assert not result.ok and "never built" in result.blockers[0]


# -- layer arguments


@pytest.mark.parametrize(("before", "after"), [
    pytest.param(k2("DepthwiseConv2D", "l", kernel_size=[3, 3], groups=1, depth_multiplier=2),
                 {"kernel_size": [3, 3], "depth_multiplier": 2}, id="DepthwiseConv2D drops groups=1"),
    pytest.param(k2("Conv2DTranspose", "l", filters=2, groups=1), {"filters": 2},
                 id="Conv2DTranspose drops groups=1"),
    pytest.param(k2("LSTM", "l", units=3, time_major=False, unroll=False), {"units": 3, "unroll": False},
                 id="LSTM drops time_major=False"),
    pytest.param(k2("GRU", "l", units=3, time_major=False, reset_after=True),
                 {"units": 3, "reset_after": True}, id="GRU drops time_major=False"),
    pytest.param(k2("Embedding", "l", input_dim=9, output_dim=2, input_length=None,
                    batch_input_shape=[None, None]),
                 {"input_dim": 9, "output_dim": 2}, id="Embedding drops input_length"),
    pytest.param(k2("LeakyReLU", "l", alpha=0.1), {"negative_slope": 0.1}, id="LeakyReLU alpha"),
    pytest.param(k2("BatchNormalization", "l", axis=[3], epsilon=0.001), {"axis": 3, "epsilon": 0.001},
                 id="BatchNormalization axis [3] -> 3"),
    pytest.param(k2("Dense", "l", units=2,
                    dtype={"class_name": "Policy", "config": {"name": "mixed_float16"}}),
                 {"units": 2, "dtype": {"module": "keras", "class_name": "DTypePolicy",
                                        "config": {"name": "mixed_float16"}, "registered_name": None}},
                 id="Keras 2 dtype policy -> DTypePolicy"),
])
def test_arguments_keras3_refuses_are_rewritten(before, after):
    result, layer = one_layer(before)
    assert result.ok, result.blockers
    expected = {"name": "l", "trainable": True, "dtype": "float32", **after}
    assert layer["config"] == expected


@pytest.mark.parametrize("layer", [
    pytest.param(k2("Conv2D", "l", filters=4, groups=2), id="Conv2D keeps groups (Keras 3 has it)"),
    pytest.param(k2("Dropout", "l", rate=0.5, noise_shape=None, seed=None), id="Dropout"),
    pytest.param(k2("MaxPooling2D", "l", pool_size=[2, 2], padding="valid"), id="pooling"),
    pytest.param(k2("LayerNormalization", "l", axis=[1, 2]), id="LayerNormalization keeps an axis list"),
    pytest.param(k2("BatchNormalization", "l", axis=3, renorm=True, renorm_momentum=0.9),
                 id="BatchNormalization renorm (Keras 3 has it)"),
    pytest.param(k2("Dense", "l", units=2, kernel_initializer={
        "class_name": "GlorotUniform", "config": {"seed": None}}), id="initializer before 2.13"),
    pytest.param(k2("Dense", "l", units=2, kernel_regularizer={
        "module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.01},
        "registered_name": None}), id="regularizer"),
    pytest.param(k2("Dense", "l", units=2, dtype={"module": "keras", "class_name": "DTypePolicy",
                                                  "config": {"name": "float32"}, "registered_name": None}),
                 id="already a Keras 3 DTypePolicy"),
])
def test_arguments_keras3_accepts_stay(layer):
    before = copy.deepcopy(layer["config"])
    result, after = one_layer(layer)
    assert result.ok and result.notes == []
    assert after["config"] == before


@pytest.mark.parametrize(("layer", "why"), [
    pytest.param(k2("Conv2DTranspose", "l", filters=2, groups=2), "Conv2DTranspose(groups=2)",
                 id="grouped transposed convolution"),
    pytest.param(k2("LSTM", "l", units=2, time_major=True), "LSTM(time_major=True)", id="time_major"),
    pytest.param(k2("BatchNormalization", "l", axis=[1, 2]), "several axes", id="BN over two axes"),
    pytest.param(k2("BatchNormalization", "l", axis=[3], virtual_batch_size=8), "virtual_batch_size=8",
                 id="ghost batch normalization"),
    pytest.param(k2("LocallyConnected2D", "l", filters=2), "Keras 3 has no LocallyConnected2D layer",
                 id="a layer Keras 3 removed"),
    pytest.param(k2("ThresholdedReLU", "l", theta=0.5), "Keras 3 has no ThresholdedReLU layer",
                 id="a layer Keras 3 removed but still lists"),
    pytest.param(k2("ConvLSTM2D", "l", filters=2, time_major=False), "computes differently",
                 id="a layer whose Keras 3 math differs"),
])
def test_what_keras3_cannot_express_is_a_blocker(layer, why):
    result, _ = one_layer(layer, known_layers=KERAS3_LAYERS)
    assert not result.ok and len(result.blockers) == 1
    assert result.blockers[0].startswith("layer 'l': ") and why in result.blockers[0]


def test_input_layer_ragged_is_a_blocker_and_sparse_stays():
    ragged = k2_input("x", [None, None])
    ragged["config"]["ragged"] = True
    result = translate(functional(ragged, inputs=[["x", 0, 0]], outputs=[["x", 0, 0]]))
    assert result.blockers == ["layer 'x': a ragged input (Keras 3 has no ragged tensors)"]
    sparse = k2_input("x", [None, 3])
    sparse["config"]["sparse"] = True
    result = translate(functional(sparse, inputs=[["x", 0, 0]], outputs=[["x", 0, 0]]))
    assert result.ok and layers_of(result)["x"]["config"]["sparse"] is True


def test_layers_without_module_get_keras_module():
    _, layer = one_layer(k2("Dense", "l", module=None, units=2), known_layers=KERAS3_LAYERS)
    assert (layer["module"], layer["registered_name"]) == ("keras.layers", None)


@pytest.mark.parametrize(("layer", "registered"), [
    pytest.param(k2("Scale", "l", module="my_layers", init=1.5), "Scale", id="unregistered, 2.13+"),
    pytest.param(dict(k2("Scale", "l", module="my_layers", init=1.5), registered_name="pkg>Scale"),
                 "pkg>Scale", id="registered"),
    pytest.param(k2("Scale", "l", module=None, init=1.5), "Scale", id="before 2.13: not a Keras 3 class"),
])
def test_custom_layers_are_left_to_the_custom_objects(layer, registered):
    result, after = one_layer(layer, known_layers=KERAS3_LAYERS)
    assert result.ok
    assert after["class_name"] == "Scale" and after["registered_name"] == registered
    assert after["config"] == {"name": "l", "trainable": True, "dtype": "float32", "init": 1.5}


def test_notes_name_the_custom_classes_and_count_the_replaced_ops():
    scale = k2("Scale", "s", module="my_layers", inbound=call("x"))
    model = tf_op_model("nn.relu", ["s", 0, 0, {}], extra=(scale,))
    result = translate(model, known_layers=KERAS3_LAYERS)
    assert result.notes == [
        "1 TFOpLambda/SlicingOpLambda layer(s) became Keras 3 layers (op -> Lambda(keras.ops.relu))",
        "custom class(es) Scale: loading the result needs them (import their module, or pass "
        "custom_objects)"]


def test_bidirectional_wraps_a_translated_layer():
    inner = {"module": "keras.layers", "class_name": "LSTM", "registered_name": None,
             "config": {"name": "lstm", "units": 2, "time_major": False}}
    _, layer = one_layer(k2("Bidirectional", "l", layer=inner, merge_mode="concat"))
    assert layer["config"]["layer"]["config"] == {"name": "lstm", "units": 2}
    assert layer["config"]["merge_mode"] == "concat"


# -- Lambda layers


def test_lambda_bytecode_moves_to_keras3_form_and_is_listed():
    lam = k2("Lambda", "lam", inbound=call("x"), function=["BASE64CODE\n", None, None],
             function_type="lambda", output_shape=None, output_shape_type="raw",
             output_shape_module=None, arguments={"k": 2})
    lam["config"]["module"] = "__main__"  # the Lambda's own module key, beside the layer's
    result, layer = one_layer(lam)
    assert result.ok and result.code_layers == ["lam"]
    assert layer["config"] == {"name": "lam", "trainable": True, "dtype": "float32", "arguments": {"k": 2},
                               "function": {"class_name": "__lambda__", "config": {
                                   "code": "BASE64CODE\n", "defaults": None, "closure": None}}}


def test_lambda_of_a_named_function_is_found_in_custom_objects():
    lam = k2("Lambda", "lam", function="double", function_type="function", output_shape=[None, 4],
             output_shape_type="raw", arguments={})
    lam["config"]["module"] = "my_functions"
    result, layer = one_layer(lam)
    assert result.ok and result.code_layers == []
    assert layer["config"]["function"] == {"module": "my_functions", "class_name": "function",
                                           "config": "double", "registered_name": "double"}
    assert layer["config"]["output_shape"] == [None, 4]


# -- TFOpLambda


def tf_op_model(function: str, node: list, cls: str = "TFOpLambda", extra: tuple = (),
                shape: list | None = None):
    op = {"module": "keras.src.layers.core.tf_op_layer", "class_name": cls, "registered_name": cls,
          "config": {"name": "op", "trainable": True, "dtype": "float32", "function": function},
          "build_config": {"input_shape": shape or [None, 6]}, "name": "op", "inbound_nodes": [node]}
    return functional(k2_input("x", shape or [None, 6]), *extra, op, inputs=[["x", 0, 0]],
                      outputs=[["op", 0, 0]])


def lambda_of(result) -> tuple[str, dict[str, Any], list]:
    layer = layers_of(result)["op"]
    assert layer["class_name"] == "Lambda"
    function = layer["config"]["function"]
    assert function["module"] == "keras.ops" and function["class_name"] == "function"
    return function["config"], layer["config"]["arguments"], layer["inbound_nodes"][0]["args"]


@pytest.mark.parametrize(("function", "kwargs", "keras", "arguments"), [
    pytest.param("math.reduce_sum", {"axis": 1, "keepdims": True, "name": None}, "sum",
                 {"axis": 1, "keepdims": True}, id="reduce_sum"),
    pytest.param("math.reduce_mean", {"axis": None}, "mean", {}, id="reduce_mean over everything"),
    pytest.param("compat.v1.reduce_sum", {"reduction_indices": 1, "keep_dims": True}, "sum",
                 {"axis": 1, "keepdims": True}, id="compat.v1 argument names"),
    pytest.param("math.multiply", {"y": 2.0, "name": None}, "multiply", {"x2": 2.0}, id="x * 2.0"),
    pytest.param("__operators__.add", {"y": 1.5}, "add", {"x2": 1.5}, id="x + 1.5"),
    pytest.param("math.truediv", {"y": 4.0}, "true_divide", {"x2": 4.0}, id="x / 4.0"),
    pytest.param("nn.relu", {"name": None}, "relu", {}, id="relu"),
    pytest.param("nn.softmax", {"axis": None}, "softmax", {"axis": -1}, id="softmax: TF's None is -1"),
    pytest.param("nn.gelu", {}, "gelu", {"approximate": False}, id="gelu: TF is exact by default"),
    pytest.param("nn.leaky_relu", {"alpha": 0.1}, "leaky_relu", {"negative_slope": 0.1}, id="leaky_relu"),
    pytest.param("reshape", {"shape": [-1, 3, 2]}, "reshape", {"newshape": [-1, 3, 2]}, id="reshape"),
    pytest.param("transpose", {"perm": [0, 1], "conjugate": False}, "transpose", {"axes": [0, 1]},
                 id="transpose"),
    pytest.param("cast", {"dtype": "int32"}, "cast", {"dtype": "int32"}, id="cast"),
    pytest.param("clip_by_value", {"clip_value_min": 0.0, "clip_value_max": 1.0}, "clip",
                 {"x_min": 0.0, "x_max": 1.0}, id="clip_by_value"),
])
def test_tf_op_on_one_tensor_becomes_a_keras_ops_lambda(function, kwargs, keras, arguments):
    result = translate(tf_op_model(function, ["x", 0, 0, kwargs]))
    assert result.ok, result.blockers
    assert lambda_of(result) == (keras, arguments, [tensor("x")])
    assert result.functions == [keras]
    assert result.replaced["op"].startswith(f"Lambda(keras.ops.{keras}")


@pytest.mark.parametrize(("function", "merge"), [
    ("__operators__.add", "Add"), ("math.subtract", "Subtract"), ("math.multiply", "Multiply"),
    ("math.maximum", "Maximum"), ("math.minimum", "Minimum"),
])
def test_tf_op_on_two_tensors_becomes_a_merge_layer(function, merge):
    other = k2("Dense", "other", inbound=call("x"), units=6)
    result = translate(tf_op_model(function, ["x", 0, 0, {"y": ["other", 0, 0], "name": None}],
                                   extra=(other,)))
    layer = layers_of(result)["op"]
    assert result.ok and result.functions == []
    assert (layer["module"], layer["class_name"]) == ("keras.layers", merge)
    assert layer["inbound_nodes"] == [{"args": [[tensor("x"), tensor("other")]], "kwargs": {}}]


def constant_first(function: str) -> Any:
    """`3.0 <op> x`: TF records function(3.0, y=x), a constant as the first operand."""
    return translate(tf_op_model(function, ["_CONSTANT_VALUE", -1, 3.0, {"y": ["x", 0, 0], "name": None}]))


def test_constant_first_operand_is_swapped_where_order_does_not_matter():
    assert lambda_of(constant_first("math.multiply")) == ("multiply", {"x2": 3.0}, [tensor("x")])
    assert lambda_of(constant_first("__operators__.add")) == ("add", {"x2": 3.0}, [tensor("x")])


def test_constant_minus_tensor_is_negate_then_add():
    result = constant_first("math.subtract")
    negate, add = [layer for layer in result.config["config"]["layers"] if layer["class_name"] == "Lambda"]
    assert negate["name"] == "op_0" and negate["config"]["function"]["config"] == "negative"
    assert negate["inbound_nodes"][0]["args"] == [tensor("x")]
    assert add["name"] == "op" and add["config"]["arguments"] == {"x2": 3.0}
    assert add["inbound_nodes"][0]["args"] == [tensor("op_0")]
    assert result.functions == ["add", "negative"]


def test_constant_over_tensor_is_a_blocker():
    result = constant_first("math.truediv")
    assert result.blockers == ["layer 'op': tf.math.truediv with a constant as its first operand"]


def test_concat_becomes_concatenate():
    other = k2("Dense", "other", inbound=call("x"), units=6)
    result = translate(tf_op_model("concat", [["x", 0, 0, {"axis": -1}], ["other", 0, 0, {"axis": -1}]],
                                   extra=(other,)))
    layer = layers_of(result)["op"]
    assert layer["class_name"] == "Concatenate" and layer["config"]["axis"] == -1
    assert layer["inbound_nodes"][0]["args"] == [[tensor("x"), tensor("other")]]


@pytest.mark.parametrize(("function", "kwargs", "why"), [
    pytest.param("linalg.matmul", {"b": ["x", 0, 0]}, "tf.linalg.matmul has no exact keras.ops equivalent in tfshift's table",
                 id="unknown function"),
    pytest.param("math.truediv", {"y": ["x", 0, 0]}, "tf.math.truediv of two tensors has no Keras 3 layer",
                 id="tensor / tensor"),
    pytest.param("math.reduce_sum", {"axis": 1, "out_type": "int32"},
                 "tf.math.reduce_sum: argument 'out_type' has no keras.ops equivalent", id="unknown argument"),
    pytest.param("nn.silu", {"beta": 2.0}, "tf.nn.silu: beta=2.0 has no keras.ops equivalent",
                 id="an argument keras.ops lacks"),
])
def test_tf_op_without_exact_equivalent_is_a_blocker(function, kwargs, why):
    result = translate(tf_op_model(function, ["x", 0, 0, kwargs]))
    assert result.blockers == [f"layer 'op': {why}"]


# -- SlicingOpLambda


def sliced(spec: Any, shape: list) -> Any:
    return translate(tf_op_model("__operators__.getitem", ["x", 0, 0, {"slice_spec": spec}],
                                 cls="SlicingOpLambda", shape=shape))


ALL = {"start": None, "stop": None, "step": None}
ELLIPSIS = {"class_name": "__ellipsis__"}


@pytest.mark.parametrize(("spec", "shape", "arguments"), [
    pytest.param([ELLIPSIS, {"start": None, "stop": 2, "step": None}], [None, 6],
                 {"indices": [0, 1], "axis": 1}, id="x[..., :2]"),
    pytest.param([ALL, 0], [None, 6], {"indices": 0, "axis": 1}, id="x[:, 0]"),
    pytest.param([ALL, -1], [None, 6], {"indices": 5, "axis": 1}, id="x[:, -1] with a known length"),
    pytest.param([ALL, {"start": None, "stop": None, "step": 2}], [None, 5],
                 {"indices": [0, 2, 4], "axis": 1}, id="x[:, ::2]"),
    pytest.param([ALL, {"start": 1, "stop": -1, "step": None}], [None, 4],
                 {"indices": [1, 2], "axis": 1}, id="x[:, 1:-1]"),
    pytest.param([ELLIPSIS, None], [None, 6], {"axis": 2}, id="x[..., None]"),
    pytest.param(0, [None, 6], {"indices": 0, "axis": 0}, id="x[0] on the batch axis"),
])
def test_slices_become_take_or_expand_dims(spec, shape, arguments):
    result = sliced(spec, shape)
    assert result.ok, result.blockers
    function, args, inputs = lambda_of(result)
    assert function == ("expand_dims" if "indices" not in arguments else "take")
    assert args == arguments and inputs == [tensor("x")]


def test_slice_of_several_axes_chains_lambdas_and_the_last_keeps_the_name():
    result = sliced([ALL, 0, {"start": 1, "stop": 3, "step": None}], [None, 4, 5])
    assert result.ok
    first, last = [layer for layer in result.config["config"]["layers"] if layer["class_name"] == "Lambda"]
    assert first["name"] == "op_0" and first["config"]["arguments"] == {"indices": 0, "axis": 1}
    assert last["name"] == "op" and last["config"]["arguments"] == {"indices": [1, 2], "axis": 1}
    assert last["inbound_nodes"][0]["args"] == [tensor("op_0")]


def test_slice_keeping_everything_is_identity():
    result = sliced([ELLIPSIS], [None, 6])
    assert layers_of(result)["op"]["class_name"] == "Identity"


@pytest.mark.parametrize(("spec", "shape", "why"), [
    pytest.param([ALL, {"start": 1, "stop": None, "step": None}], [None, None],
                 "slices 1:None:None an axis of unknown length", id="unknown length"),
    pytest.param([{"start": 1, "stop": 3, "step": None}], [None, 6],
                 "an axis of unknown length", id="the batch axis"),
    pytest.param([ALL, ["n", 0, 0]], [None, 6], "a tensor as index", id="dynamic index"),
    pytest.param([ALL, 7], [None, 6], "out of range", id="index out of range"),
    pytest.param([ALL, ALL, ALL], [None, 6], "indexes 3 axes of a rank-2 tensor", id="too many indices"),
])
def test_slices_that_need_runtime_shapes_are_blockers(spec, shape, why):
    result = sliced(spec, shape)
    assert len(result.blockers) == 1 and why in result.blockers[0]


def test_slicing_steps_directly():
    assert keras_ops.slicing([ELLIPSIS], None) == "x[...] on a tensor of unknown rank"
    assert keras_ops.slicing([ALL, ALL], [None, 3]) == [keras_ops.Step("Identity")]
