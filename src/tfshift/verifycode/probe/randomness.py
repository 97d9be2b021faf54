"""Seeds set alike on both sides, and the random ops the program runs beyond initializers.

Seeds: Python's `random`, NumPy's global generator, and TensorFlow's global seed (the default
graph's and every new graph's in graph mode, the eager context's in TF 2.x) get the same value
on both sides before the program starts; the program's own calls override them, alike when the
migration kept them. Keras (3 and 2) draws default seeds for its initializers from Python's
`random` when a layer is built, which TF 1.x does not: calls into `random` from TensorFlow and
Keras are served from a private generator, so the program's own random stream stays the same.

Random ops: every generated op wrapper that draws random numbers (gen_random_ops, the stateless
and stateful ones, dataset shuffles, candidate samplers, sample_distorted_bounding_box) is
wrapped to count its calls, with the program line that led to it. A random op counts as an
initializer when it runs while a variable is being created, when (graph mode) it feeds only
variables' initial values, or (eager) when it runs on the line that then creates a variable.
"""
import contextlib
import os
import random
import sys

from _tfshift_probe.variables import EAGER, GRAPH

RANDOM_MODULES = ("gen_random_ops", "gen_stateless_random_ops", "gen_stateless_random_ops_v2",
                  "gen_stateful_random_ops", "gen_dataset_ops", "gen_experimental_dataset_ops",
                  "gen_candidate_sampling_ops", "gen_image_ops")
RANDOM_WORDS = ("random", "shuffle", "multinomial", "truncated_normal", "sample_distorted",
                "candidate_sampler", "stateless", "stateful")
NOT_DRAWS = ("get_key_counter", "get_alg", "rng_skip", "rng_read_and_skip", "eager_fallback",
             "random_index_shuffle", "anonymous_seed_generator", "dummy_seed_generator",
             "delete_seed_generator", "stateless_shuffle_fallback")
LIBRARIES = (os.sep + "tensorflow" + os.sep, os.sep + "tensorflow_core" + os.sep,
             os.sep + "keras" + os.sep, os.sep + "tf_keras" + os.sep, os.sep + "tf_slim" + os.sep)
PYTHON_RANDOM = ("random", "uniform", "randint", "randrange", "choice", "choices", "shuffle",
                 "sample", "gauss", "normalvariate", "getrandbits", "betavariate", "expovariate",
                 "triangular", "lognormvariate", "vonmisesvariate", "gammavariate",
                 "paretovariate", "weibullvariate")
# Decorators between the program's call and the API it called (TensorFlow's dispatch, deprecation
# and traceback wrappers, Keras's tracking): the API's name is the first frame past them.
WRAPPERS = ("error_handler", "op_dispatch_handler", "new_func", "func_with_args", "wrapper",
            "build_wrapper", "_method_wrapper", "wrapped", "decorated", "inner", "__call__",
            "_call_wrapper")
LINES_BEFORE_CREATION = 5  # a random op this many lines above a variable's creation may feed it


def seed_python_and_numpy(seed):
    import numpy as np

    random.seed(seed)
    np.random.seed(seed)


def seed_tensorflow(tf, seed):
    from tensorflow.python.framework import ops

    ops.get_default_graph().seed = seed
    if tf.executing_eagerly():
        tf.random.set_seed(seed)


def keep_libraries_off_python_random(seed):
    """TensorFlow's and Keras's calls to `random.*` use their own generator, not the program's."""
    private = random.Random(seed)
    for name in PYTHON_RANDOM:
        shared = getattr(random, name, None)
        if shared is None:
            continue
        setattr(random, name, _route(shared, getattr(private, name)))


def _route(shared, private):
    def draw(*args, **kwargs):
        caller = sys._getframe(1).f_code.co_filename
        if any(part in caller for part in LIBRARIES):
            return private(*args, **kwargs)
        return shared(*args, **kwargs)

    draw.__name__ = getattr(shared, "__name__", "draw")
    draw.__doc__ = getattr(shared, "__doc__", None)
    return draw


class Sites(object):
    """Where in the program something happens: the innermost frame in the program's folder."""

    def __init__(self, folder):
        self.folder = os.path.join(os.path.realpath(folder), "")
        self._inside = {}  # file name -> whether it is the program's

    def frame(self, frame):
        while frame is not None:
            path = frame.f_code.co_filename
            inside = self._inside.get(path)
            if inside is None:
                inside = self._inside[path] = os.path.realpath(path).startswith(self.folder)
            if inside:
                return frame
            frame = frame.f_back
        return None

    def name(self, frame):
        frame = self.frame(frame)
        if frame is None:
            return None
        return "%s:%d" % (os.path.relpath(os.path.realpath(frame.f_code.co_filename), self.folder),
                          frame.f_lineno)


