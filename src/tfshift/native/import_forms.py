"""Family 9: every import form, and TF1 names that TensorFlow 2 has under a name of its own.

`import tensorflow.compat.v1 as tf` and `from tensorflow.compat import v1 as tf` become
`import tensorflow as tf`; a `tf1` alias beside `tf` goes, its uses spelled through `tf`;
`tf.disable_v2_behavior()` and friends go. A TF1 name with a TF2 equivalent is spelled so
(`tf.random_normal` -> `tf.random.normal`, `tf.log` -> `tf.math.log`), keywords renamed and
arguments whose position changed named, as tf_upgrade_v2 would. Names reached through a
project's own module follow the module: the program converts as a unit (driver.py).
"""

from __future__ import annotations

import ast

from tfshift.code.names import tf1_name
from tfshift.native.family import Edit, Family, Site, Unit
from tfshift.native.names import keyword_renames, native_equivalent, reorders, same_call

_MODE_SWITCHES = ("tf.disable_v2_behavior", "tf.disable_eager_execution", "tf.enable_eager_execution",
                  "tf.enable_v2_behavior", "tf.disable_resource_variables", "tf.enable_resource_variables",
                  "tf.disable_control_flow_v2", "tf.enable_control_flow_v2", "tf.disable_tensor_equality",
                  "tf.enable_tensor_equality", "tf.disable_v2_tensorshape", "tf.enable_v2_tensorshape")


# tf.to_float(x) is tf.cast(x, tf.float32): the same op, the dtype written out.
_CASTS = {"tf.to_float": "float32", "tf.to_double": "float64", "tf.to_int32": "int32",
          "tf.to_int64": "int64", "tf.to_bfloat16": "bfloat16", "tf.to_complex64": "complex64",
          "tf.to_complex128": "complex128"}


def _cast(unit: Unit, ref) -> Site:
    call = ref.call
    if len(call.args) != 1 or any(k.arg != "name" for k in call.keywords):
        return FAMILY.site(unit, ref.node, ref.name, cannot=f"{ref.name} with arguments tfshift does not know")
    cast, imports = unit.spell("tf.cast")
    dtype, more = unit.spell(f"tf.{_CASTS[ref.name]}")
    name = "".join(f", name={unit.segment(k.value)}" for k in call.keywords)
    text = f"{cast}({unit.segment(call.args[0])}, {dtype}{name})"
    return FAMILY.site(unit, ref.node, f"{ref.name} -> tf.cast", [unit.replace(call, text)], (*imports, *more),
                       tf2=True)


def _plain_root(unit: Unit, binding) -> bool:
    """Whether this binding is (or becomes) plain `tensorflow`."""
    if binding.qual == "tf":
        return True
    if binding.qual in ("tf.compat.v1", "tf.compat.v2"):
        root, _ = unit.tf_root()
        return binding.name == root
    return False


def _through_alias(ref, parts: list[str]) -> str | None:
    """What a use through a module alias (`nn = tf.nn`, then `nn.relu`) means once the import is
    TensorFlow 2's, when the aliased module keeps its name there; None otherwise."""
    if ref.binding.kind != "assign" or not ref.v1:
        return None
    module = tf1_name(ref.binding.qual)
    if native_equivalent(module) != module:
        return None
    return ".".join((module, *parts[1:]))


def find(unit: Unit) -> list[Site]:
    sites = []
    for ref in unit.refs():
        if ref.name in _MODE_SWITCHES and ref.call is not None:
            stmt = unit.parents.get(ref.call)
            if isinstance(stmt, ast.Expr):
                sites.append(FAMILY.site(unit, stmt, f"{ref.name}() removed: TensorFlow 2 runs eagerly",
                                         [unit.delete_statement(stmt)]))
            continue
        if not ref.v1 and not ref.binding.qual.startswith("tf.compat.v2"):
            continue
        if ref.v1 and ref.name in _CASTS and ref.call is not None:
            sites.append(_cast(unit, ref))
            continue
        from tfshift.native.registry import claimed

        if claimed(ref.name):
            continue
        if ref.v1 and ref.name == "tf.nn.softmax_cross_entropy_with_logits" and ref.call is not None:
            site = _stop_label_gradient(unit, ref)
            if site is not None:
                sites.append(site)
            continue
        new = native_equivalent(ref.name) if ref.v1 else ref.name
        if new is None and same_call(ref.name, ref.call):
            new = ref.name
        if new is None:
            continue  # the residue check reports it unless a family rewrites it
        if isinstance(ref.node, ast.Name) and not isinstance(ref.node.ctx, ast.Load):
            continue  # an alias's own target (`nn = tf.nn`) is a name, not a use of TensorFlow
        parts = unit.segment(ref.node).split(".")
        means = ".".join(("tf", *parts[1:])) if _plain_root(unit, ref.binding) else _through_alias(ref, parts)
        edits: list[Edit] = []
        imports = ()
        if means != new:
            text, imports = unit.spell(new)
            edits.append(unit.replace(ref.node, text))
        if ref.call is not None and ref.v1:
            extra = _arguments(unit, ref)
            if extra is None:
                sites.append(FAMILY.site(unit, ref.node, ref.name, cannot=f"{ref.name}: an argument "
                                         "TensorFlow 2 no longer takes"))
                continue
            edits.extend(extra)
        if edits:
            sites.append(FAMILY.site(unit, ref.node, f"{ref.name} -> {new}", edits, imports, tf2=True))
    return sites


