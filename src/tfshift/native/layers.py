"""Family 2: tf.layers.*, tf.contrib.layers.* and slim.* become keras.layers.* (Keras 3).

Each call is rewritten in place by layers_rewrite from the table in layers_table, TF1's defaults
written wherever Keras's differ (contrib's relu and "SAME", batch norm's decay / scale=False /
is_training, keep_prob, glorot embeddings...). TF1 initializers and regularizers become Keras's
wherever they are called. `slim.arg_scope` is carried over for the calls it lexically encloses
and then removed; one that could reach calls elsewhere (a function of the project called inside
it), or that is not written out, is reported instead.

A layer call becomes `keras.layers.X(...)(inputs)`: a new layer, as a TF1 call without `reuse`
made new variables. Sharing (`reuse=True`, `tf.AUTO_REUSE`, an enclosing
`variable_scope(reuse=...)`) is reported: in Keras one layer object is called twice.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import re

from tfshift.native import layers_table as table
from tfshift.native.family import Edit, Family, ImportRequest, Site, Unit
from tfshift.native.sharing import REGISTRY
from tfshift.native.layers_rewrite import (
    Cannot,
    Writer,
    canonical,
    initializer,
    layer_call,
    regularizer,
)

_ARG_SCOPES = ("tf.contrib.framework.arg_scope", "tf.contrib.slim.arg_scope")
_MODULES = ("tf.contrib.slim", "tf.contrib.layers", "tf.contrib.framework")


def _spellings() -> tuple[str, ...]:
    names = set(table.LAYERS) | set(table.CANNOT) | set(table.INITIALIZERS)
    names |= set(table.CONTRIB_INITIALIZERS) | set(table.REGULARIZERS)
    names |= {"tf.contrib.slim." + tail for tail in table.SLIM_ALIASES}
    for name in list(names):
        if name.startswith("tf.contrib.layers."):
            tail = name[len("tf.contrib.layers."):]
            names.add("tf.contrib.slim." + tail)
            names.add("tf.contrib.framework." + tail)
    names |= {*_ARG_SCOPES, *_MODULES, "tf.nn.dropout"}
    return tuple(sorted(names))


def _writer(unit: Unit, spelled: list[ImportRequest]) -> Writer:
    def resolve(node: ast.AST) -> str | None:
        ref = _ref_at.get(id(unit), {}).get(id(node))
        return ref.name if ref is not None and ref.v1 else None

    def spell(qual: str) -> str:
        text, imports = unit.spell(qual)
        spelled.extend(i for i in imports if i not in spelled)
        return text

    return Writer(unit.segment, resolve, spell, lambda node: _dict_value(unit, node))


_ref_at: dict[int, dict[int, object]] = {}


def _dict_value(unit: Unit, node: ast.expr) -> ast.expr:
    """The dict written out that `node` (a name) is bound to, when it is bound once in its
    function (or module) and never changed there; else `node`."""
    if not isinstance(node, ast.Name):
        return node
    owner = next((p for p in _enclosing(unit, node)
                  if isinstance(p, (ast.FunctionDef, ast.AsyncFunctionDef))), unit.tree)
    values = []
    for sub in _own_nodes(owner):
        if isinstance(sub, ast.Assign):
            for target in sub.targets:
                if isinstance(target, ast.Name) and target.id == node.id:
                    values.append(sub.value)
                elif any(isinstance(t, ast.Name) and t.id == node.id for t in ast.walk(target)):
                    return node  # unpacked, subscripted: changed
        elif isinstance(sub, (ast.AugAssign, ast.AnnAssign, ast.Delete, ast.For, ast.With,
                              ast.NamedExpr)):
            if any(isinstance(t, ast.Name) and t.id == node.id and isinstance(t.ctx, (
                    ast.Store, ast.Del)) for t in ast.walk(sub)):
                return node
        elif isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and (
                sub.value.id == node.id):
            return node  # params.update(...), params.pop(...)
        elif isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name) and (
                sub.value.id == node.id) and not isinstance(sub.ctx, ast.Load):
            return node
    if isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.id in {
            a.arg for a in ast.walk(owner.args) if isinstance(a, ast.arg)}:
        return node
    if len(values) == 1 and isinstance(values[0], ast.Dict):
        return values[0]
    return node


def _own_nodes(owner: ast.AST):
    """The nodes of a function (or module) outside its nested functions and classes."""
    stack = list(ast.iter_child_nodes(owner))
    while stack:
        sub = stack.pop()
        yield sub
        if not isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(sub))


def _enclosing(unit: Unit, node: ast.AST):
    parent = unit.parents.get(node)
    while parent is not None:
        yield parent
        parent = unit.parents.get(parent)


def find(unit: Unit) -> list[Site]:
    refs = unit.refs()
    _ref_at[id(unit)] = {id(r.node): r for r in refs}
    try:
        return _find(unit, refs)
    finally:
        _ref_at.pop(id(unit), None)


def _find(unit: Unit, refs) -> list[Site]:
    sites: list[Site] = []
    scopes = _arg_scopes(unit, refs)
    taken: set[str] = set()  # names given to hoisted layers in this round
    per_call = graph_program(refs)
    tf1_names = _tf1_layer_names(unit, refs)
    from tfshift.native.variables import shares_by_name

    sharing = shares_by_name(unit, refs)
    for ref in refs:
        name = canonical(ref.name) if ref.v1 else None
        if name is None:
            continue
        if ref.call is None:
            continue
        node = ref.call
        if name in table.CANNOT:
            sites.append(FAMILY.site(unit, node, name, cannot=f"{name}: {table.CANNOT[name]}"))
            continue
        spelled: list[ImportRequest] = []
        writer = _writer(unit, spelled)
        if name == "tf.nn.dropout":
            sites.extend(_nn_dropout(unit, node))
            continue
        if name in table.LAYERS:
            weighted = _has_weights(name)
            registry = sharing and weighted and name.startswith("tf.layers.")
            # a layer without weights (dropout, pooling) shares nothing and may be made anew
            reason = None if registry or not weighted else (
                _shared(unit, node, refs) or (per_call and in_function(unit, node)))
            if registry and per_call and in_function(unit, node) and not _stable_name(unit, node):
                reason = PER_CALL_DEFAULT_NAME
            if not reason and per_call and table.LAYERS[name].keras == "BatchNormalization" and (
                    _training(node, name) is not False):
                reason = BATCH_NORM_UPDATES
            if reason:
                sites.append(FAMILY.site(unit, node, name, cannot=f"{name}: {reason}"))
                continue
            extra, problem = _scope_arguments(unit, node, name, scopes)
            if problem:
                sites.append(FAMILY.site(unit, node, name, cannot=problem))
                continue
            hoisted: list[tuple[str, str]] = []
            statement = _module_statement(unit, node)
            if registry:
                writer.layer = _registered(name.rsplit(".", 1)[1])
                writer.shared = True
                statement = None
            elif statement is not None:
                writer.layer = _hoister(unit, hoisted, taken, tf1_names.get(id(node)))
            result = layer_call(writer, name, node, extra=extra)
            if result.cannot:
                sites.append(FAMILY.site(unit, node, name, cannot=result.cannot))
                continue
            message = f"{name} -> {result.text.split('(', 1)[0]}"
            if result.notes:
                message += " (" + "; ".join(result.notes) + ")"
            edits = [unit.replace(node, result.text)]
            if hoisted:
                # module level: the layer is made once, by a statement of its own
                indent = unit.indent_of(statement)
                start = unit.starts[statement.lineno - 1]
                lines = "".join(f"{indent}{n} = {c}{unit.newline}" for n, c in hoisted)
                edits.insert(0, Edit(start, start, lines))
            sites.append(FAMILY.site(unit, node, message, edits, spelled))
            continue
        try:
            if name in table.INITIALIZERS or name in table.CONTRIB_INITIALIZERS:
                text = initializer(writer, node)
            elif name in table.REGULARIZERS:
                text = regularizer(writer, node)
            else:
                continue
        except Cannot as exc:
            sites.append(FAMILY.site(unit, node, name, cannot=str(exc)))
            continue
        sites.append(FAMILY.site(unit, node, f"{name} -> {text.split('(', 1)[0]}",
                                 [unit.replace(node, text)], spelled))
    sites.extend(_scope_sites(unit, scopes, refs))
    return sites


_NN_DROPOUT = ("x", "keep_prob", "noise_shape", "seed", "name", "rate")


def _nn_dropout(unit: Unit, call: ast.Call) -> list[Site]:
    """TF1's tf.nn.dropout(x, keep_prob) is TF2's tf.nn.dropout(x, rate=1 - keep_prob)."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords) or len(call.args) > len(_NN_DROPOUT):
        return [FAMILY.site(unit, call, "tf.nn.dropout", cannot="tf.nn.dropout with * or ** "
                            "arguments: keep_prob cannot be told from rate")]
    bound = dict(zip(_NN_DROPOUT, call.args, strict=False))
    bound.update({k.arg: k.value for k in call.keywords})
    keep = bound.get("keep_prob")
    if keep is None or (isinstance(keep, ast.Constant) and keep.value is None):
        if len(call.args) <= 1 and "keep_prob" not in {k.arg for k in call.keywords}:
            return []  # already TF2's form: tf.nn.dropout(x, rate=...)
        keep = None
    if keep is not None and bound.get("rate") is not None:
        return [FAMILY.site(unit, call, "tf.nn.dropout", cannot="tf.nn.dropout with both "
                            "keep_prob and rate")]
    if keep is not None:
        value = keep.value if isinstance(keep, ast.Constant) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            rate = repr(float(round(1 - value, 12)))
        else:
            text = unit.segment(keep)
            simple = isinstance(keep, (ast.Name, ast.Attribute, ast.Subscript, ast.Call))
            rate = f"1 - {text}" if simple else f"1 - ({text})"
    else:
        rate = unit.segment(bound["rate"])
    args = [unit.segment(bound["x"]), f"rate={rate}"]
    args += [f"{k}={unit.segment(bound[k])}" for k in ("noise_shape", "seed", "name")
             if k in bound]
    func = unit.segment(call.func)
    text = f"{func}({', '.join(args)})"
    return [FAMILY.site(unit, call, "tf.nn.dropout(keep_prob) -> rate=1 - keep_prob",
                        [unit.replace(call, text)])]


