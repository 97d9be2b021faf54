"""Building, reusing and repairing real environments (uv against the shared package cache)."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import need
from tfshift.envs import backends, interpreters, manager, table
from tfshift.errors import TfshiftError


def test_shared_environments_are_intact(tf115, tf215, tf221):
    assert tf115.tf_version == "1.15.5" and tf115.python_version.startswith("3.7.")
    assert tf215.tf_version == "2.15.1" and tf215.keras == "keras2"
    assert tf215.python_version.startswith("3.11.")  # the newest Python with 2.15 wheels
    assert tf221.tf_version == "2.21.0" and tf221.keras == "keras3"
    # 2.21 runs on the newest Python that has 2.21 wheels and that this machine has.
    newest = interpreters.find(table.release("2.21").pythons_for(), what="TensorFlow 2.21")
    assert tf221.python_version.rsplit(".", 1)[0] == newest.minor, (tf221.python_version, newest)
    for env in (tf115, tf215, tf221):
        assert env.packages["tensorflow"] == env.tf_version
        assert manager.intact(env.path) is not None


def test_pins_are_in_force(tf115, tf215):
    assert tf115.packages["protobuf"].startswith("3.")
    assert tf115.packages["h5py"].startswith("2.")
    assert int(tf215.packages["numpy"].split(".")[0]) == 1


def test_reuse_is_fast_and_does_not_rebuild(tf221):
    started = time.monotonic()
    again = manager.ensure("2.21")
    assert time.monotonic() - started < 0.5
    assert again.path == tf221.path
    assert again.marker["created"] == tf221.marker["created"]


def test_keras2_is_the_same_environment_up_to_2_15(tf215):
    assert manager.ensure("2.15", keras2=True).path == tf215.path


def test_environment_names(tf221):
    assert manager.env_name("2.21.0", "3.13", True, ["six"]).startswith("tf-2.21.0-py3.13-keras2-with-")
    assert manager.extras_hash(["b", "a"]) == manager.extras_hash(["a", " b "])


def _build(home_env, *args, timeout=900):
    return subprocess.run([sys.executable, "-m", "tfshift", "env", "create", *args],
                          capture_output=True, text=True, timeout=timeout, env=home_env)


@pytest.fixture
def home_env(private_home):
    return {**os.environ}


def test_a_broken_marker_means_rebuild(private_home):
    env = manager.ensure("2.21")
    marker = env.path / manager.MARKER
    data = json.loads(marker.read_text())
    data["complete"] = False
    marker.write_text(json.dumps(data))
    assert manager.intact(env.path) is None
    rebuilt = manager.ensure("2.21")
    assert rebuilt.marker["complete"] and rebuilt.marker["created"] >= env.marker["created"]


def test_a_changed_interpreter_means_rebuild(private_home):
    env = manager.ensure("2.21")
    marker = env.path / manager.MARKER
    data = json.loads(marker.read_text())
    data["base_python"]["size"] += 1  # as if the base interpreter had been replaced
    marker.write_text(json.dumps(data))
    assert manager.intact(env.path) is None
    assert manager.ensure("2.21").marker["base_python"]["size"] == data["base_python"]["size"] - 1


def test_two_concurrent_creates_end_with_one_intact_environment(private_home, home_env):
    procs = [subprocess.Popen([sys.executable, "-m", "tfshift", "env", "create", "2.21"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=home_env) for _ in range(2)]
    outs = [p.communicate(timeout=900) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    paths = {out.strip().splitlines()[-1] for out, _ in outs}
    assert len(paths) == 1
    envs = [e for e in manager.list_envs()]
    assert [e["status"] for e in envs] == ["ok"]
    env = manager.intact(manager.envs_dir() / envs[0]["name"])
    proc = env.run_python(["-c", "import tensorflow as tf; print(tf.__version__)"], timeout=300)
    assert proc.stdout.strip() == "2.21.0", proc.stderr[-2000:]


def _installing(envs: Path) -> Path | None:
    """The folder an environment is built in (beside its final place), once its installer has
    put packages into site-packages."""
    for site in envs.glob(".building-tf-2.21.0-py*/lib/python*/site-packages"):
        try:
            entries = os.listdir(site)
        except OSError:
            continue
        if any(not e.startswith("_virtualenv") for e in entries):  # uv venv writes those
            return site.parents[2]
    return None


def _processes_naming(folder: Path) -> list[str]:
    """Command lines of live processes that name `folder` (an installer writing into it)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()  # empty for a zombie
        except OSError:
            continue
        if str(folder).encode() in cmdline:
            found.append(cmdline.replace(b"\0", b" ").decode(errors="replace").strip())
    return found


