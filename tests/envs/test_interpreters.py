"""Interpreter discovery: uv, pyenv's versions folder, PATH; real interpreters, no fakes."""

import sys

import pytest

from tfshift.envs import interpreters
from tfshift.errors import InterpreterNotFoundError


@pytest.fixture(autouse=True)
def _home(private_home):
    return private_home


def test_finds_the_running_minor():
    minor = f"{sys.version_info[0]}.{sys.version_info[1]}"
    found = interpreters.find([minor])
    assert found.minor == minor
    assert found.source in ("uv", "pyenv", "PATH")


def test_finds_python_3_7_through_pyenv_when_uv_does_not():
    root = interpreters.pyenv_root()
    if root is None or not list((root / "versions").glob("3.7.*")):
        from tests.conftest import need

        need("pyenv with a Python 3.7 is needed for TF 1.x")
    found = interpreters.find(["3.7"])
    assert found.minor == "3.7"
    assert found.version.startswith("3.7.")


def test_newest_acceptable_minor_wins():
    available = [m for m in ("3.13", "3.12", "3.11") if _has(m)]
    if len(available) < 2:
        pytest.skip("needs two of Python 3.11-3.13")
    assert interpreters.find(available).minor == available[0]


def _has(minor):
    try:
        interpreters.find([minor])
        return True
    except InterpreterNotFoundError:
        return False


def test_explicit_python_of_the_wrong_minor_is_refused():
    with pytest.raises(InterpreterNotFoundError, match=r"has wheels only for Python 3\.7") as info:
        interpreters.find(["3.7"], explicit=sys.executable, what="TensorFlow 1.15")
    assert "\n" not in str(info.value)


def test_explicit_python_that_does_not_exist():
    with pytest.raises(InterpreterNotFoundError, match="no such file"):
        interpreters.find(["3.7"], explicit="/nonexistent/python3.7")


def test_explicit_file_that_is_not_python(tmp_path):
    fake = tmp_path / "python3.7"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(InterpreterNotFoundError, match="not a working CPython"):
        interpreters.find(["3.7"], explicit=fake)


def test_nothing_found_names_the_versions_that_would_work(monkeypatch, tmp_path):
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "no-pyenv"))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    with pytest.raises(InterpreterNotFoundError) as info:
        interpreters.find(["3.6", "3.5"], what="TensorFlow 1.15")
    message = str(info.value)
    assert "Python 3.6 or 3.5" in message and "pyenv install 3.6" in message
    assert "\n" not in message


def test_broken_pyenv_shims_are_skipped(monkeypatch):
    # pyenv puts shims on PATH for every installed version; those of inactive versions fail.
    root = interpreters.pyenv_root()
    shim = root / "shims" / "python3.7" if root else None
    if shim is None or not shim.exists():
        pytest.skip("no pyenv shim for python3.7 here")
    monkeypatch.setenv("PYENV_VERSION", "system")
    assert interpreters.probe(shim, "PATH") is None
    monkeypatch.setenv("PYENV_VERSION", "3.7.16" if (root / "versions" / "3.7.16").exists() else "")
    # The same search still finds 3.7 through the versions folder.
    assert interpreters.find(["3.7"]).source in ("uv", "pyenv")


def test_probe_results_are_cached(private_home):
    minor = f"{sys.version_info[0]}.{sys.version_info[1]}"
    interpreters.find([minor])
    cache = interpreters._load_cache()
    assert cache, "the probe cache should have been written"


def test_what_uv_found_is_cached_until_what_it_searches_changes(monkeypatch, tmp_path):
    minor = f"{sys.version_info[0]}.{sys.version_info[1]}"
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}:{interpreters.os.environ['PATH']}")
    first = interpreters.find([minor])
    runs = []
    real_run = interpreters.supervisor.run

    def run(cmd, *args, **kwargs):
        runs.append(cmd)
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(interpreters.supervisor, "run", run)
    assert interpreters.find([minor]) == first
    assert runs == []  # neither uv nor the interpreter was run again
    (folder / f"python{minor}").symlink_to(sys.executable)  # a new interpreter on PATH
    interpreters.find([minor])
    assert [cmd[1:3] for cmd in runs if "find" in cmd] == [["python", "find"]]
