"""`tfshift.Runtime`: one TensorFlow version in a worker process, called from this one.

A Runtime owns one worker in the managed environment of its version (built on demand). Requests
go one at a time (a lock), so any number of threads may share a Runtime; several Runtimes run
side by side. The worker starts in the background: making two Runtimes imports both
TensorFlows at once, and the first request waits for the worker's hello.
"""

from __future__ import annotations

import collections
import os
import sys
import threading
import time
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tfshift.envs import manager
from tfshift.errors import ModelLoadError, WorkerError
from tfshift.runtime import shm
from tfshift.runtime.channel import Channel, WorkerGone
from tfshift.runtime.errors import CallTimeout, ModelCallError, RemoteError, RuntimeBusy
from tfshift.runtime.process import WorkerProcess
from tfshift.runtime.signature import Signature, bfloat16
from tfshift.runtime.worker import wire

START_TIMEOUT = 600.0  # importing TensorFlow takes 3-20 s; building its environment much longer


@dataclass(frozen=True)
class Reply:
    """What an operation returned: its JSON header and its arrays by name."""

    header: dict[str, Any]
    arrays: dict[str, np.ndarray]


class Runtime:
    """A TensorFlow version in its own worker process.

        with tfshift.Runtime("1.15") as old, tfshift.Runtime("2.21") as new:
            a = old.load("model.pb", inputs=["x:0"], outputs=["probs:0"])
            print(a.signature)
            probs = a(x=batch)["probs"]

    version, keras2, extras, python, gpu, cuda: the managed environment (as `tfshift env create`;
    gpu=True: the GPU environment, whose CUDA libraries the worker finds on its own), or
    env= one you have. timeout: default seconds per call (None: no limit). start_timeout: how
    long the first request waits for the worker to import TensorFlow. echo_stderr: copy the
    worker's stderr to ours. shared_memory, shm_dir, shm_budget: large arrays go through slabs
    in shm_dir (default /dev/shm); idle slabs are kept up to shm_budget bytes.
    """

    def __init__(self, version: str | None = None, *, keras2: bool = False,
                 extras: Sequence[str] = (), python: str | os.PathLike[str] | None = None,
                 gpu: bool = False, cuda: str | None = None,
                 env: manager.Env | None = None, timeout: float | None = None,
                 start_timeout: float = START_TIMEOUT, echo_stderr: bool = False,
                 shared_memory: bool = True, shm_dir: str | os.PathLike[str] | None = None,
                 shm_budget: int = shm.DEFAULT_BUDGET) -> None:
        if env is None:
            if version is None:
                raise TypeError("Runtime() needs a TensorFlow version (or env=)")
            env = manager.ensure(version, keras2=keras2, extras=list(extras), python=python,
                                 gpu=gpu, cuda=cuda)
        self.env = env
        self.timeout = timeout
        self._lock = threading.Lock()
        self._pool = shm.SlabPool(shm_dir, shm_budget)
        if not shared_memory:
            self._pool.disable("switched off (shared_memory=False)")
        self._unloads: collections.deque[int] = collections.deque()
        # (op, model) -> whether its last reply put arrays in shared memory: only such requests
        # are offered an idle slab for their reply (small calls carry no offer, nor return one).
        self._large_replies: dict[tuple[str, Any], bool] = {}
        self._dead: WorkerError | None = None
        self._closed = False
        self._hello: dict[str, Any] | None = None
        self._start_deadline = time.monotonic() + start_timeout
        self._worker = WorkerProcess(env, self._pool.directory, echo_stderr=echo_stderr)
        self._channel = Channel(self._worker.rfd, self._worker.wfd)
        self._finalizer = weakref.finalize(self, _abandon, self._worker, self._pool)

    # -- what it is

    @property
    def tf_version(self) -> str:
        return self.env.tf_version

    @property
    def python_version(self) -> str:
        return self.env.python_version

    @property
    def keras(self) -> str:
        """"keras2" or "keras3": what tf.keras is in this runtime."""
        return self.env.keras

    @property
    def pid(self) -> int:
        return self._worker.pid

    @property
    def alive(self) -> bool:
        return not self._closed and self._dead is None and self._worker.exit_code(0) is None

    @property
    def info(self) -> dict[str, Any]:
        """The worker's hello: Python, NumPy and TensorFlow versions, pid, operations."""
        if self._hello is None:
            self.request("ping")
        assert self._hello is not None
        return dict(self._hello)

    def stderr_tail(self, lines: int = 50) -> list[str]:
        return list(self._worker.tail)[-lines:]

    def __repr__(self) -> str:
        state = "closed" if self._closed else "dead" if self._dead else f"pid {self.pid}"
        return f"<tfshift.Runtime TF {self.tf_version} (Python {self.python_version}, {state})>"

    # -- models

    def load(self, path: str | os.PathLike[str], *, inputs: Sequence[str] | None = None,
             outputs: Sequence[str] | None = None, signature: str | None = None,
             tags: str | Sequence[str] | None = None, unsafe: bool = False,
             custom_objects: str | os.PathLike[str] | None = None, session: bool = False,
             standalone_keras: bool = False, timeout: float | None = None) -> Model:
        """Load a model; its format is detected from its content (see tfshift.models.formats).

        inputs/outputs: graph tensor names ("x:0" or "x") for frozen graphs and checkpoints
        (default: the placeholders the outputs need, and the graph's computing sink ops);
        for other formats `outputs` keeps only the named outputs. signature/tags: which
        SavedModel signature and meta graph (default serving_default, and the only or "serve"
        tag set). unsafe: allow Keras layers that carry Python code (Lambda). custom_objects:
        a module name or .py file with custom Keras classes. session: run a SavedModel in a
        tf.compat.v1.Session under TF 2.x too. standalone_keras: read a Keras file with the
        standalone `keras` package of this environment (`extras=["keras==2.3.1"]`), not tf.keras.
        """
        found, request = load_request(path, inputs=inputs, outputs=outputs, signature=signature,
                                      tags=tags, unsafe=unsafe, custom_objects=custom_objects,
                                      session=session, standalone_keras=standalone_keras)
        from tfshift.live import phase

        try:
            if self._hello is None:  # start-up first, as its own phase
                self.request("ping", timeout=timeout)
            with phase(f"loading {Path(path).name} in TensorFlow {self.tf_version}",
                       done=f"loaded {Path(path).name} in TensorFlow {self.tf_version}"):
                reply = self.request("load", timeout=timeout, **request)
        except RemoteError as exc:
            raise ModelLoadError(
                f"{path}: TensorFlow {self.tf_version} could not load this {found.description}: {exc}",
                remote_type=exc.remote_type, remote_traceback=exc.remote_traceback) from None
        return Model(self, reply.header, found)

    def extend(self, path: str | os.PathLike[str]) -> list[str]:
        """Load worker operations from a Python file defining `OPS = {name: fn}`; their names.

        The file runs inside the worker (Python 3.7+, standard library, NumPy, TensorFlow);
        call its operations with `request(name, arrays, **fields)`. See docs/runtime.md.
        """
        return list(self.request("extend", path=str(Path(path).resolve())).header["ops"])

    def _unload_later(self, handle: int) -> None:
        self._unloads.append(handle)  # lock-free: may run in a finalizer

    # -- requests

    def request(self, op: str, arrays: Mapping[str, Any] | None = None, *,
                timeout: float | None = None, **fields: Any) -> Reply:
        """Run one worker operation (see worker/registry.py) and return its reply.

        Raises RemoteError when the operation fails, WorkerError when the worker dies,
        CallTimeout after `timeout` seconds (default: the Runtime's), which stops the worker,
        RuntimeBusy when the timeout ran out while other threads' calls held the runtime.
        """
        return self._request(op, list(arrays.items()) if arrays else [], timeout, fields)

    def _request(self, op: str, arrays: list[tuple[str, Any]], timeout: float | None,
                 fields: dict[str, Any]) -> Reply:
        timeout = self.timeout if timeout is None else timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self._lock.acquire(timeout=-1 if timeout is None else timeout):
            raise RuntimeBusy(f"{op!r}: waited {timeout:g} s for other calls on this runtime to finish")
        try:
            if self._closed or self._dead is not None:
                self._check_usable()
            if self._hello is None:
                self._greet()
            return self._exchange(op, arrays, fields, deadline, timeout)
        finally:
            self._lock.release()

    def _check_usable(self) -> None:
        if self._closed:
            raise WorkerError(f"the TF {self.tf_version} runtime is closed")
        if self._dead is not None:
            raise WorkerError(f"this runtime is unusable, start a new one: {self._dead}",
                              stderr_tail=self._dead.stderr_tail, returncode=self._dead.returncode)

    def _greet(self) -> None:
        from tfshift.live import phase

        try:
            with phase(f"starting TensorFlow {self.tf_version} (Python {self.python_version})",
                       done=f"started TensorFlow {self.tf_version}"):
                header, _ = self._channel.recv(self._start_deadline)
        except TimeoutError:
            self._worker.kill()
            raise self._fail(self._worker.error("did not start in time")) from None
        except (WorkerGone, wire.ProtocolError):
            raise self._fail(self._worker.diagnose("starting")) from None
        if not header.get("ok"):
            error = header.get("error", {})
            raise self._fail(self._worker.error(
                f"could not start ({error.get('type')}: {error.get('message')})"))
        if header.get("protocol") != wire.PROTOCOL:
            raise self._fail(self._worker.error(f"speaks protocol {header.get('protocol')}"))
        self._hello = header

    def _exchange(self, op: str, arrays: list[tuple[str, Any]], fields: dict[str, Any],
                  deadline: float | None, timeout: float | None) -> Reply:
        header: dict[str, Any] = {"op": op, **fields}
        pool = self._pool
        if pool.has_news():
            forget = pool.forgotten()
            if forget:
                header["forget"] = forget
        if self._unloads:
            header["unload"] = [self._unloads.popleft() for _ in range(len(self._unloads))]
        held: list[shm.Slab] = []  # slabs of this exchange, given back at the end unless lent
        kind = (op, fields.get("model"))
        if pool.has_idle() and self._large_replies.get(kind, True):
            offer = pool.take_largest_idle()
            if offer is not None:
                held.append(offer)
                header["offer"] = {"slab": offer.name, "size": offer.size}

        def place(nbytes: int) -> tuple[str, memoryview] | None:
            slab = self._pool.take(nbytes)
            if slab is None:
                return None
            held.append(slab)
            return slab.name, slab.view(nbytes)

        in_flight = False  # between the first byte sent and the whole reply read
        try:
            frame = wire.encode(header, arrays, place=place, bfloat16=_host_bfloat16())
            in_flight = True
            self._channel.send(frame, deadline)
            del frame
            while True:
                reply, payload = self._channel.recv(deadline)
                if "alloc" not in reply:
                    break
                slab = self._pool.take(reply["alloc"])
                if slab is not None:
                    held.append(slab)
                answer = {"slab": slab.name, "size": slab.size} if slab else {"slab": None}
                self._channel.send(wire.encode(answer, []), deadline)
            in_flight = False
            if not reply.get("ok"):
                raise _remote_error(reply.get("error") or {})
            descs = reply.get("arrays")
            if not descs:
                self._remember(kind, False)
                return Reply(reply, {})
            large = bf16 = False
            for desc in descs:
                large = large or "slab" in desc
                bf16 = bf16 or desc["dtype"] == wire.BFLOAT16
            self._remember(kind, large)
            return Reply(reply, dict(wire.decode(reply, payload, self._lender(held) if large else None,
                                                 bfloat16() if bf16 else None)))
        except TimeoutError:
            self._worker.kill()
            error = self._worker.diagnose(f"running {op!r}")
            raise self._fail(CallTimeout(
                f"{op!r} took longer than {timeout:g} s; the TF {self.tf_version} worker was "
                "stopped (TensorFlow cannot interrupt a running op)",
                stderr_tail=error.stderr_tail, returncode=error.returncode)) from None
        except (WorkerGone, wire.ProtocolError):
            raise self._fail(self._worker.diagnose(f"running {op!r}")) from None
        except BaseException:
            if in_flight:  # interrupted (Ctrl-C): a reply would now arrive out of step
                self._worker.kill()
                self._fail(self._worker.diagnose(f"running {op!r} (interrupted)"))
            raise
        finally:
            for slab in held:
                self._pool.give(slab)

    def _remember(self, kind: tuple[str, Any], large: bool) -> None:
        if self._large_replies.get(kind) is not large:
            if len(self._large_replies) > 4096:  # many models loaded and closed over time
                self._large_replies.clear()
            self._large_replies[kind] = large

    def _lender(self, held: list[shm.Slab]):
        lent: dict[str, memoryview] = {}

        def view(name: str) -> memoryview:
            if name not in lent:
                slab = next((s for s in held if s.name == name), None)
                if slab is None:
                    raise wire.ProtocolError(f"reply refers to unknown slab {name!r}")
                held.remove(slab)
                lent[name] = self._pool.lend(slab)
            return lent[name]

        return view

    def _fail(self, error: WorkerError) -> WorkerError:
        self._dead = error
        return error

    # -- lifetime

    def close(self) -> None:
        """Stop the worker (after any running call) and remove this runtime's shared memory."""
        if self._closed:
            return
        with self._lock:
            self._closed = True
            self._finalizer.detach()
            self._worker.stop(grace=5.0 if self._hello else 0.0)  # still starting: nothing to wait for
            self._pool.close()

    def kill(self) -> None:
        """Stop the worker at once; a running call raises WorkerError."""
        self._worker.kill()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load_request(path: str | os.PathLike[str], *, inputs: Sequence[str] | None = None,
                 outputs: Sequence[str] | None = None, signature: str | None = None,
                 tags: str | Sequence[str] | None = None, unsafe: bool = False,
                 custom_objects: str | os.PathLike[str] | None = None,
                 session: bool = False, standalone_keras: bool = False) -> tuple[Any, dict[str, Any]]:
    """The detected model at `path` and the worker's request to load it (see Runtime.load).

    Worker operations that read a model the way `load` does (convert's) take the same fields.
    """
    from tfshift.models import formats

    found = formats.detect(path)
    if inputs and found.format not in formats.GRAPH_FORMATS:
        raise ModelLoadError(f"{path}: inputs= names graph tensors; a {found.format} model's "
                             "inputs come from its signature")
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    if custom_objects is not None and Path(custom_objects).is_file():
        custom_objects = Path(custom_objects).absolute()
    request = {  # absolute paths: the worker keeps the working folder it started in
        "format": found.format, "path": found.load_path(), "text": found.text,
        "meta_graph": str(found.meta_graph.absolute()) if found.meta_graph else None,
        "tag_sets": [list(m.tags) for m in found.meta_graphs],
        "inputs": list(inputs or ()), "outputs": list(outputs or ()),
        "signature": signature, "tags": list(tags) if tags else None, "unsafe": unsafe,
        "custom_objects": str(custom_objects) if custom_objects else None, "session": session,
        "standalone_keras": standalone_keras,
    }
    return found, request