def _stop_label_gradient(unit: Unit, ref) -> Site | None:
    """TF1's softmax_cross_entropy_with_logits does not backpropagate into labels; TF2's does."""
    from tfshift.native.names import same_call

    if same_call(ref.name, ref.call):
        return None
    labels = next((k.value for k in ref.call.keywords if k.arg == "labels"), None)
    if labels is None or ref.call.args:
        return FAMILY.site(unit, ref.node, ref.name, cannot=f"{ref.name} without labels= and logits=")
    stop, imports = unit.spell("tf.stop_gradient")
    edits = [unit.replace(labels, f"{stop}({unit.segment(labels)})")]
    means = _plain_root(unit, ref.binding) and unit.segment(ref.node).startswith(ref.binding.name + ".nn.")
    if not means:
        text, more = unit.spell("tf.nn.softmax_cross_entropy_with_logits")
        edits.append(unit.replace(ref.node, text))
        imports = (*imports, *more)
    return FAMILY.site(unit, ref.node, f"{ref.name}: labels get no gradient, as in TF1", edits, imports)


def _arguments(unit: Unit, ref) -> list[Edit] | None:
    """Keyword renames and positional arguments whose position changed, as tf_upgrade_v2."""
    call = ref.call
    edits = []
    renames = keyword_renames(ref.name)
    order = reorders(ref.name)
    if order:
        fixed = 0
        while fixed < len(order) and order[fixed] is None:
            fixed += 1
        for index, arg in enumerate(call.args):
            if index < fixed:
                continue
            if index >= len(order) or isinstance(arg, ast.Starred):
                return None
            name = renames.get(order[index], order[index]) if order[index] in renames else order[index]
            if name is None:
                return None
            start, _ = unit.span(arg)
            edits.append(Edit(start, start, f"{name}="))
    for keyword in call.keywords:
        if keyword.arg in renames:
            new = renames[keyword.arg]
            if new is None:
                return None
            start = unit.offset(keyword.lineno, keyword.col_offset)
            edits.append(Edit(start, start + len(keyword.arg), new))
    return edits


def _finish(unit: Unit) -> list[Site]:
    """The imports themselves, once every use is native (runs last)."""
    used = {}
    for ref in unit.refs():
        used[id(ref.binding.node)] = True
    root, _ = unit.tf_root()
    sites = []
    for entry in unit.entries:
        node = entry.node
        if type(node) is ast.Import:
            keep, changed = [], False
            for alias in node.names:
                text = _alias_text(alias)
                module = alias.name
                if module in ("tensorflow.compat.v1", "tensorflow.compat.v2") and alias.asname:
                    if alias.asname == root:
                        text, changed = f"import tensorflow as {alias.asname}"[7:], True
                    elif not used.get(id(alias)):
                        text, changed = None, True
                if text is not None:
                    keep.append(text)
            if changed:
                sites.append(_rewrite(unit, node, "import " + ", ".join(keep) if keep else None))
        elif type(node) is ast.ImportFrom and not node.level and node.module and (
                node.module == "tensorflow.compat" or node.module.startswith("tensorflow.compat.")):
            keep, changed = [], False
            imports = []
            for alias in node.names:
                local = alias.asname or alias.name
                if node.module == "tensorflow.compat" and alias.name in ("v1", "v2") and local == root:
                    imports.append(f"import tensorflow as {local}")
                    changed = True
                elif not used.get(id(alias)):
                    changed = True
                else:
                    keep.append(_alias_text(alias))
            if changed:
                lines = list(imports)
                if keep:
                    lines.append(f"from {node.module} import {', '.join(keep)}")
                sites.append(_rewrite(unit, node, unit.newline.join(lines) if lines else None))
    return sites


def _alias_text(alias: ast.alias) -> str:
    return f"{alias.name} as {alias.asname}" if alias.asname else alias.name


def _rewrite(unit: Unit, node: ast.stmt, text: str | None) -> Site:
    if text is None:
        indent_only = not unit.text[unit.starts[node.lineno - 1]:unit.offset(node.lineno, node.col_offset)].strip()
        if indent_only and not _only_statement(unit, node):
            return FAMILY.site(unit, node, "compat import removed", [unit.delete_statement(node)])
        text = "pass"
    return FAMILY.site(unit, node, "import made native", [unit.replace(node, text)])


def _only_statement(unit: Unit, node: ast.stmt) -> bool:
    """The sole statement of a block (deleting it would leave the block empty)."""
    for entry in unit.entries:
        if entry.node is node:
            parent = entry.parent
            if parent is None:
                return False
            for name in ("body", "orelse", "finalbody"):
                block = getattr(parent.node, name, None)
                if isinstance(block, list) and node in block:
                    return len(block) == 1
    return False


FAMILY = Family(
    number=9, name="import-forms", order=900, find=find,
    claims=(*_MODE_SWITCHES, *_CASTS),
    summary="compat.v1 imports in every form become `import tensorflow`; TF1 names with a TF2 "
            "equivalent are spelled so; eager-mode switches go")

FINISH = Family(number=9, name="import-forms-finish", order=1000, find=_finish, last=True,
                summary="the import statements themselves, once every use is native")

FAMILIES = (FAMILY, FINISH)
