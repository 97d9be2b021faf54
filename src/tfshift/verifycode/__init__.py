"""verify-code: prove that a migrated program computes what the original did.

    from tfshift.verifycode import verify_code      # also tfshift.verify_code
    report = verify_code("tf1/train.py", "tf2/train.py", tf_a="1.15", tf_b="2.21")
    report.same, report.summary(), report.as_dict(), report.text(), report.write_html("r.html")

ORIGINAL runs under tf_a and MIGRATED under tf_b, each in a scratch copy of its folder with the
probe (probe/) around it; B's variables start from A's initial values; the printed numbers and
the final trainable variables are compared with verify's tolerances. See docs/verify-code.md.
"""

from __future__ import annotations

import importlib

# Imported on first use: the CLI looks this package up for every command (its `cli` module) and
# must not pay for NumPy and the verify machinery when another command runs.
_HOMES = {"SCHEMA": "report", "CodeReport": "report", "CodeSide": "report", "Difference": "report",
          "Match": "report", "VerifyCodeError": "run", "verify_code": "run"}
__all__ = list(_HOMES)


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f"tfshift.verifycode.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
