"""Helpers for the native tests: convert a text as `upgrade --native` would."""

from __future__ import annotations

import textwrap

from tfshift.native.driver import convert_text


def native(text: str, major: int = 1) -> str:
    """The native text; fails when the file cannot go native or a second run changes it."""
    text = textwrap.dedent(text)
    result = convert_text(text, "<test>", major)
    assert not result.cannot, [(s.line, s.cannot) for s in result.cannot]
    again = convert_text(result.text, "<test>", major)
    assert again.text == result.text and not again.cannot, f"second run changed:\n{again.text}"
    return result.text


def cannot(text: str, major: int = 1) -> list[str]:
    result = convert_text(textwrap.dedent(text), "<test>", major)
    return [s.cannot for s in result.cannot]


def check(before: str, after: str, major: int = 1) -> None:
    assert native(before, major) == textwrap.dedent(after)
