"""Which TensorFlow wrote a model, from what its files record, and which managed version runs it.

SavedModels and checkpoints record the TensorFlow version (meta_info_def.tensorflow_version);
Keras files the Keras version; a frozen GraphDef only the GraphDef version its TensorFlow
produces, which `graph_def_versions.json` (measured on every release by
tools/graph_def_versions.py) maps back to a release. Keras 2 versions map to the TensorFlow that
bundled them (tf.keras up to 2.15, tf_keras from 2.16 on), Keras 3 to the newest TensorFlow.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tfshift.envs import table

_VERSION = re.compile(r"(\d+)\.(\d+)")


@dataclass(frozen=True)
class Provenance:
    """Who wrote a model and the managed TensorFlow that runs it by default."""

    writer: str | None  # as recorded: "TensorFlow 1.15.5", "Keras 2.15.0", "GraphDef producer 134"
    tf: str  # the minor to run it under
    keras2: bool  # run with Keras 2 (tf_keras) on a 2.16+ TensorFlow
    reason: str  # why that version, for the user
    extras: tuple[str, ...] = ()  # packages beside TensorFlow: "keras==2.3.1" for standalone Keras

    @property
    def standalone_keras(self) -> bool:
        """Written by the standalone `keras` package (2.0-2.3), not by tf.keras."""
        return any(e.startswith("keras==") for e in self.extras)

    def to_dict(self) -> dict[str, object]:
        return {"writer": self.writer, "tf": self.tf, "keras2": self.keras2, "reason": self.reason,
                "with": list(self.extras)}


def newest() -> str:
    return table.minors()[-1]


def _minor_key(minor: str) -> tuple[int, ...]:
    return table.python_key(minor)


def nearest_minor(version: str) -> tuple[str, str | None]:
    """The managed minor for a release ("1.15.5" -> "1.15"), and a note when it is not that one."""
    match = _VERSION.match(version or "")
    if not match:
        return newest(), f"unreadable version {version!r}"
    minor = f"{int(match[1])}.{int(match[2])}"
    known = table.minors()
    if minor in known:
        return minor, None
    if _minor_key(minor) < _minor_key(known[0]):
        return known[0], f"TF {minor} is older than any tfshift runs"
    return known[-1], f"TF {minor} is not a release tfshift knows"


def from_tensorflow(version: str | None) -> Provenance:
    if not version:
        return Provenance(None, newest(), False, "no version recorded: the newest TensorFlow")
    minor, note = nearest_minor(version)
    return Provenance(f"TensorFlow {version}", minor, False,
                      f"{note}: using {minor}" if note else "recorded by the writer")


@cache
def graph_def_versions() -> dict[str, dict[str, object]]:
    text = resources.files("tfshift.models.inspection").joinpath("graph_def_versions.json").read_text()
    return json.loads(text)["minors"]


def from_producer(producer: int | None) -> Provenance:
    """A frozen graph: the release whose TensorFlow writes this GraphDef version."""
    if not producer:
        return Provenance(None, newest(), False, "no GraphDef version recorded: the newest TensorFlow")
    versions = graph_def_versions()
    exact = [m for m, v in versions.items() if v["producer"] == producer]
    writer = f"GraphDef producer {producer}"
    if exact:
        minor = max(exact, key=_minor_key)
        which = " or ".join(exact)
        return Provenance(writer, minor, False, f"TensorFlow {which} writes GraphDef version {producer}")
    later = sorted((v["producer"], m) for m, v in versions.items() if v["producer"] > producer)
    if later:
        minor = later[0][1]
        return Provenance(writer, minor, False,
                          f"between releases; {minor} is the first release that reads it")
    return Provenance(writer, newest(), False, "newer than every release tfshift knows")


@cache
def _keras_versions() -> list[tuple[str, str, bool]]:
    """(Keras version as recorded by tf.keras, TF minor, keras2 flag) of every release."""
    found = []
    for minor in table.minors():
        for variant, record in table.release(minor).verified.items():
            keras = str(record.get("keras") or "").split()[-1:]
            if keras:
                found.append((keras[0], minor, variant == "keras2"))
    return found


# Standalone Keras (the `keras` package before 2.4, which recorded its version without "-tf")
# ran on TensorFlow 1.x; 1.15 is the last of them and reads every graph those Keras wrote.
STANDALONE_TF = "1.15"
_STANDALONE = re.compile(r"^(\d+)\.(\d+)\.\d+$")


def from_keras(version: str | None, backend: str | None = None) -> Provenance:
    """A Keras file: the TensorFlow whose tf.keras wrote this Keras version, or for standalone
    Keras (2.0 to 2.3, no "-tf" in the version) TF 1.15 with that very keras package."""
    if not version:
        return Provenance(None, newest(), False, "no Keras version recorded: the newest TensorFlow")
    other = backend and backend != "tensorflow"
    writer = f"Keras {version}" + (f" ({backend} backend)" if other else "")
    if version.startswith("3."):
        return Provenance(writer, newest(), False, "Keras 3: the newest TensorFlow")
    standalone = _STANDALONE.match(version)
    if standalone and (int(standalone[1]), int(standalone[2])) < (2, 4):
        why = (f"standalone Keras {version} (its keras_version has no -tf: not tf.keras): TF "
               f"{STANDALONE_TF} with keras=={version}, the TensorFlow of its time")
        if other:
            why += (f"; written with the {backend} backend, whose convolution kernels TensorFlow "
                    "reads flipped: outputs of conv layers will differ")
        return Provenance(writer, STANDALONE_TF, False, why, (f"keras=={version}",))
    exact = [(m, k2) for k, m, k2 in _keras_versions() if k == version and not k.startswith("3.")]
    if not exact:
        match = _VERSION.match(version)
        wanted = f"{match[1]}.{match[2]}" if match else None
        exact = [(m, k2) for k, m, k2 in _keras_versions()
                 if wanted and k.startswith(wanted + ".") and not k.startswith("3.")]
    if not exact:
        return Provenance(writer, newest(), False, "a Keras version no release bundled: the newest TensorFlow")
    minors = sorted({m for m, _ in exact}, key=_minor_key)
    minor = minors[-1]
    keras2 = any(k2 for m, k2 in exact if m == minor)
    span = minors[0] if len(minors) == 1 else f"{minors[0]} to {minors[-1]}"
    flavour = " with tf_keras" if keras2 else ""
    return Provenance(writer, minor, keras2, f"tf.keras {version} is in TensorFlow {span}{flavour}")
