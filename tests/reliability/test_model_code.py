"""The safe-mode guard (runtime/worker/modelguard.py) on parsed Keras metadata, without TensorFlow:
Lambda layers in every spelling and nesting, Keras 3 function objects, foreign modules, and what
must *not* be refused (named keras.ops functions, TFOpLambda, a layer merely named "Lambda")."""

from __future__ import annotations

import json

import pytest

from tests.reliability import hostile
from tfshift.runtime.worker import modelguard

BYTECODE = {"class_name": "__tuple__", "items": ["4wEAAAAAAAAA", None, None]}


def lam(name="lam", **config):
    body = {"name": name, "function": BYTECODE, "function_type": "lambda", "module": "__main__",
            "output_shape": None, "output_shape_type": "raw", **config}
    return {"class_name": "Lambda", "config": body}


def functional(*layers, name="model"):
    return {"class_name": "Functional", "config": {"name": name, "layers": list(layers),
                                                   "input_layers": [], "output_layers": []}}


def sequential(*layers, name="seq"):
    return {"class_name": "Sequential", "config": {"name": name, "layers": list(layers)}}


def dense(name="d", **config):
    return {"class_name": "Dense", "config": {"name": name, "units": 2, **config}}


def keras3_function(name, module="keras.src.ops.numpy"):
    return {"module": module, "class_name": "function", "config": name, "registered_name": "function"}


def keras3_lambda_code():
    return {"class_name": "__lambda__", "config": {"code": "4wEAAAAA", "defaults": None, "closure": None}}


