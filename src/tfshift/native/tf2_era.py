"""Family 8: TF 2.0-era code. Variables of a custom Keras layer become `add_weight`; a
`from_generator` with `output_types` / `output_shapes` gets `output_signature`.

Keras 3 tracks only its own variables: a `tf.Variable` assigned to a layer attribute is not in
`layer.weights`, so `fit` would not train it and `save` would not save it. `add_weight` gets
the initial value's distribution written out as a Keras initializer with TensorFlow's defaults
(`tf.random.normal`'s stddev is 1.0 where Keras's "random_normal" is 0.05). (`tf.compat.v1.X`
with a TF2 equivalent becoming `X` is family 9's renamer.)
"""

from __future__ import annotations

import ast

from tfshift.native.family import Family, Site, Unit

_LAYER_BASES = {"tf.keras.layers.Layer", "tf.keras.Model", "tf.keras.models.Model", "keras.layers.Layer",
                "keras.Model", "keras.models.Model", "keras.Layer", "tf.keras.layers.Layer"}
# initial value -> (Keras initializer, its positional parameters after the shape, TF's defaults)
_INITIALIZERS = {
    "tf.random.normal": ("RandomNormal", ("mean", "stddev"), {"mean": "0.0", "stddev": "1.0"}),
    "tf.random_normal": ("RandomNormal", ("mean", "stddev"), {"mean": "0.0", "stddev": "1.0"}),
    "tf.random.uniform": ("RandomUniform", ("minval", "maxval"), {"minval": "0.0", "maxval": "1.0"}),
    "tf.random_uniform": ("RandomUniform", ("minval", "maxval"), {"minval": "0.0", "maxval": "1.0"}),
    "tf.random.truncated_normal": ("TruncatedNormal", ("mean", "stddev"), {"mean": "0.0", "stddev": "1.0"}),
    "tf.truncated_normal": ("TruncatedNormal", ("mean", "stddev"), {"mean": "0.0", "stddev": "1.0"}),
    "tf.zeros": ("Zeros", (), {}),
    "tf.ones": ("Ones", (), {}),
}


def _layer_classes(unit: Unit) -> list[ast.ClassDef]:
    found = []
    for entry in unit.entries:
        node = entry.node
        if type(node) is ast.ClassDef:
            for base in node.bases:
                qual = unit.bindings.resolve(base, entry.scopes)
                if qual and qual.replace("tf.compat.v1.", "tf.").replace("tf.compat.v2.", "tf.") in _LAYER_BASES:
                    found.append(node)
                    break
    return found


def find(unit: Unit) -> list[Site]:
    sites: list[Site] = []
    classes = _layer_classes(unit)
    if classes:
        inside = {}
        for cls in classes:
            for node in ast.walk(cls):
                inside[id(node)] = cls
        for ref in unit.calls("tf.Variable"):
            if id(ref.call) in inside:
                sites.append(_add_weight(unit, ref))
    for ref in unit.calls("tf.data.Dataset.from_generator"):
        site = _signature(unit, ref)
        if site is not None:
            sites.append(site)
    return sites


def _assigned_to_self(unit: Unit, call: ast.Call) -> bool:
    parent = unit.parents.get(call)
    return (type(parent) is ast.Assign and len(parent.targets) == 1
            and type(parent.targets[0]) is ast.Attribute
            and type(parent.targets[0].value) is ast.Name and parent.targets[0].value.id == "self")


def _add_weight(unit: Unit, ref) -> Site:
    call = ref.call
    if not _assigned_to_self(unit, call):
        return FAMILY.site(unit, ref.node, "tf.Variable in a layer",
                           cannot="a tf.Variable in a Keras layer not assigned to self.<name>: Keras 3 "
                                  "would not track it")
    value = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "initial_value"), None)
    keywords = {k.arg: k for k in call.keywords if k.arg != "initial_value"}
    if value is None or len(call.args) > 2 or set(keywords) - {"name", "trainable", "dtype"}:
        return FAMILY.site(unit, ref.node, "tf.Variable in a layer",
                           cannot="tf.Variable arguments add_weight has no counterpart for")
    trainable = unit.segment(call.args[1]) if len(call.args) > 1 else (
        unit.segment(keywords["trainable"].value) if "trainable" in keywords else "True")
    init = _initializer(unit, value, ref.scopes)
    if init is None:
        return FAMILY.site(unit, ref.node, "tf.Variable in a layer",
                           cannot="an initial value tfshift cannot turn into a Keras initializer")
    shape, initializer, imports = init
    parts = []
    if "name" in keywords:
        parts.append(f"name={unit.segment(keywords['name'].value)}")
    parts += [f"shape={shape}", f"initializer={initializer}"]
    if "dtype" in keywords:
        parts.append(f"dtype={unit.segment(keywords['dtype'].value)}")
    parts.append(f"trainable={trainable}")
    text = f"self.add_weight({', '.join(parts)})"
    return FAMILY.site(unit, ref.node, "tf.Variable -> self.add_weight", [unit.replace(call, text)], imports)


