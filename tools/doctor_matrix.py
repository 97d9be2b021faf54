#!/usr/bin/env python3
"""Generate the doctor's compatibility matrix (src/tfshift/doctor/matrix.json).

    python tools/doctor_matrix.py            # fetch what is missing from the cache, write the table
    python tools/doctor_matrix.py --offline  # rebuild from the cache only

Sources, all public:
- PyPI: for every TensorFlow release from 1.13 with a Linux x86_64 wheel, that wheel's METADATA
  (Requires-Dist, Requires-Python) and WHEEL tags (the glibc floor). Only the two small files
  are read, with HTTP range requests into the wheel, so no wheel is downloaded.
- PyPI: the TensorFlow requirement that each tensorflow-io and tensorflow-addons release
  declares (in extras since tfio 0.23, which `pip check` never evaluates).
- PyPI: which minors of tensorflow-text and tf-keras were released (their minor must equal
  TensorFlow's).
- Curated below, each table with its source: the tested build configurations of
  tensorflow/docs site/en/install/source.md (Python range, compiler, CUDA, cuDNN), NVIDIA's
  minimum drivers per CUDA version, and TensorFlow Probability's enforced minimum TensorFlow.

Fetched files are cached under $TFSHIFT_HOME/cache/doctor-matrix, so a rerun only asks PyPI
for releases it has not seen.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import io
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tfshift import config  # noqa: E402
from tfshift.doctor.rules.platform import glibc_floor  # noqa: E402

TABLE = ROOT / "src" / "tfshift" / "doctor" / "matrix.json"
FIRST = Version("1.13")
TF_FAMILY = {"tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tf-nightly", "tensorflow-macos",
             "tensorflow-aarch64", "tensorflow-rocm", "tensorflow-intel", "tensorflow-cpu-aws"}

# tensorflow/docs site/en/install/source.md "Tested build configurations", Linux GPU table
# (HEAD 7c3650212740, 2026-03-11): version -> (Python range, compiler, Bazel, cuDNN, CUDA).
TESTED_BUILDS = {
    "2.21": ("3.10-3.13", "Clang 18.1.8", "7.4.1", "9.3", "12.5"),
    "2.20": ("3.9-3.13", "Clang 18.1.8", "7.4.1", "9.3", "12.5"),
    "2.19": ("3.9-3.12", "Clang 18.1.8", "6.5.0", "9.3", "12.5"),
    "2.18": ("3.9-3.12", "Clang 17.0.6", "6.5.0", "9.3", "12.5"),
    "2.17": ("3.9-3.12", "Clang 17.0.6", "6.5.0", "8.9", "12.3"),
    "2.16": ("3.9-3.12", "Clang 17.0.6", "6.5.0", "8.9", "12.3"),
    "2.15": ("3.9-3.11", "Clang 16.0.0", "6.1.0", "8.9", "12.2"),
    "2.14": ("3.9-3.11", "Clang 16.0.0", "6.1.0", "8.7", "11.8"),
    "2.13": ("3.8-3.11", "Clang 16.0.0", "5.3.0", "8.6", "11.8"),
    "2.12": ("3.8-3.11", "GCC 9.3.1", "5.3.0", "8.6", "11.8"),
    "2.11": ("3.7-3.10", "GCC 9.3.1", "5.3.0", "8.1", "11.2"),
    "2.10": ("3.7-3.10", "GCC 9.3.1", "5.1.1", "8.1", "11.2"),
    "2.9": ("3.7-3.10", "GCC 9.3.1", "5.0.0", "8.1", "11.2"),
    "2.8": ("3.7-3.10", "GCC 7.3.1", "4.2.1", "8.1", "11.2"),
    "2.7": ("3.7-3.9", "GCC 7.3.1", "3.7.2", "8.1", "11.2"),
    "2.6": ("3.6-3.9", "GCC 7.3.1", "3.7.2", "8.1", "11.2"),
    "2.5": ("3.6-3.9", "GCC 7.3.1", "3.7.2", "8.1", "11.2"),
    "2.4": ("3.6-3.8", "GCC 7.3.1", "3.1.0", "8.0", "11.0"),
    "2.3": ("3.5-3.8", "GCC 7.3.1", "3.1.0", "7.6", "10.1"),
    "2.2": ("3.5-3.8", "GCC 7.3.1", "2.0.0", "7.6", "10.1"),
    "2.1": ("3.5-3.7", "GCC 7.3.1", "0.27.1", "7.6", "10.1"),
    "2.0": ("3.3-3.7", "GCC 7.3.1", "0.26.1", "7.4", "10.0"),
    "1.15": ("3.3-3.7", "GCC 7.3.1", "0.26.1", "7.4", "10.0"),
    "1.14": ("3.3-3.7", "GCC 4.8", "0.24.1", "7.4", "10.0"),
    "1.13": ("3.3-3.7", "GCC 4.8", "0.19.2", "7.4", "10.0"),
}

# Minimum Linux driver per CUDA version, newest first (CUDA version prefix -> driver). NVIDIA CUDA
# Toolkit release notes (driver table) and the minor-version compatibility guide
# (docs.nvidia.com/deploy/cuda-compatibility): CUDA 12.x needs >= 525.60.13 (also TensorFlow's
# install/pip.md), 11.1-11.8 >= 450.80.02 (minor-version compatibility), 11.0 >= 450.51.05.
CUDA_DRIVERS = [
    ("13", "580.65.06"),
    ("12", "525.60.13"),
    ("11.0", "450.51.05"),
    ("11", "450.80.02"),
    ("10.2", "440.33"),
    ("10.1", "418.39"),
    ("10.0", "410.48"),
    ("9.2", "396.26"),
    ("9.1", "390.46"),
    ("9.0", "384.81"),
    ("8.0", "375.26"),
]

# TensorFlow Probability: the minimum TensorFlow its __init__ enforces (`required_tensorflow_version`
# at each tag of tensorflow/probability) and whether it needs tf-keras (0.24 and later).
TFP = {
    "0.7": "1.14", "0.8": "1.15", "0.9": "2.1", "0.10": "2.2", "0.11": "2.3", "0.12": "2.4",
    "0.13": "2.5", "0.14": "2.6", "0.15": "2.7", "0.16": "2.8", "0.17": "2.9", "0.18": "2.10",
    "0.19": "2.11", "0.20": "2.12", "0.21": "2.13", "0.22": "2.14", "0.23": "2.15", "0.24": "2.16",
    "0.25": "2.18",
}

# Compatibility tables of the tensorflow/io and tensorflow/addons READMEs, used for releases
# whose metadata declares no TensorFlow range (tfio before 0.17, addons before 0.13).
TFIO_README = {
    "0.16": "~=2.3.0", "0.15": "~=2.3.0", "0.14": "~=2.2.0", "0.13": "~=2.2.0", "0.12": "~=2.1.0",
    "0.11": "~=2.1.0", "0.10": "~=2.0.0", "0.9": "~=2.0.0", "0.8": "~=1.15.0", "0.7": "~=1.14.0",
    "0.6": "~=1.13.0", "0.5": "~=1.13.0", "0.4": "~=1.13.0",
}
TFA_README = {
    "0.12": ">=2.3,<2.5", "0.11": ">=2.2,<2.4", "0.10": ">=2.2,<2.3", "0.9": ">=2.1,<2.3",
    "0.8": ">=2.1,<2.2", "0.7": ">=2.1,<2.2", "0.6": ">=2.0,<2.1",
}

LINUX_X86 = re.compile(r"-cp3(\d+)-[^-]+-(?P<plat>[^-]*linux[^-]*x86_64[^-]*)\.whl$")


# -- fetching -------------------------------------------------------------------------------------

class RemoteFile(io.RawIOBase):
    """A read-only, seekable view of a file over HTTP range requests (enough for zipfile)."""

    def __init__(self, url: str, size: int) -> None:
        self.url, self.size, self.pos = url, size, 0
        self.buf_start, self.buf = 0, b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = {0: offset, 1: self.pos + offset, 2: self.size + offset}[whence]
        return self.pos

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.size - self.pos
        end = min(self.pos + n, self.size)
        if not (self.buf_start <= self.pos and end <= self.buf_start + len(self.buf)):
            start = self.pos
            stop = min(max(end, start + 256 * 1024), self.size)
            request = urllib.request.Request(self.url, headers={"Range": f"bytes={start}-{stop - 1}"})
            with urllib.request.urlopen(request, timeout=120) as response:
                self.buf = response.read()
            self.buf_start = start
        data = self.buf[self.pos - self.buf_start:end - self.buf_start]
        self.pos += len(data)
        return data


class CacheMissing(Exception):
    """--offline, and the cache lacks a file the table needs (its name is the argument)."""


def cache_dir() -> Path:
    path = config.home() / "cache" / "doctor-matrix"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pypi(project: str, offline: bool) -> dict:
    cached = cache_dir() / f"{project}.json"
    if offline:
        if not cached.is_file():
            raise CacheMissing(cached.name)
        return json.loads(cached.read_text())
    with urllib.request.urlopen(f"https://pypi.org/pypi/{project}/json", timeout=120) as response:
        data = json.load(response)
    cached.write_text(json.dumps(data))
    return data


def wheel_files(info: dict, offline: bool) -> dict[str, str]:
    """METADATA and WHEEL of one wheel on PyPI, from the cache or by range requests."""
    cached = cache_dir() / (info["filename"] + ".json")
    if cached.exists():
        return json.loads(cached.read_text())
    if offline:
        raise CacheMissing(cached.name)
    # PyPI gives absolute URLs; some mirrors give them relative to the JSON document.
    url = urllib.parse.urljoin(f"https://pypi.org/pypi/{info['project']}/json", info["url"])
    with zipfile.ZipFile(RemoteFile(url, info["size"])) as zf:
        found = {}
        for name in zf.namelist():
            parts = name.split("/")
            if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] in ("METADATA", "WHEEL"):
                found[parts[1]] = zf.read(name).decode("utf-8", "replace")
    cached.write_text(json.dumps(found))
    return found


def headers(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, sep, value = line.partition(":")
        if sep and not line[:1].isspace():
            out.setdefault(key.strip().lower(), []).append(value.strip())
    return out


def final_releases(data: dict, first: Version | None = None) -> dict[Version, list[dict]]:
    out = {}
    for text, files in data["releases"].items():
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if version.is_prerelease or version.is_devrelease or (first and version < first):
            continue
        files = [f for f in files if not f.get("yanked")]
        if files:
            out[version] = files
    return out


def linux_wheel(files: list[dict]) -> dict | None:
    """The Linux x86_64 CPython wheel for the newest Python of a release."""
    best = None
    for info in files:
        match = LINUX_X86.search(info["filename"])
        if match and (best is None or int(match.group(1)) > best[0]):
            best = (int(match.group(1)), info)
    return best[1] if best else None


def any_wheel(files: list[dict]) -> dict | None:
    return linux_wheel(files) or next((f for f in files if f["filename"].endswith(".whl")), None)


def fetch_all(jobs: dict[str, dict], offline: bool) -> dict[str, dict[str, str]]:
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        futures = {key: pool.submit(wheel_files, info, offline) for key, info in jobs.items()}
        return {key: future.result() for key, future in futures.items()}


# -- the table --------------------------------------------------------------------------------------

def glibc_text(tags: list[str]) -> str | None:
    floor = glibc_floor(tags)
    return f"{floor[0]}.{floor[1]}" if floor else None


def tensorflow_releases(offline: bool) -> dict[str, dict]:
    releases = final_releases(pypi("tensorflow", offline), FIRST)
    wheels = {str(v): {**w, "project": "tensorflow"} for v, files in releases.items() if (w := linux_wheel(files))}
    fetched = fetch_all(wheels, offline)
    out = {}
    for version in sorted(wheels, key=Version):
        meta = headers(fetched[version].get("METADATA", ""))
        tags = [t for t in headers(fetched[version].get("WHEEL", "")).get("tag", [])]
        out[version] = {
            "wheel": wheels[version]["filename"],
            "requires_python": (meta.get("requires-python") or [None])[0],
            "requires_dist": meta.get("requires-dist", []),
            "wheel_tags": tags,
            "glibc": glibc_text(tags),
        }
    return out


def tf_range(requires: list[str]) -> str | None:
    """The TensorFlow range a companion declares (in any extra), as one specifier string."""
    specs = set()
    for text in requires:
        try:
            req = Requirement(text)
        except InvalidRequirement:
            continue
        if canonicalize_name(req.name) in TF_FAMILY and str(req.specifier):
            specs.add(str(req.specifier))
    if not specs:
        return None
    return sorted(specs, key=len)[-1] if len(specs) > 1 else specs.pop()


def companion_ranges(project: str, readme: dict[str, str], offline: bool) -> dict[str, dict]:
    releases = final_releases(pypi(project, offline))
    wheels = {str(v): {**w, "project": project} for v, files in releases.items() if (w := any_wheel(files))}
    fetched = fetch_all(wheels, offline)
    out = {}
    for version in sorted(releases, key=lambda v: v):
        text = str(version)
        meta = headers(fetched.get(text, {}).get("METADATA", ""))
        spec = tf_range(meta.get("requires-dist", []))
        source = "metadata"
        readme_spec = readme.get(f"{version.major}.{version.minor}")
        if readme_spec and (spec is None or not any(op in spec for op in ("<", "=="))):
            spec, source = readme_spec, "README"  # an open ">=2.1" says nothing about later releases
        if spec:
            out[text] = {"tensorflow": spec, "source": source}
    return out


def minors(project: str, offline: bool) -> list[str]:
    found = {f"{v.major}.{v.minor}" for v in final_releases(pypi(project, offline))}
    return sorted(found, key=Version)


def generate(offline: bool) -> dict:
    tested = {
        minor: {"python": python, "compiler": compiler, "bazel": bazel, "cudnn": cudnn, "cuda": cuda}
        for minor, (python, compiler, bazel, cudnn, cuda) in TESTED_BUILDS.items()
    }
    return {
        "comment": "GENERATED by tools/doctor_matrix.py from PyPI wheel metadata (TensorFlow, "
        "tensorflow-io, tensorflow-addons, tensorflow-text, tf-keras) and the tested-build table of "
        "tensorflow/docs install/source.md; do not edit by hand.",
        "schema": 1,
        "generated": dt.date.today().isoformat(),
        "tensorflow": tensorflow_releases(offline),
        "tested_builds": dict(sorted(tested.items(), key=lambda kv: Version(kv[0]))),
        "cuda_drivers": [list(pair) for pair in CUDA_DRIVERS],
        "companions": {
            "tensorflow-io": companion_ranges("tensorflow-io", TFIO_README, offline),
            "tensorflow-addons": companion_ranges("tensorflow-addons", TFA_README, offline),
            "tensorflow-probability": {k: {"min_tf": v, "tf_keras": Version(k) >= Version("0.24")}
                                       for k, v in TFP.items()},
            "tensorflow-text": {"minors": minors("tensorflow-text", offline)},
            "tf-keras": {"minors": minors("tf-keras", offline)},
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offline", action="store_true", help="use only the cache, no network")
    parser.add_argument("--out", type=Path, default=TABLE, help=f"where to write (default {TABLE.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    try:
        document = generate(args.offline)
    except CacheMissing as missing:
        return error(f"--offline needs the cache, but {cache_dir()} has no {missing}; run "
                     "`python tools/doctor_matrix.py` once without --offline to fill it (set TFSHIFT_HOME "
                     "to use another cache)")
    except urllib.error.URLError as exc:
        return error(f"cannot read PyPI ({getattr(exc, 'reason', exc)}); check the network, or rerun with "
                     f"--offline to use the cache in {cache_dir()}")
    tmp = args.out.with_name(f".{args.out.name}.tmp")
    tmp.write_text(json.dumps(document, indent=1) + "\n")
    tmp.replace(args.out)
    count = len(document["tensorflow"])
    print(f"wrote {args.out}: {count} TensorFlow releases, "
          f"{len(document['companions']['tensorflow-io'])} tensorflow-io, "
          f"{len(document['companions']['tensorflow-addons'])} tensorflow-addons releases")
    return 0


def error(message: str) -> int:
    print(f"doctor_matrix.py: error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
