"""Family 3: tf.get_variable / variable_scope / name_scope in TF1 model code.

`tf.get_variable(name, shape, ...)` without reuse makes a new variable (or fails when the name
is taken), which is what `tf.Variable` does in TensorFlow 2; the rewrite writes the initial value
out with TF1's defaults (`tf.get_variable`'s glorot_uniform for floating-point variables, zeros
for integer and boolean ones; TF1 initializers as Keras's, family 2's table) and keeps the name.
`with tf.variable_scope("s"):` becomes `with tf.name_scope("s"):`, under which TensorFlow 2 names
variables "s/w" as TF1 did, so checkpoints map by name.

Sharing is not rewritten yet: a file with `reuse=True`, `tf.AUTO_REUSE`, `reuse_variables()` or
a scope object passed back to variable_scope shares variables by name across calls, which in
TensorFlow 2 needs one object (a Keras layer or tf.Module) owning them; each such site, and every
get_variable a shared scope could reach, is reported with that reason.
"""

from __future__ import annotations

import ast

from tfshift.native import sharing as sharing_helper
from tfshift.native.family import Edit, Family, ImportRequest, Site, Unit
from tfshift.native.layers import _enclosing, _writer, graph_program, in_function
from tfshift.native.layers import _ref_at as ref_index
from tfshift.native.layers_rewrite import Cannot, canonical, initializer

_GET_VARIABLE = ("name", "shape", "dtype", "initializer", "regularizer", "trainable",
                 "collections", "caching_device", "partitioner", "validate_shape",
                 "use_resource", "custom_getter", "constraint", "synchronization", "aggregation")
_VARIABLE_SCOPE = ("name_or_scope", "default_name", "values", "initializer", "regularizer",
                   "caching_device", "partitioner", "custom_getter", "reuse", "dtype",
                   "use_resource", "constraint", "auxiliary_name_scope")
_NAME_SCOPE = ("name", "default_name", "values")
# get_variable arguments with no effect in TensorFlow 2 when left at these values.
_MUST_BE_DEFAULT = {"collections": None, "caching_device": None, "partitioner": None,
                    "validate_shape": True, "custom_getter": None}
_FLOATS = ("float16", "float32", "float64", "bfloat16", "half", "float", "double")
_INTS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool")
_SHARING = ("variables shared by name (reuse) in this file: TensorFlow 2 needs one object (a "
            "Keras layer or tf.Module) owning them; not rewritten yet")


def _bind(call: ast.Call, names: tuple[str, ...]) -> dict[str, ast.expr] | None:
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords) or len(call.args) > len(names):
        return None
    bound = dict(zip(names, call.args, strict=False))
    for keyword in call.keywords:
        if keyword.arg not in names:
            return None
        bound[keyword.arg] = keyword.value
    return bound


def _literal(node: ast.expr | None):
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ...


def _dtype_kind(unit: Unit, node: ast.expr | None) -> str | None:
    """"float", "int" or None (unknown) for a dtype argument."""
    if node is None or _literal(node) is None:
        return "float"  # tf.get_variable's default dtype is float32
    value = _literal(node)
    if isinstance(value, str):
        name = value
    else:
        ref = ref_index.get(id(unit), {}).get(id(node))
        name = ref.name.rsplit(".", 1)[1] if ref is not None else None
    if name in _FLOATS:
        return "float"
    if name in _INTS:
        return "int"
    return None


def shares_by_name(unit: Unit, refs) -> bool:
    """Whether the file shares variables by TF1 name (reuse anywhere, or the tf1_scopes
    registry an earlier round wrote)."""
    return _reuse_in_file(unit, refs) or sharing_helper.used(unit) or _built_per_call(unit, refs)


def _built_per_call(unit: Unit, refs) -> bool:
    """A graph program whose functions make variables (get_variable, tf.layers): family 1 calls
    its graph code at every step, so what they make must be made once, by TF1 name."""
    return graph_program(refs) and any(
        r.v1 and r.call is not None and (r.name == "tf.get_variable" or canonical(r.name).startswith(
            "tf.layers.")) and in_function(unit, r.call) for r in refs)


