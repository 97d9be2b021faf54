"""GPU environments (`--gpu`): real CUDA build plus NVIDIA's pip CUDA, on machines without a GPU.

The slow tests build one GPU environment of each supported series in the shared TFSHIFT_HOME
(GBs, downloaded once into uv's cache) and load, inside `tfshift run` and inside a Runtime
worker, the CUDA runtime, cuDNN and cuBLAS with the sonames `tf.sysconfig.get_build_info()`
names. The GPU test at the end runs only where an NVIDIA GPU and driver are present.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import need, tfshift_cli
from tfshift.envs import disk, gpu, manager

CHECK = Path(__file__).parent / "fixtures" / "cuda_check.py"

# One release per supported series: CUDA 11 (cuDNN 8.6), CUDA 12 with cuDNN 8, CUDA 12 with cuDNN 9.
SERIES = {
    "2.12": {"cuda": "11.8", "cudnn": "8.6", "sonames": {"libcudart.so.11.0", "libcudnn.so.8", "libcublas.so.11"}},
    "2.15": {"cuda": "12.2", "cudnn": "8.9", "sonames": {"libcudart.so.12", "libcudnn.so.8", "libcublas.so.12"}},
    "2.21": {"cuda": "12.5", "cudnn": "9.3", "sonames": {"libcudart.so.12", "libcudnn.so.9", "libcublas.so.12"}},
}
# What TensorFlow logs when a CUDA library is missing (catalog E1/E4/E2); absent TensorRT is
# optional and not a CUDA library ("TF-TRT Warning: Could not find TensorRT").
LOAD_FAILURE = re.compile(r"Could not load dynamic library|Cannot dlopen some GPU libraries|"
                          r"cannot open shared object file|Could not find cuda drivers|DNN library is not found")


# -- The plan: what goes into a GPU environment (no environment built) ---------------------------

def test_plan_of_each_series():
    p212 = gpu.plan("2.12", "2.12.1")
    assert (p212.source, p212.cuda, p212.built_cudnn, p212.variant) == ("pip", "11.8", "8.6", "gpu")
    assert "nvidia-cudnn-cu11==8.6.0.163" in p212.requirements
    assert all("-cu11==" in r for r in p212.requirements)
    p215 = gpu.plan("2.15", "2.15.1")
    assert "nvidia-cudnn-cu12==8.9.4.25" in p215.requirements and p215.cuda == "12.2"
    assert not any(r.startswith("tensorrt") for r in gpu.plan("2.14", "2.14.1").requirements)
    # 2.21's [and-cuda] gives ranges: pinned to their lower bound, the build's CUDA 12.5 / cuDNN 9.3.
    p221 = gpu.plan("2.21", "2.21.0")
    assert {"nvidia-cudnn-cu12==9.3.0.75", "nvidia-cuda-runtime-cu12==12.5.82"} <= set(p221.requirements)
    assert p221.tf_requirement == "tensorflow==2.21.0"


def test_plan_without_pip_cuda():
    p115 = gpu.plan("1.15", "1.15.5")
    assert (p115.source, p115.tf_requirement, p115.cuda, p115.built_cudnn) == (
        "system", "tensorflow-gpu==1.15.5", "10.0", "7.4")
    p211 = gpu.plan("2.11", "2.11.1")
    assert p211.source == "system" and p211.cuda == "11.2"
    # CUDA 11's minor-version compatibility: 2.5-2.11 can have the 11.8 wheels, as their own variant.
    alt = gpu.plan("2.11", "2.11.1", "11.8")
    assert (alt.source, alt.variant) == ("pip", "gpu-cuda11.8")
    assert manager.env_name("2.11.1", "3.10", False, [], alt.variant) == "tf-2.11.1-py3.10-gpu-cuda11.8"
    assert gpu.plan("2.15", "2.15.1", "12").variant == "gpu"  # the build's own CUDA, named as usual


@pytest.mark.parametrize("version, patch, cuda", [
    ("2.15", "2.15.1", "11.8"), ("2.21", "2.21.0", "13.0"), ("2.4", "2.4.4", "11.8"), ("1.15", "1.15.5", "cuda"),
])
def test_unknown_cuda_is_refused(version, patch, cuda):
    with pytest.raises(gpu.NoGpuBuild, match=rf"--cuda {cuda}: TensorFlow {patch} was built with CUDA"):
        gpu.plan(version, patch, cuda)


@pytest.mark.parametrize("platform, machine, where", [
    ("darwin", "arm64", "macOS arm64"), ("linux", "aarch64", "linux aarch64"), ("win32", "AMD64", "Windows AMD64"),
])
def test_no_gpu_build_outside_linux_x86_64(platform, machine, where):
    with pytest.raises(gpu.NoGpuBuild, match=f"no CUDA build for {where}"):
        gpu.check_platform(platform, machine)
    gpu.check_platform("linux", "x86_64")


def test_library_path_comes_first(tmp_path):
    info = {"library_dirs": ["lib/python3.11/site-packages/nvidia/cudnn/lib"],
            "cuda_dir": "lib/python3.11/site-packages/nvidia/cuda_nvcc"}
    env = {"PATH": "/env/bin:/usr/bin", "LD_LIBRARY_PATH": "/opt/conda/lib", "XLA_FLAGS": "--xla_dump_to=/d"}
    gpu.environ(tmp_path, info, env)
    cudnn = str(tmp_path / info["library_dirs"][0])
    assert env["LD_LIBRARY_PATH"] == f"{cudnn}:/opt/conda/lib"  # before a system/conda cuDNN
    assert env["PATH"].split(":")[:2] == ["/env/bin", str(tmp_path / info["cuda_dir"] / "bin")]
    assert env["XLA_FLAGS"] == f"--xla_dump_to=/d --xla_gpu_cuda_data_dir={tmp_path / info['cuda_dir']}"


# -- Disk space ------------------------------------------------------------------------------------

def test_sizes_count_hardlinks_once(tmp_path):
    cache, a, b = (tmp_path / n for n in ("cache", "a", "b"))
    for folder in (cache, a, b):
        folder.mkdir()
    (cache / "lib.so").write_bytes(os.urandom(1 << 20))
    for env in (a, b):
        os.link(cache / "lib.so", env / "lib.so")
        (env / "own").write_bytes(os.urandom(64 << 10))
    sizes, together = disk.tree_sizes([a, b])
    assert sizes[a]["bytes"] >= (1 << 20) + (64 << 10)
    assert sizes[a]["own_bytes"] < 100 << 10  # the hardlinked library is not its own
    assert together < sizes[a]["bytes"] + sizes[b]["bytes"] - (1 << 20) + 8192


def test_estimate_skips_what_uv_has_cached(tmp_path):
    reqs = ["tensorflow==2.15.1", "nvidia-cudnn-cu12==8.9.4.25", "numpy<2"]
    assert disk.estimate_mb(reqs, tmp_path) == disk.SIZES_MB["tensorflow"] + disk.SIZES_MB["nvidia-cudnn"]
    cached = tmp_path / "wheels-v8" / "pypi" / "nvidia-cudnn-cu12" / "8.9.4.25-py3-none-manylinux1_x86_64"
    cached.mkdir(parents=True)
    assert disk.estimate_mb(reqs, tmp_path) == disk.SIZES_MB["tensorflow"]


@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 MB tmpfs (root mounts it, as CI runs): TFSHIFT_HOME and uv's cache on it."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        need(f"cannot mount a tmpfs to fill: {proc.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_no_disk_space_is_one_line_before_any_download(tiny_disk):
    env = {"TFSHIFT_HOME": str(tiny_disk / "home"), "UV_CACHE_DIR": str(tiny_disk / "uv")}
    proc = tfshift_cli("env", "create", "2.15", "--gpu", env=env, timeout=120)
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "tf-2.15.1-py" in line and "-gpu needs about" in line and "free disk space" in line
    assert "Traceback" not in proc.stderr
    assert not list((tiny_disk / "uv").glob("wheels-v*/pypi/*"))  # nothing fetched


# -- Bad input on the command line -----------------------------------------------------------------

@pytest.mark.parametrize("args, says", [
    (["env", "create", "2.21", "--cuda", "13.0"], "--cuda 13.0: TensorFlow 2.21.0 was built with CUDA 12.5"),
    (["env", "create", "2.15", "--gpu", "--cuda", "11.8"], "it can have 12 or 12.2"),
    (["run", "--tf", "2.21", "--cuda", "twelve", "--", "python", "-V"], "--cuda twelve"),
    (["env", "path", "2.13", "--gpu"], "no environment for TensorFlow 2.13 --gpu"),
])
def test_bad_gpu_input_is_one_line(args, says):
    proc = tfshift_cli(*args, timeout=120)
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert says in line and "Traceback" not in line


# -- Real GPU environments (slow: GBs into the shared uv cache, once) --------------------------------

@pytest.fixture(scope="module")
def gpu_env():
    cache: dict[str, manager.Env] = {}

    def get(version: str) -> manager.Env:
        if version not in cache:
            from tfshift.errors import InterpreterNotFoundError

            try:
                cache[version] = manager.ensure(version, gpu=True)
            except InterpreterNotFoundError as exc:
                need(str(exc))
        return cache[version]

    return get


def _assert_loaded(report: dict, version: str, log: str) -> None:
    want = SERIES[version]
    assert report["failed"] == {}, report["failed"]
    assert {lib["soname"] for lib in report["loaded"].values()} == want["sonames"]
    assert report["cuda_version"].startswith(want["cuda"]) and report["gpus"] == 0
    cudnn = report["loaded"]["cudnn"]["version"]  # cudnnGetVersion(): 8600, 8904, 90300
    major, minor = want["cudnn"].split(".")
    assert str(cudnn).startswith(major + minor) or str(cudnn).startswith(f"{major}0{minor}"), cudnn
    failures = [line for line in log.splitlines() if LOAD_FAILURE.search(line)]
    assert failures == [], failures


@pytest.mark.slow
@pytest.mark.parametrize("version", sorted(SERIES))
def test_cuda_libraries_load_in_run(gpu_env, version):
    env = gpu_env(version)
    assert env.name.endswith("-gpu") and env.gpu["source"] == "pip"
    assert env.gpu["cuda"] == SERIES[version]["cuda"] and env.gpu["cudnn"] == SERIES[version]["cudnn"]
    base = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    proc = subprocess.run(
        [*tfshift_cli_argv(), "run", "--tf", version, "--gpu", "--", "python", str(CHECK)],
        capture_output=True, text=True, timeout=900, env={**base, "TF_CPP_MIN_LOG_LEVEL": "0"},
        stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    _assert_loaded(report, version, proc.stderr)
    assert report["LD_LIBRARY_PATH"].startswith(str(env.path))  # set by run, not by the shell


@pytest.mark.slow
@pytest.mark.parametrize("version", sorted(SERIES))
def test_cuda_libraries_load_in_a_runtime_worker(gpu_env, version, monkeypatch):
    import tfshift

    env = gpu_env(version)
    monkeypatch.delenv("LD_LIBRARY_PATH", raising=False)
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    with tfshift.Runtime(version, gpu=True) as rt:
        assert rt.env.path == env.path
        assert rt.extend(CHECK) == ["cuda_check"]
        report = rt.request("cuda_check", timeout=600).header
        log = "\n".join(rt.stderr_tail(200))
    _assert_loaded(report, version, log)


@pytest.mark.slow
def test_without_the_library_path_cudnn_is_not_found(gpu_env):
    """The control: the worker's environment is what makes cuDNN loadable (TF 2.12 has no RUNPATH)."""
    env = gpu_env("2.12")
    plain = {k: v for k, v in env.environ().items() if k != "LD_LIBRARY_PATH"}
    proc = subprocess.run([str(env.python), "-c", "import ctypes; ctypes.CDLL('libcudnn.so.8')"],
                          capture_output=True, text=True, env=plain, timeout=120)
    assert proc.returncode != 0 and "libcudnn.so.8" in proc.stderr


