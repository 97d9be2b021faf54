"""The Keras route of `tfshift convert`, with Keras 2 models written by real TF 2.15 and results
built by real TF 2.21 (Keras 3): each result is reloaded by a plain TF 2.21 (no tfshift) and
verified against TF 2.15's own outputs at rtol 1e-5 / atol 1e-6."""

from __future__ import annotations

import pytest

from tests.models.convert.conftest import CUSTOM_LAYERS, convert, make_job, reload_plain
from tfshift.models.convert import keras_route
from tfshift.models.convert.route import KERAS, SAVED_MODEL, ConvertError
from tfshift.models.inspection.describe import describe
from tfshift.models.verify import verify

pytestmark = pytest.mark.slow

KERAS3_RESULTS = ("sequential.h5", "custom.h5", "tfop.h5", "depthwise.h5", "saved_model", "rnn.keras")


@pytest.fixture(scope="session")
def reloaded(converted, zoo, tf221, tmp_path_factory):
    """Every .keras result loaded by plain Keras 3 with safe_mode on (the default)."""
    items = {name: (converted[name], {"custom": str(CUSTOM_LAYERS) if name == "custom.h5" else None})
             for name in KERAS3_RESULTS}
    items["divide.h5"] = (converted["divide.h5"], {})
    items["lambda.h5"] = (converted["lambda.h5"], {})
    return reload_plain(tf221, zoo, items, tmp_path_factory.mktemp("reload"))


@pytest.mark.parametrize("name", KERAS3_RESULTS)
def test_becomes_a_keras3_file_of_real_layers(name, converted, reloaded):
    done = converted[name]
    assert done.outcome.written == KERAS and done.outcome.fallback is None, done.outcome.notes
    assert done.outcome.route == "keras" and done.path.suffix == ".keras" and done.path.is_file()
    assert done.outcome.details["safe_mode"] is True
    plain = reloaded[name]
    assert plain["error"] is None and plain["ok"], plain
    assert not {"TFOpLambda", "SlicingOpLambda", "TFSMLayer"} & set(plain["classes"])


@pytest.mark.parametrize("name", KERAS3_RESULTS)
def test_result_verifies_against_tf215(name, converted, zoo, rt215, rt221):
    done = converted[name]
    custom = str(CUSTOM_LAYERS) if name == "custom.h5" else None
    report = verify(zoo / name, done.path, runtime_a=rt215, runtime_b=rt221, custom_objects=custom,
                    samples=2)
    assert report.ok, report.text()
    assert report.a.tf_version.startswith("2.15") and report.b.tf_version.startswith("2.21")
    assert [o.a for o in report.outputs] == [o.b for o in report.outputs]  # paired by name


def test_tf_ops_become_keras_ops_lambdas_and_merge_layers(converted, reloaded):
    done = converted["tfop.h5"]
    replaced = done.outcome.details["replaced"]
    assert replaced["tf.math.reduce_sum"] == "Lambda(keras.ops.sum, axis=1, keepdims=True)"
    assert replaced["tf.math.multiply"] == "Lambda(keras.ops.multiply, x2=2.0)"
    assert replaced["tf.__operators__.getitem"] == "Lambda(keras.ops.take, indices=[0, 1], axis=1)"
    assert replaced["tf.__operators__.add"] == "Add"
    assert replaced["tf.nn.relu"] == "Lambda(keras.ops.relu)"
    assert replaced["tf.math.subtract"] == "Lambda(keras.ops.negative) -> Lambda(keras.ops.add, x2=1.0)"
    assert any(n.startswith("8 TFOpLambda/SlicingOpLambda layer(s) became Keras 3 layers (")
               for n in done.outcome.notes), done.outcome.notes
    assert set(reloaded["tfop.h5"]["classes"]) == {"InputLayer", "Lambda", "Add", "Dense"}
    assert describe(done.path).code_layers == []  # named keras.ops functions, no bytecode


def test_depthwise_and_transposed_convolutions_lose_groups(converted, reloaded):
    assert {"DepthwiseConv2D", "Conv2DTranspose"} <= set(reloaded["depthwise.h5"]["classes"])
    assert converted["depthwise.h5"].outcome.details["weights"] == 12


def test_custom_layers_come_from_the_users_module(converted, reloaded):
    assert {"Scale", "Shift"} <= set(reloaded["custom.h5"]["classes"])
    assert any(n.startswith("custom class(es) Scale, Shift: loading the result needs them")
               for n in converted["custom.h5"].outcome.notes)


def test_custom_layers_without_custom_objects_say_what_to_pass(zoo, rt215, rt221, tmp_path):
    with pytest.raises(ConvertError, match=r"could not read this Keras model: .*Unknown layer: 'Shift'.* pass --custom-objects"):
        convert(zoo / "custom.h5", rt215, rt221, tmp_path)
    assert list(tmp_path.iterdir()) == []


# -- Lambda layers


