"""Family 1: graph programs (placeholders, sessions, initializers) become eager TensorFlow 2.

A TF1 script builds a graph, then runs pieces of it in a session. Natively, what a
`sess.run(fetch, feed_dict)` computes becomes a function of the placeholders it needs, holding
the graph statements that fetch depends on (a backward slice, in program order):

    x = tf.placeholder(tf.float32)              def compute_y(x):
    y = W * x + b                       ->          x = tf.convert_to_tensor(x, tf.float32)
    ... sess.run(y, {x: data})                      y = W * x + b
                                                    return y
                                                ... compute_y(data).numpy()

(the placeholder's dtype is applied to what is fed, as feeding did). `train = opt.minimize(loss)`
becomes a `GradientTape` step under `tf.function` over every trainable variable that existed at
that point (TF1's default var_list), with the optimizer from optimizers.py; `sess.run(train, ...)`
calls it. Variables stay where they are (eager variables hold their initial values at once), so
initializer runs, `tf.Session()` / `with tf.Session() as s:` and `sess.close()` disappear, and a
fetched variable is `v.numpy()`. The program's variables also get `tf1_variables()`, the map from
their TF1 checkpoint names to the variables (docs/native.md: restoring a TF1 checkpoint).

Only module-level programs are rewritten yet; sessions in functions, queues, `partial_run`,
graph collections and statements that use a graph tensor for their effect are reported.
"""

from __future__ import annotations

import ast
import re

from tfshift.native import checkpoints, schedules, summaries
from tfshift.native import input_pipelines as iterators
from tfshift.native.arguments import Cannot
from tfshift.native.family import Edit, Family, ImportRequest, Site, Unit
from tfshift.native.layers import layer_names_kept
from tfshift.native.optimizers import REPORTED as OPT_REPORTED
from tfshift.native.optimizers import TABLE as OPT_TABLE
from tfshift.native.optimizers import Cannot as OptCannot
from tfshift.native.optimizers import keras_optimizer
from tfshift.native.sharing import CLASS as SHARED_CLASS
from tfshift.native.sharing import REGISTRY
from tfshift.native.sharing import defined as shared_defined
from tfshift.native.sharing import used as shared_used

SESSIONS = ("tf.Session", "tf.InteractiveSession")
INITIALIZERS = ("tf.global_variables_initializer", "tf.initialize_all_variables",
                "tf.local_variables_initializer", "tf.initialize_local_variables",
                "tf.tables_initializer")
PLACEHOLDERS = ("tf.placeholder",)
GRAPH_NAMES = frozenset((*SESSIONS, *INITIALIZERS, *PLACEHOLDERS))
# Calls that create variables: inside graph code moved into a function they would create new
# variables on every call (layers families hoist them first; until then: reported).
_CREATES = ("tf.Variable", "tf.get_variable", "tf.layers.", "tf.contrib.layers.", "keras.layers.",
            "tf.keras.layers.", "tf.contrib.rnn.", "tf.nn.rnn_cell.", "tf.make_template")


_ASSIGNS = frozenset(("assign", "assign_add", "assign_sub", "scatter_update", "scatter_add", "scatter_sub",
                      "scatter_nd_update", "scatter_nd_add", "scatter_nd_sub"))


def _creates(name: str) -> bool:
    return any(name == c or (c.endswith(".") and name.startswith(c)) for c in _CREATES)


class Deferred(Exception):
    """The layers family hoists a layer out of this graph code first (next round)."""


# TF1 layer functions the layers family rewrites into a layer object made once at module level
# (`dense = keras.layers.Dense(...)`, then `h = dense(x)`): graph code waits for that.
_HOISTED_LAYERS = ("tf.layers.", "tf.contrib.layers.", "tf.contrib.slim.")


class _Stmt:
    """A statement of the flattened program (module level, with-session bodies inlined)."""

    def __init__(self, node: ast.stmt, index: int) -> None:
        self.node = node
        self.index = index
        self.kind = "plain"
        self.assigned: set[str] = set()
        self.reads: set[str] = set()
        self.info: dict = {}
        self._nodes: list[ast.AST] | None = None

    @property
    def nodes(self) -> list[ast.AST]:
        """Every node of the statement (walked once: the checks below each look at all of them)."""
        if self._nodes is None:
            self._nodes = list(ast.walk(self.node))
        return self._nodes


def _names(node: ast.AST) -> tuple[set[str], set[str]]:
    """(names stored, names read from outside) by a statement (nested functions not entered)."""
    stored, loaded, aug = set(), set(), set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)) and current is not node:
            continue
        if type(current) is ast.Name:
            (stored if type(current.ctx) is ast.Store else loaded).add(current.id)
        elif type(current) is ast.AugAssign and type(current.target) is ast.Name:
            aug.add(current.target.id)
        stack.extend(ast.iter_child_nodes(current))
    stored |= aug
    rebound = set()  # `g = clip(g)` reads the g assigned before it
    if type(node) is ast.Assign:
        targets = {n.id for t in node.targets for n in ast.walk(t) if type(n) is ast.Name}
        rebound = targets & {n.id for n in ast.walk(node.value) if type(n) is ast.Name and type(n.ctx) is ast.Load}
    return stored, (loaded - stored) | aug | rebound


