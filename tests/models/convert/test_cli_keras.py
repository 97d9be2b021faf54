"""`tfshift convert` end to end on the Keras 2 zoo (written by TF 2.15): the command line plans
the route, starts TF 2.15 and TF 2.21, verifies, and installs the result."""

from __future__ import annotations

import json

import pytest

from tests.models.convert.conftest import CUSTOM_LAYERS
from tests.models.helpers import command_json

pytestmark = pytest.mark.slow


def test_custom_layer_model_converts_and_verifies(zoo, tmp_path, cli):
    out = tmp_path / "custom.keras"
    code, document = command_json(cli, "convert", str(zoo / "custom.h5"), str(out),
                                  "--custom-objects", str(CUSTOM_LAYERS), "--verify")
    assert code == 0, document
    assert document["written"] == "keras" and document["route"] == "keras"
    assert document["source_tf"].startswith("2.15") and document["target_tf"].startswith("2.21")
    report = document["verify"][0]
    assert report["ok"] and report["outputs"][0]["rtol"] == 5e-5
    assert report["outputs"][0]["tolerance_from"] == "float32 outputs"
    assert out.is_file() and json.loads(out.with_name("custom.keras.tfshift.json").read_text())["route"] == "keras"


def test_lambda_converts_with_unsafe_on_the_sources_python(zoo, tmp_path, cli, tf221_py311):
    out = tmp_path / "lambda.keras"
    refused = cli("convert", str(zoo / "lambda.h5"), str(out))
    assert refused.returncode == 2 and "--unsafe" in refused.stderr and not out.exists()
    code, document = command_json(cli, "convert", str(zoo / "lambda.h5"), str(out), "--unsafe", "--verify")
    assert code == 0, document
    assert document["written"] == "keras" and document["target_python"].startswith("3.11")
    assert any("safe_mode=False" in note for note in document["notes"])


def test_a_model_keras3_cannot_express_becomes_a_saved_model(zoo, tmp_path, cli):
    code, document = command_json(cli, "convert", str(zoo / "divide.h5"),
                                  str(tmp_path / "divide.keras"), "--verify")
    assert code == 0, document
    assert document["written"] == "saved_model" and "truediv" in document["fallback"]
    assert document["out"] == str(tmp_path / "divide")
    assert (tmp_path / "divide" / "saved_model.pb").is_file() and not (tmp_path / "divide.keras").exists()
    assert document["verify"][0]["ok"]
