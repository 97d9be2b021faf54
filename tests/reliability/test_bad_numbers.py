"""Bad numbers, for every command that takes one: exit 2 with one line, before anything runs.

A NaN or infinite tolerance made `verify` report "OK" for models that differ (issue 18, item 2):
every numeric option now goes through tfshift.arguments, and so do [tool.tfshift] values, which
argparse never checks.
"""

from __future__ import annotations

import math

import pytest

from tfshift import arguments
from tfshift.models.verify import inputs, verify
from tfshift.runtime.signature import TensorSpec

BAD = [
    ("verify", "--rtol", "nan"), ("verify", "--rtol", "inf"), ("verify", "--rtol", "-1e-5"),
    ("verify", "--atol", "nan"), ("verify", "--atol", "-inf"), ("verify", "--atol", "x"),
    ("verify", "--max-mismatch", "2"), ("verify", "--max-mismatch", "-0.1"),
    ("verify", "--max-mismatch", "nan"), ("verify", "--samples", "1e20"),
    ("verify", "--samples", "0"), ("verify", "--samples", "1.5"), ("verify", "--batch", "-8"),
    ("verify", "--batch", "99999999999"), ("verify", "--seed", "-1"), ("verify", "--seed", "2e19"),
    ("verify", "--timeout", "0"), ("verify", "--timeout", "nan"), ("verify", "--timeout", "1e300"),
    ("verify", "--int-range", "0,1e30"), ("verify", "--int-range", "5,1"),
    ("verify", "--shape", "x=-1,8"), ("verify", "--shape", "x=1099511627776"),
    ("verify", "--shape", "x=4,nan"),
    ("convert", "--rtol", "nan"), ("convert", "--atol", "inf"), ("convert", "--samples", "-3"),
    ("convert", "--seed", "-1"), ("convert", "--timeout", "-5"),
    ("verify-code", "--rtol", "nan"), ("verify-code", "--atol", "-1"), ("verify-code", "--seed", "-1"),
    ("verify-code", "--seed", "5e9"), ("verify-code", "--timeout", "0"),
    ("upgrade", "--jobs", "0"), ("upgrade", "-j", "100000"), ("scan", "--jobs", "-2"),
    ("matrix", "--jobs", "0"), ("doctor", "--import-timeout", "nan"),
    ("doctor", "--import-timeout", "-1"),
]


def positional(command: str, tmp_path) -> list[str]:
    model = tmp_path / "m.keras"
    model.write_bytes(b"PK")
    return {"verify": [str(model), str(model)], "verify-code": [str(tmp_path / "a.py"), str(tmp_path / "b.py")],
            "convert": [str(model), str(tmp_path / "o.keras"), "--verify"],
            "upgrade": [str(tmp_path), "--to", "2.21"], "scan": [str(tmp_path), "--to", "2.21"],
            "matrix": ["--tf", "2.21"], "doctor": []}[command]


def one_line(done) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    return lines[0]


@pytest.mark.parametrize(("command", "option", "value"), BAD, ids=[" ".join(b) for b in BAD])
def test_bad_number_is_exit_2_one_line(cli, tmp_path, command, option, value):
    args = [command, *positional(command, tmp_path), f"{option}={value}"]
    if command == "matrix":
        args += ["--", "true"]
    line = one_line(cli(*args, cwd=str(tmp_path)))
    assert option in line or "--shape" in line, line


CONFIG = [
    ("out = 5", "upgrade", "out = 5"), ("jobs = \"x\"", "upgrade", "jobs = 'x'"),
    ("jobs = 0", "scan", "jobs = 0"), ("jobs = true", "scan", "jobs = True"),
    ("to = 2.21", "upgrade", "to = 2.21"), ("select = 5", "scan", "select = 5"),
    ("diff = \"yes\"", "upgrade", "diff = 'yes'"), ("format = \"xml\"", "scan", "format = 'xml'"),
    ("[tool.tfshift.verify]\nrtol = nan", "verify", "rtol = nan"),
    ("[tool.tfshift.verify]\nmax-mismatch = 1.5", "verify", "max-mismatch = 1.5"),
    ("[tool.tfshift.verify]\nseed = -1", "verify", "seed = -1"),
    ("[tool.tfshift.doctor]\nimport-timeout = inf", "doctor", "import-timeout = inf"),
]


@pytest.mark.parametrize(("table", "command", "shown"), CONFIG, ids=[c[0] for c in CONFIG])
def test_bad_config_value_is_exit_2_one_line(cli, tmp_path, table, command, shown):
    text = table if table.startswith("[") else f"[tool.tfshift]\n{table}"
    (tmp_path / "pyproject.toml").write_text(text + "\n")
    line = one_line(cli(command, *positional(command, tmp_path), cwd=str(tmp_path)))
    assert "pyproject.toml: [tool.tfshift" in line and shown in line, line


def test_good_config_values_still_apply(cli, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.tfshift]\nto = "2.21"\njobs = 1\nselect = ["TFU"]\n')
    (tmp_path / "a.py").write_text("import tensorflow as tf\nx = 1\n")
    done = cli("scan", str(tmp_path / "a.py"), cwd=str(tmp_path))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("option", ["rtol", "atol", "max_mismatch", "seed", "samples", "timeout"])
def test_the_library_checks_the_same_numbers(option):
    value = {"max_mismatch": 2.0, "seed": -1, "samples": 0}.get(option, math.nan)
    with pytest.raises(arguments.ArgumentValueError, match=option):
        verify("no-such-a", "no-such-b", **{option: value})


def test_generated_inputs_are_checked_against_memory():
    spec = TensorSpec("x", "float32", (None, 2**40))
    with pytest.raises(inputs.InputError, match=r"over the .* this machine allows"):
        inputs.generate([spec])
    with pytest.raises(inputs.InputError, match="over the"):
        inputs.generate([TensorSpec("x", "float32", (None, 4096))], samples=100_000, batch=4096)
    with pytest.raises(inputs.InputError, match="no input 'nosuch'; its inputs are x"):
        inputs.generate([TensorSpec("x", "float32", (None, 8))], shapes={"nosuch": [2, 8]})
    with pytest.raises(arguments.ArgumentValueError, match="--shape x"):
        inputs.generate([TensorSpec("x", "float32", (None, 8))], shapes={"x": [-1, 8]})
    assert inputs.generate([TensorSpec("x", "float32", (None, 8))], shapes={"x": [2, 8]}).batches[0]["x"].shape == (2, 8)


def test_whole_numbers_may_be_written_as_floats():
    assert arguments.SAMPLES("1e3") == 1000 and arguments.SEED("7") == 7
    assert arguments.TOLERANCE("1e-5") == 1e-5
