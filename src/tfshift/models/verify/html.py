"""The verify report as one self-contained HTML page: no scripts, no external files.

A table of every output, then per output a histogram of |a - b| on a log scale (exact matches in
their own bar, the tolerance marked) and B plotted against A with the difference beside it.
Figures are matplotlib SVG (scatter points rasterised inside the SVG, axes and text as vectors),
inlined. Written atomically: a temporary file renamed into place.
"""

from __future__ import annotations

import html
import io
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tfshift.models.verify.compare import HISTOGRAM_EDGES, OutputResult
from tfshift.models.verify.report import Report, output_rows

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 1100px; padding: 0 1em; color: #1b1f24; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.15em; margin-top: 2em; }
.verdict { font-size: 1.2em; font-weight: 600; padding: .5em .8em; border-radius: 6px; }
.ok { background: #e3f6e8; color: #1a7f37; } .fail { background: #fdecea; color: #b42318; }
table { border-collapse: collapse; margin: .8em 0; }
th, td { border-bottom: 1px solid #d8dee4; padding: .35em .7em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.nowrap, th { white-space: nowrap; }
td.result-ok { color: #1a7f37; font-weight: 600; } td.result-fail { color: #b42318; font-weight: 600; }
.figures { display: flex; flex-wrap: wrap; gap: 1em; } .figures svg { max-width: 100%; height: auto; }
code { background: #f6f8fa; padding: 0 .25em; border-radius: 3px; }
.muted { color: #57606a; }
"""


def write(report: Report, path: str | os.PathLike[str]) -> Path:
    return write_page(render(report), path)


def write_page(page: str, path: str | os.PathLike[str]) -> Path:
    """Write a page atomically: a temporary file renamed into place."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(page)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def render(report: Report) -> str:
    e = html.escape
    verdict_class = "ok" if report.ok else "fail"
    verdict = e(report.summary())
    parts = [
        *head(f"tfshift verify: {Path(report.a.path).name} vs {Path(report.b.path).name}", "tfshift verify"),
        f'<p class="verdict {verdict_class}" id="verdict">{verdict}</p>',
        _sides(report),
        f"<p><b>Inputs:</b> {e(report._inputs_line())}</p>",
        *(f'<p class="muted">Note: {e(n)}</p>' for n in report.notes),
        "<h2>Outputs</h2>",
        outputs_table(report.outputs, report.HEADERS, report.unmatched_a, report.unmatched_b),
        tolerance_paragraph(report.outputs),
    ]
    if not report.ok:
        parts.append("<ul>" + "".join(f"<li>{e(f)}</li>" for f in report.failures) + "</ul>")
    for number, result in enumerate(report.outputs):
        parts.append(output_section(result, number))
    parts.append(NAN_NOTE)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


NAN_NOTE = ('<p class="muted">NaN in A and NaN at the same place in B agree; NaN on one side '
            "only, or different infinities, count as outside tolerance. Errors are measured "
            "where both values are finite; relative error where A is not 0.</p>")


def head(title: str, heading: str, style: str = "") -> list[str]:
    """The page's start, up to its first heading."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{STYLE}{style}</style></head><body>",
        f"<h1>{html.escape(heading)}</h1>",
    ]


def _sides(report: Report) -> str:
    e = html.escape
    rows = []
    for side in (report.a, report.b):
        rows.append(f"<tr><th>{side.label}</th><td><code>{e(side.path)}</code></td>"
                    f"<td>{e(side.description)}</td><td>TF {e(side.tf_version)}, Python "
                    f"{e(side.python)}, {e(side.keras)}</td><td>{e(side.reason).replace('--', '&#8209;&#8209;')}</td>"
                    f"<td><code>{e(side.signature)}</code></td></tr>")
    head = "<tr><th></th><th>model</th><th>format</th><th>ran under</th><th>why</th><th>signature</th></tr>"
    return f'<table id="models">{head}{"".join(rows)}</table>'


def outputs_table(outputs: Sequence[OutputResult], headers: Sequence[str],
                  only_a: Sequence[str] = (), only_b: Sequence[str] = ()) -> str:
    """verify's table: a row per compared output with its verdict, then the unpaired ones."""
    e = html.escape
    top = "".join(f"<th>{e(h)}</th>" for h in (*headers, "verdict"))
    body = []
    numeric = {3, 4, 5}
    unbroken = {1, 2, 6}
    for result, row in zip(outputs, output_rows(outputs), strict=True):
        cells = []
        for index, cell in enumerate(row):
            cls = ' class="num"' if index in numeric else ' class="nowrap"' if index in unbroken else ""
            if index == len(row) - 1:
                cls = f' class="result-{"ok" if result.ok else "fail"}"'
            cells.append(f"<td{cls}>{e(cell)}</td>")
        cells.append(f"<td>{e(result.verdict)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    for name in only_a:
        body.append(f'<tr><td>{e(name)}</td><td colspan="{len(headers)}">only in A</td></tr>')
    for name in only_b:
        body.append(f'<tr><td>{e(name)}</td><td colspan="{len(headers)}">only in B</td></tr>')
    return f'<table id="outputs"><thead><tr>{top}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def tolerance_paragraph(outputs: Sequence[OutputResult]) -> str:
    tolerances = sorted({(o.rtol, o.atol) for o in outputs})
    if not tolerances:
        return ""
    text = ", ".join(f"rtol {r:g}, atol {a:g}" for r, a in tolerances)
    return (f'<p class="muted">Tolerance: {html.escape(text)}; an element agrees when '
            "|a &minus; b| &le; atol + rtol &middot; |a| (A is the reference).</p>")


def output_section(result: OutputResult, number: int) -> str:
    e = html.escape
    title = f"<h2>{e(result.name)} <span class=\"muted\">({e(result.verdict)})</span></h2>"
    figures = []
    if result.finite or result.exact:
        figures.append(_svg(_histogram, result, f"tfshift-h{number}"))
    if result.values_a:
        figures.append(_svg(_scatter, result, f"tfshift-s{number}"))
    if not figures:
        return title + '<p class="muted">No values to plot (compared exactly, or nothing compared).</p>'
    return title + f'<div class="figures">{"".join(figures)}</div>'


def _svg(draw: Any, result: OutputResult, salt: str) -> str:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt, "font.size": 9}):
        fig = Figure(figsize=(5.2, 3.4), layout="constrained")
        draw(fig, result)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # no XML prolog or DOCTYPE inside HTML
    return re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)


def _histogram(fig: Any, result: OutputResult) -> None:
    ax = fig.add_subplot()
    counts = result.histogram
    width = HISTOGRAM_EDGES[1] - HISTOGRAM_EDGES[0]
    centers = np.concatenate([[HISTOGRAM_EDGES[0] - width / 2], HISTOGRAM_EDGES[:-1] + width / 2,
                              [HISTOGRAM_EDGES[-1] + width / 2]])
    nonzero = np.nonzero(counts)[0]
    exact_at = HISTOGRAM_EDGES[0] - 2 * width
    if nonzero.size:
        low = min(centers[nonzero[0]] - 1, np.log10(result.atol) - 1)
        exact_at = min(exact_at, low - width)
        ax.bar(centers, counts, width=width * 0.9, color="#4c78a8", label="|a - b| > 0")
    ax.bar([exact_at], [result.exact], width=width * 0.9, color="#59a14f", label="a == b")
    ax.axvline(np.log10(result.atol), color="#b42318", linestyle="--", linewidth=1,
               label=f"atol {result.atol:g}")
    ticks = [t for t in range(-12, 5, 2) if t > exact_at]
    ax.set_xticks([exact_at, *ticks], ["0", *(f"1e{t}" for t in ticks)])
    ax.set_xlabel("|a - b| (log scale)")
    ax.set_ylabel("elements")
    ax.set_title(f"{result.name}: absolute error")
    ax.legend(frameon=False, fontsize=8)


def _scatter(fig: Any, result: OutputResult) -> None:
    a = np.concatenate(result.values_a)
    b = np.concatenate(result.values_b)
    both = np.isfinite(a) & np.isfinite(b)
    a, b = a[both], b[both]
    left, right = fig.subplots(1, 2)
    left.scatter(a, b, s=4, alpha=0.5, color="#4c78a8", rasterized=True, linewidths=0)
    if a.size:
        low, high = float(min(a.min(), b.min())), float(max(a.max(), b.max()))
        left.plot([low, high], [low, high], color="#b42318", linewidth=0.8)
    left.set_xlabel("A")
    left.set_ylabel("B")
    left.set_title(f"{result.name}: B against A")
    right.scatter(a, b - a, s=4, alpha=0.5, color="#f58518", rasterized=True, linewidths=0)
    right.axhline(0, color="#57606a", linewidth=0.8)
    right.set_xlabel("A")
    right.set_ylabel("B - A")
    right.set_title("difference")
    right.ticklabel_format(axis="y", style="sci", scilimits=(-2, 3))
