"""One source text in, findings and fixed text out.

`scan_text` parses once and runs the active rules. `upgrade_text` applies the fixes that do not
overlap, re-parses and repeats until nothing more applies, so a second upgrade of its output
changes nothing. Fixed text that would not parse is never returned: the fix that broke it is
dropped and reported as an internal error instead.
"""

from __future__ import annotations

import ast
import bisect
import itertools
import re
import warnings
from dataclasses import dataclass, field, replace

from tfshift.code import source
from tfshift.code.context import Context
from tfshift.code.imports import insertion_edits
from tfshift.code.project import summarize
from tfshift.code.rule import UNSAFE, Edit, Finding, Fix, ImportRequest
from tfshift.code.settings import Settings
from tfshift.code.visit import Dispatch, Walker

MAX_ROUNDS = 8
_IGNORE = re.compile(r"#\s*tfshift:\s*ignore(?:\[(?P<ids>[^\]]*)\])?", re.IGNORECASE)


@dataclass
class Analysis:
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None  # why the text could not be analysed (syntax error)
    internal: list[str] = field(default_factory=list)  # rules that crashed, with where
    tree: ast.Module | None = None
    newline: str = "\n"
    module_bindings: dict = field(default_factory=dict)  # for the next notebook cell
    # upgrade: findings of earlier rounds that a fix elsewhere made undetectable (in findings too)
    carried: list[Finding] = field(default_factory=list)
    summary: dict | None = None  # what other modules of the project take from it (project.py)


class Engine:
    """The active rules for one set of settings, ready to run on many texts."""

    def __init__(self, settings: Settings, rules) -> None:
        self.settings = settings
        self.rules = list(rules)
        self.dispatch = Dispatch(self.rules)

    def scan_text(self, text: str, path: str = "<string>", newline: str | None = None,
                  prelude: list | None = None, project: dict | None = None,
                  produced: list[tuple[int, int]] | None = None) -> Analysis:
        """Findings in `text`. `prelude`: bindings of earlier notebook cells; `project`: the
        names the file's imports of project modules bring (project.Project.received). Without
        `project`, the analysis also carries the file's summary for the project's pre-pass.
        `produced`: spans of `text` that earlier upgrade rounds wrote (Context.produced)."""
        analysis = Analysis()
        newline = newline or source.first_newline(text)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escape sequences are the user's business
                tree = ast.parse(text, filename=path)
        except (SyntaxError, ValueError) as exc:
            analysis.error = _syntax_message(exc)
            return analysis
        analysis.tree, analysis.newline = tree, newline
        ctx = Context(text, path, self.settings, newline, tree)
        walker = Walker(tree, text, self.dispatch, ctx, project, prelude)
        if prelude:
            for binding in prelude:
                walker.bindings.module.setdefault(binding.name, binding)
            ctx.prelude = {id(binding) for binding in prelude}
        ctx.bindings = walker.bindings
        ctx.project = project or {}
        ctx.produced = produced or []
        ctx.dispatch = self.dispatch
        analysis.module_bindings = walker.bindings.module
        if project is None:
            analysis.summary = summarize(tree, walker.entries, walker.bindings.module, text)
        ctx.statements = walker.entries
        walker.run(ctx.starts)
        analysis.findings = sorted(_unsuppressed(ctx.findings, text, ctx.starts), key=_position)
        analysis.internal = ctx.errors
        return analysis

    def upgrade_text(self, text: str, path: str = "<string>", newline: str | None = None,
                     prelude: list | None = None, project: dict | None = None
                     ) -> tuple[str, list[Finding], Analysis]:
        """(fixed text, fixes applied, analysis of the fixed text: what is left).

        What is left includes findings of earlier rounds that a fix made undetectable (a
        contrib module renamed to tf_slim still lacks the member used through it), moved to
        where they are in the fixed text.
        """
        applied: list[Finding] = []
        internal: list[str] = []
        carried: list[Finding] = []
        rejected: set[tuple] = set()  # fixes whose result did not parse: never tried again
        history: list[tuple[list[Edit], list[int]]] = []  # each round's edits and the text's line starts
        produced: list[tuple[int, int]] = []  # spans of the current text that fixes wrote
        newline = newline or source.first_newline(text)
        analysis = self.scan_text(text, path, newline, prelude, project)
        summary = analysis.summary
        for _ in range(MAX_ROUNDS):
            if analysis.error:
                break
            candidates = [f for f in analysis.findings if _key(f) not in rejected]
            chosen, edits = self._choose(candidates, text, analysis)
            if not chosen:
                break
            fixed = _splice(text, edits)
            # The next round's parse is the check that the fixes left valid Python.
            written = _written(produced, edits)
            following = self.scan_text(fixed, path, newline, prelude, project, written)
            if following.error:
                chosen, fixed = self._without_broken(text, chosen, analysis, internal, rejected)
                if not chosen:
                    break
                edits = self._choose(chosen, text, analysis)[1]
                written = _written(produced, edits)
                following = self.scan_text(fixed, path, newline, prelude, project, written)
            produced = written
            applied.extend(chosen)
            leftovers = [f for f in (*analysis.findings, *carried) if f not in chosen]
            old_starts = source.line_starts(text)
            history.append((edits, old_starts))
            text, analysis = fixed, following
            carried = _carry(leftovers, edits, old_starts, source.line_starts(text), analysis.findings)
        else:
            internal.append(f"{path}: fixes did not settle after {MAX_ROUNDS} rounds")
        analysis.findings = sorted([*analysis.findings, *carried], key=_position)
        if history:
            _set_origins(analysis.findings, history, source.line_starts(text))
        analysis.carried = carried
        analysis.summary = summary  # the file as it was: what the project's pre-pass saw
        analysis.internal = internal + analysis.internal
        return text, applied, analysis

    def _choose(self, findings: list[Finding], text: str, analysis: Analysis):
        """The fixes to apply together: allowed, and not overlapping an earlier one."""
        taken: list[Edit] = []
        chosen: list[Finding] = []
        imports: list[ImportRequest] = []
        for finding in sorted(findings, key=_first_edit):
            fix = finding.fix
            if fix is None or (fix.applicability == UNSAFE and not self.settings.unsafe):
                continue
            if _self_overlapping(fix):
                analysis.internal.append(f"{finding.id} at line {finding.line}: its fix overlaps itself")
                continue
            if any(_overlaps(edit, other) for edit in fix.edits for other in taken):
                continue  # applied in a later round, on the text this round produces
            taken.extend(e for e in fix.edits if e not in taken)
            imports.extend(i for i in fix.imports if i not in imports)
            chosen.append(finding)
        if imports:
            # First in the list: an insertion at the same place as a fix's goes above it.
            taken[:0] = insertion_edits(imports, text, analysis.tree, analysis.newline)
        return chosen, taken

    def _without_broken(self, text, chosen, analysis, internal, rejected):
        """The chosen fixes minus those whose result does not parse on its own (tfshift bugs,
        reported as internal errors and never tried again)."""
        good = []
        for finding in chosen:
            _, edits = self._choose([finding], text, analysis)
            if _parses(_splice(text, edits)):
                good.append(finding)
            else:
                rejected.add(_key(finding))
                internal.append(f"{finding.id} at line {finding.line}: its fix does not parse; not applied")
        for group in (good, good[:1]):
            if group:
                fixed = _splice(text, self._choose(group, text, analysis)[1])
                if _parses(fixed):
                    return group, fixed
        return [], text


