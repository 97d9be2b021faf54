"""Which output of B answers which output of A, and which input of B takes which of A's arrays.

Outputs pair up by explicit `--map A_OUT:B_OUT` first, then by equal names, then, when the
remaining outputs are as many on both sides, by signature order (a converted model often
renames its outputs: `probs` becomes `output_0`). Inputs pair up by name, then by order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from tfshift.errors import TfshiftError
from tfshift.runtime.signature import TensorSpec


class MatchError(TfshiftError):
    """--map names an output that is not there, or the inputs of A and B cannot be paired."""


def parse_map(items: Iterable[str] | Mapping[str, str] | None) -> dict[str, str]:
    """{"a": "b"} from "a:b" strings (each may hold several, comma-separated) or a mapping."""
    if not items:
        return {}
    if isinstance(items, Mapping):
        return dict(items)
    found: dict[str, str] = {}
    for item in items:
        for part in str(item).split(","):
            if not part.strip():
                continue
            a, sep, b = part.strip().rpartition(":")
            if not sep or not a or not b:
                raise MatchError(f"--map {part.strip()!r}: write it as A_OUTPUT:B_OUTPUT")
            found[a.strip()] = b.strip()
    return found


def _find(specs: Sequence[TensorSpec], key: str) -> TensorSpec | None:
    return next((s for s in specs if s.matches(key)), None)


def pair_outputs(a: Sequence[TensorSpec], b: Sequence[TensorSpec], mapping: Mapping[str, str]
                 ) -> tuple[list[tuple[str, str, str]], list[str], list[str]]:
    """([(a name, b name, matched by)], A's unmatched, B's unmatched)."""
    pairs: list[tuple[str, str, str]] = []
    left_a = [s.name for s in a]
    left_b = [s.name for s in b]
    for key_a, key_b in mapping.items():
        spec_a, spec_b = _find(a, key_a), _find(b, key_b)
        if spec_a is None:
            raise MatchError(f"--map {key_a}:{key_b}: A has no output {key_a!r}; its outputs: "
                             f"{', '.join(s.name for s in a) or 'none'}")
        if spec_b is None:
            raise MatchError(f"--map {key_a}:{key_b}: B has no output {key_b!r}; its outputs: "
                             f"{', '.join(s.name for s in b) or 'none'}")
        if spec_a.name in left_a and spec_b.name in left_b:
            pairs.append((spec_a.name, spec_b.name, "map"))
            left_a.remove(spec_a.name)
            left_b.remove(spec_b.name)
    for name in list(left_a):
        if name in left_b:
            pairs.append((name, name, "name"))
            left_a.remove(name)
            left_b.remove(name)
    if left_a and len(left_a) == len(left_b):
        pairs += [(x, y, "order") for x, y in zip(left_a, left_b, strict=True)]
        left_a, left_b = [], []
    order = {s.name: i for i, s in enumerate(a)}
    pairs.sort(key=lambda p: order[p[0]])
    return pairs, left_a, left_b


def pair_inputs(a: Sequence[TensorSpec], b: Sequence[TensorSpec]) -> dict[str, str]:
    """B's input name for each of A's inputs."""
    names_b = {s.name for s in b}
    if len(a) != len(b):
        raise MatchError(f"A takes {len(a)} input(s) ({_names(a)}) and B {len(b)} ({_names(b)}): "
                         "they cannot get the same inputs")
    if all(s.name in names_b for s in a):
        return {s.name: s.name for s in a}
    return {x.name: y.name for x, y in zip(a, b, strict=True)}


def _names(specs: Sequence[TensorSpec]) -> str:
    return ", ".join(s.name for s in specs) or "none"


def input_mismatches(a: Sequence[TensorSpec], b: Sequence[TensorSpec], names: Mapping[str, str]
                     ) -> list[str]:
    """Inputs A and B were built to take differently: another rank, or another fixed size."""
    by_name = {s.name: s for s in b}
    found = []
    for spec_a in a:
        spec_b = by_name[names[spec_a.name]]
        if spec_a.shape is None or spec_b.shape is None:
            continue
        clash = len(spec_a.shape) != len(spec_b.shape) or any(
            x is not None and y is not None and x != y
            for x, y in zip(spec_a.shape, spec_b.shape, strict=False))
        if clash:
            found.append(f"input {spec_a.name}: A takes {_dims(spec_a)}, B takes {_dims(spec_b)} "
                         f"({spec_b.name}): the models were built for different input shapes "
                         "(Keras 3 builds some Keras 2 files with another input rank; tfshift "
                         "convert rebuilds them as written)")
    return found


def _dims(spec: TensorSpec) -> str:
    return str(spec).split(": ", 1)[-1]


def merged_spec(a: TensorSpec, b: TensorSpec) -> TensorSpec:
    """A's input with the dimensions either side knows (B may fix what A leaves open)."""
    if a.shape is None or b.shape is None or len(a.shape) != len(b.shape):
        return a if a.shape is not None else TensorSpec(a.name, a.dtype, b.shape, a.tensor)
    dims = tuple(x if x is not None else y for x, y in zip(a.shape, b.shape, strict=True))
    return TensorSpec(a.name, a.dtype, dims, a.tensor)
