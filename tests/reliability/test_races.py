"""`run` and a plain `create` during `env create --force`: never a half-built environment, and
the plain create waits for the rebuild (issue 18, item 8: `run` saw `No module named
tensorflow`, the plain create returned 0 while the forced rebuild ran)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.reliability.procs import wait_for
from tfshift.envs import manager

pytestmark = pytest.mark.slow


def tfshift(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tfshift", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ),
                            stdin=subprocess.DEVNULL)


def test_readers_during_a_forced_rebuild(private_home):
    first = tfshift("env", "create", "2.21")
    out, err = first.communicate(timeout=900)
    assert first.returncode == 0, err
    final = out.strip().splitlines()[-1]
    forced = tfshift("env", "create", "2.21", "--force")
    assert wait_for(lambda: any(n.startswith(".building-") for n in os.listdir(manager.envs_dir())),
                    timeout=300), "the forced rebuild never started building"
    plain = tfshift("env", "create", "2.21")
    runs, done = [], {}
    while forced.poll() is None:
        if len(runs) < 4:
            runs.append(tfshift("run", "--tf", "2.21", "--", "python", "-c",
                                "import tensorflow as tf; print(tf.__version__)"))
        if plain.poll() is not None:
            done.setdefault("plain", time.time())
        time.sleep(0.05)
    _, forced_err = forced.communicate(timeout=900)
    assert forced.returncode == 0, forced_err
    plain_out, plain_err = plain.communicate(timeout=300)
    assert plain.returncode == 0, plain_err
    done.setdefault("plain", time.time())
    # The plain create answered only once the rebuilt environment was in place (it waited on
    # the lock); the rebuild's marker is written just before that.
    rebuilt = (manager.envs_dir() / os.path.basename(final) / manager.MARKER).stat().st_mtime
    assert done["plain"] >= rebuilt, "the plain create returned while the forced rebuild ran"
    assert plain_out.strip().splitlines()[-1] == final
    assert runs, "the rebuild finished before any reader started"
    for run in runs:
        run_out, run_err = run.communicate(timeout=300)
        assert run.returncode == 0 and run_out.strip() == "2.21.0", run_err[-2000:]
    assert [n for n in os.listdir(manager.envs_dir()) if n.startswith(".")] == [".locks"]
    assert manager.find_existing("2.21").path == manager.envs_dir() / os.path.basename(final)