def _carry(leftovers, edits, old_starts, new_starts, found) -> list[Finding]:
    """Unfixed findings the new round did not find again, at their new positions.

    Only findings whose text no fix touched: where a fix replaced, removed or inserted into
    what a finding pointed at, the new round's scan of that text is the truth (a TFU001 on
    `tf.keras.optimizers.Adam` that TFK008 turned into `keras.optimizers.Adam` is gone). What
    is carried is what a fix elsewhere made undetectable (a member used through a tf.contrib
    module renamed to tf_slim).
    """
    ordered = sorted(dict.fromkeys(edits), key=lambda e: (e.start, e.end))
    present = {(f.id, f.line, f.column) for f in found}

    ends = [edit.end for edit in ordered]  # non-decreasing: the chosen edits do not overlap

    def touched(finding: Finding) -> bool:
        start = old_starts[finding.line - 1] + finding.column - 1
        end = old_starts[finding.end_line - 1] + finding.end_column - 1
        for edit in itertools.islice(ordered, bisect.bisect_left(ends, start), None):
            if edit.start > end:
                break
            if edit.start == edit.end:  # an insertion: only inside the text changes it
                if start < edit.start < end:
                    return True
            elif edit.start < max(end, start + 1) and start < edit.end:
                return True
        return False

    def moved(line: int, column: int) -> tuple[int, int]:
        offset = old_starts[line - 1] + column - 1
        shift = 0
        for edit in ordered:
            if edit.end <= offset:  # before it (an insertion right at it pushes it too)
                shift += len(edit.text) - (edit.end - edit.start)
            elif edit.start < offset:  # it was inside replaced text: keep the replacement's start
                offset = edit.start
                break
            else:
                break
        new = offset + shift
        index = bisect.bisect_right(new_starts, new)
        return index, new - new_starts[index - 1] + 1

    carried = []
    for finding in leftovers:
        if touched(finding):
            continue
        line, column = moved(finding.line, finding.column)
        if (finding.id, line, column) in present:
            continue
        end_line, end_column = moved(finding.end_line, finding.end_column)
        fix = finding.fix and Fix((), finding.fix.applicability, finding.fix.description)
        carried.append(replace(finding, line=line, column=column, end_line=end_line,
                               end_column=end_column, fix=fix))
    return carried


