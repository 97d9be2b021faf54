"""Before/after helpers for rule tests (in the manner of django-upgrade's tests/fixers/tools.py).

`check(before, after)` upgrades `before` and compares; it also proves that `after` compiles,
that the upgrade left no name undefined or read before it is bound (names_check), and that
upgrading it again changes nothing. `check_noop(src)` proves the rules leave `src` alone.
"""

from __future__ import annotations

from textwrap import dedent

from tests.code import names_check
from tfshift.code import rules
from tfshift.code.engine import Engine, Settings


def engine(source="1.15", target="2.21", *, keras2=False, unsafe=False, select=(), ignore=(),
           source_known=True) -> Engine:
    settings = Settings(source, target, keras2=keras2, unsafe=unsafe, select=tuple(select),
                        ignore=tuple(ignore), source_known=source_known)
    return Engine(settings, rules.active(source, target, keras2, tuple(select), tuple(ignore)))


def upgrade(src: str, **options):
    new, applied, analysis = engine(**options).upgrade_text(dedent(src))
    assert not analysis.internal, analysis.internal
    assert analysis.error is None, analysis.error
    return new, applied, analysis


def check(before: str, after: str, **options) -> None:
    after = dedent(after)
    compile(after, "<after>", "exec", dont_inherit=True)
    new, applied, _ = upgrade(before, **options)
    assert new == after
    assert applied, "nothing was applied"
    assert not names_check.introduced(dedent(before), new), names_check.introduced(dedent(before), new)
    again, more, _ = upgrade(new, **options)
    assert again == new, "a second upgrade changed the code again"
    assert not more


def check_noop(src: str, **options) -> None:
    new, applied, _ = upgrade(src, **options)
    assert new == dedent(src)
    assert not applied


def found(src: str, **options) -> list[tuple[str, int, int, str]]:
    """(id, line, column, applicability) of every finding of a scan."""
    analysis = engine(**options).scan_text(dedent(src))
    assert not analysis.internal, analysis.internal
    return [(f.id, f.line, f.column, f.applicability) for f in analysis.findings]


def messages(src: str, **options) -> list[str]:
    analysis = engine(**options).scan_text(dedent(src))
    assert not analysis.internal, analysis.internal
    return [f"{f.id} {f.message}" for f in analysis.findings]
