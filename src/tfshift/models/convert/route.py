"""What a conversion route gets and gives back: the Job, and the RouteOutcome.

A route turns one kind of source into one kind of result, with the source read in its
runtime and the result written by the target's runtime (graph.py: TF1 graphs, checkpoints and
SavedModels; keras_route.py: Keras 2 models). `tfshift.models.convert.convert` chooses the route,
starts the runtimes, gives the route a staging path, and installs what it wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfshift.errors import TfshiftError
from tfshift.models.inspection.describe import Description

SAVED_MODEL = "saved_model"
KERAS = "keras"
TARGET_KINDS = (SAVED_MODEL, KERAS)


class ConvertError(TfshiftError):
    """The source cannot be converted as asked (exit 2, one line saying what to do)."""


@dataclass
class Job:
    """One conversion, as the user asked for it and as planned from the source's files."""

    source: Description  # the model as `tfshift inspect` reads it (no TensorFlow)
    out: Path  # where the user wants the result
    to: str  # SAVED_MODEL or KERAS
    source_tf: str  # the TensorFlow that reads the source ("1.15", "2.15.1")
    source_keras2: bool  # ... with Keras 2 (tf_keras) on 2.16+
    target_tf: str  # the TensorFlow that writes the result
    inputs: list[str] | None = None  # graph tensors to feed (frozen graphs, checkpoints)
    outputs: list[str] | None = None  # graph tensors to fetch
    signature: str | None = None  # SavedModel signature to convert (default: all of them)
    tags: list[str] | None = None  # SavedModel tag set
    custom_objects: str | None = None  # module name or absolute .py path, loaded on both sides
    unsafe: bool = False  # allow Keras Lambda layers (Python bytecode)
    freeze: bool = False  # fold every variable into a constant
    replace_ops: dict[str, str] = field(default_factory=dict)  # op type -> "module:function"
    timeout: float | None = None  # seconds per worker operation
    source_extras: list[str] = field(default_factory=list)  # beside the source's TF: keras==2.3.1

    @property
    def standalone_keras(self) -> bool:
        """The source is read by the standalone keras package (2.0-2.3) that wrote it."""
        return any(e.replace(" ", "").startswith("keras==") for e in self.source_extras)

    @property
    def path(self) -> Path:
        return self.source.model.path

    @property
    def format(self) -> str:
        return self.source.format


@dataclass
class RouteOutcome:
    """What a route wrote at the staging path, and what the user should know about it."""

    written: str  # SAVED_MODEL or KERAS
    route: str  # short name of the way taken, e.g. "graph", "keras", "keras-saved-model"
    notes: list[str] = field(default_factory=list)  # one line each, for people
    fallback: str | None = None  # why a Keras source became a SavedModel instead
    details: dict[str, Any] = field(default_factory=dict)  # JSON-able facts (variables, layers)
