"""Real public TF1 projects (vendored under fixtures/projects/ with their licences): each runs as
written on TensorFlow 1.15, is upgraded with `tfshift upgrade --from 1.15 --to 2.21`, and runs
on TensorFlow 2.21 in the environment the upgrade report asks for; the numbers each run prints
must agree. See fixtures/projects/README.md for where each comes from and what was changed
(data loading only, and test instrumentation: fixed seeds, fewer epochs, printed results).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.code import equivalence

PROJECTS = Path(__file__).parent / "fixtures" / "projects"
_NUMBER = re.compile(r"-?\d+\.\d+(?:[eE][-+]?\d+)?")
# Seeds numpy before the script runs (the scripts draw their data or batches with np.random).
SEEDED = "import numpy, runpy, sys; numpy.random.seed(0); sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"


def numbers(stdout: str) -> list[float]:
    """The numbers of the lines a script prints as its results (`RESULT` lines when it has
    them, else every line with a number)."""
    lines = [line for line in stdout.splitlines() if line.startswith("RESULT ")] or stdout.splitlines()
    return [float(n) for line in lines for n in _NUMBER.findall(line)]


def run(version: str, script: str, cwd: Path, report: dict | None = None, extras: tuple = ()) -> list[float]:
    args = ["run", "--tf", version, *(a for extra in extras for a in ("--with", extra))]
    command = ["python", "-c", SEEDED, script]
    if report is not None:
        needs = report["requirements"]
        if "keras2" in needs["environments"]:
            args.append("--keras2")
            command = ["env", "TF_USE_LEGACY_KERAS=1", *command]
        for package in needs["packages"]:
            args += ["--with", package]
    done = equivalence.tfshift(*args, "--", *command, cwd=str(cwd))
    if done.returncode != 0:
        raise AssertionError(f"{script} on TF {version} failed (exit {done.returncode}):\n"
                             f"{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    found = numbers(done.stdout)
    assert found, f"{script} printed no numbers:\n{done.stdout[-2000:]}"
    return found


def check(name: str, scripts: list[str], workdir: Path, extras: tuple = ()) -> dict:
    """Run `scripts` of project `name` as written on TF 1.15 and upgraded on TF 2.21; `extras`
    are the project's own non-TensorFlow requirements (scipy...), installed on both."""
    original = workdir / "original"
    shutil.copytree(PROJECTS / name, original)
    done = equivalence.tfshift("upgrade", str(original), "--from", "1.15", "--to", "2.21",
                               "--out", str(workdir / "upgraded"), "--format", "json", "--no-cache")
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    results = {}
    for script in scripts:
        before = run("1.15", script, original, extras=extras)
        after = run(equivalence.TARGET, script, workdir / "upgraded", report, extras)
        results[script] = (before, after)
    return {"report": report, "results": results}
