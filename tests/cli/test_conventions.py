"""The conventions of ruff and uv: config from the checked path, --json errors, --statistics,
--exit-zero, --output-file, paths as typed, pre-commit hooks, shell completion."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT

TF1 = "import tensorflow as tf\nx = tf.placeholder(tf.float32)\n"


@pytest.fixture
def proj(tmp_path):
    root = tmp_path / "proj"
    (root / "src").mkdir(parents=True)
    (root / "src" / "train.py").write_text(TF1)
    return root


# -- configuration -------------------------------------------------------------------------------


def test_config_is_found_above_the_checked_path(cli, proj, tmp_path):
    (proj / "pyproject.toml").write_text('[tool.tfshift]\nfrom = "1.15"\nto = "2.21"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = cli("scan", str(proj / "src"), cwd=str(elsewhere))
    assert done.returncode == 1, done.stderr
    assert "TFU002" in done.stdout


def test_per_command_table_and_command_line_wins(cli, proj):
    (proj / "pyproject.toml").write_text(
        '[tool.tfshift]\nto = "2.21"\n[tool.tfshift.scan]\nfrom = "1.15"\nselect = ["TFG"]\n')
    done = cli("scan", str(proj / "src"))
    assert done.returncode == 1 and "TFG001" in done.stdout and "TFU002" not in done.stdout
    done = cli("scan", str(proj / "src"), "--select", "TFU")
    assert "TFU002" in done.stdout  # the flag beats the file (argparse appends: both selected)


@pytest.mark.parametrize("toml, expected", [
    ('[tool.tfshift]\nbogus = 1\n', "unknown key 'bogus'"),
    ('[tool.tfshift]\nto = 2.10\n', 'to = 2.1 must be a quoted string, e.g. to = "2.10"'),
    ('[tool.tfshift.upgrade]\nout = 5\n', "out = 5 must be a string"),
    ('[tool.tfshift.scan]\njobs = "2"\n', "jobs = '2': not a number"),
    ('[tool.tfshift.scan]\nformat = "xml"\n', "must be one of text, json, sarif"),
    ('[tool.tfshift.nosuch]\nto = "2.21"\n', "[tool.tfshift.nosuch] names no tfshift command"),
    ('[tool.tfshift.scan]\nunsafe-fixes = true\n', "[tool.tfshift.scan] has unknown key 'unsafe-fixes'"),
    ('[tool.tfshift]\nto = "2.21"\n[tool.tfshift\n', "not valid TOML"),
])
def test_bad_config_is_one_line_and_exit_2(cli, proj, toml, expected):
    (proj / "pyproject.toml").write_text(toml)
    done = cli("scan", str(proj / "src"), "--to", "2.21")
    assert done.returncode == 2
    assert expected in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_a_key_for_another_command_is_not_an_error(cli, proj):
    (proj / "pyproject.toml").write_text('[tool.tfshift]\nto = "2.21"\nunsafe-fixes = true\n')
    done = cli("scan", str(proj / "src"), "--from", "1.15")
    assert done.returncode == 1, done.stderr  # unsafe-fixes belongs to upgrade: fine for scan


def test_run_and_matrix_take_tf_from_config(cli, proj, tf221):
    (proj / "pyproject.toml").write_text(
        '[tool.tfshift.run]\ntf = "2.21"\n[tool.tfshift.matrix]\ntf = ["2.21"]\n')
    done = cli("run", "--", "python", "-c", "import tensorflow as tf; print(tf.__version__)",
               cwd=str(proj))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith("2.21")
    done = cli("matrix", "--json", "--", "python", "-c", "print('hi')", cwd=str(proj))
    assert done.returncode == 0, done.stderr
    assert next(r["tf"] for r in json.loads(done.stdout)["results"]).startswith("2.21")


def test_run_without_tf_names_the_config_key(cli, tmp_path):
    done = cli("run", "--", "python", "-V", cwd=str(tmp_path))
    assert done.returncode == 2 and "[tool.tfshift.run]" in done.stderr


def test_doctor_is_not_fed_a_top_level_tf(cli, proj):
    (proj / "pyproject.toml").write_text('[tool.tfshift]\ntf = "2.21"\n')
    done = cli("doctor", "--json", cwd=str(proj))
    assert done.returncode in (0, 1), done.stderr
    assert "Previewing" not in done.stdout and "preview" not in json.loads(done.stdout)


# -- --json errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("args, schema", [
    (("scan", "/nonexistent", "--to", "2.21", "--json"), "scan/1"),
    (("scan", "/nonexistent", "--to", "2.21", "--format", "sarif"), "scan/1"),
    (("inspect", "/nonexistent.pb", "--json"), "inspect/1"),
    (("verify", "/no/a.pb", "/no/b.pb", "--json"), "verify/1"),
    (("verify-code", "/no/a.py", "/no/b.py", "--json"), "verify-code/1"),
    (("convert", "/no/a.pb", "/tmp/out", "--json"), "convert/1"),
    (("api", "tf.nosuchthing", "--json"), "api/1"),
    (("env", "list", "--json", "--bogus"), "env/1"),
    (("doctor", "--python", "/no/python", "--json"), "doctor/1"),
    (("rules", "NOPE1", "--json"), "rules/1"),
])
def test_json_errors_are_one_document_on_stdout(cli, args, schema):
    done = cli(*args)
    assert done.returncode == 2, done.stderr
    document = json.loads(done.stdout)  # exactly one document: json.loads rejects two
    assert document["schema"] == schema and document["tfshift_version"]
    assert document["error"] and "\n" not in document["error"]
    assert done.stderr.strip() and "Traceback" not in done.stderr


# -- linter conventions ----------------------------------------------------------------------------


def test_statistics_exit_zero_and_output_file(cli, proj, tmp_path):
    (proj / "src" / "more.py").write_text(TF1 + "y = tf.log(x)\n")
    done = cli("scan", str(proj / "src"), "--from", "1.15", "--to", "2.21", "--statistics")
    assert done.returncode == 1
    rows = [line.split() for line in done.stdout.splitlines()]
    assert ["2", "TFU002", "[*]", "compat-v1-only"] in rows and ["1", "TFU001", "[*]", "renamed-in-tf2"] in rows
    assert [int(row[0]) for row in rows] == sorted((int(row[0]) for row in rows), reverse=True)
    stats = json.loads(cli("scan", str(proj / "src"), "--from", "1.15", "--to", "2.21",
                           "--statistics", "--json").stdout)
    assert stats["schema"] == "scan-statistics/1"
    assert {"id": "TFU002", "name": "compat-v1-only", "count": 2, "fixable": True} in stats["statistics"]
    zero = cli("scan", str(proj / "src"), "--from", "1.15", "--to", "2.21", "--exit-zero")
    assert zero.returncode == 0 and "TFU002" in zero.stdout
    report = tmp_path / "report.sarif"
    written = cli("scan", str(proj / "src"), "--from", "1.15", "--to", "2.21", "--format", "sarif",
                  "--output-file", str(report))
    assert written.returncode == 1 and written.stdout == ""
    assert json.loads(report.read_text())["version"] == "2.1.0"
    bad = cli("scan", str(proj / "src"), "--to", "2.21", "--output-file", str(tmp_path))
    assert bad.returncode == 2 and "is a folder" in bad.stderr


def test_upgrade_exit_zero_and_output_file(cli, proj, tmp_path):
    out = tmp_path / "upgrade.json"
    done = cli("upgrade", str(proj / "src"), "--from", "1.15", "--to", "2.21", "--check",
               "--exit-zero", "--json", "--output-file", str(out))
    assert done.returncode == 0 and done.stdout == ""
    assert json.loads(out.read_text())["mode"] == "check"


def test_paths_are_printed_as_typed_and_normalised(cli, proj):
    done = cli("scan", "proj/src/", "--from", "1.15", "--to", "2.21", "--json", cwd=str(proj.parent))
    assert next(f["path"] for f in json.loads(done.stdout)["findings"]) == "proj/src/train.py"
    done = cli("scan", "./proj//src", "--from", "1.15", "--to", "2.21", cwd=str(proj.parent))
    assert done.stdout.startswith("proj/src/train.py:2:")


def test_in_place_report_names_one_path(cli, proj):
    done = cli("upgrade", "proj/src", "--from", "1.15", "--to", "2.21", cwd=str(proj.parent))
    assert done.returncode == 1
    assert "  proj/src/train.py: TFU002" in done.stdout.splitlines()


def test_pre_commit_hooks_run_as_pre_commit_runs_them(proj):
    """pre-commit runs `entry` + args + the staged file names; check the file and do that."""
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    hooks = {}
    for block in text.split("\n- ")[1:]:
        fields = dict(line.strip().split(": ", 1) for line in block.strip().splitlines()
                      if ": " in line and not line.strip().startswith("#"))
        hooks[block.split("\n")[0].split(": ", 1)[1]] = fields
    assert set(hooks) == {"tfshift", "tfshift-upgrade"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["types_or"] == "[python, jupyter]"
    (proj / "pyproject.toml").write_text('[tool.tfshift]\nfrom = "1.15"\nto = "2.21"\n')
    exe = str(Path(shutil.which("tfshift") or ROOT / ".venv" / "bin" / "tfshift"))
    scan = subprocess.run([exe, *hooks["tfshift"]["entry"].split()[1:], "src/train.py"],
                          cwd=proj, capture_output=True, text=True)
    assert scan.returncode == 1 and "TFU002" in scan.stdout
    fix = subprocess.run([exe, *hooks["tfshift-upgrade"]["entry"].split()[1:], "src/train.py"],
                         cwd=proj, capture_output=True, text=True)
    assert fix.returncode == 1 and "tf.compat.v1.placeholder" in (proj / "src" / "train.py").read_text()


# -- shell completion ----------------------------------------------------------------------------


def _script(cli, shell: str, tmp_path) -> Path:
    done = cli("generate-shell-completion", shell)
    assert done.returncode == 0, done.stderr
    path = tmp_path / f"tfshift.{shell}"
    path.write_text(done.stdout)
    return path


def _shell(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if IN_CI:
            pytest.fail(f"{name} is required under CI (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return found


def test_bash_completion(cli, tmp_path):
    script = _script(cli, "bash", tmp_path)
    probe = f"""
