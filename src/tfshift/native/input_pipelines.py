"""Family 6: input pipelines (queue runners, TF1 iterators).

Native today (with family 7): an `input_fn` returning `ds.make_one_shot_iterator().get_next()` /
`tf.data.make_one_shot_iterator(ds).get_next()` returns the dataset itself (Keras iterates it),
and `numpy_input_fn(shuffle=False)` becomes `tf.data` (estimators.py).

Everything else here is reported at its site with what it would take, because the TF2 form is
not a local rewrite: a queue-runner pipeline (`string_input_producer` -> reader -> parse ->
`tf.train.batch`, started by `start_queue_runners`) is a per-example graph that must move into a
`tf.data` `map` function, and TF1 iterators fetched through `Session.run` become Python `for`
loops over the dataset only once the Session loop itself is gone. The shuffling ones
(`shuffle_batch`, `string_input_producer` whose `shuffle` defaults to True) draw orders from
RandomShuffleQueues that no `tf.data` pipeline reproduces, so even a rewrite could not be
compared number for number with the original.
"""

from __future__ import annotations

import ast

from tfshift.native.family import Family, Site, Unit

_QUEUE_PIPELINE = (
    "queue runners feed the graph from threads; the TF2 form is a tf.data pipeline "
    "(tf.data.{dataset}(...).map(parse).batch(n)) whose per-example code moves into `map`, "
    "not rewritten automatically yet")
_SHUFFLED = ("{name} draws its order from a RandomShuffleQueue: a tf.data `shuffle` gives other "
             "batches, so the rewrite could not be checked against the original")

# TF1 name -> why it stays (the dataset a rewrite would read from, where there is one).
_REASONS = {
    "tf.train.string_input_producer": _QUEUE_PIPELINE.format(dataset="TFRecordDataset / TextLineDataset"),
    "tf.train.input_producer": _QUEUE_PIPELINE.format(dataset="Dataset.from_tensor_slices"),
    "tf.train.range_input_producer": _QUEUE_PIPELINE.format(dataset="Dataset.range"),
    "tf.train.slice_input_producer": _QUEUE_PIPELINE.format(dataset="Dataset.from_tensor_slices"),
    "tf.train.batch": _QUEUE_PIPELINE.format(dataset="Dataset"),
    "tf.train.batch_join": _QUEUE_PIPELINE.format(dataset="Dataset.interleave"),
    "tf.train.maybe_batch": _QUEUE_PIPELINE.format(dataset="Dataset"),
    "tf.train.shuffle_batch": _SHUFFLED.format(name="tf.train.shuffle_batch"),
    "tf.train.shuffle_batch_join": _SHUFFLED.format(name="tf.train.shuffle_batch_join"),
    "tf.train.maybe_shuffle_batch": _SHUFFLED.format(name="tf.train.maybe_shuffle_batch"),
    "tf.TFRecordReader": _QUEUE_PIPELINE.format(dataset="TFRecordDataset"),
    "tf.TextLineReader": _QUEUE_PIPELINE.format(dataset="TextLineDataset"),
    "tf.WholeFileReader": _QUEUE_PIPELINE.format(dataset="Dataset.list_files(...).map(tf.io.read_file)"),
    "tf.FixedLengthRecordReader": _QUEUE_PIPELINE.format(dataset="FixedLengthRecordDataset"),
    "tf.IdentityReader": _QUEUE_PIPELINE.format(dataset="Dataset"),
    "tf.train.start_queue_runners": "queue runners are started here; they go with the queue pipeline they run",
    "tf.train.Coordinator": "a Coordinator stops queue-runner threads; it goes with the queue pipeline",
    "tf.train.QueueRunner": _QUEUE_PIPELINE.format(dataset="Dataset"),
    "tf.train.add_queue_runner": _QUEUE_PIPELINE.format(dataset="Dataset"),
    "tf.FIFOQueue": "a FIFOQueue fed by threads: the TF2 form is a tf.data pipeline, not rewritten automatically yet",
    "tf.RandomShuffleQueue": _SHUFFLED.format(name="tf.RandomShuffleQueue"),
    "tf.PaddingFIFOQueue": "a PaddingFIFOQueue: the TF2 form is Dataset.padded_batch, not rewritten automatically yet",
    "tf.data.make_one_shot_iterator": (
        "a one-shot iterator read through Session.run: it becomes `for batch in dataset:` once "
        "the Session loop is gone; outside an input_fn that is not rewritten yet"),
    "tf.data.make_initializable_iterator": (
        "an initializable iterator (re-run per epoch through Session.run): it becomes a fresh "
        "`for batch in dataset:` per epoch once the Session loop is gone; not rewritten yet"),
    "tf.data.Iterator": "a reinitializable tf.data.Iterator: not rewritten yet",
}
_QUEUE_NAMES = ("tf.train.string_input_producer", "tf.train.batch", "tf.train.start_queue_runners",
                "tf.train.Coordinator")
