"""What to use instead: replacement candidates, argument renames and names close to a typo.

Everything here is derived from the database: what the releases themselves said (deprecation
notices such as "The name tf.log is deprecated. Please use tf.math.log instead.", deprecated
argument notes such as "keep_dims is deprecated, use keepdims instead"), which names an object
had, and the signatures of two releases side by side.
"""

from __future__ import annotations

import ast
import bisect
import difflib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tfshift.api.database import ApiDatabase, Signature

_ABSOLUTE = re.compile(r"(?<![\w.])(?:tensorflow|tf_keras|tf|keras)(?:\.[A-Za-z_]\w*)+")
_RELATIVE = re.compile(r"`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)")
_WORD = re.compile(r"[A-Za-z_]\w*")
_ROOTS = ("tf.", "keras.", "tf_keras.")
_KERAS_HOMES = ("tf.compat.v1.keras.", "tf.keras.", "keras.", "tf_keras.")
_MAX_CANDIDATES = 10

# Keyword renames TensorFlow made across its API (the pattern of tf_upgrade_v2's keyword
# tables). Applied only where the signatures agree: the old name is gone and the new one is there.
CONVENTIONAL_RENAMES = {
    "keep_dims": "keepdims",
    "reduction_indices": "axis",
    "dim": "axis",
    "dimension": "axis",
    "squeeze_dims": "axis",
    "box_ind": "box_indices",
    "preferred_dtype": "dtype_hint",
    "fn1": "true_fn",
    "fn2": "false_fn",
    "filter": "filters",
    "dilation_rate": "dilations",
}
# More of the same, each seen in several functions' renames (tf_upgrade_v2's tables, Keras's
# `lr`): an old name may have become one of a few new ones.
CONVENTIONAL_ALTERNATIVES: dict[str, tuple[str, ...]] = {
    **{old: (new,) for old, new in CONVENTIONAL_RENAMES.items()},
    "reduction_axes": ("axis",),
    "concat_dim": ("axis",),
    "split_dim": ("axis",),
    "seq_dim": ("seq_axis",),
    "batch_dim": ("batch_axis",),
    "kernel": ("filters",),
    "rates": ("dilations",),
    "value": ("input",),
    "tensor": ("input", "data"),
    "input_tensor": ("input",),
    "string_tensor": ("input",),
    "source": ("input",),
    "dirname": ("path",),
    "filename": ("path",),
    "output_dtype": ("dtype",),
    "thresh": ("threshold",),
    "targets": ("labels",),
    "msg": ("message",),
    "ksizes": ("sizes",),
    "lr": ("learning_rate",),
}
_POSITIONAL = ("positional_only", "positional_or_keyword")


def mentioned(text: str) -> list[str]:
    """Dotted names a message mentions: absolute ones (tf.math.log) then relative (`Model.fit`)."""
    found: list[str] = []
    for match in _ABSOLUTE.finditer(text):
        name = match.group(0).rstrip(".")
        if name.startswith("tensorflow."):
            name = "tf" + name[len("tensorflow"):]
        if name not in found:
            found.append(name)
    for match in _RELATIVE.finditer(text):
        name = match.group(1)
        if name not in found and not name.startswith(_ROOTS):
            found.append(name)
    return found