def _reuse_in_file(unit: Unit, refs) -> bool:
    for ref in refs:
        if ref.v1 and ref.call is not None and canonical(ref.name).startswith("tf.layers.") and any(
                k.arg == "reuse" and _literal(k.value) not in (None, False)
                for k in ref.call.keywords):
            return True
        if ref.name in ("tf.AUTO_REUSE", "tf.get_variable_scope"):
            return True
        if ref.call is not None and ref.name == "tf.variable_scope":
            bound = _bind(ref.call, _VARIABLE_SCOPE) or {}
            reuse = bound.get("reuse")
            if reuse is not None and _literal(reuse) not in (None, False):
                return True
    if "reuse_variables" not in unit.text:
        return False
    for node in unit.nodes():
        if isinstance(node, ast.Attribute) and node.attr == "reuse_variables":
            return True
    return False


def find(unit: Unit) -> list[Site]:
    refs = unit.refs()
    ref_index[id(unit)] = {id(r.node): r for r in refs}
    try:
        return _find(unit, refs)
    finally:
        ref_index.pop(id(unit), None)


def _find(unit: Unit, refs) -> list[Site]:
    sites: list[Site] = []
    sharing = shares_by_name(unit, refs)
    per_call = graph_program(refs)
    for ref in refs:
        if not ref.v1:
            continue
        name = canonical(ref.name)
        if name in ("tf.AUTO_REUSE", "tf.get_variable_scope"):
            site = _sharing_reference(unit, ref, name) if sharing else None
            if site is not False:
                sites.append(site or FAMILY.site(unit, ref.node, name, cannot=f"{name}: {_SHARING}"))
            continue
        if ref.call is None:
            continue
        if name == "tf.Variable" and per_call and in_function(unit, ref.call) and not _registered(unit, ref.call):
            sites.append(FAMILY.site(unit, ref.call, name, cannot=f"{name}: {in_function(unit, ref.call)}"))
            continue
        if name == "tf.get_variable":
            reason = per_call and not sharing and in_function(unit, ref.call)
            if reason:
                sites.append(FAMILY.site(unit, ref.call, name, cannot=f"{name}: {reason}"))
            else:
                sites.append(_get_variable(unit, ref.call, sharing))
        elif name == "tf.variable_scope":
            sites.append(_variable_scope(unit, ref.call, sharing))
        elif name == "tf.name_scope":
            site = _name_scope(unit, ref.call)
            if site is not None:
                sites.append(site)
    for node in unit.nodes():
        if isinstance(node, ast.Attribute) and node.attr == "reuse_variables" and isinstance(
                unit.parents.get(node), ast.Call) and not (
                sharing and (_reuse_statement(unit, node) is not None or _scope_object_reuse(unit, node))):
            sites.append(FAMILY.site(unit, node, "reuse_variables()",
                                     cannot=f"scope.reuse_variables(): {_SHARING}"))
    if sharing and not sharing_helper.defined(unit) and sharing_helper.used(unit):
        # once the calls use it (a round after they were rewritten, their imports in place)
        spelled: list[ImportRequest] = []
        tf = _writer(unit, spelled).path("tf")
        sites.append(Site(FAMILY.name, 1, 1, "variables shared by TF1 name: tf1_scopes registry",
                          (sharing_helper.helper_edit(unit, tf),), tuple(spelled)))
    return sites


def _scope_object_reuse(unit: Unit, node: ast.Attribute) -> bool:
    """`scope.reuse_variables()` where `scope` is a `with tf.variable_scope(...) as scope` target
    that _scope_object_only_reused takes (the scope's own site removes the statement)."""
    if not isinstance(node.value, ast.Name):
        return False
    for parent in _enclosing(unit, node):
        if isinstance(parent, (ast.With, ast.AsyncWith)):
            for item in parent.items:
                if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == node.value.id:
                    return _scope_object_only_reused(unit, item) is not None
    return False


def _registered(unit: Unit, call: ast.Call) -> bool:
    """Whether a call is the `make` of a `tf1_scopes.get(name, lambda: ...)` (made once)."""
    for parent in _enclosing(unit, call):
        if isinstance(parent, ast.Call) and unit.segment(parent.func) in (
                f"{sharing_helper.REGISTRY}.get", f"{sharing_helper.REGISTRY}.layer"):
            return True
    return False