# What queue-runner threads run (all of it must be rewritten before the threads can go).
QUEUE_OPS = tuple(n for n in _REASONS if n not in (
    "tf.train.start_queue_runners", "tf.train.Coordinator", "tf.data.make_one_shot_iterator",
    "tf.data.make_initializable_iterator", "tf.data.Iterator"))
# Dataset methods that only TF1 has (reached on a value, so found by attribute name).
_METHODS = {
    "make_one_shot_iterator": _REASONS["tf.data.make_one_shot_iterator"],
    "make_initializable_iterator": _REASONS["tf.data.make_initializable_iterator"],
}


def find(unit: Unit) -> list[Site]:
    sites = _drain_loops(unit) + _spec_attributes(unit)
    seen = set()
    # graph.py rewrites (or reports) the iterators of a module-level Session program
    graph_program = owned_by_graph_program(unit)
    owned = _module_level(unit) if graph_program else set()
    if graph_program and any(ref.v1 and ref.name in _QUEUE_NAMES for ref in unit.refs()):
        from tfshift.native import queue_pipelines

        try:
            pipelines = queue_pipelines.rewrite(unit)
        except queue_pipelines.Cannot as exc:
            sites.append(FAMILY.site(unit, exc.node, "queue pipeline", cannot=exc.reason))
        else:
            seen.update(pipelines.handled)
            if pipelines.edits:
                sites.append(FAMILY.site(unit, unit.tree.body[0], "queue-runner pipeline -> tf.data",
                                         pipelines.edits, tuple(pipelines.imports)))
    for ref in unit.refs():
        reason = _REASONS.get(ref.name) if ref.v1 else None
        if reason is None or id(ref.node) in seen:
            continue
        seen.add(id(ref.node))
        if ref.name in _ITERATOR_FUNCTIONS and id(ref.node) in owned:
            continue
        sites.append(FAMILY.site(unit, ref.node, ref.name, cannot=reason))
    if not unit.bindings.module and not unit.bindings.local:
        return sites
    for node in _method_calls(unit):
        if id(node) in owned:
            continue
        sites.append(FAMILY.site(unit, node, f".{node.func.attr}()", cannot=_METHODS[node.func.attr]))
    return sites


def _drain_loops(unit: Unit) -> list[Site]:
    """`while True: try: ... it.get_next() ... except tf.errors.OutOfRangeError: break` (or the
    `try: while True: ... except OutOfRangeError: pass` form) over an eager iterator
    (`it = iter(ds)`) -> `for batch in it:`. Exact when the loop draws once per pass, first thing:
    the `for` draws at the same point and stops where get_next raised."""
    errors = {id(r.node) for r in unit.refs() if r.name == "tf.errors.OutOfRangeError"}
    if not errors:
        return []
    eager = _eager_iterators(unit)
    sites = []
    for node in ast.walk(unit.tree):
        loop = _drain_loop(node, errors)
        if loop is None:
            continue
        body, step_parent = loop
        draws = [c for c in ast.walk(node) if iterators_drawn(c) is not None]
        if len(draws) != 1 or iterators_drawn(draws[0]) not in eager:
            continue
        draw = draws[0]
        if type(body[0]) not in (ast.Assign, ast.Expr, ast.AugAssign) or not _evaluated_once(body[0], draw):
            continue
        text = _as_for(unit, node, body, step_parent, draw)
        if text is not None:
            sites.append(FAMILY.site(unit, node, "OutOfRangeError loop -> for loop over the iterator",
                                     [unit.replace(node, text)], tf2=True))
    return sites


def iterators_drawn(node: ast.AST) -> str | None:
    return drawn_from(node)


def _eager_iterators(unit: Unit) -> set[str]:
    """Names only ever bound to `iter(...)`."""
    bound: dict[str, bool] = {}
    for node in ast.walk(unit.tree):
        if type(node) is ast.Assign:
            for target in node.targets:
                for name in ast.walk(target):
                    if type(name) is ast.Name:
                        value = node.value
                        eager = (len(node.targets) == 1 and target is name and type(value) is ast.Call
                                 and type(value.func) is ast.Name and value.func.id == "iter"
                                 and len(value.args) == 1 and not value.keywords)
                        bound[name.id] = bound.get(name.id, True) and eager
        elif isinstance(node, (ast.For, ast.With, ast.AugAssign, ast.AnnAssign, ast.NamedExpr)):
            for name in ast.walk(getattr(node, "target", node)):
                if type(name) is ast.Name and type(name.ctx) is ast.Store:
                    bound[name.id] = False
    return {name for name, eager in bound.items() if eager}


