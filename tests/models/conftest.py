"""Models for the inspect and verify tests, and the session's runtimes.

Besides the shared models of the top-level conftest, tests/fixtures/make_verify_*.py write more
at test time, inside the real TF 1.15 and 2.15 environments. The runtimes are the runtime tests'
own session fixtures, so most tests pay no TensorFlow start-up.
"""

from __future__ import annotations

import pytest

from tests.conftest import Written, _written
from tests.runtime.conftest import rt115, rt215, rt221

__all__ = ["rt115", "rt215", "rt221", "v1", "v2", "zoo1"]


@pytest.fixture(scope="session")
def v1(tf115, tmp_path_factory) -> Written:
    """TF1 models written by TF 1.15 (make_verify_tf1.py)."""
    return _written(tf115, "make_verify_tf1.py", tmp_path_factory.mktemp("verify115") / "models")


@pytest.fixture(scope="session")
def v2(tf215, tmp_path_factory) -> Written:
    """Keras 2 and TF 2.15-written models (make_verify_tf2.py)."""
    return _written(tf215, "make_verify_tf2.py", tmp_path_factory.mktemp("verify215") / "models")


@pytest.fixture(scope="session")
def zoo1(tf115, tmp_path_factory) -> Written:
    """The TF1 zoo of `tfshift convert`, written by TF 1.15 (make_convert_tf1.py)."""
    return _written(tf115, "make_convert_tf1.py", tmp_path_factory.mktemp("zoo115") / "models")
