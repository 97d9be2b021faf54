"""A loaded model's signature, and how the host fits the caller's arrays to it."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from tfshift.runtime.errors import ModelCallError


@functools.cache
def bfloat16() -> np.dtype:
    import ml_dtypes

    return np.dtype(ml_dtypes.bfloat16)


@functools.cache
def numpy_dtype(name: str) -> np.dtype | None:
    """The NumPy dtype for a TensorFlow dtype name; None for ones without (resource, variant)."""
    if name == "string":
        return np.dtype(object)
    if name == "bfloat16":
        return bfloat16()
    try:
        return np.dtype(name)
    except TypeError:
        return None


@dataclass(frozen=True)
class TensorSpec:
    """One input or output: `name` as in calls and results, TF dtype name, shape (None = unknown)."""

    name: str
    dtype: str
    shape: tuple[int | None, ...] | None
    tensor: str | None = None  # the graph tensor, for graph models ("probs:0")

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> TensorSpec:
        shape = d.get("shape")
        return cls(d["name"], d["dtype"], None if shape is None else tuple(shape), d.get("tensor"))

    def matches(self, key: str) -> bool:
        return key in (self.name, self.tensor) or (self.tensor is not None and f"{key}:0" == self.tensor)

    def __str__(self) -> str:
        if self.shape is None:
            dims = "[...]"
        else:
            dims = "[" + ", ".join("?" if d is None else str(d) for d in self.shape) + "]"
        return f"{self.name}: {self.dtype}{dims}"


@dataclass(frozen=True)
class Signature:
    inputs: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]

    @classmethod
    def from_wire(cls, d: Mapping[str, Any]) -> Signature:
        return cls(tuple(TensorSpec.from_wire(s) for s in d["inputs"]),
                   tuple(TensorSpec.from_wire(s) for s in d["outputs"]))

    def __str__(self) -> str:
        ins = ", ".join(str(s) for s in self.inputs)
        outs = ", ".join(str(s) for s in self.outputs)
        return f"({ins}) -> ({outs})"

    @functools.cached_property
    def _by_key(self) -> dict[str, tuple[int, TensorSpec, np.dtype | None]]:
        """Every name an input answers to (see TensorSpec.matches) -> (position, spec, dtype)."""
        table: dict[str, tuple[int, TensorSpec, np.dtype | None]] = {}
        for i, spec in reversed(list(enumerate(self.inputs))):  # the first match wins
            entry = (i, spec, numpy_dtype(spec.dtype))
            table[spec.name] = entry
            if spec.tensor is not None:
                table[spec.tensor] = entry
                if spec.tensor.endswith(":0"):
                    table[spec.tensor[:-2]] = entry
        return table

    def prepare(self, given: Mapping[str, Any]) -> list[tuple[str, np.ndarray]]:
        """The caller's inputs as arrays in signature order, cast and checked."""
        by_key = self._by_key
        found: list[np.ndarray | None] = [None] * len(self.inputs)
        for key, value in given.items():
            entry = by_key.get(key)
            if entry is None:
                raise ModelCallError(f"unexpected input {key!r}; the model takes {self._names()}")
            i, spec, target = entry
            if found[i] is not None:
                raise ModelCallError(f"input {spec.name!r} given twice")
            found[i] = _fit(spec, value, target)
        if len(given) != len(self.inputs):  # each key filled its own slot, or raised above
            missing = [s.name for s, a in zip(self.inputs, found, strict=True) if a is None]
            raise ModelCallError(f"missing input(s) {', '.join(missing)}; the model takes {self._names()}")
        return [(s.name, a) for s, a in zip(self.inputs, found, strict=True)]  # type: ignore[misc]

    def _names(self) -> str:
        return ", ".join(s.name for s in self.inputs) or "no inputs"


def _fit(spec: TensorSpec, value: Any, target: np.dtype | None) -> np.ndarray:
    array = value if type(value) is np.ndarray else np.asarray(value)
    if spec.dtype == "string" and array.dtype.kind in "US":
        array = _as_bytes_objects(array)
    elif spec.dtype == "string" and array.dtype.kind != "O":  # numbers cast to object stay numbers
        raise ModelCallError(f"input {spec.name!r} is {array.dtype}; the model takes strings: "
                             "give str or bytes")
    elif target is not None and array.dtype != target:
        if not np.can_cast(array.dtype, target, "same_kind"):
            raise ModelCallError(f"input {spec.name!r} is {array.dtype}; the model takes "
                                 f"{spec.dtype}: convert it first")
        array = array.astype(target)
    if spec.shape is not None:
        fits = len(spec.shape) == array.ndim
        if fits:
            for want, got in zip(spec.shape, array.shape, strict=True):
                if want is not None and want != got:
                    fits = False
                    break
        if not fits:
            raise ModelCallError(f"input {spec.name!r} has shape {tuple(array.shape)}; the model "
                                 f"takes {spec}")
    return array


def _as_bytes_objects(array: np.ndarray) -> np.ndarray:
    out = np.empty(array.shape, dtype=object)
    flat = out.reshape(-1)
    for i, item in enumerate(array.reshape(-1).tolist()):
        flat[i] = item.encode("utf-8") if isinstance(item, str) else item
    return out
