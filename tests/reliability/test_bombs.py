"""Hostile archives and documents: zip bombs, lying headers, zip-slip, deep nesting, pickles.

Each is refused with one line, exit 2, in seconds, and the command's peak memory (its whole
process tree) stays below 300 MB (issue 18, item 7: a 1.5 MB .keras whose config.json is
1.5 GiB of spaces drove verify past 4 GiB).
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tests.reliability import hostile

PEAK_LIMIT_MB = 300
MEASURE = ("import resource, subprocess, sys\n"
           "done = subprocess.run(sys.argv[1:], capture_output=True, text=True, stdin=subprocess.DEVNULL)\n"
           "sys.stderr.write(done.stderr)\n"
           "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n")


def measured(*args: str, cwd: Path) -> tuple[int, str, int]:
    """(exit code, stderr, peak MB of the tfshift process tree)."""
    done = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "tfshift", *args],
                          capture_output=True, text=True, timeout=300, cwd=str(cwd))
    code, peak = done.stdout.split()
    return int(code), done.stderr, int(peak)


def refused(*args: str, cwd: Path) -> str:
    code, err, peak = measured(*args, cwd=cwd)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1, err[-2000:]
    assert peak < PEAK_LIMIT_MB, f"peak {peak} MB"
    return lines[0]


def spaces_bomb(path: Path, gib: float = 1.5) -> Path:
    """A .keras whose config.json unpacks to `gib` GiB of spaces (deflate: ~1.5 MB on disk)."""
    chunk = b" " * (64 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": "3.10.0"}))
        with zf.open("config.json", "w", force_zip64=True) as fh:
            for _ in range(int(gib * 16)):
                fh.write(chunk)
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return spaces_bomb(tmp_path_factory.mktemp("bomb") / "bomb.keras")


def commands(model: Path, folder: Path) -> dict[str, list[str]]:
    return {"inspect": ["inspect", str(model)], "verify": ["verify", str(model), str(model)],
            "convert": ["convert", str(model), str(folder / "out.keras")]}


@pytest.mark.parametrize("command", ["inspect", "verify", "convert"])
def test_a_config_json_of_spaces_is_refused_in_little_memory(bomb, tmp_path, command):
    assert bomb.stat().st_size < 8 << 20
    line = refused(*commands(bomb, tmp_path)[command], cwd=tmp_path)
    assert "config.json" in line and ("zip bomb" in line or "MB" in line), line


def small_config() -> dict:
    return {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": []}}


HOSTILE_ZIPS = {
    "metadata_member_past_limit": lambda p: hostile.keras_zip(p, small_config(), {
        "metadata.json": b"{" + b" " * (9 << 20) + b"}"}),
    "config_past_limit_dense": lambda p: hostile.keras_zip(p, "[" + "{}," * (3 << 20) + "{}]"),
    "deeply_nested_config": lambda p: hostile.keras_zip(p, "[" * 200_000 + "]" * 200_000),
    "zip_slip": lambda p: hostile.keras_zip(p, small_config(), {"../../evil.py": b"print('x')"}),
    "zip_slip_absolute": lambda p: hostile.keras_zip(p, small_config(), {"/tmp/evil.py": b"x"}),
    "duplicate_member": lambda p: hostile.keras_zip(p, small_config(), {"config.json": b"{}"}),
}


@pytest.mark.parametrize("command", ["inspect", "verify", "convert"])
@pytest.mark.parametrize("case", sorted(HOSTILE_ZIPS))
def test_hostile_keras_archives_are_refused(tmp_path, case, command):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name it writes
        model = HOSTILE_ZIPS[case](tmp_path / "m.keras")
    refused(*commands(model, tmp_path)[command], cwd=tmp_path)
    assert not (tmp_path.parent / "evil.py").exists()


def lying_npz(path: Path) -> Path:
    """An .npz whose x.npy header claims 999999 x 8 floats and holds 4 x 8 (NumPy allocates
    the claim before it reads); its CRC is right, as a hostile file's would be."""
    import io

    buf = io.BytesIO()
    np.save(buf, np.zeros((4, 8), dtype="float32"))
    npy = buf.getvalue()
    head, pad = npy.index(b"(4, 8)"), npy.index(b"\n")
    npy = npy[:head] + b"(999999, 8)" + npy[head + 6:pad - 5] + npy[pad:]
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("x.npy", npy)
    return path


def bomb_npz(path: Path) -> Path:
    """An .npz whose x.npy unpacks to 128 MiB past its 1 TiB header claim (deflated: ~130 KB)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, \
            zf.open("x.npy", "w", force_zip64=True) as fh:
        header = np.lib.format.header_data_from_array_1_0(np.zeros(1, dtype="uint8"))
        header["shape"] = (1 << 40,)
        np.lib.format.write_array_header_1_0(fh, header)
        for _ in range(2):
            fh.write(bytes(64 << 20))
    return path


@pytest.mark.parametrize("make", [lying_npz, bomb_npz])
def test_verify_inputs_that_claim_more_than_they_hold_are_refused(tmp_path, make):
    from tfshift.models.verify import inputs

    with pytest.raises(inputs.InputError, match="claims"):
        inputs.read_file(make(tmp_path / "inputs.npz"))


class Payload:
    """Unpickling this creates the file it names: proof that a pickle ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.mark.parametrize("name", ["model.pkl", "model.h5", "model.keras", "model.pb", "saved.joblib"])
def test_pickles_are_never_unpickled(cli, tmp_path, name):
    marker = tmp_path / "PICKLE-RAN"
    model = tmp_path / name
    model.write_bytes(pickle.dumps(Payload(marker)))
    for args in (["inspect", str(model)], ["verify", str(model), str(model)],
                 ["convert", str(model), str(tmp_path / "out")]):
        done = cli(*args)
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    inputs = tmp_path / "inputs.npz"
    np.savez(inputs, x=np.array([Payload(marker)], dtype=object))
    from tfshift.models.verify import inputs as inputs_mod

    with pytest.raises(inputs_mod.InputError, match="never unpickles"):
        inputs_mod.read_file(inputs)
    assert not marker.exists()
    assert not os.path.exists("PICKLE-RAN")