def wait_gone(path: Path, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return not path.exists()


def test_a_create_killed_midway_is_rebuilt(private_home, home_env):
    proc = subprocess.Popen([sys.executable, "-m", "tfshift", "env", "create", "2.21"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=home_env)
    deadline = time.monotonic() + 300
    venv = None
    while venv is None and time.monotonic() < deadline and proc.poll() is None:
        venv = _installing(manager.envs_dir())
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)  # mid-install: uv is writing into site-packages
    proc.wait()
    killed = time.monotonic()
    assert venv is not None, "the install never started"
    if (venv / manager.MARKER).exists():
        need("the build finished before it could be killed")
    # The installer dies with tfshift (at once: uv would need a good part of a second more to
    # finish), so nothing goes on writing into the folder while the next create replaces it.
    lingering = _processes_naming(private_home)
    while lingering and time.monotonic() < killed + 0.25:
        time.sleep(0.01)
        lingering = _processes_naming(private_home)
    assert lingering == [], "the killed build left its installer running"
    # The build was beside the environment's place: the reaper removed it, nothing is listed.
    assert wait_gone(venv), "the killed build left its folder"
    assert manager.list_envs() == []
    assert manager.find_existing("2.21") is None
    result = _build(home_env, "2.21")
    assert result.returncode == 0, result.stderr
    env = manager.find_existing("2.21")
    assert env is not None and env.path == manager.envs_dir() / venv.name.removeprefix(".building-").rsplit("-", 1)[0]
    check = env.run_python(["-c", "import tensorflow as tf; print(tf.__version__)"], timeout=300)
    assert check.stdout.strip() == "2.21.0", check.stderr[-2000:]


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_create_stopped_by_a_signal_stops_its_installer(private_home, home_env, sig, code):
    """The installer runs in a session of its own (Ctrl-C at a terminal reaches only tfshift),
    so tfshift stops it, then exits 128 + the signal: 143 for SIGTERM, 130 for Ctrl-C."""
    proc = subprocess.Popen([sys.executable, "-m", "tfshift", "env", "create", "2.21"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=home_env, text=True)
    deadline = time.monotonic() + 300
    venv = None
    while venv is None and time.monotonic() < deadline and proc.poll() is None:
        venv = _installing(manager.envs_dir())
        time.sleep(0.005)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert venv is not None, "the install never started"
    if (venv / manager.MARKER).exists():
        need("the build finished before the signal arrived")
    assert proc.returncode == code, err
    assert _processes_naming(private_home) == [], "the installer outlived the build"
    assert manager.find_existing("2.21") is None


def test_discard_outlasts_a_writer_that_recreates_the_folder(tmp_path, monkeypatch):
    target = tmp_path / "envs" / "tf-2.21.0-py3.13"
    (target / "lib").mkdir(parents=True)
    real_rmtree = shutil.rmtree
    rounds = []

    def rmtree(path, *args, **kwargs):  # while the old tree is deleted, a straggler writes on
        real_rmtree(path, *args, **kwargs)
        if len(rounds) < 2:
            rounds.append(path)
            (target / "lib" / "python3.13" / "site-packages").mkdir(parents=True)

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    manager._discard(target)
    assert len(rounds) == 2 and not target.exists()
    assert [p.name for p in target.parent.iterdir()] == []


def test_a_folder_that_reappears_before_the_venv_is_made_is_replaced(private_home, monkeypatch):
    real_discard = manager._discard
    planted = []

    def discard(path, *args, **kwargs):
        real_discard(path, *args, **kwargs)
        if not planted and path.parent == manager.envs_dir():  # not a virtual environment
            planted.append(path / "lib" / "leftover")
            planted[0].mkdir(parents=True)

    monkeypatch.setattr(manager, "_discard", discard)
    env = manager.ensure("2.21")
    assert planted and not planted[0].exists()
    assert manager.intact(env.path) is not None and env.packages["tensorflow"] == "2.21.0"


def test_extras_get_their_own_environment(private_home):
    plain = manager.ensure("2.21")
    extra = manager.ensure("2.21", extras=["six"])
    assert plain.path != extra.path
    assert "six" in extra.packages and extra.extras == ["six"]
    assert manager.ensure("2.21", extras=[" six"]).path == extra.path


def test_remove_and_path(private_home):
    env = manager.ensure("2.21")
    assert manager.require_existing("2.21").path == env.path
    assert manager.remove("2.21") == [env.path]
    assert not env.path.exists()
    with pytest.raises(TfshiftError, match=r"tfshift env create 2\.21"):
        manager.require_existing("2.21")


def test_an_impossible_requirement_is_a_one_line_error(private_home):
    with pytest.raises(TfshiftError) as info:
        manager.ensure("2.21", extras=["numpy<1.20"])  # TF 2.21 needs numpy >= 1.26
    assert "\n" not in str(info.value) and "numpy" in str(info.value)


def test_keras2_interpreter_gives_tf_keras_by_itself(tf_env):
    """--keras2 is part of the environment: its own bin/python, started with no help from
    tfshift (no TF_USE_LEGACY_KERAS, no VIRTUAL_ENV, not on PATH), gives Keras 2."""
    env = tf_env("2.21", keras2=True)
    assert manager.intact(env.path) is not None and (env.path / env.marker["keras2_hook"]).is_file()
    clean = {k: v for k, v in os.environ.items() if k not in ("TF_USE_LEGACY_KERAS", "VIRTUAL_ENV")}
    clean["TF_CPP_MIN_LOG_LEVEL"] = "2"
    result = subprocess.run(
        [str(env.python), "-c", "import os, tensorflow as tf; print(os.environ['TF_USE_LEGACY_KERAS']); "
         "print(tf.keras.layers.Dense.__module__)"],
        capture_output=True, text=True, timeout=300, env=clean, cwd="/")
    assert result.returncode == 0, result.stderr[-2000:]
    flag, module = result.stdout.split()[-2:]
    assert flag == "1" and module.startswith("tf_keras."), result.stdout


def _old_keras2_env(python: str) -> Path:
    """A keras2 environment as tfshift built it before the Keras 2 switch was part of it: a real
    venv (of the host's Python, nothing installed) with a marker that does not mention it."""
    real = os.path.realpath(python)
    version = subprocess.run([real, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    minor = version.rsplit(".", 1)[0]
    release = table.release("2.21")
    if minor not in release.pythons_for():
        need(f"a Python that TF 2.21 has wheels for, to fake its environment (this is {version})")
    path = manager.envs_dir() / manager.env_name(release.patch_for(minor), minor, True, [])
    backends.get().create(Path(real), path)
    marker = {"complete": True, "tensorflow": release.patch_for(minor), "python": version,
              "keras2": True, "keras": "keras2", "with": [], "backend": "uv",
              "base_python": {"path": real, "realpath": real, "size": os.stat(real).st_size},
              "packages": {}, "created": "2026-01-01T00:00:00+00:00"}
    (path / manager.MARKER).write_text(json.dumps(marker))
    return path


def test_a_keras2_environment_built_without_the_switch_is_repaired(private_home):
    path = _old_keras2_env(sys.executable)
    assert manager.intact(path) is None
    assert [e["status"] for e in manager.list_envs()] == ["outdated"]
    env = manager.ensure("2.21", keras2=True)  # repaired in place, not rebuilt
    assert env.path == path and env.marker["created"] == "2026-01-01T00:00:00+00:00"
    hook = path / env.marker["keras2_hook"]
    assert hook.name == manager.KERAS2_HOOK and hook.is_file()
    assert json.loads((path / manager.MARKER).read_text())["keras2_hook"] == env.marker["keras2_hook"]
    assert manager.intact(path) is not None
    assert [e["status"] for e in manager.list_envs()] == ["ok"]
    assert manager.find_existing("2.21", keras2=True).path == path

    show = "import os; print(os.environ.get('TF_USE_LEGACY_KERAS', 'unset'))"
    clean = {k: v for k, v in os.environ.items() if k not in ("TF_USE_LEGACY_KERAS", "VIRTUAL_ENV")}
    for given, seen in ((None, "1"), ("0", "0")):  # set when absent; an explicit choice stands
        environ = clean if given is None else {**clean, "TF_USE_LEGACY_KERAS": given}
        out = subprocess.run([str(path / "bin" / "python"), "-c", show], capture_output=True,
                             text=True, env=environ, check=True).stdout.strip()
        assert out == seen

    script = ('source "$1/bin/activate"; echo "$TF_USE_LEGACY_KERAS"; deactivate; '
              'echo "${TF_USE_LEGACY_KERAS-unset}"')
    for given, lines in ((None, ["1", "unset"]), ("0", ["1", "0"])):
        environ = clean if given is None else {**clean, "TF_USE_LEGACY_KERAS": given}
        out = subprocess.run(["bash", "-c", script, "bash", str(path)], capture_output=True,
                             text=True, env=environ, check=True).stdout.split()
        assert out == lines

    manager.ensure("2.21", keras2=True)  # a second repair changes nothing
    assert (path / "bin" / "activate").read_text().count(manager._ACTIVATE_TAG) == 2