def _module_statement(unit: Unit, call: ast.Call) -> ast.stmt | None:
    """The simple module-level statement holding `call` (not in a function, class, lambda or
    comprehension, nor in a compound statement's header, nor in a loop or branch: only `with`
    bodies), first on its line; else None."""
    statement = None
    for parent in _enclosing(unit, call):
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
                               ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return None
        if statement is None and isinstance(parent, ast.stmt):
            statement = parent
        elif isinstance(parent, ast.stmt) and not isinstance(parent, (ast.With, ast.AsyncWith)):
            return None  # in a loop or branch: TF1 made a layer each time it ran
    if not isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr)):
        return None
    if unit.indent_of(statement) != unit.text[
            unit.starts[statement.lineno - 1]:unit.offset(statement.lineno, statement.col_offset)]:
        return None
    return statement


def _has_weights(name: str) -> bool:
    return any(p.kind == table.INIT for p in table.LAYERS[name].params)


def _registered(base: str):
    """A layer with weights in a file that shares by TF1 name: made once by the tf1_scopes
    registry under TF1's layer name (the explicit one, or `base` numbered as TF1 did)."""
    def place(constructor: str, name: str, named: str | None) -> str:
        return f"{REGISTRY}.layer({named or 'None'}, {base!r}, lambda: {constructor})"

    return place


