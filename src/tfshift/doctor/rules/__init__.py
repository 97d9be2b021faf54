"""The doctor's rules: one module per family, each rule a pure function over a Snapshot.

    python       TFD001, TFD101-102  interpreter against the TensorFlow wheels
    platform     TFD103-104          glibc floor, CPU instructions
    install      TFD201-206          duplicates, aliases, leftovers, shadowing
    numpy        TFD301-303
    companions   TFD304-306          protobuf, h5py, ml-dtypes
    requirements TFD309, TFD509, TFD901-902  declared requirements (pip check, done right)
    keras        TFD401-405          keras, tf-keras, TF_USE_LEGACY_KERAS, estimator
    ecosystem    TFD501-505          text, probability, addons, io
    gpu          TFD601-609          CUDA build, driver, libraries
    (catalog)    TFD701-714          --import-check failures, in tfshift.doctor.catalog
"""

from __future__ import annotations

import importlib

from tfshift.doctor.findings import REGISTRY, Finding, Rule
from tfshift.rulebook import RuleDoc

MODULES = ("python", "platform", "install", "numpy", "companions", "requirements", "keras", "ecosystem", "gpu")


def all_rules() -> list[Rule]:
    for name in MODULES:
        importlib.import_module(f"tfshift.doctor.rules.{name}")
    importlib.import_module("tfshift.doctor.catalog")
    return sorted(REGISTRY.values(), key=lambda r: r.id)


def evaluate(snapshot, *, debug: bool = False) -> list[Finding]:
    """Every finding of every rule, errors first. A rule that crashes on odd data reports itself
    (TFD002) instead of ending the diagnosis; --debug re-raises."""
    findings: list[Finding] = []
    for rule in all_rules():
        try:
            findings.extend(rule.check(rule, snapshot))
        except Exception as exc:
            if debug:
                raise
            findings.append(Finding("TFD002", "doctor-incomplete", "info",
                                    f"rule {rule.id} could not run: {type(exc).__name__}: {exc}",
                                    {"rule": rule.id}, None))
    for error in snapshot.data.get("errors") or []:
        findings.append(Finding("TFD002", "doctor-incomplete", "info",
                                f"the probe could not read {error.get('section')}: {error.get('error')}",
                                {"section": error.get("section")}, None))
    return sorted(findings, key=lambda f: f.sort_key)


TFD002_DOC = """\
## What it means
The doctor reports what it could not check instead of stopping: a probe section that raised (an
unreadable /proc file, a broken header) or a rule that met data it did not expect. The rest of
the report stands.

## Why it matters
The checks that needed the missing part did not run, so their silence proves nothing: a driver
the probe could not read, for example, is not compared with the build's CUDA (TFD602).

## Example
A container where /proc/driver/nvidia/version exists but cannot be read:

```
$ tfshift doctor --python .venv
info (1)
  TFD002 the probe could not read driver: PermissionError: [Errno 13] Permission denied: '/proc/driver/nvidia/version'
```

## Fix
For a probe section, make the file readable to the user running the doctor. A rule that could
not run is a bug in tfshift: rerun with `tfshift doctor --debug` for the traceback and please
report it."""


def rule_docs() -> list[RuleDoc]:
    docs = [r.rule_doc() for r in all_rules()]
    docs.append(RuleDoc(id="TFD002", name="doctor-incomplete", family="doctor", severity="info",
                        summary="Part of the diagnosis could not run (a probe section or a rule failed)",
                        body=TFD002_DOC))
    return docs
