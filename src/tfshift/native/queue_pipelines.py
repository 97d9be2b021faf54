"""Family 6, part of: queue-runner pipelines whose order is fixed become tf.data.

    files = tf.train.string_input_producer(["a.csv"], num_epochs=2, shuffle=False)
    reader = tf.TextLineReader(skip_header_lines=1)
    _, line = reader.read(files)
    a, b = tf.decode_csv(line, [[0.0], [0.0]])           # per-example code
    xb, yb = tf.train.batch([a, b], batch_size=4)
becomes
    def parse_line(line):
        a, b = tf.decode_csv(line, [[0.0], [0.0]])
        return a, b
    xb_dataset = tf.data.Dataset.from_tensor_slices(["a.csv"]).repeat(2).flat_map(
        lambda filename: tf.data.TextLineDataset(filename).skip(1)).map(parse_line).batch(4, drop_remainder=True)
    xb_iterator = xb_dataset.make_one_shot_iterator()
    xb, yb = xb_iterator.get_next()

and the graph family turns that iterator into an eager one in the next round (input_pipelines.py).
Exact because, with `shuffle=False` and one thread, the file-name queue yields the files in order
epoch after epoch, one reader reads each file through, and `tf.train.batch` (one thread) keeps
that order; when the epochs run out it drops the short last batch unless
`allow_smaller_final_batch=True` (`drop_remainder`). The Coordinator and `start_queue_runners`
go (nothing runs in threads any more): `while not coord.should_stop()` is `while True`, the
queue's end is the iterator's `OutOfRangeError` as before.

Only this shape is rewritten (module-level statements, one reader per producer, a per-example
slice that nothing else reads); anything else stays reported by input_pipelines.py.
"""

from __future__ import annotations

import ast

from tfshift.native.arguments import Cannot
from tfshift.native.arguments import bind as _args
from tfshift.native.family import Edit, Unit

PRODUCER = "tf.train.string_input_producer"
BATCH = "tf.train.batch"
READERS = {"tf.TextLineReader": ("skip_header_lines", "name"), "tf.TFRecordReader": ("name", "options")}
_PRODUCER_ARGS = ("string_tensor", "num_epochs", "shuffle", "seed", "capacity", "shared_name", "name",
                  "cancel_op")
_BATCH_ARGS = ("tensors", "batch_size", "num_threads", "capacity", "enqueue_many", "shapes", "dynamic_pad",
               "allow_smaller_final_batch", "shared_name", "name")


def _constant(node: ast.AST | None, default):
    if node is None:
        return default
    return node.value if type(node) is ast.Constant else ...  # Ellipsis: not a literal


def _stored(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if type(n) is ast.Name and type(n.ctx) is ast.Store}


def _loaded(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if type(n) is ast.Name and type(n.ctx) is ast.Load}


