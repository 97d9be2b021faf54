"""The host's end of the protocol pipes: frames with deadlines, EOF when the worker dies.

The calling thread reads the reply itself (no reader thread to hand it over), which keeps a
small call's overhead to two pipe wake-ups. Both fds are non-blocking and waited on with poll,
so a deadline holds even in the middle of a large frame.
"""

from __future__ import annotations

import math
import os
import select
import time
from collections.abc import Sequence

from tfshift.runtime.worker import wire

_SMALL = 1 << 16  # frames up to this size are joined and written with one syscall
# What one read asks for, before the payload (which is read in place). Not more: a read of
# 256 KiB allocates (and maps) a buffer that size, ~9 us even when 200 bytes arrive.
_CHUNK = 1 << 16


class WorkerGone(EOFError):
    """The worker closed its end of the pipes: it exited or was killed."""


class Channel:
    def __init__(self, rfd: int, wfd: int) -> None:
        self.rfd, self.wfd = rfd, wfd
        os.set_blocking(rfd, False)
        os.set_blocking(wfd, False)
        self._readable = select.poll()
        self._readable.register(rfd, select.POLLIN)
        self._writable = select.poll()
        self._writable.register(wfd, select.POLLOUT)
        self._buffer = bytearray()

    def send(self, buffers: Sequence[bytes | memoryview], deadline: float | None) -> None:
        if len(buffers) > 1 and sum(memoryview(b).nbytes for b in buffers) <= _SMALL:
            buffers = [b"".join(buffers)]
        for buffer in buffers:
            view = memoryview(buffer).cast("B")
            while view.nbytes:
                try:
                    view = view[os.write(self.wfd, view):]
                except BlockingIOError:  # the pipe is full: wait for the worker to read
                    self._wait(self._writable, deadline)
                except (BrokenPipeError, ConnectionResetError) as exc:
                    raise WorkerGone("the worker closed its pipe") from exc

    def recv(self, deadline: float | None) -> tuple[dict, bytearray]:
        if not self._buffer:  # a reply is never there the moment its request went out
            self._wait(self._readable, deadline)
        header_len, payload_len = wire.parse_prefix(self._take(wire.PREFIX.size, deadline))
        header = wire.load_header(self._take(header_len, deadline))
        return header, self._take_payload(payload_len, deadline)

    def _take(self, n: int, deadline: float | None) -> bytes:
        while len(self._buffer) < n:
            self._fill(deadline)
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    def _take_payload(self, n: int, deadline: float | None) -> bytearray:
        payload = bytearray(n)
        have = min(n, len(self._buffer))
        payload[:have] = self._buffer[:have]
        del self._buffer[:have]
        view = memoryview(payload)[have:]
        while view.nbytes:
            try:
                got = os.readv(self.rfd, [view])
            except BlockingIOError:
                self._wait(self._readable, deadline)
                continue
            if not got:
                raise WorkerGone("the worker closed its pipe")
            view = view[got:]
        return payload

    def _fill(self, deadline: float | None) -> None:
        try:
            chunk = os.read(self.rfd, _CHUNK)
        except BlockingIOError:  # nothing yet: sleep until there is
            self._wait(self._readable, deadline)
            return
        if not chunk:
            raise WorkerGone("the worker closed its pipe")
        self._buffer += chunk

    @staticmethod
    def _wait(poller: select.poll, deadline: float | None) -> None:
        if deadline is None:
            poller.poll()
            return
        left = deadline - time.monotonic()
        if not poller.poll(max(0, math.ceil(left * 1000))):  # past it: only what is there now
            raise TimeoutError
