"""Notebooks, cell by cell.

Each code cell is analysed on its own, knowing the imports of the cells before it. IPython
syntax (`%magic`, `!shell`, `x = !cmd`, `obj?`) is masked with a harmless placeholder before
parsing and put back afterwards; cells run by a `%%` cell magic are left alone. The notebook is
written back with its own JSON layout (indentation, key order, `source` as a list of lines or
one string), so only the changed cells differ.
"""

from __future__ import annotations

import itertools
import json
import re

from tfshift.code import keras
from tfshift.code.process import UNDECODABLE, UNPARSEABLE, FileResult, problem
from tfshift.code.project import KERAS

_MAGIC = re.compile(r"^(?P<head>[ \t]*(?:[\w.,\[\] \t]+=[ \t]*)?)(?P<magic>[!%].*)$")
_HELP = re.compile(r"^(?P<head>[ \t]*[\w.]+)\?{1,2}[ \t]*$")
_SWITCHES = ("disable_v2_behavior(", "disable_eager_execution(")
_MARK = re.compile(r"^[^\r\n]*?0  # tfshift-magic-(\d+)(?=[\r\n]|$)", re.M)


def process(result: FileResult, data: bytes, engine, upgrade: bool) -> None:
    try:
        text = data.decode("utf-8-sig")
        notebook = json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        result.findings.append(problem(UNDECODABLE, f"not a JSON notebook ({exc}); left untouched"))
        return
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list) or not _is_python(notebook):
        return
    prelude: dict = {}
    # Keras anywhere in the notebook is evidence for every cell (project.KERAS).
    evidence = {KERAS: {}} if "keras" in text else None
    codes = ["".join(c.get("source", "")) if isinstance(c.get("source"), list) else str(c.get("source", ""))
             for c in cells if isinstance(c, dict) and c.get("cell_type") == "code"]
    token = keras.NOTEBOOK_CALLS.set(keras.notebook_calls([mask(c)[0] for c in codes]))
    try:
        changed = _cells(result, notebook, cells, engine, upgrade, prelude, evidence)
    finally:
        keras.NOTEBOOK_CALLS.reset(token)
    if changed:
        result.output = dump_like(notebook, text, data.startswith(b"\xef\xbb\xbf"))


def _cells(result, notebook, cells, engine, upgrade, prelude, evidence) -> bool:
    changed = False
    switched = False
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        raw = cell.get("source", "")
        code = "".join(raw) if isinstance(raw, list) else str(raw)
        if code.lstrip().startswith("%%"):
            continue
        masked, originals = mask(code)
        newline = "\n"
        if upgrade:
            new, applied, analysis = engine.upgrade_text(masked, result.path, newline, list(prelude.values()),
                                                     project=evidence)
            result.applied.extend(_in_cell(applied, number))
            if new != masked:
                cell["source"] = _like(raw, unmask(new, originals))
                changed = True
        else:
            analysis = engine.scan_text(masked, result.path, newline, list(prelude.values()), project=evidence)
        if analysis.error:
            result.findings.append(_in_cell([problem(
                UNPARSEABLE, f"cell does not parse as Python 3 ({analysis.error}); cell left untouched")],
                number)[0])
            continue
        if switched:  # an earlier cell switched v1 behaviour on for the whole kernel
            analysis.findings = [f for f in analysis.findings if f.id != "TFG001"]
        result.findings.extend(_in_cell(analysis.findings, number))
        result.internal.extend(analysis.internal)
        final = "".join(cell["source"]) if isinstance(cell.get("source"), list) else str(cell.get("source", ""))
        switched = switched or any(word in final for word in _SWITCHES)
        for binding in getattr(analysis, "module_bindings", {}).values():
            prelude.setdefault(binding.name, binding)
    return changed


def _is_python(notebook: dict) -> bool:
    meta = notebook.get("metadata") or {}
    language = ((meta.get("kernelspec") or {}).get("language")
                or (meta.get("language_info") or {}).get("name") or "python")
    return str(language).lower() == "python"


def _in_cell(findings, number):
    for finding in findings:
        finding.cell = number
    return findings


def mask(code: str) -> tuple[str, list[str]]:
    """Replace IPython-only lines with `0  # tfshift-magic-N` (same indentation)."""
    lines = code.splitlines(keepends=True)
    originals: list[str] = []
    out = []
    continued = False
    indent = ""
    for line in lines:
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        match = None if continued else (_MAGIC.match(body) or _HELP.match(body))
        if continued or match:
            if match:  # a continuation line keeps the indentation of the line it continues
                indent = body[: len(body) - len(body.lstrip(" \t"))]
                if match.re is _MAGIC and match.group("head").strip():
                    indent = match.group("head")  # `x = !ls` keeps its assignment
            out.append(f"{indent}0  # tfshift-magic-{len(originals)}{ending}")
            originals.append(body)
            continued = body.endswith("\\")
        else:
            out.append(line)
    return "".join(out), originals


def unmask(code: str, originals: list[str]) -> str:
    if not originals:
        return code
    return _MARK.sub(lambda m: originals[int(m.group(1))], code)


def _like(raw, code: str):
    """The cell source in the form it came in: a list of lines, or one string."""
    if isinstance(raw, list):
        return code.splitlines(keepends=True)
    return code


def dump_like(notebook: dict, original: str, bom: bool) -> bytes:
    """Serialise in the original's layout (nbformat's is indent=1, sorted keys, no escapes)."""
    trailing = "\n" if original.endswith("\n") else ""
    reference = json.loads(original)
    layouts = itertools.product((1, 2, 4, None), (True, False), (False, True))
    indent, sort_keys, ascii_only = next(
        (layout for layout in layouts
         if json.dumps(reference, indent=layout[0], sort_keys=layout[1], ensure_ascii=layout[2])
         + trailing == original),
        (1, True, False))
    text = json.dumps(notebook, indent=indent, sort_keys=sort_keys, ensure_ascii=ascii_only) + trailing
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
