"""TFD601-TFD609: CUDA build, NVIDIA driver, CUDA/cuDNN libraries (pip wheels or system).

Facts come from the probe, without importing TensorFlow: `build_info.py` and `cuda_config.h`
of the installed build, `nvidia-*` wheels, libraries in LD_LIBRARY_PATH / pip / ld.so.conf
folders, cuDNN headers, /proc/driver/nvidia/version or NVML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from packaging.version import InvalidVersion, Version

from tfshift.doctor import matrix
from tfshift.doctor.findings import Finding, Rule, rule
from tfshift.doctor.fixes import note
from tfshift.doctor.rules.common import contains, minor_text, tf_label
from tfshift.doctor.snapshot import Dist, Snapshot

NVIDIA_WHEEL = re.compile(r"^nvidia-(?P<lib>[a-z0-9-]+?)-cu(?P<cuda>\d+)$")
# cuda_config.h key -> the libraries TensorFlow dlopens with that soname version.
SONAME_KEYS = {
    "TF_CUDART_VERSION": ("cudart",), "TF_CUBLAS_VERSION": ("cublas", "cublasLt"),
    "TF_CUFFT_VERSION": ("cufft",), "TF_CUSOLVER_VERSION": ("cusolver",),
    "TF_CUSPARSE_VERSION": ("cusparse",), "TF_CURAND_VERSION": ("curand",), "TF_CUDNN_VERSION": ("cudnn",),
}


def cuda_build(s: Snapshot) -> dict[str, Any] | None:
    """The installed build's CUDA facts, or None when it is not a CUDA build (or unknown)."""
    info = s.build_info
    if s.tf is None or not info.get("is_cuda_build"):
        return None
    return info


def nvidia_wheels(s: Snapshot) -> list[tuple[Dist, str, str]]:
    """(dist, library, CUDA major) for every nvidia-<lib>-cuXX wheel."""
    out = []
    for dist in s.dists:
        match = NVIDIA_WHEEL.match(dist.name)
        if match and dist is s.by_name.get(dist.name):
            out.append((dist, match.group("lib"), match.group("cuda")))
    return out


def driver_version(s: Snapshot) -> str | None:
    return ((s.gpu.get("driver") or {}).get("version")) or None


def wants_gpu(s: Snapshot) -> bool:
    """The user meant TensorFlow to use a GPU: CUDA wheels installed, a driver on the machine,
    or `doctor --gpu`."""
    return (s.expect_gpu or bool(nvidia_wheels(s)) or driver_version(s) is not None
            or s.dist("tensorflow-gpu") is not None)


def pip_cuda(s: Snapshot) -> dict[str, str] | None:
    """The CUDA the environment's own nvidia-* wheels provide: {"cuda": "12.2.140", "cudnn":
    "8.9.4.25", "major": "12"}, or None when there are none (the CUDA then comes from the system)."""
    out: dict[str, str] = {}
    for dist, lib, major in nvidia_wheels(s):
        if lib == "cuda-runtime":
            out.update(cuda=dist.raw_version, major=major)
        elif lib == "cudnn":
            out["cudnn"] = dist.raw_version
    return out if "cuda" in out else None


def machine_has_gpu(s: Snapshot) -> bool | None:
    """Whether the machine has an NVIDIA GPU on its PCI bus (None: could not tell)."""
    found = s.gpu.get("pci_gpus")
    return None if found is None else bool(found)


def required_sonames(s: Snapshot, build: dict[str, Any]) -> dict[str, str]:
    """library -> soname version TensorFlow dlopens ("cudart" -> "12", "cudnn" -> "9")."""
    config = ((s.data.get("cuda_config") or {}).get("values")) or {}
    out = {}
    for key, libs in SONAME_KEYS.items():
        value = str(config.get(key) or "").strip()
        if value:
            for lib in libs:
                out[lib] = value
    lib_version = str(config.get("TF_CUDA_LIB_VERSION") or "").strip()
    if lib_version and not out.get("cudart"):
        # TF 1.x / 2.0 (CUDA 10.0): one version for every CUDA library, libcublas.so.10.0 included;
        # their build_info says only "10".
        for lib in ("cudart", "cublas", "cufft", "curand", "cusolver", "cusparse"):
            out.setdefault(lib, lib_version)
    if "cudart" not in out and build.get("cuda_version"):
        cuda = str(build["cuda_version"]).split(".")
        # cudart's soname carries major.minor up to CUDA 11 (libcudart.so.11.0), the major after.
        out["cudart"] = cuda[0] if int(cuda[0]) >= 12 else (".".join(cuda[:2]) if int(cuda[0]) < 11 else "11.0")
    if "cudnn" not in out and build.get("cudnn_version"):
        out["cudnn"] = str(build["cudnn_version"]).split(".")[0]
    return out


