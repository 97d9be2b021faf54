"""The inputs both models get: read from an .npz by name, or generated from the signature.

Generated inputs are reproducible from the seed (NumPy's PCG64, the same stream on every NumPy
version): floats standard normal, integers uniform in a safe range (the rows of the embedding or
one-hot an input indexes when the graph or Keras config shows it, else --int-range, else 0..9),
bools fair coins, strings from a small vocabulary; unknown dimensions are --batch. A sparse
input's components are made together (unique indices in row-major order inside its dense shape,
about a third of the elements set); a ragged input's rows get 0 to 4 values each.
"""

from __future__ import annotations

import math
import os
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tfshift import arguments, reading
from tfshift.errors import TfshiftError
from tfshift.runtime.signature import TensorSpec, numpy_dtype

DEFAULT_INT_RANGE = (0, 10)  # [low, high): small non-negative ints fit most index-like inputs
VOCABULARY = (b"the", b"model", b"tensorflow", b"", b"0", b"42", b"hello world", b"caf\xc3\xa9",
              b"UNK", b"a longer sentence with several words")


class InputError(TfshiftError):
    """The inputs file or the input options do not fit the models."""


@dataclass
class InputPlan:
    """What was fed: the batches, and how they were made (for the report)."""

    batches: list[dict[str, np.ndarray]]
    source: str  # "file" or "generated"
    path: str | None = None
    seed: int | None = None
    ranges: dict[str, tuple[int, int]] = field(default_factory=dict)  # integer input -> [low, high)
    unused: list[str] = field(default_factory=list)  # arrays in the file no input takes

    def to_dict(self) -> dict[str, Any]:
        first = self.batches[0] if self.batches else {}
        return {
            "source": self.source, "path": self.path, "seed": self.seed,
            "samples": len(self.batches),
            "arrays": [{"name": k, "dtype": dtype_name(v), "shape": list(v.shape)} for k, v in first.items()],
            "int_ranges": {k: list(v) for k, v in self.ranges.items()},
            "unused": self.unused,
        }


def dtype_name(array: np.ndarray) -> str:
    if array.dtype == object or array.dtype.kind in "SU":
        return "string"
    return str(array.dtype)


# -- from a file


