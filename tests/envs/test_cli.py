"""The env, run and matrix commands, end to end through the real CLI."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

PRINT_TF = "import tensorflow as tf; print(tf.__version__)"


def test_run_prints_tf_1_15_5(cli, tf115):
    result = cli("run", "--tf", "1.15", "--", "python", "-c", PRINT_TF)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "1.15.5"


def test_run_passes_the_exit_code_and_stdin(cli, tf221):
    assert cli("run", "--tf", "2.21", "--", "python", "-c", "import sys; sys.exit(7)").returncode == 7
    result = cli("run", "--tf", "2.21", "--", "python", "-c",
                 "import sys; print(sys.stdin.read().upper())", input="hello")
    assert result.stdout.strip() == "HELLO"


def test_run_puts_the_environment_first(cli, tf221):
    result = cli("run", "--tf", "2.21", "--", "python", "-c",
                 "import os, sys; print(sys.prefix); print(os.environ['VIRTUAL_ENV'])")
    prefix, venv = result.stdout.split()
    assert prefix == venv == str(tf221.path)


def test_run_forwards_signals(tf221):
    script = ("import signal, sys, time\n"
              "signal.signal(signal.SIGTERM, lambda *a: sys.exit(42))\n"
              "print('ready', flush=True)\ntime.sleep(60)\n")
    with subprocess.Popen([sys.executable, "-m", "tfshift", "run", "--tf", "2.21", "--",
                           "python", "-c", script], stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout.readline().strip() == "ready"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 42


def test_keras2_environment_reports_keras_2_through_tf_keras(cli, tf_env):
    tf_env("2.21", keras2=True)
    result = cli("run", "--tf", "2.21", "--keras2", "--", "python", "-c",
                 "import os, sys, tensorflow as tf; print(os.environ['TF_USE_LEGACY_KERAS']); "
                 "print(tf.keras.layers.Dense.__module__); "
                 "print(sys.modules[tf.keras.__name__.split('.')[0]].__version__)")
    assert result.returncode == 0, result.stderr[-2000:]
    flag, module, version = result.stdout.split()[-3:]
    assert flag == "1" and module.startswith("tf_keras.") and version.startswith("2.21")


def test_default_2_21_environment_is_keras_3(cli, tf221):
    result = cli("run", "--tf", "2.21", "--", "python", "-c",
                 "import tensorflow as tf; print(tf.keras.__version__)",
                 env={"TF_USE_LEGACY_KERAS": "1"})  # the environment's contract wins
    assert result.stdout.split()[-1].startswith("3.")


def test_matrix_three_versions_pass(cli, tf115, tf215, tf221):
    result = cli("matrix", "--tf", "1.15,2.15,2.21", "--json", "--", "python", "-c", PRINT_TF)
    assert result.returncode == 0, result.stdout + result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema"] == "matrix/1" and "tfshift_version" in doc
    rows = {r["tf"]: r for r in doc["results"]}
    assert set(rows) == {"1.15.5", "2.15.1", "2.21.0"}
    for tf, row in rows.items():
        assert row["exit_code"] == 0 and row["output_tail"] == tf
        assert os.path.exists(row["log"]) and row["python"]


def test_matrix_names_the_version_that_failed(cli, tf115, tf215, tf221):
    code = "import sys, tensorflow as tf; print('bye'); sys.exit(3 if tf.__version__.startswith('2.15') else 0)"
    result = cli("matrix", "--tf", "1.15,2.15,2.21", "--", "python", "-c", code)
    assert result.returncode == 1
    assert "failed under: TF 2.15.1 (exit 3)" in result.stdout
    assert "logs: " in result.stdout


def test_matrix_ctrl_c_stops_every_child(tf115, tf221):
    marker = uuid.uuid4().hex
    with subprocess.Popen([sys.executable, "-m", "tfshift", "matrix", "--tf", "1.15,2.21", "--",
                           "python", "-c", f"import time; time.sleep(600)  # {marker}"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as proc:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(_processes_with(marker)) < 2:
            time.sleep(0.1)
        assert len(_processes_with(marker)) == 2
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 130
    time.sleep(0.5)
    assert _processes_with(marker) == []


def _processes_with(marker):
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                cmdline = fh.read()
        except OSError:
            continue
        if marker.encode() in cmdline and b"\x00matrix\x00" not in cmdline:
            found.append(int(pid))
    return found


@pytest.mark.parametrize("args", [
    ["env", "create", "9.9"],
    ["run", "--tf", "9.9", "--", "python", "-V"],
    ["matrix", "--tf", "1.15,9.9", "--", "python", "-V"],
    ["env", "create", "1.15", "--python", "/nonexistent/python3.7"],
    ["env", "create", "1.15", "--python", sys.executable],
    ["env", "path", "2.3"],
    ["env", "remove"],
    ["run", "--tf", "2.21"],
    ["env", "create"],
])
def test_bad_input_is_one_line_and_exit_2(cli, args, private_home):
    result = cli(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_missing_interpreter_is_one_line_and_exit_2(cli, private_home, tmp_path):
    result = cli("env", "create", "1.15", env={"PYENV_ROOT": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "needs Python 3.7" in result.stderr and "pyenv install 3.7" in result.stderr


def test_debug_shows_the_traceback(cli):
    result = cli("--debug", "env", "create", "9.9")
    assert result.returncode == 2 and "Traceback" in result.stderr


def test_env_list_json(cli, tf221):
    doc = json.loads(cli("env", "list", "--json").stdout)
    assert doc["schema"] == "env-list/1"
    assert any(e["tf"] == "2.21.0" and e["status"] == "ok" for e in doc["environments"])


def test_create_prints_the_path_last_and_reuses(cli, tf221):
    result = cli("env", "create", "2.21")
    assert result.returncode == 0
    assert result.stdout.strip().splitlines()[-1] == str(tf221.path)
    assert cli("env", "path", "2.21").stdout.strip() == str(tf221.path)


def test_progress_only_on_a_terminal(private_home):
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "tfshift", "env", "create", "2.21"],
                            stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    proc.communicate(timeout=900)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    err = b"".join(chunks).decode(errors="replace")
    assert proc.returncode == 0
    assert "tfshift: creating tf-2.21.0" in err and "tfshift: built" in err
    quiet = subprocess.run([sys.executable, "-m", "tfshift", "env", "create", "2.21", "--force"],
                           capture_output=True, text=True)
    assert quiet.returncode == 0 and "tfshift:" not in quiet.stderr


def test_remove_all(cli, private_home):
    assert cli("env", "create", "2.21").returncode == 0
    result = cli("env", "remove", "--all")
    assert result.returncode == 0 and "removed" in result.stdout
    assert "no environments" in cli("env", "list").stdout


def test_pip_fallback_builds_a_working_environment(cli, private_home):
    result = cli("env", "create", "2.21", "--backend", "pip", timeout=1800)
    assert result.returncode == 0, result.stderr[-2000:]
    path = result.stdout.strip().splitlines()[-1]
    marker = json.loads(Path(path, "tfshift-env.json").read_text())
    assert marker["backend"] == "pip" and marker["packages"]["tensorflow"] == "2.21.0"
    check = cli("run", "--tf", "2.21", "--", "python", "-c", PRINT_TF)
    assert check.stdout.strip().splitlines()[-1] == "2.21.0", check.stderr[-2000:]


def test_matrix_a_version_asked_twice_gets_two_logs(cli, tf115):
    code = "import os; print('run', os.getpid())"
    result = cli("matrix", "--tf", "1.15,1.15.5", "--json", "--", "python", "-c", code)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = json.loads(result.stdout)["results"]
    assert [r["tf"] for r in rows] == ["1.15.5", "1.15.5"]
    logs = [Path(r["log"]) for r in rows]
    assert [p.name for p in logs] == ["tf-1.15.5.log", "tf-1.15.5-2.log"]
    outputs = [p.read_text().strip() for p in logs]
    assert outputs == [r["output_tail"] for r in rows] and outputs[0] != outputs[1]


def test_reusing_an_environment_imports_neither_numpy_nor_the_runtime(tf221):
    """`env create` of an existing environment stays a fast no-op: no NumPy, no runtime."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "tfshift", "env", "create", "2.21"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == str(tf221.path)
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:") and "|" in line}
    assert "tfshift.envs.manager" in imported  # the listing is what it looks like
    assert not {m for m in imported if m == "numpy" or m.startswith("numpy.")}
    assert not {m for m in imported if m.startswith("tfshift.runtime")}
    assert "subprocess" not in imported  # nothing is built, so nothing is run
