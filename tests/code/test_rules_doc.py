"""Every rule documents itself, and docs/rules.md is what the rules say today."""

from pathlib import Path

import pytest

from tfshift.code import rules, rules_doc, tf1
from tfshift.code.data import tf2_upgrade
from tfshift.code.process import UNDECODABLE, UNPARSEABLE
from tfshift.rulebook import all_rules as rulebook

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("rule", rules.all_rules(), ids=lambda r: r.id)
def test_rule_is_documented(rule):
    doc = rule.doc
    positions = [doc.find(section) for section in rules_doc.SECTIONS]
    assert all(p >= 0 for p in positions), f"{rule.id} lacks a section"
    assert positions == sorted(positions), f"{rule.id}: sections out of order"
    assert "```" in doc, f"{rule.id}: no example"
    assert rule.summary and rule.family in rules_doc.FAMILIES
    assert rule.fix in ("safe", "unsafe", "none")
    assert rule.severity in ("error", "warning")


def test_ids_and_names_are_unique_and_not_doctors():
    ids = [r.id for r in rules.all_rules()]
    names = [r.name for r in rules.all_rules()]
    assert len(set(ids)) == len(ids) and len(set(names)) == len(names)
    assert not any(i.startswith("TFD") for i in ids)


def test_engine_problems_are_documented_rules():
    ids = {r.id: r.name for r in rules.all_rules()}
    assert ids[UNPARSEABLE[0]] == UNPARSEABLE[1] and ids[UNDECODABLE[0]] == UNDECODABLE[1]


def test_generated_page_is_current():
    assert (ROOT / "docs" / "rules.md").read_text() == rules_doc.render(), (
        "regenerate: python -m tfshift.code.rules_doc > docs/rules.md")


def test_rulebook_lists_every_code_rule():
    listed = {r.id for r in rulebook() if r.family == "code"}
    assert listed == {r.id for r in rules.all_rules()}


# tf_upgrade_v2's hand-written call transformers that no tfshift rule handles by name, and why
# that is right. Each reason is checked below where it can be.
TRANSFORMERS_ELSEWHERE = {
    **{f"tf.image.resize_{m}": "TFU002 keeps TF1's function, tf.compat.v1.image.resize_*: TF2's "
       "tf.image.resize computes other pixels (half-pixel centers, no align_corners)"
       for m in ("area", "bicubic", "bilinear", "nearest_neighbor")},
    **{f"tf.contrib.layers.{f}": "TFC001 moves it to tf_slim, which has TF1's function with TF1's "
       "arguments (tf_upgrade_v2 rewrites it as a Keras regularizer or VarianceScaling)"
       for f in ("l1_regularizer", "l2_regularizer", "variance_scaling_initializer", "xavier_initializer",
                 "xavier_initializer_conv2d")},
    **{f"slim.{f}": "tf_upgrade_v2's name for `from tensorflow.contrib import slim`; tfshift resolves the "
       "import, and TFC001 moves tf.contrib.slim.* to tf_slim"
       for f in ("l1_regularizer", "l2_regularizer", "variance_scaling_initializer", "xavier_initializer",
                 "xavier_initializer_conv2d")},
}


def test_call_rewrites_named_in_the_tables_have_their_rule():
    handled = {name for r in rules.all_rules() for name in r.symbol_handlers}
    handled |= {f"*.{name}" for r in rules.all_rules() for name in r.method_handlers}
    assert handled >= tf1.REWRITTEN_CALLS
    transformers = set(tf2_upgrade()["transformers"])
    missing = sorted(transformers - handled - set(TRANSFORMERS_ELSEWHERE))
    assert not missing, f"tf_upgrade_v2 rewrites these calls and no rule does: {missing}"
    assert set(TRANSFORMERS_ELSEWHERE) <= transformers - handled, "stale exceptions"


def test_transformers_handled_elsewhere_go_where_the_reason_says():
    from tfshift.code import apidb
    from tfshift.code.contrib import slim_renamer

    v1 = tf1.v1_renamer()
    for name, reason in TRANSFORMERS_ELSEWHERE.items():
        if reason.startswith("TFU002"):
            new = v1(name)
            assert new == "tf.compat.v1." + name[3:] and apidb.exists(new, "2.21"), name
        elif name.startswith(("tf.contrib.layers.", "slim.")):
            qual = "tf.contrib." + name if name.startswith("slim.") else name
            assert slim_renamer()(qual) == "tf_slim." + name.rpartition(".")[2], name


def test_version_ranges():
    from tfshift.code.rule import Rule

    rule = Rule("x.some_rule", "TFZ001", "s", breaks_at="2.16", until="2.18", keras3_only=True)
    assert rule.applies("2.15", "2.16") and rule.applies("1.15", "2.18")
    assert not rule.applies("2.16", "2.18")  # written after the break
    assert not rule.applies("2.10", "2.15")  # target before it
    assert not rule.applies("2.10", "2.19")  # past the range
    assert not rule.applies("2.10", "2.17", keras2=True)
    assert rule.versions == ">=2.16,<=2.18 (Keras 3 targets)" and rule.name == "some-rule"
    assert Rule("x.y", "TFZ002", "s", breaks_at=None).applies("2.20", "2.21")


@pytest.mark.parametrize("rule", rules.all_rules(), ids=lambda r: r.id)
def test_documented_examples_are_valid_code(rule):
    """Every ```python block of a rule's documentation parses, and its "Use instead" block uses
    no name that neither it nor its example binds (TFC001's once used `tf` without importing it)."""
    import ast
    import re

    from tests.code.names_check import problems

    blocks = re.findall(r"```python\n(.*?)```", rule.doc, re.S)
    assert blocks, f"{rule.id}: no python example"
    if rule.id == "TFX001":
        blocks = blocks[1:]  # its example is, on purpose, code that does not parse
    for block in blocks:
        ast.parse(block)  # raises SyntaxError naming the line
    if len(blocks) >= 2 and "import " in blocks[0] and "import " in blocks[1]:
        before = {name for kind, name in problems(blocks[0]) if kind == "undefined"}
        after = {name for kind, name in problems(blocks[1]) if kind == "undefined"}
        assert after <= before, f"{rule.id}: 'Use instead' reads {sorted(after - before)} unbound"