class Program:
    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.edits: list[Edit] = []
        self.imports: list[ImportRequest] = []
        self.refs = {id(r.node): r for r in unit.refs()}
        self.call_refs = {id(r.call): r for r in unit.refs() if r.call is not None}
        self.indent = self._indent_unit()
        self.used: set[int] = set()  # graph statements some generated function holds
        self._walks: dict[int, list[ast.AST]] = {}
        self.keyed: set[int] = set()  # feed dicts whose placeholder keys became strings

    # Helpers ------------------------------------------------------------------------------

    def name_of(self, call: ast.AST) -> str | None:
        """The TF1 name a call calls (`tf.placeholder`), when it is a TF reference."""
        if type(call) is not ast.Call:
            return None
        ref = self.call_refs.get(id(call))
        return ref.name if ref is not None else None

    def spell(self, qual: str) -> str:
        text, imports = self.unit.spell(qual)
        self.imports.extend(i for i in imports if i not in self.imports)
        return text

    def _indent_unit(self) -> str:
        match = re.search(r"^([ \t]+)\S", self.unit.text, re.M)
        return match.group(1) if match and match.group(1) in ("\t", "  ", "    ") else "    "

    def text_of(self, node: ast.stmt) -> str:
        """A statement's text, dedented to column 0 (its first line's indentation removed)."""
        unit = self.unit
        start = unit.offset(node.lineno, node.col_offset)
        line_start = unit.starts[node.lineno - 1]
        prefix = unit.text[line_start:start]
        text = unit.segment(node)
        lines = text.splitlines(keepends=True)
        out = [lines[0]]
        for line in lines[1:]:
            out.append(line[len(prefix):] if line.startswith(prefix) else line)
        return "".join(out)

    # Analysis -----------------------------------------------------------------------------

    def analyse(self) -> None:
        unit = self.unit
        for ref in unit.refs():
            if ref.v1 and ref.name in GRAPH_NAMES and ref.scopes:
                raise Cannot(ref.node, f"{ref.name} inside a function: only module-level graph programs "
                                       "are rewritten yet")
        self.withs: list[ast.With] = []
        self.stmts: list[_Stmt] = []
        for node in unit.tree.body:
            if type(node) is ast.With and self._session_with(node):
                self.withs.append(node)
                for inner in node.body:
                    self.stmts.append(_Stmt(inner, len(self.stmts)))
            else:
                self.stmts.append(_Stmt(node, len(self.stmts)))
        self.sessions: set[str] = {w.items[0].optional_vars.id for w in self.withs}
        self._module_functions()
        self.savers: dict[str, _Stmt] = {}
        self.graph_rates: dict[int, ast.Name] = {}  # id(optimizer call) -> its graph learning rate
        self.writers: dict[str, _Stmt] = {}
        self.summary_stmts: list[_Stmt] = []
        self.tags: dict[str, int] = {}
        defs: dict[str, _Stmt] = {}
        self.reaching: list[dict[str, _Stmt]] = []
        for stmt in self.stmts:
            self.reaching.append(dict(defs))
            stored, reads = _names(stmt.node)
            stmt.assigned, stmt.reads = stored, reads
            self._classify(stmt, defs)
            for name in stored:
                defs[name] = stmt
        self._check_sessions()
        self._optimizer_uses()
        self._check_iterators()
        self._check_savers()
        self._check_writers()

    def _session_with(self, node: ast.With) -> bool:
        if len(node.items) != 1:
            return False
        item = node.items[0]
        if self.name_of(item.context_expr) not in SESSIONS:
            return False
        if type(item.optional_vars) is not ast.Name:
            raise Cannot(node, "a session `with` without `as name`")
        return True

    def _classify(self, stmt: _Stmt, defs: dict[str, _Stmt]) -> None:
        node = stmt.node
        value = node.value if type(node) is ast.Assign else None
        single = (type(node) is ast.Assign and len(node.targets) == 1 and type(node.targets[0]) is ast.Name)
        called = self.name_of(value) if value is not None else None
        target = node.targets[0].id if single else None
        if single and called in PLACEHOLDERS:
            stmt.kind = "placeholder"
            self._placeholder(stmt, value)
            return
        if single and called in SESSIONS:
            stmt.kind = "session"
            self.sessions.add(target)
            return
        if called in INITIALIZERS or (type(node) is ast.Expr and self.name_of(node.value) in INITIALIZERS):
            stmt.kind = "init"
            return
        if single and type(value) is ast.Dict and value.keys and all(
                type(k) is ast.Name and defs.get(k.id) is not None and defs[k.id].kind == "placeholder"
                for k in value.keys):
            stmt.kind = "feed"  # `feed = {x: batch}` at module level: keyed by names when fed
            return
        members = self._variables_made(node, target) if single else self._scoped_variables(node)
        if members is not None:
            if any(self._dependent(defs.get(n)) for n in stmt.reads):
                raise Cannot(node, "a variable whose initial value comes from a placeholder")
            stmt.kind = "variable"
            stmt.info["members"] = [(m[0], self._trainable(m[1], m[2]), m[3] if len(m) > 3 else self._tf1_name(m[1], m[2]))
                                    for m in members]
            return
        if single and called is not None and not self.call_refs[id(value)].v1 and called.startswith(
                ("keras.layers.", "tf.keras.layers.")) and type(node.targets[0]) is ast.Name:
            # a layer object made once (the layers family hoisted it): its variables are the
            # program's, once its first call built them
            stmt.kind = "layer"
            stmt.info["tf1_named"] = layer_names_kept(self.unit, node)
            return
        expr_call = self.name_of(node.value) if type(node) is ast.Expr else None
        summary_call = value if called in summaries.KINDS else node.value if expr_call in summaries.KINDS else None
        if summary_call is not None and (single or type(node) is ast.Expr):
            self._summary(stmt, summary_call)
            return
        if single and called in summaries.MERGES:
            stmt.kind = "merged"
            stmt.info["members"] = self._merged(value, called, defs)
            return
        if single and called == summaries.WRITER:
            stmt.kind = "writer"
            stmt.info["arguments"] = summaries.writer_arguments(self.unit, value, self.sessions)
            self.writers[target] = stmt
            return
        if single and called == checkpoints.SAVER:
            stmt.info["max_to_keep"] = checkpoints.saver_arguments(value)
            stmt.kind = "saver"
            self.savers[target] = stmt
            return
        self._creates_nothing_unlisted(node)
        if single and (called in OPT_TABLE or called in OPT_REPORTED):
            self._optimizer_arguments(value, defs)
            stmt.kind = "optimizer"
            stmt.info["call"], stmt.info["name"] = value, called
            return
        if single and type(value) is ast.Call and type(value.func) is ast.Attribute and value.func.attr == "minimize":
            stmt.kind = "train"
            self._minimize(stmt, value, defs)
            return
        if self._iterator(stmt, value, defs):
            return
        method = value.func.attr if type(value) is ast.Call and type(value.func) is ast.Attribute else None
        if single and method in ("compute_gradients", "apply_gradients"):
            receiver = value.func.value
            if not (type(receiver) is ast.Name and defs.get(receiver.id) is not None
                    and defs[receiver.id].kind == "optimizer"):
                raise Cannot(value, f"{method} on an optimizer tfshift cannot see")
            stmt.info["optimizer"] = receiver.id
            if method == "compute_gradients":
                stmt.kind = "gradients"
                self._compute_gradients(stmt, value)
            else:
                stmt.kind = "train"
                self._apply_gradients(stmt, value)
            return
        if self._executes(node):
            stmt.kind = "execution"
            return
        if type(node) is ast.FunctionDef:
            # `def model(X, w): return tf.matmul(X, w)` stays where it is, unless it reads
            # graph tensors of the module (they become function-local)
            params = {a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs,
                                      node.args.vararg, node.args.kwarg) if a is not None}
            for name in stmt.reads - params:
                if self._dependent(defs.get(name)):
                    raise Cannot(node, f"function {node.name} reads graph tensor {name} of the module")
            return
        if any(self._dependent(defs.get(n)) or (defs.get(n) is not None and defs[n].kind == "variable")
               for n in stmt.reads):
            stmt.kind = "graph"
            return
        for ref in self._refs_in(node):
            if ref.v1 and ref.name in GRAPH_NAMES:
                raise Cannot(ref.node, f"{ref.name} used in a way tfshift does not rewrite yet")

    @staticmethod
    def _dependent(stmt: _Stmt | None) -> bool:
        return stmt is not None and stmt.kind in ("placeholder", "graph", "gradients", "next")

    def _iterator(self, stmt: _Stmt, value, defs) -> bool:
        """`it = ds.make_one_shot_iterator()` (kind "iterator") and `x, y = it.get_next()` (kind
        "next": its names are arguments like placeholders, drawn once per run; input_pipelines.py)."""
        node = stmt.node
        if type(node) is not ast.Assign or len(node.targets) != 1:
            return False
        found = iterators.iterator_of(value, self.name_of)
        if found is not None:
            if type(node.targets[0]) is not ast.Name:
                raise Cannot(node, "an iterator not assigned to a plain name")
            if any(self._dependent(defs.get(n)) or (defs.get(n) is not None and defs[n].kind == "variable")
                   for n in stmt.reads):
                raise Cannot(node, "a dataset built from placeholders or graph tensors (fed when its "
                                   "initializer runs) is not rewritten yet")
            dataset, initializable = found
            if initializable and type(dataset) is not ast.Name:
                raise Cannot(dataset, "an initializable iterator over a dataset with no name (it starts "
                                      "over from the dataset at each initializer run)")
            stmt.kind = "iterator"
            stmt.info.update(dataset=dataset, initializable=initializable, value=value)
            return True
        owner = iterators.drawn_from(value)
        if owner is None or defs.get(owner) is None or defs[owner].kind != "iterator":
            return False
        names = iterators.element_names(node.targets[0])
        if names is None:
            raise Cannot(node, "an iterator's element unpacked into a nested or starred target")
        stmt.kind = "next"
        stmt.info.update(names=names, iterator=owner)
        return True

    def _check_iterators(self) -> None:
        """Every TF1 iterator is one the rewrite follows: created by an "iterator" statement,
        read only by `get_next()` statements and `sess.run(it.initializer)`."""
        made = {id(s.info["value"]) for s in self.stmts if s.kind == "iterator"}
        names = {s.node.targets[0].id for s in self.stmts if s.kind == "iterator"}
        for stmt in self.stmts:
            for sub in ast.walk(stmt.node):
                if iterators.iterator_of(sub, self.name_of) is not None and id(sub) not in made:
                    raise Cannot(sub, "a TF1 iterator made where tfshift cannot follow it (assign it to a "
                                      "name at module level, then `x = it.get_next()`)")
                if type(sub) is ast.Name and sub.id in names and stmt.kind not in ("iterator", "next"):
                    parent = self.unit.parents.get(sub) or _parent(stmt.node, sub)
                    if iterators.initializer_of(parent) is None or stmt.kind != "execution":
                        raise Cannot(sub, f"iterator {sub.id} used other than by get_next() and its "
                                          "initializer")

    def _refs_in(self, node: ast.AST):
        for sub in self._walked(node):
            ref = self.refs.get(id(sub))
            if ref is not None:
                yield ref

    def _placeholder(self, stmt: _Stmt, call: ast.Call) -> None:
        dtype = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "dtype"), None)
        if dtype is None:
            raise Cannot(call, "a placeholder without a dtype")
        stmt.info["dtype"] = self.unit.segment(dtype)
        shape = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "shape"), None)
        stmt.info["shape"] = "None" if shape is None else self.unit.segment(shape)

    def _variables_made(self, node: ast.Assign, target: str):
        """[(expression, creating call, TF name)] of the variables `target = ...` makes, in TF1's
        creation order: `tf.Variable(...)`, `tf.get_variable(...)`, a dict of them, or a call of
        one of the module's functions that returns `tf.Variable(...)`; else None."""
        value = node.value
        called = self.name_of(value)
        if called in ("tf.Variable", "tf.get_variable"):
            return [(target, value, called)]
        if type(value) is ast.Dict and value.values and all(
                type(k) is ast.Constant and self.name_of(v) in ("tf.Variable", "tf.get_variable")
                for k, v in zip(value.keys, value.values)):
            return [(f"{target}[{k.value!r}]", v, self.name_of(v)) for k, v in zip(value.keys, value.values)]
        if type(value) is ast.Call and type(value.func) is ast.Name and value.func.id in self.factories:
            return [(target, self.factories[value.func.id], "tf.Variable")]
        return None

    def _scoped_variables(self, node: ast.stmt):
        """`with tf.variable_scope("layer"): w = tf.get_variable("w", ...)` (or name_scope, as the
        variables family writes it): the variables of the block, named as TF1 named them."""
        if type(node) is not ast.With or len(node.items) != 1 or node.items[0].optional_vars is not None:
            return None
        scope_call = node.items[0].context_expr
        scope = self.name_of(scope_call)
        # a name_scope block may be the variables family's rewrite of get_variable, whose TF1 name
        # had no name_scope prefix: only variable_scope blocks are read
        if scope != "tf.variable_scope" or len(scope_call.args) != 1 or \
                scope_call.keywords or type(scope_call.args[0]) is not ast.Constant or \
                not isinstance(scope_call.args[0].value, str):
            return None
        prefix = scope_call.args[0].value
        same = [w for w in ast.walk(self.unit.tree) if type(w) is ast.With and any(
            type(i.context_expr) is ast.Call and self.name_of(i.context_expr) in ("tf.variable_scope", "tf.name_scope")
            and [ast.dump(a) for a in i.context_expr.args] == [ast.dump(scope_call.args[0])] for i in w.items)]
        if len(same) != 1:  # a scope entered twice is uniquified (layer_1) or reused: not followed
            return None
        members = []
        for stmt in node.body:
            made = None
            if type(stmt) is ast.Assign and len(stmt.targets) == 1 and type(stmt.targets[0]) is ast.Name:
                made = self._variables_made(stmt, stmt.targets[0].id)
            if made is None:
                return None
            for text, call, called in made:
                name = self._tf1_name(call, called)
                scoped = scope == "tf.variable_scope" or called == "tf.Variable"
                members.append((text, call, called, f"{prefix}/{name}" if scoped else name))
        return members

    def _module_functions(self) -> None:
        """The module's functions that create variables (`def init_weights(shape): return
        tf.Variable(...)`): `factories` return the one variable they make, a call of any other
        is reported (minimize would train what it makes, and tfshift cannot list it)."""
        self.factories: dict[str, ast.Call] = {}
        self.creators: set[str] = set()
        defined = [n for n in self.unit.tree.body if type(n) in (ast.FunctionDef, ast.ClassDef)
                   and n.name != SHARED_CLASS]  # sharing.py's registry: its variables are listed
        grown = True
        while grown:  # a function calling one that creates variables creates them too
            grown = False
            for node in defined:
                if node.name not in self.creators and (
                        any(r.name in ("tf.Variable", "tf.get_variable") and not self._registered(r.node)
                            for r in self._refs_in(node))
                        or any(type(c) is ast.Call and type(c.func) is ast.Name and c.func.id in self.creators
                               for c in ast.walk(node))):
                    self.creators.add(node.name)
                    grown = True
        for node in defined:
            creating = [r for r in self._refs_in(node) if _creates(r.name) and not self._registered(r.node)]
            if type(node) is not ast.FunctionDef or node.name not in self.creators or not creating:
                continue
            last = node.body[-1]
            if len(creating) == 1 and type(last) is ast.Return and self.name_of(last.value) == "tf.Variable" \
                    and creating[0].call is last.value and not node.decorator_list and not any(
                        type(c) is ast.Call and type(c.func) is ast.Name and c.func.id in self.creators
                        for c in ast.walk(node)):
                self.factories[node.name] = last.value

    def _registered(self, node: ast.AST) -> bool:
        """Whether a variable is made through the layers families' registry (`tf1_scopes.get(name,
        lambda: tf.Variable(...))`): made once, and listed with the registry's variables."""
        parents = self.unit.parents
        while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
            node = parents.get(node)
            if (type(node) is ast.Call and type(node.func) is ast.Attribute
                    and type(node.func.value) is ast.Name and node.func.value.id == REGISTRY):
                return True
        return False

    def _creates_nothing_unlisted(self, node: ast.AST) -> None:
        if type(node) in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom):
            return
        for sub in ast.walk(node):
            if type(sub) is ast.Call and type(sub.func) is ast.Name and sub.func.id in self.creators:
                raise Cannot(sub, f"{sub.func.id}() creates variables here, which minimize would train; "
                                  "tfshift lists only variables assigned to a name (or a dict) at module level")
        for ref in self._refs_in(node):
            if ref.name in ("tf.Variable", "tf.get_variable"):
                raise Cannot(ref.node, f"{ref.name} where tfshift cannot list it for minimize's variables "
                                       "(assign it to a name, or a dict of them, at module level)")

    def _trainable(self, call: ast.Call, called: str = "tf.Variable") -> bool:
        position = 1 if called == "tf.Variable" else 5
        if called == "tf.get_variable" and len(call.args) > 5:
            raise Cannot(call, "tf.get_variable with arguments after the initializer by position")
        node = call.args[position] if len(call.args) > position else next(
            (k.value for k in call.keywords if k.arg == "trainable"), None)
        if node is None:
            return True
        if type(node) is ast.Constant:
            return bool(node.value)
        if self.refs.get(id(node)) is not None:  # tf.Variable([.3], tf.float32): a truthy dtype
            return True
        raise Cannot(call, "a variable whose trainable flag is only known when it runs")

    def _tf1_name(self, call: ast.Call, called: str = "tf.Variable") -> str:
        if called == "tf.get_variable":
            name = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "name"), None)
        elif len(call.args) > 5:
            raise Cannot(call, "a variable named by position")
        else:
            name = next((k.value for k in call.keywords if k.arg == "name"), None)
        if name is None:
            return "Variable"
        if type(name) is not ast.Constant or not isinstance(name.value, str):
            raise Cannot(call, "a variable whose name is only known when it runs")
        return name.value

    def _optimizer_arguments(self, call: ast.Call, defs) -> None:
        """A learning rate computed in the graph (decay on global_step) becomes a callable
        learning rate; any other hyper-parameter computed in the graph is reported."""
        rate = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "learning_rate"), None)
        if type(rate) is ast.Name and defs.get(rate.id) is not None and defs[rate.id].kind == "graph":
            self.graph_rates[id(call)] = rate
        for sub in ast.walk(call):
            if type(sub) is not ast.Name or (sub is rate and id(call) in self.graph_rates):
                continue
            definition = defs.get(sub.id)
            if definition is not None and definition.kind in ("graph", "placeholder", "variable"):
                raise Cannot(call, f"an optimizer hyper-parameter computed in the graph ({sub.id}): only a "
                                   "learning rate computed from variables is rewritten")

    def _rate_override(self, call: ast.Call) -> dict[str, str]:
        """{"learning_rate": "compute_lr"}: the function computing a graph learning rate, which
        Keras calls at each step (it reads global_step before the step increments it, as TF1)."""
        rate = self.graph_rates.get(id(call))
        if rate is None:
            return {}
        if self.name_of(call) == "tf.train.MomentumOptimizer":
            raise Cannot(rate, "MomentumOptimizer with a decaying learning rate: TF1 scales the whole accumulated "
                               "velocity by the current rate, Keras's SGD keeps each step's rate in it")
        position = next(s.index for s in self.stmts if any(n is call for n in s.nodes))
        function, params = self._function_for(rate.id, position, rate)
        if params:
            raise Cannot(rate, f"a learning rate computed from placeholder {params[0]}: it would be a "
                               "function of what is fed, which a Keras optimizer cannot call")
        return {"learning_rate": function}

    def _optimizer_uses(self) -> None:
        """An optimizer used other than by `minimize` (compute_gradients + clipping +
        apply_gradients, get_slot) is not rewritten yet."""
        optimizers = {s.node.targets[0].id for s in self.stmts if s.kind == "optimizer"}
        if not optimizers:
            return
        minimized = set()
        for stmt in self.stmts:
            if stmt.kind in ("train", "gradients"):
                receiver = stmt.node.value.func.value
                if type(receiver) is ast.Name:
                    minimized.add(id(receiver))
        for stmt in self.stmts:
            if stmt.kind == "optimizer":
                continue
            for sub in stmt.nodes:
                if type(sub) is ast.Name and sub.id in optimizers and id(sub) not in minimized:
                    raise Cannot(sub, f"optimizer {sub.id} used other than by minimize or "
                                      "compute_gradients / apply_gradients (get_slot, variables)")

    def _compute_gradients(self, stmt: _Stmt, call: ast.Call) -> None:
        """`gv = opt.compute_gradients(loss, var_list=None)`: the tape's gradients in the step."""
        params = ("loss", "var_list")
        given = dict(zip(params, call.args))
        for keyword in call.keywords:
            given[keyword.arg] = keyword.value
        if len(call.args) > 2 or set(given) - set(params) or "loss" not in given:
            raise Cannot(call, "compute_gradients with arguments other than (loss, var_list)")
        stmt.info.update(loss=given["loss"], keywords={k: v for k, v in given.items() if k == "var_list"})

    def _apply_gradients(self, stmt: _Stmt, call: ast.Call) -> None:
        """`train = opt.apply_gradients(pairs, global_step=gs)`: the step applies `pairs`, the
        user's clipping of compute_gradients' pairs computed after the tape."""
        params = ("grads_and_vars", "global_step", "name")
        given = dict(zip(params, call.args))
        for keyword in call.keywords:
            given[keyword.arg] = keyword.value
        if len(call.args) > 3 or set(given) - set(params) or "grads_and_vars" not in given:
            raise Cannot(call, "apply_gradients with arguments other than (grads_and_vars, global_step, name)")
        _, reads = _names(ast.Expr(given["grads_and_vars"]))
        found: list[_Stmt] = []
        self._slice(reads, stmt.index, found)
        if len({g.index for g in found}) != 1:
            raise Cannot(call, "apply_gradients of gradients that do not come from one compute_gradients")
        gradients = found[0]
        if gradients.info["optimizer"] != stmt.info["optimizer"]:
            raise Cannot(call, "apply_gradients on another optimizer than the one that computed the gradients")
        stmt.info.update(apply=given["grads_and_vars"], gradients=gradients, loss=gradients.info["loss"],
                         keywords={k: v for k, v in given.items() if k == "global_step"})

    def _minimize(self, stmt: _Stmt, call: ast.Call, defs) -> None:
        receiver = call.func.value
        if type(receiver) is ast.Name and defs.get(receiver.id) is not None and defs[receiver.id].kind == "optimizer":
            stmt.info["optimizer"] = receiver.id
        elif self.name_of(receiver) in OPT_TABLE or self.name_of(receiver) in OPT_REPORTED:
            self._optimizer_arguments(receiver, defs)
            stmt.info["optimizer_call"] = receiver
        else:
            raise Cannot(call, "minimize on an optimizer tfshift cannot see")
        loss = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "loss"), None)
        if loss is None:
            raise Cannot(call, "minimize without a loss")
        keywords = {k.arg: k.value for k in call.keywords if k.arg != "loss"}
        if len(call.args) > 1:
            for key, arg in zip(("global_step", "var_list"), call.args[1:]):
                keywords[key] = arg
            if len(call.args) > 3:
                raise Cannot(call, "minimize with positional arguments after var_list")
        unknown = set(keywords) - {"global_step", "var_list", "name"}
        if unknown:
            raise Cannot(call, f"minimize with {', '.join(sorted(unknown))}")
        stmt.info.update(loss=loss, keywords=keywords)

    def _walked(self, node: ast.AST) -> list[ast.AST]:
        walked = self._walks.get(id(node))
        if walked is None:
            walked = self._walks[id(node)] = list(ast.walk(node))
        return walked

    def _executes(self, node: ast.AST) -> bool:
        for sub in self._walked(node):
            if type(sub) is ast.Call and type(sub.func) is ast.Attribute:
                owner = sub.func.value
                if type(owner) is ast.Name and owner.id in self.sessions and sub.func.attr in ("run", "close"):
                    return True
                if type(owner) is ast.Name and owner.id in self.savers and sub.func.attr in ("save", "restore"):
                    return True
                if type(owner) is ast.Name and owner.id in self.writers and sub.func.attr == "add_summary":
                    return True
                if sub.func.attr in ("eval", "run") and (type(owner) is ast.Name or self.name_of(owner) in INITIALIZERS):
                    return True
        return False

    def _check_sessions(self) -> None:
        allowed = set()
        graphs = {id(a) for s in self.stmts for c in s.nodes if type(c) is ast.Call and self.name_of(c) == summaries.WRITER
                  for a in (*c.args, *(k.value for k in c.keywords))}  # FileWriter(d, sess.graph): dropped
        for stmt in self.stmts:
            for sub in stmt.nodes:
                if type(sub) is ast.Attribute and type(sub.value) is ast.Name and sub.value.id in self.sessions:
                    if sub.attr == "graph" and id(sub) in graphs:
                        allowed.add(id(sub.value))
                        continue
                    if sub.attr not in ("run", "close"):
                        raise Cannot(sub, f"session.{sub.attr}: only run and close are rewritten")
                    allowed.add(id(sub.value))
                elif type(sub) is ast.Call and type(sub.func) is ast.Attribute and sub.func.attr in ("eval", "run"):
                    # `t.eval(feed_dict=..., session=sess)`: the session it runs in
                    given = [k.value for k in sub.keywords if k.arg == "session"] + sub.args[1:2]
                    allowed.update(id(g) for g in given if type(g) is ast.Name and g.id in self.sessions)
        for stmt in self.stmts:
            for sub in stmt.nodes:
                if self._saver_call(sub) and sub.args and type(sub.args[0]) is ast.Name:
                    allowed.add(id(sub.args[0]))  # saver.save(sess, ...): the session goes
        for stmt in self.stmts:
            if stmt.kind == "session":
                continue
            for sub in stmt.nodes:
                if type(sub) is ast.Name and sub.id in self.sessions and id(sub) not in allowed:
                    if type(sub.ctx) is ast.Load:
                        raise Cannot(sub, "a session used as a value (passed or stored)")

    def _summary(self, stmt: _Stmt, call: ast.Call) -> None:
        name = self.name_of(call)
        tag, tensor = summaries.summary_parts(call, name)  # raises Cannot, reported at the site
        n = self.tags.get(tag, 0)
        self.tags[tag] = n + 1
        stmt.kind = "summary"
        _, reads = _names(ast.Expr(tensor))
        stmt.info.update(op=name, tag=tag if n == 0 else f"{tag}_{n}", tensor=tensor, reads=reads)
        self.summary_stmts.append(stmt)

    def _merged(self, call: ast.Call, name: str, defs) -> list[_Stmt]:
        """The summary statements a merge_all / merge([...]) holds, in order."""
        if name == "tf.summary.merge_all":
            if call.args or call.keywords:
                raise Cannot(call, "tf.summary.merge_all(key=...) / scope: not rewritten yet")
            return list(self.summary_stmts)
        inputs = call.args[0] if call.args and not call.keywords and len(call.args) == 1 else None
        if type(inputs) not in (ast.List, ast.Tuple):
            raise Cannot(call, "tf.summary.merge of something other than a literal list of summaries")
        members = []
        for element in inputs.elts:
            definition = defs.get(element.id) if type(element) is ast.Name else None
            if definition is None or definition.kind not in ("summary", "merged"):
                raise Cannot(element, "tf.summary.merge of something other than summaries")
            members.extend(definition.info["members"] if definition.kind == "merged" else [definition])
        return members

    def _check_writers(self) -> None:
        receivers = set()
        for stmt in self.stmts:
            for sub in stmt.nodes:
                if type(sub) is ast.Attribute and type(sub.value) is ast.Name and sub.value.id in self.writers \
                        and sub.attr in summaries.WRITER_USES:
                    receivers.add(id(sub.value))
        for stmt in self.stmts:
            if stmt.kind == "writer":
                continue
            for sub in stmt.nodes:
                if type(sub) is ast.Name and sub.id in self.writers and id(sub) not in receivers:
                    raise Cannot(sub, f"FileWriter {sub.id} used other than by add_summary / flush / close")

    def _summarize(self, definition: _Stmt) -> tuple[str, list[str]]:
        """The function computing what a summary (or merged summaries) recorded: (name, params)."""
        key = ("summary", definition.index)
        if key not in self.functions:
            members = definition.info["members"] if definition.kind == "merged" else [definition]
            reads = set().union(*(m.info["reads"] for m in members)) if members else set()
            statements, params = self._slice(reads, definition.index)
            name = definition.node.targets[0].id if type(definition.node) is ast.Assign else "summary"
            function = self.unit.unique(f"summarize_{name}")
            entries = [f"({self.spell(m.info['op'])}, {m.info['tag']!r}, {self._snapshot(m)})" for m in members]
            i = self.indent
            lines = [f"def {function}({', '.join(n for p in params for n in _param_names(p))}):",
                     f'{i}"""What `{self.text_of(definition.node).splitlines()[0].strip()}` recorded: '
                     f'(tf.summary op, TF1 tag, value) triples."""',
                     *self._body(statements, params, i), f"{i}return [{', '.join(entries)}]"]
            self.functions[key] = (function, [n for p in params for n in _param_names(p)])
            self.tf2_generated.setdefault(definition.index, []).append("\n".join(lines))
        return self.functions[key]

    def _snapshot(self, summary: _Stmt) -> str:
        """The summarized value as a tensor: a variable's value now (`tf.identity(W)`), not the
        variable, which a later step would change before the summary is written."""
        tensor = summary.info["tensor"]
        text = self.unit.segment(tensor)
        if type(tensor) is ast.Name:
            definition = self.reaching[summary.index].get(tensor.id)
            if definition is not None and definition.kind == "variable":
                return f"{self.spell('tf.identity')}({text})"
        return text

    def _writer(self, stmt: _Stmt) -> None:
        create = self.spell("tf.summary.create_file_writer")
        self.tf2_edits.append(self.unit.replace(stmt.node.value, f"{create}({stmt.info['arguments']})"))

    def _add_summary(self, call: ast.Call) -> None:
        """`writer.add_summary(s, step)` -> `write_summaries(writer, s, step)`."""
        if any(k.arg != "global_step" for k in call.keywords) or not 1 <= len(call.args) + len(call.keywords) <= 2:
            raise Cannot(call, "FileWriter.add_summary with arguments other than (summary, global_step)")
        if self.write_name is None:
            self.write_name = self.unit.unique("write_summaries")
            first = min(s.index for s in self.writers.values())
            self.generated.setdefault(first, []).append(summaries.write_function(self.write_name, self.indent))
        unit = self.unit
        start, end = unit.span(call.func)
        paren = unit.text.index("(", end)
        self.edits.append(Edit(start, paren + 1, f"{self.write_name}({call.func.value.id}, "))

    def _saver_call(self, node: ast.AST) -> bool:
        """`saver.save(...)` / `saver.restore(...)` on a Saver of this program."""
        return (type(node) is ast.Call and type(node.func) is ast.Attribute and node.func.attr in ("save", "restore")
                and type(node.func.value) is ast.Name and node.func.value.id in self.savers)

    def _check_savers(self) -> None:
        if not self.savers:
            return
        receivers = set()
        restores = []
        for stmt in self.stmts:
            for sub in stmt.nodes:
                if self._saver_call(sub):
                    receivers.add(id(sub.func.value))
                    if sub.func.attr == "restore":
                        restores.append(sub)
        first = min(s.index for s in self.savers.values())
        if not any(s.kind == "variable" and s.index < first for s in self.stmts):
            raise Cannot(self.stmts[first].node, "a tf.train.Saver with no tf.Variable before it to save")
        for stmt in self.stmts:
            if stmt.kind == "variable" and stmt.index > first:
                raise Cannot(stmt.node, "a variable created after the tf.train.Saver (TF1's Saver would not "
                                        "save it): not rewritten yet")
            if stmt.kind == "saver":
                continue
            for sub in stmt.nodes:
                if type(sub) is ast.Name and sub.id in self.savers and id(sub) not in receivers:
                    raise Cannot(sub, f"Saver {sub.id} used other than by save(sess, path) / restore(sess, path)")
        if restores:
            for stmt in self.stmts:
                name = stmt.info.get("name") if stmt.kind == "optimizer" else None
                if stmt.kind == "train" and "optimizer_call" in stmt.info:
                    name = self.name_of(stmt.info["optimizer_call"])
                if name is not None and name not in checkpoints.SLOTLESS:
                    raise Cannot(restores[0], f"saver.restore in a program training with {name}: TF1 restores its "
                                              "slot variables too, the Keras optimizer would restart them")

    def _saver(self, stmt: _Stmt) -> None:
        name = stmt.node.targets[0].id
        functions = stmt.info["functions"] = (self.unit.unique(f"save_{name}"), self.unit.unique(f"restore_{name}"))
        text = checkpoints.saver_text(name, *functions, stmt.info["max_to_keep"], self.map_name, self.spell,
                                      self.indent)
        imported = any(type(n) is ast.Import and any(a.name == "os" and a.asname is None for a in n.names)
                       for n in self.unit.tree.body)
        if not imported:
            if "os" in self.unit.bindings.taken or any(type(n) is ast.Name and n.id == "os"
                                                      for n in ast.walk(self.unit.tree)):
                raise Cannot(stmt.node, "a tf.train.Saver in a file where `os` is not the os module")
            self.imports.extend(i for i in (ImportRequest("os"),) if i not in self.imports)
        self.generated.setdefault(stmt.index, []).append(text)
        self.deleted.add(stmt.index)

    def _saver_use(self, call: ast.Call) -> None:
        """`saver.save(sess, path, global_step=g)` -> `save_saver(path, global_step=g)`."""
        saver = self.savers[call.func.value.id]
        save, restore = saver.info["functions"]
        allowed = ("save_path", "global_step") if call.func.attr == "save" else ("save_path",)
        if len(call.args) < 2 or len(call.args) > len(allowed) + 1 or any(isinstance(a, ast.Starred) for a in call.args):
            raise Cannot(call, f"{saver.node.targets[0].id}.{call.func.attr} without (sess, save_path) arguments")
        given = set(allowed[:len(call.args) - 1])
        for keyword in call.keywords:
            if keyword.arg not in allowed or keyword.arg in given:
                raise Cannot(call, f"Saver.{call.func.attr}({keyword.arg}=...) is not rewritten yet")
            given.add(keyword.arg)
        if call.func.attr == "save" and "global_step" not in given and checkpoints.reads_state(self.unit):
            raise Cannot(call, "Saver.save without global_step in a program that reads the `checkpoint` state file "
                               "(latest_checkpoint): tf.train.Checkpoint.write does not update it")
        unit = self.unit
        self.edits.append(unit.replace(call.func, save if call.func.attr == "save" else restore))
        start, _ = unit.span(call.args[0])
        end, _ = unit.span(call.args[1])
        self.edits.append(Edit(start, end, ""))

    # Rewriting ----------------------------------------------------------------------------

    def rewrite(self) -> None:
        self.analyse()
        unit = self.unit
        self.functions: dict[int, str] = {}  # id(defining stmt) -> function name
        self.generated: dict[int, list[str]] = {}  # stmt index -> texts to put there
        self.deleted: set[int] = set()
        self.replaced: dict[int, str] = {}
        for stmt in self.stmts:
            if stmt.kind in ("placeholder", "session", "init", "gradients", "next"):
                self.deleted.add(stmt.index)
            elif stmt.kind == "iterator":
                self.edits.append(unit.replace(stmt.info["value"], f"iter({unit.segment(stmt.info['dataset'])})"))
            elif stmt.kind == "graph":
                self._graph_statement(stmt)
                self.deleted.add(stmt.index)
        self.map_name = self.unit.unique("tf1_variables")
        self.tf2_generated: dict[int, list[str]] = {}  # texts with TF2 names TF1 spelled alike (tf.summary)
        self.tf2_edits: list[Edit] = []
        self.write_name: str | None = None
        for stmt in self.stmts:
            if stmt.kind == "saver":
                self._saver(stmt)
            elif stmt.kind in ("summary", "merged"):
                self.deleted.add(stmt.index)
            elif stmt.kind == "writer":
                self._writer(stmt)
        for stmt in self.stmts:
            if stmt.kind == "optimizer":
                self._optimizer(stmt)
            elif stmt.kind == "train":
                self.deleted.add(stmt.index)
                self.generated.setdefault(stmt.index, []).append(self._train_function(stmt))
            elif stmt.kind == "execution":
                self._execution(stmt)
        for stmt in self.stmts:
            if stmt.kind == "feed" and id(stmt.node.value) not in self.keyed:
                raise Cannot(stmt.node, "a dict keyed by placeholders that is not a feed_dict")
        self._dead_code()
        self._name_map()
        self._emit()

    def _dead_code(self) -> None:
        """Graph statements no fetch needs are dropped (TF1 never ran them either), unless they
        hold TF1-only API: summaries and collections work by side channels tfshift does not follow."""
        from tfshift.native.names import native_equivalent, same_call

        used = set(self.used)
        for stmt in self.stmts:
            if stmt.kind != "graph" or stmt.index in used:
                continue
            for ref in self._refs_in(stmt.node):
                if ref.v1 and native_equivalent(ref.name) != ref.name and not same_call(ref.name, ref.call):
                    raise Cannot(ref.node, f"{ref.name} in graph code no fetch runs (summaries, collections): "
                                           "not rewritten yet")

    def _graph_statement(self, stmt: _Stmt) -> None:
        if type(stmt.node) not in (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.If, ast.While):
            raise Cannot(stmt.node, "a statement that uses a graph tensor for its effect")
        self._creates_no_variables(stmt.node)

    def _creates_no_variables(self, node: ast.AST) -> None:
        for ref in self._refs_in(node):
            if ref.v1 and ref.call is not None and ref.name.startswith(_HOISTED_LAYERS) and type(
                    node) in (ast.Assign, ast.AugAssign, ast.AnnAssign):
                raise Deferred()
            if any(ref.name == c or (c.endswith(".") and ref.name.startswith(c)) for c in _CREATES):
                raise Cannot(ref.node, f"{ref.name} creates variables inside graph code; it must be built once "
                                       "(layers families) before graph code can become a function")

    def _slice(self, reads: set[str], position: int, gradients: list | None = None
               ) -> tuple[list[_Stmt], list[_Stmt]]:
        """(graph statements needed, placeholders needed) for `reads` at `position`; the
        compute_gradients statements met are added to `gradients` (when given: the slice stops
        there, the step's tape computes them)."""
        needed: dict[int, _Stmt] = {}
        params: dict[int, _Stmt] = {}
        work = [(name, position) for name in reads]
        while work:
            name, at = work.pop()
            definition = self.reaching[at].get(name) if at < len(self.reaching) else self._latest(name)
            if definition is None:
                continue
            if definition.kind in ("placeholder", "next"):
                params[definition.index] = definition
                continue
            if definition.kind == "gradients":
                if gradients is None:
                    raise Cannot(definition.node, "a value computed from compute_gradients used outside "
                                                  "apply_gradients (fetched or summarized): not rewritten yet")
                gradients.append(definition)
                continue
            if definition.kind == "graph" or (definition.kind == "plain" and any(
                    name in s.assigned for s in needed.values())):
                if definition.index not in needed:
                    needed[definition.index] = definition
                    work.extend((n, definition.index) for n in definition.reads)
        self.used.update(needed)
        self._captured_alike(needed.values())
        names = [n for p in params.values() for n in _param_names(p)]
        for stmt in needed.values():
            if set(names) & stmt.assigned:
                raise Cannot(stmt.node, "a name that is a placeholder and is assigned in the graph code")
        return sorted(needed.values(), key=lambda s: s.index), sorted(params.values(), key=lambda s: s.index)

    def _captured_alike(self, statements) -> None:
        """TF1's graph took the values its code read when it was built; the function reads them
        when called. A name read there and bound again later (`b = sess.run(hypothesis)` after
        `b = tf.Variable(...)` went into the graph) would give the function another value."""
        for stmt in statements:
            for name in stmt.reads:
                definition = self.reaching[stmt.index].get(name)
                if definition is not None and definition.kind in ("graph", "placeholder"):
                    continue
                later = next((t for t in self.stmts[stmt.index + 1:] if name in t.assigned), None)
                if later is not None:
                    raise Cannot(later.node, f"{name} is bound again here after graph code read it (line "
                                             f"{stmt.node.lineno}): TF1's graph kept the first value, a "
                                             "function would read the new one")

    def _latest(self, name: str):
        found = None
        for stmt in self.stmts:
            if name in stmt.assigned:
                found = stmt
        return found

    def _body(self, statements: list[_Stmt], params: list[_Stmt], indent: str, convert: bool = True) -> list[str]:
        lines = []
        for param in params if convert else ():
            if param.kind == "next":
                continue  # an element of a dataset: already tensors of its dtypes
            name = param.node.targets[0].id
            lines.append(f"{indent}{name} = {self.spell('tf.convert_to_tensor')}({name}, {param.info['dtype']})")
        for stmt in statements:
            for line in self.text_of(stmt.node).splitlines():
                lines.append(indent + line if line.strip() else line)
        return lines

    def _function_for(self, name: str, position: int, node: ast.AST) -> tuple[str, list[str]]:
        """The function computing graph tensor `name` as fetched at `position`: (its name, params)."""
        definition = self.reaching[position].get(name) if position < len(self.reaching) else self._latest(name)
        statements, params = self._slice({name}, position)
        key = definition.index
        param_names = [n for p in params for n in _param_names(p)]
        if key not in self.functions:
            function = self.unit.unique(f"compute_{name}")
            nl = "\n"
            lines = [f"def {function}({', '.join(param_names)}):",
                     *self._body(statements, params, self.indent), f"{self.indent}return {name}"]
            self.functions[key] = function
            self.generated.setdefault(key, []).append(nl.join(lines))
        return self.functions[key], param_names

    def _expression_function(self, fetch: ast.expr, position: int) -> tuple[str, list[str]]:
        """`sess.run(accuracy * 100, ...)`: an expression built in the fetch becomes a function
        of the placeholders it needs, defined just before the statement that fetches it."""
        if position == 0 or any(type(sub) in (ast.Lambda, ast.NamedExpr, ast.Await, ast.Yield)
                                or isinstance(sub, ast.comprehension) for sub in ast.walk(fetch)):
            raise Cannot(fetch, "a fetch that is not a name (fetch a tensor assigned to a name)")
        self._creates_no_variables(fetch)
        _, reads = _names(ast.Expr(fetch))
        statements, params = self._slice(reads, position)
        param_names = [p.node.targets[0].id for p in params]
        text = self.unit.segment(fetch)
        key = ("expression", position, text)
        if key not in self.functions:
            graph = [n.id for n in ast.walk(fetch) if type(n) is ast.Name and self._kind(n.id, position) in
                     ("graph", "placeholder", "variable")]
            function = self.unit.unique(f"compute_{graph[0]}_expression" if graph else "compute_expression")
            lines = [f"def {function}({', '.join(param_names)}):",
                     *self._body(statements, params, self.indent), f"{self.indent}return {text}"]
            self.functions[key] = function
            self.generated.setdefault(position - 1, []).append("\n".join(lines))
        return self.functions[key], param_names

    def _optimizer(self, stmt: _Stmt) -> None:
        try:
            text, imports = keras_optimizer(self.unit, stmt.info["name"], stmt.info["call"],
                                            self._rate_override(stmt.info["call"]))
        except OptCannot as exc:
            raise Cannot(stmt.info["call"], str(exc)) from None
        self.imports.extend(i for i in imports if i not in self.imports)
        self.edits.append(self.unit.replace(stmt.info["call"], text))

    def _train_function(self, stmt: _Stmt) -> str:
        info = stmt.info
        target = stmt.node.targets[0].id
        loss = info["loss"]
        _, reads = _names(ast.Expr(loss))
        at = info["gradients"].index if "apply" in info else stmt.index
        statements, params = self._slice(reads, at)
        after: list[_Stmt] = []  # the user's statements between compute_ and apply_gradients (clipping)
        if "apply" in info:
            _, applied = _names(ast.Expr(info["apply"]))
            forward = {s.index for s in statements}
            later, more = self._slice(applied, stmt.index, [])
            after = [s for s in later if s.index not in forward]
            params = sorted({p.index: p for p in (*params, *more)}.values(), key=lambda p: p.index)
        tf = self.spell("tf")
        lines = []
        optimizer = info.get("optimizer")
        if optimizer is None:
            try:
                call = info["optimizer_call"]
                text, imports = keras_optimizer(self.unit, self.name_of(call), call, self._rate_override(call))
            except OptCannot as exc:
                raise Cannot(info["optimizer_call"], str(exc)) from None
            self.imports.extend(i for i in imports if i not in self.imports)
            optimizer = self.unit.unique(f"{target}_optimizer")
            lines.append(f"{optimizer} = {text}")
        function = self.unit.unique(f"run_{target}" if target.endswith("step") else f"{target}_step")
        info["function"] = function
        info["params"] = [n for p in params for n in _param_names(p)]
        keywords = info["gradients"].info["keywords"] if "apply" in info else info["keywords"]
        if "var_list" in keywords:
            variables = self.unit.segment(keywords["var_list"])
        else:
            names = []
            for s in self.stmts[:at]:
                if s.kind == "variable":
                    names += [text for text, trainable, _ in s.info["members"] if trainable]
                elif s.kind == "layer":
                    names.append(f"*{s.node.targets[0].id}.trainable_variables")
            if shared_defined(self.unit):  # what tf1_scopes made (sharing.py): made by now
                names.append(f"*{REGISTRY}.trainable_variables()")
            variables = "[" + ", ".join(names) + "]"
        loss_text = self.unit.segment(loss)
        i = self.indent
        # what is fed converts to the placeholders' dtypes (an int64 array fed to a float32
        # placeholder), as feeding did: tf.function's signature does it for its arguments
        # (the placeholder's shape too: Keras layers called inside need the last dimension).
        # An iterator's elements (family 6) come as the dataset made them: no signature.
        fed = params and all(p.kind == "placeholder" for p in params)
        specs = ", ".join(f"{tf}.TensorSpec({p.info['shape']}, {p.info['dtype']})" for p in params) if fed else ""
        decorator = f"@{tf}.function(input_signature=[{specs}])" if fed else f"@{tf}.function"
        lines += [decorator, f"def {function}({', '.join(info['params'])}):",
                  f"{i}# was: {target} = ...minimize({loss_text}); the variables TF1 would train" if "apply" not in info
                  else f"{i}# was: {info['gradients'].node.targets[0].id} = ...compute_gradients({loss_text}), "
                       f"{target} = ...apply_gradients(...); the variables TF1 would train",
                  f"{i}with {tf}.GradientTape() as tape:",
                  *self._body(statements, params, i + i, convert=False)]
        if type(loss) is not ast.Name:
            lines.append(f"{i}{i}loss = {loss_text}")
            loss_text = "loss"
        if "apply" in info:
            pairs = info["gradients"].node.targets[0].id
            lines += [f"{i}variables = {variables}",
                      f"{i}{pairs} = list(zip(tape.gradient({loss_text}, variables), variables))",
                      *self._body(after, [], i),
                      f"{i}{optimizer}.apply_gradients({self.unit.segment(info['apply'])})"]
            keywords = info["keywords"]
        else:
            lines += [f"{i}variables = {variables}",
                      f"{i}gradients = tape.gradient({loss_text}, variables)",
                      f"{i}{optimizer}.apply_gradients(zip(gradients, variables))"]
        if "global_step" in keywords:
            lines.append(f"{i}{self.unit.segment(keywords['global_step'])}.assign_add(1)")
        lines.append(f"{i}return {loss_text}")
        self.trains = getattr(self, "trains", {})
        self.trains[target] = stmt
        return "\n".join(lines)

    # sess.run and friends -----------------------------------------------------------------

    def _execution(self, stmt: _Stmt) -> None:
        node = stmt.node
        if type(node) is ast.Expr and type(node.value) is ast.Call:
            call = node.value
            owner = call.func.value if type(call.func) is ast.Attribute else None
            if type(call.func) is ast.Attribute and call.func.attr == "close" and type(owner) is ast.Name \
                    and owner.id in self.sessions:
                self.deleted.add(stmt.index)
                return
            fetch = self._fetch_of(call)
            if fetch is not None and self._is_init(fetch[0], stmt.index):
                self.deleted.add(stmt.index)
                return
        restarts = self._restarts(node)
        for sub in ast.walk(node):
            if self._saver_call(sub):
                self._saver_use(sub)
                continue
            if type(sub) is ast.Call and type(sub.func) is ast.Attribute and sub.func.attr == "add_summary" \
                    and type(sub.func.value) is ast.Name and sub.func.value.id in self.writers:
                self._add_summary(sub)
                continue
            if type(sub) is ast.Call and type(sub.func) is ast.Attribute:
                if id(sub) in restarts:
                    continue
                fetch = self._fetch_of(sub)
                if fetch is None:
                    continue
                fetches, feeds = fetch
                text = self._fetched(fetches, feeds, stmt.index, sub)
                self.edits.append(self.unit.replace(sub, text))

    def _restarts(self, node: ast.AST) -> set[int]:
        """`sess.run(it.initializer)` statements -> `it = iter(dataset)` (a fresh pass, as the
        initializer started the iterator over); id() of the calls handled."""
        handled = set()
        for sub in ast.walk(node):
            if type(sub) is not ast.Expr or type(sub.value) is not ast.Call:
                continue
            fetch = self._fetch_of(sub.value)
            name = iterators.initializer_of(fetch[0]) if fetch is not None else None
            if name is None:
                continue
            if fetch[1] is not None:
                raise Cannot(fetch[1], f"iterator {name}'s initializer run with a feed_dict (a dataset of "
                                       "placeholders) is not rewritten yet")
            definition = self._latest(name)
            if definition is None or definition.kind != "iterator" or not definition.info["initializable"]:
                raise Cannot(sub, f"{name}.initializer is not an initializable iterator's")
            dataset = self.unit.segment(definition.info["dataset"])
            self.edits.append(self.unit.replace(sub, f"{name} = iter({dataset})"))
            handled.add(id(sub.value))
        return handled

    def _fetch_of(self, call: ast.Call):
        """(fetches, feed dict node) of `sess.run(...)`, `t.eval(...)`, `op.run(...)`; else None."""
        func = call.func
        if type(func) is not ast.Attribute:
            return None
        owner = func.value
        keywords = {k.arg: k.value for k in call.keywords}
        if type(owner) is ast.Name and owner.id in self.sessions and func.attr == "run":
            fetches = call.args[0] if call.args else keywords.get("fetches")
            feeds = call.args[1] if len(call.args) > 1 else keywords.get("feed_dict")
            if set(keywords) - {"fetches", "feed_dict"} or len(call.args) > 2:
                raise Cannot(call, "session.run with options or run_metadata")
            return fetches, feeds
        if func.attr in ("eval", "run") and not (type(owner) is ast.Name and owner.id in self.sessions):
            session = call.args[1:2] or [k.value for k in call.keywords if k.arg == "session"]
            if session and not (type(session[0]) is ast.Name and session[0].id in self.sessions):
                if type(owner) is ast.Name and self._graph_name(owner.id):
                    raise Cannot(call, f"{owner.id}.{func.attr} in a session tfshift does not see")
                return None
            if (type(owner) is ast.Name and not self._graph_name(owner.id)) or call.args[2:]:
                return None
            if type(owner) is not ast.Name and self.name_of(owner) not in INITIALIZERS:
                return None
            feeds = call.args[0] if call.args else keywords.get("feed_dict")
            return owner, feeds
        return None

    def _graph_name(self, name: str) -> bool:
        stmt = self._latest(name)
        return stmt is not None and stmt.kind in ("graph", "variable", "train", "init", "placeholder")

    def _is_init(self, fetch: ast.AST, position: int) -> bool:
        if self.name_of(fetch) in INITIALIZERS:
            return True
        if type(fetch) is ast.Name:
            definition = self.reaching[position].get(fetch.id)
            return definition is not None and definition.kind == "init"
        return False

    def _feeds(self, feeds: ast.AST | None) -> dict[str, str]:
        if feeds is None:
            return {}
        if type(feeds) is ast.Name:
            return self._named_feeds(feeds)
        if type(feeds) is not ast.Dict or any(type(k) is not ast.Name for k in feeds.keys):
            raise Cannot(feeds, "a feed_dict tfshift cannot read (not a literal {placeholder: value})")
        return {k.id: self.unit.segment(v) for k, v in zip(feeds.keys, feeds.values)}

    def _named_feeds(self, name: ast.Name) -> dict[str, str]:
        """`batch = {x: a, y: b}` ... `sess.run(t, feed_dict=batch)`: the dict (assigned once, used
        only as a feed_dict) gets string keys and the call reads `batch["x"]`, the values Python
        evaluated when the dict was built, as feeding did."""
        tree = self.unit.tree
        assigns = [n for n in ast.walk(tree) if type(n) is ast.Assign and any(
            type(t) is ast.Name and t.id == name.id for t in n.targets)]
        stores = [n for n in ast.walk(tree) if type(n) is ast.Name and n.id == name.id and type(n.ctx) is not ast.Load]
        value = assigns[0].value if len(assigns) == 1 and len(assigns[0].targets) == 1 else None
        if len(stores) != 1 or type(value) is not ast.Dict or any(type(k) is not ast.Name for k in value.keys) or any(
                self._kind(k.id, len(self.stmts)) != "placeholder" for k in value.keys):
            raise Cannot(name, "a feed_dict tfshift cannot read (not a literal {placeholder: value}): "
                               f"{name.id} is not assigned one literal, once")
        feeding = 0
        for node in ast.walk(tree):
            if type(node) is ast.Call and type(node.func) is ast.Attribute and node.func.attr in ("run", "eval"):
                feeding += sum(1 for a in (*node.args, *(k.value for k in node.keywords if k.arg == "feed_dict"))
                               if type(a) is ast.Name and a.id == name.id)
        loads = sum(1 for n in ast.walk(tree) if type(n) is ast.Name and n.id == name.id and type(n.ctx) is ast.Load)
        if loads != feeding:
            raise Cannot(name, f"feed_dict {name.id} is also used other than as a feed_dict")
        if id(value) not in self.keyed:
            self.keyed.add(id(value))
            self.edits.extend(self.unit.replace(k, repr(k.id)) for k in value.keys)
        return {k.id: f"{name.id}[{k.id!r}]" for k in value.keys}

    def _fetched(self, fetches: ast.AST, feeds_node, position: int, call: ast.Call) -> str:
        self.draws = 0  # iterator elements this run draws: TF1 drew one for all its fetches
        text = self._fetched_text(fetches, feeds_node, position, call)
        if self.draws > 1:
            raise Cannot(call, "one run fetches several values computed from one iterator's element: "
                               "TF1 drew one element for all of them (fetch one, or a training op with its loss)")
        return text

    def _fetched_text(self, fetches: ast.AST, feeds_node, position: int, call: ast.Call) -> str:
        feeds = self._feeds(feeds_node)
        if type(fetches) in (ast.List, ast.Tuple):
            if len(fetches.elts) > 1:
                self._no_assignment_among(fetches.elts, position)
            whole = self._train_with_summaries(fetches, feeds, position)
            if whole is not None:
                return whole
            parts = self._with_train(fetches.elts, feeds, position)
            if parts is None:
                parts = [self._one(e, feeds, position, call, len(fetches.elts) > 1) for e in fetches.elts]
            if type(fetches) is ast.Tuple:
                return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
            return "[" + ", ".join(parts) + "]"
        return self._one(fetches, feeds, position, call, False)

    def _no_assignment_among(self, elements, position: int) -> None:
        """`sess.run([update, cost, W])` with `update = W.assign(...)`: TF1 leaves open whether
        cost and W are read before or after the assignment; one after another they would be after."""
        for element in elements:
            if type(element) is not ast.Name or self._kind(element.id, position) != "graph":
                continue
            statements, _ = self._slice({element.id}, position)
            for stmt in statements:
                for sub in ast.walk(stmt.node):
                    ref = self.call_refs.get(id(sub))
                    method = sub.func.attr if type(sub) is ast.Call and type(sub.func) is ast.Attribute else None
                    if (ref is not None and ref.name.startswith(("tf.assign", "tf.scatter_"))) or (
                            ref is None and method in _ASSIGNS):
                        raise Cannot(element, f"{element.id} assigns variables and is fetched with other values: "
                                              "TF1 leaves open whether they are read before or after it")

    def _with_train(self, elements, feeds, position) -> list[str] | None:
        """`[train_op, loss]`: the step returns the loss it computed before its update, the
        value TF1 fetched with it (None where the op was)."""
        trains = [e for e in elements if type(e) is ast.Name and self._kind(e.id, position) == "train"]
        if len(trains) != 1 or any(type(e) is not ast.Name for e in elements):
            return None
        definition = self._definition(trains[0].id, position)
        loss = definition.info["loss"]
        others = [e for e in elements if e is not trains[0]]
        if type(loss) is not ast.Name or len(others) != 1 or others[0].id != loss.id:
            return None
        info = definition.info
        call = f"{info['function']}({self._args(info['params'], feeds, trains[0])}).numpy()"
        return ["None" if e is trains[0] else call for e in elements]

    def _train_with_summaries(self, fetches, feeds, position) -> str | None:
        """`[train, loss, accuracy, merged]`: TF1 computed the other values (and summaries) in
        the step's forward pass, before the update; a function computes them first, then runs
        the step. Values that read a variable outside the forward pass are reported (TF1 read
        it before or after the update)."""
        elements = fetches.elts
        if any(type(e) is not ast.Name for e in elements):
            return None
        kinds = [self._kind(e.id, position) for e in elements]
        if kinds.count("train") != 1:
            return None
        train = elements[kinds.index("train")]
        info = self._definition(train.id, position).info
        loss = info["loss"]
        is_loss = [type(loss) is ast.Name and e.id == loss.id for e in elements]
        if all(k == "train" or own for k, own in zip(kinds, is_loss)):
            return None  # [train, loss]: _with_train
        for element, kind, own in zip(elements, kinds, is_loss):
            if kind not in ("train", "summary", "merged", "graph") and not own:
                raise Cannot(element, f"a training op fetched with {element.id} ({kind}): it would be read after "
                                      "the update, where TF1 leaves the order open")
        definition = self._definition(train.id, position)
        _, reads = _names(ast.Expr(loss))
        forward = {s.index for s in self._slice(reads, definition.index)[0]}
        for element, kind, own in zip(elements, kinds, is_loss):
            if kind == "graph" and not own:
                outside = [(s.index, s.reads) for s in self._slice({element.id}, position)[0] if s.index not in forward]
                for index, names in outside:
                    direct = [n for n in names if self._kind_at(n, index) == "variable"]
                    if direct:
                        raise Cannot(element, f"{element.id} fetched with the training op reads variable {direct[0]} "
                                              "outside the loss's forward pass: TF1 reads it before or after the "
                                              "update (its order is open)")
            if kind not in ("summary", "merged"):
                continue
            summary = self._definition(element.id, position)
            for member in summary.info["members"] if kind == "merged" else [summary]:
                # Values computed from the forward pass (and what is fed) are the pre-update ones in
                # TF1; a variable read outside it may run before or after the update.
                outside = [(member.index, member.info["reads"])] + [
                    (s.index, s.reads) for s in self._slice(member.info["reads"], member.index)[0]
                    if s.index not in forward]
                for index, names in outside:
                    direct = [n for n in names if self._kind_at(n, index) == "variable"]
                    if direct:
                        raise Cannot(member.info["tensor"], f"summary {member.info['tag']!r} fetched with the "
                                     f"training op reads variable {direct[0]} outside the loss's forward pass: "
                                     "TF1 reads it before or after the update (its order is open)")
        names = [e.id for e in elements]
        key = ("run", tuple(names), type(fetches))
        if key not in self.functions:
            params: list[str] = []
            body = []
            i = self.indent
            for element, kind in zip(elements, kinds):
                if kind in ("summary", "merged"):
                    function, needed = self._summarize(self._definition(element.id, position))
                    body.append(f"{i}{element.id} = {function}({', '.join(needed)})")
                    params.extend(p for p in needed if p not in params)
                elif kind == "graph" and not (type(loss) is ast.Name and element.id == loss.id):
                    function, needed = self._function_for(element.id, position, element)
                    body.append(f"{i}{element.id} = {function}({', '.join(needed)}).numpy()")
                    params.extend(p for p in needed if p not in params)
            params.extend(p for p in info["params"] if p not in params)
            step = f"{info['function']}({', '.join(info['params'])})"
            if type(loss) is ast.Name and loss.id in names:
                body.append(f"{i}{loss.id} = {step}.numpy()")
            else:
                body.append(f"{i}{step}")
            values = ", ".join("None" if n == train.id else n for n in names)
            values = f"({values},)" if type(fetches) is ast.Tuple and len(names) == 1 else (
                f"({values})" if type(fetches) is ast.Tuple else f"[{values}]")
            function = self.unit.unique(f"run_{'_'.join(names)}")
            text = "\n".join([f"def {function}({', '.join(params)}):",
                              f'{i}"""sess.run({self.unit.segment(fetches)}): the forward-pass values, then the '
                              'step (TF1 computed them in one run, before the update)."""',
                              *body, f"{i}return {values}"])
            self.generated.setdefault(self._definition(train.id, position).index, []).append(text)
            self.functions[key] = (function, params)
        function, params = self.functions[key]
        return f"{function}({self._args(params, feeds, train)})"

    def _kind_at(self, name: str, index: int) -> str | None:
        definition = self.reaching[index].get(name)
        return definition.kind if definition is not None else None

    def _definition(self, name: str, position: int):
        definition = self.reaching[position].get(name) if position < len(self.reaching) else None
        return definition if definition is not None else self._latest(name)

    def _kind(self, name: str, position: int) -> str | None:
        definition = self._definition(name, position)
        return definition.kind if definition is not None else None

    def _one(self, fetch: ast.AST, feeds: dict[str, str], position: int, call: ast.Call, grouped: bool) -> str:
        if type(fetch) is not ast.Name:
            _, reads = _names(ast.Expr(fetch))
            for name in reads:
                if self._kind(name, position) in ("train", "init", "optimizer", "session"):
                    raise Cannot(fetch, f"a fetched expression over {name} ({self._kind(name, position)})")
            if not any(self._kind(n, position) in ("graph", "placeholder") for n in reads):
                self._creates_no_variables(fetch)  # `biases['out']`, `W * 2`: eager values already
                text = self.unit.segment(fetch)
                simple = type(fetch) in (ast.Attribute, ast.Subscript, ast.Call) and "\n" not in text
                return f"{text if simple else f'({text})'}.numpy()"
            function, params = self._expression_function(fetch, position)
            return f"{function}({self._args(params, feeds, fetch)}).numpy()"
        name = fetch.id
        definition = self.reaching[position].get(name) if position < len(self.reaching) else None
        if definition is None:
            definition = self._latest(name)
        if definition is None or definition.kind == "plain":
            return f"{name}.numpy()"  # an eager tensor (built from constants only)
        if definition.kind == "variable":
            if definition.info["members"][0][0] != name:
                raise Cannot(fetch, f"a dict of variables ({name}) fetched whole")
            return f"{name}.numpy()"
        if definition.kind in ("summary", "merged"):
            function, params = self._summarize(definition)
            return f"{function}({self._args(params, feeds, fetch)})"
        if definition.kind == "init":
            raise Cannot(fetch, "an initializer fetched with other values")
        if definition.kind == "train":
            if grouped:
                raise Cannot(fetch, "a training op fetched with other values: they would be computed after "
                                    "the update, where TF1 leaves their order open")
            info = definition.info
            args = self._args(info["params"], feeds, fetch)
            return f"{info['function']}({args})"
        if definition.kind == "graph":
            function, params = self._function_for(name, position, fetch)
            return f"{function}({self._args(params, feeds, fetch)}).numpy()"
        if definition.kind == "next":
            self.draws = getattr(self, "draws", 0) + 1
            element = f"{definition.info['iterator']}.get_next()"
            if type(definition.node.targets[0]) is ast.Name:
                return f"{self.spell('tf.nest.map_structure')}(lambda t: t.numpy(), {element})"
            return f"{element}[{definition.info['names'].index(name)}].numpy()"
        if definition.kind == "placeholder":
            if name not in feeds:
                raise Cannot(fetch, f"placeholder {name} fetched without being fed")
            return f"{self.spell('tf.convert_to_tensor')}({feeds[name]}, {definition.info['dtype']}).numpy()"
        raise Cannot(fetch, f"fetching {name} ({definition.kind})")

    def _args(self, params: list[str], feeds: dict[str, str], node) -> str:
        drawn = {name: s for s in self.stmts if s.kind == "next" for name in s.info["names"]}
        missing = [p for p in params if p not in feeds and p not in drawn]
        if missing:
            raise Cannot(node, f"placeholder {missing[0]} is needed but not fed")
        args, draws = [], []
        for param in params:
            source = drawn.get(param)
            if source is None:
                args.append(feeds[param])
            elif source not in draws:  # its names are consecutive parameters: one draw fills them
                draws.append(source)
                element = f"{source.info['iterator']}.get_next()"
                args.append(f"*{element}" if type(source.node.targets[0]) is not ast.Name else element)
        self.draws = getattr(self, "draws", 0) + len(draws)
        return ", ".join(args)

    # Checkpoint names ---------------------------------------------------------------------

    def _name_map(self) -> None:
        variables = [s for s in self.stmts if s.kind == "variable" or (s.kind == "layer" and s.info["tf1_named"])]
        shared = shared_defined(self.unit)
        if not variables and not shared:
            return
        counts: dict[str, int] = {}
        entries = []
        for stmt in variables:
            if stmt.kind == "layer":  # named as TF1 named it: its variables' paths are TF1's names
                layer = stmt.node.targets[0].id
                entries.append(f"{self.indent}{self.indent}**{{v.path: v for v in {layer}.weights}},")
                continue
            for text, _, base in stmt.info["members"]:
                n = counts.get(base, 0)
                counts[base] = n + 1
                name = base if n == 0 else f"{base}_{n}"
                entries.append(f"{self.indent}{self.indent}{name!r}: {text},")
        if shared:
            entries.append(f"{self.indent}{self.indent}**{REGISTRY}.variables(),")
        function = self.map_name
        text = "\n".join([f"def {function}():",
                          f'{self.indent}"""TF1 checkpoint names -> this program\'s variables (tfshift upgrade '
                          f'--native; docs/native.md)."""',
                          f"{self.indent}return {{", *entries, f"{self.indent}}}"])
        inits = [s for s in self.stmts if s.kind == "init"]
        savers = [s for s in self.stmts if s.kind == "saver"]
        if savers and (shared or any(s.kind == "layer" for s in self.stmts)):
            raise Cannot(savers[0].node, "tf.train.Saver in a program whose Keras layers (or tf1_scopes "
                                         "variables) are made on their first call: a Checkpoint made where "
                                         "the Saver was would miss their variables; not rewritten yet")
        if savers:  # the Saver's Checkpoint is built from it
            self.generated.setdefault(savers[0].index, []).insert(0, text)
            return
        built = [s for s in self.stmts if s.kind in ("placeholder", "graph", "train", "optimizer", "layer")]
        where = inits[0].index if inits else (variables or built or self.stmts)[-1].index
        self.generated.setdefault(where, []).append(text)

    # Edits --------------------------------------------------------------------------------

    def _emit(self) -> None:
        unit = self.unit
        nl = unit.newline
        with_bodies = {id(s) for w in self.withs for s in w.body}
        for stmt in self.stmts:
            texts = self.generated.get(stmt.index)
            node = stmt.node
            if texts:
                block = (nl + nl).join(t.replace("\n", nl) for t in texts)
                if stmt.index in self.deleted:
                    start = unit.offset(node.lineno, node.col_offset)
                    end = unit.offset(node.end_lineno, node.end_col_offset)
                    self.edits = [e for e in self.edits if not _inside(e, start, end)]
                    self.edits.append(Edit(start, end, block))
                else:
                    _, end = unit.line_span(node)
                    self.edits.append(Edit(end, end, nl + block + nl))
            elif stmt.index in self.deleted:
                start, end = unit.line_span(node)
                self.edits = [e for e in self.edits if not _inside(e, start, end)]
                self.edits.append(Edit(start, end, ""))
        for node in self.withs:
            self._unwrap(node, with_bodies)
        for index, texts in self.tf2_generated.items():
            start, _ = unit.line_span(self.stmts[index].node)
            block = (nl + nl).join(t.replace("\n", nl) for t in texts)
            self.tf2_edits.append(Edit(start, start, block + nl + nl))

    def _unwrap(self, node: ast.With, with_bodies) -> None:
        """Remove `with tf.Session() as s:` and dedent its body by one level."""
        unit = self.unit
        start, _ = unit.line_span(node)
        header_end = unit.starts[node.body[0].lineno - 1]
        self.edits.append(Edit(start, header_end, ""))
        outer = unit.text[start:unit.offset(node.lineno, node.col_offset)]
        first = node.body[0]
        inner = unit.text[unit.starts[first.lineno - 1]:unit.offset(first.lineno, first.col_offset)]
        extra = inner[len(outer):]
        strings = set()
        for sub in ast.walk(node):
            if type(sub) is ast.Constant and isinstance(sub.value, str) and sub.end_lineno > sub.lineno:
                strings.update(range(sub.lineno + 1, sub.end_lineno + 1))
        deleted = [e for e in self.edits if e.text == "" or "\n" in e.text or "\r" in e.text]
        replaced = [e for e in self.edits if e.end > e.start]
        for line in range(first.lineno, node.end_lineno + 1):
            if line in strings:
                continue
            position = unit.starts[line - 1] + len(outer)
            if not unit.text.startswith(outer + extra, unit.starts[line - 1]):
                continue
            if any(e.start <= unit.starts[line - 1] < e.end for e in deleted):
                continue
            if any(e.start < position < e.end for e in replaced):  # inside a rewritten multi-line call
                continue
            self.edits.append(Edit(position, position + len(extra), ""))
        # replaced statements in the body: their generated text is already at column 0


