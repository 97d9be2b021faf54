"""One file, start to finish: bytes in, a FileResult out (never an exception).

A file that does not decode or parse gets one TFX finding and no output: it is left
byte-identical. A Python file is scanned or upgraded as text; a notebook cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tfshift.code import source
from tfshift.code.rule import Finding

UNPARSEABLE = ("TFX001", "unparseable-file")
UNDECODABLE = ("TFX002", "undecodable-file")
TOO_DEEP = ("TFX003", "too-deeply-nested")


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)  # scan: all; upgrade: what is left
    applied: list[Finding] = field(default_factory=list)  # upgrade: the fixes made
    output: bytes | None = None  # upgrade: the new content, when it differs
    internal: list[str] = field(default_factory=list)  # rule crashes (tfshift bugs)
    lines: int = 0
    summary: dict | None = None  # module-level names for the project pre-pass (project.py)

    @property
    def skipped(self) -> bool:
        return any(f.id in (UNPARSEABLE[0], UNDECODABLE[0], TOO_DEEP[0]) for f in self.findings)


def problem(kind: tuple[str, str], message: str, line: int = 1) -> Finding:
    return Finding(kind[0], kind[1], "error", line, 1, line, 1, message)


def process(path: str, data: bytes, engine, upgrade: bool, project: dict | None = None) -> FileResult:
    """`project`: what the file's imports of the project's own modules bring (see project.py)."""
    result = FileResult(path, lines=data.count(b"\n") + (not data.endswith(b"\n") and bool(data)))
    try:
        if path.endswith(".ipynb"):
            from tfshift.code import notebook

            notebook.process(result, data, engine, upgrade)
        else:
            _process_python(result, data, engine, upgrade, project)
    except (RecursionError, MemoryError):  # deeper than Python's parser (its stack overflow
        # is a MemoryError) or our walk goes: the file's trait, not a bug
        result.findings.append(problem(TOO_DEEP, "nested too deeply for Python's parser or "
                                                 "tfshift's analysis; file left untouched"))
        result.output = None
        result.applied = []
    except Exception as exc:  # a tfshift bug must not take the other files down
        import traceback

        last = traceback.format_exc(limit=-2).strip().splitlines()
        result.internal.append(f"{path}: internal error {type(exc).__name__}: {exc} ({last[-3:]})")
        result.output = None
    return result


def _process_python(result: FileResult, data: bytes, engine, upgrade: bool, project: dict | None) -> None:
    try:
        decoded = source.decode(data)
    except source.UndecodableSource as exc:
        result.findings.append(problem(UNDECODABLE, f"cannot decode: {exc}; file left untouched"))
        return
    text = decoded.text
    if upgrade:
        new, applied, analysis = engine.upgrade_text(text, result.path, decoded.newline, project=project)
        result.applied = applied
        if new != text:
            result.output = source.encode(decoded, new)
    else:
        analysis = engine.scan_text(text, result.path, decoded.newline, project=project)
    result.summary = analysis.summary
    if analysis.error:
        result.findings.append(problem(
            UNPARSEABLE, f"does not parse as Python 3 ({analysis.error}); file left untouched",
            _error_line(analysis.error)))
        return
    result.findings.extend(analysis.findings)
    result.internal.extend(analysis.internal)


def _error_line(message: str) -> int:
    import re

    match = re.search(r"\(line (\d+)\)", message)
    return int(match.group(1)) if match else 1
