"""The verify-code report in headless Chromium: self-contained, no console errors or requests, and
the match table, the comparison and the printed lines are there."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.models.headless import Chromium, find_chromium
from tests.verify_code.test_verify_code import TF1, TF2

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    from tfshift.verifycode import verify_code

    folder = tmp_path_factory.mktemp("slip") / "tf2_mlp"
    shutil.copytree(TF2.parent, folder)
    program = folder / "train.py"
    program.write_text(program.read_text().replace("rate=1 - keep_prob", "rate=keep_prob"))
    report = verify_code(TF1, program, tf_a="1.15", tf_b="2.21", args=("--steps", "3"))
    path = folder.parent / "report.html"
    report.write_html(path)
    return report, path


def test_the_report_is_one_self_contained_page(report_page):
    report, path = report_page
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert not re.search(r"""(src|href)=["'](?!data:|#)""", page), "a reference to another file"
    assert page.count("<svg") == 2 * len(report.outputs)  # a histogram and a scatter per row
    assert "DIFFERENT: printed numbers: first at stdout line 1" in page and not report.same
    assert 'id="weights"' in page and 'id="printed"' in page and "class=differs" in page


def test_the_report_loads_in_chromium(report_page):
    binary = find_chromium()
    if binary is None:
        from tests.conftest import need

        need("Chromium is not installed (apt-get install -y chromium)")
    _, path = report_page
    with Chromium(binary, width=1200, height=1400) as browser:
        load = browser.open(path)
        assert load.errors == []
        assert [r for r in load.requests if not r.startswith("data:")] == [path.resolve().as_uri()]
        weights = browser.evaluate(
            "[...document.querySelectorAll('#weights tbody tr')].map(r => [...r.cells].map(c => c.innerText))")
        assert ["fully_connected/weights", "dense/kernel", "[8, 16]", "order"] in weights
        results = browser.evaluate(
            "[...document.querySelectorAll('#outputs tbody tr')].map(r => r.cells[7].innerText)")
        assert results == ["FAIL"] * 5
        png = browser.screenshot()
        (path.parent / "report.png").write_bytes(png)