def _drain_loop(node: ast.AST, errors: set[int]):
    """(loop body, the statement whose indentation step the body drops) of a drain loop."""
    def handler_is(t: ast.Try, kind) -> bool:
        return (len(t.handlers) == 1 and not t.orelse and not t.finalbody
                and t.handlers[0].name is None and t.handlers[0].type is not None
                and id(t.handlers[0].type) in errors
                and len(t.handlers[0].body) == 1 and type(t.handlers[0].body[0]) is kind)

    def forever(w) -> bool:
        return (type(w) is ast.While and type(w.test) is ast.Constant and w.test.value is True
                and not w.orelse)

    if forever(node) and len(node.body) == 1 and type(node.body[0]) is ast.Try and handler_is(node.body[0], ast.Break):
        return node.body[0].body, node.body[0]
    if type(node) is ast.Try and len(node.body) == 1 and forever(node.body[0]) and handler_is(node, ast.Pass):
        return node.body[0].body, node.body[0]
    return None


def _evaluated_once(statement: ast.stmt, draw: ast.AST) -> bool:
    """The draw is not under a lambda, comprehension, conditional or short-circuit."""
    stack = [(statement, False)]
    while stack:
        current, guarded = stack.pop()
        if current is draw:
            return not guarded
        risky = isinstance(current, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
                                     ast.GeneratorExp, ast.IfExp, ast.BoolOp))
        stack.extend((child, guarded or risky) for child in ast.iter_child_nodes(current))
    return False


def _as_for(unit: Unit, loop: ast.AST, body: list[ast.stmt], step_parent: ast.stmt, draw: ast.Call) -> str | None:
    outer = unit.indent_of(loop)
    inner = unit.indent_of(body[0])
    step = unit.indent_of(step_parent)[len(outer):]
    if not step or not inner.startswith(outer + step) or len(inner) <= len(outer + step):
        return None
    for sub in ast.walk(loop):  # lines we would re-indent must not be inside a string
        if type(sub) is ast.Constant and isinstance(sub.value, str) and sub.end_lineno > sub.lineno:
            return None
    element = unit.unique("batch")
    start = unit.starts[body[0].lineno - 1]
    end = unit.offset(body[-1].end_lineno, body[-1].end_col_offset)
    draw_start, draw_end = unit.span(draw)
    text = unit.text[start:draw_start] + element + unit.text[draw_end:end]
    nl = unit.newline
    lines = text.split(nl)
    out = []
    for line in lines:
        if not line.strip():
            out.append(line.strip(" \t"))
        elif line.startswith(outer + step):  # one level less: the try (or while) is gone
            out.append(outer + line[len(outer + step):])
        else:
            return None
    iterator = draw.func.value.id
    return f"for {element} in {iterator}:{nl}" + nl.join(out)


# TF1-only Dataset attributes -> what element_spec (TF2) gives, structure for structure.
_SPEC_ATTRIBUTES = {"output_types": "dtype", "output_shapes": "shape"}
_DATASET_MAKERS = ("tf.data.Dataset.", "tf.data.TFRecordDataset", "tf.data.TextLineDataset",
                   "tf.data.FixedLengthRecordDataset")
_DATASET_METHODS = {"batch", "repeat", "shuffle", "map", "prefetch", "take", "skip", "cache", "filter",
                    "concatenate", "padded_batch", "unbatch", "flat_map", "interleave", "apply", "window"}


def _spec_attributes(unit: Unit) -> list[Site]:
    """`ds.output_types` / `ds.output_shapes` (TF1 only) -> `tf.nest.map_structure(lambda spec:
    spec.dtype, ds.element_spec)`, where `ds` is visibly a tf.data.Dataset; `output_classes`, or
    the attributes of something we cannot see is a dataset, are reported."""
    refs = {id(r.call.func): r for r in unit.refs() if r.call is not None}
    if not any(r.name.startswith("tf.data.") for r in refs.values()):
        return []
    assigned: dict[str, list[ast.AST]] = {}
    for node in ast.walk(unit.tree):
        if type(node) is ast.Assign:
            for target in node.targets:
                for name in ast.walk(target):
                    if type(name) is ast.Name:
                        assigned.setdefault(name.id, []).append(node.value if target is name else None)

    def dataset(node, depth=0) -> bool:
        if depth > 50:
            return False
        if type(node) is ast.Call:
            ref = refs.get(id(node.func))
            if ref is not None:
                return ref.name.startswith(_DATASET_MAKERS)
            if type(node.func) is ast.Attribute and node.func.attr in _DATASET_METHODS:
                return dataset(node.func.value, depth + 1)
            return False
        if type(node) is ast.Name:
            values = assigned.get(node.id, [])
            return bool(values) and all(v is not None and dataset(v, depth + 1) for v in values)
        return False

    sites = []
    for node in ast.walk(unit.tree):
        if type(node) is not ast.Attribute or type(node.ctx) is not ast.Load:
            continue
        if node.attr not in (*_SPEC_ATTRIBUTES, "output_classes") or not dataset(node.value):
            continue
        if node.attr == "output_classes":
            sites.append(FAMILY.site(unit, node, "Dataset.output_classes", cannot=(
                "Dataset.output_classes (TF1 only): TF2's element_spec gives TypeSpecs, not classes; "
                "not rewritten")))
            continue
        mapped, imports = unit.spell("tf.nest.map_structure")
        text = f"{mapped}(lambda spec: spec.{_SPEC_ATTRIBUTES[node.attr]}, {unit.segment(node.value)}.element_spec)"
        sites.append(FAMILY.site(unit, node, f"Dataset.{node.attr} -> element_spec",
                                 [unit.replace(node, text)], imports, tf2=True))
    return sites


