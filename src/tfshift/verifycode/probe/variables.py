"""Every variable the program creates: seen at creation, its initial and final value kept.

One variable creator sits at the bottom of every graph's creator stack (the default graph's and
each new graph's), so it sees `tf.Variable`, `tf.get_variable`, `tf.layers`, Keras 2 weights and
Keras 3 variables (on the TensorFlow backend a Keras 3 Variable holds a tf.Variable created
through the stack). Where a variable lives decides when its value exists:

- eager (TF 2.x): at creation.
- created while tf.function traces (TF 2.x): when tf.function initialises its variables, just
  before the first call runs (Function._initialize_uninitialized_variables).
- graph mode (TF 1.x, or tf.compat.v1 graphs): when a Session runs the variable's initializer
  (sessions.py watches Session.run); its final value when the session closes or at exit.

Side B sets a matched variable to A's initial value: eager variables are assigned at creation,
tf.function's are assigned under init_scope (tf.function then skips an initialised variable),
graph variables get a new initializer op (an assign of a constant) before anyone runs it.
"""
import sys

import numpy as np

EAGER, FUNCTION, GRAPH = "eager", "function", "graph"


# Code that writes a SavedModel may create variables of its own while tracing what it saves;
# they copy the program's state and have no counterpart on the other side.
_SAVING_PATHS = ("/keras/src/export/", "/tensorflow/python/saved_model/")


def _saving(frame, depth=80):
    while frame is not None and depth:
        name = frame.f_code.co_filename.replace("\\", "/")
        if any(part in name for part in _SAVING_PATHS):
            return True
        frame, depth = frame.f_back, depth - 1
    return False


class Variable(object):
    """One variable of the program, in creation order."""

    def __init__(self, index, var, kind, site):
        self.index = index
        self.var = var  # kept alive: the program may drop it before its final value is read
        self.kind = kind
        self.graph = getattr(var, "graph", None) if kind == GRAPH else None
        self.name = var.name
        shape = var.shape
        self.shape = None if shape.ndims is None else [d if d is None else int(d) for d in shape.as_list()]
        self.dtype = var.dtype.base_dtype.name
        # Integer "trainable" variables (Keras 2's step counters) take no gradients.
        self.trainable = bool(getattr(var, "trainable", False)) and (
            var.dtype.is_floating or var.dtype.is_complex)
        self.site = site
        self.initial = None
        self.final = None
        self.initializer_ops = []  # graph mode: the ops that compute its first value
        self.match = None  # B: A's index
        self.how = None  # B: "name", "scope", "order", or why there is no match
        self.transferred = False
        self.note = None

    def describe(self):
        return {"index": self.index, "name": self.name, "shape": self.shape, "dtype": self.dtype,
                "trainable": self.trainable, "kind": self.kind, "site": self.site,
                "has_initial": self.initial is not None, "has_final": self.final is not None,
                "match": self.match, "how": self.how, "transferred": self.transferred,
                "note": self.note}


