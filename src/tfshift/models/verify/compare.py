"""Compare one output of A with its counterpart in B, batch after batch.

A is the reference. An element agrees when |a - b| <= atol + rtol * |a| (NumPy's isclose with A
as the reference). NaN semantics: a NaN in A and a NaN at the same place in B agree; a NaN on one
side only disagrees; an infinity agrees only with the same infinity; the absolute and relative
errors are taken over the elements finite on both sides (relative: where A is not 0).
Integers, bools and strings must be equal. Dtype or shape differences fail the output.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

DEFAULT_RTOL = 1e-5
DEFAULT_ATOL = 1e-6
# Used when the caller sets no tolerance: what TensorFlow's own tests allow for these types.
LOW_PRECISION = {"float16": (1e-3, 1e-3), "bfloat16": (1e-2, 1e-2)}
# verify's own choice when the caller sets none: per dtype, (rtol, atol per unit of the output's
# scale, least atol). Two TensorFlow releases round differently (oneDNN, fused kernels, Keras 3's
# layers): real float32 CNNs differ by ~2e-5 on outputs of order 1, about 200 ulps of their
# scale, while one weight moved by 1e-3 moves outputs by ~2e-4 and a broken conversion by 1e-2
# and more. float16 and bfloat16 keep about 3 and 2 significant digits, and errors grow with depth.
AUTO = {
    "float64": (1e-7, 1e-7, 1e-12),
    "float32": (5e-5, 5e-5, 1e-6),
    "complex128": (1e-7, 1e-7, 1e-12),
    "complex64": (5e-5, 5e-5, 1e-6),
    "float16": (1e-2, 1e-2, 1e-3),
    "bfloat16": (5e-2, 5e-2, 1e-2),
}
TOP_K = 5  # classifier outputs of 10 classes or more: do the top-5 sets agree too?
HISTOGRAM_EDGES = np.arange(-12.0, 4.5, 0.5)  # log10 |a - b|, 1e-12 to 1e4, below and above kept
KEEP = 20000  # (a, b) pairs kept per output for the report's scatter plot


def dtype_name(array: np.ndarray) -> str:
    if array.dtype == object or array.dtype.kind in "SU":
        return "string"
    return str(array.dtype)


def kind_of(dtype: str) -> str:
    if dtype == "string":
        return "string"
    if dtype == "bool":
        return "bool"
    if dtype.startswith("complex"):
        return "complex"
    if dtype.startswith(("int", "uint")):
        return "int"
    return "float"


@dataclass
class OutputResult:
    """How one output of A compares with one of B over every batch."""

    a: str
    b: str
    matched_by: str  # "name", "order" or "map"
    rtol: float
    atol: float
    dtype_a: str | None = None
    dtype_b: str | None = None
    shape_a: tuple[int, ...] | None = None
    shape_b: tuple[int, ...] | None = None
    elements: int = 0  # compared
    outside: int = 0  # outside tolerance (NaN/Inf disagreements included)
    max_abs: float | None = None
    max_rel: float | None = None
    sum_abs: float = 0.0
    finite: int = 0  # elements finite on both sides
    nan_a: int = 0
    nan_b: int = 0
    inf_a: int = 0
    inf_b: int = 0
    nan_disagree: int = 0
    inf_disagree: int = 0
    argmax_agree: int = 0
    argmax_rows: int = 0
    max_mismatch: float = 0.0  # share of elements allowed outside tolerance
    atol_scale: float = 0.0  # atol grows to atol_scale * max|A| (verify's own choice; 0: fixed)
    tolerance_from: str = "given"  # "given", or what verify chose it from ("float32 outputs")
    scale: float = 0.0  # max |a| over A's finite values so far
    topk_agree: int = 0
    topk_rows: int = 0
    problems: list[str] = field(default_factory=list)  # dtype/shape/kind differences
    histogram: np.ndarray = field(default_factory=lambda: np.zeros(len(HISTOGRAM_EDGES) + 1, np.int64))
    exact: int = 0  # elements with a == b exactly (not in the histogram's log scale)
    values_a: list[np.ndarray] = field(default_factory=list, repr=False)
    values_b: list[np.ndarray] = field(default_factory=list, repr=False)
    kept: int = 0

    @property
    def name(self) -> str:
        return self.a if self.a == self.b else f"{self.a} -> {self.b}"

    @property
    def mismatch_share(self) -> float:
        return self.outside / self.elements if self.elements else 0.0

    @property
    def mean_abs(self) -> float | None:
        return self.sum_abs / self.finite if self.finite else None

    @property
    def argmax_agreement(self) -> float | None:
        return self.argmax_agree / self.argmax_rows if self.argmax_rows else None

    @property
    def topk_agreement(self) -> float | None:
        """The share of rows whose TOP_K classes are the same set (outputs of 10+ classes)."""
        return self.topk_agree / self.topk_rows if self.topk_rows else None

    @property
    def ok(self) -> bool:
        if self.problems or (not self.elements and not self._both_empty()):
            return False
        return self.mismatch_share <= self.max_mismatch if self.outside else True

    def _both_empty(self) -> bool:
        return self.shape_a is not None and self.shape_a == self.shape_b

    @property
    def verdict(self) -> str:
        """One line: why it fails, or that it agrees."""
        if self.problems:
            return "; ".join(self.problems)
        if self.outside:
            share = f"{self.outside} of {self.elements} elements ({_percent(self.mismatch_share)})"
            detail = []
            if self.max_abs is not None:
                detail.append(f"max abs error {self.max_abs:.3g}")
            if self.nan_disagree:
                detail.append(f"NaN on one side only: {self.nan_disagree}")
            if self.inf_disagree:
                detail.append(f"Inf disagreements: {self.inf_disagree}")
            tail = f" ({', '.join(detail)})" if detail else ""
            kind = kind_of(self.dtype_a or "float")
            what = "differ" if kind in ("int", "bool", "string") else \
                f"outside rtol {self.rtol:g} / atol {self.atol:g}"
            allowed = f", more than the {_percent(self.max_mismatch)} allowed" if self.max_mismatch else ""
            return f"{share} {what}{allowed}{tail}"
        return "agree"

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a, "b": self.b, "matched_by": self.matched_by, "ok": self.ok,
            "verdict": self.verdict,
            "dtype": {"a": self.dtype_a, "b": self.dtype_b},
            "shape": {"a": _list(self.shape_a), "b": _list(self.shape_b)},
            "elements": self.elements, "outside_tolerance": self.outside,
            "mismatch_fraction": self.mismatch_share,
            "max_abs": _finite(self.max_abs), "max_rel": _finite(self.max_rel),
            "mean_abs": _finite(self.mean_abs),
            "rtol": self.rtol, "atol": self.atol, "max_mismatch": self.max_mismatch,
            "nan": {"a": self.nan_a, "b": self.nan_b, "disagree": self.nan_disagree},
            "inf": {"a": self.inf_a, "b": self.inf_b, "disagree": self.inf_disagree},
            "argmax_agreement": self.argmax_agreement,
            "top5_agreement": self.topk_agreement,
            "tolerance_from": self.tolerance_from, "atol_scale": self.atol_scale,
            "scale": _finite(self.scale) if self.atol_scale else None,
            "problems": list(self.problems),
        }

    # -- accumulating

    def add(self, a: np.ndarray, b: np.ndarray, budget: int = KEEP) -> None:
        """Compare one batch's values of this output."""
        a, b = np.asarray(a), np.asarray(b)
        da, db = dtype_name(a), dtype_name(b)
        if self.dtype_a is None:
            self.dtype_a, self.dtype_b = da, db
            self.shape_a, self.shape_b = tuple(a.shape), tuple(b.shape)
            if da != db:
                self.problems.append(f"dtype differs: A {da}, B {db}")
        if a.shape != b.shape:
            message = f"shape differs: A {_shape(a.shape)}, B {_shape(b.shape)}"
            if message not in self.problems:
                self.problems.append(message)
            return
        ka, kb = kind_of(da), kind_of(db)
        if (ka == "string") != (kb == "string"):
            if "cannot compare strings with numbers" not in self.problems:
                self.problems.append("cannot compare strings with numbers")
            return
        if ka == "string":
            self._exact(a == b)
        elif ka in ("int", "bool") and kb in ("int", "bool"):
            self._integers(a, b)
        else:
            self._floats(a, b, budget)

    def _exact(self, equal: np.ndarray) -> None:
        equal = np.asarray(equal, dtype=bool)
        self.elements += equal.size
        self.outside += int(equal.size - np.count_nonzero(equal))
        self.exact += int(np.count_nonzero(equal))

    def _integers(self, a: np.ndarray, b: np.ndarray) -> None:
        equal = a == b
        self._exact(equal)
        if a.size:
            diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
            self._update_max(float(diff.max()), None)
            self.sum_abs += float(diff.sum())
            self.finite += a.size

    def _floats(self, a: np.ndarray, b: np.ndarray, budget: int) -> None:
        complex_values = np.iscomplexobj(a) or np.iscomplexobj(b)
        wide = np.complex128 if complex_values else np.float64
        a64, b64 = a.astype(wide), b.astype(wide)
        nan_a, nan_b = np.isnan(a64), np.isnan(b64)
        inf_a, inf_b = np.isinf(a64), np.isinf(b64)
        self.nan_a += int(nan_a.sum())
        self.nan_b += int(nan_b.sum())
        self.inf_a += int(inf_a.sum())
        self.inf_b += int(inf_b.sum())
        nan_disagree, inf_disagree, finite = _special_values(a64, b64)
        diff = np.abs(a64[finite] - b64[finite])
        ref = np.abs(a64[finite])
        if ref.size:
            self.scale = max(self.scale, float(ref.max()))
        if self.atol_scale:  # verify's own choice: atol follows the output's scale
            self.atol = max(self.atol, self.atol_scale * self.scale)
        bad = diff > self.atol + self.rtol * ref
        self.elements += a.size
        self.outside += int(bad.sum() + nan_disagree.sum() + inf_disagree.sum())
        self.nan_disagree += int(nan_disagree.sum())
        self.inf_disagree += int(inf_disagree.sum())
        if diff.size:
            nonzero = ref > 0
            rel = float((diff[nonzero] / ref[nonzero]).max()) if nonzero.any() else None
            self._update_max(float(diff.max()), rel)
            self.sum_abs += float(diff.sum())
            self.finite += diff.size
            zero = diff == 0
            self.exact += int(zero.sum())
            self.histogram += _log_histogram(diff[~zero])
        if not complex_values:
            self._argmax(a64, b64)
            self._keep(a64.reshape(-1), b64.reshape(-1), budget)

    def _update_max(self, abs_error: float, rel_error: float | None) -> None:
        self.max_abs = abs_error if self.max_abs is None else max(self.max_abs, abs_error)
        if rel_error is not None:
            self.max_rel = rel_error if self.max_rel is None else max(self.max_rel, rel_error)

    def _argmax(self, a: np.ndarray, b: np.ndarray) -> None:
        """Classifier-like outputs (a last axis of 2 or more classes): does the top class agree?"""
        if a.ndim < 2 or a.shape[-1] < 2 or not a.size:
            return
        if not (np.isfinite(a).all() and np.isfinite(b).all()):
            return
        top_a, top_b = a.argmax(axis=-1), b.argmax(axis=-1)
        self.argmax_agree += int((top_a == top_b).sum())
        self.argmax_rows += top_a.size
        if a.shape[-1] >= 2 * TOP_K:
            set_a = np.sort(np.argsort(-a, axis=-1)[..., :TOP_K], axis=-1)
            set_b = np.sort(np.argsort(-b, axis=-1)[..., :TOP_K], axis=-1)
            self.topk_agree += int((set_a == set_b).all(axis=-1).sum())
            self.topk_rows += top_a.size

    def _keep(self, a: np.ndarray, b: np.ndarray, budget: int) -> None:
        room = min(budget, KEEP - self.kept)
        if room <= 0 or not a.size:
            return
        step = max(1, math.ceil(a.size / room))
        self.values_a.append(a[::step].copy())
        self.values_b.append(b[::step].copy())
        self.kept += self.values_a[-1].size


