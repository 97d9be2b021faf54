"""The verify-code report: one self-contained HTML page, built from verify's pieces.

The programs and the TensorFlow each ran under, the match table (which of A's variables each of
B's started from), verify's comparison table and plots (a histogram of |a - b| and B against A
for the printed numbers and each variable), and both programs' printed lines side by side.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from tfshift.models.verify.html import (
    NAN_NOTE,
    head,
    output_section,
    outputs_table,
    tolerance_paragraph,
    write_page,
)
from tfshift.verifycode.report import TABLE_HEADERS, CodeReport

PLOTTED_VARIABLES = 40  # beyond these, the page gets heavy; the table has them all
SHOWN_LINES = 400
STYLE = """
pre { margin: 0; font-size: 12px; white-space: pre-wrap; }
td.line { color: #57606a; text-align: right; } tr.differs td { background: #fdecea; }
"""


def write(report: CodeReport, path: str | os.PathLike[str]) -> Path:
    return write_page(render(report), path)


def render(report: CodeReport) -> str:
    e = html.escape
    name_a, name_b = Path(report.a.program).name, Path(report.b.program).name
    parts = [
        *head(f"tfshift verify-code: {name_a} vs {name_b}", "tfshift verify-code", STYLE),
        f'<p class="verdict {"ok" if report.same else "fail"}" id="verdict">{e(report.summary())}</p>',
        _sides(report),
        *(f'<p class="muted">Note: {e(n)}</p>' for n in report.notes),
        "<h2>Weights: where B started</h2>",
        '<p class="muted">Each variable of B started from the initial value of the variable of A '
        "beside it: matched by name (after dropping <code>:0</code>, the model's scope and "
        "TF-Slim's leaf names), else by creation order and shape.</p>",
        _matches(report),
        "<h2>Compared</h2>",
        outputs_table(report.outputs, TABLE_HEADERS),
        tolerance_paragraph(report.outputs),
    ]
    if not report.same:
        parts.append("<ul>" + "".join(f"<li>{e(f)}</li>" for f in report.failures) + "</ul>")
    parts.append(_printed_lines(report))
    for number, result in enumerate(report.outputs[:PLOTTED_VARIABLES + 1]):
        parts.append(output_section(result, number))
    if len(report.outputs) > PLOTTED_VARIABLES + 1:
        parts.append(f'<p class="muted">Plots of the first {PLOTTED_VARIABLES} variables only; '
                     "the table has them all.</p>")
    parts.append(NAN_NOTE)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _sides(report: CodeReport) -> str:
    e = html.escape
    rows = []
    for side in (report.a, report.b):
        rows.append(f"<tr><th>{side.label}</th><td><code>{e(side.program)}</code></td>"
                    f"<td>TF {e(side.tf_version)}, Python {e(side.python)}, {e(side.keras)}</td>"
                    f'<td class="num">{side.seconds:.1f} s</td><td class="num">{len(side.printed.numbers)}</td>'
                    f'<td class="num">{side.variables} ({side.trainable} trainable)</td></tr>')
    top = ("<tr><th></th><th>program</th><th>ran under</th><th>time</th><th>printed numbers</th>"
           "<th>variables</th></tr>")
    args = f"<p><b>Arguments:</b> <code>{e(' '.join(report.args))}</code></p>" if report.args else ""
    return f'<table id="programs">{top}{"".join(rows)}</table>{args}'


def _matches(report: CodeReport) -> str:
    e = html.escape
    top = "".join(f"<th>{e(h)}</th>" for h in report.MATCH_HEADERS)
    body = "".join("<tr>" + "".join(f'<td class="nowrap">{e(c)}</td>' for c in row) + "</tr>"
                   for row in report.match_rows())
    return f'<table id="weights"><thead><tr>{top}</tr></thead><tbody>{body}</tbody></table>'


def _printed_lines(report: CodeReport) -> str:
    """Both programs' stdout lines that carry numbers, side by side; a differing pair marked."""
    e = html.escape
    a, b = report.a.printed, report.b.printed
    lines_a = sorted({n.line for n in a.numbers})
    lines_b = sorted({n.line for n in b.numbers})
    first = report.first_printed.lines if report.first_printed else None
    rows = []
    for index in range(min(SHOWN_LINES, max(len(lines_a), len(lines_b)))):
        la = lines_a[index] if index < len(lines_a) else None
        lb = lines_b[index] if index < len(lines_b) else None
        text_a = a.lines[la - 1] if la else ""
        text_b = b.lines[lb - 1] if lb else ""
        differs = (la, lb) == first or (la is None) != (lb is None)
        rows.append(f'<tr{" class=differs" if differs else ""}><td class="line">{la or ""}</td>'
                    f"<td><pre>{e(text_a)}</pre></td><td class=\"line\">{lb or ''}</td>"
                    f"<td><pre>{e(text_b)}</pre></td></tr>")
    more = max(len(lines_a), len(lines_b)) - SHOWN_LINES
    tail = f'<p class="muted">and {more} more lines</p>' if more > 0 else ""
    return ('<h2>What they printed</h2><table id="printed"><thead><tr><th></th><th>A</th><th></th>'
            f'<th>B</th></tr></thead><tbody>{"".join(rows)}</tbody></table>{tail}')
