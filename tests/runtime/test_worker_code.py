"""The worker's code must run on the oldest interpreter a TensorFlow needs: Python 3.7."""

from __future__ import annotations

from pathlib import Path

import tfshift.runtime
from tests.worker_code import compiled_on, foreign_imports

WORKER = Path(tfshift.runtime.__file__).resolve().parent / "worker"


def test_every_worker_module_compiles_on_python37(tf115):
    files, version = compiled_on(tf115, WORKER)
    assert files > 10 and version == "(3, 7)"


def test_worker_imports_only_stdlib_numpy_and_tensorflow():
    # TensorFlow brings h5py and protobuf (google); _tfshift_worker is the worker itself. The
    # `keras` package is imported only to read a file standalone Keras 2.0-2.3 wrote, in an
    # environment made for it (--with keras==2.x): the file's own library, as TF is.
    allowed = {"numpy", "tensorflow", "google", "h5py", "_tfshift_worker", "keras"}
    assert foreign_imports(WORKER, allowed) == []
