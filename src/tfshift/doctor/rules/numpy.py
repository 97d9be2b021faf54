"""TFD301-TFD303: NumPy against the TensorFlow it serves."""

from __future__ import annotations

from collections.abc import Iterator

from packaging.version import Version

from tfshift.doctor.findings import Finding, Rule, rule
from tfshift.doctor.rules.common import (
    both,
    declared,
    outside_declared,
    recommended,
    spec_text,
    tf_label,
)
from tfshift.doctor.snapshot import Snapshot

NUMPY_2_READY = Version("2.18")  # "TensorFlow now supports and is compiled with NumPy 2.0" (2.18 notes)


def _facts(s: Snapshot) -> dict:
    numpy = s.dist("numpy")
    req = declared(s, "numpy")
    return {"numpy": numpy.raw_version if numpy else None, "numpy_location": numpy.location if numpy else None,
            "tensorflow": s.tf.raw_version if s.tf else None, "tensorflow_requires": spec_text(req)}


@rule("TFD301", "numpy-2-with-tf-before-2-18", severity="error", versions="<2.18",
      summary="NumPy 2 with a TensorFlow built against NumPy 1 (before 2.18), whatever its metadata says",
      catalog=("E12", "E13"), fix="pip install 'numpy<2'")
def numpy_2_with_tf_before_2_18(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Flags NumPy 2.x next to TensorFlow older than 2.18.

    ## Why is this bad?
    TensorFlow before 2.18 was compiled against NumPy 1.x, and NumPy 2 changed the C ABI: the
    import prints "A module that was compiled using NumPy 1.x cannot be run in NumPy 2.x" and
    fails with `_ARRAY_API not found` / `numpy.core.umath failed to import` (catalog E12), or
    later with "Unable to convert function return value to a Python type" (E13). The metadata
    does not always stop it: 2.7 to 2.11 and 2.14.0 declare no upper bound, so pip and uv
    install NumPy 2 beside them without complaint.

    ## Example
    TensorFlow 2.15.1 with numpy 2.1.3 (forced in, or pulled by another package):

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD301 numpy 2.1.3 is installed, but TensorFlow 2.15.1 was built against NumPy 1.x (NumPy 2 support starts with TensorFlow 2.18)
    To fix, run:
      /proj/.venv/bin/python -m pip install 'numpy>=1.23.5,<2.0.0'
    ```

    TensorFlow 2.14.0, whose metadata declares only `numpy>=1.23.5`, gives the same error with
    NumPy 2 (fix: `'numpy>=1.23.5,<2'`).

    ## Fix
    Install NumPy 1.x within TensorFlow's range, or move to TensorFlow 2.18 or newer.
    """
    pair = both(s, "numpy")
    if pair is None or pair[0] >= NUMPY_2_READY or pair[1] < Version("2"):
        return
    numpy = pair[1]
    yield r.finding(f"numpy {numpy} is installed, but {tf_label(s)} was built against NumPy 1.x "
                    "(NumPy 2 support starts with TensorFlow 2.18)",
                    evidence=_facts(s), fix=s.fix.install(recommended(s, "numpy", "<2")))


@rule("TFD302", "numpy-outside-tf-range", severity="error",
      summary="NumPy outside the range the installed TensorFlow declares", catalog=("E14",),
      fix="pip install numpy in range")
def numpy_outside_tf_range(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Compares NumPy with TensorFlow's own `numpy` requirement (its installed metadata; the
    published metadata of the release when the installed copy has none). An error when NumPy is
    older than TensorFlow's minimum, a warning when it is newer than a declared cap (2.12 and
    2.13 cap it at 1.24.3, 2.18 at <2.1, 2.19 at <2.2). NumPy 2 before TensorFlow 2.18 is TFD301.

    ## Why is this bad?
    Below the minimum, TensorFlow's extension modules were built against a newer NumPy C API:
    "module compiled against API version 0x10 but this version of numpy is 0xf" (catalog E14).
    Above a cap, TensorFlow was not released for that NumPy; it often still imports, so this
    is a warning.

    ## Example
    TensorFlow 2.15.1 with numpy 1.22.4:

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD302 numpy 1.22.4 is older than TensorFlow 2.15.1 accepts (numpy<2.0.0,>=1.23.5)
    To fix, run:
      /proj/.venv/bin/python -m pip install 'numpy>=1.23.5,<2.0.0'
    ```

    ## Fix
    Install NumPy within TensorFlow's range.
    """
    outside = outside_declared(s, "numpy")
    if outside is None:
        return
    numpy, req = outside
    if s.tf_version < NUMPY_2_READY and numpy >= Version("2"):
        return  # TFD301 says it better
    below = any(sp.operator in (">=", ">", "~=", "==") and not sp.contains(numpy, prereleases=True)
                for sp in req.specifier)
    yield r.finding(f"numpy {numpy} is {'older' if below else 'newer'} than {tf_label(s)} accepts "
                    f"({spec_text(req)})", evidence=_facts(s), severity="error" if below else "warning",
                    fix=s.fix.install(recommended(s, "numpy")))


@rule("TFD303", "numpy-1-24-with-tf-before-2-12", severity="warning", versions="<2.12",
      summary="NumPy 1.24+ with TensorFlow before 2.12, which still uses the removed np.object/np.bool",
      catalog=("E15",), fix="pip install 'numpy<1.24'")
def numpy_1_24_with_tf_before_2_12(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Flags NumPy 1.24 or newer (but not 2.x, see TFD301) next to TensorFlow older than 2.12 when
    TensorFlow's metadata allowed it (2.8 to 2.11 declare `numpy>=1.20` with no cap).

    ## Why is this bad?
    NumPy 1.24 removed the `np.object`, `np.bool`, `np.int` aliases that these releases still
    use in places: `AttributeError: module 'numpy' has no attribute 'object'` (catalog E15),
    typically when converting string tensors or in TensorBoard. TensorFlow 2.12 and 2.13 cap
    NumPy at 1.24.3 for this reason.

    ## Example
    TensorFlow 2.11.1 (which declares `numpy>=1.20`) with numpy 1.24.4:

    ```
    $ tfshift doctor --python .venv
    warning (1)
      TFD303 numpy 1.24.4 removed np.object/np.bool, which TensorFlow 2.11.1 still uses
    To fix, run:
      /proj/.venv/bin/python -m pip install 'numpy>=1.20,<1.24'
    ```

    ## Fix
    Install `numpy<1.24`, or move to TensorFlow 2.12 or newer.
    """
    pair = both(s, "numpy")
    if pair is None or pair[0] >= Version("2.12") or not Version("1.24") <= pair[1] < Version("2"):
        return
    numpy = pair[1]
    if outside_declared(s, "numpy") is not None:
        return  # TFD302 reports the declared range
    yield r.finding(f"numpy {numpy} removed np.object/np.bool, which {tf_label(s)} still uses",
                    evidence=_facts(s), fix=s.fix.install(recommended(s, "numpy", "<1.24")))
