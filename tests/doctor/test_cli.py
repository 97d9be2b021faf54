"""The command line: bad interpreters, the default interpreter, rule documentation, output shape."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from tests.doctor.helpers import make_venv
from tfshift.doctor import rules
from tfshift.doctor.findings import SEVERITIES

ROOT = Path(__file__).resolve().parents[2]


def test_missing_interpreter_is_one_line_exit_2(cli, tmp_path):
    proc = cli("doctor", "--python", str(tmp_path / "nope" / "python"))
    assert proc.returncode == 2
    assert proc.stderr.startswith("tfshift: error: no Python interpreter at ")
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_folder_without_python_is_exit_2(cli, tmp_path):
    proc = cli("doctor", "--python", str(tmp_path))
    assert proc.returncode == 2 and "without bin/python" in proc.stderr


def test_not_a_python_is_exit_2(cli, tmp_path):
    proc = cli("doctor", "--python", "/bin/true")
    assert proc.returncode == 2 and "did not print the probe's snapshot" in proc.stderr


def test_python_2_is_named(cli, tmp_path):
    python2 = Path.home() / ".pyenv" / "versions" / "2.7.18" / "bin" / "python2.7"
    if not python2.exists():
        pytest.skip("no Python 2.7 interpreter here (an optional check)")
    proc = cli("doctor", "--python", str(python2))
    assert proc.returncode == 2
    assert "is Python 2.7.18; tfshift doctor needs Python 3.6 or newer" in proc.stderr


def test_environment_folder_and_active_virtualenv(cli, tmp_path):
    venv = make_venv(tmp_path / "venv")
    proc = cli("doctor", "--python", str(venv), "--json", cwd=str(tmp_path))
    assert json.loads(proc.stdout)["python"]["executable"] == str(venv / "bin" / "python")
    proc = cli("doctor", "--json", cwd=str(tmp_path), env={"VIRTUAL_ENV": str(venv)})
    document = json.loads(proc.stdout)
    assert document["python"]["chosen_by"] == "VIRTUAL_ENV"
    assert document["python"]["executable"] == str(venv / "bin" / "python")


def test_json_document_contract(cli, tmp_path):
    proc = cli("doctor", "--python", sys.executable, "--json", cwd=str(tmp_path))
    document = json.loads(proc.stdout)
    assert list(document)[:2] == ["tfshift_version", "schema"] and document["schema"] == "doctor/1"
    for key in ("python", "packages", "findings", "tensorflow", "summary"):
        assert key in document
    assert document["packages"]["packaging"]
    for item in document["findings"]:
        assert {"id", "severity", "message", "evidence", "fix"} <= set(item)
        assert item["severity"] in SEVERITIES


def test_human_report_groups_by_severity_and_ends_with_fixes(cli, tmp_path):
    venv = make_venv(tmp_path / "venv")
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "tensorflow").mkdir()
    (site / "tensorflow" / "__init__.py").write_text("")
    (site / "broken-1.0.dist-info").mkdir()
    proc = cli("doctor", "--python", str(venv), cwd=str(tmp_path))
    out = proc.stdout
    assert proc.returncode == 1
    assert out.index("error (1)") < out.index("warning (1)") < out.index("info (1)") < out.index("To fix, run:")
    assert "1 error(s), 1 warning(s), 1 info; explain a rule with `tfshift rules TFD203`" in out
    # It ends with the fix commands, errors' first.
    tail = out[out.index("To fix, run:"):].splitlines()[1:]
    assert re.fullmatch(r"  rm -rf .*tensorflow && .* install .*tensorflow", tail[0])
    assert "reinstall" not in tail[0] and len(tail) == 3


def test_list_rules(cli):
    proc = cli("doctor", "--list-rules")
    assert proc.returncode == 0
    listed = re.findall(r"^(TFD\d{3})\s", proc.stdout, re.M)
    assert listed == sorted(d.id for d in rules.rule_docs())


def test_rules_command_documents_a_doctor_rule(cli):
    proc = cli("rules", "TFD301")
    assert proc.returncode == 0
    assert proc.stdout.startswith("TFD301 (numpy-2-with-tf-before-2-18) [doctor]")
    assert "## Why is this bad?" in proc.stdout and "E12" in proc.stdout
    assert cli("rules", "numpy-2-with-tf-before-2-18").stdout == proc.stdout


def test_every_rule_is_documented():
    docs = rules.rule_docs()
    assert len({d.id for d in docs}) == len(docs)
    for doc in docs:
        assert re.fullmatch(r"TFD\d{3}", doc.id), doc.id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", doc.name), doc.name
        assert doc.severity in SEVERITIES and doc.summary and not doc.summary.endswith(".")
        assert doc.body.startswith("## What"), doc.id
    guide = (ROOT / "docs" / "doctor.md").read_text()
    missing = [d.id for d in docs if d.id not in guide]
    assert not missing, f"docs/doctor.md does not mention {missing}"


# What every doctor rule's documentation says, in this order (`tfshift rules ID` prints it).
SECTIONS = (r"## What (it does|it means)", r"## Why (is this bad\?|it matters)", r"## Example", r"## Fix")


def sections(body: str) -> dict[str, str]:
    """Heading -> text under it, for the `## ` headings of a rule's documentation."""
    parts = re.split(r"^(## .+)$", body, flags=re.M)
    return {heading: text.strip() for heading, text in zip(parts[1::2], parts[2::2], strict=True)}


@pytest.mark.parametrize("doc", rules.rule_docs(), ids=lambda d: d.id)
def test_rule_documentation_says_what_why_example_and_fix(doc):
    found = sections(doc.body)
    headings = list(found)
    order = []
    for pattern in SECTIONS:
        matching = [h for h in headings if re.fullmatch(pattern, h)]
        assert len(matching) == 1, f"{doc.id}: needs one '{pattern}' section, has {headings}"
        assert found[matching[0]], f"{doc.id}: '{matching[0]}' is empty"
        order.append(headings.index(matching[0]))
    assert order == sorted(order), f"{doc.id}: sections out of order: {headings}"
    # The example is concrete: the setting, then the report's finding line for this very rule.
    example = found["## Example"]
    blocks = re.findall(r"^```\n(.*?)^```$", example, flags=re.M | re.S)
    assert blocks, f"{doc.id}: the example has no report excerpt (a ``` block)"
    assert not example.startswith("```"), f"{doc.id}: the example does not say which environment gives it"
    assert any(re.search(rf"^  {doc.id} \S", block, flags=re.M) for block in blocks), (
        f"{doc.id}: the example does not show a `{doc.id} ...` finding line")


def test_fix_commands_use_pip_when_the_environment_has_it(cli, tmp_path):
    from tests.doctor.helpers import uv

    plain = make_venv(tmp_path / "plain")
    seeded = tmp_path / "seeded"
    uv("venv", "--quiet", "--seed", "--python", sys.executable, str(seeded))
    fixes = {}
    for venv in (plain, seeded):
        proc = cli("doctor", "--python", str(venv), "--json", cwd=str(tmp_path))
        fixes[venv.name] = json.loads(proc.stdout)["findings"][0]["fix"]  # TFD001: install tensorflow
    assert fixes["seeded"] == f"{seeded / 'bin' / 'python'} -m pip install tensorflow"
    assert " pip install --python " in fixes["plain"] and fixes["plain"].endswith(" tensorflow")


def test_import_timeout_must_be_positive(cli):
    proc = cli("doctor", "--import-check", "--import-timeout", "0")
    assert proc.returncode == 2 and "--import-timeout: 0: must be above 0" in proc.stderr