class Variables(object):
    """The creator, the records, and (side B) the transfer of A's initial values."""

    def __init__(self, tf, matcher=None, values=None, where=None):
        self.tf = tf
        self.tf1 = tf.compat.v1
        self.matcher = matcher  # side B only
        self.values = values or {}  # side B: A's index -> initial value
        self.where = where  # user_site(frame) -> "file:line" or None
        self.records = []
        self.creating = 0  # > 0 while a variable is being created: its random ops initialise it
        self.on_created = []  # callbacks(record), e.g. randomness bookkeeping
        self._scopes = []  # entered creator scopes, kept so they are never exited
        from tensorflow.python.framework import ops

        self.ops = ops

    # -- installing

    def install(self):
        self.install_on(self.ops.get_default_graph())
        graph_class = self.ops.Graph
        original = graph_class.__init__
        probe = self

        def __init__(graph, *args, **kwargs):
            original(graph, *args, **kwargs)
            probe.install_on(graph)

        graph_class.__init__ = __init__
        self._hook_function_initialisation()

    def install_on(self, graph):
        try:
            scope = graph._variable_creator_scope(self.creator, priority=100)
            scope.__enter__()
            self._scopes.append(scope)
        except Exception as exc:  # an unknown TensorFlow: say so, do not break the program
            warn("cannot watch variable creation in this graph: %r" % (exc,))

    def _hook_function_initialisation(self):
        function_class = type(self.tf.function(lambda: None))
        original = getattr(function_class, "_initialize_uninitialized_variables", None)
        if original is None:
            return
        probe = self

        def _initialize_uninitialized_variables(function, initializers):
            result = original(function, initializers)
            probe.function_initialised([v for v, _ in initializers or ()])
            return result

        function_class._initialize_uninitialized_variables = _initialize_uninitialized_variables

    # -- the creator

    def creator(self, next_creator, **kwargs):
        self.creating += 1
        try:
            var = next_creator(**kwargs)
        finally:
            self.creating -= 1
        if _saving(sys._getframe(1)):
            return var  # a copy made to write a SavedModel (Keras 3's model.export): not program state
        try:
            self.created(var)
        except Exception as exc:  # the program comes first
            warn("could not record variable %s: %r" % (getattr(var, "name", "?"), exc))
        return var

    def created(self, var):
        if self.tf.executing_eagerly():
            kind = EAGER
        elif self._eager_outside():
            kind = FUNCTION
        else:
            kind = GRAPH
        record = Variable(len(self.records), var, kind, self.where(sys._getframe(1)) if self.where else None)
        self.records.append(record)
        if kind == GRAPH:
            record.initializer_ops = _initializer_ops(var)
        if self.matcher is not None:
            self._transfer(record)
        elif kind == EAGER:
            record.initial = _numpy(var)
        for callback in self.on_created:
            callback(record)

    def _eager_outside(self):
        check = getattr(self.ops, "executing_eagerly_outside_functions", None)
        return bool(check and check())

    def function_initialised(self, variables):
        """Side A: tf.function has just given its variables their first values."""
        wanted = set(id(v) for v in variables)
        with self.tf.init_scope():
            for record in self.records:
                if record.kind == FUNCTION and record.initial is None and id(record.var) in wanted:
                    record.initial = _numpy(record.var)

    # -- side B: A's initial values

    def _transfer(self, record):
        index, how = self.matcher.match(record.name, record.shape, record.trainable)
        record.match, record.how = index, how
        if index is None:
            return
        value = self.values.get(index)
        if value is None:
            record.note = "A's initial value was never seen (its initializer never ran)"
            return
        target = np.dtype(self.tf.as_dtype(record.dtype).as_numpy_dtype)
        if value.dtype != target:
            record.note = "cast from A's %s" % value.dtype.name
            value = value.astype(target)
        if record.kind == EAGER:
            record.var.assign(value)
        elif record.kind == FUNCTION:
            with self.tf.init_scope():
                record.var.assign(value)
        else:
            self._replace_initializer(record, value)
        record.transferred = True

    def _replace_initializer(self, record, value):
        var = record.var
        tf1 = self.tf1
        graph = var.graph
        with graph.as_default(), tf1.control_dependencies(None), graph.name_scope(None), \
                graph.name_scope("tfshift_transfer"):
            constant = tf1.constant(value, dtype=var.dtype.base_dtype, name="value")
            assign = var.assign(constant, read_value=False)
        var._initializer_op = getattr(assign, "op", assign)
        var._initial_value = constant

    # -- values

    def graph_records(self, graph):
        return [r for r in self.records if r.kind == GRAPH and r.graph is graph]

    def read_final(self):
        """Final values of eager and tf.function variables (graph ones come from sessions)."""
        with self.tf.init_scope():
            for record in self.records:
                if record.kind != GRAPH and record.trainable:
                    value = _numpy(record.var)
                    if value is not None:
                        record.final = value


def _initializer_ops(var):
    found = []
    for attribute in ("initializer", "initial_value"):
        try:
            item = getattr(var, attribute)
            found.append(getattr(item, "op", item).name)
        except Exception:
            pass
    return found


def _numpy(var):
    try:
        return np.array(var.numpy(), copy=True)
    except Exception:  # not initialised, or deleted
        return None


def warn(message):
    sys.stderr.write("tfshift probe: warning: %s\n" % message)