def _set_origins(findings: list[Finding], history, final_starts: list[int]) -> None:
    """Give each finding its position in the text before the first round (Finding.origin).

    Text a fix inserted has no position before it: it maps to where the insertion was made."""
    for finding in findings:
        ends = []
        for line, column in ((finding.line, finding.column), (finding.end_line, finding.end_column)):
            starts = final_starts
            offset = starts[min(line, len(starts)) - 1] + column - 1
            for edits, old_starts in reversed(history):
                offset = _back(offset, edits)
                starts = old_starts
            index = bisect.bisect_right(starts, offset)
            ends.append((index, offset - starts[index - 1] + 1))
        (line, column), (end_line, end_column) = ends
        finding.origin = (line, column, max(line, end_line), end_column if end_line >= line else column)


def _written(produced: list[tuple[int, int]], edits: list[Edit]) -> list[tuple[int, int]]:
    """The spans fixes wrote, in the text after `edits`: the earlier ones moved, and the new."""
    ordered = sorted(dict.fromkeys(edits), key=lambda e: (e.start, e.end))

    def forward(offset: int) -> int:
        shift = 0
        for edit in ordered:
            if edit.end <= offset and not (edit.start == edit.end == offset):
                shift += len(edit.text) - (edit.end - edit.start)
            elif edit.start < offset:
                return edit.start + shift  # inside replaced text
            else:
                break
        return offset + shift

    spans = [(forward(start), forward(end)) for start, end in produced]
    shift = 0
    for edit in ordered:
        if edit.text:
            spans.append((edit.start + shift, edit.start + shift + len(edit.text)))
        shift += len(edit.text) - (edit.end - edit.start)
    return [span for span in spans if span[0] < span[1]]


def _back(offset: int, edits: list[Edit]) -> int:
    """An offset in the text after `edits` -> the offset in the text before them."""
    shift = 0
    for edit in sorted(dict.fromkeys(edits), key=lambda e: (e.start, e.end)):
        start = edit.start + shift
        if offset < start:
            break
        if offset < start + len(edit.text):
            return edit.start  # inside what the edit wrote
        shift += len(edit.text) - (edit.end - edit.start)
    return offset - shift


def _position(finding: Finding) -> tuple[int, int]:
    return finding.line, finding.column


def _key(finding: Finding) -> tuple:
    return finding.id, finding.line, finding.column


def _self_overlapping(fix: Fix) -> bool:
    edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
    return any(a.end > b.start for a, b in itertools.pairwise(edits))


def _first_edit(finding: Finding) -> tuple[int, int]:
    if finding.fix and finding.fix.edits:
        first = min(finding.fix.edits, key=lambda e: (e.start, e.end))
        return first.start, first.end
    return (1 << 62, 0)


def _overlaps(a: Edit, b: Edit) -> bool:
    if a == b:
        return False
    if a.start == a.end == b.start == b.end:
        return True  # two different insertions at one place: order would be arbitrary
    return a.start < b.end and b.start < a.end


def _splice(text: str, edits: list[Edit]) -> str:
    """Apply edits; insertions at one place keep the order they were chosen in."""
    out = []
    position = 0
    for edit in sorted(dict.fromkeys(edits), key=lambda e: (e.start, e.end)):
        out.append(text[position:edit.start])
        out.append(edit.text)
        position = max(position, edit.end)
    out.append(text[position:])
    return "".join(out)


def _parses(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _syntax_message(exc: Exception) -> str:
    if isinstance(exc, SyntaxError):
        where = f" (line {exc.lineno})" if exc.lineno else ""
        return f"{exc.msg}{where}"
    return str(exc)


def _unsuppressed(findings: list[Finding], text: str, starts: list[int]) -> list[Finding]:
    if "tfshift" not in text:
        return findings
    kept = []
    for finding in findings:
        if not _suppressed(finding, text, starts):
            kept.append(finding)
    return kept


def _suppressed(finding: Finding, text: str, starts: list[int]) -> bool:
    for line in {finding.line, finding.end_line}:
        begin = starts[line - 1]
        end = starts[line] if line < len(starts) else len(text)
        match = _IGNORE.search(text, begin, end)
        if match:
            ids = match.group("ids")
            if ids is None:
                return True
            wanted = {part.strip().upper() for part in ids.split(",")}
            if finding.id.upper() in wanted or finding.name.upper() in wanted:
                return True
    return False
