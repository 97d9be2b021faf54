"""Run several small programs in one Python process (one TensorFlow import for all of them).

    python keras3_runner.py WORKDIR PROGRAM.py ...

Runs inside a tfshift environment (Python 3.7+, stdlib only). Each program runs as `__main__`
in its own folder WORKDIR/<stem>, after `keras.backend.clear_session()`, with its output
captured; for each one prints a line `PROGRAM {"name", "result", "error", "seconds"}`: result is
the JSON of the program's last `RESULT {...}` line, error the exception it raised ("Type:
message").
"""

import contextlib
import io
import json
import os
import runpy
import sys
import time


def run(workdir, program):
    name = os.path.splitext(os.path.basename(program))[0]
    folder = os.path.join(workdir, name)
    os.makedirs(folder, exist_ok=True)
    os.chdir(folder)
    import tensorflow as tf  # imported here so that one import serves every program

    tf.keras.backend.clear_session()
    out, error, start = io.StringIO(), None, time.time()
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(program, run_name="__main__")
    except BaseException as exc:  # noqa: BLE001 - every failure is a result here
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        error = "%s: %s" % (type(exc).__name__, " | ".join(lines[:1] + lines[-3:]))
    results = [line[len("RESULT "):] for line in out.getvalue().splitlines() if line.startswith("RESULT ")]
    return {"name": name, "result": json.loads(results[-1]) if results else None, "error": error,
            "seconds": round(time.time() - start, 2)}


def main():
    workdir = os.path.abspath(sys.argv[1])
    for program in sys.argv[2:]:
        print("PROGRAM " + json.dumps(run(workdir, os.path.abspath(program))), flush=True)


if __name__ == "__main__":
    main()
