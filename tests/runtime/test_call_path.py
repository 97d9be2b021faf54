"""The per-call path: inputs fitted on the host without copies, and no header work a small call
does not need (no slab offered for a reply that never used one, no empty forget/unload lists)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from tfshift.runtime import ModelCallError, Runtime
from tfshift.runtime.signature import Signature

HEADER_OPS = Path(__file__).resolve().parent / "fixtures" / "header_ops.py"

SIG = Signature.from_wire({
    "inputs": [{"name": "x", "dtype": "float32", "shape": [None, 8], "tensor": "x:0"},
               {"name": "keep", "dtype": "float32", "shape": [], "tensor": "keep_prob:0"}],
    "outputs": [{"name": "probs", "dtype": "float32", "shape": [None, 3], "tensor": "probs:0"}],
})


def test_prepare_passes_fitting_arrays_through_in_signature_order():
    x = np.ones((4, 8), np.float32)
    keep = np.float32(0.5)
    prepared = SIG.prepare({"keep_prob": keep, "x:0": x})
    assert [name for name, _ in prepared] == ["x", "keep"]
    assert prepared[0][1] is x  # no copy when dtype and shape fit
    assert prepared[1][1].dtype == np.float32 and prepared[1][1].shape == ()
    cast = SIG.prepare({"x": np.ones((2, 8)), "keep": 1.0})  # float64 and a Python float
    assert cast[0][1].dtype == np.float32 and cast[1][1].dtype == np.float32


@pytest.mark.parametrize(("given", "message"), [
    ({"x": np.ones((1, 8), np.float32)}, "missing input"),
    ({"x": np.ones((1, 8), np.float32), "keep": 1.0, "y": 1}, "unexpected input 'y'"),
    ({"x": np.ones((1, 8), np.float32), "x:0": np.ones((1, 8), np.float32), "keep": 1.0},
     "input 'x' given twice"),
    ({"x": np.ones((1, 7), np.float32), "keep": 1.0}, "has shape"),
    ({"x": np.ones((1, 8), np.int32) + 0j, "keep": 1.0}, "convert it first"),
])
def test_prepare_refuses_what_does_not_fit(given, message):
    with pytest.raises(ModelCallError, match=message):
        SIG.prepare(given)


@pytest.fixture
def reporting(tf221):
    rt = Runtime(env=tf221, shm_budget=4 << 20)
    assert rt.extend(HEADER_OPS) == ["headers"]
    yield rt
    rt.close()


def test_small_requests_carry_no_slab_offer(reporting):
    rt = reporting
    rt.request("echo", {"a": np.ones(1 << 18)})  # leaves idle 2 MiB slabs in the pool
    first = rt.request("headers").header  # never seen: offered, in case its reply is large
    assert first["offer"] is not None
    assert rt.request("headers").header["keys"] == ["op"]  # its reply was small: no offer
    big = rt.request("headers", reply_bytes=1 << 20)
    assert big.header["keys"] == ["op", "reply_bytes"] and big.arrays["blob"].nbytes == 1 << 20
    del big  # a reply that used shared memory: the next one is offered a slab again
    assert rt.request("headers", reply_bytes=1 << 20).header["offer"] is not None


def test_forgotten_slabs_are_named_once(reporting):
    rt = reporting
    for size in (3 << 20, 2 << 20):  # over the 4 MiB budget: the older idle slab is removed
        rt.request("echo", {"a": np.ones(size // 8)})
    first, second = (rt.request("headers").header for _ in range(2))
    assert first["forget"] and "forget" not in second["keys"]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_an_idle_worker_does_not_spin(rt115, tf1_models):
    """After answering, the worker polls for the next request only for a moment."""
    model = rt115.load(tf1_models / "mlp_frozen.pb")
    x = np.ones((2, 8), np.float32)
    for _ in range(300):  # a caller in a loop: the worker keeps polling between calls
        model(x=x)
    before = _cpu_seconds(rt115.pid)
    time.sleep(1.0)
    assert _cpu_seconds(rt115.pid) - before < 0.1
