"""--import-check on imports that fail in known ways, reproduced with small fake packages.

The child process, its signals and its stderr are real; only the package it imports is ours.
The real TensorFlow failures (protobuf 4 with 1.15, NumPy 2 with 2.15, Keras 2 with 2.21)
are in test_broken_envs.py.
"""

from __future__ import annotations

import pytest

from tests.doctor.helpers import doctor, fake_dist, finding, make_venv, site_packages


@pytest.fixture
def fake_tf(tmp_path):
    """fake_tf(init_source, version="2.15.1") -> python of a venv whose `tensorflow/__init__.py` is
    that source (the venv's site-packages is `fake_tf.site`, for more packages)."""

    def make(source: str, version: str = "2.15.1"):
        venv = make_venv(tmp_path / "venv")
        make.site = site_packages(venv)
        fake_dist(make.site, "tensorflow", version, top_level=["tensorflow"], files={"tensorflow/__init__.py": source})
        return venv / "bin" / "python"

    return make


def check(python, tmp_path, *args):
    code, document = doctor(python, "--import-check", *args, cwd=str(tmp_path))
    import_findings = [f for f in document["findings"] if f["id"].startswith("TFD7")]
    return code, document, import_findings


def test_killed_by_sigsegv(fake_tf, tmp_path):
    python = fake_tf("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n")
    code, document, found = check(python, tmp_path)
    assert [f["id"] for f in found] == ["TFD713"]
    assert document["import_check"]["signal"] == "SIGSEGV"
    assert code == 1


def test_illegal_instruction_maps_to_the_avx_entry(fake_tf, tmp_path):
    python = fake_tf("import os, signal\nos.kill(os.getpid(), signal.SIGILL)\n")
    _, document, found = check(python, tmp_path)
    assert [f["id"] for f in found] == ["TFD701"]
    assert document["import_check"]["signal"] == "SIGILL"


def test_timeout(fake_tf, tmp_path):
    python = fake_tf("import time\ntime.sleep(60)\n")
    code, document, found = check(python, tmp_path, "--import-timeout", "2")
    assert [f["id"] for f in found] == ["TFD712"] and code == 1
    assert document["import_check"]["timed_out"] and document["import_check"]["seconds"] < 30


def test_missing_module_gets_an_install_command(fake_tf, tmp_path):
    python = fake_tf("import absl.logging\n")
    _, _, found = check(python, tmp_path)
    assert [f["id"] for f in found] == ["TFD711"]
    assert found[0]["fix"].endswith("absl-py")


def test_glibc_message(fake_tf, tmp_path):
    python = fake_tf("raise ImportError(\"/lib/x86_64-linux-gnu/libm.so.6: version `GLIBC_2.27' not found "
                     "(required by /site-packages/tensorflow/libtensorflow_framework.so.2)\")\n")
    _, _, found = check(python, tmp_path)
    assert [f["id"] for f in found] == ["TFD702"]


def test_ml_dtypes_without_the_type_tensorflow_registers(fake_tf, tmp_path):
    """TensorFlow 2.14 needs ml-dtypes 0.2.0; 0.3 renamed float8_e4m3b11 (catalog E16). The
    AttributeError is Python's own, raised by a real lookup in a real ml_dtypes package."""
    python = fake_tf("import ml_dtypes\nbfloat16 = ml_dtypes.bfloat16\nfloat8 = ml_dtypes.float8_e4m3b11\n",
                     version="2.14.1")
    fake_dist(fake_tf.site, "ml-dtypes", "0.3.2", top_level=["ml_dtypes"],
              files={"ml_dtypes/__init__.py": "bfloat16 = 'bfloat16'\nfloat8_e4m3b11fnuz = 'float8_e4m3b11fnuz'\n"})
    code, document, found = check(python, tmp_path)
    assert [f["id"] for f in found] == ["TFD705"] and code == 1
    assert "module 'ml_dtypes' has no attribute 'float8_e4m3b11'" in found[0]["message"]
    assert found[0]["fix"].endswith("ml-dtypes==0.2.0")  # TensorFlow 2.14.1's published pin
    assert finding(document, "TFD306")["evidence"]["ml-dtypes"] == "0.3.2"  # the static rule agrees


