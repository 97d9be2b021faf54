"""Real Keras 2 notebooks (vendored in tests/fixtures/notebooks, licences there) on TF 2.15
against their `tfshift upgrade --from 2.15 --to 2.21` output on TF 2.21 (Keras 3), through
tools/keras3_notebooks.py: code cells as a script, offline stand-in data, verify-code."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def harness():
    spec = importlib.util.spec_from_file_location("keras3_notebooks", ROOT / "tools" / "keras3_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


H = harness()
VENDORED = [nb for nb in H.NOTEBOOKS
            if (H.VENDORED / nb.repo.replace("/", "+") / Path(nb.path).name).exists()]


def test_the_vendored_notebooks_are_the_ones_named():
    assert sorted(nb.label for nb in VENDORED) == [
        "DLwP1 2.1 first network", "DLwP2 ch3 keras and tf", "tf guide advanced_autodiff", "tf guide basics",
        "tf images cnn", "tf keras classification", "tf quickstart advanced", "tf quickstart beginner"]


@pytest.mark.parametrize("nb", VENDORED, ids=lambda nb: nb.label.replace(" ", "_"))
def test_upgraded_notebook_matches_the_original(nb, tmp_path, monkeypatch, tf_env):
    tf_env("2.15", extras=tuple(H.WITH))
    tf_env("2.21", extras=tuple(H.WITH))
    if nb.images:  # fewer stand-in MNIST images where the notebook allows it
        monkeypatch.setenv("KERAS3_NOTEBOOKS_IMAGES", "2048,512")
    else:
        monkeypatch.delenv("KERAS3_NOTEBOOKS_IMAGES", raising=False)
    prepared = H.prepare(nb, tmp_path, tmp_path / "no-mirrors")
    result = H.verify(prepared["folder"], "b", nb.args, timeout=900, atol=nb.atol)
    assert result.get("same"), (H.describe(result), result.get("failures"))
    assert result["printed"]["elements"] >= 20 and result["variables"]


def test_quickstart_for_experts_fails_on_2_21_without_the_upgrade(tmp_path, monkeypatch):
    """TFK070's reason: the original's metric.reset_states() is gone in Keras 3."""
    monkeypatch.setenv("KERAS3_NOTEBOOKS_IMAGES", "256,64")
    nb = next(nb for nb in VENDORED if nb.label == "tf quickstart advanced")
    prepared = H.prepare(nb, tmp_path, tmp_path / "no-mirrors")
    result = H.verify(prepared["folder"], "base", nb.args, timeout=900)
    assert "reset_states" in result.get("error", ""), json.dumps(result)[:1000]


WEIGHTS_CELLS = [  # Hands-On ML 2 ch. 10's pattern: save_weights in one cell, load_weights in the next
    "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n"
    "rs = np.random.RandomState(0)\nx = rs.rand(64, 4).astype('float32')\ny = rs.rand(64, 1).astype('float32')\n"
    "def make():\n    return keras.Sequential([keras.layers.Dense(3, activation='relu', input_shape=(4,)),"
    " keras.layers.Dense(1)])\n"
    "model = make()\nmodel.compile('adam', 'mse')\nmodel.fit(x, y, epochs=3, verbose=0)\n"
    "print(model.predict(x[:4], verbose=0))",
    "model.save_weights('my_keras_weights.ckpt')",
    "other = make()\nother.load_weights('my_keras_weights.ckpt')\nprint(other.predict(x[:4], verbose=0))",
]


def test_weights_saved_and_loaded_in_two_cells_reload_the_same(tmp_path, tf_env):
    """TFK003's cross-cell fix, run: the reloaded model predicts as on 2.15."""
    tf_env("2.15", extras=tuple(H.WITH))
    tf_env("2.21", extras=tuple(H.WITH))
    folder = tmp_path / "weights"
    (folder / "upgraded").mkdir(parents=True)
    original = folder / "original.ipynb"
    original.write_text(json.dumps({"cells": [
        {"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "execution_count": None}
        for c in WEIGHTS_CELLS], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    subprocess.run([*H.TFSHIFT, "upgrade", str(original), "--from", "2.15", "--to", "2.21",
                    "--out", str(folder / "upgraded")], capture_output=True, text=True)
    upgraded = (folder / "upgraded" / "original.ipynb").read_text()
    assert upgraded.count("my_keras_weights.ckpt.weights.h5") == 2
    for side, source in (("a", original.read_text()), ("b", upgraded)):
        (folder / side).mkdir()
        (folder / side / "notebook.py").write_text(H.to_script(source))
        shutil.copy(H.SHIM, folder / side / "_tfshift_shim.py")
    result = H.verify(folder, "b", (), timeout=600)
    assert result.get("same"), H.describe(result)
    assert result["printed"]["elements"] == 8