def _remote_error(error: Mapping[str, Any]) -> RemoteError:
    kind = error.get("kind")
    message = error.get("message") or "failed"
    if kind not in ("load", "call", "request"):
        message = f"{error.get('type', 'Error')}: {message}"
    cls = ModelCallError if kind == "call" else RemoteError
    return cls(message, remote_type=error.get("type"), remote_traceback=error.get("traceback"))


def _host_bfloat16() -> np.dtype | None:
    # Only an ml_dtypes the caller imported can have made a bfloat16 array.
    return bfloat16() if "ml_dtypes" in sys.modules else None


def _abandon(worker: WorkerProcess, pool: shm.SlabPool) -> None:
    """A Runtime garbage-collected (or left open at exit) without close()."""
    worker.stop(grace=1.0)
    pool.close()


class Model:
    """A model loaded in a Runtime. Call it with arrays by input name; get a dict of arrays."""

    def __init__(self, runtime: Runtime, reply: Mapping[str, Any], source: Any) -> None:
        self.runtime = runtime
        self.handle: int = reply["handle"]
        self.signature = Signature.from_wire(reply["signature"])
        self.info: dict[str, Any] = dict(reply.get("info") or {})
        self.source = source  # the detected tfshift.models.formats.ModelFile
        self._finalizer = weakref.finalize(self, runtime._unload_later, self.handle)

    @property
    def path(self) -> Path:
        return self.source.path

    @property
    def input_names(self) -> list[str]:
        return [s.name for s in self.signature.inputs]

    @property
    def output_names(self) -> list[str]:
        return [s.name for s in self.signature.outputs]

    def __call__(self, *args: Any, **kwargs: Any) -> dict[str, np.ndarray]:
        """model(x=...), model({"x:0": ...}), or model(array) for a single-input model."""
        if args:
            if len(args) > 1 or kwargs:
                raise TypeError("call a model with keyword arrays, one dict, or one array")
            (given,) = args
            if not isinstance(given, Mapping):
                if len(self.signature.inputs) != 1:
                    raise TypeError(f"this model takes {len(self.signature.inputs)} inputs: "
                                    "pass them by name")
                given = {self.signature.inputs[0].name: given}
            kwargs = dict(given)
        return self.call(kwargs)

    def call(self, inputs: Mapping[str, Any], *, timeout: float | None = None) -> dict[str, np.ndarray]:
        arrays = self.signature.prepare(inputs)
        return self.runtime._request("call", arrays, timeout, {"model": self.handle}).arrays

    def close(self) -> None:
        """Free the model in the worker (also done when the Model is garbage-collected)."""
        self._finalizer()

    def __repr__(self) -> str:
        return (f"<tfshift Model {self.path.name} ({self.source.format}) in TF "
                f"{self.runtime.tf_version}: {self.signature}>")
