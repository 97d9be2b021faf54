"""TensorFlow names that reach a file through the project's own modules (project.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.code import tools
from tfshift.code import runner
from tfshift.code.cache import Cache
from tfshift.code.discover import discover

TREE = {
    "gcn/__init__.py": "",
    "gcn/layers.py": "import tensorflow as tf\n\nflags = tf.app.flags\nFLAGS = flags.FLAGS\n",
    "gcn/models.py": ("from gcn.layers import *\n\n\nclass Model(object):\n    def build(self):\n"
                      "        self.x = tf.placeholder(tf.float32)\n"
                      "        self.opt = tf.train.AdamOptimizer(FLAGS.learning_rate)\n"),
    "gcn/relative.py": "from .layers import tf\n\nx = tf.log(3.0)\n",
    "gcn/deeper.py": "from gcn.models import *\n\ny = tf.log(2.0)\n",
    "mypkg/__init__.py": "import tensorflow as tf\n",
    "mypkg/ops.py": "from tensorflow.layers import dense\nimport tensorflow as tf\n__all__ = ['dense']\n",
    "user.py": ("from mypkg import tf\nfrom mypkg.ops import dense as fc\nfrom mypkg.ops import *\n\n"
                "x = tf.placeholder(tf.float32)\ny = fc(x, 3)\nz = dense(x, 4)\nw = tf.log(x)\n"),
    "script_dir/helpers.py": "import tensorflow as tf\n_private = tf.log\n",
    "script_dir/train.py": "from helpers import *\n\nv = tf.log(1.0)\nu = tf.exp(1.0)\n",
    "notfs.py": "from os.path import *\nfrom collections import OrderedDict\n",
}


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run(root: Path, cache: Cache | None = None, upgrade=False, select=("TFU001", "TFU002", "TFU100")):
    files = [f for f in discover([str(root)]) if f.source]
    results = runner.run(files, tools.engine(select=select), upgrade, 1, cache)
    if cache is not None:
        cache.save()
    return {Path(f.path).relative_to(root).as_posix(): r for f, r in zip(files, results, strict=True)}


def ids(result) -> list[tuple[str, int]]:
    return [(f.id, f.line) for f in result.findings]


@pytest.fixture
def tree(tmp_path):
    write(tmp_path, TREE)
    return tmp_path


def test_names_through_project_modules(tree):
    got = run(tree)
    assert ids(got["gcn/models.py"]) == [("TFU002", 6), ("TFU002", 7)]
    assert ids(got["gcn/relative.py"]) == [("TFU001", 3)]
    assert ids(got["gcn/deeper.py"]) == [("TFU001", 3)]  # a star of a star
    assert ids(got["user.py"]) == [("TFU002", 5), ("TFU001", 8)]  # dense is fixed in ops.py
    assert ids(got["mypkg/ops.py"]) == [("TFU002", 1)]
    assert ids(got["script_dir/train.py"]) == [("TFU001", 3)]  # a script's sibling module
    assert ids(got["notfs.py"]) == []


def test_upgrade_spells_with_the_received_name(tree):
    got = run(tree, upgrade=True)
    out = got["gcn/models.py"].output.decode()
    assert "tf.compat.v1.placeholder(tf.float32)" in out and "tf.compat.v1.train.AdamOptimizer" in out
    assert "import tensorflow" not in out  # `tf` comes from gcn.layers, as before


def test_cache_keys_on_what_a_file_receives(tree, tmp_path_factory, monkeypatch):
    monkeypatch.setenv("TFSHIFT_HOME", str(tmp_path_factory.mktemp("home")))
    first = run(tree, Cache({"mode": "scan"}))
    assert ids(first["gcn/models.py"]) == [("TFU002", 6), ("TFU002", 7)]

    # Unchanged: everything from the cache (a poisoned process proves it).
    def poisoned(*args):
        raise AssertionError(f"recomputed {args[0]}")

    with monkeypatch.context() as m:
        m.setattr(runner, "process", poisoned)
        again = run(tree, Cache({"mode": "scan"}))
    assert ids(again["gcn/models.py"]) == ids(first["gcn/models.py"])

    # gcn/layers.py stops exporting `tf`: models.py's result must change, though its bytes did not.
    (tree / "gcn/layers.py").write_text("import tensorflow as _tf\n\nflags = _tf.app.flags\nFLAGS = flags.FLAGS\n")
    changed = run(tree, Cache({"mode": "scan"}))
    assert ids(changed["gcn/models.py"]) == []

    # A change to layers.py that keeps its exports only recomputes layers.py.
    (tree / "gcn/layers.py").write_text(TREE["gcn/layers.py"])
    run(tree, Cache({"mode": "scan"}))
    (tree / "gcn/layers.py").write_text(TREE["gcn/layers.py"] + "\n# a comment\n")
    computed = []
    real = runner.process

    def counting(*args):
        computed.append(Path(args[0]).name)
        return real(*args)

    with monkeypatch.context() as m:
        m.setattr(runner, "process", counting)
        last = run(tree, Cache({"mode": "scan"}))
    assert computed == ["layers.py"]
    assert ids(last["gcn/models.py"]) == [("TFU002", 6), ("TFU002", 7)]


def test_import_cycles_end(tmp_path):
    write(tmp_path, {"a.py": "from b import *\nimport tensorflow as tf\nx = tf.log(1)\n",
                     "b.py": "from a import *\ny = tf.log(2)\n"})
    got = run(tmp_path)
    assert ids(got["a.py"]) == [("TFU001", 3)] and ids(got["b.py"]) == [("TFU001", 2)]


def test_own_binding_wins_over_a_star(tmp_path):
    write(tmp_path, {"h.py": "import tensorflow as tf\n",
                     "m.py": "from h import *\nimport numpy as tf\ny = tf.log(2)\n"})
    # `import numpy as tf` rebinds tf after the star: the file's own (untracked) import is
    # not TensorFlow, and the star's `tf` must not be believed over it.
    assert ids(run(tmp_path)["m.py"]) == []


def test_own_tensorflow_import_after_a_star_wins(tmp_path):
    write(tmp_path, {"h.py": "import tensorflow as tf\n",
                     "m.py": "from h import *\nimport tensorflow.compat.v1 as tf\ny = tf.log(2)\n"})
    assert ids(run(tmp_path)["m.py"]) == []  # tf.compat.v1.log: valid on the target
