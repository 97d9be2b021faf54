"""TFD103, TFD104: the machine under the interpreter (glibc, CPU instructions)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from packaging.version import Version

from tfshift.doctor import matrix
from tfshift.doctor.findings import Finding, Rule, rule
from tfshift.doctor.fixes import note
from tfshift.doctor.rules.common import tf_label
from tfshift.doctor.snapshot import Snapshot

_LEGACY_GLIBC = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}


def glibc_floor(tags: list[str]) -> tuple[int, int] | None:
    """The lowest glibc among a wheel's platform tags (PEP 600, and the legacy manylinux names)."""
    floors = []
    for tag in tags:
        platform = tag.split("-")[-1]
        match = re.match(r"manylinux_(\d+)_(\d+)_", platform)
        if match:
            floors.append((int(match.group(1)), int(match.group(2))))
        for legacy, floor in _LEGACY_GLIBC.items():
            if platform.startswith(legacy + "_"):
                floors.append(floor)
    return min(floors) if floors else None


def _version_tuple(text: str | None) -> tuple[int, int] | None:
    match = re.match(r"(\d+)\.(\d+)", text or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def newest_release_for_glibc(glibc: tuple[int, int]) -> str | None:
    found = [Version(v) for v, facts in matrix.data()["tensorflow"].items()
             if (_version_tuple(facts.get("glibc")) or (0, 0)) <= glibc]
    return str(max(found)) if found else None


@rule("TFD103", "glibc-older-than-wheel", severity="error", versions=">=1.13",
      summary="The system's glibc is older than the installed TensorFlow wheel needs", catalog=("E24",),
      fix="newer OS image, or an older TensorFlow")
def glibc_older_than_wheel(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Compares the C library of the machine (`os.confstr("CS_GNU_LIBC_VERSION")`, read by the
    probe) with the glibc floor of the installed TensorFlow wheel, from its `WHEEL` platform tags
    (`manylinux2014` = glibc 2.17, `manylinux_2_27` = 2.27), or from the published wheel of the
    same release.

    ## Why is this bad?
    The import dies with ``version `GLIBC_2.27' not found (required by
    .../libtensorflow_framework.so.2)`` (catalog E24). TensorFlow 2.21 wheels need glibc 2.27;
    2.9 to 2.20 need 2.17; 1.15 to 2.8 need 2.12.

    ## Example
    TensorFlow 2.21.0 on a CentOS 7 image (glibc 2.17):

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD103 TensorFlow 2.21.0 needs glibc 2.27, but this system has glibc 2.17
    To fix, run:
      /proj/.venv/bin/python -m pip install tensorflow==2.20.0
    ```

    ## Fix
    Use a newer distribution or container image, or the newest TensorFlow whose wheels this
    glibc can load.
    """
    if s.tf is None or s.tf.version is None or not s.python.get("platform", "").startswith("linux"):
        return
    have = _version_tuple(s.system.get("glibc"))
    if have is None:
        return
    need = glibc_floor(s.tf.wheel_tags)
    source = "WHEEL tags of the installed distribution"
    if need is None:
        need = _version_tuple((matrix.release_or_minor(s.tf.version) or {}).get("glibc"))
        source = "published wheel of this release"
    if need is None or have >= need:
        return
    newest = newest_release_for_glibc(have)
    fix = s.fix.install(f"tensorflow=={newest}") if newest else note(
        f"use a system with glibc {need[0]}.{need[1]} or newer")
    yield r.finding(f"{tf_label(s)} needs glibc {need[0]}.{need[1]}, but this system has glibc "
                    f"{have[0]}.{have[1]}",
                    evidence={"glibc": s.system.get("glibc"), "needs": f"{need[0]}.{need[1]}",
                              "source": source, "wheel_tags": s.tf.wheel_tags},
                    fix=fix)


# Instructions a build needs beyond the x86-64 baseline. Official x86 wheels since TF 1.6 are
# compiled with -mavx (.bazelrc: build:avx_linux --copt=-mavx); Intel's AVX-512 build needs more.
REQUIRED_FLAGS = {"intel-tensorflow-avx512": ("avx", "avx2", "avx512f")}
DEFAULT_FLAGS = ("avx",)


@rule("TFD104", "cpu-without-required-instructions", severity="error", versions=">=1.6",
      summary="The CPU lacks instructions the TensorFlow build was compiled for (AVX)",
      catalog=("E10", "E25"), fix="other hardware, or a build without AVX")
def cpu_without_required_instructions(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    On x86-64, checks the CPU flags (`/proc/cpuinfo`, `sysctl` on macOS, the Windows feature
    API) for the instructions the installed build needs: AVX for every official wheel since
    TensorFlow 1.6, AVX2 and AVX-512 for `intel-tensorflow-avx512`.

    ## Why is this bad?
    The import dies with `Illegal instruction (core dumped)` or "The TensorFlow library was
    compiled to use AVX instructions, but these aren't available on your machine" (catalog
    E10). Common on old Celeron/Pentium CPUs, on virtual machines whose CPU model hides AVX, and
    with an x86-64 Python on Apple silicon (Rosetta 2 does not translate AVX).

    ## Example
    TensorFlow 2.15.1 in a virtual machine whose CPU model hides AVX:

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD104 this CPU lacks AVX, which TensorFlow 2.15.1 was compiled for: importing it ends with 'Illegal instruction'
    To fix, run:
      # run on a CPU with AVX
    ```

    ## Fix
    Run on a CPU with AVX (in a VM, pass the host CPU model through, e.g. QEMU `-cpu host`), use
    an arm64 Python on Apple silicon, or build TensorFlow from source without `--config=avx_linux`.
    """
    if s.tf is None or s.tf.version is None or s.tf.version < Version("1.6"):
        return
    if s.python.get("machine", "").lower() not in ("x86_64", "amd64", "i686", "i386", "x86"):
        return
    cpu = s.system.get("cpu") or {}
    flags = cpu.get("flags")
    if not flags:
        return
    needed = REQUIRED_FLAGS.get(s.tf.name, DEFAULT_FLAGS)
    missing = [f for f in needed if f not in flags]
    if not missing:
        return
    evidence = {"missing": missing, "cpu": cpu.get("model"), "flags_with_avx": [f for f in flags if "avx" in f]}
    hint = "run on a CPU with " + "/".join(m.upper() for m in missing)
    if cpu.get("rosetta"):
        evidence["rosetta"] = True
        hint = "use an arm64 (native) Python on Apple silicon; Rosetta 2 does not translate AVX"
    yield r.finding(f"this CPU lacks {', '.join(m.upper() for m in missing)}, which {tf_label(s)} was "
                    "compiled for: importing it ends with 'Illegal instruction'", evidence=evidence, fix=note(hint))
