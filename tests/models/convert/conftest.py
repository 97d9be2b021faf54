"""The Keras 2 zoo (written by TF 2.15 at test time), converted once per session, and a TF 2.21
runtime on Python 3.11 for the Lambda layers (whose bytecode is Python 3.11's)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, Written, _written, need
from tfshift.models.convert import keras_route
from tfshift.models.convert.route import KERAS, Job, RouteOutcome
from tfshift.models.inspection.describe import describe
from tfshift.runtime import Runtime

CUSTOM_LAYERS = FIXTURES / "convert_custom_layers.py"
RELOAD = Path(__file__).resolve().parent / "fixtures" / "reload_plain.py"


@pytest.fixture(scope="session")
def zoo(tf215, tmp_path_factory) -> Written:
    """Keras 2 models written by TF 2.15 (make_convert_tf2.py)."""
    return _written(tf215, "make_convert_tf2.py", tmp_path_factory.mktemp("convert215") / "zoo")


@pytest.fixture(scope="session")
def tf221_py311(tf_env):
    """TF 2.21 (Keras 3) on Python 3.11, the Python TF 2.15 wrote the Lambda bytecode with."""
    from tfshift.envs import interpreters, manager
    from tfshift.errors import InterpreterNotFoundError

    try:
        return manager.ensure("2.21", python=interpreters.find(["3.11"]).path)
    except InterpreterNotFoundError as exc:
        need(str(exc))


@pytest.fixture(scope="session")
def rt221_py311(tf221_py311):
    with Runtime(env=tf221_py311) as rt:
        yield rt


def make_job(path: Path, *, to: str = KERAS, unsafe: bool = False,
             custom_objects: str | None = None) -> Job:
    return Job(source=describe(path), out=path.with_suffix(".out"), to=to, source_tf="2.15",
               source_keras2=False, target_tf="2.21", unsafe=unsafe, custom_objects=custom_objects)


@dataclass
class Converted:
    """One zoo model through keras_route.run: the outcome, where it went, how long it took."""

    model: Path
    job: Job
    outcome: RouteOutcome
    seconds: float

    @property
    def path(self) -> Path:
        return Path(self.outcome.details["path"])


def convert(model: Path, source: Runtime, target: Runtime, folder: Path, **job: Any) -> Converted:
    staged_job = make_job(model, **job)
    name = model.name.split(".")[0]
    staged = folder / (f"{name}.keras" if staged_job.to == KERAS else name)
    start = time.monotonic()
    outcome = keras_route.run(staged_job, source, target, staged)
    return Converted(model, staged_job, outcome, time.monotonic() - start)


@pytest.fixture(scope="session")
def converted(zoo, rt215, rt221, tmp_path_factory) -> dict[str, Converted]:
    """Every zoo model that converts with the default TF 2.21 (Python 3.13), by file name."""
    folder = tmp_path_factory.mktemp("converted")
    plans = {
        "sequential.h5": {}, "custom.h5": {"custom_objects": str(CUSTOM_LAYERS)}, "tfop.h5": {},
        "depthwise.h5": {}, "saved_model": {}, "rnn.keras": {}, "divide.h5": {},
        "lambda.h5": {"unsafe": True},  # on Python 3.13: the bytecode cannot be rebuilt
    }
    return {name: convert(zoo / name, rt215, rt221, folder, **plan) for name, plan in plans.items()}


def reload_plain(env: Any, zoo: Written, items: dict[str, tuple[Converted, dict[str, Any]]],
                 folder: Path) -> dict[str, Any]:
    """Load and run conversion results in `env` with plain Keras / TensorFlow (reload_plain.py)."""
    jobs = []
    for name, (done, options) in items.items():
        key = done.model.name
        names = zoo.meta["models"][key]
        jobs.append({"name": name, "path": str(done.path), "kind": done.outcome.written,
                     "expected": str(zoo / "expected.npz"), "key": key, "inputs": names["inputs"],
                     "outputs": names["outputs"], "custom": options.get("custom"),
                     "safe_mode": options.get("safe_mode", True)})
    listing = folder / "jobs.json"
    listing.write_text(json.dumps(jobs))
    result = env.run_python([str(RELOAD), str(listing)], timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
