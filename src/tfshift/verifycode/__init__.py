"""verify-code: prove that a migrated program computes what the original did.

    from tfshift.verifycode import verify_code      # also tfshift.verify_code
    report = verify_code("tf1/train.py", "tf2/train.py", tf_a="1.15", tf_b="2.21")
    report.same, report.summary(), report.as_dict(), report.text(), report.write_html("r.html")

ORIGINAL runs under tf_a and MIGRATED under tf_b, each in a scratch copy of its folder with the
probe (probe/) around it; B's variables start from A's initial values; the printed numbers and
the final trainable variables are compared with verify's tolerances. See docs/verify-code.md.
"""

from tfshift.verifycode.report import SCHEMA, CodeReport, CodeSide, Difference, Match
from tfshift.verifycode.run import VerifyCodeError, verify_code

__all__ = ["SCHEMA", "CodeReport", "CodeSide", "Difference", "Match", "VerifyCodeError", "verify_code"]