def _ancestors(symbol: str) -> list[str]:
    parts = symbol.split(".")
    return [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


def keras_equivalents(symbol: str) -> list[str]:
    """The same path under the other Keras homes: tf.keras, Keras 3 `keras`, `tf_keras`."""
    for home in _KERAS_HOMES:
        if symbol.startswith(home):
            rest = symbol[len(home):]
            return [h + rest for h in ("tf.keras.", "keras.", "tf_keras.") if h != home]
    return []


def _family(symbol: str) -> list[str]:
    """Module segments with the spelling of the home removed, for comparing two paths."""
    for prefix in ("tf.compat.v1.", "tf.compat.v2.", *_KERAS_HOMES, "tf."):
        if symbol.startswith(prefix):
            family = "keras" if "keras" in prefix else "tf"
            return [family, *symbol[len(prefix):].split(".")[:-1]]
    return symbol.split(".")[:-1]


_KIND_GROUPS = {"function": "callable", "method": "callable", "classmethod": "callable",
                "staticmethod": "callable", "property": "value", "constant": "value"}


def _group(kind: str | None) -> str | None:
    return _KIND_GROUPS.get(kind, kind) if kind else None


def _last_kind(db: ApiDatabase, symbol: str) -> str | None:
    for version in reversed(db.releases):
        kind = db.kind(symbol, version)
        if kind:
            return kind
    return None


def same_leaf(db: ApiDatabase, symbol: str, target: str) -> list[str]:
    leaf = symbol.rpartition(".")[2]
    mine = _family(symbol)
    group = _group(_last_kind(db, symbol))
    found = [name for name in _leaf_index(db).get(leaf, ()) if name != symbol
             and (group is None or _group(db.kind(name, target)) in (group, None))]

    def rank(name: str) -> tuple:
        theirs = _family(name)
        shared = len(set(mine) & set(theirs))
        return (-shared, name.count(".compat."), abs(len(theirs) - len(mine)), len(name), name)

    # Only within the same family (TF with TF, Keras with Keras): a leaf shared across
    # families (tf.estimator, tf_keras.estimator) is a coincidence more often than a move.
    related = [name for name in found if mine[:1] == _family(name)[:1]]
    return [name for name in sorted(related, key=rank) if db.exists(name, target)][:_MAX_CANDIDATES]


def _leaf_index(db: ApiDatabase) -> dict[str, list[str]]:
    index = getattr(db, "_leaf_index_cache", None)
    if index is None:
        index = {}
        for name in db.names:
            index.setdefault(name.rpartition(".")[2], []).append(name)
        db._leaf_index_cache = index
    return index


def replacements(db: ApiDatabase, symbol: str, target: str) -> list[str]:
    """Names that exist in `target` and may stand for `symbol`, best first."""
    found: list[str] = []

    def offer(candidates: Iterable[str]) -> None:
        for name in candidates:
            if name and name not in found and db.exists(name, target):
                found.append(name)

    offer([symbol])
    for _, text in db.messages(symbol):  # what the releases said, newest first
        for name in mentioned(text):
            if name.startswith(_ROOTS):
                offer([name])
            else:
                offer(f"{ancestor}.{name}" for ancestor in _ancestors(symbol))
    offer(db.canonical(symbol, v) or "" for v in reversed(db.releases))
    if symbol.startswith("tf.") and not symbol.startswith("tf.compat."):
        offer(["tf.compat.v1." + symbol[3:]])
    if symbol.startswith(("tf.compat.v1.", "tf.compat.v2.")):
        offer(["tf." + symbol[len("tf.compat.v1."):]])
    offer(keras_equivalents(symbol))
    offer(same_leaf(db, symbol, target))
    return found[:_MAX_CANDIDATES]


def _value_change(message: str, old: str) -> bool:
    """True when a note describes a new value, not a new name ("rate = 1 - keep_prob")."""
    name = re.escape(old)
    return re.search(rf"[-+*/]\s*`?{name}\b|\b{name}`?\s*[-+*/]", message) is not None


def derive_renames(old: Signature, new: Signature, notes: dict[str, str]) -> dict[str, str]:
    """{old keyword: new keyword} for parameters that only changed their name.

    A rename needs evidence that it is one: the release's own note names the new parameter,
    the two names are spellings of one word (`filter`/`filters`), or it is one of TensorFlow's
    conventional renames (`keep_dims` -> `keepdims`, `dim` -> `axis`); and the two defaults
    must be of one kind (a bool does not become a string). A parameter that merely took the
    place of a removed one (`ones_like`'s `optimize` and 2.16's `layout`) is no rename: see
    `slot_successors`.
    """
    old_names = [p.name for p in old.params if p.kind not in ("var_positional", "var_keyword")]
    new_params = [p for p in new.params if p.kind not in ("var_positional", "var_keyword")]
    new_names = [p.name for p in new_params]
    removed = [n for n in old_names if n not in new_names]
    added = [n for n in new_names if n not in old_names]
    renames: dict[str, str] = {}
    for name in removed:
        note = notes.get(name, "")
        if note and _value_change(note, name):
            continue
        said = [w for w in _WORD.findall(note) if w in new_names and w != name]
        spelled = [a for a in added if a.replace("_", "") == name.replace("_", "")
                   or a in (name + "s", name + "es") or name in (a + "s", a + "es")]
        usual = [a for a in CONVENTIONAL_ALTERNATIVES.get(name, ()) if a in new_names]
        for candidate in (*said[:1], *spelled, *usual):
            if candidate not in renames.values() and compatible_defaults(
                    old.param(name).default, new.param(candidate).default):
                renames[name] = candidate
                break
    return renames


def slot_successors(old: Signature, new: Signature, notes: dict[str, str]) -> dict[str, str]:
    """{removed parameter: the new one in its place} where nothing says it is a rename: same
    slot, same neighbours. A hint for a person, never a fix (`uniform_noise=False` is no
    `noise=False`)."""
    renames = derive_renames(old, new, notes)
    old_params = [p for p in old.params if p.kind not in ("var_positional", "var_keyword")]
    new_params = [p for p in new.params if p.kind not in ("var_positional", "var_keyword")]
    old_names = {p.name for p in old_params}
    new_names = {p.name for p in new_params}
    found: dict[str, str] = {}
    for i, param in enumerate(old_params):
        name = param.name
        if name in new_names or name in renames or i >= len(new_params):
            continue
        other = new_params[i]
        if other.name in old_names or other.name in renames.values():
            continue
        before_ok = i == 0 or old_params[i - 1].name == new_params[i - 1].name
        after_ok = (i + 1 >= len(old_params) and i + 1 >= len(new_params)) or (
            i + 1 < len(old_params) and i + 1 < len(new_params)
            and old_params[i + 1].name == new_params[i + 1].name)
        if before_ok and after_ok and (param.kind in _POSITIONAL) == (other.kind in _POSITIONAL):
            found[name] = other.name
    return found


def compatible_defaults(old: str | None, new: str | None) -> bool:
    """Whether two defaults (their reprs; None: required) can be of one parameter: either is
    required or None, or both are literals of one kind (numbers, strings, bools...)."""
    if old is None or new is None or old == new or "None" in (old, new):
        return True
    try:
        a, b = ast.literal_eval(old), ast.literal_eval(new)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False  # reprs of objects: nothing to compare them by
    numbers = (int, float, complex)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, numbers) and isinstance(b, numbers):
        return True
    return type(a) is type(b)