def _reuse_statement(unit: Unit, node: ast.Attribute) -> ast.Expr | None:
    """`tf.get_variable_scope().reuse_variables()` as a statement of its own, else None."""
    call = unit.parents.get(node)
    holder = unit.parents.get(call)
    receiver = node.value
    refs = ref_index.get(id(unit), {})
    if isinstance(holder, ast.Expr) and isinstance(receiver, ast.Call) and not receiver.args:
        ref = refs.get(id(receiver.func))
        if ref is not None and ref.v1 and ref.name == "tf.get_variable_scope":
            return holder
    return None


def _sharing_reference(unit: Unit, ref, name: str):
    """In a file that shares by name: tf.AUTO_REUSE as a variable_scope's reuse (the scope's
    own rewrite drops it) and `tf.get_variable_scope().reuse_variables()` (the registry shares
    already: the statement goes) are handled (False: no site of their own, or the deleting
    site); any other use is reported (None)."""
    parent = unit.parents.get(ref.node)
    if name == "tf.AUTO_REUSE":
        if isinstance(parent, ast.keyword) and parent.arg == "reuse":
            call = unit.parents.get(parent)
            scope = ref_index.get(id(unit), {}).get(id(call.func)) if isinstance(call, ast.Call) else None
            if scope is not None and scope.v1 and scope.name == "tf.variable_scope":
                return False
        return None
    attribute = unit.parents.get(parent) if ref.call is not None else None
    if isinstance(attribute, ast.Attribute) and attribute.attr == "reuse_variables":
        statement = _reuse_statement(unit, attribute)
        if statement is not None:
            return FAMILY.site(unit, statement, "reuse_variables() removed: tf1_scopes shares "
                               "by TF1 name", [unit.delete_statement(statement)])
    return None


def _get_variable(unit: Unit, call: ast.Call, sharing: bool) -> Site:
    what = "tf.get_variable"
    bound = _bind(call, _GET_VARIABLE)
    if bound is None:
        return FAMILY.site(unit, call, what, cannot=f"{what}: arguments that cannot be matched "
                           "to TF1's (* or **, or unknown keywords)")
    for key, default in _MUST_BE_DEFAULT.items():
        if key in bound and _literal(bound[key]) != default:
            return FAMILY.site(unit, call, what, cannot=f"{what}({key}=...): TensorFlow 2 "
                               "variables have no such setting")
    regularizer = bound.get("regularizer")
    if regularizer is not None and _literal(regularizer) is not None:
        return FAMILY.site(unit, call, what, cannot=f"{what}(regularizer=...): a variable "
                           "outside a Keras layer has no `losses` for its penalty to go to; "
                           "not rewritten yet")
    if "name" not in bound:
        return FAMILY.site(unit, call, what, cannot=f"{what}: no name")
    spelled: list[ImportRequest] = []
    writer = _writer(unit, spelled)
    shape = bound.get("shape")
    dtype = bound.get("dtype")
    init = bound.get("initializer")
    dtype_arg = f", dtype={unit.segment(dtype)}" if dtype is not None and _literal(
        dtype) is not None else ""
    has_shape = shape is not None and _literal(shape) is not None
    try:
        if init is None or _literal(init) is None:
            if not has_shape:
                return FAMILY.site(unit, call, what, cannot=f"{what}: neither shape nor an "
                                   "initial value")
            kind = _dtype_kind(unit, dtype)
            if kind == "float":
                # tf.get_variable's default initializer for floating-point variables
                value = (f"{writer.path('keras.initializers.GlorotUniform')}()"
                         f"({unit.segment(shape)}{dtype_arg})")
            elif kind == "int":
                value = f"{writer.path('tf.zeros')}({unit.segment(shape)}{dtype_arg})"
            else:
                return FAMILY.site(unit, call, what, cannot=f"{what}: dtype {unit.segment(dtype)} "
                                   "not written out; its default initializer depends on it")
        elif has_shape:
            # an initializer object (TF1's translated to Keras's), called for the value
            value = f"{initializer(writer, init)}({unit.segment(shape)}{dtype_arg})"
        else:
            # no shape: the initializer is the initial value itself (a tensor or an array)
            value = unit.segment(init)
            if dtype_arg:
                value += dtype_arg
    except Cannot as exc:
        return FAMILY.site(unit, call, what, cannot=str(exc))
    args = [value, f"name={unit.segment(bound['name'])}"]
    trainable = bound.get("trainable")
    if trainable is not None and _literal(trainable) not in (None, True):
        args.append(f"trainable={unit.segment(trainable)}")
    for key in ("constraint", "synchronization", "aggregation"):
        if key in bound and _literal(bound[key]) is not None:
            args.append(f"{key}={unit.segment(bound[key])}")
    text = f"{writer.path('tf.Variable')}({', '.join(args)})"
    if sharing:
        # made on first use under its TF1 name; reuse gets the same variable (sharing.py)
        text = f"{sharing_helper.REGISTRY}.get({unit.segment(bound['name'])}, lambda: {text})"
        return FAMILY.site(unit, call, "tf.get_variable -> tf1_scopes.get(name, make a "
                           "tf.Variable): made once under its TF1 name, shared on reuse",
                           [unit.replace(call, text)], spelled)
    message = "tf.get_variable -> tf.Variable (a new variable, as without reuse; name kept)"
    inside = _name_scopes_between(unit, call)
    if inside:
        message = ("tf.get_variable -> tf.Variable; its name gains the enclosing "
                   f"tf.name_scope({', '.join(inside)}), which TF1 left out of variable names")
    return FAMILY.site(unit, call, message, [unit.replace(call, text)], spelled)