class RandomOps(object):
    """Counts the random ops the program runs (or builds into graphs), initializers apart."""

    def __init__(self, tf, variables, sites):
        self.tf = tf
        self.variables = variables
        self.sites = sites
        self.found = {}  # (op, api, site) -> {"count", "initializer", "graph_ops": [...]}
        self.pending = []  # eager draws not yet known to be initializers: (key, frame id, line)
        variables.on_created.append(self._variable_created)

    def install(self):
        import importlib

        for short in RANDOM_MODULES:
            try:
                module = importlib.import_module("tensorflow.python.ops." + short)
            except ImportError:
                continue
            for name in dir(module):
                if name.startswith("_") or not any(w in name for w in RANDOM_WORDS) or \
                        any(w in name for w in NOT_DRAWS):
                    continue
                function = getattr(module, name)
                if callable(function) and getattr(function, "__module__", None) == module.__name__:
                    setattr(module, name, self._wrap(name, function))

    def _wrap(self, op, function):
        probe = self

        def drawn(*args, **kwargs):
            result = function(*args, **kwargs)
            with contextlib.suppress(Exception):  # the program comes first
                probe.drawn(op, result, sys._getframe(1))
            return result

        drawn.__name__ = function.__name__
        drawn.__doc__ = function.__doc__
        drawn.__wrapped__ = function
        return drawn

    def drawn(self, op, result, frame):
        user = self.sites.frame(frame)
        api = None
        if user is not None:
            called = []  # from the random op out to the API the program called
            while frame is not None and frame is not user:
                called.append(frame.f_code.co_name)
                frame = frame.f_back
            api = next((n for n in reversed(called) if n not in WRAPPERS), None)
        site = self.sites.name(user) if user is not None else None
        key = (op, api, site)
        entry = self.found.setdefault(key, {"count": 0, "initializer": 0, "graph_ops": []})
        entry["count"] += 1
        if self.variables.creating:
            entry["initializer"] += 1
        elif self.tf.executing_eagerly():
            if user is not None:
                self.pending.append((key, id(user), user.f_code, user.f_lineno))
        else:
            first = result[0] if isinstance(result, (list, tuple)) and result else result
            name = getattr(getattr(first, "op", None), "name", None)
            if name:
                entry["graph_ops"].append((getattr(first, "graph", None), name))

    def _variable_created(self, record):
        """An eager draw on the lines just above a variable's creation, in the same call, fed it."""
        if record.kind != EAGER:
            return
        frame = self.sites.frame(sys._getframe(1))
        pending, self.pending = self.pending, []
        if frame is None:
            return
        for key, frame_id, code, line in pending:
            if frame_id == id(frame) and code is frame.f_code and \
                    0 <= frame.f_lineno - line <= LINES_BEFORE_CREATION:
                self.found[key]["initializer"] += 1

    def summary(self):
        """[{op, api, site, count, initializer}] with initializer True when every draw was one."""
        self._graph_initializers()
        rows = []
        for (op, api, site), entry in self.found.items():
            rows.append({"op": op, "api": api, "site": site, "count": entry["count"],
                         "initializer": entry["initializer"] >= entry["count"]})
        return rows

    def _graph_initializers(self):
        """Graph mode: random ops that feed nothing but variables' initial values."""
        by_graph = {}
        for record in self.variables.records:
            if record.kind == GRAPH:
                by_graph.setdefault(id(record.graph), []).append(record)
        closures = {}
        for entry in self.found.values():
            for graph, name in entry["graph_ops"]:
                if graph is None or id(graph) not in by_graph:
                    continue
                if id(graph) not in closures:
                    closures[id(graph)] = _initial_value_closure(graph, by_graph[id(graph)])
                if name in closures[id(graph)]:
                    entry["initializer"] += 1


def _initial_value_closure(graph, records):
    from _tfshift_probe.sessions import _closure_names

    ops = []
    for record in records:
        for name in record.initializer_ops:
            with contextlib.suppress(Exception):
                ops.append(graph.get_operation_by_name(name))
    return _closure_names(ops)
