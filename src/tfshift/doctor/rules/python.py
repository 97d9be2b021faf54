"""TFD001, TFD101, TFD102: is there a TensorFlow, and does this interpreter have wheels for it."""

from __future__ import annotations

from collections.abc import Iterator

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from tfshift.doctor import matrix
from tfshift.doctor.findings import Finding, Rule, rule
from tfshift.doctor.fixes import note
from tfshift.doctor.rules.common import tf_label
from tfshift.doctor.snapshot import Snapshot
from tfshift.envs import table


def minors_with_wheels(python_minor: str) -> list[str]:
    """TensorFlow minors with a Linux x86_64 wheel for this Python, oldest first (envs.table)."""
    return [m for m in table.minors() if python_minor in table.release(m).python]


def wheel_pythons(version: Version) -> list[str] | None:
    """Python minors with a Linux x86_64 wheel for this exact release (or its minor)."""
    minor = f"{version.major}.{version.minor}"
    if minor not in table.minors():
        return None
    release = table.release(minor)
    pythons = release.wheels.get(str(version)) or release.wheels.get(version.base_version)
    return sorted(pythons or release.python, key=table.python_key)


def span(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{items[0]} to {items[-1]}"


@rule("TFD001", "tensorflow-not-installed", severity="info",
      summary="No TensorFlow distribution is installed in this environment", fix="pip install")
def tensorflow_not_installed(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Reports that no installed distribution provides the `tensorflow` package, and which
    TensorFlow releases have wheels for this interpreter.

    ## Why it matters
    Usually the doctor was pointed at the wrong interpreter (pass `--python`, or activate the
    environment). On a Python with no TensorFlow wheel at all, `pip install tensorflow` fails
    with "No matching distribution found" (catalog E23).

    ## Example
    A project environment with Python 3.11 and no TensorFlow:

    ```
    $ tfshift doctor --python .venv
    info (1)
      TFD001 TensorFlow is not installed for /proj/.venv/bin/python; Python 3.11 has wheels for TensorFlow 2.12 to 2.21
    To fix, run:
      /proj/.venv/bin/python -m pip install tensorflow
    ```

    ## Fix
    Install TensorFlow, or use a Python that has wheels for the release you need.
    """
    if s.tf is not None or s.tf_owners:
        return
    evidence = {"python": s.python.get("version"), "executable": s.python_path}
    if not s.is_linux_x86_64:
        yield r.finding(f"TensorFlow is not installed for {s.python_path}", evidence=evidence,
                        fix=s.fix.install("tensorflow"))
        return
    minors = minors_with_wheels(s.python_minor)
    if minors:
        evidence["tensorflow_with_wheels"] = span(minors)
        yield r.finding(f"TensorFlow is not installed for {s.python_path}; Python {s.python_minor} has "
                        f"wheels for TensorFlow {span(minors)}", evidence=evidence, fix=s.fix.install("tensorflow"))
        return
    newest = table.minors()[-1]
    pythons = table.release(newest).pythons_for()
    evidence["newest_python_with_wheels"] = pythons[0]
    yield r.finding(f"TensorFlow is not installed, and no TensorFlow release has a wheel for Python "
                    f"{s.python_minor} (TensorFlow {newest} supports Python {pythons[-1]} to {pythons[0]})",
                    evidence=evidence, fix=note(f"use Python {pythons[-1]} to {pythons[0]} for TensorFlow {newest}"))


@rule("TFD101", "python-without-tf-wheel", severity="error", versions=">=1.13",
      summary="The interpreter's Python version has no wheel of the installed TensorFlow",
      catalog=("E23",), fix="pip install / use another Python")
def python_without_tf_wheel(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Checks the interpreter's Python minor against the Pythons the installed TensorFlow release
    was published for: the Linux x86_64 wheels (tfshift's version table, read from PyPI), and on
    other platforms the release's `Requires-Python` and the tested-build table of
    tensorflow.org/install/source.

    ## Why is this bad?
    A TensorFlow installed for another Python (a copied site-packages, a forced install, a Python
    upgraded under an existing environment) has compiled extensions for the wrong ABI: the import
    fails with undefined symbols or "No module named '_pywrap_tensorflow_internal'". TF 1.x
    exists only for Python 3.7 and older.

    ## Example
    TensorFlow 2.15.1 in a Python 3.12 environment (2.15 has wheels for 3.9 to 3.11):

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD101 TensorFlow 2.15.1 has no wheel for Python 3.12 (its wheels are for Python 3.9 to 3.11)
    To fix, run:
      tfshift env create 2.15.1  # TensorFlow 2.15 with a Python it has wheels for; or keep this Python with TensorFlow 2.21
    ```

    ## Fix
    Recreate the environment with a Python the release supports (`tfshift env create X.Y.Z`
    does it in seconds), or move to a TensorFlow minor that has wheels for this Python.
    """
    if s.tf is None or s.tf.version is None:
        return
    version = s.tf.version
    evidence = {"python": s.python.get("version"), "tensorflow": s.tf.raw_version}
    if s.is_linux_x86_64:
        pythons = wheel_pythons(version)
        if pythons is None or s.python_minor in pythons:
            return
        evidence["pythons_with_wheels"] = span(pythons)
        yield r.finding(f"{tf_label(s)} has no wheel for Python {s.python_minor} (its wheels are for "
                        f"Python {span(pythons)})", evidence=evidence, fix=_fix(s, pythons))
        return
    requires_python = s.tf.requires_python or (matrix.release_or_minor(version) or {}).get("requires_python")
    if requires_python:
        try:
            allowed = SpecifierSet(requires_python)
        except InvalidSpecifier:
            return
        if not allowed.contains(s.python_version, prereleases=True):
            evidence["requires_python"] = requires_python
            yield r.finding(f"{tf_label(s)} requires Python {requires_python}, but this is Python "
                            f"{s.python.get('version')}", evidence=evidence, fix=_fix(s, None))


def _fix(s: Snapshot, pythons: list[str] | None) -> str:
    """Keep the TensorFlow and change the Python: tfshift builds such an environment in seconds."""
    if s.tf_minor and f"{s.tf_minor[0]}.{s.tf_minor[1]}" in table.minors():
        minor = f"{s.tf_minor[0]}.{s.tf_minor[1]}"
        others = minors_with_wheels(s.python_minor)
        alternative = f"; or keep this Python with TensorFlow {others[-1]}" if others else ""
        return f"tfshift env create {s.tf.raw_version}  # TensorFlow {minor} with a Python it has wheels for{alternative}"
    if pythons:
        return note(f"recreate the environment with Python {span(pythons)}")
    return note("recreate the environment with a Python this TensorFlow supports")


@rule("TFD102", "python-32-bit", severity="error",
      summary="A 32-bit interpreter: TensorFlow publishes 64-bit wheels only", catalog=("E23",),
      fix="use a 64-bit Python")
def python_32_bit(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Checks the pointer size of the interpreter.

    ## Why is this bad?
    No TensorFlow release has 32-bit wheels; `pip install tensorflow` ends with "No matching
    distribution found" (catalog E23), typically on Windows with the 32-bit python.org installer.

    ## Example
    An environment made from a 32-bit (i686) Python:

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD102 /proj/.venv/bin/python is a 32-bit Python; TensorFlow has 64-bit wheels only
    To fix, run:
      # install a 64-bit Python and recreate the environment
    ```

    ## Fix
    Install a 64-bit Python and recreate the environment.
    """
    if s.python.get("bits") == 32:
        yield r.finding(f"{s.python_path} is a 32-bit Python; TensorFlow has 64-bit wheels only",
                        evidence={"bits": 32, "machine": s.python.get("machine")},
                        fix=note("install a 64-bit Python and recreate the environment"))
