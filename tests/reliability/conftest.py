"""Fixtures of the reliability suite: trap models written by real TF 2.15, the session runtimes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.runtime.conftest import rt215, rt221

__all__ = ["Traps", "rt215", "rt221", "traps"]

FIXTURES = Path(__file__).resolve().parent / "fixtures"


class Traps:
    """Models whose Lambda creates `marker` when Keras calls it (make_hostile.py)."""

    def __init__(self, folder: Path, marker: Path) -> None:
        self.folder = folder
        self.marker = marker

    def __truediv__(self, name: str) -> Path:
        return self.folder / name

    def sprung(self) -> bool:
        """Whether a trap ran since the last call (and reset it)."""
        if self.marker.exists():
            self.marker.unlink()
            return True
        return False


@pytest.fixture(scope="session")
def traps(tf215, tmp_path_factory) -> Traps:
    folder = tmp_path_factory.mktemp("traps")
    marker = folder / "TRAP-RAN"
    result = tf215.run_python([str(FIXTURES / "make_hostile.py"), str(folder / "models"), str(marker)],
                              timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    return Traps(folder / "models", marker)
