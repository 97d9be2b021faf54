"""`tfshift convert` on bad input: one line on stderr, exit 2, no traceback, nothing written.

Most of these are refused on the host before any TensorFlow starts; the last ones need the
source's TensorFlow to find out (a checkpoint whose data fails its checksum).
"""

from __future__ import annotations

import shutil

import pytest

from tfshift.models.convert import output
from tfshift.models.convert.route import ConvertError


def one_line_error(done, *needles: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    for needle in needles:
        assert needle in done.stderr, done.stderr


def nothing_written(folder) -> None:
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".") or p.name == "out"]
    assert leftovers == []


def test_missing_model(cli, tmp_path):
    one_line_error(cli("convert", str(tmp_path / "nope.pb"), str(tmp_path / "out")), "nope.pb", "no such")
    nothing_written(tmp_path)


@pytest.mark.parametrize("content", [b"", b"\x00garbage\xff" * 10, b"PK\x03\x04broken zip"])
def test_not_a_model(cli, tmp_path, content):
    bad = tmp_path / "model.pb"
    bad.write_bytes(content)
    one_line_error(cli("convert", str(bad), str(tmp_path / "out")), "model.pb")
    nothing_written(tmp_path)


def test_truncated_frozen_graph(cli, zoo1, tmp_path):
    data = (zoo1 / "mlp.pb").read_bytes()
    bad = tmp_path / "cut.pb"
    bad.write_bytes(data[: len(data) // 2])
    one_line_error(cli("convert", str(bad), str(tmp_path / "out")), "cut.pb")
    nothing_written(tmp_path)


def test_truncated_saved_model(cli, zoo1, tmp_path):
    folder = tmp_path / "saved"
    shutil.copytree(zoo1 / "mlp_saved", folder)
    pb = folder / "saved_model.pb"
    pb.write_bytes(pb.read_bytes()[:300])
    one_line_error(cli("convert", str(folder), str(tmp_path / "out")), "saved")
    nothing_written(tmp_path)


def test_checkpoint_with_damaged_data_fails_in_tensorflow(cli, zoo1, tmp_path):
    folder = tmp_path / "ckpt"
    shutil.copytree(zoo1 / "mlp_ckpt", folder)
    data = folder / "mlp.data-00000-of-00001"
    raw = bytearray(data.read_bytes())
    raw[10] ^= 0x5A  # inside a tensor: only the checksum TensorFlow keeps can tell
    data.write_bytes(bytes(raw))
    one_line_error(cli("convert", str(folder / "mlp"), str(tmp_path / "out")), "mlp")
    nothing_written(tmp_path)


@pytest.mark.parametrize(("args", "needle"), [
    (["--target", "9.9"], "9.9"),
    (["--target", "1.15"], "TF 2.0 or newer"),
    (["--source", "banana"], "banana"),
    (["--to", "keras"], ".keras"),
    (["--inputs", "x"], "signature"),
    (["--replace-op", "Foo"], "OP=module:function"),
    (["--replace-op", "Foo=nofile.py:fn"], "nofile.py"),
    (["--report", "r.html"], "--verify"),
])
def test_bad_options(cli, zoo1, tmp_path, args, needle):
    one_line_error(cli("convert", str(zoo1 / "mlp_saved"), str(tmp_path / "out"), *args), needle)
    nothing_written(tmp_path)


def test_keras_result_from_a_graph(cli, zoo1, tmp_path):
    one_line_error(cli("convert", str(zoo1 / "mlp.pb"), str(tmp_path / "out.keras")),
                   "holds a graph", "without .keras")


def test_out_is_the_model(cli, zoo1, tmp_path):
    folder = tmp_path / "saved"
    shutil.copytree(zoo1 / "mlp_saved", folder)
    one_line_error(cli("convert", str(folder), str(folder), "--force"), "the model itself")
    one_line_error(cli("convert", str(folder), str(folder / "inner")), "the model itself")


def test_force_never_replaces_a_folder_that_is_not_a_model(cli, zoo1, tmp_path):
    keep = tmp_path / "out"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine")
    one_line_error(cli("convert", str(zoo1 / "mlp.pb"), str(keep), "--force"), "not a SavedModel")
    assert (keep / "notes.txt").read_text() == "mine"


def test_unknown_op_to_replace(cli, zoo1, tmp_path):
    from tests.conftest import FIXTURES

    replacement = f"Banana={FIXTURES / 'convert_replacements.py'}:compare_and_bitpack"
    one_line_error(cli("convert", str(zoo1 / "mlp_saved"), str(tmp_path / "out"), "--replace-op",
                       replacement), "no Banana node")
    nothing_written(tmp_path)


# -- installing the result


def test_install_moves_the_staged_result_into_place(tmp_path):
    out = tmp_path / "out"
    with output.staging(out) as folder:
        staged = folder / "out"
        staged.mkdir()
        (staged / "saved_model.pb").write_bytes(b"new")
        output.install(staged, out, force=False)
        assert folder.exists()
    assert not folder.exists()  # the staging folder goes with the context
    assert (out / "saved_model.pb").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_install_with_force_replaces_only_once_the_new_is_there(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "saved_model.pb").write_bytes(b"old")
    with output.staging(out) as folder:
        staged = folder / "out"
        staged.mkdir()
        (staged / "saved_model.pb").write_bytes(b"new")
        with pytest.raises(ConvertError, match="exists; pass --force"):
            output.install(staged, out, force=False)
        assert (out / "saved_model.pb").read_bytes() == b"old"
        output.install(staged, out, force=True)
    assert (out / "saved_model.pb").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_keras_sidecar_travels_with_the_file(tmp_path):
    out = tmp_path / "model.keras"
    with output.staging(out) as folder:
        staged = folder / "model.keras"
        staged.write_bytes(b"zip")
        output.write_provenance(staged, "keras", {"schema": "tfshift-provenance/1", "x": 1})
        output.install(staged, out, force=False)
    assert out.read_bytes() == b"zip"
    assert output.read_provenance(out) == {"schema": "tfshift-provenance/1", "x": 1}


def test_signature_with_an_unfed_placeholder(cli, v1, tmp_path):
    one_line_error(cli("convert", str(v1 / "unfed"), str(tmp_path / "out")),
                   "needs placeholder 'keep_prob'", "does not feed")
    nothing_written(tmp_path)