@pytest.mark.slow
def test_gpu_environment_is_its_own_and_shares_the_wheels(gpu_env, tf215, cli):
    env = gpu_env("2.15")
    assert env.path != tf215.path and tf215.gpu is None
    assert env.packages["tensorflow"] == tf215.packages["tensorflow"]
    # uv hardlinks from its cache: the cuDNN library is one file on disk, not a copy per env.
    site = manager._site_packages(env.path)
    cudnn = site / "nvidia" / "cudnn" / "lib" / "libcudnn.so.8"
    assert cudnn.stat().st_nlink >= 2
    listing = json.loads(cli("env", "list", "--json").stdout)
    mine = next(e for e in listing["environments"] if e["name"] == env.name)
    assert mine["gpu"]["cuda"] == "12.2" and mine["gpu"]["cudnn"] == "8.9"
    assert mine["bytes"] > 3 << 30 and mine["own_bytes"] < mine["bytes"] // 10
    text = cli("env", "list", env={"COLUMNS": "250"}).stdout  # rows unwrapped
    row = next(line for line in text.splitlines() if line.startswith(env.name + " "))
    assert "CUDA 12.2 / cuDNN 8.9 (pip)" in row and re.search(r"\d\.\dG", row)


@pytest.mark.slow
def test_warm_gpu_create_in_a_fresh_home_links_the_same_files(gpu_env, private_home):
    shared = gpu_env("2.15")
    proc = tfshift_cli("env", "create", "2.15", "--gpu", timeout=900)
    assert proc.returncode == 0, proc.stderr
    fresh = Path(proc.stdout.strip().splitlines()[-1])
    assert fresh.parent == private_home / "envs" and fresh.name == shared.name
    lib = "lib/python{}/site-packages/nvidia/cudnn/lib/libcudnn.so.8".format(shared.python_version.rsplit(".", 1)[0])
    assert (fresh / lib).stat().st_ino == (shared.path / lib).stat().st_ino


