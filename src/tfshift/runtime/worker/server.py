"""The worker's side of the protocol: read a request, run its operation, answer; until EOF.

Requests are served one at a time, in order. Large reply arrays go into shared memory: the one the
host offered with the request when it is big enough, or a slab asked for with an `alloc` frame.
"""
import contextlib
import ctypes
import faulthandler
import json
import mmap
import os
import select
import signal
import sys
import threading
import time
import traceback

import numpy as np

from . import ops, wire
from .errors import OperationError

# Maps shared memory with its page tables filled in one go: far cheaper than faulting 4 KiB at a
# time. Python < 3.10 lacks the constant; 0x8000 is its value on Linux for x86 and ARM.
MAP_POPULATE = getattr(mmap, "MAP_POPULATE", 0x8000 if sys.platform.startswith("linux") else 0)
MAX_MESSAGE = 20000  # characters of an error message sent back


def map_file(fd, size):
    try:
        return mmap.mmap(fd, size, flags=mmap.MAP_SHARED | MAP_POPULATE)
    except (OSError, ValueError):
        return mmap.mmap(fd, size, flags=mmap.MAP_SHARED)


class Channel(object):
    """Blocking frames over the two pipes the host gave us.

    After answering, the worker polls for the next request for a moment (`spin` seconds) before
    it sleeps: a caller in a loop sends it within ~0.1 ms, and a worker that slept pays for being
    woken and for TensorFlow's cold caches (tens of microseconds each, on a small call). It spins
    only while requests keep coming that fast, and yields the CPU to anything else runnable.
    """

    def __init__(self, rfd, wfd, spin=0.0):
        self.rfd = rfd
        self.wfd = wfd
        self.buffer = bytearray()
        self.spin = spin
        self.spinning = spin > 0
        self.replied = None  # when the last answer went out
        self.poller = select.poll()
        self.poller.register(rfd, select.POLLIN)

    def send(self, buffers):
        # wire.encode's buffers are bytes or flat byte views: len() is their size.
        if len(buffers) > 1 and sum(map(len, buffers)) <= (1 << 16):
            buffers = [b"".join(buffers)]
        for buf in buffers:
            view = memoryview(buf)
            while len(view):
                view = view[os.write(self.wfd, view):]
        if self.spin:
            self.replied = time.monotonic()

    def recv(self):
        """(header, payload) of the next frame, or None when the host has gone."""
        if self.replied is not None and not self.buffer:
            self._wait_briefly()
        head = self._read(wire.PREFIX.size)
        if head is None:
            return None
        header_len, payload_len = wire.parse_prefix(head)
        header = wire.load_header(self._read(header_len) or b"")
        payload = bytearray(payload_len)
        have = min(payload_len, len(self.buffer))
        payload[:have] = self.buffer[:have]
        del self.buffer[:have]
        view = memoryview(payload)[have:]
        while len(view):
            n = os.readv(self.rfd, [view])
            if not n:
                return None
            view = view[n:]
        return header, payload

    def _wait_briefly(self):
        replied, self.replied = self.replied, None
        if self.spinning:
            poll = self.poller.poll
            now = time.monotonic
            end = replied + self.spin
            while not poll(0):
                if now() >= end:
                    self.spinning = False  # the caller is not in a loop: sleep until it is
                    return
                os.sched_yield()
        else:
            self.poller.poll()
            self.spinning = time.monotonic() - replied < self.spin

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = os.read(self.rfd, 1 << 16)
            if not chunk:
                return None
            self.buffer += chunk
        data = bytes(self.buffer[:n])
        del self.buffer[:n]
        return data


class Slabs(object):
    """The host's shared-memory files this worker has mapped, by name."""

    def __init__(self, directory):
        self.directory = directory
        self.maps = {}

    def view(self, name):
        mm = self.maps.get(name)
        if mm is None:
            if os.sep in name or name.startswith("."):
                raise wire.ProtocolError("bad slab name %r" % (name,))
            fd = os.open(os.path.join(self.directory, name), os.O_RDWR)
            try:
                mm = map_file(fd, os.fstat(fd).st_size)
            finally:
                os.close(fd)
            self.maps[name] = mm
        return memoryview(mm)

    def forget(self, names):
        for name in names:
            mm = self.maps.pop(name, None)
            if mm is not None:
                with contextlib.suppress(BufferError):  # a view still alive keeps the mapping
                    mm.close()


