"""`tfshift scan`, `tfshift upgrade` and `tfshift rules` through the real command line."""

import json
import os
import stat

import pytest

TF1 = ("import tensorflow as tf\n"
       "x = tf.placeholder(tf.float32, [None, 3])\n"
       "y = tf.contrib.layers.fully_connected(x, 2)\n"
       "with tf.Session() as sess:\n"
       "    print(sess.run(tf.log(y), {x: [[1, 2, 3]]}))\n")


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("TFSHIFT_HOME", str(tmp_path / "home"))
    root = tmp_path / "proj"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "train.py").write_bytes(TF1.replace("\n", "\r\n").encode())
    (root / "pkg" / "clean.py").write_text("import tensorflow as tf\nx = tf.constant(1)\n")
    (root / "pkg" / "py2.py").write_text("print 'hello'\n")
    (root / "data.txt").write_text("not code\n")
    os.chmod(root / "pkg" / "train.py", 0o755)
    return root


def test_scan_text(cli, project):
    done = cli("scan", "proj", "--from", "1.15", "--to", "2.21", cwd=str(project.parent))
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert "proj/pkg/train.py:2:5: TFU002 tf.placeholder is only in TensorFlow 2 as tf.compat.v1.placeholder" in lines
    assert any(line.startswith("proj/pkg/py2.py:1:1: TFX001 ") for line in lines)
    assert lines[-1].startswith("Found ")


def test_scan_text_is_in_line_order(cli, project):
    done = cli("scan", "proj/pkg/train.py", "--from", "1.15", "--to", "2.21", cwd=str(project.parent))
    positions = [tuple(map(int, line.split(":")[1:3])) for line in done.stdout.splitlines()[:-1]]
    assert len(positions) > 3 and positions == sorted(positions)


def test_scan_json_and_sarif(cli, project):
    done = cli("scan", str(project / "pkg" / "train.py"), "--to", "2.21", "--format", "json")
    document = json.loads(done.stdout)
    assert document["schema"] == "scan/1" and "tfshift_version" in document
    ids = {f["id"] for f in document["findings"]}
    assert {"TFU002", "TFU001", "TFC001", "TFG001"} <= ids
    first = document["findings"][0]
    assert set(first) >= {"path", "id", "name", "line", "column", "message", "fix", "severity", "needs"}

    done = cli("scan", str(project / "pkg"), "--to", "2.21", "--format", "sarif")
    sarif = json.loads(done.stdout)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1


def test_scan_clean_code_exits_0(cli, project):
    done = cli("scan", str(project / "pkg" / "clean.py"), "--from", "1.15", "--to", "2.21")
    assert done.returncode == 0 and done.stdout.startswith("No findings")


@pytest.mark.parametrize(("args", "message"), [
    (["scan", "nowhere.py", "--to", "2.21"], "no such file"),
    (["scan", ".", "--to", "3.99"], "not a release tfshift knows"),
    (["scan", "."], "--to VERSION is required"),
    (["scan", ".", "--from", "2.21", "--to", "2.15"], "not older than"),
    (["scan", ".", "--to", "2.21", "--select", "XYZ9"], "no rule matches"),
    (["rules", "TFQ999"], "no rule"),
])
def test_bad_input_is_one_line_and_exit_2(cli, tmp_path, args, message):
    done = cli(*args, cwd=str(tmp_path))
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_upgrade_in_place_keeps_line_endings_and_mode(cli, project):
    train = project / "pkg" / "train.py"
    before = train.read_bytes()
    done = cli("upgrade", str(project), "--from", "1.15", "--to", "2.21")
    assert done.returncode == 1, done.stderr
    after = train.read_bytes()
    assert after != before and b"\r\n" in after and b"\n" not in after.replace(b"\r\n", b"")
    assert b"tf.compat.v1.placeholder" in after and b"tf_slim.layers.fully_connected" in after
    assert stat.S_IMODE(train.stat().st_mode) == 0o755
    assert (project / "pkg" / "py2.py").read_text() == "print 'hello'\n"
    assert "the upgraded code needs:" in done.stdout and "tf-slim" in done.stdout
    assert "Keras 2" in done.stdout
    again = cli("upgrade", str(project), "--from", "1.15", "--to", "2.21", "--check")
    assert "would upgrade 0 of" in again.stdout


