"""Ctrl-C, SIGTERM and kill -9 at several points of upgrade, doctor, convert and a Runtime host:
exit 130 / 143, nothing written half, and 0 orphan processes, 0 temporary folders, 0 slabs.

Issue 18, items 3 to 5: a killed `upgrade` left two pool workers holding the caller's pipe, an
in-place upgrade ran on through Ctrl-C, `doctor` left its import check's children, a killed
`convert` its staging folder, a killed Runtime host its slabs in /dev/shm.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.reliability.procs import EXIT, marked, signal_it, start, survivors, wait_for
from tfshift.runtime import shm

SIGNALS = [(signal.SIGINT, True), (signal.SIGTERM, False), (signal.SIGKILL, False)]
IDS = ["ctrl-c", "sigterm", "kill-9"]


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """TF1 code that takes two pool workers several seconds to upgrade."""
    folder = tmp_path_factory.mktemp("tree") / "src"
    folder.mkdir()
    body = "".join(f"x{j} = tf.Session()\ny{j} = tf.placeholder(tf.float32)\n"
                   f"z{j} = tf.contrib.layers.flatten(y{j})\n" for j in range(300))
    for i in range(60):
        (folder / f"f{i}.py").write_text("import tensorflow as tf\n" + body)
    return folder


@pytest.mark.parametrize(("sig", "group"), SIGNALS, ids=IDS)
def test_upgrade_in_place_stops_at_once_and_leaves_nothing(tree, tmp_path, sig, group):
    before = digest(tree)
    proc, mark = start("upgrade", str(tree), "--to", "2.21", "--no-cache", "--jobs", "2",
                       stdout=subprocess.PIPE)
    assert wait_for(lambda: len(marked(mark)) >= 3, timeout=60), "the pool never started"
    time.sleep(0.5)
    signalled = time.monotonic()
    signal_it(proc, sig, group)
    # The caller's pipe closes with tfshift: `$(tfshift upgrade ...)` does not hang on a worker.
    drained = threading.Thread(target=proc.stdout.read, daemon=True)
    drained.start()
    drained.join(10)
    assert not drained.is_alive(), "a survivor holds the caller's stdout"
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == EXIT[sig], err
    assert time.monotonic() - signalled < 5, "the upgrade ran on after the signal"
    assert survivors(mark) == []
    assert digest(tree) == before  # stopped before writing: every file as it was
    if sig != signal.SIGKILL:
        assert err.decode().strip().splitlines()[-1].startswith(("tfshift: interrupted", "tfshift: terminated"))


def test_an_interrupted_write_finishes_or_rolls_back_the_file_in_hand(tmp_path, monkeypatch):
    """Ctrl-C while in-place writes run: the file in hand is whole or untouched, no temporary
    file stays, the others are untouched, and the command says how far it got."""
    from tfshift.code import write
    from tfshift.code.process import FileResult

    files = [tmp_path / f"f{i}.py" for i in range(5)]
    for f in files:
        f.write_text("old\n")
    results = [FileResult(str(f), []) for f in files]
    for r in results:
        r.output = b"new\n"
    real_replace, calls = os.replace, []

    def interrupted(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write.in_place(results)
    assert [f.read_text() for f in files] == ["new\n", "new\n", "old\n", "old\n", "old\n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.name for f in files)


FAKE_PYTHON = """#!/bin/sh
# The probe runs for real; the import check starts two long sleeps and waits for them.
case "$1" in
  -c) sleep 611 & sleep 611 & wait ;;
  *) exec {python} "$@" ;;
esac
"""


@pytest.mark.parametrize(("sig", "group"), SIGNALS, ids=IDS)
def test_doctor_import_check_leaves_no_children(tf215, tmp_path, sig, group):
    fake = tmp_path / "python"  # a Python with TensorFlow, whose import check never ends
    fake.write_text(FAKE_PYTHON.format(python=tf215.python))
    fake.chmod(0o755)
    proc, mark = start("doctor", "--python", str(fake), "--import-check", cwd=str(tmp_path))
    assert wait_for(lambda: sum("sleep 611" in c for c in marked(mark)) == 2, timeout=60)
    signal_it(proc, sig, group)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == EXIT[sig], err
    assert survivors(mark) == []


@pytest.mark.slow
@pytest.mark.parametrize("delay", [1.0, 3.0, 5.0])
@pytest.mark.parametrize(("sig", "group"), SIGNALS, ids=IDS)
def test_convert_killed_at_any_point_leaves_no_folder_and_no_process(tf215_models, tf215, tf221,
                                                                     tmp_path, delay, sig, group):
    out = tmp_path / "out" / "mlp.keras"
    out.parent.mkdir()
    proc, mark = start("convert", str(tf215_models / "mlp.h5"), str(out), "--target", "2.21")
    time.sleep(delay)
    if proc.poll() is not None:
        proc.communicate(timeout=60)  # closes the stderr pipe before the skip
        pytest.skip(f"the conversion finished within {delay} s")
    signal_it(proc, sig, group)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == EXIT[sig], err
    assert survivors(mark) == []
    # No staging folder stays; OUT is absent, or whole if the signal came after it was installed.
    assert wait_for(lambda: not [p for p in out.parent.iterdir() if p.name.startswith(".")],
                    timeout=3), list(out.parent.iterdir())
    left = sorted(p.name for p in out.parent.iterdir())
    assert left in ([], ["mlp.keras", "mlp.keras.tfshift.json"]), left


HOST = """
import sys, time
import numpy as np
from tfshift.runtime import Runtime
rt = Runtime("2.15")
rt.request("echo", {"big": np.ones((64, 1024, 1024), dtype=np.uint8)})
print(rt.pid, flush=True)
time.sleep(600)
"""


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_runtime_host_leaves_no_worker_and_no_slab(tf215, sig):
    proc, mark = start(code=HOST, stdout=subprocess.PIPE)
    worker = proc.stdout.readline().strip()
    assert worker, proc.stderr.read().decode()[-2000:]
    prefix = f"{shm.PREFIX}{proc.pid}-"
    assert any(n.startswith(prefix) for n in os.listdir(shm.default_dir())), "no slab to leave"
    proc.send_signal(sig)
    proc.communicate(timeout=30)
    assert survivors(mark) == []
    assert wait_for(lambda: not any(n.startswith(prefix) for n in os.listdir(shm.default_dir())),
                    timeout=3), "the killed host's slabs stayed in shared memory"


def test_every_slab_pool_sweeps_and_exit_removes_its_own(tmp_path):
    dead = 4_194_305  # above Linux's largest pid: no such process
    for _ in range(2):  # the second pool of a long-lived process sweeps too
        left = tmp_path / f"{shm.PREFIX}{dead}-abcd-1"
        left.write_bytes(b"x" * 10)
        pool = shm.SlabPool(tmp_path)
        assert not left.exists()
        pool.close()
    code = ("import sys; from tfshift.runtime import shm\n"
            f"pool = shm.SlabPool({str(tmp_path)!r}); kept = pool.take(1 << 20)\n"
            "assert kept is not None\n")  # exits without closing the pool
    done = subprocess.run([__import__("sys").executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert os.listdir(tmp_path) == []
