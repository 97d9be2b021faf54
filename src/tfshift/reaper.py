"""What cleans up after a tfshift process, however it ends: `python -I -S reaper.py`.

The supervisor (tfshift.supervisor) starts one reaper per tfshift process, in a session of its
own, and writes to its stdin what it must undo should tfshift die without doing it itself (a
kill -9 runs no handler): process groups to kill, temporary files and folders to remove, slab
prefixes in /dev/shm. Each line is a JSON list: ["+group", 1234] / ["-group", 1234],
["+path", "/x/.out.tfshift-1"] / ["-path", ...], ["+prefix", "/dev/shm", "tfshift-77-ab-"]
/ ["-prefix", ...]. End of input means tfshift is gone: a clean exit has undone (and said "-")
everything first, so whatever is still registered is left over, and goes.

Standard library only, nothing imported from tfshift: it must start in milliseconds.
"""

import contextlib
import json
import os
import shutil
import signal
import sys


def main():
    # Ctrl-C and a closed terminal are for tfshift to handle, not for its reaper.
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    registered = set()
    for line in sys.stdin.buffer:
        try:
            op, *item = json.loads(line)
        except ValueError:
            continue
        key = tuple(item)
        if op.startswith("+"):
            registered.add((op[1:], *key))
        else:
            registered.discard((op[1:], *key))
    for kind, *item in registered:
        if kind == "group":
            with contextlib.suppress(OSError):
                os.killpg(int(item[0]), signal.SIGKILL)
    for kind, *item in registered:
        if kind == "path":
            remove(item[0])
        elif kind == "prefix":
            folder, prefix = item
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            for name in names:
                if name.startswith(prefix):
                    remove(os.path.join(folder, name))


def remove(path):
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except OSError:
        pass


if __name__ == "__main__":
    main()
