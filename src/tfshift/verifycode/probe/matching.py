"""Which of A's variables a variable of B stands for: by name, then by creation order and shape.

B's probe asks as each of B's variables is created (its value is set right then), so a match is
decided with all of A known and B known up to that variable.

Names are compared after normalising: the `:0` output suffix goes, case is ignored, TF-Slim and
contrib leaf names become Keras's (`weights` -> `kernel`, `biases` -> `bias`), and a name that is
the other's tail at a scope boundary matches (`hidden/kernel` is `sequential/hidden/kernel`: a
Keras 3 path carries the model's name, TF 1.x and Keras 2 names do not). Shapes must be equal.
A trainable variable no name matches takes A's trainable variable of the same rank in creation
order when the shape fits, else the first free one of that shape. Non-trainable variables
(optimizer slots, counters, statistics) are matched by name only and may stay unmatched; an
optimizer's hyperparameters (Keras keeps `learning_rate`, `momentum`... in non-trainable
variables) are never matched: their values are what the program wrote, and a migration that
changes one (Keras 2.11-2.15 ignored `lr=`) must show.

Pure Python (no NumPy, no TensorFlow): the host imports it too.
"""
import fnmatch
import re

LEAF_SYNONYMS = {"weights": "kernel", "biases": "bias"}
_OUTPUT_SUFFIX = re.compile(r":\d+$")
HYPERPARAMETERS = {"learning_rate", "lr", "momentum", "beta_1", "beta_2", "rho", "epsilon",
                   "decay", "weight_decay", "initial_accumulator_value", "nesterov"}


def plain(name):
    """The name without its `:0` output suffix."""
    return _OUTPUT_SUFFIX.sub("", name)


def parts(name):
    """The normalised scope components of a variable name."""
    found = [p for p in plain(name).lower().split("/") if p]
    if found:
        found[-1] = LEAF_SYNONYMS.get(found[-1], found[-1])
    return tuple(found)


def ignored(name, patterns):
    """Whether a --ignore-variable pattern (fnmatch, with or without `:0`) names this variable."""
    name = plain(name)
    return any(fnmatch.fnmatchcase(name, plain(p)) for p in patterns)


class Matcher(object):
    """Matches B's variables, one at a time, against A's (dicts: index, name, shape, trainable).

    match() returns (A's index, how) with how "name", "scope" (one name is the other's tail) or
    "order"; or (None, why).
    """

    def __init__(self, a_variables, ignore=()):
        self.ignore = list(ignore)
        self.a = [v for v in a_variables if not ignored(v["name"], self.ignore)]
        self.a_trainable = [v for v in self.a if v["trainable"]]
        self.taken = set()
        self.b_trainable_seen = 0

    def match(self, name, shape, trainable):
        if ignored(name, self.ignore):
            return None, "ignored"
        shape = _shape(shape)
        if not trainable and parts(name)[-1:] and parts(name)[-1] in HYPERPARAMETERS:
            return None, "an optimizer hyperparameter: its value is the program's own"
        rank = None
        if trainable:
            rank = self.b_trainable_seen
            self.b_trainable_seen += 1
        found = self._by_name(name, shape)
        if found is not None:
            return found
        if not trainable:
            return None, "no variable of A has this name"
        for candidate in self._by_order(rank, shape):
            self.taken.add(candidate["index"])
            return candidate["index"], "order"
        return None, self._why_not(name, shape)

    def _free(self, pool):
        return [v for v in pool if v["index"] not in self.taken]

    def _by_name(self, name, shape):
        mine = parts(name)
        best, best_length, how = None, 0, None
        for candidate in self._free(self.a):
            if _shape(candidate["shape"]) != shape:
                continue
            theirs = parts(candidate["name"])
            if theirs == mine:
                best, how = candidate, "name"
                break
            common = _common_tail(theirs, mine)
            if common == min(len(theirs), len(mine)) and common > best_length:
                best, best_length, how = candidate, common, "scope"
        if best is None:
            return None
        self.taken.add(best["index"])
        return best["index"], how

    def _by_order(self, rank, shape):
        free = [v for v in self._free(self.a_trainable) if _shape(v["shape"]) == shape]
        if rank is not None and rank < len(self.a_trainable):
            same_rank = self.a_trainable[rank]
            if same_rank in free:
                return [same_rank] + [v for v in free if v is not same_rank]
        return free

    def _why_not(self, name, shape):
        mine = parts(name)
        for candidate in self.a:
            if parts(candidate["name"]) == mine:
                if candidate["index"] in self.taken:
                    return "A's %s is matched already" % plain(candidate["name"])
                return "A's %s has shape %s, B's %s" % (
                    plain(candidate["name"]), list(_shape(candidate["shape"]) or ()), list(shape or ()))
        return "no free trainable variable of A has shape %s" % (list(shape) if shape is not None else "?")

    def unmatched_a(self):
        """A's trainable variables that no variable of B took."""
        return [v for v in self.a_trainable if v["index"] not in self.taken]


def _shape(shape):
    return None if shape is None else tuple(shape)


def _common_tail(x, y):
    n = 0
    while n < len(x) and n < len(y) and x[-1 - n] == y[-1 - n]:
        n += 1
    return n
