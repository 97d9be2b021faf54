"""`upgrade --native` / `scan --native` on the command line: programs as units, the report,
bad input, files left alone, a second run."""

from __future__ import annotations

import json

import pytest

from tests.conftest import tfshift_cli

GRAPH = ("import tensorflow as tf\nx = tf.placeholder(tf.float32)\ny = x * 2.0\ns = tf.Session()\n"
         "print(s.run(y, {x: 3.0}))\n")
BLOCKED = "import tensorflow as tf\nfrom helpers import scale\ng = tf.get_default_graph()\n"
HELPERS = "import tensorflow.compat.v1 as tf\n\ndef scale(x):\n    return tf.log(x)\n"


def _upgrade(*args):
    return tfshift_cli("upgrade", *args, "--native", "--from", "1.15", "--to", "2.21", "--no-cache")


def test_a_program_goes_native_or_compat_as_a_whole(tmp_path):
    (tmp_path / "alone.py").write_text(GRAPH)
    (tmp_path / "main.py").write_text(BLOCKED)
    (tmp_path / "helpers.py").write_text(HELPERS)
    done = _upgrade(str(tmp_path), "--format", "json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert [n["path"] for n in report["native"]] == [str(tmp_path / "alone.py")]
    [group] = report["compat"]
    assert sorted(group["files"]) == [str(tmp_path / "helpers.py"), str(tmp_path / "main.py")]
    [reason] = group["reasons"]
    assert reason["line"] == 3 and reason["cannot"] == "no native rewrite for tf.get_default_graph yet"
    assert "Session" not in (tmp_path / "alone.py").read_text()
    # helpers.py could go native alone, but main.py imports it: both got the compat upgrade
    assert (tmp_path / "helpers.py").read_text() == HELPERS  # compat already: nothing to fix
    assert "tf.compat.v1.get_default_graph" in (tmp_path / "main.py").read_text()


def test_text_report_names_files_and_reasons(tmp_path):
    (tmp_path / "main.py").write_text(BLOCKED)
    (tmp_path / "helpers.py").write_text(HELPERS)
    done = tfshift_cli("scan", str(tmp_path), "--native", "--from", "1.15", "--to", "2.21")
    assert done.returncode == 1
    assert "would stay on the compat upgrade" in done.stdout
    assert "main.py:3:5: cannot go native: no native rewrite for tf.get_default_graph yet" in done.stdout
    assert (tmp_path / "main.py").read_text() == BLOCKED  # scan writes nothing


def test_second_run_changes_nothing_and_keeps_bytes(tmp_path):
    program = tmp_path / "p.py"
    program.write_bytes(b"\xef\xbb\xbf# caf\xc3\xa9\r\n" + GRAPH.replace("\n", "\r\n").encode())
    program.chmod(0o755)
    assert _upgrade(str(program)).returncode == 1
    first = program.read_bytes()
    assert first.startswith(b"\xef\xbb\xbf# caf\xc3\xa9\r\n") and b"\r\n" in first and b"\n" not in first.replace(b"\r\n", b"")
    assert program.stat().st_mode & 0o777 == 0o755
    again = _upgrade(str(program))
    assert again.returncode == 0, again.stdout + again.stderr
    assert program.read_bytes() == first


def test_unparseable_files_stay_byte_identical(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_bytes(b"import tensorflow as tf\nx = (\n")
    done = _upgrade(str(tmp_path))
    assert bad.read_bytes() == b"import tensorflow as tf\nx = (\n"
    assert "does not parse" in done.stdout


@pytest.mark.parametrize(("extra", "message"), [
    (["--keras2"], "--native writes Keras 3 code; it cannot go with --keras2"),
])
def test_bad_options(tmp_path, extra, message):
    (tmp_path / "p.py").write_text(GRAPH)
    done = _upgrade(str(tmp_path), *extra)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_old_target_is_refused(tmp_path):
    (tmp_path / "p.py").write_text(GRAPH)
    done = tfshift_cli("upgrade", str(tmp_path), "--native", "--from", "1.15", "--to", "2.15")
    assert done.returncode == 2
    assert "--native needs --to 2.16 or later (Keras 3); got --to 2.15" in done.stderr
    assert (tmp_path / "p.py").read_text() == GRAPH


def test_missing_path(tmp_path):
    done = _upgrade(str(tmp_path / "nope"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.count("\n") == 1


def test_sharing_by_name_across_files_is_reported(tmp_path):
    # model.py shares by TF1 name (reuse) what ops.py makes: per-file registries cannot carry
    # it, so the program stays compat; ops.py alone (no sharing anywhere) goes native.
    (tmp_path / "ops.py").write_text("import tensorflow as tf\n\ndef linear(x, n, name):\n"
                                     "    with tf.variable_scope(name):\n"
                                     "        return tf.matmul(x, tf.get_variable('w', [2, n]))\n")
    (tmp_path / "model.py").write_text("import tensorflow as tf\nfrom ops import linear\n\n"
                                       "def d(x, reuse=False):\n"
                                       "    with tf.variable_scope('d', reuse=reuse):\n"
                                       "        return linear(x, 1, 'h0')\n")
    done = tfshift_cli("scan", str(tmp_path), "--native", "--from", "1.15", "--to", "2.21", "--format", "json")
    report = json.loads(done.stdout)
    [group] = report["compat"]
    assert all("sharing across files is not carried yet" in r["cannot"] for r in group["reasons"])
    (tmp_path / "model.py").unlink()
    done = tfshift_cli("scan", str(tmp_path), "--native", "--from", "1.15", "--to", "2.21", "--format", "json")
    assert not json.loads(done.stdout)["compat"]


def test_graph_program_calling_another_files_variables_is_reported(tmp_path):
    (tmp_path / "ops.py").write_text("import tensorflow as tf\n\ndef scale(x):\n"
                                     "    return x * tf.Variable(2.0)\n")
    (tmp_path / "main.py").write_text("import tensorflow as tf\nfrom ops import scale\n"
                                      "x = tf.placeholder(tf.float32)\ny = scale(x)\n"
                                      "with tf.Session() as s:\n    print(s.run(y, {x: 1.0}))\n")
    done = tfshift_cli("scan", str(tmp_path), "--native", "--from", "1.15", "--to", "2.21", "--format", "json")
    [group] = json.loads(done.stdout)["compat"]
    assert any("makes variables in another file" in r["cannot"] for r in group["reasons"])
