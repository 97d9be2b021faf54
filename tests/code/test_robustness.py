"""Every Python file of real TensorFlow 1.15, tensorflow-estimator 1.15 and Keras 2.15.

Scan and upgrade the lot (from 1.15 to 2.21, unsafe fixes included, so that every fix runs):
no crash and no rule error; every output compiles, and leaves no name undefined or read before
it is bound that the original had bound (names_check: `K = K`, an import below its first use);
files that do not parse are reported and copied byte-identical; and upgrading the output again
changes nothing.
"""

import json
import os
import shutil
import warnings
from pathlib import Path

import pytest

from tests.code import names_check
from tfshift.code import source as source_text


def python_files(root: Path):
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(".py"):
                yield Path(folder) / name


def site_packages(env) -> Path:
    return next(env.path.glob("lib/python3*/site-packages"))


@pytest.fixture(scope="module")
def tree(tmp_path_factory, tf115, tf215):
    root = tmp_path_factory.mktemp("sources")
    sources = [site_packages(tf115) / name for name in ("tensorflow", "tensorflow_core", "tensorflow_estimator")]
    sources.append(site_packages(tf215) / "keras")
    count = 0
    for source in sources:
        for path in python_files(source):
            target = root / source.name / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            count += 1
    assert count > 3000
    return root, count


def compiles(path: Path) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def text(path: Path) -> str:
    return source_text.decode(path.read_bytes()).text


@pytest.mark.slow
def test_scan_and_upgrade_the_sources_of_tensorflow_and_keras(tree, tmp_path, cli):
    root, count = tree
    scan = cli("scan", str(root), "--from", "1.15", "--to", "2.21", "--no-cache", "-j", "2", "--format", "json")
    assert scan.returncode in (0, 1), scan.stderr
    scanned = json.loads(scan.stdout)
    assert scanned["files"] == count and scanned["internal_errors"] == []

    out = tmp_path / "upgraded"
    upgrade = cli("upgrade", str(root), "--from", "1.15", "--to", "2.21", "--unsafe-fixes", "--no-cache",
                  "-j", "2", "--out", str(out), "--format", "json")
    assert upgrade.returncode in (0, 1), upgrade.stderr
    report = json.loads(upgrade.stdout)
    assert report["files"] == count and report["internal_errors"] == []
    assert len(report["changed"]) > 100

    untouched = {f["path"] for f in report["remaining"] if f["id"].startswith("TFX")}
    changed = {entry["path"] for entry in report["changed"]}
    names, checked = {}, 0
    for original in python_files(root):
        written = out / original.relative_to(root)
        if str(original) in untouched:
            assert written.read_bytes() == original.read_bytes()
            continue
        if str(original) not in changed:
            continue
        checked += 1
        assert compiles(written) or not compiles(original), f"{written} does not compile"
        wrong = names_check.introduced(text(original), text(written))
        if wrong:
            names[str(written)] = sorted(wrong)
    assert checked == len(report["changed"])
    assert not names, f"the upgrade left names undefined or used before they are bound: {names}"

    again = cli("upgrade", str(out), "--from", "1.15", "--to", "2.21", "--unsafe-fixes", "--no-cache",
                "-j", "2", "--check", "--format", "json")
    assert json.loads(again.stdout)["changed"] == [], "a second upgrade changed files"
