"""The catalog of real TensorFlow import failures: message patterns -> cause -> fix.

`--import-check` matches a failed (or noisy) import against these entries, most specific
first; each entry is a documented rule (TFD7xx) so `tfshift rules TFD703` explains it. The
E-numbers refer to the catalog in docs/doctor.md (from the research in shared/reference).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from packaging.version import Version

from tfshift.doctor.findings import Rule, document_only
from tfshift.doctor.fixes import note
from tfshift.doctor.rules.common import recommended
from tfshift.doctor.snapshot import Snapshot

FixFor = Callable[[Snapshot, "re.Match[str] | None"], "str | None"]


@dataclass(frozen=True)
class Entry:
    rule: Rule
    patterns: tuple[re.Pattern[str], ...]
    cause: str
    fix: FixFor
    on_success: bool = False  # also meaningful in the log of an import that worked

    def search(self, text: str) -> re.Match[str] | None:
        for pattern in self.patterns:
            match = pattern.search(text)
            if match:
                return match
        return None


def _p(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def _install(name: str, *extra: str) -> FixFor:
    return lambda s, m: s.fix.install(recommended(s, name, *extra)) if s.tf else None


def _protobuf_fix(s: Snapshot, m: re.Match[str] | None) -> str | None:
    if s.tf_version is not None and s.tf_version < Version("2.12"):
        return s.fix.install(recommended(s, "protobuf", "<3.21"))
    return _install("protobuf")(s, m)


def _keras_fix(s: Snapshot, m: re.Match[str] | None) -> str | None:
    if s.tf_version is None:
        return None
    if m is not None and "tf_keras" in m.group(0):
        from tfshift.doctor.rules.keras import tf_keras_requirement

        return s.fix.install(tf_keras_requirement(s))
    if s.tf_version >= Version("2.16"):
        return s.fix.install(recommended(s, "keras", ">=3"))
    if s.tf_version >= Version("2.6"):
        return s.fix.install(f"keras~={s.tf_version.major}.{s.tf_version.minor}.0")
    return s.fix.uninstall("keras")


def _cuda_fix(s: Snapshot, m: re.Match[str] | None) -> str | None:
    from tfshift.doctor.rules.gpu import and_cuda_fix

    return and_cuda_fix(s) if s.tf else None


def _reinstall_tf(s: Snapshot, m: re.Match[str] | None) -> str | None:
    if s.tf is None:
        return None
    names = sorted({d.name for d in s.tf_owners})
    return s.fix.reinstall(names, f"{s.tf.name}=={s.tf.raw_version}")


# Python modules whose distribution has another name.
MODULE_TO_DIST = {"google.protobuf": "protobuf", "google": "protobuf", "absl": "absl-py", "yaml": "pyyaml",
                  "PIL": "pillow", "tf_keras": "tf-keras", "pasta": "google-pasta", "opt_einsum": "opt-einsum",
                  "tensorflow_estimator": "tensorflow-estimator", "ml_dtypes": "ml-dtypes"}


def _missing_module_fix(s: Snapshot, m: re.Match[str] | None) -> str | None:
    if m is None:
        return None
    module = m.group(1)
    for key in (module, module.split(".")[0]):
        if key in MODULE_TO_DIST:
            return s.fix.install(MODULE_TO_DIST[key])
    return s.fix.install(module.split(".")[0].replace("_", "-"))


_IMPORT_CHECK = (
    "## How it is found\n"
    "`tfshift doctor --import-check` imports TensorFlow (and resolves `tf.keras`) in a child process of "
    "the diagnosed interpreter and matches its exit status and stderr against the error catalog, most "
    "specific entry first."
)


def _example(setting: str, *report: str) -> str:
    """An Example section's text: the setting, then an excerpt of the doctor's report."""
    return setting + "\n\n```\n" + "\n".join(report) + "\n```"


def _doc(what: str, why: str, example: str, fix: str) -> str:
    return (f"## What it means\n{what}\n\n## Why is this bad?\n{why}\n\n## Example\n{example}\n\n"
            f"## Fix\n{fix}")


def _entry(id: str, name: str, summary: str, patterns: tuple[re.Pattern[str], ...], cause: str, fix: FixFor,
           doc: str, catalog: tuple[str, ...], on_success: bool = False) -> Entry:
    listed = "\n".join(f"- `{p.pattern}`" for p in patterns)
    body = f"{doc.rstrip()}\n\n## Patterns\n{listed}\n\n{_IMPORT_CHECK}"
    made = document_only(id, name, severity="error", summary=summary, doc=body, catalog=catalog,
                         fix="see the finding")
    return Entry(made, patterns, cause, fix, on_success)


_RUN = "$ tfshift doctor --python .venv --import-check"

ENTRIES: tuple[Entry, ...] = (
    _entry("TFD701", "import-illegal-instruction", "Importing TensorFlow died on an instruction the CPU lacks",
           _p(r"compiled to use (AVX\w*|SSE[\d.]+) instructions, but these aren't available",
              r"Illegal instruction"),
           "the build uses AVX (or newer) instructions this CPU does not have",
           lambda s, m: note("run on a CPU with AVX, or build TensorFlow from source without --config=avx_linux"),
           _doc("The process got SIGILL, or TensorFlow's CPU guard aborted it with \"The TensorFlow library was "
                "compiled to use AVX instructions, but these aren't available on your machine\" (catalog E10). "
                "TFD104 predicts it without importing.",
                "The build uses AVX (or newer) instructions this CPU does not have: official x86 wheels are "
                "compiled with AVX since TensorFlow 1.6, so none of them runs here.",
                _example("TensorFlow 2.15.1 in a virtual machine whose CPU model hides AVX:",
                         _RUN,
                         "import check: FAILED (SIGABRT) after 1.4 s",
                         "error (2)",
                         "  TFD104 this CPU lacks AVX, which TensorFlow 2.15.1 was compiled for: importing it ends with "
                         "'Illegal instruction'",
                         "  TFD701 import tensorflow failed: compiled to use AVX instructions, but these aren't available "
                         "(the build uses AVX (or newer) instructions this CPU does not have)",
                         "To fix, run:",
                         "  # run on a CPU with AVX",
                         "  # run on a CPU with AVX, or build TensorFlow from source without --config=avx_linux"),
                "Run on a CPU with AVX (in a VM, pass the host CPU model through), or build TensorFlow from "
                "source without `--config=avx_linux`."),
           ("E10",)),
    _entry("TFD702", "import-glibc-too-old", "Importing TensorFlow failed: the system glibc/libstdc++ is too old",
           _p(r"version `(GLIBC|GLIBCXX|CXXABI)_[\d.]+' not found"),
           "the wheel was built for a newer glibc or libstdc++ than this system has",
           lambda s, m: note("use a newer OS image, or an older TensorFlow (see TFD103)"),
           _doc("The loader refused TensorFlow's shared libraries: ``version `GLIBC_2.27' not found (required by "
                ".../libtensorflow_framework.so.2)`` (catalog E24). TFD103 predicts it without importing.",
                "The wheel was built for a newer glibc or libstdc++ than this system has (2.21: glibc 2.27; 2.9 "
                "to 2.20: 2.17); nothing of TensorFlow loads.",
                _example("TensorFlow 2.21.0 on a CentOS 7 image (glibc 2.17):",
                         _RUN,
                         "import check: FAILED (exit 1) after 0.9 s",
                         "error (2)",
                         "  TFD103 TensorFlow 2.21.0 needs glibc 2.27, but this system has glibc 2.17",
                         "  TFD702 import tensorflow failed: version `GLIBC_2.27' not found (the wheel was built for a "
                         "newer glibc or libstdc++ than this system has)",
                         "To fix, run:",
                         "  /proj/.venv/bin/python -m pip install tensorflow==2.20.0",
                         "  # use a newer OS image, or an older TensorFlow (see TFD103)"),
                "Use a newer distribution or container image, or the newest TensorFlow whose wheels this glibc "
                "loads (TFD103's fix names it)."),
           ("E24",)),
    _entry("TFD703", "import-numpy-abi", "Importing TensorFlow failed on a NumPy ABI or API mismatch",
           _p(r"compiled using NumPy 1\.x cannot be run in\s+NumPy 2", r"_ARRAY_API not found",
              r"module compiled against (?:ABI|API) version (0x[0-9a-f]+) but this version of numpy is",
              r"numpy\.core\.(?:_multiarray_umath|umath|multiarray) failed to import",
              r"module 'numpy' has no attribute '(object|bool|int|float|str|complex)'",
              r"Unable to convert function return value to a Python type"),
           "NumPy is not the one TensorFlow was built against (NumPy 2 before TF 2.18, or too old/new)",
           _install("numpy"),
           _doc("The import failed in NumPy's C API or on a removed NumPy alias (catalog E12 to E15). TFD301 to "
                "TFD303 predict it without importing.",
                "NumPy is not the one TensorFlow was built against: NumPy 2 before TensorFlow 2.18 (a new C ABI), "
                "a NumPy older than the build's, or NumPy 1.24+ under releases that still use `np.object`.",
                _example("TensorFlow 2.15.1 with numpy 2.1.3:",
                         _RUN,
                         "import check: FAILED (exit 1) after 2.9 s",
                         "error (2)",
                         "  TFD301 numpy 2.1.3 is installed, but TensorFlow 2.15.1 was built against NumPy 1.x (NumPy 2 "
                         "support starts with TensorFlow 2.18)",
                         "  TFD703 import tensorflow failed: compiled using NumPy 1.x cannot be run in NumPy 2 (NumPy is "
                         "not the one TensorFlow was built against (NumPy 2 before TF 2.18, or too old/new))",
                         "To fix, run:",
                         "  /proj/.venv/bin/python -m pip install 'numpy>=1.23.5,<2.0.0'"),
                "Install NumPy within TensorFlow's range (NumPy 1.x before TensorFlow 2.18)."),
           ("E12", "E13", "E14", "E15")),
    _entry("TFD704", "import-protobuf", "Importing TensorFlow failed on the protobuf runtime",
           _p(r"Descriptors cannot (?:not )?be created directly",
              r"cannot import name 'builder' from 'google\.protobuf\.internal'",
              r"cannot import name 'runtime_version' from 'google\.protobuf'",
              r"Detected (?:mismatched|incompatible) Protobuf Gencode/Runtime"),
           "the protobuf runtime does not match the code TensorFlow generated with protoc",
           _protobuf_fix,
           _doc("Loading TensorFlow's generated `_pb2.py` files failed (catalog E17 to E19). TFD304 predicts it "
                "without importing.",
                "The protobuf runtime does not match the code TensorFlow generated with protoc: protobuf 4.21+ "
                "rejects the code of TensorFlow before 2.12, and newer code needs a newer runtime.",
                _example("TensorFlow 1.15.5 with protobuf 4.21.12 (TensorFlow 1.15 declares only "
                         "`protobuf>=3.6.1`):",
                         _RUN,
                         "import check: FAILED (exit 1) after 1.6 s",
                         "error (2)",
                         "  TFD304 protobuf 4.21.12 cannot load the generated code of TensorFlow 1.15.5: importing it "
                         "fails with 'Descriptors cannot be created directly'",
                         "  TFD704 import tensorflow failed: Descriptors cannot not be created directly (the protobuf "
                         "runtime does not match the code TensorFlow generated with protoc)",
                         "To fix, run:",
                         "  /proj/.venv/bin/python -m pip install 'protobuf>=3.6.1,<3.21'"),
                "Install protobuf within TensorFlow's range (below 3.21 before TensorFlow 2.12)."),
           ("E17", "E18", "E19")),
    _entry("TFD705", "import-ml-dtypes", "Importing TensorFlow failed on ml-dtypes",
           _p(r"module 'ml_dtypes' has no attribute '(\w+)'"),
           "ml-dtypes is outside TensorFlow's range", _install("ml-dtypes"),
           _doc("TensorFlow looked up a dtype that the installed ml-dtypes does not have (catalog E16). TFD306 "
                "predicts it without importing.",
                "ml-dtypes is outside TensorFlow's range: TensorFlow registers its bfloat16 and float8 types from "
                "it at import, and ml-dtypes renamed and removed types between releases. JAX often pulls a newer "
                "one in.",
                _example("TensorFlow 2.14.1 (which needs `ml-dtypes==0.2.0`) with ml-dtypes 0.3.2:",
                         _RUN,
                         "import check: FAILED (exit 1) after 2.2 s",
                         "error (2)",
                         "  TFD306 ml-dtypes 0.3.2 is outside the range TensorFlow 2.14.1 needs (ml-dtypes==0.2.0)",
                         "  TFD705 import tensorflow failed: module 'ml_dtypes' has no attribute 'float8_e4m3b11' "
                         "(ml-dtypes is outside TensorFlow's range)",
                         "To fix, run:",
                         "  /proj/.venv/bin/python -m pip install ml-dtypes==0.2.0"),
                "Install ml-dtypes within TensorFlow's range, or align the TensorFlow and JAX versions."),
           ("E16",)),
    _entry("TFD706", "import-cuda-library", "TensorFlow could not load a CUDA/cuDNN library",
           _p(r"(lib(?:cudart|cudnn|cublas|cublasLt|cufft|curand|cusolver|cusparse|nvinfer)\.so[.\d]*): cannot open shared object file",
              r"Could not load dynamic library '(lib[\w.]+\.so[.\d]*)'",
              r"Loaded runtime CuDNN library: [\d.]+ but source was compiled with: [\d.]+",
              r"Cannot dlopen some GPU libraries"),
           "a CUDA library of the version this build dlopens is not on the loader path",
           _cuda_fix,
           _doc("TensorFlow logged that it could not load a CUDA or cuDNN library, or loaded an older cuDNN "
                "than it was built with (catalog E1, E2, E4, E5). After a successful import this is a warning. "
                "TFD603 to TFD606 predict it without importing.",
                "A CUDA library of the version this build dlopens is not on the loader path: TensorFlow 2.x "
                "imports and runs without the GPU; TensorFlow 1.x GPU builds fail to import.",
                _example("TensorFlow 2.10.1 on a GPU machine without the CUDA 11.2 libraries (TFD603, omitted, "
                         "reports the same without importing):",
                         _RUN,
                         "import check: TensorFlow 2.10.1 imported in 2.8 s, tf.keras -> keras.api._v2.keras",
                         "...",
                         "warning (1)",
                         "  TFD706 TensorFlow imported, but: libcudart.so.11.0: cannot open shared object file (a CUDA "
                         "library of the version this build dlopens is not on the loader path)",
                         "To fix, run:",
                         "  ...",
                         "  # install CUDA 11.2 and cuDNN 8.1 (the tested build of TensorFlow 2.10) and put their lib "
                         "folder on LD_LIBRARY_PATH"),
                "From TensorFlow 2.14 on Linux, `pip install \"tensorflow[and-cuda]==X.Y.Z\"`; before, the CUDA "
                "and cuDNN of the tested build on `LD_LIBRARY_PATH`."),
           ("E1", "E2", "E4", "E5"), on_success=True),
    _entry("TFD707", "import-dll-load-failed", "Importing TensorFlow failed to load a DLL (Windows)",
           _p(r"DLL load failed", r"Could not find the DLL\(s\) '([^']+)'"),
           "a Microsoft Visual C++ runtime DLL, AVX, or (tensorflow-gpu <= 2.10) a CUDA DLL is missing",
           lambda s, m: note("install the Microsoft Visual C++ Redistributable 2015-2022 (x64); check AVX"),
           _doc("Windows could not load one of TensorFlow's DLLs: \"ImportError: DLL load failed while importing "
                "_pywrap_tensorflow_internal: The specified module could not be found\", or TensorFlow's own check "
                "\"Could not find the DLL(s) 'msvcp140.dll or msvcp140_1.dll'\" (catalog E25).",
                "A Microsoft Visual C++ runtime DLL is missing, the CPU lacks AVX, or (tensorflow-gpu 2.10 and "
                "older) a CUDA DLL is not on `PATH`: nothing of TensorFlow loads.",
                _example("TensorFlow 2.10.1 on a Windows machine without the Visual C++ Redistributable:",
                         _RUN,
                         "import check: FAILED (exit 1) after 1.1 s",
                         "error (1)",
                         "  TFD707 import tensorflow failed: DLL load failed (a Microsoft Visual C++ runtime DLL, AVX, "
                         "or (tensorflow-gpu <= 2.10) a CUDA DLL is missing)",
                         "To fix, run:",
                         "  # install the Microsoft Visual C++ Redistributable 2015-2022 (x64); check AVX"),
                "Install the Microsoft Visual C++ Redistributable 2015-2022 (x64); check that the CPU has AVX; for "
                "tensorflow-gpu, put the CUDA and cuDNN of its tested build on `PATH`."),
           ("E25",)),
    _entry("TFD708", "import-keras-mismatch", "tf.keras failed: keras / tf-keras do not match TensorFlow",
           _p(r"Keras requires TensorFlow 2\.2 or higher",
              r"TF_USE_LEGACY_KERAS set to True, but you do not have the tf_keras package",
              r"module 'tensorflow[\w.]*' has no attribute '(__internal__|tf2|register_load_context_function)'",
              r"No module named 'keras\.(?:src\.)?(?:engine|legacy)[\w.]*'",
              r"Keras cannot be imported",
              r"Only instances of `keras\.Layer` can be added"),
           "the keras (or tf-keras) package is not the one this TensorFlow's tf.keras expects",
           _keras_fix,
           _doc("`import tensorflow` or resolving `tf.keras` failed in Keras (catalog E26 to E28). TFD401 to "
                "TFD404 predict it without importing.",
                "The keras (or tf-keras) package is not the one this TensorFlow's `tf.keras` expects: Keras 2 "
                "under 2.16+, another minor under 2.6 to 2.15, or `TF_USE_LEGACY_KERAS=1` without tf-keras.",
                _example("TensorFlow 2.21.0 with `TF_USE_LEGACY_KERAS=1` and no tf-keras:",
                         "$ TF_USE_LEGACY_KERAS=1 tfshift doctor --python .venv --import-check",
                         "import check: FAILED (exit 3) after 4.5 s",
                         "error (2)",
                         "  TFD403 TF_USE_LEGACY_KERAS=1 asks TensorFlow 2.21.0 for tf_keras, which is not installed",
                         "  TFD708 tf.keras failed: TF_USE_LEGACY_KERAS set to True, but you do not have the tf_keras "
                         "package (the keras (or tf-keras) package is not the one this TensorFlow's tf.keras expects)",
                         "To fix, run:",
                         "  /proj/.venv/bin/python -m pip install 'tf-keras~=2.21.0'"),
                "Install the keras of your TensorFlow (`keras>=3` for 2.16+, `keras~=X.Y.0` for 2.6 to 2.15), or "
                "`tf-keras~=X.Y.0` when `TF_USE_LEGACY_KERAS=1`."),
           ("E26", "E27", "E28"), on_success=True),
    _entry("TFD709", "import-from-source-directory", "TensorFlow was imported from a source tree or a local file",
           _p(r"Unless you are using bazel, you should not try to import tensorflow from its source directory"),
           "a local tensorflow folder or file hides the installed package",
           lambda s, m: note("run from another directory, or rename the local tensorflow folder/file (see TFD204)"),
           _doc("\"Error importing tensorflow. Unless you are using bazel, you should not try to import tensorflow "
                "from its source directory\" (catalog E34). TFD204 predicts it without importing.",
                "A local `tensorflow` folder (a source checkout, a project folder) comes before the installed "
                "package on `sys.path`, so Python imports it instead.",
                _example("The doctor run from a TensorFlow source checkout:",
                         "$ cd ~/src/tensorflow && tfshift doctor --python ~/proj/.venv --import-check",
                         "import check: FAILED (exit 1) after 0.3 s",
                         "error (2)",
                         "  TFD204 /home/me/src/tensorflow/tensorflow hides the installed tensorflow (tensorflow 2.15.1); "
                         "it comes first via the working directory",
                         "  TFD709 import tensorflow failed: Unless you are using bazel, you should not try to import "
                         "tensorflow from its source directory (a local tensorflow folder or file hides the installed "
                         "package)",
                         "To fix, run:",
                         "  # rename or move /home/me/src/tensorflow/tensorflow",
                         "  # run from another directory, or rename the local tensorflow folder/file (see TFD204)"),
                "Run from another directory, or rename the local `tensorflow` folder or file."),
           ("E34",)),
    _entry("TFD710", "import-broken-install", "Importing TensorFlow hit a mixed or partial installation",
           _p(r"module 'tensorflow' has no attribute '(__version__|constant|Variable|compat|keras)'",
              r"undefined symbol: \S+.*(?:_pywrap_tensorflow_internal|libtensorflow)",
              r"(?:_pywrap_tensorflow_internal|libtensorflow\w*)\.so[.\d]*: undefined symbol"),
           "files of several TensorFlow distributions or versions are mixed (see TFD201, TFD203)",
           _reinstall_tf,
           _doc("The `tensorflow` package imported but lacks its basic attributes, or its libraries reference "
                "symbols of another build (catalog E33). TFD201, TFD203 and TFD205 find most causes without "
                "importing.",
                "Files of several TensorFlow distributions or versions are mixed (two distributions writing the "
                "same folder, an interrupted upgrade), or the package folder is a leftover.",
                _example("TensorFlow 2.15.1 whose folder an interrupted upgrade left half replaced:",
                         _RUN,
                         "import check: FAILED (exit 1) after 1.9 s",
                         "error (1)",
                         "  TFD710 import tensorflow failed: _pywrap_tensorflow_internal.so: undefined symbol (files of "
                         "several TensorFlow distributions or versions are mixed (see TFD201, TFD203))",
                         "To fix, run:",
                         "  /proj/.venv/bin/python -m pip uninstall -y tensorflow && /proj/.venv/bin/python -m pip "
                         "install tensorflow==2.15.1"),
                "Uninstall every TensorFlow distribution, delete leftover `tensorflow*` folders, and install one "
                "again."),
           ("E33",)),
    _entry("TFD711", "import-missing-module", "Importing TensorFlow failed: a module it needs is not installed",
           _p(r"No module named '([\w.]+)'"),
           "a dependency is missing (see TFD309)", _missing_module_fix,
           _doc("A `ModuleNotFoundError` during the import. TFD309 finds missing requirements TensorFlow "
                "declares without importing.",
                "A dependency is missing: removed by hand, installed with `--no-deps`, or one TensorFlow never "
                "declared.",
                _example("TensorFlow 2.15.1 after `pip uninstall absl-py`:",
                         _RUN,
                         "import check: FAILED (exit 1) after 0.8 s",
                         "error (2)",
                         "  TFD309 TensorFlow 2.15.1 requires absl-py>=1.0.0, which is not installed",
                         "  TFD711 import tensorflow failed: No module named 'absl' (a dependency is missing (see "
                         "TFD309))",
                         "To fix, run:",
                         "  /proj/.venv/bin/python -m pip install 'absl-py>=1.0.0'",
                         "  /proj/.venv/bin/python -m pip install absl-py"),
                "Install the distribution that provides the module (the fix maps module names such as `absl` to "
                "their distribution, `absl-py`)."),
           ()),
)


def _outcome(id: str, name: str, summary: str, doc: str) -> Rule:
    """An import-check result that no message pattern identifies (a timeout, a signal, the unknown)."""
    return document_only(id, name, severity="error", summary=summary, fix="see the finding",
                         doc=doc + "\n\n" + _IMPORT_CHECK)


TIMEOUT = _outcome(
    "TFD712", "import-timed-out", "Importing TensorFlow did not finish in time",
    _doc("The child process was killed after `--import-timeout` seconds (default 300).",
         "An import that hangs hangs every program that uses TensorFlow: a hung driver call, a file system that "
         "does not answer, or a machine too loaded to import in time.",
         _example("TensorFlow 2.15.1 in an environment on a network file system that stopped answering:",
                  "$ tfshift doctor --python .venv --import-check --import-timeout 60",
                  "import check: FAILED (timed out) after 60.0 s",
                  "error (1)",
                  "  TFD712 importing TensorFlow did not finish in 60 s"),
         "Rerun with a longer `--import-timeout` to tell slowness from a hang; a hang usually waits on a driver "
         "or a file system."))
CRASHED = _outcome(
    "TFD713", "import-crashed", "Importing TensorFlow killed the process (a signal)",
    _doc("SIGSEGV, SIGABRT or SIGBUS with nothing the catalog recognises. The stderr tail is in the evidence.",
         "Every program that imports this TensorFlow crashes the same way. Common causes: two TensorFlow "
         "distributions (TFD201), a NumPy or protobuf mismatch (TFD301, TFD304), or another library with its own "
         "copy of protobuf or LLVM loaded first.",
         _example("A crash that left nothing on stderr:",
                  _RUN,
                  "import check: FAILED (SIGSEGV) after 2.4 s",
                  "error (1)",
                  "  TFD713 import tensorflow was killed by SIGSEGV: exit code -11"),
         "Fix the other findings of the report first; then rerun as `PYTHONFAULTHANDLER=1 tfshift doctor "
         "--import-check` to get the Python traceback of the crash in the evidence."))
FAILED = _outcome(
    "TFD714", "import-failed", "Importing TensorFlow failed in a way the catalog does not know",
    _doc("The import raised an exception no catalog entry matches; the last lines of the traceback are in the "
         "evidence.",
         "TensorFlow cannot be used from this environment, and the doctor cannot name the cause.",
         _example("An environment copied with permissions that hide TensorFlow's files:",
                  _RUN,
                  "import check: FAILED (exit 1) after 0.4 s",
                  "error (1)",
                  "  TFD714 import tensorflow failed: PermissionError: [Errno 13] Permission denied: "
                  "'/proj/.venv/lib/python3.11/site-packages/tensorflow/__init__.py'"),
         "Read the traceback in the evidence (`--json` has the last lines in full). Please report it so the "
         "catalog learns the case."))


def classify(text: str, *, success: bool) -> tuple[Entry, re.Match[str]] | None:
    """The first catalog entry whose pattern occurs in `text` (only on_success ones after success)."""
    for entry in ENTRIES:
        if success and not entry.on_success:
            continue
        match = entry.search(text)
        if match:
            return entry, match
    return None
