"""Bad input to inspect, verify and convert, on model files others published: a file of another
framework, a Keras archive that holds no model, an option neither model can take, arrays of the
wrong kind. Each is one line naming the thing, exit 2, no traceback; none is silently ignored."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

from tests.conftest import FIXTURES
from tfshift.runtime import ModelCallError

WILD = FIXTURES / "wild"
ONNX = WILD / "onnx" / "onnx" / "backend" / "test" / "data" / "light" / "light_bvlc_alexnet.onnx"
HALF_PLUS_TWO = (WILD / "serving" / "tensorflow_serving" / "servables" / "tensorflow" / "testdata"
                 / "saved_model_half_plus_two_cpu" / "00000123")  # TF 1.14; classify takes strings
FROZEN = WILD / "tf2onnx" / "tests" / "models" / "fc-layers" / "frozen.pb"
H5 = WILD / "fc" / "trained_models" / "gender_models" / "gender_mini_XCEPTION.21-0.95.hdf5"


def one_line(done, *needles: str) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, (done.returncode, done.stdout[-1000:], done.stderr[-3000:])
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def three_commands(model, tmp_path) -> list[list[str]]:
    return [["inspect", str(model)], ["verify", str(model), str(model)],
            ["convert", str(model), str(tmp_path / "out")]]


def test_an_onnx_model_is_named_not_called_damaged(cli, tmp_path):
    for args in three_commands(ONNX, tmp_path):
        line = one_line(cli(*args), "light_bvlc_alexnet.onnx", "an ONNX model")
        assert "damaged" not in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("config", [{"hello": 1}, {"class_name": "Sequential"}, {"config": {}}])
def test_a_keras_archive_without_a_model_config(cli, tmp_path, config):
    model = tmp_path / "m.keras"
    with zipfile.ZipFile(model, "w") as zf:
        zf.writestr("config.json", json.dumps(config))
        zf.writestr("metadata.json", "{}")
    for args in three_commands(model, tmp_path):
        one_line(cli(*args), "m.keras", "describes no Keras model")


@pytest.mark.parametrize(("models", "option", "needle"), [
    ([FROZEN, FROZEN], ["--signature", "serving_default"], "--signature applies to SavedModels"),
    ([FROZEN, FROZEN], ["--tag", "serve"], "--tag applies to SavedModels"),
    ([H5, H5], ["--output-names", "predictions"], "--output-names applies to graphs"),
    ([H5, H5], ["--input-names", "input_1"], "--input-names applies to graphs"),
])
def test_verify_options_neither_model_takes(cli, models, option, needle):
    one_line(cli("verify", *map(str, models), *option), needle)


@pytest.mark.parametrize("option", [["--signature", "nosuch"], ["--tag", "serve"]])
def test_convert_signature_of_a_frozen_graph(cli, tmp_path, option):
    one_line(cli("convert", str(FROZEN), str(tmp_path / "out"), *option), "frozen.pb",
             "--signature and --tag choose a SavedModel's")
    assert not (tmp_path / "out").exists()


def example_of(**floats: float) -> bytes:
    """A serialized tf.Example of one float per feature, written out in protobuf's wire format."""
    def field(number: int, payload: bytes) -> bytes:
        return bytes([number << 3 | 2, len(payload)]) + payload
    entries = b"".join(field(1, field(1, k.encode()) + field(2, field(2, field(1, np.float32(v).tobytes()))))
                       for k, v in floats.items())
    return field(1, entries)


@pytest.mark.slow
def test_numbers_for_a_string_input(cli, tmp_path, rt115):
    """TF Serving's classify signature takes serialized tf.Examples: floats are a mistake to
    name, not an internal error while packing them (convert --verify feeds every signature)."""
    floats = tmp_path / "floats.npz"
    np.savez(floats, x=np.zeros(3, np.float32))
    done = cli("verify", str(HALF_PLUS_TWO), str(HALF_PLUS_TWO), "--tf-a", "1.15", "--tf-b", "1.15",
               "--signature", "classify_x_to_y", "--inputs", str(floats))
    one_line(done, "floats.npz", "'inputs' is float32", "string")
    done = cli("convert", str(HALF_PLUS_TWO), str(tmp_path / "out"), "--source", "1.15", "--verify",
               "--verify-inputs", str(floats))
    one_line(done, "floats.npz", "'inputs' is float32")
    assert not (tmp_path / "out").exists()
    model = rt115.load(HALF_PLUS_TWO, signature="classify_x_to_y")
    try:
        with pytest.raises(ModelCallError, match="takes strings"):
            model({"inputs": np.zeros(3)})
        scores = model({"inputs": np.array([example_of(x=3.0)], dtype=object)})
        np.testing.assert_allclose(list(scores.values())[0], [[3.0 / 2 + 2]])  # half plus two
    finally:
        model.close()


@pytest.mark.parametrize(("model", "member"), [
    (HALF_PLUS_TWO, "variables/variables.index"),  # a SavedModel's
    (WILD / "tf2onnx" / "tests" / "models" / "regression" / "checkpoint", "model.data-00000-of-00001"),
])
def test_a_fifo_inside_a_model_is_refused_not_waited_on(cli, tmp_path, model, member):
    """TensorFlow's open of a FIFO blocks for ever (verify hung, SIGTERM unheeded): refused on
    the host, naming the member, before any worker starts."""
    import os
    import shutil

    copy = tmp_path / "model"
    shutil.copytree(model, copy)
    (copy / member).unlink()
    os.mkfifo(copy / member)
    given = copy if model == HALF_PLUS_TWO else copy / "model"
    for args in three_commands(given, tmp_path):
        one_line(cli(*args, timeout=120), member, "a FIFO")
