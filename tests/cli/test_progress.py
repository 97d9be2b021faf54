"""Progress on a terminal, nothing extra when piped: environment builds show uv's own progress,
a Runtime's start and model loads show a phase line with the time they took, and matrix shows a
live line per version with the log folder named first."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.cli.pty_run import run, run_python

RUNTIME = """
import numpy as np, tfshift
with tfshift.Runtime("2.21") as rt:
    model = rt.load({path!r})
    print("probs", model(x=np.ones((1, 8), np.float32))["probs"].shape)
"""


@pytest.mark.slow
def test_env_build_shows_uv_progress_on_a_terminal_only(private_home, cli):
    seen = run("env", "create", "2.21", "--force")
    assert seen.exit_code == 0, seen.plain[-2000:]
    text = seen.plain
    assert "tfshift: creating tf-2.21" in text and "tfshift: installing tensorflow==2.21" in text
    assert "Installed" in text  # uv's own report: its progress is no longer switched off
    assert "tfshift: built tf-2.21" in text
    piped = cli("env", "create", "2.21", "--force")
    assert piped.returncode == 0
    assert piped.stderr == "" and piped.stdout.strip().endswith("tf-2.21.0-py3.13")


@pytest.mark.slow
def test_runtime_start_and_load_are_phases_with_their_time(tf221, tmp_path, cli):
    model = tmp_path / "mlp.keras"
    made = tf221.run_python(["-c", (
        "import keras; i = keras.Input((8,), name='x'); "
        "m = keras.Model(i, keras.layers.Dense(3, name='probs')(i)); "
        f"m.save({str(model)!r})")])
    assert made.returncode == 0, made.stderr[-2000:]
    script = tmp_path / "use.py"
    script.write_text(RUNTIME.format(path=str(model)))
    seen = run_python(str(script))
    assert seen.exit_code == 0, seen.plain[-2000:]
    assert "starting TensorFlow 2.21" in seen.plain
    lines = seen.plain.splitlines()
    started = [line for line in lines if line.startswith("tfshift: started TensorFlow 2.21.0 in ")]
    loaded = [line for line in lines if line.startswith("tfshift: loaded mlp.keras in TensorFlow 2.21.0 in ")]
    assert len(started) == 1 and len(loaded) == 1
    assert lines.index(started[0]) < lines.index(loaded[0])
    assert "probs (1, 3)" in seen.plain
    quiet = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert quiet.returncode == 0 and "tfshift:" not in quiet.stderr  # piped: no phases


@pytest.mark.slow
def test_matrix_shows_a_live_line_per_version(tf215, tf221, cli):
    program = "import time, sys; print('warming up', flush=True); time.sleep(1); print('done'); sys.exit(0)"
    seen = run("matrix", "--tf", "2.15,2.21", "--", "python", "-c", program)
    assert seen.exit_code == 0, seen.plain[-2000:]
    text = seen.plain
    assert text.startswith("tfshift: logs in ")
    assert "TF 2.15  queued" in text and "TF 2.21  queued" in text
    assert "running" in text and "warming up" in text  # the last output line, live
    assert "TF 2.15  ok in" in text and "TF 2.21  ok in" in text
    assert "\x1b[2A" in seen.output  # redrawn in place, two lines up
    assert "passed under all 2 versions" in text
    piped = cli("matrix", "--tf", "2.15,2.21", "--", "python", "-c", program)
    assert piped.returncode == 0 and piped.stderr == "" and "queued" not in piped.stdout


@pytest.mark.slow
def test_quiet_switches_progress_off_on_a_terminal(tf215, tf221):
    seen = run("matrix", "--quiet", "--tf", "2.15,2.21", "--", "python", "-c", "print(1)")
    assert seen.exit_code == 0
    assert "logs in" not in seen.plain and "queued" not in seen.plain
    assert "passed under all 2 versions" in seen.plain
