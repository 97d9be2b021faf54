"""Real Keras 2 notebooks (vendored in tests/fixtures/notebooks, licences there) on TF 2.15
against their `tfshift upgrade --from 2.15 --to 2.21` output on TF 2.21 (Keras 3), through
tools/keras3_notebooks.py: code cells as a script, offline stand-in data, verify-code."""

from __future__ import annotations

import importlib.util
import json
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
