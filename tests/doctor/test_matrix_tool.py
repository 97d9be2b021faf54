"""tools/doctor_matrix.py, offline: it regenerates the committed matrix from a cache.

`fixtures/doctor-matrix-cache` is a tiny cache in the formats the tool stores (PyPI's JSON
listing per project; METADATA and WHEEL per wheel), written from facts of the committed
matrix.json for a few releases: four TensorFlow releases among others it must leave out (below
1.13, a pre-release, no Linux wheel), two tensorflow-io and two tensorflow-addons releases (one
that declares no range, so the README table applies), the minors of tensorflow-text and tf-keras.
Regenerating from it must give the committed entries back, and the tables curated in the script
(tested builds, drivers, TensorFlow Probability) must be those of the committed file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tfshift.doctor import matrix

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "doctor_matrix.py"
CACHE = Path(__file__).resolve().parent / "fixtures" / "doctor-matrix-cache"


def run_tool(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TFSHIFT_HOME": str(home)}
    return subprocess.run([sys.executable, str(TOOL), *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


def test_offline_with_an_empty_cache_says_what_to_do(tmp_path):
    proc = run_tool(tmp_path / "home", "--offline", "--out", str(tmp_path / "matrix.json"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert proc.stderr.startswith("doctor_matrix.py: error: --offline needs the cache, but ")
    assert "tensorflow.json" in proc.stderr and "without --offline" in proc.stderr
    assert not (tmp_path / "matrix.json").exists()


def test_offline_regeneration_gives_the_committed_entries(tmp_path):
    home = tmp_path / "home"
    shutil.copytree(CACHE, home / "cache" / "doctor-matrix")
    out = tmp_path / "matrix.json"
    proc = run_tool(home, "--offline", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    made = json.loads(out.read_text())
    committed = matrix.data()

    assert made["schema"] == committed["schema"] and made["comment"] == committed["comment"]
    assert sorted(made["tensorflow"]) == ["1.15.5", "2.11.1", "2.14.0", "2.21.0"]
    for version, facts in made["tensorflow"].items():
        assert facts == committed["tensorflow"][version], version
    assert [made["tensorflow"][v]["glibc"] for v in ("1.15.5", "2.14.0", "2.21.0")] == ["2.12", "2.17", "2.27"]
    for project in ("tensorflow-io", "tensorflow-addons"):
        found = made["companions"][project]
        assert len(found) == 2 and found == {v: committed["companions"][project][v] for v in found}, project
    assert made["companions"]["tensorflow-addons"]["0.9.1"]["source"] == "README"
    for project in ("tensorflow-text", "tf-keras"):
        assert made["companions"][project] == committed["companions"][project], project

    # The curated tables of the script are the committed ones.
    assert made["tested_builds"] == committed["tested_builds"]
    assert made["cuda_drivers"] == committed["cuda_drivers"]
    assert made["companions"]["tensorflow-probability"] == committed["companions"]["tensorflow-probability"]