def _name_scopes_between(unit: Unit, call: ast.Call) -> list[str]:
    """TF1 name_scopes enclosing `call` below its innermost variable_scope: TF1's get_variable
    ignored them, TensorFlow 2 names variables with them."""
    found = []
    refs = ref_index.get(id(unit), {})
    for parent in _enclosing(unit, call):
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            break
        if not isinstance(parent, (ast.With, ast.AsyncWith)):
            continue
        for item in parent.items:
            expr = item.context_expr
            ref = refs.get(id(expr.func)) if isinstance(expr, ast.Call) else None
            if ref is None or not ref.v1:
                continue
            if ref.name == "tf.variable_scope":
                return found
            if ref.name == "tf.name_scope" and expr.args:
                found.append(unit.segment(expr.args[0]))
    return found


def _variable_scope(unit: Unit, call: ast.Call, sharing: bool = False) -> Site:
    what = "tf.variable_scope"
    bound = _bind(call, _VARIABLE_SCOPE)
    if bound is None:
        return FAMILY.site(unit, call, what, cannot=f"{what}: arguments that cannot be matched")
    reuse = bound.get("reuse")
    if not sharing and reuse is not None and _literal(reuse) not in (None, False):
        return FAMILY.site(unit, call, what, cannot=f"{what}(reuse=...): {_SHARING}")
    for key in ("initializer", "regularizer", "caching_device", "partitioner", "custom_getter",
                "dtype", "constraint"):
        if key in bound and _literal(bound[key]) is not None:
            return FAMILY.site(unit, call, what, cannot=f"{what}({key}=...): a default for the "
                               "variables made inside; not carried over yet")
    if "auxiliary_name_scope" in bound and _literal(bound["auxiliary_name_scope"]) is not True:
        return FAMILY.site(unit, call, what, cannot=f"{what}(auxiliary_name_scope=...)")
    holder = unit.parents.get(call)
    if not isinstance(holder, ast.withitem):
        return FAMILY.site(unit, call, what, cannot=f"{what} used other than in a with statement")
    extra_edits = []
    if holder.optional_vars is not None:
        extra_edits = _scope_object_only_reused(unit, holder) if sharing else None
        if extra_edits is None:
            return FAMILY.site(unit, call, what, cannot=f"{what}(...) as {unit.segment(holder.optional_vars)}: "
                               "a VariableScope object; TensorFlow 2 has none")
    name = bound.get("name_or_scope")
    default = bound.get("default_name")
    text = _scope_name(unit, name, default)
    if text is None:
        return FAMILY.site(unit, call, what, cannot=f"{what}: no name")
    spelled: list[ImportRequest] = []
    writer = _writer(unit, spelled)
    if sharing:
        if name is None or _literal(name) is None:
            return FAMILY.site(unit, call, what, cannot=f"{what}(default_name=...) in a file that "
                               "shares variables by name: its uniquified name is not carried "
                               "over yet")
        return FAMILY.site(unit, call, "tf.variable_scope -> tf1_scopes.scope (the TF1 name of "
                           "what is made inside; sharing by that name)",
                           [unit.replace(call, f"{sharing_helper.REGISTRY}.scope({unit.segment(name)})"),
                            *extra_edits])
    new = f"{writer.path('tf.name_scope')}({text})"
    return FAMILY.site(unit, call, "tf.variable_scope -> tf.name_scope (variables inside keep "
                       "their scoped names)", [unit.replace(call, new)], spelled)