def _param_names(stmt: _Stmt) -> list[str]:
    """The function arguments a placeholder (its name) or an iterator's element (its names) gives."""
    return stmt.info["names"] if stmt.kind == "next" else [stmt.node.targets[0].id]


def _parent(root: ast.AST, node: ast.AST) -> ast.AST | None:
    for candidate in ast.walk(root):
        if node in ast.iter_child_nodes(candidate):
            return candidate
    return None


def _inside(edit: Edit, start: int, end: int) -> bool:
    """Within [start, end), an insertion at `start` excepted (it belongs before the span)."""
    if edit.start == edit.end == start:
        return False
    return start <= edit.start and edit.end <= end


def _variables_pending(unit: Unit) -> bool:
    """Whether the layers and variables families have yet to rewrite how this file makes its
    variables (get_variable, variable scopes, the tf1_scopes registry): the training step's
    variable list and tf1_variables() are written from what they make."""
    if shared_used(unit) and not shared_defined(unit):
        return True
    return any(ref.v1 and ref.call is not None and (
        ref.name in ("tf.get_variable", "tf.variable_scope") or (ref.scopes and ref.name.startswith(_HOISTED_LAYERS)))
        for ref in unit.refs())


def find(unit: Unit) -> list[Site]:
    if not any(ref.v1 and ref.name in GRAPH_NAMES for ref in unit.refs()):
        return []
    if _variables_pending(unit):
        return []
    if any(ref.v1 and ref.name in schedules.FIRST for ref in unit.refs()):
        return []  # the global step and decay become variables / tensors first (next round)
    program = Program(unit)
    try:
        program.rewrite()
    except Deferred:
        return []
    except Cannot as exc:
        return [FAMILY.site(unit, exc.node, "graph program", cannot=exc.reason)]
    sites = [FAMILY.site(unit, unit.tree.body[0], "graph program -> eager functions", program.edits,
                         tuple(program.imports))]
    if program.tf2_edits:  # tf.summary.scalar & co: TF2 names TF1 spelled alike, not to be read as TF1 again
        sites.append(FAMILY.site(unit, unit.tree.body[0], "summaries -> tf.summary writers (needs the tensorboard "
                                 "package)", program.tf2_edits, tuple(program.imports), tf2=True))
    return sites


FAMILY = Family(number=1, name="graph-programs", order=100, find=find, claims=tuple(GRAPH_NAMES),
                summary="placeholders and Session.run become functions of what is fed; sessions and "
                        "initializers disappear; minimize becomes a GradientTape step")
