"""Every rule the doctor lists is exercised by at least one test under tests/doctor.

A rule counts as tested when its id appears as a string in the body (or the parametrize
decorator) of a `test_*` function of another test module here: an assertion on the findings, an
`only(snap, "TFD301")`, a parametrized case. The documentation tests, which loop over every rule,
do not count.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tfshift.doctor import rules

HERE = Path(__file__).resolve().parent
RULE_ID = re.compile(r"TFD\d{3}")

# Rules no test here produces, each with the reason. Keep this empty unless a rule truly cannot
# be reached on a test machine; a reason is required, and a listed rule that gains a test must
# be removed from here.
UNTESTED: dict[str, str] = {}


def rule_ids_in_tests() -> dict[str, set[str]]:
    """Rule id -> the tests that name it."""
    found: dict[str, set[str]] = {}
    for path in sorted(HERE.glob("test_*.py")):
        if path.name == Path(__file__).name:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or not node.name.startswith("test_"):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                    for rule_id in RULE_ID.findall(inner.value):
                        found.setdefault(rule_id, set()).add(f"{path.name}::{node.name}")
    return found


def test_every_listed_rule_has_a_test():
    listed = {doc.id for doc in rules.rule_docs()}  # what `tfshift doctor --list-rules` prints
    tested = rule_ids_in_tests()
    missing = sorted(listed - set(tested) - set(UNTESTED))
    assert not missing, f"doctor rules without a test under tests/doctor: {missing}"


def test_exceptions_are_current():
    listed = {doc.id for doc in rules.rule_docs()}
    tested = rule_ids_in_tests()
    for rule_id, reason in UNTESTED.items():
        assert rule_id in listed, f"{rule_id} is listed as untested but is no doctor rule"
        assert reason.strip(), f"{rule_id}: say why it cannot be tested"
        assert rule_id not in tested, f"{rule_id} has a test now ({sorted(tested[rule_id])}): remove it from UNTESTED"
    unknown = sorted(set(tested) - listed)
    assert not unknown, f"tests name rules the doctor does not list: {unknown}"
