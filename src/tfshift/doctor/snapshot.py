"""The snapshot of one environment: the probe's JSON, modelled for the rules.

Everything the rules know comes from here; the rules themselves never touch the file system or
start processes, so they can be tested on any snapshot, captured or edited. `capture` takes a
snapshot from an interpreter; `preview` derives the one an upgrade would give.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from tfshift.doctor.fixes import Fixer

# Distributions that install the `tensorflow` package itself (forks and platform builds included).
TF_DISTRIBUTIONS = frozenset({
    "tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tf-nightly", "tf-nightly-cpu",
    "tf-nightly-gpu", "tensorflow-intel", "tensorflow-cpu-aws", "tensorflow-aarch64",
    "tensorflow-macos", "tensorflow-rocm", "intel-tensorflow", "intel-tensorflow-avx512",
    "tensorflow-directml",
})


def parse_version(text: str | None) -> Version | None:
    if not text:
        return None
    try:
        return Version(text)
    except InvalidVersion:
        return None


def minor_of(version: Version) -> tuple[int, int]:
    return (version.major, version.minor)


@dataclass
class Dist:
    """One installed distribution (a *.dist-info or *.egg-info folder)."""

    name: str
    raw_version: str | None
    location: str
    entry: str
    requires: list[str]
    requires_python: str | None
    top_level: list[str]
    top_level_source: str | None
    installer: str | None
    wheel_tags: list[str]
    problems: list[str]
    missing_top_level: list[str]
    editable: bool = False

    @classmethod
    def from_probe(cls, data: dict[str, Any]) -> Dist:
        return cls(
            name=data.get("name") or "",
            raw_version=data.get("version"),
            location=data.get("location") or "",
            entry=data.get("entry") or "",
            requires=list(data.get("requires") or []),
            requires_python=data.get("requires_python"),
            top_level=list(data.get("top_level") or []),
            top_level_source=data.get("top_level_source"),
            installer=data.get("installer"),
            wheel_tags=list(data.get("wheel_tags") or []),
            problems=list(data.get("problems") or []),
            missing_top_level=list(data.get("missing_top_level") or []),
            editable=bool(((data.get("direct_url") or {}).get("dir_info") or {}).get("editable")),
        )

    @cached_property
    def version(self) -> Version | None:
        return parse_version(self.raw_version)

    @property
    def metadata_path(self) -> str:
        return os.path.join(self.location, self.entry)

    def owns(self, module: str) -> bool:
        return module in self.top_level

    @property
    def owns_tensorflow(self) -> bool:
        return self.owns("tensorflow") or self.owns("tensorflow_core")

    def label(self) -> str:
        return f"{self.name} {self.raw_version}"


@dataclass
class Snapshot:
    """The probe's JSON, with the lookups the rules need."""

    data: dict[str, Any]
    python_path: str
    python_source: str = "--python"
    expect_gpu: bool = False  # `doctor --gpu`: diagnose for GPU use whatever the environment holds
    dists: list[Dist] = field(init=False)
    memo: dict[Any, Any] = field(init=False, default_factory=dict, repr=False)  # parsed requirements

    def __post_init__(self) -> None:
        self.dists = [Dist.from_probe(d) for d in self.data.get("distributions", []) if d.get("name")]

    # -- the interpreter ---------------------------------------------------------------------

    @property
    def python(self) -> dict[str, Any]:
        return self.data.get("python", {})

    @property
    def python_version(self) -> Version:
        return Version(self.python.get("version", "0"))

    @property
    def python_minor(self) -> str:
        return f"{self.python_version.major}.{self.python_version.minor}"

    @property
    def markers(self) -> dict[str, str]:
        return dict(self.data.get("markers", {}))

    @property
    def environ(self) -> dict[str, str]:
        return dict(self.data.get("environ", {}))

    @property
    def system(self) -> dict[str, Any]:
        return self.data.get("system") or {}

    @property
    def gpu(self) -> dict[str, Any]:
        return self.data.get("gpu") or {}

    @property
    def is_linux_x86_64(self) -> bool:
        return self.python.get("platform", "").startswith("linux") and self.python.get("machine") in ("x86_64", "AMD64")

    # -- distributions ----------------------------------------------------------------------

    @cached_property
    def by_name(self) -> dict[str, Dist]:
        """The first distribution of each name on sys.path (the one imports see)."""
        out: dict[str, Dist] = {}
        for dist in self.dists:
            out.setdefault(dist.name, dist)
        return out

    def dist(self, name: str) -> Dist | None:
        return self.by_name.get(canonicalize_name(name))

    def version(self, name: str) -> Version | None:
        dist = self.dist(name)
        return dist.version if dist else None

    def all_named(self, name: str) -> list[Dist]:
        key = canonicalize_name(name)
        return [d for d in self.dists if d.name == key]

    def module(self, name: str) -> dict[str, Any] | None:
        return (self.data.get("modules") or {}).get(name)

    @cached_property
    def tf_owners(self) -> list[Dist]:
        """Every distribution that installs the `tensorflow` package (normally exactly one)."""
        # A TensorFlow-named distribution without any file list (no top_level.txt, no RECORD) is
        # assumed to install the package; installer wheels (tensorflow -> tensorflow-intel) have a
        # RECORD that lists no package, so they are not owners.
        return [d for d in self.dists
                if d.owns_tensorflow or (d.name in TF_DISTRIBUTIONS and d.top_level_source is None)]

    @cached_property
    def tf(self) -> Dist | None:
        """The TensorFlow distribution `import tensorflow` would use."""
        owners = self.tf_owners
        if not owners:
            return None
        spec = self.module("tensorflow") or {}
        entry = spec.get("path_entry")
        for dist in owners:
            if dist.location == entry and dist.owns("tensorflow"):
                return dist
        return owners[0]

    @property
    def tf_version(self) -> Version | None:
        return self.tf.version if self.tf else None

    @property
    def tf_minor(self) -> tuple[int, int] | None:
        version = self.tf_version
        return minor_of(version) if version else None

    @property
    def tf_minor_text(self) -> str | None:
        minor = self.tf_minor
        return f"{minor[0]}.{minor[1]}" if minor else None

    # -- requirements -----------------------------------------------------------------------

    def applies(self, requirement: Requirement, extra: str = "") -> bool:
        """Whether a requirement's marker holds in the target interpreter (for this extra)."""
        if requirement.marker is None:
            return not extra
        env = {**self.markers, "extra": extra}
        try:
            return bool(requirement.marker.evaluate(env))
        except (UndefinedComparison, UndefinedEnvironmentName, InvalidMarker):
            return False

    def parsed(self, dist: Dist) -> list[Requirement]:
        """A distribution's Requires-Dist, parsed once (unparseable lines are skipped, as pip does)."""
        key = ("parsed", id(dist))
        if key not in self.memo:
            out = []
            for text in dist.requires:
                try:
                    out.append(Requirement(text))
                except InvalidRequirement:
                    continue
            self.memo[key] = out
        return self.memo[key]

    def requirements(self, dist: Dist, extra: str = "") -> list[Requirement]:
        """A distribution's requirements that apply here (base requirements, or one extra's)."""
        key = ("applies", id(dist), extra)
        if key not in self.memo:
            self.memo[key] = [req for req in self.parsed(dist) if self.applies(req, extra)
                              and not (extra and self.applies(req, ""))]  # an extra's own, not the base
        return self.memo[key]

    def extras_of(self, dist: Dist) -> list[str]:
        """The extras a distribution's metadata mentions."""
        found: list[str] = []
        for req in self.parsed(dist):
            for extra in _marker_extras(req.marker):
                if extra not in found:
                    found.append(extra)
        return found

    def tf_requirement(self, name: str) -> Requirement | None:
        """The installed TensorFlow's own requirement on `name`, if it declares one here."""
        if self.tf is None:
            return None
        key = canonicalize_name(name)
        for req in self.requirements(self.tf):
            if canonicalize_name(req.name) == key:
                return req
        return None

    # -- misc -------------------------------------------------------------------------------

    @property
    def build_info(self) -> dict[str, Any]:
        return ((self.data.get("build_info") or {}).get("values")) or {}

    @property
    def env_flag_legacy_keras(self) -> bool:
        # TensorFlow's own test (tensorflow/__init__.py, python/util/lazy_loader.py).
        return self.environ.get("TF_USE_LEGACY_KERAS") in ("true", "True", "1")

    @cached_property
    def fix(self) -> Fixer:
        return Fixer(self.python_path, bool(self.data.get("pip")))

    def to_json(self) -> dict[str, Any]:
        return self.data


def _marker_extras(marker: Marker | None) -> list[str]:
    if marker is None:
        return []
    found = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, tuple) and len(node) == 3:
            left, _op, right = node
            if getattr(left, "value", None) == "extra":
                found.append(canonicalize_name(str(right.value)))
            elif getattr(right, "value", None) == "extra":
                found.append(canonicalize_name(str(left.value)))

    walk(marker._markers)
    return found
