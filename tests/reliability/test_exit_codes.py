"""Files tfshift cannot process change the exit code: deeply nested code and notebooks are a
TFX003 finding (exit 1, left byte-identical), a crash inside tfshift on one file is exit 2
(issue 18, item 9: both were "internal error (please report)" with exit 0)."""

from __future__ import annotations

import json

from tfshift.cli import main
from tfshift.code import process as process_mod

DEEP = {
    "brackets.py": "import tensorflow as tf\nx = " + "-" * 100_000 + "1\n",
    "chain.py": "import tensorflow as tf\ny = " + " + ".join(["tf.Session()"] * 30_000) + "\n",
    "deep.ipynb": json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    .replace('"metadata": {}', '"metadata": ' + "[" * 100_000 + "]" * 100_000),
}


def write_tree(folder):
    for name, text in DEEP.items():
        (folder / name).write_text(text)
    return {name: (folder / name).read_bytes() for name in DEEP}


def test_deeply_nested_files_are_findings_with_exit_1(cli, tmp_path):
    before = write_tree(tmp_path)
    done = cli("scan", str(tmp_path), "--to", "2.21", "--no-cache")
    assert done.returncode == 1, done.stderr
    assert "internal error" not in done.stderr
    assert sum(" TFX003 " in line for line in done.stdout.splitlines()) == len(DEEP)
    done = cli("upgrade", str(tmp_path), "--to", "2.21", "--no-cache")
    assert done.returncode == 1 and "internal error" not in done.stderr, done.stderr
    assert {name: (tmp_path / name).read_bytes() for name in DEEP} == before


def test_a_file_tfshift_failed_on_makes_exit_2(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.py").write_text("import tensorflow as tf\nx = tf.Session()\n")
    (tmp_path / "b.py").write_text("import tensorflow as tf\n")

    def broken(result, data, engine, upgrade, *more):
        if result.path.endswith("b.py"):
            raise ValueError("a rule crashed")
        return real(result, data, engine, upgrade, *more)

    real = process_mod._process_python
    monkeypatch.setattr(process_mod, "_process_python", broken)
    code = main(["scan", str(tmp_path), "--to", "2.21", "--no-cache", "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 2 and "b.py: internal error ValueError" in err