@pytest.mark.slow
def test_tf1_gpu_environment_checks_the_system_cuda(cli):
    proc = cli("env", "create", "1.15", "--gpu")
    if proc.returncode != 0 and "no Python" in proc.stderr:
        need(proc.stderr.strip())
    assert proc.returncode == 0, proc.stderr
    path = Path(proc.stdout.strip().splitlines()[-1])
    assert path.name == "tf-1.15.5-py3.7-gpu"
    env = manager.intact(path)
    assert env.packages["tensorflow-gpu"] == "1.15.5" and "tensorflow" not in env.packages
    assert env.gpu["source"] == "system" and env.gpu["cuda"] == "10.0"
    if shutil.which("nvcc") or Path("/usr/local/cuda-10.0").exists():
        return  # a machine with CUDA 10.0 installed: nothing to report
    lines = [ln for ln in proc.stderr.splitlines() if "needs CUDA 10.0" in ln]
    assert len(lines) == 1
    assert "libcudart.so.10.0" in lines[0] and "libcublas.so.10.0" in lines[0] and "libcudnn.so.7" in lines[0]
    assert "LD_LIBRARY_PATH" in lines[0] and "conda install cudatoolkit=10.0" in lines[0]
    listed = cli("env", "list", env={"COLUMNS": "250"}).stdout  # rows unwrapped
    assert re.search(r"tf-1\.15\.5-py3\.7-gpu .*CUDA 10\.0 / cuDNN 7\.4 \(system\)", listed)


