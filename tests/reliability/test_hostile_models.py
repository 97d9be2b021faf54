"""Hostile Keras files against real TensorFlow: no code runs from a model without --unsafe.

The trap models' Lambda creates a marker file when Keras calls it, so each test sees whether
the model's bytecode ran. The respelled files say "Lambda" in words Keras reads and text
matching does not (`"class_name" : "Lambda"`, `"\\u004cambda"`): issue 18's bypass.
"""

from __future__ import annotations

import pytest

from tests.reliability import hostile
from tfshift.errors import ModelLoadError
from tfshift.runtime.errors import RemoteError
from tfshift.runtime.runtime import load_request

pytestmark = pytest.mark.slow
SPELLINGS = sorted(hostile.SPELLINGS)


def one_line_error(done) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, (done.returncode, done.stderr[-2000:])
    return lines[0]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_convert_refuses_a_respelled_keras2_saved_model(traps, tmp_path, cli, spelling):
    model = hostile.respell_saved_model(traps / "trap_saved_model", tmp_path / "m",
                                        hostile.SPELLINGS[spelling])
    line = one_line_error(cli("convert", str(model), str(tmp_path / "out.keras")))
    assert "Lambda layer(s) affine" in line and "--unsafe" in line
    assert not traps.sprung()
    assert not (tmp_path / "out.keras").exists()


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_the_worker_refuses_it_without_the_hosts_check(traps, rt215, tmp_path, spelling):
    """The worker is the last gate: asked directly, it parses keras_metadata.pb itself."""
    model = hostile.respell_saved_model(traps / "trap_saved_model", tmp_path / "m",
                                        hostile.SPELLINGS[spelling])
    _, fields = load_request(model)
    with pytest.raises(RemoteError, match=r"refusing to load .*Lambda layer\(s\) affine"):
        rt215.request("keras_export", **fields)
    assert not traps.sprung()


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("name", ["trap.h5", "trap.keras"])
def test_runtime_load_refuses_a_nested_respelled_lambda(traps, rt215, tmp_path, name, spelling):
    respell = hostile.respell_h5 if name.endswith(".h5") else hostile.respell_keras
    model = respell(traps / name, tmp_path / name, hostile.SPELLINGS[spelling])
    with pytest.raises(ModelLoadError, match=r"Lambda layer\(s\) inner/per_step/hidden"):
        rt215.load(model)
    assert not traps.sprung()


def test_the_traps_do_spring_with_unsafe(traps, rt215, tmp_path):
    """The control: the same respelled file with --unsafe runs the bytecode, so the tests
    above would see it run."""
    model = hostile.respell_h5(traps / "trap.h5", tmp_path / "t.h5", hostile.SPELLINGS["escaped"])
    assert not traps.sprung()
    rt215.load(model, unsafe=True).close()
    assert traps.sprung()


def test_verify_and_inspect_name_the_lambda(traps, tmp_path, cli):
    model = hostile.respell_h5(traps / "trap.h5", tmp_path / "t.h5", hostile.SPELLINGS["spaced"])
    shown = cli("inspect", str(model))
    assert "inner/per_step/hidden" in shown.stdout and "--unsafe" in shown.stdout
    line = one_line_error(cli("verify", str(model), str(model), "--tf-a", "2.15", "--tf-b", "2.15"))
    assert "Lambda" in line and "--unsafe" in line
    assert not traps.sprung()


def test_keras3_refuses_a_module_outside_keras(rt221, tmp_path):
    """A .keras naming os.system as a Lambda's function: older Keras 3 imports it; tfshift
    refuses before Keras reads the file."""
    config = {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 2], "name": "x"}},
        {"module": "keras.layers", "class_name": "Lambda", "config": {
            "name": "shell", "function": {"module": "os", "class_name": "function",
                                          "config": "system", "registered_name": "function"},
            "arguments": {}}}]}}
    model = hostile.keras_zip(tmp_path / "shell.keras", config)
    with pytest.raises(ModelLoadError, match=r"outside Keras that Keras would import \(os\.system\)"):
        rt221.load(model)
