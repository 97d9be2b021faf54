"""Hostile Keras SavedModels of the TF 2.0-2.4 era, written by real TF 2.4, against the guard.

Before TF 2.5 a Keras SavedModel kept its Keras config only in saved_model.pb (each Keras
object's user_object.metadata); Keras 2.5+ still reads it there when keras_metadata.pb is
missing or has no nodes. So the guard parses saved_model.pb's object graph (not its text), and
an empty keras_metadata.pb beside it must not stand for "nothing to check" (it did: the trap ran).
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest

from tests.reliability import hostile
from tests.reliability.conftest import FIXTURES, Traps
from tfshift.runtime import Runtime
from tfshift.runtime.errors import RemoteError
from tfshift.runtime.runtime import load_request

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tf24(tf_env):
    return tf_env("2.4")


@pytest.fixture(scope="module")
def era(tf24, tmp_path_factory) -> Traps:
    folder = tmp_path_factory.mktemp("tf24")
    marker = folder / "TRAP-RAN"
    done = tf24.run_python([str(FIXTURES / "make_hostile_tf24.py"), str(folder / "models"), str(marker)],
                           timeout=900)
    assert done.returncode == 0, done.stderr[-4000:]
    assert not (folder / "models" / "trap" / "keras_metadata.pb").exists()  # the era's layout
    return Traps(folder / "models", marker)


@pytest.fixture(scope="module")
def rt24(tf24):
    with Runtime(env=tf24) as rt:
        yield rt


def one_line_error(done) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, (done.returncode, done.stderr[-2000:])
    return lines[0]


def empty_metadata(src: Path, dest: Path) -> Path:
    """The bypass: a keras_metadata.pb with no nodes, which Keras 2.5+ reads past."""
    shutil.copytree(src, dest)
    (dest / "keras_metadata.pb").write_bytes(b"")
    return dest


def variants(era: Traps, tmp_path: Path) -> dict[str, Path]:
    return {
        "as_written": era / "trap",
        "empty_keras_metadata": empty_metadata(era / "trap", tmp_path / "empty"),
        **{f"respelled_{name}": hostile.rewrite_saved_model(era / "trap", tmp_path / name, spell)
           for name, spell in hostile.SPELLINGS.items()},
    }


def test_convert_refuses_every_variant(era, tmp_path, cli):
    for name, model in variants(era, tmp_path).items():
        out = tmp_path / f"{name}.keras"
        line = one_line_error(cli("convert", str(model), str(out)))
        assert "Lambda layer(s) affine" in line and "--unsafe" in line, (name, line)
        assert not era.sprung(), name
        assert not out.exists() and not out.with_suffix("").exists()


def test_inspect_names_the_lambda_behind_an_empty_keras_metadata(era, tmp_path, cli):
    shown = cli("inspect", str(empty_metadata(era / "trap", tmp_path / "m")))
    assert shown.returncode == 0, shown.stderr
    assert "Lambda layer(s) affine" in shown.stdout and "--unsafe" in shown.stdout


def test_the_worker_refuses_them_without_the_hosts_check(era, rt24, tmp_path):
    """The worker is the last gate: asked directly, it parses both files itself."""
    for name, model in variants(era, tmp_path).items():
        _, fields = load_request(model)
        with pytest.raises(RemoteError, match=r"refusing to load .*Lambda layer\(s\) affine"):
            rt24.request("keras_export", **fields)
        assert not era.sprung(), name


def test_the_trap_springs_with_unsafe(era, rt24, tmp_path):
    """The control: TF 2.4's Keras runs the respelled file's bytecode when told to, so the tests
    above would see it run."""
    model = hostile.rewrite_saved_model(era / "trap", tmp_path / "m", hostile.SPELLINGS["escaped"])
    _, fields = load_request(model)
    with contextlib.suppress(RemoteError):  # whatever comes after the load: the bytecode ran
        rt24.request("keras_export", **dict(fields, unsafe=True))
    assert era.sprung()


def test_op_layers_naming_a_side_effect_need_unsafe(era, rt24, tmp_path, cli):
    """TF 2.4's TFOpLambda keeps the TF function's name; Keras looks it up and calls it."""
    pure = era / "ops"
    shown = cli("inspect", str(pure), "--json")
    assert shown.returncode == 0 and '"unknown_ops": []' in shown.stdout, shown.stdout[-2000:]
    _, fields = load_request(pure)
    rt24.request("keras_export", **fields)  # math.add and x[...] load under the guard
    hostile_ops = hostile.rewrite_saved_model(pure, tmp_path / "w",
                                              lambda text: text.replace('"math.add"', '"io.write_file"'))
    line = one_line_error(cli("convert", str(hostile_ops), str(tmp_path / "out.keras")))
    assert "tf.io.write_file" in line and "--unsafe" in line, line
    _, fields = load_request(hostile_ops)
    with pytest.raises(RemoteError, match=r"refusing to load .*tf\.io\.write_file"):
        rt24.request("keras_export", **fields)
