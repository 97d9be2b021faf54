"""GPU rules on fabricated machines: this machine has no GPU.

Each test builds a real virtual environment holding a fake TensorFlow (its dist-info,
`build_info.py`, `cuda_config.h`) and fake `nvidia-*` wheels with their library files, plus a
system tree (/proc/driver/nvidia/version, /usr/local/cuda, ld.so.conf) given to the real probe
with `--root`. Nothing is mocked past the file system.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.doctor.helpers import evaluate, fake_dist, make_venv, site_packages
from tfshift.doctor import capture, snapshot

# TensorFlow 2.18's [and-cuda] wheels: distribution -> (version, lib folder, {soname: real file}).
AND_CUDA_12 = {
    "nvidia-cuda-runtime-cu12": ("12.5.82", "cuda_runtime", ["libcudart.so.12"]),
    "nvidia-cublas-cu12": ("12.5.3.2", "cublas", ["libcublas.so.12", "libcublasLt.so.12"]),
    "nvidia-cufft-cu12": ("11.2.3.61", "cufft", ["libcufft.so.11"]),
    "nvidia-cusolver-cu12": ("11.6.3.83", "cusolver", ["libcusolver.so.11"]),
    "nvidia-cusparse-cu12": ("12.5.1.3", "cusparse", ["libcusparse.so.12"]),
    "nvidia-curand-cu12": ("10.3.6.82", "curand", ["libcurand.so.10"]),
    "nvidia-cudnn-cu12": ("9.3.0.75", "cudnn", ["libcudnn.so.9"]),
    "nvidia-cuda-nvcc-cu12": ("12.5.82", "cuda_nvcc", []),
}
CUDA_CONFIG_12 = {"TF_CUDART_VERSION": "12", "TF_CUBLAS_VERSION": "12", "TF_CUFFT_VERSION": "11",
                  "TF_CUSOLVER_VERSION": "11", "TF_CUSPARSE_VERSION": "12", "TF_CURAND_VERSION": "10",
                  "TF_CUDNN_VERSION": "9"}


class Machine:
    """A fabricated GPU machine: a venv (site-packages) and a system root."""

    def __init__(self, tmp_path: Path) -> None:
        self.venv = make_venv(tmp_path / "venv")
        self.site = site_packages(self.venv)
        self.root = tmp_path / "root"
        (self.root / "proc").mkdir(parents=True)
        (self.root / "proc" / "cpuinfo").write_text("processor\t: 0\nmodel name\t: Fake Xeon\nflags\t\t: fpu sse4_2 avx avx2 fma\n")
        self.tmp = tmp_path
        self.env: dict[str, str] = {}

    def tensorflow(self, version="2.18.0", *, cuda="12.5.1", cudnn="9", cuda_build=True,
                   caps=("sm_60", "sm_70", "sm_80", "sm_89", "compute_90"), config=CUDA_CONFIG_12,
                   and_cuda=AND_CUDA_12, package="tensorflow") -> None:
        build = (f"import collections\n\nbuild_info = collections.OrderedDict([('cpu_compiler', 'clang'), "
                 f"('cuda_compute_capabilities', {list(caps)!r}), ('cuda_version', '{cuda}'), "
                 f"('cudnn_version', '{cudnn}'), ('is_cuda_build', {cuda_build}), ('is_rocm_build', False)])\n")
        header = "".join(f'#define {k} "{v}"\n' for k, v in config.items())
        requires = [f'{name}=={v}; extra == "and-cuda"' for name, (v, _, _) in and_cuda.items()]
        fake_dist(self.site, "tensorflow", version, requires=requires, top_level=[package],
                  wheel_tag="cp311-cp311-manylinux_2_17_x86_64",
                  files={f"{package}/__init__.py": "", f"{package}/python/platform/build_info.py": build,
                         f"{package}/include/third_party/gpus/cuda/cuda_config.h": header})
        fake_dist(self.site, "keras", "3.8.0", top_level=["keras"], files={"keras/__init__.py": ""})

    def wheels(self, spec=AND_CUDA_12, skip=()) -> None:
        for name, (version, folder, libs) in spec.items():
            if name in skip:
                continue
            files = {f"nvidia/{folder}/lib/{lib}": "" for lib in libs}
            if folder == "cudnn":
                major, minor, patch = version.split(".")[:3]
                files["nvidia/cudnn/include/cudnn_version.h"] = (
                    f"#define CUDNN_MAJOR {major}\n#define CUDNN_MINOR {minor}\n#define CUDNN_PATCHLEVEL {patch}\n")
            fake_dist(self.site, name, version, top_level=["nvidia"], files=files)

    def driver(self, version: str) -> None:
        folder = self.root / "proc" / "driver" / "nvidia"
        folder.mkdir(parents=True)
        (folder / "version").write_text(f"NVRM version: NVIDIA UNIX x86_64 Kernel Module  {version}  Thu Jan 1 "
                                        "00:00:00 UTC 2026\nGCC version:  gcc version 12.2.0\n")

    def system_libs(self, folder: str, libs: dict[str, str]) -> Path:
        """Libraries with real versioned files and soname symlinks, as a CUDA/cuDNN tarball installs."""
        path = self.root / folder.lstrip("/") if folder.startswith("/") else self.tmp / folder
        path.mkdir(parents=True, exist_ok=True)
        for soname, real in libs.items():
            (path / real).write_text("")
            os.symlink(real, path / soname)
        return path

    def healthy(self) -> Machine:
        """TensorFlow 2.18 with all of [and-cuda] and a current driver."""
        self.tensorflow()
        self.wheels()
        self.driver("550.54.14")
        return self

    def snapshot(self) -> snapshot.Snapshot:
        env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
        env.update(self.env)
        return capture.take(str(self.venv / "bin" / "python"), root=str(self.root), env=env, cwd=str(self.tmp))


def gpu_ids(snap) -> set[str]:
    return {rule_id for rule_id in evaluate(snap) if rule_id.startswith("TFD6")}


@pytest.fixture
def machine(tmp_path) -> Machine:
    return Machine(tmp_path)


def test_healthy_gpu_machine_with_and_cuda_wheels(machine):
    snap = machine.healthy().snapshot()
    assert evaluate(snap) == {}
    assert snap.gpu["driver"]["version"] == "550.54.14"
    assert {lib["name"] for lib in snap.gpu["libraries"] if lib["origin"] == "pip"} >= {"libcudnn.so.9", "libcudart.so.12"}


def test_driver_too_old_for_cuda_12(machine):
    machine.tensorflow()
    machine.wheels()
    machine.driver("470.82.01")
    found = evaluate(machine.snapshot())
    assert set(found) == {"TFD602"}
    (hit,) = found["TFD602"]
    assert hit.severity == "error"
    # The CUDA that runs is the environment's pip CUDA (nvidia-cuda-runtime-cu12 12.5.82).
    assert hit.evidence["minimum"] == "525.60.13" and hit.evidence["cuda"] == "12.5.82"
    assert hit.evidence["cuda_source"] == "pip" and "pip CUDA" in hit.message
    assert "525.60.13" in hit.fix and "tfshift env create 2.14 --gpu" in hit.fix


def test_driver_too_old_for_the_build_without_pip_cuda(machine):
    machine.tensorflow()
    machine.system_libs("/usr/local/cuda/lib64", {"libcudart.so.12": "libcudart.so.12.5.82"})
    machine.driver("470.82.01")
    (hit,) = evaluate(machine.snapshot())["TFD602"]
    assert hit.evidence["cuda"] == "12.5.1" and hit.evidence["cuda_source"] == "build"


def pci(machine, *devices: tuple[str, str]) -> None:
    """PCI devices in the fabricated /sys: (vendor, class) each."""
    for index, (vendor, klass) in enumerate(devices):
        folder = machine.root / "sys" / "bus" / "pci" / "devices" / f"0000:00:0{index}.0"
        folder.mkdir(parents=True)
        (folder / "vendor").write_text(vendor + "\n")
        (folder / "class").write_text(klass + "\n")


def test_no_gpu_in_the_machine_is_an_info(machine):
    machine.tensorflow()
    machine.wheels()
    pci(machine, ("0x8086", "0x060000"), ("0x1af4", "0x010000"))  # a host bridge, a virtio disk
    found = evaluate(machine.snapshot())
    assert set(found) == {"TFD601"}
    (hit,) = found["TFD601"]
    assert hit.severity == "info"
    assert hit.message.startswith("this machine has no NVIDIA GPU") and "pip CUDA 12.5.82" in hit.message


def test_gpu_in_the_machine_without_driver_is_a_warning(machine):
    machine.tensorflow()
    machine.wheels()
    pci(machine, ("0x10de", "0x030200"))  # an NVIDIA 3D controller, no driver loaded
    (hit,) = evaluate(machine.snapshot())["TFD601"]
    assert hit.severity == "warning" and hit.evidence["pci_gpus"] == ["0000:00:00.0"]


def test_expecting_a_gpu_reports_a_cpu_only_environment(machine):
    machine.tensorflow(cuda_build=False)
    snap = machine.snapshot()
    assert gpu_ids(snap) == set()  # nothing asks for a GPU
    snap.expect_gpu = True  # `tfshift doctor --gpu`
    found = evaluate(snap)
    assert found["TFD607"][0].severity == "warning"


def test_cuda_wheels_without_driver(machine):
    machine.tensorflow()
    machine.wheels()
    found = evaluate(machine.snapshot())
    assert set(found) == {"TFD601"}
    assert found["TFD601"][0].severity == "warning"


def test_missing_cudnn_wheel_on_a_gpu_machine(machine):
    machine.tensorflow()
    machine.wheels(skip=("nvidia-cudnn-cu12",))
    machine.driver("550.54.14")
    found = evaluate(machine.snapshot())
    assert set(found) == {"TFD603"}
    (hit,) = found["TFD603"]
    assert hit.evidence["missing"] == ["libcudnn.so.9"]
    assert "tensorflow[and-cuda]==2.18.0" in hit.fix


def test_old_cudnn_on_ld_library_path_shadows_the_pip_one(machine):
    machine.healthy()
    stale = machine.system_libs("conda-cudnn/lib", {"libcudnn.so.9": "libcudnn.so.9.1.0"})
    machine.env["LD_LIBRARY_PATH"] = str(stale)
    found = evaluate(machine.snapshot())
    assert set(found) == {"TFD604", "TFD605"}
    (old,) = found["TFD604"]
    assert old.evidence["version"] == "9.1.0" and old.evidence["origin"] == "LD_LIBRARY_PATH"
    assert old.evidence["built_with"] == "9.3"
    assert found["TFD605"][0].severity == "warning"


def test_same_cudnn_on_ld_library_path_is_harmless(machine):
    machine.healthy()
    same = machine.system_libs("cudnn93/lib", {"libcudnn.so.9": "libcudnn.so.9.3.0"})
    machine.env["LD_LIBRARY_PATH"] = str(same)
    assert gpu_ids(machine.snapshot()) == set()


def test_cu11_wheels_with_a_cuda_12_build(machine):
    machine.tensorflow()
    cu11 = {name.replace("cu12", "cu11"): (version.replace("12.", "11.", 1), folder, [lib.replace(".so.12", ".so.11") for lib in libs])
            for name, (version, folder, libs) in AND_CUDA_12.items()}
    machine.wheels(cu11)
    machine.driver("550.54.14")
    found = gpu_ids(machine.snapshot())
    assert "TFD606" in found and "TFD603" in found


def test_and_cuda_pins_not_met_is_a_warning(machine):
    machine.tensorflow()
    old = dict(AND_CUDA_12)
    old["nvidia-cudnn-cu12"] = ("9.1.0.70", "cudnn", ["libcudnn.so.9"])
    machine.wheels(old)
    machine.driver("550.54.14")
    found = evaluate(machine.snapshot())
    assert {f.severity for f in found["TFD606"]} == {"warning"}
    assert "TFD604" in found  # the pip cuDNN 9.1 is older than the 9.3 of the build


def test_gpu_wheels_with_a_cpu_build(machine):
    machine.tensorflow(cuda_build=False)
    machine.wheels()
    found = evaluate(machine.snapshot())
    assert set(found) == {"TFD607"}


def test_and_cuda_without_nvcc_and_no_toolkit(machine):
    machine.tensorflow()
    machine.wheels(skip=("nvidia-cuda-nvcc-cu12",))
    machine.driver("550.54.14")
    assert gpu_ids(machine.snapshot()) == {"TFD608"}
    toolkit = machine.root / "usr" / "local" / "cuda-12.5"
    (toolkit / "bin").mkdir(parents=True)
    (toolkit / "bin" / "nvcc").write_text("")
    (toolkit / "version.json").write_text('{"cuda": {"name": "CUDA SDK", "version": "12.5.1"}}')
    snap = machine.snapshot()
    assert gpu_ids(snap) == set()
    assert snap.gpu["toolkits"][0]["version"] == "12.5.1"


def test_tf_1_x_gpu_build_needs_system_cuda_10(machine):
    """Old build_info format (module constants, tensorflow_core) and a system CUDA from ld.so.conf."""
    core = "tensorflow_core"
    fake_dist(machine.site, "tensorflow-gpu", "1.15.5", top_level=["tensorflow", core],
              wheel_tag="cp37-cp37m-manylinux2010_x86_64",
              files={"tensorflow/__init__.py": "", f"{core}/__init__.py": "",
                     f"{core}/python/platform/build_info.py": "is_rocm_build = False\nis_cuda_build = True\n"
                     "cuda_version_number = '10.0'\ncudnn_version_number = '7'\n"})
    machine.driver("440.33.01")
    snap = machine.snapshot()
    found = evaluate(snap)
    assert snap.build_info["cuda_version"] == "10.0"
    assert found["TFD603"][0].evidence["missing"] == ["libcudart.so.10.0", "libcudnn.so.7"]
    # Install CUDA 10.0 + cuDNN 7.6 the system way: a folder listed in ld.so.conf.d.
    conf = machine.root / "etc" / "ld.so.conf.d"
    conf.mkdir(parents=True)
    (machine.root / "etc" / "ld.so.conf").write_text("include /etc/ld.so.conf.d/*.conf\n")
    (conf / "cuda-10-0.conf").write_text("/usr/local/cuda-10.0/lib64\n")
    machine.system_libs("/usr/local/cuda-10.0/lib64", {"libcudart.so.10.0": "libcudart.so.10.0.130",
                                                        "libcudnn.so.7": "libcudnn.so.7.6.5"})
    found = evaluate(machine.snapshot())
    assert "TFD603" not in found
    assert "TFD202" not in found  # tensorflow-gpu 1.15 is the real GPU package, not an alias


def test_tf_1_x_gpu_build_without_cuda_fails_to_import_even_without_a_gpu(machine):
    fake_dist(machine.site, "tensorflow-gpu", "1.15.5", top_level=["tensorflow"],
              wheel_tag="cp37-cp37m-manylinux2010_x86_64",
              files={"tensorflow/__init__.py": "", "tensorflow/python/platform/build_info.py":
                     "is_cuda_build = True\ncuda_version_number = '10'\ncudnn_version_number = '7'\n",
                     "tensorflow/include/external/local_config_cuda/cuda/cuda/cuda_config.h":
                     '#define TF_CUDA_VERSION "10.0"\n#define TF_CUDA_LIB_VERSION "10.0"\n#define TF_CUDNN_VERSION "7"\n'})
    pci(machine, ("0x8086", "0x060000"))  # no GPU, no driver
    found = evaluate(machine.snapshot())
    (missing,) = found["TFD603"]
    assert missing.severity == "error" and "`import tensorflow` fails" in missing.message
    # CUDA 10.0 names every library .so.10.0 (build_info says only "10"): TF_CUDA_LIB_VERSION.
    assert {"libcudart.so.10.0", "libcublas.so.10.0", "libcusolver.so.10.0", "libcudnn.so.7"} <= set(
        missing.evidence["missing"])
    (info,) = found["TFD601"]
    assert info.severity == "info" and info.message.endswith("cannot use one")


def test_gpu_architecture_not_in_build(tf215, snap_of):
    """Compute capability comes from NVML on real machines; here it is put in the snapshot."""
    snap = snap_of(tf215.python)
    snap.data["gpu"]["driver"] = {"version": "550.54.14", "source": "NVML"}
    snap.data["gpu"]["nvml"] = {"gpus": [{"name": "Tesla M60", "compute_capability": "5.2"},
                                          {"name": "NVIDIA H100", "compute_capability": "9.0"}]}
    snap.data["build_info"]["values"]["cuda_compute_capabilities"] = ["sm_60", "sm_70", "sm_80", "sm_89", "compute_90"]
    found = evaluate(snap)
    hits = found["TFD609"]
    assert [h.evidence["gpu"] for h in hits] == ["Tesla M60"]
