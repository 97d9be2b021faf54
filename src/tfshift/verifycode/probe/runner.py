"""Run the user's program as `python PROGRAM ARGS` would, with the probe around it; write a record.

The record (in the folder the host names): record.json (how the program ended, every variable,
the random ops, timings) and values.npz (initial_N / final_N arrays by variable index).
Side B imports TensorFlow and installs its hooks while A runs, then waits on a pipe for the
host's word that A's record is ready ("go"; end of file means stop).
"""
import json
import os
import platform
import runpy
import sys
import time
import traceback

import numpy as np

PROBE_DIR = os.path.dirname(os.path.abspath(__file__))


def main(config_path):
    with open(config_path) as stream:
        config = json.load(stream)
    seconds = {}
    started = time.time()
    from _tfshift_probe import randomness

    randomness.seed_python_and_numpy(config["seed"])
    randomness.keep_libraries_off_python_random(config["seed"])
    import tensorflow as tf

    seconds["import"] = time.time() - started
    from _tfshift_probe.sessions import Sessions
    from _tfshift_probe.variables import Variables

    sites = randomness.Sites(config["folder"])
    variables = Variables(tf, where=sites.name)
    variables.install()
    sessions = Sessions(variables, capture_initial=config["side"] == "A")
    sessions.install()
    random_ops = randomness.RandomOps(tf, variables, sites)
    random_ops.install()
    if config.get("go_fd") is not None:
        waited = time.time()
        if not wait_for_go(config["go_fd"]):
            os._exit(0)
        variables.matcher, variables.values = load_transfer(config["a_record"], config["ignore"])
        seconds["waited_for_a"] = time.time() - waited
    randomness.seed_tensorflow(tf, config["seed"])
    ran = time.time()
    ended = run_program(config["program"], config["folder"], config["args"])
    seconds["program"] = time.time() - ran
    try:
        sessions.snapshot_open()
        variables.read_final()
    except Exception as exc:
        sys.stderr.write("tfshift probe: warning: could not read final values: %r\n" % (exc,))
    record = {
        "side": config["side"], "tf": tf.__version__, "python": platform.python_version(),
        "numpy": np.__version__, "seconds": seconds, "random": random_ops.summary(),
        "variables": [r.describe() for r in variables.records],
        "unmatched_a": [v["index"] for v in variables.matcher.unmatched_a()] if variables.matcher else [],
    }
    record.update(ended)
    write_record(config["out"], record, variables.records)
    sys.stdout.flush()
    sys.stderr.flush()
    # TensorFlow's interpreter teardown is slow and sometimes crashes; the record is written.
    os._exit(ended["exit_code"])


def wait_for_go(fd):
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(fd, 64)
        if not chunk:
            return False
        data += chunk
    os.close(fd)
    return data.strip() == b"go"


def load_transfer(folder, ignore):
    from _tfshift_probe.matching import Matcher

    with open(os.path.join(folder, "record.json")) as stream:
        record = json.load(stream)
    values = {}
    with np.load(os.path.join(folder, "values.npz"), allow_pickle=False) as data:
        for key in data.files:
            kind, _, index = key.partition("_")
            if kind == "initial":
                values[int(index)] = data[key]
    return Matcher(record["variables"], ignore), values


def run_program(program, folder, args):
    """Run it like `python program args` from its folder; how it ended."""
    sys.argv = [program, *args]
    sys.path[0] = folder
    os.chdir(folder)
    try:
        runpy.run_path(program, run_name="__main__")
    except SystemExit as exc:
        code = exc.code
        if code is None:
            code = 0
        elif not isinstance(code, int):
            sys.stderr.write("%s\n" % (code,))
            return {"status": "exit", "exit_code": 1, "error": {"type": "SystemExit", "message": str(code)}}
        if code == 0:
            return {"status": "ok", "exit_code": 0, "error": None}
        return {"status": "exit", "exit_code": code,
                "error": {"type": "SystemExit", "message": "exit code %d" % code}}
    except BaseException as exc:
        print_program_traceback(exc)
        message = str(exc).strip().splitlines()
        return {"status": "error", "exit_code": 1,
                "error": {"type": type(exc).__name__, "message": message[0] if message else "",
                          "where": last_program_line(exc, folder)}}
    return {"status": "ok", "exit_code": 0, "error": None}


def print_program_traceback(exc):
    """The traceback Python would print, without the probe's and runpy's frames."""
    tb = exc.__traceback__
    while tb is not None and (tb.tb_frame.f_code.co_filename.startswith(PROBE_DIR)
                              or os.path.basename(tb.tb_frame.f_code.co_filename) == "runpy.py"):
        tb = tb.tb_next
    traceback.print_exception(type(exc), exc, tb)


def last_program_line(exc, folder):
    folder = os.path.join(os.path.realpath(folder), "")
    found = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        path = os.path.realpath(frame.f_code.co_filename)
        if path.startswith(folder):
            found = "%s:%d" % (os.path.relpath(path, folder), line)
    return found


def write_record(folder, record, records):
    arrays = {}
    for variable in records:
        for kind in ("initial", "final"):
            value = _storable(getattr(variable, kind))
            if value is not None:
                arrays["%s_%d" % (kind, variable.index)] = value
    np.savez(os.path.join(folder, "values.npz"), **arrays)
    temporary = os.path.join(folder, "record.json.tmp")
    with open(temporary, "w") as stream:
        json.dump(record, stream)
    os.replace(temporary, os.path.join(folder, "record.json"))


def _storable(value):
    if value is None:
        return None
    value = np.asarray(value)
    if value.dtype.kind in "biufc":
        return value
    if value.dtype.name == "bfloat16":
        return value.astype(np.float32)
    return None
