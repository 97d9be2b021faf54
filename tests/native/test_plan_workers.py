"""A project large enough for worker processes (driver.SERIAL_BELOW files): the pool ends its
workers with SIGTERM, and they inherited the command's handler, which raised and printed a
traceback per worker on a normal run (seen on aymericdamien/TensorFlow-Examples)."""

from __future__ import annotations

from tests.conftest import tfshift_cli
from tfshift.native.driver import SERIAL_BELOW

PROGRAM = "import tensorflow as tf\nx = tf.placeholder(tf.float32)\ny = x * {n}.0\ns = tf.Session()\nprint(s.run(y, {{x: 1.0}}))\n"


def test_workers_end_quietly(tmp_path):
    source = tmp_path / "project"
    source.mkdir()
    for n in range(SERIAL_BELOW + 8):
        (source / f"p{n}.py").write_text(PROGRAM.format(n=n))
    for attempt in range(4):  # the workers' ending raced the pool's SIGTERM: not every run showed it
        done = tfshift_cli("upgrade", str(source), "--native", "--from", "1.15", "--to", "2.21", "--no-cache",
                           "--jobs", "2", "--out", str(tmp_path / f"out{attempt}"))
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stderr, done.stderr
        assert (tmp_path / f"out{attempt}" / "p0.py").exists()