def _initializer(unit: Unit, value: ast.AST, scopes):
    if type(value) is not ast.Call:
        return None
    qual = unit.bindings.resolve(value.func, scopes)
    if not qual:
        return None
    name = qual.replace("tf.compat.v1.", "tf.").replace("tf.compat.v2.", "tf.")
    known = _INITIALIZERS.get(name)
    if known is None:
        return None
    cls, params, defaults = known
    args = list(value.args)
    keywords = {k.arg: k.value for k in value.keywords}
    shape_node = args.pop(0) if args else keywords.pop("shape", None)
    if shape_node is None:
        return None
    given = dict(zip(params, args))
    if len(args) > len(params):
        return None
    for key, node in keywords.items():
        if key in params:
            given[key] = node
        elif key in ("seed", "dtype"):
            given[key] = node
        else:
            return None
    if "dtype" in given:
        return None  # the variable's dtype would follow the initial value's; kept simple: report
    values = {p: unit.segment(given[p]) if p in given else defaults[p] for p in params}
    if "seed" in given:
        values["seed"] = unit.segment(given["seed"])
    spelled, imports = unit.spell(f"keras.initializers.{cls}")
    arguments = ", ".join(f"{k}={v}" for k, v in values.items())
    return unit.segment(shape_node), f"{spelled}({arguments})", imports


def _signature(unit: Unit, ref) -> Site | None:
    call = ref.call
    keywords = {k.arg: k for k in call.keywords}
    positional = list(call.args)
    types = keywords.get("output_types")
    shapes = keywords.get("output_shapes")
    types_node = types.value if types else (positional[1] if len(positional) > 1 else None)
    shapes_node = shapes.value if shapes else (positional[2] if len(positional) > 2 else None)
    if types_node is None or "output_signature" in keywords or len(positional) > 1:
        return None
    spec, imports = unit.spell("tf.TensorSpec")
    text = _specs(unit, types_node, shapes_node, spec)
    if text is None:
        return None  # not literal: output_types still works on TensorFlow 2
    edits = [unit.replace(types.value, text)]
    start = unit.offset(types.lineno, types.col_offset)
    edits.append(type(edits[0])(start, start + len("output_types"), "output_signature"))
    edits = [edits[1], type(edits[0])(unit.span(types.value)[0], unit.span(types.value)[1], text)]
    if shapes is not None:
        edits.append(_drop_keyword(unit, call, shapes))
    return FAMILY.site(unit, ref.node, "from_generator: output_signature", edits, imports)


def _specs(unit: Unit, types: ast.AST, shapes: ast.AST | None, spec: str) -> str | None:
    if type(types) in (ast.Tuple, ast.List):
        if shapes is not None and (type(shapes) not in (ast.Tuple, ast.List) or len(shapes.elts) != len(types.elts)):
            return None
        inner = [_specs(unit, t, shapes.elts[i] if shapes is not None else None, spec)
                 for i, t in enumerate(types.elts)]
        if None in inner:
            return None
        return "(" + ", ".join(inner) + ("," if len(inner) == 1 else "") + ")"
    if type(types) is ast.Dict:
        return None
    if type(types) not in (ast.Attribute, ast.Name) or not (unit.bindings.resolve(types) or "").startswith("tf."):
        return None  # a dtype we can see (tf.float32), not a variable that may hold a structure
    shape = unit.segment(shapes) if shapes is not None else "None"
    return f"{spec}(shape={shape}, dtype={unit.segment(types)})"


def _drop_keyword(unit: Unit, call: ast.Call, keyword: ast.keyword):
    """Remove `, keyword=value` (with the comma before it)."""
    from tfshift.native.family import Edit

    start, end = unit.offset(keyword.lineno, keyword.col_offset), unit.span(keyword.value)[1]
    before = unit.text.rfind(",", 0, start)
    following = unit.text[end:]
    stripped = following.lstrip()
    if stripped.startswith(","):  # a trailing comma after it goes too
        end += len(following) - len(stripped) + 1
        return Edit(start, end, "")
    return Edit(before, end, "")


FAMILY = Family(number=8, name="tf2-era", order=80, find=find,
                summary="custom layers' tf.Variable -> add_weight; from_generator output_signature")