class Pipelines:
    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.refs = {id(r.call): r for r in unit.refs() if r.call is not None}
        self.edits: list[Edit] = []
        self.imports: list = []
        self.handled: set[int] = set()  # id() of reference nodes rewritten
        self.removed: set[int] = set()  # id() of statements deleted

    def name_of(self, node: ast.AST) -> str | None:
        ref = self.refs.get(id(node)) if type(node) is ast.Call else None
        return ref.name if ref is not None and ref.v1 else None

    def spell(self, qual: str) -> str:
        text, imports = self.unit.spell(qual)
        self.imports.extend(i for i in imports if i not in self.imports)
        return text

    def uses(self, name: str) -> list[ast.Name]:
        return [n for n in ast.walk(self.unit.tree) if type(n) is ast.Name and n.id == name]

    # The pipeline -------------------------------------------------------------------------

    def pipeline(self, batch_stmt: ast.Assign) -> None:
        unit, body = self.unit, self.unit.tree.body
        call = batch_stmt.value
        args = _args(call, _BATCH_ARGS, "tf.train.batch")
        if _constant(args.get("num_threads"), 1) != 1:
            raise Cannot(call, "tf.train.batch with several threads enqueues in a racing order")
        for key, default in (("enqueue_many", False), ("dynamic_pad", False), ("shapes", None), ("shared_name", None)):
            if _constant(args.get(key), default) != default:
                raise Cannot(args[key], f"tf.train.batch's {key} is not carried yet")
        smaller = _constant(args.get("allow_smaller_final_batch"), False)
        if smaller not in (True, False):
            raise Cannot(args["allow_smaller_final_batch"], "allow_smaller_final_batch is not a literal")
        tensors = args.get("tensors")
        if type(tensors) not in (ast.List, ast.Tuple) or not tensors.elts or "batch_size" not in args:
            raise Cannot(call, "tf.train.batch of something other than a list of tensors")
        position = body.index(batch_stmt)
        # the per-example slice, back to the reader's read
        needed = _loaded(tensors)
        slice_: list[ast.stmt] = []
        read = None
        for stmt in reversed(body[:position]):
            stored = _stored(stmt)
            if not stored & needed:
                continue
            if type(stmt) is ast.Assign and self.read_call(stmt.value) is not None:
                read = stmt
                break
            if type(stmt) not in (ast.Assign, ast.AugAssign, ast.AnnAssign):
                raise Cannot(stmt, "the per-example code before tf.train.batch is not plain assignments")
            slice_.append(stmt)
            needed |= _loaded(stmt)
        if read is None:
            raise Cannot(call, "tf.train.batch of tensors no reader reads")
        slice_.reverse()
        target = read.targets[0] if len(read.targets) == 1 else None
        if type(target) is not ast.Tuple or len(target.elts) != 2 or any(type(e) is not ast.Name for e in target.elts):
            raise Cannot(read, "reader.read's key and value are not assigned to two names")
        key, value = target.elts[0].id, target.elts[1].id
        if key != "_" and len(self.uses(key)) > 1:
            raise Cannot(read, f"the record key {key} is used: tf.data has no file:line keys")
        produced = set().union(*(_stored(s) for s in slice_)) | {value}
        inside = {id(n) for s in [*slice_, batch_stmt] for n in ast.walk(s)}
        for name in produced:
            outside = [n for n in self.uses(name) if id(n) not in inside and n.id != "_"
                       and n is not target.elts[1]]
            if outside:
                raise Cannot(outside[0], f"{name} (per-example code of the queue pipeline) is used outside it")
        reader_call, queue = self.read_call(read.value)
        dataset = self.source(reader_call, queue, read)
        # the parse function and the dataset
        nl, tf_text = unit.newline, None
        batch_target = batch_stmt.targets[0] if len(batch_stmt.targets) == 1 else None
        if batch_target is None or type(batch_target) not in (ast.Name, ast.Tuple, ast.List):
            raise Cannot(batch_stmt, "tf.train.batch's result is not assigned to names")
        stem = batch_target.id if type(batch_target) is ast.Name else batch_target.elts[0].id
        lines = []
        returned = [unit.segment(e) for e in tensors.elts]
        # one tensor: the queue dequeues that tensor, not a list of one (as the element is)
        result = returned[0] if len(returned) == 1 else ", ".join(returned)
        if slice_ or result != value:
            parse = unit.unique(f"parse_{value}")
            indent = "    "
            lines.append(f"def {parse}({value}):")
            for stmt in slice_:
                lines.extend(indent + line if line.strip() else line for line in self.text_of(stmt).split(nl))
            lines.append(f"{indent}return {result}")
            dataset += f".map({parse})"
        batch = unit.segment(args["batch_size"])
        dataset += f".batch({batch})" if smaller else f".batch({batch}, drop_remainder=True)"
        name = unit.unique(f"{stem}_dataset")
        iterator = unit.unique(f"{stem}_iterator")
        lines += [f"{name} = {dataset}", f"{iterator} = {name}.make_one_shot_iterator()",
                  f"{unit.segment(batch_target)} = {iterator}.get_next()"]
        del tf_text
        self.edits.append(Edit(*unit.span(batch_stmt), nl.join(lines)))
        for stmt in [read, *slice_]:
            self.remove(stmt)
        self.handled.add(id(call.func))

    def read_call(self, value: ast.AST):
        """(reader constructor call or name, queue node) of `reader.read(queue)`."""
        if not (type(value) is ast.Call and type(value.func) is ast.Attribute and value.func.attr == "read"
                and len(value.args) == 1 and not value.keywords):
            return None
        return value.func.value, value.args[0]

    def source(self, reader: ast.AST, queue: ast.AST, read: ast.stmt) -> str:
        """The dataset of records the reader reads from the file-name queue."""
        unit, body = self.unit, self.unit.tree.body
        if type(reader) is ast.Name:
            reader_stmt = self.single_assignment(reader.id, read)
            reader_call = reader_stmt.value
        else:
            reader_stmt, reader_call = None, reader
        kind = self.name_of(reader_call)
        if kind not in READERS:
            raise Cannot(reader_call, "a reader other than TextLineReader / TFRecordReader (not rewritten yet)")
        options = _args(reader_call, READERS[kind], kind)
        if not (options.get("options") is None or _constant(options["options"], None) is None):
            raise Cannot(options["options"], "TFRecordReader's options (compression) are not carried yet")
        if type(queue) is not ast.Name:
            raise Cannot(queue, "the reader reads a queue with no name")
        producer_stmt = self.single_assignment(queue.id, read)
        producer = producer_stmt.value
        if self.name_of(producer) != PRODUCER:
            raise Cannot(producer, "the reader reads a queue other than string_input_producer's")
        args = _args(producer, _PRODUCER_ARGS, PRODUCER)
        if _constant(args.get("shuffle"), True) is not False:
            raise Cannot(producer, "string_input_producer shuffles the file names (shuffle=True is its default): "
                                   "a RandomShuffleQueue order no tf.data pipeline reproduces; with "
                                   "shuffle=False it becomes tf.data")
        if _constant(args.get("cancel_op"), None) is not None or _constant(args.get("shared_name"), None) is not None:
            raise Cannot(producer, "string_input_producer's cancel_op / shared_name are not carried")
        if "string_tensor" not in args:
            raise Cannot(producer, "string_input_producer without file names")
        files = f"{self.spell('tf.data.Dataset')}.from_tensor_slices({unit.segment(args['string_tensor'])})"
        epochs = args.get("num_epochs")
        if epochs is None or _constant(epochs, 0) is None:
            files += ".repeat()"  # no num_epochs: the file names cycle for ever
        elif _constant(epochs, 0) != 1:
            files += f".repeat({unit.segment(epochs)})"
        for name, stmt in ((queue.id, producer_stmt), (reader.id if reader_stmt else None, reader_stmt)):
            if stmt is None:
                continue
            if len(self.uses(name)) != 2:
                raise Cannot(stmt, f"{name} is used other than by the one read")
            self.remove(stmt)
        self.handled.update((id(producer.func), id(reader_call.func)))
        del body
        if kind == "tf.TFRecordReader":
            return f"{self.spell('tf.data.TFRecordDataset')}({files})"
        skip = options.get("skip_header_lines")
        lines = self.spell("tf.data.TextLineDataset")
        if skip is None or _constant(skip, 0) == 0:
            return f"{lines}({files})"
        # the header lines are skipped in every file
        return f"{files}.flat_map(lambda filename: {lines}(filename).skip({unit.segment(skip)}))"

    def single_assignment(self, name: str, before: ast.stmt) -> ast.Assign:
        found = [s for s in self.unit.tree.body if type(s) is ast.Assign and len(s.targets) == 1
                 and type(s.targets[0]) is ast.Name and s.targets[0].id == name]
        if len(found) != 1 or found[0].lineno > before.lineno:
            raise Cannot(before, f"{name} is not assigned once at module level before its read")
        return found[0]

    def text_of(self, stmt: ast.stmt) -> str:
        return self.unit.segment(stmt)  # module-level: column 0 already

    def finally_line(self, owner: ast.Try, stmt: ast.stmt) -> int | None:
        """The line of `finally:` before `stmt` when it stands alone on its line."""
        unit = self.unit
        previous = owner.handlers[-1] if not owner.orelse else owner.orelse[-1]
        for line in range(stmt.lineno - 1, previous.end_lineno, -1):
            text = unit.text[unit.starts[line - 1]:unit.starts[line] if line < len(unit.starts) else None]
            if text.strip() == "finally:":
                return line
            if text.strip() and not text.strip().startswith("#"):
                return None
        return None

    def remove(self, stmt: ast.stmt) -> None:
        if id(stmt) not in self.removed:
            self.removed.add(id(stmt))
            self.edits.append(self.unit.delete_statement(stmt))

    # Coordinator and queue-runner threads ---------------------------------------------------

    def threads(self) -> None:
        """Coordinator / start_queue_runners go: nothing runs in threads any more."""
        unit = self.unit
        names: set[str] = set()
        blocks = _blocks(unit.tree)
        for ref in unit.refs():
            if not ref.v1 or ref.name not in ("tf.train.Coordinator", "tf.train.start_queue_runners"):
                continue
            if ref.scopes:
                raise Cannot(ref.node, f"{ref.name} inside a function is not rewritten yet")
            stmt = _statement(unit, ref.node)
            if ref.call is None or (type(stmt) is ast.Assign and stmt.value is not ref.call) or \
                    (type(stmt) is ast.Expr and stmt.value is not ref.call) or type(stmt) not in (ast.Assign, ast.Expr):
                raise Cannot(ref.node, f"{ref.name} used in a way tfshift does not rewrite")
            if type(stmt) is ast.Assign:
                if len(stmt.targets) != 1 or type(stmt.targets[0]) is not ast.Name:
                    raise Cannot(stmt, f"{ref.name} not assigned to a plain name")
                names.add(stmt.targets[0].id)
            self.drop(stmt, blocks)
            self.handled.add(id(ref.node))
        for node in ast.walk(unit.tree):
            if type(node) is not ast.Name or node.id not in names or type(node.ctx) is ast.Store:
                continue
            parent = unit.parents.get(node) or _parent(unit.tree, node)
            call = unit.parents.get(parent) or _parent(unit.tree, parent)
            if type(parent) is ast.keyword or (type(call) is ast.Call and node in call.args) or type(parent) is ast.Call:
                continue  # an argument of start_queue_runners / coord.join, which go
            if type(parent) is ast.Attribute and type(call) is ast.Call and call.func is parent:
                method = parent.attr
                stmt = _statement(unit, call)
                if method == "should_stop":
                    holder = _parent(unit.tree, call)
                    if type(holder) is ast.UnaryOp and type(holder.op) is ast.Not:
                        self.edits.append(unit.replace(holder, "True"))
                    else:
                        self.edits.append(unit.replace(call, "False"))
                    continue
                if method in ("request_stop", "join") and type(stmt) is ast.Expr and stmt.value is call:
                    self.drop(stmt, blocks)
                    continue
            raise Cannot(node, f"{node.id} (queue-runner threads or their Coordinator) used in a way "
                               "tfshift does not rewrite")

    def drop(self, stmt: ast.stmt, blocks) -> None:
        """Delete a statement; `pass` when it was its block's only statement."""
        if id(stmt) in self.removed:
            return
        block, owner, field = blocks.get(id(stmt), ([], None, None))
        if len(block) == 1 and field == "finalbody" and owner.handlers:
            clause = self.finally_line(owner, stmt)
            if clause is not None:  # `finally: coord.request_stop()` -> no finally clause
                self.removed.add(id(stmt))
                self.edits.append(Edit(self.unit.starts[clause - 1], self.unit.line_span(stmt)[1], ""))
                return
        if len(block) == 1:
            self.removed.add(id(stmt))
            self.edits.append(self.unit.replace(stmt, "pass"))
        else:
            self.remove(stmt)


