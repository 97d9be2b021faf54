"""tf_upgrade_v2's own test suite, replayed as a test of tfshift (see tf_upgrade_v2_suite.py).

Every case is the same as tf_upgrade_v2's expectation, better (with a written verdict), or
reported for a person; none is wrong, and no valid TF 1.15 input that tf_upgrade_v2 changes or
reports is left silently as it was.
"""

from collections import Counter

import pytest

from tests.code import tf_upgrade_v2_suite as suite

DOC = suite.load()
CASES = DOC["cases"]
VERDICTS = {"same", "better", "reported", "invalid", "option"}


def _id(case):
    return f"{case['test']}:{case['before'][:40]}"


def test_the_whole_suite_is_there():
    counts = Counter(c["verdict"] for c in CASES)
    assert set(counts) <= VERDICTS, counts
    assert len(CASES) == 530 and len({c["test"] for c in CASES}) >= 120
    assert counts["same"] + counts["better"] + counts["reported"] >= 510, counts
    print("tf_upgrade_v2 suite:", dict(counts))


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_case(case):
    ours, applied, left = suite.replay(case["before"])
    verdict = case["verdict"]
    if verdict == "same":
        if case["kind"] == "contains":
            assert all(part in ours for part in case["expected"]), ours
        else:
            assert ours == case["expected"]
        return
    assert ours == case["ours"], "behaviour changed: give this case a new verdict"
    if verdict in ("better", "invalid", "option"):
        assert case["why"].strip()
    if verdict == "reported":
        assert left, "reported cases leave a finding for a person"
    if verdict == "better" and case["kind"] == "reported":
        # tf_upgrade_v2 only reports these: tfshift must fix or report them itself.
        assert ours != case["before"] or left or applied or "no change needed" in case["why"]


@pytest.mark.parametrize("case", [c for c in CASES if c["verdict"] not in ("same", "invalid", "option")],
                         ids=_id)
def test_no_silent_miss(case):
    """A valid TF 1.15 input that tf_upgrade_v2 changes is changed or reported by tfshift too,
    unless the verdict says why no change is needed."""
    ours, applied, left = suite.replay(case["before"])
    expected_change = case["kind"] == "reported" or case["expected"] != case["before"]
    if expected_change and ours == case["before"] and not left and not applied:
        assert any(word in case["why"] for word in ("no change needed", "bind to the same",
                                                    "still exists in TF2", "the import becomes")), case
