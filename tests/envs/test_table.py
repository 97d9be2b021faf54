"""The version table: parsing versions, Pythons with wheels, pins."""

import pytest

from tfshift.envs import table
from tfshift.errors import UnknownVersionError


def test_every_minor_from_1_13_to_2_21_is_known():
    minors = table.minors()
    assert minors[0] == "1.13" and minors[-1] == "2.21"
    expected = ["1.13", "1.14", "1.15"] + [f"2.{n}" for n in range(22)]
    assert minors == expected


@pytest.mark.parametrize(("text", "minor", "exact"), [
    ("1.15", "1.15", None),
    ("2.15.1", "2.15", "2.15.1"),
    ("tf2.21", "2.21", None),
    (" 2.0 ", "2.0", None),
])
def test_parse(text, minor, exact):
    request = table.parse(text)
    assert (request.minor, request.exact) == (minor, exact)


@pytest.mark.parametrize("text", ["9.9", "2.99", "two", "", "2.15.99", "1.12"])
def test_parse_rejects_unknown_versions_with_one_line(text):
    with pytest.raises(UnknownVersionError) as info:
        table.parse(text)
    assert "\n" not in str(info.value)


def test_unknown_version_suggests_close_ones():
    with pytest.raises(UnknownVersionError, match=r"did you mean 1\.15"):
        table.parse("1.51")


def test_newest_patch_depends_on_python():
    # 2.11.1 has no Python 3.7 wheel: on 3.7 the newest 2.11 is 2.11.0.
    release = table.release("2.11")
    assert release.patch_for("3.7") == "2.11.0"
    assert release.patch_for("3.10") == "2.11.1"


def test_pythons_newest_first():
    assert table.release("1.15").pythons_for()[0] == "3.7"
    assert table.release("2.21").pythons_for()[:2] == ["3.13", "3.12"]
    assert table.release("2.15").pythons_for("2.15.1")[0] == "3.11"


def test_companion_pins():
    assert "protobuf<3.21" in table.release("1.15").pins
    assert "h5py<3" in table.release("1.15").pins
    assert "numpy<2" in table.release("2.15").pins
    assert not any(p.startswith("numpy") for p in table.release("2.18").pins)
    assert "keras~=2.15.0" in table.release("2.15").pins
    assert table.release("2.16").keras2_pins == ("tf-keras~=2.16.0",)
    assert table.release("2.15").keras2_pins == ()
    assert table.release("2.16").uses_keras3 and not table.release("2.15").uses_keras3


def test_parse_list():
    assert [str(r) for r in table.parse_list("1.15,2.15.1, 2.21")] == ["1.15", "2.15.1", "2.21"]
    with pytest.raises(UnknownVersionError):
        table.parse_list(",")