def _hoister(unit: Unit, hoisted: list[tuple[str, str]], taken: set[str],
             tf1_name: str | None):
    def place(constructor: str, name: str, named: bool) -> str:
        base = re.sub(r"\W", "_", name) or "layer"
        if base[0].isdigit() or keyword.iskeyword(base):
            base = "layer_" + base
        candidate = unit.unique(base)
        index = 1
        while candidate in taken:
            index += 1
            candidate = unit.unique(f"{base}_{index}")
        taken.add(candidate)
        if tf1_name is not None:
            # the TF1 layer's own name, so its variables' paths are TF1's checkpoint names
            if named is None:
                open_paren = constructor.index("(")
                inside = constructor[open_paren + 1:-1]
                constructor = (f"{constructor[:-1]}{', ' if inside.strip() else ''}"
                               f"name={tf1_name!r})")
            constructor += f"  {TF1_NAMED}"
        hoisted.append((candidate, constructor))
        return candidate

    return place


# Marks a hoisted layer whose variable paths are TF1's names (graph.py maps them in
# tf1_variables()).
TF1_NAMED = "# TF1 variable names kept"


def layer_names_kept(unit: Unit, statement: ast.stmt) -> bool:
    """Whether a hoisted layer statement carries TF1_NAMED (its variables have TF1's names)."""
    end = unit.offset(statement.end_lineno, statement.end_col_offset)
    line_end = unit.starts[statement.end_lineno] if statement.end_lineno < len(unit.starts) else len(unit.text)
    return TF1_NAMED in unit.text[end:line_end]