class State(object):
    """What the worker keeps between requests: TensorFlow, loaded models, mapped slabs."""

    def __init__(self, config):
        self.config = config
        self.slabs = Slabs(config["shm_dir"])
        self.models = {}
        self.next_handle = 1
        self.extra_ops = {}
        self.bfloat16 = None
        self.tf = None

    def start(self):
        from . import tfcompat

        self.tf = tfcompat.load()
        self.bfloat16 = tfcompat.bfloat16()
        return {
            "protocol": wire.PROTOCOL,
            "pid": os.getpid(),
            "python": "%d.%d.%d" % sys.version_info[:3],
            "numpy": np.__version__,
            "tensorflow": self.tf.__version__,
            "ops": sorted(ops.OPS),
        }

    def add_model(self, model):
        handle = self.next_handle
        self.next_handle += 1
        self.models[handle] = model
        return handle

    def model(self, handle):
        try:
            return self.models[handle]
        except KeyError:
            raise OperationError("no model with handle %r (unloaded?)" % (handle,)) from None

    def unload(self, handles):
        for handle in handles:
            model = self.models.pop(handle, None)
            if model is not None:
                model.close()

    def operation(self, name):
        fn = self.extra_ops.get(name) or ops.OPS.get(name)
        if fn is None:
            known = ", ".join(sorted(set(ops.OPS) | set(self.extra_ops)))
            raise OperationError("unknown operation %r; this worker knows: %s" % (name, known))
        return fn


def describe_error(exc):
    message = str(exc) or repr(exc)
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + " [...]"
    return {
        "kind": getattr(exc, "kind", "error"),
        "type": type(exc).__name__,
        "message": message,
        "traceback": traceback.format_exc(),
    }


def placer(chan, state, offer):
    """Where reply arrays go: the offered slab if big enough, else one asked of the host."""

    def place(nbytes):
        if offer and offer.get("size", 0) >= nbytes:
            name = offer["slab"]
        else:
            chan.send(wire.encode({"alloc": nbytes}, []))
            answer = chan.recv()
            if answer is None:
                raise EOFError("the host went away")
            name = answer[0].get("slab")
            if not name:
                return None
        return name, state.slabs.view(name)[:nbytes]

    return place


def handle(chan, state, header, payload):
    if "forget" in header:
        state.slabs.forget(header["forget"])
    if "unload" in header:
        state.unload(header["unload"])
    try:
        fn = state.operation(header.get("op"))
        arrays = wire.decode(header, payload, state.slabs.view, state.bfloat16) if "arrays" in header else []
        del payload
        reply, reply_arrays = fn(state, header, arrays)
        del arrays
        place = placer(chan, state, header.get("offer")) if reply_arrays else None
        return wire.encode(dict(reply, ok=True), reply_arrays, place=place, bfloat16=state.bfloat16)
    except EOFError:
        raise
    except Exception as exc:
        return wire.encode({"ok": False, "error": describe_error(exc)}, [])


def serve(chan, state):
    while True:
        message = chan.recv()
        if message is None:
            return 0
        header, payload = message
        if header.get("op") == "exit":
            chan.send(wire.encode({"ok": True}, []))
            return 0
        try:
            frame = handle(chan, state, header, payload)
        except EOFError:
            return 0
        del message, payload
        chan.send(frame)


def follow_host(host_pid):
    """Die with the host: the kernel's parent-death signal, or a watchdog where there is none."""
    armed = False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(1, int(signal.SIGKILL), 0, 0, 0) == 0  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != host_pid:
        os._exit(1)  # the host died before the signal was armed
    if not armed:
        def watch():
            while os.getppid() == host_pid:
                time.sleep(0.25)
            os._exit(1)

        threading.Thread(target=watch, name="tfshift-host-watch", daemon=True).start()


def quiet_process():
    # Everything a model prints goes to stderr, which the host keeps; the protocol has its own fds.
    os.dup2(2, 1)
    for stream in (sys.stdout, sys.stderr):  # before 3.9, stderr is block-buffered off a TTY
        stream.reconfigure(line_buffering=True)
    # Ctrl-C is the host's business (the worker runs in its own session anyway).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A crash prints the Python stack to stderr, so the host can quote it.
    faulthandler.enable()
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
        resource.setrlimit(resource.RLIMIT_CORE, (0, hard))  # no core files in the user's folders
    except (ImportError, ValueError, OSError):
        pass


def main(argv):
    config = json.loads(argv[0])
    quiet_process()
    follow_host(config["host_pid"])
    chan = Channel(config["rfd"], config["wfd"], spin=config.get("spin", 0.0))
    state = State(config)
    try:
        hello = state.start()
    except BaseException as exc:  # a TensorFlow that cannot import raises anything, even SystemExit
        chan.send(wire.encode({"ok": False, "error": describe_error(exc)}, []))
        return 3
    chan.send(wire.encode(dict(hello, ok=True), []))
    return serve(chan, state)
