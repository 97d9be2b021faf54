"""The demo's steps. Each capability contributes one step; a step whose module is absent is skipped.

A step is a module with `TITLE` and `run(ctx: DemoContext) -> bool`. A step that cannot run
here (TF 1.15 needs a Python 3.7 this machine lacks) does what it can with the TF2 versions and
says what it skipped with `ctx.skip(...)`; the summary repeats it with how to get the rest.
"""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROGRAMS = Path(__file__).resolve().parent / "programs"

# In order: environments, doctor, api, code, native, then the runtime, verify and convert.
STEPS = (
    "tfshift.demo.step_envs",
    "tfshift.demo.step_doctor",
    "tfshift.demo.step_api",
    "tfshift.demo.step_code",
    "tfshift.demo.step_native",
    "tfshift.demo.step_runtime",
    "tfshift.demo.step_verify",
    "tfshift.demo.step_convert",
)
TF1 = "1.15"
NEW = "2.21"
TF2_OLD = "2.15"  # the reference side when TF 1.15 cannot run here (Keras 2)


@dataclass
class DemoContext:
    workdir: Path  # everything the demo writes goes here
    old: str = TF1  # the old TensorFlow of this run: 1.15, or 2.15 without a Python for 1.15
    new: str = NEW
    tf1_missing: str | None = None  # why TF 1.15 cannot run here (None: it can)
    artifacts: dict[str, Any] = field(default_factory=dict)  # handed from one step to the next
    skipped: list[str] = field(default_factory=list)

    @property
    def tf1(self) -> bool:
        return self.tf1_missing is None

    @property
    def programs(self) -> Path:
        return PROGRAMS

    def say(self, text: str = "") -> None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    def skip(self, what: str) -> None:
        self.say(f"skipped: {what} (needs TF {TF1}; see the summary)")
        self.skipped.append(what)

    def tfshift(self, *args: str, show: bool = True, cwd: Path | None = None) -> subprocess.CompletedProcess:
        """Run the real command line, as a user would, and show what it printed."""
        if show:
            self.say("$ tfshift " + " ".join(args))
        done = subprocess.run([sys.executable, "-m", "tfshift", *args], capture_output=True,
                              text=True, stdin=subprocess.DEVNULL, cwd=cwd)
        return done


def available_steps() -> list[Any]:
    found = []
    for name in STEPS:
        try:
            present = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            present = False
        if present:
            found.append(importlib.import_module(name))
    return found


def tf1_missing() -> str | None:
    """Why TF 1.15 cannot run on this machine, or None: checked before anything is built."""
    from tfshift.envs import interpreters, manager, table
    from tfshift.errors import InterpreterNotFoundError

    request = table.parse(TF1)
    if manager.find_existing(request) is not None:
        return None
    try:
        interpreters.find(request.release.pythons_for(None), what=f"TensorFlow {TF1}")
    except InterpreterNotFoundError:
        return (f"TensorFlow {TF1} needs Python 3.7, which this machine lacks; install it with "
                "`pyenv install 3.7` and rerun `tfshift demo` for the TF1 parts")
    return None