def _tf1_layer_names(unit: Unit, refs) -> dict[int, str]:
    """TF1's layer (variable scope) name of each module-level tf.layers call that has weights,
    by id of the call: `dense`, `dense_1`, ... as TF1's variable_scope(default_name=...) gave
    them, explicit names taking theirs. Empty when something else could take part in the
    numbering (layers in functions, variable scopes, non-literal names)."""
    calls = []
    for ref in refs:
        name = canonical(ref.name) if ref.v1 else None
        if name == "tf.variable_scope" or (name or "").startswith("tf.contrib.framework.arg"):
            return {}
        if name is None or ref.call is None or name not in table.LAYERS:
            continue
        if not name.startswith("tf.layers."):
            continue
        if _module_statement(unit, ref.call) is None:
            return {}
        calls.append((name, ref.call))
    calls.sort(key=lambda c: (c[1].lineno, c[1].col_offset))
    opened: set[str] = set()
    names: dict[int, str] = {}
    for name, call in calls:
        spec = table.LAYERS[name]
        explicit = next((k.value for k in call.keywords if k.arg == "name"), None)
        if explicit is not None:
            if not (isinstance(explicit, ast.Constant) and isinstance(explicit.value, str)):
                return {}
            chosen = explicit.value
        else:
            base = name.rsplit(".", 1)[1]
            chosen, index = base, 0
            while chosen in opened:
                index += 1
                chosen = f"{base}_{index}"
        opened.add(chosen)
        if _has_weights(name):
            names[id(call)] = chosen
    return names


PER_CALL = ("made inside a function of a graph program: its graph code becomes functions "
            "called at every step, which would make new weights on every call; it needs one "
            "object made once (not rewritten yet)")


PER_CALL_DEFAULT_NAME = (
    "a layer with TF1's default name in a function of a graph program, outside any "
    "variable_scope of that function: TF1 numbered it once (dense, dense_1, ...), but the graph "
    "code now runs at every step and the numbering would go on; give it name=... or a "
    "variable_scope")


BATCH_NORM_UPDATES = (
    "batch norm in training mode in a graph program: TF1 updated its moving averages only when "
    "the UPDATE_OPS ran, Keras updates them at every training call, so the saved and "
    "inference-mode numbers could differ; not rewritten yet")