@pytest.mark.parametrize("message", [
    "DLL load failed while importing _pywrap_tensorflow_internal: The specified module could not be found.",
    "Could not find the DLL(s) 'msvcp140_1.dll'. TensorFlow requires that these DLLs be installed in a "
    "directory that is named in your %PATH% environment variable.",
], ids=["windows-loader", "tensorflow-self-check"])
def test_windows_dll_load_failure(fake_tf, tmp_path, message):
    python = fake_tf(f"raise ImportError({message!r})\n")
    _, _, found = check(python, tmp_path)
    assert [f["id"] for f in found] == ["TFD707"]
    assert found[0]["fix"].startswith("# install the Microsoft Visual C++ Redistributable")


def test_running_from_a_tensorflow_source_checkout(fake_tf, tmp_path):
    """The working directory is a TensorFlow checkout: its tensorflow/ package comes before the
    installed one and refuses to be imported (catalog E34); the static TFD204 names the folder."""
    python = fake_tf("__version__ = '2.15.1'\n")
    checkout = tmp_path / "tensorflow-src"
    (checkout / "tensorflow").mkdir(parents=True)
    (checkout / "tensorflow" / "__init__.py").write_text(
        "raise ImportError('Error importing tensorflow.  Unless you are using bazel, you should not try to import "
        "tensorflow from its source directory; please exit the tensorflow source tree, and relaunch your python "
        "interpreter from there.')\n")
    code, document = doctor(python, "--import-check", cwd=str(checkout))
    assert [f["id"] for f in document["findings"] if f["id"].startswith("TFD7")] == ["TFD709"]
    assert finding(document, "TFD204")["evidence"]["path"] == str(checkout / "tensorflow")
    assert code == 1


def test_tensorflow_package_without_its_modules(fake_tf, tmp_path):
    """A tensorflow folder whose files went with another distribution: it imports, but has nothing
    in it, so tf.keras raises Python's own AttributeError (catalog E33)."""
    python = fake_tf("")
    _, document, found = check(python, tmp_path)
    assert [f["id"] for f in found] == ["TFD710"]
    assert found[0]["message"].startswith("tf.keras failed: module 'tensorflow' has no attribute 'keras'")
    assert document["import_check"]["returncode"] == 3  # TensorFlow imported, tf.keras failed
    assert " uninstall " in found[0]["fix"] and found[0]["fix"].endswith("tensorflow==2.15.1")


def test_undefined_symbol_in_the_tensorflow_runtime(fake_tf, tmp_path):
    python = fake_tf("raise ImportError('/site-packages/tensorflow/python/_pywrap_tensorflow_internal.so: "
                     "undefined symbol: _ZN10tensorflow8OpKernelD2Ev')\n")
    _, _, found = check(python, tmp_path)
    assert [f["id"] for f in found] == ["TFD710"]
    assert "_pywrap_tensorflow_internal.so: undefined symbol" in found[0]["message"]


def test_unknown_failure_keeps_the_last_line(fake_tf, tmp_path):
    python = fake_tf("raise RuntimeError('something new')\n")
    _, _, found = check(python, tmp_path)
    assert [f["id"] for f in found] == ["TFD714"]
    assert "RuntimeError: something new" in found[0]["message"]


def test_tf_keras_failure_after_a_good_import(fake_tf, tmp_path):
    python = fake_tf("__version__ = '2.15.1'\n"
                     "class _K:\n"
                     "    def __getattr__(self, name):\n"
                     "        raise ImportError('Keras cannot be imported. Check that it is installed.')\n"
                     "keras = _K()\n")
    _, document, found = check(python, tmp_path)
    hit = finding(document, "TFD708")
    assert hit["message"].startswith("tf.keras failed")
    assert document["import_check"]["tensorflow"]["version"] == "2.15.1"
    assert [f["id"] for f in found] == ["TFD708"]


def test_warning_on_a_successful_import(fake_tf, tmp_path):
    python = fake_tf("import sys\n__version__ = '2.15.1'\n"
                     "sys.stderr.write(\"W dso_loader.cc:64] Could not load dynamic library 'libcudnn.so.8'; "
                     "dlerror: libcudnn.so.8: cannot open shared object file\\n\")\n"
                     "class _K:\n    __name__ = 'keras.api._v2.keras'\n    layers = None\nkeras = _K()\n")
    _, document, found = check(python, tmp_path)
    assert document["import_check"]["ok"]
    assert [(f["id"], f["severity"]) for f in found] == [("TFD706", "warning")]


def test_import_check_without_tensorflow_is_skipped(tmp_path):
    python = make_venv(tmp_path / "venv") / "bin" / "python"
    code, document = doctor(python, "--import-check", cwd=str(tmp_path))
    assert document["import_check"] == {"skipped": "TensorFlow is not installed"}
    assert code == 0
