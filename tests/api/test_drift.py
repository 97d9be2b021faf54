"""CI: walk TensorFlow 2.21 (and its tf-keras environment) for real; the database must agree.

The database records the Python each release was walked with, and the reprs of some defaults
differ between Pythons, so the check walks environments of that Python: built with it when
missing (the environment manager's `python=`), skipped with the reason when this machine has no
such interpreter (a failure under CI=true).
"""

from __future__ import annotations

import json
import os
import sys

import pytest

from tests.conftest import need
from tfshift.api import database, generate
from tfshift.envs import interpreters, manager, table
from tfshift.errors import InterpreterNotFoundError, TfshiftError

RELEASE = "2.21"


def recorded_python(db: database.ApiDatabase) -> str:
    return db.info()["releases"][RELEASE]["python"]


def env_with_python(python: str, recorded: str, *, keras2: bool) -> manager.Env:
    """The shared environment of TensorFlow 2.21 built with this Python minor (built if missing)."""
    env = manager.find_existing(RELEASE, keras2=keras2, python=python)
    if env is None:
        try:
            found = interpreters.find([python], what=f"TensorFlow {RELEASE} as the API database walked it")
        except InterpreterNotFoundError as exc:
            need(f"the database recorded Python {recorded} for TensorFlow {RELEASE}: {exc}")
        env = manager.ensure(RELEASE, keras2=keras2, python=found.path)
    return env


@pytest.mark.slow
def test_221_has_not_drifted():
    db = database.load()
    recorded = recorded_python(db)
    python = generate.python_minor(recorded)
    for keras2 in (False, True):
        env = env_with_python(python, recorded, keras2=keras2)
        assert generate.python_minor(env.python_version) == python, (
            f"{env.name} has Python {env.python_version}, but the database recorded Python {recorded} "
            f"for TensorFlow {RELEASE}")
    problems = generate.drift(RELEASE, db, build_envs=False)
    assert problems == [], "\n".join(problems[:30])


def fabricated_env(python_version: str) -> manager.Env:
    """A TensorFlow 2.21 environment as the manager records one (marker, venv files), with
    nothing installed: enough for choosing environments, which is all the test below does."""
    minor = generate.python_minor(python_version)
    path = manager.envs_dir() / manager.env_name(table.release(RELEASE).patch_for(minor), minor, False, [])
    (path / "bin").mkdir(parents=True)
    (path / "pyvenv.cfg").write_text(f"version = {python_version}\n")
    os.symlink(sys.executable, path / "bin" / "python")
    real = os.path.realpath(sys.executable)
    marker = {"complete": True, "tensorflow": table.release(RELEASE).patch_for(minor), "python": python_version,
              "keras2": False, "base_python": {"path": sys.executable, "realpath": real, "size": os.stat(real).st_size},
              "packages": {}}
    (path / manager.MARKER).write_text(json.dumps(marker))
    env = manager.intact(path)
    assert env is not None
    return env


def test_drift_does_not_walk_another_python(private_home):
    """With only an environment of another Python, the check names both Pythons instead of
    walking it (and reporting every default whose repr changed as drift)."""
    db = database.load()
    recorded = recorded_python(db)
    other = next(p for p in table.release(RELEASE).pythons_for() if p != generate.python_minor(recorded))
    env = fabricated_env(f"{other}.0")
    with pytest.raises(TfshiftError) as raised:
        generate.drift(RELEASE, db, build_envs=False)
    message = str(raised.value)
    assert f"with Python {generate.python_minor(recorded)}" in message
    assert f"{env.name}, with Python {other}.0" in message
    assert "--python PATH" in message