def _training(call: ast.Call, name: str):
    """The training flag a batch-norm call gives (True / False), or None when not written out
    as a constant; TF1's default when left out (tf.layers: False, contrib / slim: True)."""
    spec = table.LAYERS[name]
    param = spec.param("training") or spec.param("is_training")
    for keyword in call.keywords:
        if keyword.arg == param.name:
            value = keyword.value
            return value.value if isinstance(value, ast.Constant) and isinstance(value.value, bool) else None
    position = next(i for i, p in enumerate(spec.params) if p is param)
    if len(call.args) > position:
        return None
    return param.default == "True"


def _stable_name(unit: Unit, call: ast.Call) -> bool:
    """Whether a layer call's TF1 name is the same each time its function runs: an explicit
    literal name, or a default one counted inside a variable_scope entered in the function."""
    if any(k.arg == "name" and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)
           for k in call.keywords):
        return True
    refs = _ref_at.get(id(unit), {})
    for parent in _enclosing(unit, call):
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return False
        if isinstance(parent, (ast.With, ast.AsyncWith)):
            for item in parent.items:
                expr = item.context_expr
                if isinstance(expr, ast.Call):
                    ref = refs.get(id(expr.func))
                    if ref is not None and ref.v1 and canonical(ref.name) == "tf.variable_scope":
                        return True
                    if unit.segment(expr.func) == f"{REGISTRY}.scope":  # rewritten already
                        return True
    return False


def graph_program(refs) -> bool:
    """A TF1 graph program (placeholders, sessions): family 1 turns its graph code into
    functions called at every step."""
    return any(r.v1 and r.name in ("tf.placeholder", "tf.Session", "tf.InteractiveSession")
               for r in refs)


def in_function(unit: Unit, node: ast.AST) -> str | None:
    """PER_CALL when `node` is inside a function (or lambda), else None."""
    for parent in _enclosing(unit, node):
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return PER_CALL
    return None


# --- variable sharing ---------------------------------------------------------------------------


def _shared(unit: Unit, call: ast.Call, refs) -> str | None:
    """Why this layer call may share variables with another (TF1 reuse), or None."""
    by_node = {id(r.node): r for r in refs}
    for parent in _enclosing(unit, call):
        if isinstance(parent, (ast.With, ast.AsyncWith)):
            for item in parent.items:
                expr = item.context_expr
                if not isinstance(expr, ast.Call):
                    continue
                ref = by_node.get(id(expr.func))
                if ref is None or ref.name not in ("tf.variable_scope",):
                    continue
                for keyword in expr.keywords:
                    if keyword.arg == "reuse" and not _false(keyword.value):
                        return ("inside variable_scope(reuse=...), its variables are shared by "
                                "scope name with another call; in Keras one layer object is "
                                "created once and called again")
    return None


def _false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value in (None, False)


# --- arg_scope ----------------------------------------------------------------------------------


class _Scope:
    def __init__(self, with_node: ast.With, item: ast.withitem, ops: set[str] | None,
                 kwargs: dict[str, ast.expr], problem: str | None) -> None:
        self.with_node = with_node
        self.item = item
        self.ops = ops
        self.kwargs = kwargs
        self.problem = problem


def _arg_scopes(unit: Unit, refs) -> dict[int, _Scope]:
    """Every `with slim.arg_scope(...)` item of the file, by id of its with statement."""
    by_node = {id(r.node): r for r in refs}
    found: dict[int, _Scope] = {}
    for ref in refs:
        if ref.call is None or ref.name not in _ARG_SCOPES:
            continue
        call = ref.call
        owner = unit.parents.get(call)
        if not isinstance(owner, ast.withitem):
            found[id(call)] = _Scope(None, None, None, {}, "arg_scope used other than as `with "
                                     "slim.arg_scope([...], ...):`; TF1 applied it to every call "
                                     "made while it was open")
            continue
        with_node = unit.parents.get(owner)
        problem = None
        ops: set[str] | None = set()
        kwargs: dict[str, ast.expr] = {}
        listed = call.args[0] if call.args else None
        if owner.optional_vars is not None:
            problem = "arg_scope kept as a value (`as sc`) is applied elsewhere"
        elif len(call.args) != 1 or not isinstance(listed, (ast.List, ast.Tuple)):
            problem = ("arg_scope of a saved scope or of ops not written out as a list; TF1 "
                       "applied its defaults to every call made while it was open")
        else:
            for element in listed.elts:
                ref_e = by_node.get(id(element))
                if ref_e is None:
                    problem = f"arg_scope over {unit.segment(element)}, not a TF1 layer"
                    break
                ops.add(canonical(ref_e.name))
            for keyword in call.keywords:
                if keyword.arg is None:
                    problem = "arg_scope(**params): the defaults it sets are not written out"
                    break
                kwargs[keyword.arg] = keyword.value
        if problem is None:
            problem = _reaches_elsewhere(unit, with_node, by_node)
        found[id(with_node)] = _Scope(with_node, owner, ops, kwargs, problem)
    return found


