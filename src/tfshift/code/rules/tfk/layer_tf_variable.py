"""## What it does
Finds Keras layers and models that create their weights as bare TensorFlow variables
(`self.w = tf.Variable(...)`, `self.w = tf.compat.v1.get_variable(...)`) and creates them the
Keras way: `self.add_weight(...)` for `get_variable`, `keras.Variable(...)` for `tf.Variable`.

## Why is this bad?
Keras 2 tracked any `tf.Variable` assigned to a layer attribute. Keras 3 tracks only Keras
variables: the weights vanish from `layer.weights` and `trainable_weights`, so `fit` does not
train them and saving does not save them, with no error.

## Example
```python
class Scale(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.w = tf.compat.v1.get_variable("w", [input_shape[-1]],
                                           initializer=tf.compat.v1.ones_initializer())
```
Use instead:
```python
class Scale(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=[input_shape[-1]],
                                 initializer=tf.compat.v1.ones_initializer())
```

## Fix safety
Safe: the same shape, initial values, dtype and trainability. Only the variable's full name
changes (Keras 3 scopes it under the layer). Calls with `*args`, or with `get_variable`
arguments that `add_weight` has no equivalent for (`partitioner`, `collections`...), are
reported without a fix.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK009", "Keras 3 does not track tf.Variable layer attributes",
            breaks_at="2.16", keras3_only=True)
BASES = tuple(keras.paths("layers.Layer", "Model", "models.Model", "layers.RNN"))
GET_VARIABLE = ("name", "shape", "dtype", "initializer", "regularizer", "trainable")
ADD_WEIGHT_ONLY = frozenset({*GET_VARIABLE, "constraint"})
VARIABLE = ("initial_value", "trainable", "validate_shape", "caching_device", "name",
            "variable_def", "dtype")


@rule.symbols("tf.Variable", "tf.compat.v1.Variable", "tf.compat.v1.get_variable", "tf.get_variable")
def layer_variable(ctx, ref):
    call = ref.call
    if call is None or not _in_layer_method(ctx, ref):
        return
    target = _self_attribute(ctx, call)
    if target is None:
        return
    if ctx.has_star(call):
        ctx.report(call, "Keras 3 does not track this variable: create it with self.add_weight")
        return
    if ref.qual.endswith("get_variable"):
        fix = _add_weight(ctx, call)
        message = "Keras 3 does not track get_variable() weights: use self.add_weight"
    else:
        fix = _keras_variable(ctx, ref, call)
        message = "Keras 3 does not track tf.Variable attributes: use keras.Variable"
    ctx.report(call, message, fix=fix)


def _add_weight(ctx, call):
    parts = []
    for index, arg in enumerate(call.args):
        if index >= len(GET_VARIABLE):
            return None
        parts.append(f"{GET_VARIABLE[index]}={ctx.segment(arg)}")
    for keyword in call.keywords:
        if keyword.arg not in ADD_WEIGHT_ONLY:
            return None
        parts.append(ctx.segment(keyword))
    return ctx.fix(ctx.replace(call, f"self.add_weight({', '.join(parts)})"),
                   description="self.add_weight")


def _keras_variable(ctx, ref, call):
    parts = []
    for index, arg in enumerate(call.args):
        if index >= len(VARIABLE) or VARIABLE[index] not in ("initial_value", "trainable", "name", "dtype"):
            return None
        parts.append(ctx.segment(arg) if index == 0 else f"{VARIABLE[index]}={ctx.segment(arg)}")
    for keyword in call.keywords:
        if keyword.arg not in ("initial_value", "trainable", "name", "dtype"):
            return None
        text = ctx.segment(keyword)
        parts.append(text.replace("initial_value", "initializer", 1) if keyword.arg == "initial_value" else text)
    variable, imports = ctx.spell("keras.Variable", ref.scopes, at=ref.stmt)
    return ctx.fix(ctx.replace(call, f"{variable}({', '.join(parts)})"), imports=imports,
                   description="keras.Variable")


def _self_attribute(ctx, call):
    parent = ctx.parent(call)
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
        if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                and target.value.id == "self"):
            return target
    return None


def _in_layer_method(ctx, ref):
    if not ref.scopes:
        return False
    method = ref.scopes[-1]
    for node in ctx.ancestors(ref.stmt):
        if isinstance(node, ast.ClassDef):
            return method in node.body and any(_is_layer_base(ctx, b) for b in node.bases)
    return False


def _is_layer_base(ctx, node):
    from tfshift.code.names import dotted

    parts = dotted(node)
    if not parts:
        return False
    binding = ctx.bindings.module.get(parts[0])
    return binding is not None and ".".join((binding.qual, *parts[1:])) in BASES