def libraries(s: Snapshot) -> list[dict[str, Any]]:
    return list(s.gpu.get("libraries") or [])


def first_library(s: Snapshot, lib: str, soname: str) -> dict[str, Any] | None:
    """The library the loader would pick: first match in search order (LD_LIBRARY_PATH, pip, ...)."""
    name = f"lib{lib}.so.{soname}"
    for item in libraries(s):
        if item["name"] == name and item.get("exists", True):
            return item
    return None


def _vtuple(text: str | None, parts: int = 3) -> tuple[int, ...] | None:
    numbers = re.findall(r"\d+", text or "")
    return tuple(int(n) for n in numbers[:parts]) if numbers else None


def library_version(s: Snapshot, item: dict[str, Any]) -> str | None:
    """A library's full version: its real file name (libcudnn.so.8.9.7), its pip wheel, or a header."""
    real = item.get("real") or ""
    match = re.search(r"\.so\.(\d+\.\d+[\d.]*)$", real)
    if match:
        return match.group(1)
    if item.get("origin") == "pip":
        for dist, lib, _ in nvidia_wheels(s):
            if f"/nvidia/{lib.replace('-', '_')}/" in item["path"]:  # nvidia-cuda-runtime-cu12: nvidia/cuda_runtime/
                return dist.raw_version
    if item["lib"] == "cudnn":
        folder = item["path"].rsplit("/lib", 1)[0]
        for header in s.gpu.get("cudnn_headers") or []:
            if header["path"].startswith(folder):
                return header["version"]
    return None


def tested_cudnn(s: Snapshot) -> str | None:
    build = matrix.tested_build(s.tf_minor) if s.tf_minor else None
    return build["cudnn"] if build else None


def and_cuda_fix(s: Snapshot) -> str:
    if s.tf_version is not None and s.tf_version >= Version("2.14") and s.python.get("platform", "").startswith("linux"):
        return s.fix.install(f"{s.tf.name}[and-cuda]=={s.tf.raw_version}")
    build = matrix.tested_build(s.tf_minor) if s.tf_minor else None
    if build:
        return note(f"install CUDA {build['cuda']} and cuDNN {build['cudnn']} (the tested build of TensorFlow "
                    f"{minor_text(s.tf_minor)}) and put their lib folder on LD_LIBRARY_PATH")
    return note("install the CUDA and cuDNN this TensorFlow was built with")


@rule("TFD601", "gpu-packages-without-driver", severity="warning",
      summary="CUDA wheels are installed but no NVIDIA driver is visible (info: the machine has no GPU)",
      catalog=("E3",), fix="install the driver / run the container with GPUs")