def _defined_functions(unit: Unit) -> set[str]:
    names = set()
    for node in ast.walk(unit.tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def _reaches_elsewhere(unit: Unit, with_node: ast.With, by_node) -> str | None:
    """A call inside the scope to code that may call slim ops itself (TF1's arg_scope applied
    to every call made while it was open, in any function)."""
    defined = _defined_functions(unit)
    for stmt in with_node.body:
        for node in ast.walk(stmt):
            if not isinstance(node, ast.Call) or id(node.func) in by_node:
                continue  # not a call, or TensorFlow itself
            func = node.func
            name = None
            if isinstance(func, ast.Name) and (func.id in defined or func.id not in dir(builtins)):
                name = func.id
            elif isinstance(func, ast.Attribute) and func.attr in defined:
                name = func.attr
            if name is not None:
                return (f"arg_scope reaches {name}(): TF1 applied its defaults to every call "
                        f"made while it was open, inside {name} too; not carried over")
    return None


def _scope_arguments(unit: Unit, call: ast.Call, name: str, scopes: dict[int, _Scope]):
    """The arguments enclosing arg_scopes give this call (innermost wins), or a problem."""
    extra: dict[str, ast.expr] = {}
    spec = table.LAYERS[name]
    for parent in _enclosing(unit, call):
        scope = scopes.get(id(parent))
        if scope is None:
            if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                break
            continue
        if name not in (scope.ops or set()) and scope.problem is None:
            continue
        if scope.problem:
            return None, scope.problem
        for key, value in scope.kwargs.items():
            if spec.param(key) is None:
                return None, f"arg_scope sets {key!r}, which {name} does not take"
            extra.setdefault(key, value)
    return extra, None


def _scope_sites(unit: Unit, scopes: dict[int, _Scope], refs) -> list[Site]:
    """Remove each carried-over arg_scope: its `with` line goes and its body moves left, once
    no call it applies to is left inside (they are rewritten, with its arguments, in an earlier
    round; one that cannot be keeps the scope and the file compat)."""
    out = []
    pending = set()
    for ref in refs:
        if ref.call is not None and ref.v1:
            for parent in _enclosing(unit, ref.call):
                scope = scopes.get(id(parent))
                if scope is not None and canonical(ref.name) in (scope.ops or ()):
                    pending.add(id(parent))
    for scope in scopes.values():
        if scope.with_node is None:
            out.append(Site(FAMILY.name, 1, 1, "slim.arg_scope", cannot=scope.problem))
            continue
        with_node = scope.with_node
        if scope.problem:
            out.append(FAMILY.site(unit, with_node, "slim.arg_scope", cannot=scope.problem))
            continue
        if id(with_node) in pending:
            continue
        edits = _unwrap(unit, with_node, scope.item)
        if edits is None:
            out.append(FAMILY.site(unit, with_node, "slim.arg_scope", cannot=(
                "arg_scope around text that cannot be moved left (a multi-line string)")))
            continue
        out.append(FAMILY.site(unit, with_node, "slim.arg_scope carried over to its calls",
                               edits))
    return out


def _unwrap(unit: Unit, with_node: ast.With, item: ast.withitem) -> list[Edit] | None:
    if len(with_node.items) > 1:
        # `with slim.arg_scope(...), tf.variable_scope(...):` loses the one item.
        index = with_node.items.index(item)
        start, end = unit.span(item.context_expr)
        if index + 1 < len(with_node.items):
            end = unit.span(with_node.items[index + 1].context_expr)[0]
        else:
            start = unit.span(with_node.items[index - 1].context_expr)[1]
            if with_node.items[index - 1].optional_vars is not None:
                start = unit.span(with_node.items[index - 1].optional_vars)[1]
        return [Edit(start, end, "")]
    first = with_node.body[0]
    header_start = unit.starts[with_node.lineno - 1]
    if first.lineno == with_node.lineno:
        return None  # `with x: stmt` on one line
    outer = unit.indent_of(with_node)
    inner = unit.indent_of(first)
    if not inner.startswith(outer) or len(inner) <= len(outer):
        return None
    strip = len(inner) - len(outer)
    last_item = with_node.items[-1]
    after = unit.span(last_item.optional_vars or last_item.context_expr)[1]
    colon = unit.text.index(":", after)
    header_line = unit.text.count("\n", 0, colon) + 1
    rest = unit.text[colon + 1:unit.starts[header_line]].strip()
    if header_line >= first.lineno or rest:
        return None  # code or a comment after the colon
    edits = [Edit(header_start, unit.starts[header_line], "")]
    last = with_node.body[-1].end_lineno
    strings = _string_lines(with_node)
    for line in range(header_line + 1, last + 1):
        start = unit.starts[line - 1]
        end = unit.starts[line] if line < len(unit.starts) else len(unit.text)
        text = unit.text[start:end]
        if line in strings:
            return None
        if not text.strip():
            continue
        if text[:strip].strip() or len(text) < strip:
            if text.lstrip().startswith("#"):
                continue
            return None
        edits.append(Edit(start, start + strip, ""))
    return edits


def _string_lines(node: ast.AST) -> set[int]:
    """Lines inside a string that spans lines (moving them would change the string)."""
    lines = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.JoinedStr) or (
                isinstance(sub, ast.Constant) and isinstance(sub.value, (str, bytes))):
            lines.update(range(sub.lineno + 1, sub.end_lineno + 1))
    return lines


