"""GPU environments: each TensorFlow with the CUDA and cuDNN it was built against.

A GPU environment is its own environment (`tf-2.15.1-py3.11-gpu`). What goes into it is a plan:

- TF 2.12 and later: the CUDA build of TensorFlow plus NVIDIA's pip wheels (`nvidia-*-cu11`,
  `nvidia-*-cu12`) of the tested build. From 2.14 the pins are those of TensorFlow's own
  `[and-cuda]` extra (read from the published metadata in the doctor's matrix; ranges, as in 2.20+,
  are pinned to their lower bound, which is the build's own CUDA); 2.12 and 2.13 (CUDA 11.8,
  cuDNN 8.6) get the CUDA 11.8 wheels by hand, as TensorFlow's install guide of the time did.
  TensorRT (pinned by 2.14 and 2.15.0 to packages that are not wheels on PyPI) is left out: it is
  optional, and TensorFlow only logs that it is absent.
- Older releases: NVIDIA publishes no pip wheels of their CUDA (10.0, 10.1, 11.0, 11.2), so the
  GPU wheel (`tensorflow-gpu` up to 2.0) is installed and the system's CUDA is checked. For
  2.5 to 2.11 (CUDA 11.2) `--cuda 11.8` installs the CUDA 11.8 wheels instead: CUDA 11's
  minor-version compatibility keeps every soname those builds open (libcudart.so.11.0,
  libcublas.so.11, libcudnn.so.8 with cuDNN 8.6 >= 8.1).

The libraries are found at run time through LD_LIBRARY_PATH, which `tfshift run` and the
Runtime's workers set from the environment's `nvidia/*/lib` folders (TF 2.12 and 2.13 have no
RUNPATH to them; later releases do, but LD_LIBRARY_PATH also beats a stale system CUDA).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfshift.errors import TfshiftError

# CUDA 11.8 / cuDNN 8.6: TensorFlow 2.12 and 2.13's tested build. cuDNN 8.6.0.163 is what the
# 2.12 install guide installed (`pip install nvidia-cudnn-cu11==8.6.0.163`); the rest are the
# CUDA 11.8 pins of 2.14's [and-cuda].
CUDA_11_8 = (
    "nvidia-cuda-runtime-cu11==11.8.89", "nvidia-cublas-cu11==11.11.3.6",
    "nvidia-cufft-cu11==10.9.0.58", "nvidia-cudnn-cu11==8.6.0.163",
    "nvidia-curand-cu11==10.3.0.86", "nvidia-cusolver-cu11==11.4.1.48",
    "nvidia-cusparse-cu11==11.7.5.86", "nvidia-nccl-cu11==2.16.5",
    "nvidia-cuda-cupti-cu11==11.8.87", "nvidia-cuda-nvcc-cu11==11.8.89",
)
_NOT_ON_PYPI = ("tensorrt",)  # [and-cuda] pins of 2.14/2.15.0 that PyPI serves only as sdists
_RUNTIME = re.compile(r"^nvidia-cuda-runtime-cu\d+$")
_CUDNN = re.compile(r"^nvidia-cudnn-cu\d+$")


class NoGpuBuild(TfshiftError):
    """--gpu for a TensorFlow (or a platform) without a CUDA build, or a CUDA it cannot use."""


@dataclass(frozen=True)
class Plan:
    """What a GPU environment of one TensorFlow release holds."""

    tf_requirement: str  # "tensorflow==2.15.1" or "tensorflow-gpu==1.15.5"
    built_cuda: str  # the tested build's CUDA and cuDNN ("12.2", "8.9")
    built_cudnn: str
    source: str  # "pip": NVIDIA's wheels; "system": the machine's CUDA
    cuda: str  # the CUDA this environment gets (== built_cuda unless --cuda)
    requirements: tuple[str, ...] = ()  # the nvidia-* wheels
    variant: str = "gpu"  # the name suffix: "gpu", or "gpu-cuda11.8" for a --cuda of choice

    @property
    def distribution(self) -> str:
        return self.tf_requirement.split("==")[0]


def check_platform(platform: str = sys.platform, machine: str | None = None) -> None:
    """NVIDIA GPU builds of TensorFlow exist for Linux x86_64 (and WSL2) only."""
    import platform as _platform

    machine = machine or _platform.machine()
    if not platform.startswith("linux") or machine not in ("x86_64", "AMD64"):
        where = {"darwin": "macOS", "win32": "Windows"}.get(platform, platform)
        raise NoGpuBuild(f"TensorFlow has no CUDA build for {where} {machine}: GPU TensorFlow needs Linux "
                         "x86_64 (on Windows: WSL2); drop --gpu to get the CPU build")


def plan(minor: str, patch: str, cuda: str | None = None) -> Plan:
    """The GPU plan for TensorFlow `patch`; NoGpuBuild for a release or a --cuda it cannot have."""
    from packaging.version import Version

    from tfshift.doctor import matrix

    version = Version(patch)
    build = matrix.tested_build(version.release[:2])
    if build is None:
        raise NoGpuBuild(f"TensorFlow {patch} has no tested GPU build (no CUDA/cuDNN on record); "
                         "drop --gpu to get the CPU build")
    distribution = "tensorflow-gpu" if version < Version("2.1") else "tensorflow"
    base = Plan(tf_requirement=f"{distribution}=={patch}", built_cuda=build["cuda"],
                built_cudnn=build["cudnn"], source="system", cuda=build["cuda"])
    pins = _pip_pins(version, patch)
    choices = _choices(version, base, pins)
    if cuda is not None and _normal(cuda) not in choices:
        raise NoGpuBuild(f"--cuda {cuda}: TensorFlow {patch} was built with CUDA {build['cuda']}; it can have "
                         f"{' or '.join(sorted(choices))} (omit --cuda for the build's own)")
    chosen = choices[_normal(cuda)] if cuda is not None else choices[_normal(build["cuda"])]
    return chosen


def _normal(cuda: str) -> str:
    return cuda.strip().lower().removeprefix("cuda").strip()


def _choices(version: Any, base: Plan, pins: tuple[str, ...] | None) -> dict[str, Plan]:
    """--cuda values this release accepts, each with its plan (the build's CUDA always)."""
    from dataclasses import replace

    from packaging.version import Version

    own = replace(base, source="pip", requirements=pins) if pins else base
    out = {base.built_cuda: own, base.built_cuda.split(".")[0] if pins else base.built_cuda: own}
    if Version("2.5") <= version < Version("2.12"):  # built with CUDA 11.2: 11.8 has its sonames
        out["11.8"] = replace(base, source="pip", cuda="11.8", requirements=CUDA_11_8,
                              variant="gpu-cuda11.8")
    return out


def _pip_pins(version: Any, patch: str) -> tuple[str, ...] | None:
    """The nvidia-* wheels of the build's CUDA, or None where NVIDIA publishes none."""
    from packaging.version import Version

    if version < Version("2.12"):
        return None
    if version < Version("2.14"):
        return CUDA_11_8
    return and_cuda_pins(patch)


def and_cuda_pins(patch: str) -> tuple[str, ...]:
    """TensorFlow's own [and-cuda] requirements, each pinned (a range to its lower bound)."""
    from packaging.requirements import Requirement
    from packaging.version import Version

    from tfshift.doctor import matrix

    facts = matrix.release(Version(patch)) or {}
    pins = []
    for text in facts.get("requires_dist", []):
        req = Requirement(text)
        if req.marker is None or not req.marker.evaluate({"extra": "and-cuda"}):
            continue
        if req.marker.evaluate({"extra": ""}) or req.name in _NOT_ON_PYPI:
            continue
        exact = [s.version for s in req.specifier if s.operator in ("==", "===")]
        lower = [s.version for s in req.specifier if s.operator == ">="]
        pins.append(f"{req.name}=={(exact or lower)[0]}" if exact or lower else str(req))
    if not pins:
        raise NoGpuBuild(f"TensorFlow {patch} publishes no [and-cuda] requirements; drop --gpu")
    return tuple(sorted(pins))


# -- What a built GPU environment has ----------------------------------------------------------

def describe(path: Path, site_packages: Path, packages: dict[str, str], chosen: Plan) -> dict[str, Any]:
    """The marker's `gpu` entry: CUDA/cuDNN as installed, and the library folders to put first."""
    info: dict[str, Any] = {"source": chosen.source, "built_cuda": chosen.built_cuda,
                            "built_cudnn": chosen.built_cudnn, "variant": chosen.variant,
                            "cuda": chosen.cuda, "cudnn": chosen.built_cudnn}
    if chosen.source != "pip":
        return info
    for name, version in packages.items():
        if _RUNTIME.match(name):
            info["cuda"] = ".".join(version.split(".")[:2])
            info["cuda_runtime"] = version
        elif _CUDNN.match(name):
            info["cudnn"] = ".".join(version.split(".")[:2])
            info["cudnn_runtime"] = version
    nvidia = site_packages / "nvidia"
    info["library_dirs"] = sorted(str(p.relative_to(path)) for p in nvidia.glob("*/lib") if p.is_dir())
    nvcc = nvidia / "cuda_nvcc"
    if (nvcc / "bin").is_dir():
        info["cuda_dir"] = str(nvcc.relative_to(path))  # ptxas and nvvm/libdevice for XLA
    return info


def built(path: Path, site_packages: Path, packages: dict[str, str], chosen: Plan) -> dict[str, Any]:
    """describe(), after checking with the doctor that every soname the build opens is there:
    a pip CUDA that lacks one fails the build; a system CUDA that lacks some is recorded (and
    reported by `warning()`)."""
    from tfshift.errors import EnvBuildError

    info = describe(path, site_packages, packages, chosen)
    missing, _ = missing_libraries(path / "bin" / "python")
    if missing and chosen.source == "pip":
        raise EnvBuildError(f"{path.name}: the CUDA {chosen.cuda} wheels lack {', '.join(missing)}, which this "
                            "TensorFlow build opens; please report it")
    if missing:
        info["missing"] = missing
    return info


def warning(env: Any) -> str | None:
    """For a GPU environment on the system's CUDA: the one line saying what the machine lacks
    (checked now, the machine may have changed since the build), or None."""
    info = env.gpu
    if not info or info.get("source") != "system":
        return None
    missing, _ = missing_libraries(env.python)
    return system_cuda_line(env.name, env.tf_version, info, missing) if missing else None


def environ(path: Path, info: dict[str, Any], env: dict[str, str]) -> None:
    """Put a GPU environment's CUDA first: LD_LIBRARY_PATH, ptxas on PATH, XLA's libdevice."""
    dirs = [str(path / d) for d in info.get("library_dirs", [])]
    if dirs:
        inherited = [d for d in env.get("LD_LIBRARY_PATH", "").split(os.pathsep) if d and d not in dirs]
        env["LD_LIBRARY_PATH"] = os.pathsep.join(dirs + inherited)
    cuda_dir = info.get("cuda_dir")
    if cuda_dir:
        home = str(path / cuda_dir)
        parts = env.get("PATH", "").split(os.pathsep)
        env["PATH"] = os.pathsep.join([*parts[:1], home + "/bin", *parts[1:]])
        flags = env.get("XLA_FLAGS", "")
        if "xla_gpu_cuda_data_dir" not in flags:
            env["XLA_FLAGS"] = (flags + " " if flags else "") + f"--xla_gpu_cuda_data_dir={home}"


def label(info: dict[str, Any] | None) -> str:
    """"CUDA 12.2 / cuDNN 8.9 (pip)" for env list; "" for a CPU environment."""
    if not info:
        return ""
    return f"CUDA {info.get('cuda')} / cuDNN {info.get('cudnn')} ({info.get('source')})"


# -- The system's CUDA, checked with the doctor ------------------------------------------------

def missing_libraries(python: Path) -> tuple[list[str], dict[str, Any]]:
    """The CUDA/cuDNN sonames the installed build opens that the loader would not find, using
    the doctor's probe and its soname rules (without importing TensorFlow)."""
    from tfshift.doctor import capture
    from tfshift.doctor.rules import gpu as rules

    snap = capture.take(str(python), source="tfshift env")
    build = rules.cuda_build(snap)
    if build is None:
        return [], {}
    missing = [f"lib{lib}.so.{soname}" for lib, soname in rules.required_sonames(snap, build).items()
               if rules.first_library(snap, lib, soname) is None]
    return missing, build


def system_cuda_line(name: str, patch: str, info: dict[str, Any], missing: list[str]) -> str:
    """One line: what the system lacks for this environment's GPU build, and how to get it."""
    cuda, cudnn = info.get("built_cuda"), info.get("built_cudnn")
    from packaging.version import Version

    hint = ""
    if Version("2.5") <= Version(patch) < Version("2.12"):
        hint = ", or create the environment with --cuda 11.8 (NVIDIA's pip wheels, CUDA 11 compatible)"
    return (f"{name}: TensorFlow {patch} needs CUDA {cuda} and cuDNN {cudnn} from the system (NVIDIA publishes "
            f"no pip wheels of them) and this machine lacks {', '.join(missing)}; install CUDA {cuda} and "
            f"cuDNN {cudnn} (NVIDIA's CUDA toolkit archive, or `conda install cudatoolkit={cuda} cudnn={cudnn}`) "
            f"and put their lib folder on LD_LIBRARY_PATH{hint}")