@pytest.mark.slow
def test_doctor_recognises_the_pip_cuda(gpu_env, cli):
    env = gpu_env("2.15")
    proc = cli("doctor", "--python", str(env.path), "--json")
    document = json.loads(proc.stdout)
    assert document["gpu"]["pip_cuda"] == {"cuda": "12.2.140", "cudnn": "8.9.4.25", "major": "12"}
    if document["gpu"]["driver"] is None and not document["gpu"]["pci_gpus"]:
        assert proc.returncode == 0
        (finding,) = [f for f in document["findings"] if f["id"].startswith("TFD6")]
        assert finding["id"] == "TFD601" and finding["severity"] == "info"
        assert finding["message"].startswith("this machine has no NVIDIA GPU")


# -- On a machine with a GPU ------------------------------------------------------------------------

def _has_gpu() -> bool:
    return Path("/proc/driver/nvidia/version").exists()


@pytest.mark.slow
@pytest.mark.gpu
@pytest.mark.skipif(not _has_gpu(), reason="needs an NVIDIA GPU and its driver (/proc/driver/nvidia/version); "
                    "skipped under CI too, whose machines have none: a missing GPU is the hardware, not a "
                    "missing interpreter")
def test_small_model_on_the_gpu_in_two_versions_at_once(tmp_path):
    import tfshift

    script = tmp_path / "train.py"
    script.write_text(
        "import numpy as np, tensorflow as tf\n"
        "gpus = tf.config.list_physical_devices('GPU'); assert gpus, 'no GPU visible'\n"
        "x = np.random.RandomState(0).rand(256, 8).astype('float32'); y = x.sum(1, keepdims=True)\n"
        "with tf.device('/GPU:0'):\n"
        "    m = tf.keras.Sequential([tf.keras.layers.Dense(16, activation='relu'), tf.keras.layers.Dense(1)])\n"
        "    m.compile('adam', 'mse'); m.fit(x, y, epochs=3, verbose=0)\n"
        "    out = m(x)\n"
        "print('device', out.device, 'loss', float(m.evaluate(x, y, verbose=0)))\n")
    proc = tfshift_cli("matrix", "--tf", "2.15,2.21", "--gpu", "--json", "--", "python", str(script), timeout=1800)
    document = json.loads(proc.stdout)
    assert proc.returncode == 0, document
    for result in document["results"]:
        assert "GPU:0" in result["output_tail"], result
    with tfshift.Runtime("2.15", gpu=True) as a, tfshift.Runtime("2.21", gpu=True) as b:
        for rt in (a, b):
            rt.extend(CHECK)
            assert rt.request("cuda_check", timeout=600).header["gpus"] >= 1


def tfshift_cli_argv() -> list[str]:
    import sys

    return [sys.executable, "-m", "tfshift"]