# --- the contrib / slim imports, once nothing uses them ----------------------------------------

def _finish(unit: Unit) -> list[Site]:
    used = {id(ref.binding.node) for ref in unit.refs()
            if not isinstance(getattr(ref.node, "ctx", None), ast.Store)}
    sites = []
    for entry in unit.entries:
        node = entry.node
        contrib_import = (isinstance(node, ast.Import) and all(
            a.name.startswith("tensorflow.contrib") for a in node.names)) or (
            isinstance(node, ast.ImportFrom) and not node.level and node.module is not None
            and node.module.startswith("tensorflow.contrib"))
        if contrib_import:
            if not any(id(a) in used for a in node.names):
                sites.append(FINISH.site(unit, node, "contrib import removed",
                                         [unit.delete_statement(node)]))
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                node.targets[0], ast.Name) and entry.parent is None:
            # slim = tf.contrib.slim, once nothing uses `slim`
            binding = unit.bindings.module.get(node.targets[0].id)
            if binding is not None and binding.qual in _MODULES and binding.stmt is node and (
                    id(binding.node) not in used):
                sites.append(FINISH.site(unit, node, "contrib alias removed",
                                         [unit.delete_statement(node)]))
    return sites


FAMILY = Family(
    number=2, name="layers", order=200, find=find, claims=_spellings(),
    summary="tf.layers / tf.contrib.layers / slim calls become keras.layers with TF1's defaults; "
            "TF1 initializers and regularizers become Keras's; slim.arg_scope is carried over")

FINISH = Family(number=2, name="layers-finish", order=950, find=_finish, last=True,
                summary="contrib / slim imports, once nothing uses them")

FAMILIES = (FAMILY, FINISH)