def read_file(path: str | Path) -> dict[str, np.ndarray]:
    """The arrays of an .npz (or one .npy), never unpickling anything."""
    p = Path(path).expanduser()
    reading.check_regular(p)
    if not p.is_file():
        raise InputError(f"{p}: no such inputs file (give an .npz with one array per input)")
    _check_npz(p)
    try:
        with open(p, "rb") as fh:  # our own handle: np.load leaks its own when a zip is bad
            magic = fh.read(6)
            if not (magic.startswith(b"PK\x03\x04") or magic == b"\x93NUMPY"):
                raise InputError(f"{p}: not a NumPy .npz/.npy file; save the inputs with "
                                 "np.savez(path, name=array, ...) and give that file")
            fh.seek(0)
            data = np.load(fh, allow_pickle=False)
            if isinstance(data, np.ndarray):
                return {"": data}
            with data:
                return {k: data[k] for k in data.files}
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise InputError(f"{p}: holds Python objects, which tfshift never unpickles; save "
                             "strings as fixed-width arrays (np.array([...], dtype='S'))") from None
        raise InputError(f"{p}: not a NumPy .npz/.npy file ({exc})") from None
    except (OSError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
        raise InputError(f"{p}: not a readable NumPy .npz/.npy file ({exc})") from None


def _check_npz(p: Path) -> None:
    """Refuse an .npz that would cost more memory than the machine allows before NumPy
    allocates anything: members past the budget in all (a zip bomb), an array header claiming
    more elements than its member holds (NumPy allocates the claim first), unsafe names."""
    if not zipfile.is_zipfile(p):
        return
    try:
        with zipfile.ZipFile(p) as zf:
            reading.check_archive(zf, p, max_members=10_000, max_total=memory_budget())
            for info in zf.infolist():
                with zf.open(info) as member:
                    fmt = np.lib.format
                    version = fmt.read_magic(member)
                    header = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
                    shape, _, dtype = header(member)
                if dtype.hasobject:
                    continue  # np.load refuses it below (allow_pickle=False), with our message
                if math.prod(shape) * dtype.itemsize > info.file_size:
                    raise InputError(f"{p}: {info.filename} claims a {shape} {dtype} array, more "
                                     f"than the {info.file_size} bytes it holds: damaged or hostile")
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise InputError(f"{p}: not a readable NumPy .npz file ({exc})") from None
    except TfshiftError as exc:
        raise InputError(str(exc)) from None


def from_arrays(specs: Sequence[TensorSpec], arrays: Mapping[str, np.ndarray],
                path: str | None = None) -> InputPlan:
    """Match arrays to inputs by name (input name, graph tensor, "x:0"); a lone array fits a
    lone input whatever its name."""
    arrays = dict(arrays)
    chosen: dict[str, np.ndarray] = {}
    used: set[str] = set()
    for spec in specs:
        key = next((k for k in arrays if k and spec.matches(k)), None)
        if key is not None:
            chosen[spec.name] = arrays[key]
            used.add(key)
    if len(specs) == 1 and not chosen and len(arrays) == 1:
        key, value = next(iter(arrays.items()))
        chosen[specs[0].name] = value
        used.add(key)
    missing = [s.name for s in specs if s.name not in chosen]
    if missing:
        have = ", ".join(k or "(a single .npy array)" for k in arrays) or "nothing"
        raise InputError(f"{path or 'the inputs'}: no array for input(s) {', '.join(missing)}; "
                         f"it holds {have} (name the arrays after the model's inputs)")
    for spec in specs:
        _check_fits(spec, chosen[spec.name], path)
    unused = sorted(k for k in arrays if k not in used)
    return InputPlan([chosen], "file", path=path, unused=unused)


def _check_fits(spec: TensorSpec, array: np.ndarray, path: str | None) -> None:
    strings = array.dtype.kind in "USO"
    if strings != (spec.dtype == "string"):  # a number is no string and the other way round
        raise InputError(f"{path or 'the inputs'}: array {spec.name!r} is {dtype_name(array)}; "
                         f"the model takes {spec}")
    if spec.shape is None:
        return
    fits = len(spec.shape) == array.ndim and all(
        want is None or want == got for want, got in zip(spec.shape, array.shape, strict=True))
    if not fits:
        raise InputError(f"{path or 'the inputs'}: array {spec.name!r} has shape {tuple(array.shape)}; "
                         f"the model takes {spec}")


# -- generated


def generate(specs: Sequence[TensorSpec], *, seed: int = 0, samples: int = 1, batch: int = 8,
             int_range: tuple[int, int] | None = None, index_ranges: Mapping[str, int] | None = None,
             shapes: Mapping[str, Sequence[int]] | None = None,
             composites: Sequence[Mapping[str, Any]] = ()) -> InputPlan:
    """`samples` batches of seeded random inputs for `specs`.

    composites: the sparse and ragged inputs among them, as the runtime describes them
    (Model.info["composites"]): their components are made together, valid.
    """
    arguments.check_all(samples=(arguments.SAMPLES, samples), batch=(arguments.BATCH, batch),
                        seed=(arguments.SEED, seed))
    rng = np.random.default_rng(seed)
    plan = InputPlan([], "generated", seed=seed)
    by_name = {spec.name: spec for spec in specs}
    groups = [c for c in composites if all(n in by_name for n in c["components"])]
    _check_shape_names(specs, shapes or {}, [c["name"] for c in groups])
    parts = {n for c in groups for n in c["components"]}
    dense = {c["name"]: _composite_shape(c, batch, shapes or {}) for c in groups}
    specs = [spec for spec in specs if spec.name not in parts]
    dims = {spec.name: _shape(spec, batch, shapes or {}) for spec in specs}
    _check_memory(specs, dims, samples, dense)
    rows_of = index_ranges or {}
    for spec in specs:
        if _kind(spec) == "int":
            plan.ranges[spec.name] = _int_range(spec, int_range, rows_of.get(spec.name))
        elif _kind(spec) == "float" and rows_of.get(spec.name):
            # A float input that feeds an Embedding (Keras 2 Sequential models declared them
            # float32): its values are row numbers, drawn as integers and given as floats.
            plan.ranges[spec.name] = (0, rows_of[spec.name]) if int_range is None else int_range
    for group in groups:
        values = by_name[group["components"][0 if group["kind"] == "ragged" else 1]]
        if _kind(values) == "int":
            plan.ranges[group["name"]] = _int_range(values, int_range, rows_of.get(group["name"]))
    for _ in range(samples):
        feed = {spec.name: _random(rng, spec, dims[spec.name], plan.ranges.get(spec.name))
                for spec in specs}
        for group in groups:
            feed.update(_composite(rng, group, by_name, dense[group["name"]],
                                   plan.ranges.get(group["name"])))
        plan.batches.append(feed)
    return plan


def _composite_shape(group: Mapping[str, Any], batch: int,
                     shapes: Mapping[str, Sequence[int]]) -> tuple[int, ...]:
    """The dense shape of a sparse input, or (rows,) of a ragged one: --shape NAME=..., else its
    spec with the first unknown dimension --batch."""
    name, shape = group["name"], group.get("shape")
    given = shapes.get(name)
    if group["kind"] == "ragged":
        rows = given[0] if given else (shape[0] if shape and shape[0] is not None else batch)
        return (arguments.DIMENSION.check(rows, f"--shape {name}"),)
    if given is not None:
        dims = tuple(arguments.DIMENSION.check(d, f"--shape {name}") for d in given)
        if shape is not None and (len(dims) != len(shape) or any(
                w is not None and w != g for w, g in zip(shape, dims, strict=True))):
            raise InputError(f"--shape {name}={','.join(map(str, dims))} does not fit the sparse "
                             f"input {name!r} ({_dims(shape)})")
        return dims
    if shape is None or any(d is None for d in shape[1:]):
        raise InputError(f"sparse input {name!r} has dense shape {_dims(shape)}, which its files do "
                         f"not record in full; give it with --shape {name}=D1,D2,... or pass "
                         "--inputs FILE.npz with its components "
                         f"({', '.join(group['components'])})")
    return tuple(batch if d is None else d for d in shape)


def _dims(shape: Sequence[int | None] | None) -> str:
    return "[...]" if shape is None else "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"


def _composite(rng: np.random.Generator, group: Mapping[str, Any], by_name: Mapping[str, TensorSpec],
               dims: tuple[int, ...], int_range: tuple[int, int] | None) -> dict[str, np.ndarray]:
    names = group["components"]
    if group["kind"] == "sparse":
        indices, values, dense_shape = (by_name[n] for n in names)
        total = math.prod(dims)
        count = min(total, max(1, total // 3)) if total else 0
        flat = np.sort(rng.choice(total, size=count, replace=False)) if count else np.zeros(0, np.int64)
        where = np.stack(np.unravel_index(flat, dims), axis=1) if dims else np.zeros((count, 0))
        return {names[0]: where.astype(numpy_dtype(indices.dtype)),
                names[1]: _random(rng, values, (count,), int_range),
                names[2]: np.asarray(dims, dtype=numpy_dtype(dense_shape.dtype))}
    # ragged: rows of 0-4 values at each ragged level, outermost first
    out: dict[str, np.ndarray] = {}
    rows = dims[0]
    for name in names[1:]:
        lengths = rng.integers(0, 5, size=rows)
        splits = np.concatenate([[0], np.cumsum(lengths)])
        out[name] = splits.astype(numpy_dtype(by_name[name].dtype))
        rows = int(splits[-1])
    values = by_name[names[0]]
    inner = tuple(4 if d is None else d for d in (values.shape or (None,))[1:])
    out[names[0]] = _random(rng, values, (rows, *inner), int_range)
    return {n: out[n] for n in names}


def _check_shape_names(specs: Sequence[TensorSpec], shapes: Mapping[str, Sequence[int]],
                       composite_names: Sequence[str] = ()) -> None:
    known = {spec.name for spec in specs} | {spec.tensor for spec in specs if spec.tensor}
    known |= set(composite_names)
    for name in shapes:
        if name not in known:
            raise InputError(f"--shape {name}=...: the model has no input {name!r}; its inputs are "
                             f"{', '.join(spec.name for spec in specs) or 'none'}")


def memory_budget() -> int:
    """Bytes the generated inputs may take: a quarter of the machine's memory (the host holds
    them, and each side's worker gets them too)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 4
    except (ValueError, OSError, AttributeError):
        return 4 << 30


def _check_memory(specs: Sequence[TensorSpec], dims: Mapping[str, tuple[int, ...]], samples: int,
                  dense: Mapping[str, tuple[int, ...]] | None = None) -> None:
    """InputError before allocating inputs that could not fit: a dimension of 2**40, or
    --samples times a large batch. Generation holds a float64/int64 draw beside each array;
    a sparse input's indices take up to its rank times 8 bytes per element of its dense shape."""
    per_batch = sum(math.prod(d) * 8 * (len(d) + 2) for d in (dense or {}).values())
    for spec in specs:
        itemsize = 8 if _kind(spec) in ("string", "bool") else np.dtype(numpy_dtype(spec.dtype)).itemsize
        per_batch += math.prod(dims[spec.name]) * (itemsize + 8)
    budget = memory_budget()
    if per_batch * samples > budget:
        shapes = ", ".join(f"{s.name}={list(dims[s.name])}" for s in specs)
        raise InputError(f"the generated inputs would take {_gib(per_batch * samples)} ({samples} "
                         f"batch(es) of {shapes}), over the {_gib(budget)} this machine allows; "
                         "lower --samples, --batch or --shape")


def _gib(n: int) -> str:
    return f"{n / (1 << 30):.3g} GiB" if n >= 1 << 30 else f"{n / (1 << 20):.3g} MiB"


def _shape(spec: TensorSpec, batch: int, shapes: Mapping[str, Sequence[int]]) -> tuple[int, ...]:
    given = shapes.get(spec.name) or (shapes.get(spec.tensor) if spec.tensor else None)
    if given is not None:
        shape = tuple(arguments.DIMENSION.check(d, f"--shape {spec.name}") for d in given)
        if spec.shape is not None and (len(shape) != len(spec.shape) or any(
                w is not None and w != g for w, g in zip(spec.shape, shape, strict=True))):
            raise InputError(f"--shape {spec.name}={','.join(map(str, shape))} does not fit {spec}")
        return shape
    if spec.shape is None:
        raise InputError(f"input {spec.name!r} has an unknown rank; give its shape with "
                         f"--shape {spec.name}=D1,D2,... or pass --inputs FILE.npz")
    return tuple(batch if d is None else d for d in spec.shape)


def _kind(spec: TensorSpec) -> str:
    if spec.dtype == "string":
        return "string"
    if spec.dtype == "bool":
        return "bool"
    if spec.dtype in ("bfloat16", "float16", "float32", "float64", "half", "double", "float"):
        return "float"
    if spec.dtype in ("complex64", "complex128"):
        return "complex"
    if spec.dtype.startswith(("int", "uint")):
        return "int"
    return "other"


def _int_range(spec: TensorSpec, given: tuple[int, int] | None, rows: int | None) -> tuple[int, int]:
    low, high = given if given is not None else (0, rows) if rows else DEFAULT_INT_RANGE
    info = np.iinfo(np.dtype(spec.dtype))
    low, high = max(low, int(info.min)), min(high, int(info.max) + 1)
    if high <= low:
        raise InputError(f"--int-range {low},{high} is empty for input {spec.name!r} ({spec.dtype})")
    return low, high


def _random(rng: np.random.Generator, spec: TensorSpec, shape: tuple[int, ...],
            int_range: tuple[int, int] | None) -> np.ndarray:
    kind = _kind(spec)
    if kind == "float" and int_range is not None:
        return rng.integers(int_range[0], int_range[1], size=shape).astype(numpy_dtype(spec.dtype))
    if kind == "float":
        return rng.standard_normal(shape).astype(numpy_dtype(spec.dtype))
    if kind == "complex":
        values = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
        return values.astype(numpy_dtype(spec.dtype))
    if kind == "int":
        assert int_range is not None
        return rng.integers(int_range[0], int_range[1], size=shape, dtype=np.int64).astype(spec.dtype)
    if kind == "bool":
        return rng.random(shape) < 0.5
    if kind == "string":
        picks = rng.integers(0, len(VOCABULARY), size=shape)
        out = np.empty(shape, dtype=object)
        out.reshape(-1)[:] = [VOCABULARY[i] for i in picks.reshape(-1)]
        return out
    raise InputError(f"input {spec.name!r} is {spec.dtype}, which tfshift cannot generate; "
                     "pass --inputs FILE.npz")