def _module_level(unit: Unit) -> set[int]:
    """id() of every node of module-level code (function and class bodies left out)."""
    found: set[int] = set()
    stack = list(unit.tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        found.add(id(node))
        stack.extend(ast.iter_child_nodes(node))
    return found


def _method_calls(unit: Unit):
    """`ds.make_one_shot_iterator()` calls (an input_fn returning `...get_next()` of one is
    rewritten by family 7 in an earlier round, so it is gone before anything is reported)."""
    for node in ast.walk(unit.tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in _METHODS and not node.args and not node.keywords):
            yield node


FAMILY = Family(
    number=6,
    name="input-pipelines",
    order=650,
    find=find,
    claims=tuple(_REASONS),
    summary="queue runners and TF1 iterators: reported with what their tf.data form needs; "
            "an input_fn's one-shot iterator returns its dataset (with family 7)",
)


# TF1 iterators in a module-level graph program (graph.py calls these) -------------------------
#
# `it = ds.make_one_shot_iterator()` becomes `it = iter(ds)` and the elements `x, y =
# it.get_next()` become arguments of the functions graph.py writes, each `sess.run` that needs
# them drawing ONE element with `it.get_next()` (as TF1 drew one per run, however many fetches
# read it). An eager iterator's `get_next()` raises `tf.errors.OutOfRangeError` at the end like
# TF1's did, so `except tf.errors.OutOfRangeError` loops keep working unchanged.
# `sess.run(it.initializer)` (an initializable iterator starting over) becomes `it = iter(ds)`.

_ITERATOR_FUNCTIONS = {"tf.data.make_one_shot_iterator": False, "tf.data.make_initializable_iterator": True}


def iterator_of(value: ast.AST | None, name_of) -> tuple[ast.AST, bool] | None:
    """(dataset node, initializable) of `ds.make_one_shot_iterator()`,
    `tf.data.make_initializable_iterator(ds)`, ...; None for anything else."""
    if type(value) is not ast.Call or value.keywords:
        return None
    name = name_of(value)
    if name in _ITERATOR_FUNCTIONS and len(value.args) == 1:
        return value.args[0], _ITERATOR_FUNCTIONS[name]
    if name is None and type(value.func) is ast.Attribute and value.func.attr in _METHODS and not value.args:
        return value.func.value, value.func.attr == "make_initializable_iterator"
    return None


def drawn_from(value: ast.AST | None) -> str | None:
    """The iterator name of `it.get_next()`."""
    if (type(value) is ast.Call and type(value.func) is ast.Attribute and value.func.attr == "get_next"
            and type(value.func.value) is ast.Name and not value.args and not value.keywords):
        return value.func.value.id
    return None


def element_names(target: ast.AST) -> list[str] | None:
    """`x` -> [x]; `x, y` / `(x, y)` -> [x, y]; anything else (nested, starred) -> None."""
    if type(target) is ast.Name:
        return [target.id]
    if type(target) in (ast.Tuple, ast.List) and target.elts and all(type(e) is ast.Name for e in target.elts):
        return [e.id for e in target.elts]
    return None


def initializer_of(fetch: ast.AST) -> str | None:
    """The iterator name of `it.initializer`."""
    if type(fetch) is ast.Attribute and fetch.attr == "initializer" and type(fetch.value) is ast.Name:
        return fetch.value.id
    return None


def owned_by_graph_program(unit: Unit) -> bool:
    """Whether graph.py rewrites (or reports) this file's iterators: a Session program."""
    from tfshift.native.graph import GRAPH_NAMES

    return any(ref.v1 and ref.name in GRAPH_NAMES for ref in unit.refs())
