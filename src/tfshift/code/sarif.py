"""`tfshift scan --format sarif`: SARIF 2.1.0 that code-scanning services display correctly.

Levels follow each finding's severity (`error`, `warning`, and `note` for findings that change
nothing at run time). A notebook finding is placed where a viewer can open it: the line and
column of the `.ipynb` file that holds that character of the cell's source (the `source` list
keeps one JSON string per line, so the region lands on the line itself); the cell number stays
in the result's properties. No `helpUri`: the rule's whole documentation travels in `help`.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import tfshift
from tfshift.code.process import UNDECODABLE, UNPARSEABLE

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def document(results, settings, rules) -> dict:
    pairs = [(r.path, f) for r in results for f in r.findings]
    used = sorted({f.id for _, f in pairs})
    by_id = {r.id: r for r in rules}
    descriptors = []
    for rule_id in used:
        rule = by_id.get(rule_id)
        name = rule.name if rule else dict((UNPARSEABLE, UNDECODABLE)).get(rule_id, rule_id)
        summary = rule.summary if rule else "file left untouched"
        descriptor = {"id": rule_id, "name": name, "shortDescription": {"text": summary}}
        if rule:
            descriptor["fullDescription"] = {"text": summary}
            descriptor["help"] = {"text": rule.doc, "markdown": rule.doc}
            descriptor["defaultConfiguration"] = {"level": LEVELS.get(rule.severity, "warning")}
            descriptor["properties"] = {"fix": rule.fix, "versions": rule.versions}
        descriptors.append(descriptor)
    index = {rule_id: n for n, rule_id in enumerate(used)}
    maps: dict[str, NotebookMap | None] = {}
    sarif_results = []
    for path, finding in pairs:
        region = {"startLine": finding.line, "startColumn": finding.column,
                  "endLine": finding.end_line, "endColumn": finding.end_column}
        properties = {"fix": finding.applicability, "needs": list(finding.needs)}
        if finding.cell is not None:
            if path not in maps:
                maps[path] = NotebookMap.read(path)
            mapped = maps[path] and maps[path].region(finding)
            properties.update(cell=finding.cell, cellLine=finding.line, cellColumn=finding.column)
            region = mapped or {"startLine": 1}
        sarif_results.append({
            "ruleId": finding.id, "ruleIndex": index[finding.id],
            "level": LEVELS.get(finding.severity, "warning"),
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": Path(path).as_posix()}, "region": region}}],
            "properties": properties,
        })
    return {
        "$schema": SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "tfshift", "version": tfshift.__version__,
                                "rules": descriptors}},
            "columnKind": "unicodeCodePoints",
            "properties": {"from": settings.source, "to": settings.target},
            "results": sarif_results,
        }],
    }


def write(results, settings, rules, out=None) -> None:
    (out or sys.stdout).write(json.dumps(document(results, settings, rules), indent=2) + "\n")


# -- Notebook positions -------------------------------------------------------------------------

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)


class NotebookMap:
    """Where each cell's source strings sit in the notebook's text."""

    def __init__(self, text: str, sources: dict[int, list[int]]) -> None:
        self.text = text
        self.sources = sources  # cell number (1-based, every cell) -> offsets of its strings
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    @classmethod
    def read(cls, path: str) -> NotebookMap | None:
        try:
            text = Path(path).read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None
        try:
            return cls(text, _source_strings(text))
        except (IndexError, ValueError):
            return None

    def region(self, finding) -> dict | None:
        start = self._offset(finding.cell, finding.line, finding.column)
        end = self._offset(finding.cell, finding.end_line, finding.end_column)
        if start is None:
            return None
        region = dict(zip(("startLine", "startColumn"), self._position(start), strict=True))
        if end is not None and end >= start:
            region.update(zip(("endLine", "endColumn"), self._position(end), strict=True))
        return region

    def _position(self, offset: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def _offset(self, cell: int, line: int, column: int) -> int | None:
        """The text offset of (line, column) of the cell's source (both 1-based)."""
        want_line, want_col, here_line, here_col = line, column - 1, 1, 0
        for start in self.sources.get(cell, ()):
            for raw, char in _characters(self.text, start):
                if (here_line, here_col) == (want_line, want_col):
                    return raw
                if char == "\n":
                    here_line, here_col = here_line + 1, 0
                else:
                    here_col += 1
        return None


def _characters(text: str, start: int):
    """(offset in text, decoded character) for the JSON string whose quote is at `start`."""
    index = start + 1
    while text[index] != '"':
        if text[index] == "\\":
            code = text[index + 1]
            if code == "u":
                yield index, chr(int(text[index + 2:index + 6], 16))
                index += 6
            else:
                yield index, {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}.get(code, code)
                index += 2
        else:
            yield index, text[index]
            index += 1
    yield index, ""  # the position just after the last character


def _source_strings(text: str) -> dict[int, list[int]]:
    """Offsets of the JSON strings making up each cell's `source`, by 1-based cell number."""
    found: dict[int, list[int]] = {}
    # The stack holds, per open container, the key being read (objects) or the item index (lists).
    stack: list[list] = []
    expect_key = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "{[":
            stack.append(["{" if token == "{" else "[", None if token == "{" else 0])
            expect_key = token == "{"
            continue
        if token in "}]":
            stack.pop()
            expect_key = False
            continue
        if token == ":":
            expect_key = False
            continue
        if token == ",":
            if stack and stack[-1][0] == "[":
                stack[-1][1] += 1
            else:
                expect_key = True
            continue
        if expect_key:
            stack[-1][1] = json.loads(token)
            continue
        # A value: is it (part of) a cell's source?
        keys = [entry[1] for entry in stack]
        in_source = len(keys) == 3 or (len(keys) == 4 and stack[3][0] == "[")
        if (in_source and keys[0] == "cells" and keys[2] == "source"
                and token.startswith('"')):
            found.setdefault(keys[1] + 1, []).append(match.start())
    return found