source {script}
comp() {{ COMP_WORDS=("$@"); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); COMPREPLY=(); _tfshift; echo "${{COMPREPLY[*]}}"; }}
comp tfshift sc
comp tfshift scan --sta
comp tfshift scan --format ""
comp tfshift env c
comp tfshift upgrade x --to 2.2
"""
    done = subprocess.run([_shell("bash"), "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["scan", "--statistics", "text json sarif", "create",
                                        "2.2 2.20 2.21"]


def test_fish_completion(cli, tmp_path):
    script = _script(cli, "fish", tmp_path)
    done = subprocess.run([_shell("fish"), "-c", f"source {script}; complete -C 'tfshift sc'; "
                           "complete -C 'tfshift env '; complete -C 'tfshift scan --for'"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    words = [line.split("\t")[0] for line in done.stdout.splitlines()]
    assert "scan" in words and {"create", "list", "path", "remove"} <= set(words)
    assert "--format" in words


def test_zsh_completion_parses_and_names_every_command(cli, tmp_path):
    script = _script(cli, "zsh", tmp_path)
    done = subprocess.run([_shell("zsh"), "-n", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = script.read_text()
    assert text.startswith("#compdef tfshift")
    for command in ("scan", "upgrade", "verify", "convert", "env", "generate-shell-completion"):
        assert f"'{command}:" in text
    # zsh loads it as a function and runs it without error when completing nothing.
    load = subprocess.run([_shell("zsh"), "-f", "-c",
                           f"autoload -U compinit; compinit -u; source {script}; "
                           "whence -w _tfshift"], capture_output=True, text=True)
    assert "_tfshift: function" in load.stdout, load.stderr


def test_unknown_shell(cli):
    done = cli("generate-shell-completion", "tcsh")
    assert done.returncode == 2 and "invalid choice" in done.stderr


# -- the smaller points of issue 17 ------------------------------------------------------------


def test_api_canonical_is_the_tf2_spelling_in_tf2_releases(cli):
    done = cli("api", "tf.keras.optimizers.Adam", "--json")
    canonical = json.loads(done.stdout)["canonical"]
    assert not any(item["name"].startswith("tf.compat.v1.") for item in canonical), canonical
    release = next(r for r in json.loads(done.stdout)["releases"] if r["release"] == "2.3")
    assert release["canonical"] == "tf.keras.optimizers.Adam"


@pytest.mark.parametrize("version, expected", [
    ("1.2", "TensorFlow 1.2 is not managed: tfshift manages 1.13 to"),
    ("0.12", "TensorFlow 0.12 is not managed"),
    ("2.99", "TensorFlow 2.99 is newer than tfshift knows"),
])
def test_env_create_of_unmanaged_versions(cli, version, expected):
    done = cli("env", "create", version)
    assert done.returncode == 2 and expected in done.stderr
    assert "did you mean" not in done.stderr


def test_verify_inputs_that_are_not_numpy_say_so(tmp_path):
    script = tmp_path / "script.py"
    script.write_text("print(1)\n")
    from tfshift.models.verify.inputs import InputError, read_file

    with pytest.raises(InputError, match=r"not a NumPy \.npz/\.npy file; save the inputs with np\.savez"):
        read_file(script)
    with pytest.raises(InputError, match="never unpickles"):
        import numpy as np

        np.save(tmp_path / "objects.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
        read_file(tmp_path / "objects.npy")
