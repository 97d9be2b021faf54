"""FIFOs, sockets and devices, named on the command line or met in a tree: one line, exit 2,
never a blocking open (issue 18, item 6: `scan` of a FIFO blocked forever)."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from tfshift.code import runner
from tfshift.code.discover import discover


def fifo(folder: Path) -> Path:
    path = folder / "model.py"
    os.mkfifo(path)
    return path


def unix_socket(folder: Path) -> Path:
    path = folder / "model.py"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))  # the socket file stays after the socket closes
    return path


def char_device(folder: Path) -> Path:
    return Path("/dev/zero")  # reads never end


def link_to_fifo(folder: Path) -> Path:
    target = folder / "pipe"
    os.mkfifo(target)
    link = folder / "model.keras"
    link.symlink_to(target)
    return link


MAKERS = {"fifo": fifo, "socket": unix_socket, "char_device": char_device, "link_to_fifo": link_to_fifo}
COMMANDS = {
    "scan": lambda p, d: ["scan", str(p), "--to", "2.21"],
    "upgrade": lambda p, d: ["upgrade", str(p), "--to", "2.21"],
    "inspect": lambda p, d: ["inspect", str(p)],
    "verify": lambda p, d: ["verify", str(p), str(p)],
    "convert": lambda p, d: ["convert", str(p), str(d / "out.keras")],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_a_special_file_named_on_the_command_line_is_refused(cli, tmp_path, kind, command):
    path = MAKERS[kind](tmp_path)
    done = cli(*COMMANDS[command](path, tmp_path), timeout=30)  # a hang fails on the timeout
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert "not a file" in lines[0] or "folder" in lines[0], lines[0]


def test_verify_inputs_that_are_a_fifo_are_refused(cli, tmp_path):
    inputs = tmp_path / "inputs.npz"
    os.mkfifo(inputs)
    model = tmp_path / "m.keras"
    model.write_bytes(b"")
    done = cli("verify", str(model), str(model), "--inputs", str(inputs), timeout=30)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1


def test_special_files_in_a_tree_are_passed_over(cli, tmp_path):
    (tmp_path / "real.py").write_text("import tensorflow as tf\nx = tf.Session()\n")
    fifo(tmp_path)
    done = cli("scan", str(tmp_path), "--to", "2.21", timeout=60)
    assert done.returncode == 1, done.stderr
    assert "real.py" in done.stdout and "model.py" not in done.stdout


def test_a_file_that_becomes_a_fifo_after_the_walk_is_not_read_blocking(tmp_path):
    path = tmp_path / "model.py"
    path.write_text("import tensorflow as tf\n")
    found = discover([str(tmp_path)])
    path.unlink()
    os.mkfifo(path)
    results = []
    worker = threading.Thread(target=lambda: results.extend(
        runner.run(found, lambda: None, upgrade=False, jobs=1, cache=None)), daemon=True)
    worker.start()
    worker.join(20)
    assert not worker.is_alive(), "reading the FIFO blocked"
    assert "FIFO" in results[0].findings[0].message