HOSTILE = {
    "flat": (functional(lam("affine")), ["affine"]),
    "sequential": (sequential(dense(), lam("l1")), ["l1"]),
    "nested_models": (functional(functional(sequential(lam("deep"), name="s"), name="m2"), name="m1"),
                      ["m2/s/deep"]),
    "time_distributed": (functional({"class_name": "TimeDistributed",
                                     "config": {"name": "td", "layer": lam("inner")}}), ["td/inner"]),
    "bidirectional": (functional({"class_name": "Bidirectional", "config": {
        "name": "bi", "layer": {"class_name": "LSTM", "config": {"name": "f"}},
        "backward_layer": lam("back")}}), ["bi/back"]),
    "custom_wrapper": (functional({"class_name": "MyBlock", "config": {
        "name": "block", "parts": {"first": [lam("hid")]}}}), ["block/hid"]),
    "keras3_module_spelling": (functional({"module": "keras.layers", "class_name": "Lambda",
                                           "registered_name": None, "config": {
                                               "name": "k3", "function": keras3_lambda_code()}}), ["k3"]),
    "registered_name_only": (functional({"class_name": "Renamed", "registered_name": "keras.layers>Lambda",
                                         "config": {"name": "r", "function": BYTECODE}}), ["r"]),
    "case": (functional({"class_name": "LAMBDA", "config": {"name": "up", "function": BYTECODE}}), ["up"]),
    "keras3_lambda_activation": (functional(dense("act", activation=keras3_lambda_code())), ["act"]),
    "named_function_but_lambda_shape": (functional(lam("shaped", function="double", function_type="function",
                                                       output_shape_type="lambda",
                                                       output_shape=BYTECODE)), ["shaped"]),
    "keras3_named_but_lambda_mask": (functional({"class_name": "Lambda", "config": {
        "name": "masked", "function": keras3_function("sum"), "mask": keras3_lambda_code()}}), ["masked"]),
    "raw_function_type": (functional(lam("raw", function="x", function_type="raw")), ["raw"]),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_lambda_in_every_nesting_is_found(case):
    config, expected = HOSTILE[case]
    assert modelguard.scan([config]).code == expected
    with pytest.raises(modelguard.GuardError, match="Lambda layer"):
        modelguard.check([config], False, "this model")
    modelguard.check([config], True, "this model")  # unsafe: the caller's call


@pytest.mark.parametrize("spelling", sorted(hostile.SPELLINGS))
def test_every_json_spelling_of_lambda_is_found(spelling):
    text = hostile.SPELLINGS[spelling](json.dumps(functional(lam("affine"))))
    assert hostile.LAMBDA not in text  # what a text match would have looked for is gone
    assert modelguard.scan([modelguard.parse_json(text, "config")]).code == ["affine"]


@pytest.mark.parametrize("spelling", sorted(hostile.SPELLINGS))
def test_keras_metadata_pb_is_parsed_not_matched(spelling):
    layer = json.dumps(dict(lam("affine"), name="affine"))
    model = json.dumps(dict(functional(lam("affine"), name="m"),
                            model_config=functional(lam("affine"), name="m")))
    data = hostile.keras_metadata([hostile.SPELLINGS[spelling](d) for d in (model, layer)])
    assert hostile.LAMBDA.encode() not in data
    assert modelguard.scan(modelguard.keras_metadata(data)).code == ["affine"]


def test_every_metadata_field_of_a_node_counts():
    """protobuf keeps the last of a repeated singular field; Keras reads that one: check all."""
    node = hostile.field(5, json.dumps(dense()).encode()) + hostile.field(5, json.dumps(lam()).encode())
    assert modelguard.scan(modelguard.keras_metadata(hostile.field(1, node))).code == ["lam"]


FOREIGN = {
    "os_system_function": ({"class_name": "Lambda", "config": {
        "name": "f", "function": keras3_function("system", module="os")}}, "os.system"),
    "builtin_eval": ({"class_name": "Lambda", "config": {
        "name": "f", "function": keras3_function("eval", module="builtins")}}, "builtins.eval"),
    "class_from_subprocess": ({"module": "subprocess", "class_name": "Popen",
                               "config": {"name": "p"}}, "subprocess.Popen"),
    "initializer_from_main": (dense(kernel_initializer={"module": "__main__", "class_name": "Evil",
                                                        "config": {}}), "__main__.Evil"),
    "module_not_a_string": ({"module": ["os"], "class_name": "X", "config": {}}, "['os']"),
}


@pytest.mark.parametrize("case", sorted(FOREIGN))
def test_modules_outside_keras_are_found(case):
    layer, expected = FOREIGN[case]
    found = modelguard.scan([functional(layer)])
    assert found.modules == [expected] and not found.code
    with pytest.raises(modelguard.GuardError, match="outside Keras"):
        modelguard.check([functional(layer)], False, "this model")


def test_custom_objects_the_caller_gave_are_not_foreign():
    mine = {"module": "mypkg.layers", "class_name": "Scale", "registered_name": "mypkg>Scale",
            "config": {"name": "s"}}
    assert modelguard.scan([functional(mine)]).modules == ["mypkg.layers.Scale"]
    assert not modelguard.scan([functional(mine)], custom_names={"mypkg>Scale"})
    assert not modelguard.scan([functional(mine)], custom_names={"Scale"})
    fn = {"class_name": "Lambda", "config": {"name": "f", "function": keras3_function("double", "__main__")}}
    assert not modelguard.scan([functional(fn)], custom_names={"double"})


SAFE = {
    "keras3_ops_function": {"class_name": "Lambda", "config": {"name": "f", "function": keras3_function("sum")}},
    "keras3_ops_as_builtins": {"class_name": "Lambda", "config": {"name": "f",
                                                                  "function": keras3_function("sum", "builtins")}},
    "keras2_named_function": lam("named", function="double", function_type="function"),
    "tf_op_lambda": {"class_name": "TFOpLambda", "config": {"name": "tf.math.add", "function": "math.add"}},
    "layer_named_lambda": dense("Lambda"),
    "lambda_text_in_a_name": dense('"class_name": "Lambda"'),
    "keras3_modules": {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
                       "config": {"name": "d", "dtype": {"module": "keras", "class_name": "DTypePolicy",
                                                         "config": {"name": "float32"}}}},
    "tf_keras_module": {"module": "tf_keras.src.engine.functional", "class_name": "Functional",
                        "config": {"name": "m", "layers": []}},
}


@pytest.mark.parametrize("case", sorted(SAFE))
def test_what_runs_no_code_is_not_refused(case):
    config = functional(SAFE[case])
    assert not modelguard.scan([config]), modelguard.scan([config]).describe()
    modelguard.check([json.loads(json.dumps(config))], False, "this model")


def test_hostile_documents_are_one_line_errors_not_crashes():
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(modelguard.GuardError, match="nested too deeply"):
        modelguard.parse_json(deep, "config.json")
    with pytest.raises(modelguard.GuardError, match="not JSON"):
        modelguard.parse_json(b"\xff{", "config.json")
    with pytest.raises(modelguard.GuardError, match="past the"):
        modelguard.parse_json(b" " * (modelguard.MAX_JSON_BYTES + 1), "config.json")
    with pytest.raises(modelguard.GuardError, match="SavedMetadata"):
        modelguard.keras_metadata(b"\x0a\xff\xff\xff\x0f")
    # Deeper than Python's recursion limit, built in memory: the walk is iterative.
    node: dict = lam("bottom")
    for _ in range(20_000):
        node = {"class_name": "Wrapper", "config": {"layer": node}}
    assert modelguard.scan([node]).code[0].endswith("bottom")


# -- tf.keras op layers: the TF function a file names is looked up and called on load


def op_layer(class_name, name="op", **config):
    return {"class_name": class_name, "config": {"name": name, **config}}


KNOWN_OPS = {
    "tf_op_lambda_reduce": op_layer("TFOpLambda", function="math.reduce_sum"),
    "tf_op_lambda_alias": op_layer("TFOpLambda", function="reduce_mean"),  # tf.reduce_mean
    "tf_op_lambda_compat": op_layer("TFOpLambda", function="compat.v1.nn.softmax"),
    "tf_op_lambda_concat": op_layer("TFOpLambda", function="concat"),
    "tf_op_lambda_identity": op_layer("TFOpLambda", function="identity"),
    "slicing": op_layer("SlicingOpLambda", function="__operators__.getitem"),
    "ragged_slicing": op_layer("SlicingOpLambda", function="__operators__.ragged_getitem"),
    "ragged_from": op_layer("ClassMethod", cls_symbol="RaggedTensor", method_name="from_row_lengths"),
    "ragged_to_tensor": op_layer("InstanceMethod", attr_name="to_tensor"),
    "sparse_values": op_layer("InstanceProperty", attr_name="values"),
}
UNKNOWN_OPS = {
    "write_file": (op_layer("TFOpLambda", "w", function="io.write_file"), "w (tf.io.write_file)"),
    "gfile_remove": (op_layer("TFOpLambda", "g", function="io.gfile.remove"), "g (tf.io.gfile.remove)"),
    "print": (op_layer("TFOpLambda", "p", function="print"), "p (tf.print)"),
    "not_a_string": (op_layer("TFOpLambda", "n", function=["math.add"]), "n (tf.['math.add'])"),
    "boolean_mask": (op_layer("SlicingOpLambda", "b", function="boolean_mask"), "b (tf.boolean_mask)"),
    "slicing_anything": (op_layer("SlicingOpLambda", "s", function="io.write_file"), "s (tf.io.write_file)"),
    "class_method": (op_layer("ClassMethod", "c", cls_symbol="io.gfile", method_name="rmtree"),
                     "c (tf.io.gfile.rmtree)"),
    "ragged_other_method": (op_layer("ClassMethod", "r", cls_symbol="RaggedTensor", method_name="__init__"),
                            "r (tf.RaggedTensor.__init__)"),
    "instance_method": (op_layer("InstanceMethod", "i", attr_name="__reduce__"), "i (x.__reduce__())"),
    "instance_property": (op_layer("InstanceProperty", "q", attr_name="__class__"), "q (x.__class__)"),
    "registered_name": ({"class_name": "Renamed", "registered_name": "keras.layers>TFOpLambda",
                         "config": {"name": "rn", "function": "io.write_file"}}, "rn (tf.io.write_file)"),
    "nested": (functional(sequential(op_layer("tfoplambda", "deep", function="io.write_file")), name="m2"),
               "m2/seq/deep (tf.io.write_file)"),
}


@pytest.mark.parametrize("case", sorted(KNOWN_OPS))
def test_op_layers_calling_pure_functions_pass(case):
    config = functional(KNOWN_OPS[case])
    assert not modelguard.scan([config]), modelguard.scan([config]).describe()


@pytest.mark.parametrize("case", sorted(UNKNOWN_OPS))
def test_op_layers_calling_other_functions_need_unsafe(case):
    layer, expected = UNKNOWN_OPS[case]
    found = modelguard.scan([functional(layer)])
    assert found.ops == [expected] and not found.code and not found.modules
    with pytest.raises(modelguard.GuardError, match=r"free of side effects.*--unsafe"):
        modelguard.check([functional(layer)], False, "this model")
    modelguard.check([functional(layer)], True, "this model")


def test_the_allowed_tf_functions_are_the_ones_convert_translates():
    """The guard's list and convert's table move together: a function convert learns to translate
    must load, and nothing else does (identity and concat are translated outside the table)."""
    from tfshift.models.convert import keras_ops
    from tfshift.runtime.worker import tfops

    assert set(keras_ops.RULES) | {"identity", "concat"} == tfops.TF_OPS
    for name in tfops.TF_OPS:
        assert not isinstance(keras_ops.tf_op(name, {}, set()), str) or name in keras_ops.RULES


# -- SavedModels: Keras JSON in saved_model.pb's object graph (TF 2.0-2.4), keras_metadata.pb


def user_object(identifier: str, metadata: str) -> bytes:
    """A SavedObject whose user_object (4) has identifier (1) and metadata (3)."""
    return hostile.field(4, hostile.field(1, identifier.encode()) + hostile.field(3, metadata.encode()))


def saved_model_pb(*nodes: bytes) -> bytes:
    """SavedModel(meta_graphs = 2: MetaGraphDef(object_graph_def = 7: SavedObjectGraph(nodes = 1)))."""
    graph = b"".join(hostile.field(1, node) for node in nodes)
    meta = hostile.field(1, b"\x0a\x05serve") + hostile.field(7, graph)  # meta_info_def first
    return b"\x08\x01" + hostile.field(2, meta)


@pytest.mark.parametrize("spelling", sorted(hostile.SPELLINGS))
def test_saved_model_pb_user_objects_are_parsed_not_matched(spelling):
    spell = hostile.SPELLINGS[spelling]
    data = saved_model_pb(
        user_object("_tf_keras_network", spell(json.dumps(functional(lam("affine"), name="m")))),
        user_object("_tf_keras_layer", spell(json.dumps(dict(lam("affine"), name="affine")))),
        hostile.field(7, b"\x0a\x01v"))  # a variable node: no user object
    assert hostile.LAMBDA.encode() not in data
    assert modelguard.scan(modelguard.saved_model_user_objects(data)).code == ["affine"]


def test_saved_model_pb_other_user_objects_are_not_keras():
    data = saved_model_pb(user_object("trackable_dict_wrapper", "not json"),
                          user_object("_tf_keras_layer", json.dumps(dense())))
    assert modelguard.saved_model_user_objects(data) == [dense()]


def test_saved_model_pb_every_meta_graph_and_metadata_field_counts():
    node = hostile.field(4, hostile.field(1, b"_tf_keras_layer") + hostile.field(3, json.dumps(dense()).encode())
                         + hostile.field(3, json.dumps(lam("late")).encode()))
    data = saved_model_pb(user_object("_tf_keras_layer", json.dumps(dense()))) + saved_model_pb(node)[2:]
    assert modelguard.scan(modelguard.saved_model_user_objects(data)).code == ["late"]


def test_saved_model_pb_damage_is_a_guard_error():
    for data in (b"\x12\xff\xff\xff\x0f", saved_model_pb(user_object("_tf_keras_layer", "{not json"))):
        with pytest.raises(modelguard.GuardError):
            modelguard.saved_model_user_objects(data)


def test_an_empty_keras_metadata_pb_does_not_hide_saved_model_pb(tmp_path):
    """Keras 2.5+ reads the object graph's metadata when keras_metadata.pb has no nodes."""
    (tmp_path / "keras_metadata.pb").write_bytes(b"")
    (tmp_path / "saved_model.pb").write_bytes(saved_model_pb(
        user_object("_tf_keras_layer", json.dumps(dict(lam("affine"), name="affine")))))
    found = modelguard.scan(modelguard.read_saved_model(str(tmp_path)))
    assert found.code == ["affine"]
    (tmp_path / "saved_model.pb").write_bytes(b"")
    with pytest.raises(modelguard.GuardError, match="empty"):
        modelguard.read_saved_model(str(tmp_path))
    (tmp_path / "saved_model.pb").unlink()
    (tmp_path / "saved_model.pbtxt").write_text("meta_graphs {}")
    with pytest.raises(modelguard.GuardError, match="text format"):
        modelguard.read_saved_model(str(tmp_path))