def _blocks(tree: ast.AST) -> dict[int, tuple]:
    """id(statement) -> (its block, the statement owning the block, the block's field)."""
    found = {}
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                for stmt in block:
                    found[id(stmt)] = (block, node, field)
    return found


def _parent(root: ast.AST, node: ast.AST) -> ast.AST | None:
    for candidate in ast.walk(root):
        if node in ast.iter_child_nodes(candidate):
            return candidate
    return None


def _statement(unit: Unit, node: ast.AST) -> ast.stmt:
    while not isinstance(node, ast.stmt):
        node = unit.parents.get(node) or _parent(unit.tree, node)
    return node


def rewrite(unit: Unit):
    """(edits, imports, handled reference ids) for the file's queue pipelines; raises Cannot."""
    pipelines = Pipelines(unit)
    batches = [r for r in unit.refs() if r.v1 and r.name == BATCH and r.call is not None]
    for ref in batches:
        stmt = _statement(unit, ref.call)
        if ref.scopes or stmt not in unit.tree.body or type(stmt) is not ast.Assign or stmt.value is not ref.call:
            raise Cannot(ref.call, "tf.train.batch not assigned at module level")
        pipelines.pipeline(stmt)
    from tfshift.native.input_pipelines import QUEUE_OPS

    left = [r for r in unit.refs() if r.v1 and r.name in QUEUE_OPS and id(r.node) not in pipelines.handled
            and id(getattr(r.call, "func", None)) not in pipelines.handled]
    if not left:  # threads go only once every queue they ran is gone
        pipelines.threads()
    return pipelines
