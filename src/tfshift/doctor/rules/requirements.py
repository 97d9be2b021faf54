"""TFD309, TFD509, TFD901, TFD902: declared requirements, read the way pip check should.

pip check compares names literally and ignores extras. Here any distribution that installs the
`tensorflow` package satisfies a requirement on `tensorflow` (tensorflow-cpu, -intel, ...), and
the TensorFlow ranges companions declare only in extras (tensorflow-io, tensorflow-addons,
tensorflow-datasets) are checked too.
"""

from __future__ import annotations

from collections.abc import Iterator

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tfshift.doctor.findings import Finding, Rule, rule
from tfshift.doctor.fixes import quote
from tfshift.doctor.rules.common import contains, declared_requirements, tf_label
from tfshift.doctor.snapshot import TF_DISTRIBUTIONS, Dist, Snapshot

# TensorFlow's requirements that have a rule of their own (TFD30x, TFD40x).
SPECIFIC = {"numpy", "protobuf", "h5py", "ml-dtypes", "keras", "tensorflow-estimator"}
# Missing one of these makes `import tensorflow` itself fail.
IMPORT_CRITICAL = {
    "numpy", "protobuf", "absl-py", "six", "wrapt", "gast", "astunparse", "opt-einsum", "google-pasta",
    "termcolor", "typing-extensions", "ml-dtypes", "flatbuffers", "packaging", "astor",
}
# Companions whose TensorFlow range has a rule of its own (TFD40x, TFD50x), and the GCS file
# system plugin: TensorFlow 2.7-2.19 require it with no upper bound, so pip always installs the
# newest, whose extras name a newer TensorFlow; that pairing is what every pip user runs.
COMPANION_RULES = {"tensorflow-text", "tensorflow-probability", "tensorflow-addons", "tensorflow-io",
                   "tf-keras", "keras", "tensorflow-estimator", "tensorflow-io-gcs-filesystem"}


def is_tf_name(name: str) -> bool:
    return canonicalize_name(name) in TF_DISTRIBUTIONS


def requirement_text(req: Requirement) -> str:
    return f"{req.name}{req.specifier}" if str(req.specifier) else req.name


@rule("TFD309", "tf-requirement-unmet", severity="error",
      summary="A requirement of the installed TensorFlow is missing or out of range",
      fix="pip install the requirement")