def test_lambda_without_unsafe_is_refused_before_loading(zoo, rt215, rt221, tmp_path):
    with pytest.raises(ConvertError, match=r"affine.*pass --unsafe only if you trust this file"):
        convert(zoo / "lambda.h5", rt215, rt221, tmp_path)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ConvertError, match="pass --unsafe"):  # before any runtime starts
        keras_route.check(make_job(zoo / "lambda.h5"))
    keras_route.check(make_job(zoo / "lambda.h5", unsafe=True))
    keras_route.check(make_job(zoo / "tfop.h5"))


def test_lambda_in_a_keras2_saved_model_is_refused_too(zoo, rt215, rt221, tmp_path):
    with pytest.raises(ConvertError, match=r"Lambda layer\(s\) affine .* pass --unsafe"):
        convert(zoo / "lambda_saved_model", rt215, rt221, tmp_path)
    assert keras_route.target_python(make_job(zoo / "lambda_saved_model", unsafe=True)) == "3.11"


def test_lambda_needs_the_sources_python_in_the_target(zoo):
    assert keras_route.target_python(make_job(zoo / "lambda.h5", unsafe=True)) == "3.11"
    assert keras_route.target_python(make_job(zoo / "lambda.h5")) is None
    assert keras_route.target_python(make_job(zoo / "lambda.h5", unsafe=True, to=SAVED_MODEL)) is None
    assert keras_route.target_python(make_job(zoo / "tfop.h5", unsafe=True)) is None


def test_lambda_with_unsafe_on_the_sources_python(zoo, rt215, rt221_py311, tf221_py311, tmp_path):
    done = convert(zoo / "lambda.h5", rt215, rt221_py311, tmp_path, unsafe=True)
    assert done.outcome.written == KERAS and done.outcome.fallback is None
    assert done.outcome.details["safe_mode"] is False
    assert describe(done.path).code_layers == ["affine"]
    assert any("safe_mode=False" in n and "Python 3.11" in n for n in done.outcome.notes)
    plain = reload_plain(tf221_py311, zoo, {"safe": (done, {}), "unsafe": (done, {"safe_mode": False})},
                         tmp_path)
    assert "Lambda" in plain["safe"]["error"] and "safe_mode=False" in plain["safe"]["error"]
    assert plain["unsafe"]["ok"], plain["unsafe"]
    report = verify(zoo / "lambda.h5", done.path, runtime_a=rt215, runtime_b=rt221_py311, unsafe=True)
    assert report.ok, report.text()


def test_lambda_on_another_python_falls_back_and_says_why(converted, reloaded):
    done = converted["lambda.h5"]
    assert done.outcome.written == SAVED_MODEL and done.outcome.route == "keras-saved-model"
    assert "Python 3.11 bytecode" in done.outcome.fallback and "3.13" in done.outcome.fallback
    assert done.path.name == "lambda" and (done.path / "saved_model.pb").is_file()
    assert reloaded["lambda.h5"]["ok"], reloaded["lambda.h5"]


# -- SavedModel results


def test_unmappable_op_falls_back_to_a_saved_model(converted, reloaded, zoo, rt215, rt221):
    done = converted["divide.h5"]
    assert done.outcome.written == SAVED_MODEL and done.outcome.fallback is not None
    assert "tf.math.truediv of two tensors" in done.outcome.fallback
    assert "\n" not in done.outcome.fallback
    assert not (done.path.parent / "divide.keras").exists()
    plain = reloaded["divide.h5"]
    assert plain["ok"], plain
    assert plain["signature"] == {"inputs": ["x", "y"], "outputs": ["tf.math.truediv"]}
    report = verify(zoo / "divide.h5", done.path, runtime_a=rt215, runtime_b=rt221)
    assert report.ok, report.text()


def test_to_saved_model_writes_one_signed_by_the_target(zoo, rt215, rt221, tf221, tmp_path):
    done = convert(zoo / "custom.h5", rt215, rt221, tmp_path, to=SAVED_MODEL,
                   custom_objects=str(CUSTOM_LAYERS))
    assert done.outcome.written == SAVED_MODEL and done.outcome.fallback is None
    assert done.path == tmp_path / "custom" and (done.path / "saved_model.pb").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["custom"]  # no scratch left behind
    assert done.outcome.details["inputs"] == ["a", "b"]
    assert describe(done.path).provenance.writer == "TensorFlow 2.21.0"  # written by the target
    plain = reload_plain(tf221, zoo, {"custom": (done, {})}, tmp_path)
    assert plain["custom"]["ok"], plain
    assert plain["custom"]["signature"] == {"inputs": ["a", "b"], "outputs": ["score", "shift"]}
    report = verify(zoo / "custom.h5", done.path, runtime_a=rt215, runtime_b=rt221,
                    custom_objects=str(CUSTOM_LAYERS))
    assert report.ok, report.text()
    assert report.b.tf_version.startswith("2.21")
