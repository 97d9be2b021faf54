"""Graph mode: a variable's value lives in a Session, so the probe watches Session.run and close.

- After a run that executed some variables' initializers (the fetches reach their initializer
  ops, e.g. `global_variables_initializer()`, a Keras or MonitoredSession init), side A reads
  those variables: their initial values. The ops a set of fetches reaches is worked out once per
  set of fetches.
- When a session closes (`with tf.Session()` closes it, and the values go with it), and at exit
  for sessions still open, the trainable variables are read: their final values.
"""
from collections import deque

from _tfshift_probe.variables import warn
from tensorflow.python.client import session as session_module
from tensorflow.python.util import nest


class Sessions(object):
    def __init__(self, variables, capture_initial):
        self.variables = variables
        self.capture_initial = capture_initial  # side A
        self.open = []  # sessions that ran something, kept to be read at exit
        self._reached = {}  # (graph id, fetch names) -> initializer op names those fetches reach
        self._run = session_module.BaseSession.run
        self._close = session_module.BaseSession.close

    def install(self):
        cls = session_module.BaseSession
        probe = self
        run, close = self._run, self._close

        def run_hooked(session, fetches, feed_dict=None, options=None, run_metadata=None):
            result = run(session, fetches, feed_dict, options, run_metadata)
            try:
                probe.after_run(session, fetches)
            except Exception as exc:
                warn("could not read variables after Session.run: %r" % (exc,))
            return result

        def close_hooked(session):
            try:
                probe.snapshot(session)
            except Exception as exc:
                warn("could not read variables before Session.close: %r" % (exc,))
            return close(session)

        cls.run = run_hooked
        cls.close = close_hooked

    def after_run(self, session, fetches):
        if not any(s is session for s in self.open):
            self.open.append(session)
        if not self.capture_initial:
            return
        waiting = [r for r in self.variables.graph_records(session.graph) if r.initial is None]
        if not waiting:
            return
        reached = self._initializers_reached(session.graph, fetches, waiting)
        done = [r for r in waiting if r.initializer_ops and r.initializer_ops[0] in reached]
        for record, value in zip(done, self._read(session, done)):
            record.initial = value

    def _initializers_reached(self, graph, fetches, waiting):
        ops = _fetch_ops(graph, fetches)
        key = (id(graph), tuple(sorted(op.name for op in ops)))
        if key not in self._reached:
            wanted = set(r.initializer_ops[0] for r in self.variables.graph_records(graph)
                         if r.initializer_ops)
            self._reached[key] = wanted & _closure_names(ops)
        return self._reached[key]

    def snapshot(self, session):
        """Final values: the trainable variables of this session's graph, as they are now."""
        if getattr(session, "_closed", False):
            return
        records = [r for r in self.variables.graph_records(session.graph) if r.trainable]
        for record, value in zip(records, self._read(session, records)):
            if value is not None:
                record.final = value

    def snapshot_open(self):
        for session in self.open:
            try:
                self.snapshot(session)
            except Exception as exc:
                warn("could not read variables at exit: %r" % (exc,))

    def _read(self, session, records):
        """The values of these variables in this session (None where not initialised)."""
        if not records:
            return []
        try:
            return list(self._run(session, [r.var for r in records]))
        except Exception:  # one of them is not initialised: read them one by one
            values = []
            for record in records:
                try:
                    values.append(self._run(session, record.var))
                except Exception:
                    values.append(None)
            return values


def _fetch_ops(graph, fetches):
    found = []
    for item in nest.flatten(fetches):
        try:
            if isinstance(item, str):
                item = graph.as_graph_element(item, allow_tensor=True, allow_operation=True)
            op = item if hasattr(item, "control_inputs") else getattr(item, "op", None)
        except Exception:
            op = None
        if op is not None:
            found.append(op)
    return found


def _closure_names(ops):
    """The names of the ops these ops depend on (inputs and control inputs), themselves included."""
    seen = set()
    todo = deque(ops)
    while todo:
        op = todo.pop()
        if op.name in seen:
            continue
        seen.add(op.name)
        todo.extend(t.op for t in op.inputs)
        todo.extend(op.control_inputs)
    return seen
