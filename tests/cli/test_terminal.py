"""What a terminal shows: tables and long lines fit COLUMNS, colour follows NO_COLOR/FORCE_COLOR,
and nothing extra goes to a pipe. Driven through the real CLI in a pseudo-terminal."""

from __future__ import annotations

import re

import pytest

from tests.cli.pty_run import ANSI, run

TF1 = "import tensorflow as tf\nx = tf.placeholder(tf.float32)\ny = tf.log(x)\n"


def widths(text: str) -> list[int]:
    return [len(line) for line in ANSI.sub("", text).replace("\r", "").splitlines()]


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_rules_table_fits_the_terminal(columns):
    seen = run("rules", columns=columns)
    assert seen.exit_code == 0
    assert max(widths(seen.output)) <= columns
    assert "TFU002" in seen.plain and "TFD101" in seen.plain


def test_rules_table_fits_columns_when_piped(cli):
    done = cli("rules", env={"COLUMNS": "70"})
    assert done.returncode == 0
    assert max(len(line) for line in done.stdout.splitlines()) <= 70


@pytest.mark.parametrize("args", [("api", "tf.keras.optimizers.Adam"), ("api", "tf.nn.dropout")])
def test_api_signatures_wrap_to_the_terminal(args):
    seen = run(*args, columns=72)
    assert seen.exit_code == 0
    assert max(widths(seen.output)) <= 72
    # Wrapped, not cut: every parameter of the long signature is still there.
    assert "ema_overwrite_frequency" in seen.plain or "noise_shape" in seen.plain


def test_colour_on_a_terminal_and_not_with_no_color(tmp_path):
    (tmp_path / "t.py").write_text(TF1)
    coloured = run("scan", str(tmp_path / "t.py"), "--from", "1.15", "--to", "2.21")
    assert coloured.exit_code == 1
    assert "\x1b[31mTFU002\x1b[0m" in coloured.output
    plain = run("scan", str(tmp_path / "t.py"), "--from", "1.15", "--to", "2.21",
                env={"NO_COLOR": "1"})
    assert plain.exit_code == 1 and "TFU002" in plain.output
    assert not ANSI.search(plain.output)


def test_force_color_colours_a_pipe(cli, tmp_path):
    (tmp_path / "t.py").write_text(TF1)
    piped = cli("scan", str(tmp_path / "t.py"), "--from", "1.15", "--to", "2.21")
    assert "\x1b[" not in piped.stdout
    forced = cli("scan", str(tmp_path / "t.py"), "--from", "1.15", "--to", "2.21",
                 env={"FORCE_COLOR": "1"})
    assert "\x1b[31mTFU002\x1b[0m" in forced.stdout


def test_diff_is_coloured_on_a_terminal_only(cli, tmp_path):
    (tmp_path / "t.py").write_text(TF1)
    seen = run("upgrade", str(tmp_path / "t.py"), "--from", "1.15", "--to", "2.21", "--diff")
    assert "\x1b[31m-x = tf.placeholder(tf.float32)\x1b[0m" in seen.output
    assert "\x1b[32m+x = tf.compat.v1.placeholder(tf.float32)\x1b[0m" in seen.output
    piped = cli("upgrade", str(tmp_path / "t.py"), "--from", "1.15", "--to", "2.21", "--diff")
    assert "-x = tf.placeholder(tf.float32)\n" in piped.stdout and "\x1b[" not in piped.stdout


def test_long_scan_reports_end_with_a_count_per_rule(cli, tmp_path):
    for n in range(12):
        (tmp_path / f"f{n}.py").write_text(TF1)
    done = cli("scan", str(tmp_path), "--from", "1.15", "--to", "2.21")
    lines = done.stdout.splitlines()
    assert re.fullmatch(r"\s*12  TFU002  \[\*\] compat-v1-only", lines[-4]) or any(
        re.fullmatch(r"\s*12  TFU002  \[\*\] compat-v1-only", line) for line in lines)
    quiet = cli("scan", str(tmp_path), "--from", "1.15", "--to", "2.21", "--quiet")
    assert not any("compat-v1-only" in line for line in quiet.stdout.splitlines())
    assert not quiet.stdout.splitlines()[-1].startswith("Found ")