def arg_renames(db: ApiDatabase, symbol: str, source: str, target: str) -> dict[str, str]:
    old = db.signature(symbol, source)
    if old is None:
        return {}
    counterpart = symbol if db.exists(symbol, target) else next(
        iter(replacements(db, symbol, target)), None)
    new = db.signature(counterpart, target) if counterpart else None
    if new is None:
        return {}
    notes: dict[str, str] = {}
    for version in reversed(db.releases):
        for arg, text in db.deprecated_args(symbol, version).items():
            notes.setdefault(arg, text)
    return derive_renames(old, new, notes)


# -- typos ------------------------------------------------------------------------------------

def _block(names: list[str], prefix: str) -> list[str]:
    """Sorted names that start with prefix (a contiguous block of the sorted list)."""
    lo = bisect.bisect_left(names, prefix)
    hi = bisect.bisect_left(names, prefix[:-1] + chr(ord(prefix[-1]) + 1))
    return names[lo:hi]


def _descendants(db: ApiDatabase, ancestor: str, depth: int) -> list[str]:
    """Stored names `depth` levels below ancestor, also through the places it aliases."""
    found: list[str] = []
    for home in [ancestor, *db.alias_targets(ancestor)]:
        for name in _block(db.names, home + "."):
            rest = name[len(home) + 1:]
            if rest.count(".") == depth - 1:
                found.append(f"{ancestor}.{rest}")
    return found


def closest(db: ApiDatabase, name: str, n: int = 5) -> list[str]:
    """Known names nearest to a mistyped one, best first."""
    if db.known(name):
        return [name]
    parts = name.split(".")
    scores: dict[str, float] = {}

    def score(candidates: Iterable[str], bonus: float = 0.0) -> None:
        for candidate in candidates:
            ratio = difflib.SequenceMatcher(None, name.lower(), candidate.lower()).ratio() + bonus
            if ratio > scores.get(candidate, 0.0):
                scores[candidate] = ratio

    # Below the longest prefix that exists: the usual typo is in the last part or two.
    for k in range(len(parts) - 1, 0, -1):
        ancestor = ".".join(parts[:k])
        if db.stored(ancestor):
            rest = ".".join(parts[k:])
            near = difflib.get_close_matches(
                rest, [c[len(ancestor) + 1:] for c in _descendants(db, ancestor, len(parts) - k)],
                n=n * 2, cutoff=0.6)
            score((f"{ancestor}.{r}" for r in near), bonus=0.05)
            break
    # The same (or a similar) leaf anywhere else.
    leaf = parts[-1]
    leaves = [x for x in _leaf_index(db) if abs(len(x) - len(leaf)) <= 3 and x[:1].lower() == leaf[:1].lower()]
    for near_leaf in difflib.get_close_matches(leaf, leaves, n=n, cutoff=0.75):
        score(_leaf_index(db)[near_leaf])
    ranked = sorted(scores, key=lambda c: (-scores[c], c.count(".compat."), len(c), c))
    found = [c for c in ranked if db.known(c)][:n]
    if not found:
        # Nothing alike: the deepest part of the name that does exist is the next best help.
        found = [a for a in _ancestors(name) if "." in a and db.known(a)][:1]
    return found