def _special_values(a64: np.ndarray, b64: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Masks: NaN on one side only; infinities that are not the same infinity; finite on both."""
    nan_a, nan_b = np.isnan(a64), np.isnan(b64)
    inf_a, inf_b = np.isinf(a64), np.isinf(b64)
    same_inf = inf_a & inf_b & (a64 == b64)
    inf_disagree = (inf_a | inf_b) & ~same_inf & ~(nan_a | nan_b)
    return nan_a ^ nan_b, inf_disagree, ~(nan_a | nan_b | inf_a | inf_b)


def first_outside(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> tuple[int, ...] | None:
    """The index of the first element of B outside tolerance of A (by the rules above), or None."""
    a64, b64 = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a64.shape != b64.shape:
        return None
    nan_disagree, inf_disagree, finite = _special_values(a64, b64)
    bad = nan_disagree | inf_disagree
    with np.errstate(invalid="ignore"):
        bad |= finite & (np.abs(a64 - b64) > atol + rtol * np.abs(a64))
    found = np.argwhere(bad)
    return tuple(int(i) for i in found[0]) if found.size else None


def _log_histogram(diff: np.ndarray) -> np.ndarray:
    """Counts of log10 |a - b| in HISTOGRAM_EDGES bins, with under- and overflow at the ends."""
    logs = np.log10(diff)
    index = np.searchsorted(HISTOGRAM_EDGES, logs, side="right")
    return np.bincount(index, minlength=len(HISTOGRAM_EDGES) + 1)


def pick_tolerance(dtype: str | None, rtol: float | None, atol: float | None) -> tuple[float, float]:
    """The caller's tolerances, else the defaults (looser for float16 and bfloat16)."""
    default = LOW_PRECISION.get(dtype or "", (DEFAULT_RTOL, DEFAULT_ATOL))
    return (default[0] if rtol is None else rtol, default[1] if atol is None else atol)


def auto_tolerance(dtype: str | None, rtol: float | None, atol: float | None,
                   compute: str | None = None) -> dict[str, Any]:
    """OutputResult's tolerance fields: the caller's rtol/atol as given, else verify's own
    choice for the output's dtype (or the lower precision the model computes in: a mixed_float16
    model's float32 outputs carry float16's rounding), its atol following the output's scale."""
    key = dtype or "float32"
    if compute in AUTO and key in AUTO and AUTO[compute][0] > AUTO[key][0]:
        key, why = compute, f"{compute} compute ({dtype} outputs)"
    else:
        why = f"{key} outputs"
    chosen = AUTO.get(key, AUTO["float32"])
    auto = rtol is None and atol is None
    return {"rtol": chosen[0] if rtol is None else rtol,
            "atol": chosen[2] if atol is None else atol,
            "atol_scale": chosen[1] if auto else 0.0,
            "tolerance_from": why if auto else "given"}


def _shape(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")" if len(shape) != 1 else f"({shape[0]},)"


def _list(shape: tuple[int, ...] | None) -> list[int] | None:
    return list(shape) if shape is not None else None


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _percent(share: float) -> str:
    if share == 0:
        return "0%"
    if share < 0.001:
        return f"{share * 100:.2g}%"
    return f"{share * 100:.1f}%".replace(".0%", "%")