def test_diff_and_check_write_nothing(cli, project):
    train = project / "pkg" / "train.py"
    before = train.read_bytes()
    done = cli("upgrade", str(train), "--from", "1.15", "--to", "2.21", "--diff")
    assert done.returncode == 1
    # Like git: `a/tmp/...` for an absolute path, not `a//tmp/...`.
    assert done.stdout.startswith(f"--- a/{train.as_posix().lstrip('/')}\n+++ b/{train.as_posix().lstrip('/')}\n")
    relative = cli("upgrade", "pkg/train.py", "--from", "1.15", "--to", "2.21", "--diff", cwd=str(project))
    assert relative.stdout.startswith("--- a/pkg/train.py\n+++ b/pkg/train.py\n")
    assert "+x = tf.compat.v1.placeholder(tf.float32, [None, 3])" in done.stdout
    assert "would upgrade 1 of 1 file" in done.stderr
    check = cli("upgrade", str(train), "--from", "1.15", "--to", "2.21", "--check")
    assert check.returncode == 1 and "would upgrade 1 of 1 file" in check.stdout
    assert train.read_bytes() == before
    clean = cli("upgrade", str(project / "pkg" / "clean.py"), "--from", "1.15", "--to", "2.21", "--check")
    assert clean.returncode == 0


def test_out_mirrors_the_tree_and_refuses_to_overwrite(cli, project, tmp_path):
    out = tmp_path / "upgraded"
    done = cli("upgrade", str(project), "--from", "1.15", "--to", "2.21", "--out", str(out), "--format", "json")
    report = json.loads(done.stdout)
    assert report["schema"] == "upgrade/1" and report["mode"] == "out"
    assert report["requirements"] == {"packages": ["tf-slim"], "environments": ["keras2"]}
    assert {c["path"] for c in report["changed"]} == {str(project / "pkg" / "train.py")}
    assert (out / "pkg" / "train.py").read_bytes() != (project / "pkg" / "train.py").read_bytes()
    assert (out / "pkg" / "clean.py").read_text() == (project / "pkg" / "clean.py").read_text()
    assert (out / "data.txt").read_text() == "not code\n"
    assert (project / "pkg" / "train.py").read_bytes() == TF1.replace("\n", "\r\n").encode()
    again = cli("upgrade", str(project), "--from", "1.15", "--to", "2.21", "--out", str(out))
    assert again.returncode == 2 and "--force" in again.stderr
    forced = cli("upgrade", str(project), "--from", "1.15", "--to", "2.21", "--out", str(out), "--force")
    assert forced.returncode == 1


def test_options_from_pyproject(cli, project):
    (project / "pyproject.toml").write_text('[tool.tfshift]\nfrom = "1.15"\nto = "2.21"\nignore = ["TFC"]\n')
    done = cli("scan", "pkg/train.py", "--format", "json", cwd=str(project))
    ids = {f["id"] for f in json.loads(done.stdout)["findings"]}
    assert "TFU002" in ids and not any(i.startswith("TFC") for i in ids)


def test_rules_command(cli):
    listing = cli("rules")
    assert listing.returncode == 0 and "TFU001" in listing.stdout and "TFK009" in listing.stdout
    one = cli("rules", "TFG001")
    assert one.returncode == 0
    for section in ("What it does", "Why is this bad?", "Example", "Fix safety", "Versions affected"):
        assert section in one.stdout
    by_name = cli("rules", "dimension-value", "--json")
    assert json.loads(by_name.stdout)["rules"][0]["id"] == "TFG002"


@pytest.mark.parametrize("mode", ["--diff", "--check", "--out", "in-place"])
def test_left_findings_are_where_they_are_in_the_users_file(cli, tmp_path, monkeypatch, mode):
    """`disable_v2_behavior()` is inserted above the finding: with --diff, --check and --out the
    user's file is the original, so its lines are the original's; in place, the upgraded file's."""
    monkeypatch.setenv("TFSHIFT_HOME", str(tmp_path / "home"))
    (tmp_path / "a.py").write_text("import tensorflow as tf\n\nx = tf.placeholder(tf.float32)\n"
                                   "y = tf.contrib.learn.preprocessing.VocabularyProcessor(3)\n")
    args = [] if mode == "in-place" else ["--out", "out"] if mode == "--out" else [mode]
    done = cli("upgrade", "a.py", "--from", "1.15", "--to", "2.21", "--unsafe-fixes", "--json", *args,
               cwd=str(tmp_path))
    left = json.loads(done.stdout)["remaining"]
    assert [(f["id"], f["line"], f["column"]) for f in left] == [("TFC004", 5 if mode == "in-place" else 4, 5)]
    where = tmp_path / "a.py"
    line = where.read_text().splitlines()[left[0]["line"] - 1]
    assert line[left[0]["column"] - 1:].startswith("tf.contrib.learn")