def gpu_packages_without_driver(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    With a CUDA build of TensorFlow and `nvidia-*` wheels (or `tensorflow-gpu`) installed,
    looks for the NVIDIA driver: `/proc/driver/nvidia/version`, or NVML (`libnvidia-ml.so.1`).

    ## Why is this bad?
    TensorFlow logs "Could not find cuda drivers on your machine, GPU will not be used"
    (catalog E3) and runs on the CPU: a container started without `--gpus`, a VM without GPU
    passthrough, or a driver that is not installed.

    ## Example
    `tensorflow[and-cuda]==2.18.0` (12 CUDA wheels) in a container started without `--gpus`:

    ```
    $ tfshift doctor --python .venv
    warning (1)
      TFD601 12 CUDA package(s) are installed but no NVIDIA driver is visible: TensorFlow 2.18.0 will run on the CPU
    To fix, run:
      # install the NVIDIA driver, or start the container with --gpus all
    ```

    ## Fix
    Install the NVIDIA driver, or start the container with `--gpus all` (NVIDIA Container
    Toolkit).

    On a machine with no NVIDIA GPU at all (none on its PCI bus, e.g. a CI runner or a laptop
    using a GPU environment built for a server) the finding is an info that says so:

    ```
    info (1)
      TFD601 this machine has no NVIDIA GPU: TensorFlow 2.15.1 runs on the CPU (its pip CUDA 12.2.140 / cuDNN 8.9.4.25 is ready for one)
    ```
    """
    if cuda_build(s) is None or driver_version(s) is not None:
        return
    intent = [d.label() for d, _, _ in nvidia_wheels(s)] or ([s.dist("tensorflow-gpu").label()]
                                                           if s.dist("tensorflow-gpu") else [])
    if not intent and not s.expect_gpu:
        return
    evidence = {"cuda_packages": intent[:6], "driver": None, "pci_gpus": s.gpu.get("pci_gpus"),
                "wsl": s.system.get("wsl"), "container": s.system.get("container")}
    if machine_has_gpu(s) is False and not s.system.get("wsl"):  # WSL2 shows no PCI GPU
        pip = pip_cuda(s)
        ready = f" (its pip CUDA {pip['cuda']} / cuDNN {pip.get('cudnn')} is ready for one)" if pip else ""
        runs = f"{tf_label(s)} runs on the CPU{ready}" if not _links_cuda(s) else f"{tf_label(s)} cannot use one"
        yield r.finding(f"this machine has no NVIDIA GPU: {runs}",
                        evidence=evidence, severity="info",
                        fix=note("run on a machine with an NVIDIA GPU to use it"))
        return
    yield r.finding(f"{len(intent)} CUDA package(s) are installed but no NVIDIA driver is visible: {tf_label(s)} "
                    "will run on the CPU", evidence=evidence,
                    fix=note("install the NVIDIA driver, or start the container with --gpus all"))


@rule("TFD602", "driver-too-old-for-cuda", severity="error",
      summary="The NVIDIA driver is older than the CUDA version TensorFlow was built with needs",
      catalog=("E6",), fix="upgrade the driver")
def driver_too_old_for_cuda(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Compares the driver version with the minimum for the CUDA that will run: the environment's
    pip CUDA (`nvidia-cuda-runtime-cuXX`, e.g. what `tensorflow[and-cuda]` or
    `tfshift env create --gpu` installed) when there is one, else the build's (`build_info`
    `cuda_version`): CUDA 12.x needs 525.60.13 or newer on Linux, 11.1 to 11.8 need 450.80.02
    (minor-version compatibility), 11.0 450.51.05, 10.1 418.39, 10.0 410.48. Where NVML tells
    the newest CUDA the driver supports, a lower major than the pip CUDA's is reported too.

    ## Why is this bad?
    "CUDA driver version is insufficient for CUDA runtime version" (catalog E6) and no GPU.

    ## Example
    TensorFlow 2.18.0 (CUDA 12.5.1) on a machine with driver 470.82.01:

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD602 NVIDIA driver 470.82.01 is too old for CUDA 12.5.1, which TensorFlow 2.18.0 was built with (needs 525.60.13 or newer)
    To fix, run:
      # upgrade the NVIDIA driver to 525.60.13 or newer
    ```

    ## Fix
    Upgrade the NVIDIA driver, or use a TensorFlow built for an older CUDA (for CUDA 11.8:
    TensorFlow 2.12 to 2.14, `tfshift env create 2.14 --gpu`).
    """
    build = cuda_build(s)
    driver = driver_version(s)
    if build is None or driver is None or not build.get("cuda_version"):
        return
    pip = pip_cuda(s)
    cuda = pip["cuda"] if pip else str(build["cuda_version"])
    what = (f"the pip CUDA of this environment (nvidia-cuda-runtime-cu{pip['major']} {cuda})" if pip
            else f"which {tf_label(s)} was built with")
    minimum = matrix.driver_minimum(cuda)
    have, need = _vtuple(driver), _vtuple(minimum)
    supports = ((s.gpu.get("nvml") or {}).get("cuda_driver")) or None
    too_old = need is not None and have is not None and have < need
    major_short = bool(supports and _vtuple(supports, 1) < _vtuple(cuda, 1))
    if not too_old and not major_short:
        return
    older = "" if cuda.split(".")[0] != "12" else "; or use TensorFlow 2.14 or older (CUDA 11.8: `tfshift env create 2.14 --gpu`)"
    yield r.finding(f"NVIDIA driver {driver} is too old for CUDA {cuda}, {what} (needs {minimum} or newer"
                    f"{f'; it supports CUDA {supports} at most' if supports else ''})",
                    evidence={"driver": driver, "driver_source": (s.gpu.get("driver") or {}).get("source"),
                              "cuda": cuda, "cuda_source": "pip" if pip else "build", "minimum": minimum,
                              "driver_supports_cuda": supports},
                    fix=note(f"upgrade the NVIDIA driver to {minimum} or newer{older}"))


@rule("TFD603", "cuda-library-missing", severity="error",
      summary="A CUDA/cuDNN library TensorFlow loads is not found on this GPU machine", catalog=("E1", "E2", "E4"),
      fix="pip install 'tensorflow[and-cuda]'")
def cuda_library_missing(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    On a machine with an NVIDIA driver (or CUDA wheels), derives the sonames the CUDA build
    dlopens from its `cuda_config.h` (`libcudart.so.12`, `libcublas.so.12`, `libcudnn.so.9`,
    ...; `libcudart.so.11.0` for 2.4 to 2.14) and looks for them where the loader would: the
    folders of `LD_LIBRARY_PATH`, the `nvidia/*/lib` folders of the pip wheels (TensorFlow's
    RUNPATH), `$CONDA_PREFIX/lib`, and the `ld.so.conf` and default system folders.

    ## Why is this bad?
    "Could not load dynamic library 'libcudnn.so.8'; dlerror: ..." followed by "Cannot dlopen
    some GPU libraries ... Skipping registering GPU devices" (catalog E1, E4): TensorFlow runs
    on the CPU. TensorFlow 1.x GPU builds link CUDA at load time and fail to import (E2).

    ## Example
    TensorFlow 2.18.0 with the `[and-cuda]` wheels except `nvidia-cudnn-cu12`, on a machine
    with a driver:

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD603 TensorFlow 2.18.0 cannot find libcudnn.so.9: it will not use the GPU
    To fix, run:
      /proj/.venv/bin/python -m pip install 'tensorflow[and-cuda]==2.18.0'
    ```

    A warning instead of an error when no driver is visible (the GPU is not in play yet), except
    for the TensorFlow 1.x and 2.0 GPU builds (`tensorflow-gpu`), which link CUDA when imported:
    without the libraries `import tensorflow` fails, GPU or not.

    ## Fix
    On Linux with TensorFlow 2.14 or newer: `pip install "tensorflow[and-cuda]==X.Y.Z"`; older
    releases need the CUDA and cuDNN of the tested build on `LD_LIBRARY_PATH`.
    """
    build = cuda_build(s)
    if build is None or not (driver_version(s) or nvidia_wheels(s) or s.expect_gpu or _links_cuda(s)):
        return  # no driver and no CUDA wheels: the GPU is not in play (TFD601 covers intent)
    missing = []
    other_versions = {}
    for lib, soname in required_sonames(s, build).items():
        if first_library(s, lib, soname) is None:
            missing.append(f"lib{lib}.so.{soname}")
            others = sorted({i["name"] for i in libraries(s) if i["lib"] == lib and i["name"] != f"lib{lib}.so"})
            if others:
                other_versions[lib] = others
    if not missing:
        return
    links = _links_cuda(s)
    severity = "error" if driver_version(s) is not None or links else "warning"
    evidence: dict[str, Any] = {"missing": missing, "cuda": build.get("cuda_version"), "cudnn": build.get("cudnn_version")}
    if other_versions:
        evidence["found_other_versions"] = other_versions
    outcome = ("`import tensorflow` fails (its GPU build links CUDA when imported)" if links
               else "it will not use the GPU")
    yield r.finding(f"{tf_label(s)} cannot find {', '.join(missing)}: {outcome}",
                    evidence=evidence, fix=and_cuda_fix(s), severity=severity)


def _links_cuda(s: Snapshot) -> bool:
    """TensorFlow 1.x and 2.0 GPU builds (tensorflow-gpu) need CUDA to import, GPU or not."""
    return s.tf_version is not None and s.tf_version < Version("2.1") and s.dist("tensorflow-gpu") is not None


@rule("TFD604", "cudnn-older-than-build", severity="error",
      summary="The cuDNN TensorFlow would load is older than the one it was built with", catalog=("E5",),
      fix="install the newer cuDNN / fix LD_LIBRARY_PATH")
def cudnn_older_than_build(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Finds the `libcudnn.so.N` the loader would pick first and its full version (from the real
    file name, the `nvidia-cudnn-cuXX` wheel, or `cudnn_version.h`), and compares it with the
    cuDNN of the tested build (2.15: 8.9, 2.18+: 9.3).

    ## Why is this bad?
    "Loaded runtime CuDNN library: 8.6.0 but source was compiled with: 8.9.4. CuDNN library
    needs to have matching major version and equal or higher minor version", then "DNN library
    is not found" (catalog E5). Usually an older system or conda cuDNN on `LD_LIBRARY_PATH`.

    ## Example
    TensorFlow 2.18.0 with `[and-cuda]`, and `LD_LIBRARY_PATH=/opt/conda/lib` holding cuDNN
    9.1.0 (TFD605 fires too):

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD604 the cuDNN that would load is 9.1.0 (/opt/conda/lib/libcudnn.so.9, from LD_LIBRARY_PATH), older than cuDNN 9.3 that TensorFlow 2.18.0 was built with
    To fix, run:
      # remove /opt/conda/lib from LD_LIBRARY_PATH or install cuDNN 9.3+ there
    ```

    ## Fix
    Install a cuDNN of the same major and at least the build's minor (`nvidia-cudnn-cu12>=9.3`
    for 2.18+), or remove the stale folder from `LD_LIBRARY_PATH`.
    """
    build = cuda_build(s)
    want = tested_cudnn(s)
    if build is None or want is None or not wants_gpu(s):
        return
    soname = required_sonames(s, build).get("cudnn")
    if not soname:
        return
    item = first_library(s, "cudnn", soname)
    if item is None:
        return
    found = library_version(s, item)
    have, need = _vtuple(found, 2), _vtuple(want, 2)
    if have is None or need is None or have[0] != need[0] or have >= need:
        return
    yield r.finding(f"the cuDNN that would load is {found} ({item['path']}, from {item['origin']}), older than "
                    f"cuDNN {want} that {tf_label(s)} was built with",
                    evidence={"loaded": item["path"], "version": found, "origin": item["origin"], "built_with": want},
                    fix=and_cuda_fix(s) if item["origin"] != "LD_LIBRARY_PATH"
                    else note(f"remove {item['path'].rsplit('/', 1)[0]} from LD_LIBRARY_PATH or install cuDNN {want}+ there"))


@rule("TFD605", "ld-library-path-shadows-pip-cuda", severity="warning",
      summary="LD_LIBRARY_PATH puts other CUDA/cuDNN libraries before the pip nvidia-* wheels",
      catalog=("E5",), fix="unset LD_LIBRARY_PATH for TensorFlow")
def ld_library_path_shadows_pip_cuda(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    When the `nvidia-*` wheels are installed, looks for libraries of the same soname in the
    `LD_LIBRARY_PATH` folders.

    ## Why is this bad?
    The dynamic loader searches `LD_LIBRARY_PATH` before TensorFlow's RUNPATH (which points at
    the pip wheels), so the system or conda copy wins (man ld.so). With another version this
    gives the cuDNN mismatch of catalog E5, or subtle failures in cuBLAS/cuFFT.

    ## Example
    The TFD604 example: `LD_LIBRARY_PATH=/opt/conda/lib` holds cuDNN 9.1.0 next to the pip
    `nvidia-cudnn-cu12` 9.3.0.75:

    ```
    $ tfshift doctor --python .venv
    warning (1)
      TFD605 LD_LIBRARY_PATH loads 1 CUDA library instead of the pip nvidia-* wheels
             shadowing=/opt/conda/lib/libcudnn.so.9 (9.1.0) before /proj/.venv/lib/python3.11/site-packages/nvidia/cudnn/lib/libcudnn.so.9 (9.3.0.75)  LD_LIBRARY_PATH=/opt/conda/lib
    To fix, run:
      unset LD_LIBRARY_PATH  # or drop the CUDA folders from it
    ```

    ## Fix
    Remove those folders from `LD_LIBRARY_PATH` for TensorFlow processes (or uninstall the
    wheels and rely on the system CUDA on purpose).
    """
    if cuda_build(s) is None:
        return
    pip_libs = {i["name"]: i for i in libraries(s) if i["origin"] == "pip"}
    if not pip_libs:
        return
    shadows = []
    for item in libraries(s):
        if item["origin"] != "LD_LIBRARY_PATH" or item["name"] not in pip_libs:
            continue
        pip_item = pip_libs[item["name"]]
        ours, theirs = library_version(s, item), library_version(s, pip_item)
        if ours and theirs and _vtuple(ours) == _vtuple(theirs)[:len(_vtuple(ours))]:
            continue  # the same version: harmless
        shadows.append(f"{item['path']} ({ours or 'unknown version'}) before {pip_item['path']} ({theirs or '?'})")
    if shadows:
        yield r.finding(f"LD_LIBRARY_PATH loads {len(shadows)} CUDA librar{'y' if len(shadows) == 1 else 'ies'} "
                        "instead of the pip nvidia-* wheels", evidence={"shadowing": shadows,
                                                                       "LD_LIBRARY_PATH": s.environ.get("LD_LIBRARY_PATH")},
                        fix="unset LD_LIBRARY_PATH  # or drop the CUDA folders from it")


@rule("TFD606", "nvidia-wheels-do-not-match-build", severity="error",
      summary="nvidia-*-cuXX wheels of another CUDA major, or outside TensorFlow's [and-cuda] pins",
      catalog=("E1", "E5"), fix="pip install 'tensorflow[and-cuda]==X'")
def nvidia_wheels_do_not_match_build(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Compares the installed `nvidia-*-cuXX` wheels with the build: their CUDA major (`cu11` vs
    `cu12`) against `build_info` `cuda_version` (an error: the sonames differ, nothing loads),
    and their versions against the pins of TensorFlow's own `[and-cuda]` extra (a warning;
    e.g. `nvidia-cudnn-cu12 8.9` where 2.18 wants 9.3).

    ## Why is this bad?
    A `cu11` wheel holds libraries built for CUDA 11: their sonames (`libcudart.so.11.0`,
    `libcublas.so.11`) are not the ones a CUDA 12 build dlopens, so the GPU is skipped as in
    TFD603 (catalog E1). Versions outside the pins
    load, but were not tested with the build; an older cuDNN fails as in TFD604 (E5).

    ## Example
    `nvidia-cudnn-cu11` installed by hand next to TensorFlow 2.18.0 (TFD603 fires too:
    `libcudnn.so.9` is missing):

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD606 nvidia-cudnn-cu11 8.9.6.50 is for CUDA 11, but TensorFlow 2.18.0 was built with CUDA 12.5.1
    To fix, run:
      /proj/.venv/bin/python -m pip install 'tensorflow[and-cuda]==2.18.0'
    ```

    ## Fix
    `pip install "tensorflow[and-cuda]==X.Y.Z"` for the installed TensorFlow.
    """
    build = cuda_build(s)
    wheels = nvidia_wheels(s)
    if build is None or not wheels or not build.get("cuda_version"):
        return
    major = str(build["cuda_version"]).split(".")[0]
    wrong = [d.label() for d, _, cuda in wheels if cuda != major]
    if wrong:
        others = "/".join(sorted({cuda for _, _, cuda in wheels if cuda != major}))
        yield r.finding(f"{', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} for CUDA {others}, but {tf_label(s)} was built "
                        f"with CUDA {build['cuda_version']}", evidence={"wheels": wrong, "cuda": build["cuda_version"]},
                        fix=and_cuda_fix(s))
        return
    out_of_range = []
    for req in s.requirements(s.tf, "and-cuda"):
        dist = s.dist(req.name)
        if dist is not None and dist.version and str(req.specifier) and not contains(req.specifier, dist.version):
            out_of_range.append(f"{dist.label()} (wants {req.specifier})")
    if out_of_range:
        yield r.finding(f"{len(out_of_range)} nvidia-* wheel(s) are outside the pins of {tf_label(s)}[and-cuda]",
                        evidence={"wheels": out_of_range}, fix=and_cuda_fix(s), severity="warning")


@rule("TFD607", "gpu-packages-with-cpu-build", severity="warning",
      summary="CUDA wheels or an NVIDIA driver, but the installed TensorFlow is not a CUDA build",
      fix="install the CUDA build")
def gpu_packages_with_cpu_build(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    `build_info.py` says `is_cuda_build = False` (tensorflow-cpu, the macOS and aarch64
    builds, TensorFlow 1.x `tensorflow`), yet `nvidia-*` wheels are installed or the machine
    has an NVIDIA driver.

    ## Why is this bad?
    The GPU is never used, silently. On TensorFlow 1.x and 2.0 GPU support is the separate
    `tensorflow-gpu` distribution; from 2.1 the `tensorflow` wheel for Linux is the CUDA build.

    ## Example
    tensorflow-cpu 2.18.0 with the 12 `nvidia-*` wheels of `[and-cuda]` (an info, not a
    warning, when only a driver is there):

    ```
    $ tfshift doctor --python .venv
    warning (1)
      TFD607 TensorFlow 2.18.0 (tensorflow-cpu) is not a CUDA build, so the GPU (12 nvidia-* wheel(s)) is not used
    To fix, run:
      /proj/.venv/bin/python -m pip uninstall -y tensorflow-cpu && /proj/.venv/bin/python -m pip install 'tensorflow[and-cuda]==2.18.0'
    ```

    ## Fix
    Install the CUDA build (`tensorflow[and-cuda]` on Linux from 2.14, `tensorflow-gpu` for
    1.x), or remove the unused CUDA wheels.
    """
    info = s.build_info
    if s.tf is None or not info or info.get("is_cuda_build") or info.get("is_rocm_build"):
        return
    wheels = nvidia_wheels(s)
    driver = driver_version(s)
    if not wheels and driver is None and not s.expect_gpu:
        return
    if s.tf_version is not None and s.tf_version < Version("2.1"):
        fix = s.fix.reinstall([s.tf.name], f"tensorflow-gpu=={s.tf.raw_version}")
    elif s.tf_version is not None and s.tf_version >= Version("2.14"):
        fix = s.fix.reinstall([s.tf.name], f"tensorflow[and-cuda]=={s.tf.raw_version}")
    else:
        fix = s.fix.reinstall([s.tf.name], f"tensorflow=={s.tf.raw_version}")
    what = (f"NVIDIA driver {driver}" if driver else f"{len(wheels)} nvidia-* wheel(s)" if wheels
            else "asked for with --gpu")
    yield r.finding(f"{tf_label(s)} is not a CUDA build, so the GPU ({what}) is not used",
                    evidence={"is_cuda_build": info.get("is_cuda_build"), "driver": driver,
                              "wheels": [d.label() for d, _, _ in wheels][:6]},
                    fix=fix, severity="warning" if wheels or s.expect_gpu else "info")


@rule("TFD608", "cuda-compiler-missing", severity="warning", versions=">=2.14",
      summary="[and-cuda] is installed without nvidia-cuda-nvcc and no ptxas is on the system (XLA)",
      catalog=("E35",), fix="pip install nvidia-cuda-nvcc-cuXX")
def cuda_compiler_missing(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    When TensorFlow's `[and-cuda]` extra lists `nvidia-cuda-nvcc-cuXX` and the other CUDA
    wheels are installed but that one is not, checks for a system CUDA toolkit with `nvcc`.

    ## Why is this bad?
    XLA (jit_compile=True, some Keras 3 paths) compiles kernels with `ptxas` and needs
    `libdevice`: "Couldn't get ptxas version", "libdevice not found" (catalog E35).

    ## Example
    TensorFlow 2.18.0 with `[and-cuda]` minus `nvidia-cuda-nvcc-cu12`, and no CUDA toolkit:

    ```
    $ tfshift doctor --python .venv
    warning (1)
      TFD608 nvidia-cuda-nvcc-cu12 is not installed and there is no CUDA toolkit with ptxas: XLA compilation will fail
    To fix, run:
      /proj/.venv/bin/python -m pip install nvidia-cuda-nvcc-cu12==12.5.82
    ```

    ## Fix
    Install the missing wheel (or all of `tensorflow[and-cuda]`).
    """
    if cuda_build(s) is None or not nvidia_wheels(s):
        return
    wanted = [q for q in s.requirements(s.tf, "and-cuda") if "nvcc" in q.name]
    if not wanted or any(s.dist(q.name) for q in wanted):
        return
    if any(t.get("nvcc") for t in s.gpu.get("toolkits") or []):
        return
    yield r.finding(f"{wanted[0].name} is not installed and there is no CUDA toolkit with ptxas: XLA compilation "
                    "will fail", evidence={"missing": wanted[0].name}, fix=s.fix.install(f"{wanted[0].name}{wanted[0].specifier}"))


def _arch_supported(cc: str, caps: list[str]) -> bool:
    try:
        value = int(Version(cc).major * 10 + Version(cc).minor)
    except InvalidVersion:
        return True
    for cap in caps:
        kind, _, number = cap.partition("_")
        if not number.isdigit():
            continue
        if kind == "sm" and int(number) == value:
            return True
        if kind == "compute" and int(number) <= value:
            return True  # PTX is JIT-compiled for newer GPUs
    return False


@rule("TFD609", "gpu-architecture-not-in-build", severity="error",
      summary="The GPU's compute capability has neither binary kernels nor PTX in this build", catalog=("E9",),
      fix="another TensorFlow release")
def gpu_architecture_not_in_build(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Compares each GPU's compute capability (from NVML) with `build_info`
    `cuda_compute_capabilities`: `sm_XY` entries are binary kernels for exactly that
    capability, `compute_XY` entries are PTX that newer GPUs can JIT-compile.

    ## Why is this bad?
    "TensorFlow was not built with CUDA kernel binaries compatible with compute capability
    5.2", or "device kernel image is invalid" (catalog E9). TensorFlow 2.17 dropped Maxwell
    (5.x); 2.21 wheels carry sm_60, sm_70, sm_80, sm_89 and compute_90.

    ## Example
    TensorFlow 2.21.0 on a Tesla M60 (Maxwell, compute capability 5.2):

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD609 GPU 0 (Tesla M60, compute capability 5.2) is not supported by TensorFlow 2.21.0 (built for sm_60, sm_70, sm_80, sm_89, compute_90)
    To fix, run:
      # use a TensorFlow release built for this GPU, or build from source
    ```

    ## Fix
    Use a release whose build includes your GPU (or build from source for it).
    """
    build = cuda_build(s)
    nvml = s.gpu.get("nvml") or {}
    caps = list((build or {}).get("cuda_compute_capabilities") or [])
    if build is None or not caps:
        return
    for index, gpu in enumerate(nvml.get("gpus") or []):
        cc = gpu.get("compute_capability")
        if cc and not _arch_supported(cc, caps):
            yield r.finding(f"GPU {index} ({gpu.get('name')}, compute capability {cc}) is not supported by "
                            f"{tf_label(s)} (built for {', '.join(caps)})",
                            evidence={"gpu": gpu.get("name"), "compute_capability": cc, "build": caps},
                            fix=note("use a TensorFlow release built for this GPU, or build from source"))