def tf_requirement_unmet(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Checks every requirement TensorFlow declares for this interpreter (markers evaluated in the
    target, not in tfshift's own Python) that has no rule of its own: absl-py, wrapt, gast,
    grpcio, tensorboard, ... Missing: an error for the modules `import tensorflow` needs at once
    (numpy, protobuf, absl-py, wrapt, gast, ml-dtypes, ...), a warning for the rest
    (tensorboard, the GCS file system plugin). Out of range: a warning (tensorboard of another
    minor, wrapt 1.15 with 2.12 to 2.15, ...).

    ## Why is this bad?
    A missing import-time dependency makes `import tensorflow` fail with `No module named
    'absl'` (the import check's TFD711); the others fail at first use (TensorBoard callbacks,
    `gs://` paths). Out-of-range versions were never released with this TensorFlow.

    ## Example
    TensorFlow 2.15.1 after `pip uninstall absl-py`:

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD309 TensorFlow 2.15.1 requires absl-py>=1.0.0, which is not installed
    To fix, run:
      /proj/.venv/bin/python -m pip install 'absl-py>=1.0.0'
    ```

    ## Fix
    Install the requirement as TensorFlow declares it.
    """
    if s.tf is None:
        return
    for req in declared_requirements(s):
        name = canonicalize_name(req.name)
        if is_tf_name(name):
            continue
        dist = s.dist(name)
        if dist is None:
            if name == "keras":
                continue  # TFD401
            yield r.finding(f"{tf_label(s)} requires {requirement_text(req)}, which is not installed",
                            evidence={"requirement": str(req)}, fix=s.fix.install(requirement_text(req)),
                            severity="error" if name in IMPORT_CRITICAL else "warning")
        elif name not in SPECIFIC and dist.version and str(req.specifier) and not contains(req.specifier, dist.version):
            yield r.finding(f"{tf_label(s)} requires {requirement_text(req)}, but {dist.label()} is installed",
                            evidence={"requirement": str(req), "installed": dist.label(), "location": dist.location},
                            fix=s.fix.install(requirement_text(req)), severity="warning")


# Extras for a project's own test or documentation runs say nothing about users' TensorFlow
# (keras-preprocessing 1.1.0's [tests] extra pins tensorflow==1.7).
DEVELOPMENT_EXTRAS = {"test", "tests", "testing", "dev", "develop", "development", "doc", "docs", "lint"}


def tf_requirements(s: Snapshot, dist: Dist) -> tuple[list[Requirement], dict[str, list[Requirement]]]:
    """A distribution's requirements on TensorFlow: base ones, and per (user-facing) extra."""
    base = [q for q in s.requirements(dist) if is_tf_name(q.name)]
    extras = {}
    for extra in s.extras_of(dist):
        if extra in DEVELOPMENT_EXTRAS:
            continue
        found = [q for q in s.requirements(dist, extra) if is_tf_name(q.name)]
        if found:
            extras[extra] = found
    return base, extras


@rule("TFD509", "companion-declares-other-tf", severity="warning",
      summary="A package declares a TensorFlow range (maybe only in an extra) that excludes the installed one",
      fix="install a matching release")
def companion_declares_other_tf(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    For every installed package without a rule of its own, reads the TensorFlow range it
    declares, as a requirement or only in an extra (`tensorflow-io[tensorflow]`,
    `tensorflow-datasets[tensorflow]`, ...), and compares it with the installed TensorFlow,
    whichever distribution provides it (`tensorflow-cpu` satisfies `tensorflow`).

    ## Why is this bad?
    Packages with compiled TensorFlow ops must match TensorFlow's minor; pure-Python ones rely
    on APIs of the releases they were tested with. pip check never evaluates extras, and it
    reports "requires tensorflow, which is not installed" next to `tensorflow-cpu`.

    ## Example
    tensorflow-datasets 4.9.9 (its `[tensorflow]` extra says `tensorflow<2.15,>=2.1`) with
    TensorFlow 2.15.1:

    ```
    $ tfshift doctor --python .venv
    warning (1)
      TFD509 tensorflow-datasets 4.9.9 declares tensorflow<2.15,>=2.1 (in its [tensorflow] extra), but TensorFlow 2.15.1 is installed
    To fix, run:
      /proj/.venv/bin/python -m pip install 'tensorflow<2.15,>=2.1'
    ```

    ## Fix
    Install the package's release for your TensorFlow, or the TensorFlow it asks for.
    """
    tf = s.tf
    for dist in s.dists:
        if dist.name in COMPANION_RULES or is_tf_name(dist.name) or dist is not s.by_name.get(dist.name):
            continue
        base, extras = tf_requirements(s, dist)
        if base:
            if tf is None or tf.version is None:
                yield r.finding(f"{dist.label()} requires {requirement_text(base[0])}, but TensorFlow is not installed",
                                evidence={"package": dist.label(), "requirement": str(base[0])},
                                fix=s.fix.install(requirement_text(base[0])))
                continue
            if not any(contains(q.specifier, tf.version) for q in base):
                yield r.finding(f"{dist.label()} requires {requirement_text(base[0])}, but {tf_label(s)} is installed",
                                evidence={"package": dist.label(), "requirement": str(base[0])},
                                fix=s.fix.install(f"{tf.name}{base[0].specifier}"))
            continue
        if tf is None or tf.version is None or not extras:
            continue
        specs = [q for found in extras.values() for q in found if str(q.specifier)]
        if specs and not any(contains(q.specifier, tf.version) for q in specs):
            extra = next(iter(extras))
            yield r.finding(f"{dist.label()} declares {requirement_text(specs[0])} (in its [{extra}] extra), "
                            f"but {tf_label(s)} is installed",
                            evidence={"package": dist.label(),
                                      "declares": sorted({f"{requirement_text(q)} [{k}]" for k, v in extras.items() for q in v})},
                            fix=s.fix.install(f"{tf.name}{specs[0].specifier}"))


@rule("TFD901", "requirement-unmet", severity="warning",
      summary="An installed package's requirement is missing or out of range (what pip check reports)",
      fix="pip install the requirement")
def requirement_unmet(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    The rest of `pip check`: every other installed package's base requirements, markers
    evaluated in the target interpreter. Requirements on TensorFlow itself are TFD509's;
    TensorFlow's own requirements are TFD309's.

    ## Why is this bad?
    A missing or out-of-range dependency fails at import or, worse, at first use.

    ## Example
    pandas 2.2.3 installed with `--no-deps`:

    ```
    $ tfshift doctor --python .venv
    warning (1)
      TFD901 pandas 2.2.3 requires python-dateutil>=2.8.2, which is not installed
    To fix, run:
      /proj/.venv/bin/python -m pip install 'python-dateutil>=2.8.2'
    ```

    ## Fix
    Install the requirement in range (or the package's release that matches what you have).
    """
    tf_owner_names = {d.name for d in s.tf_owners}
    tf_declares = {canonicalize_name(q.name) for q in declared_requirements(s)}
    for dist in s.dists:
        if dist is not s.by_name.get(dist.name) or dist.name in tf_owner_names:
            continue
        for req in s.requirements(dist):
            if is_tf_name(req.name):
                continue
            found = s.dist(req.name)
            if found is None and canonicalize_name(req.name) in tf_declares:
                continue  # TFD309 reports it, once
            if found is None:
                yield r.finding(f"{dist.label()} requires {requirement_text(req)}, which is not installed",
                                evidence={"package": dist.label(), "requirement": str(req)},
                                fix=s.fix.install(requirement_text(req)))
            elif found.version and str(req.specifier) and not contains(req.specifier, found.version):
                yield r.finding(f"{dist.label()} requires {requirement_text(req)}, but {found.label()} is installed",
                                evidence={"package": dist.label(), "requirement": str(req), "installed": found.label()},
                                fix=s.fix.install(requirement_text(req)))


@rule("TFD902", "metadata-unreadable", severity="warning",
      summary="A distribution's metadata is missing or has no name/version", fix="reinstall or remove")
def metadata_unreadable(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Reports `*.dist-info` / `*.egg-info` folders without readable METADATA, Name or Version.

    ## Why is this bad?
    pip skips them ("Ignoring invalid distribution"), so its view of the environment, and every
    check built on it, is incomplete; usually the debris of an interrupted install.

    ## Example
    An install of numpy killed before it wrote `METADATA`:

    ```
    $ tfshift doctor --python .venv
    warning (1)
      TFD902 /proj/.venv/lib/python3.11/site-packages/numpy-1.26.4.dist-info: no METADATA, metadata without Name or Version
    To fix, run:
      rm -rf /proj/.venv/lib/python3.11/site-packages/numpy-1.26.4.dist-info
    ```

    ## Fix
    Reinstall the package, or delete the folder if the package is gone.
    """
    for item in s.data.get("distributions") or []:
        if item.get("problems"):
            path = f"{item.get('location')}/{item.get('entry')}"
            yield r.finding(f"{path}: {', '.join(item['problems'])}",
                            evidence={"path": path, "name": item.get("raw_name"), "version": item.get("version")},
                            fix="rm -rf " + quote([path]) if not item.get("name") else s.fix.install(item["name"], force=True))