def _scope_object_only_reused(unit: Unit, item: ast.withitem):
    """`with tf.variable_scope(...) as scope:` whose `scope` is used only for
    `scope.reuse_variables()` statements in its body (DCGAN's `if reuse: scope.reuse_variables()`):
    the edits dropping `as scope` and those statements (the registry shares by name already);
    None for any other use of the scope object."""
    target = item.optional_vars
    with_node = unit.parents.get(item)
    if not isinstance(target, ast.Name) or not isinstance(with_node, (ast.With, ast.AsyncWith)):
        return None
    statements = []
    for node in ast.walk(with_node):
        if isinstance(node, ast.Name) and node.id == target.id and node is not target:
            attribute = unit.parents.get(node)
            call = unit.parents.get(attribute)
            statement = unit.parents.get(call)
            if not (isinstance(attribute, ast.Attribute) and attribute.attr == "reuse_variables"
                    and isinstance(call, ast.Call) and not call.args and isinstance(statement, ast.Expr)):
                return None
            statements.append(statement)
    owner = next((p for p in _enclosing(unit, with_node)
                  if isinstance(p, (ast.FunctionDef, ast.AsyncFunctionDef))), unit.tree)
    if any(isinstance(n, ast.Name) and n.id == target.id and n is not target
           and not _inside(unit, n, with_node) for n in ast.walk(owner)):
        return None  # the name is used after the with statement too
    start = unit.span(item.context_expr)[1]
    edits = [Edit(start, unit.span(target)[1], "")]
    for statement in statements:
        block = _block_of(unit, statement)
        if block is not None and len(block) == 1:
            edits.append(unit.replace(statement, "pass"))  # the only statement of its block
        else:
            edits.append(unit.delete_statement(statement))
    return edits


def _inside(unit: Unit, node: ast.AST, outer: ast.AST) -> bool:
    return any(parent is outer for parent in _enclosing(unit, node))


def _block_of(unit: Unit, statement: ast.stmt):
    parent = unit.parents.get(statement)
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and statement in block:
            return block
    return None


def _scope_name(unit: Unit, name: ast.expr | None, default: ast.expr | None) -> str | None:
    if name is not None and _literal(name) is not None:
        if default is not None and _literal(default) is not None and not isinstance(
                name, ast.Constant):
            return f"{unit.segment(name)} or {unit.segment(default)}"
        return unit.segment(name)
    if default is not None and _literal(default) is not None:
        return unit.segment(default)
    return None


def _name_scope(unit: Unit, call: ast.Call) -> Site | None:
    """TF1's tf.name_scope(name, default_name=None, values=None) -> tf.name_scope(name)."""
    what = "tf.name_scope"
    bound = _bind(call, _NAME_SCOPE)
    if bound is None:
        return FAMILY.site(unit, call, what, cannot=f"{what}: arguments that cannot be matched")
    if set(bound) == {"name"} and len(call.args) == 1 and not call.keywords and (
            _literal(bound["name"]) is not None):
        return None  # already TensorFlow 2's form
    text = _scope_name(unit, bound.get("name"), bound.get("default_name"))
    if text is None:
        return FAMILY.site(unit, call, what, cannot=f"{what}: no name")
    new = f"{unit.segment(call.func)}({text})"
    if new == unit.segment(call):
        return None
    return FAMILY.site(unit, call, "tf.name_scope(name, default_name, values) -> "
                       "tf.name_scope(name)", [unit.replace(call, new)])


FAMILY = Family(
    number=3, name="variables", order=300, find=find,
    claims=("tf.get_variable", "tf.variable_scope", "tf.name_scope", "tf.AUTO_REUSE",
            "tf.get_variable_scope"),
    summary="tf.get_variable becomes tf.Variable with TF1's initial values and names; "
            "variable_scope becomes name_scope; sharing by reuse is reported")
