"""tf.keras's TFOpLambda and SlicingOpLambda layers as Keras 3 layers.

tf.keras 2.4-2.15 wraps a TensorFlow function called on Keras tensors (`tf.math.reduce_sum(x)`,
`x * 2.0`, `x[..., :2]`) in a TFOpLambda or SlicingOpLambda layer; Keras 3 has neither. Each one
becomes a `Lambda` holding a named `keras.ops` function (which Keras 3 loads under safe_mode), or a
merge layer (Add, Concatenate...) when it combines tensors. Only exact equivalents are mapped: any
other function or argument is a reason, naming it, to fall back to a SavedModel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    """One Keras 3 layer: a merge layer, an Identity, or a Lambda of keras.ops.<function>."""

    layer: str  # "Lambda", "Add", "Concatenate", "Identity", ...
    function: str | None = None  # keras.ops function name, for a Lambda
    arguments: dict[str, Any] = field(default_factory=dict)  # Lambda arguments / layer config
    operand: str | None = None  # a binary op's second tensor: the TF keyword holding it


@dataclass(frozen=True)
class Rule:
    """A TF function as keras.ops.<keras>(first, **arguments)."""

    keras: str
    params: dict[str, str] = field(default_factory=dict)  # TF keyword -> keras.ops keyword
    defaults: dict[str, Any] = field(default_factory=dict)  # keras.ops arguments whose default differs from TF's
    merge: str | None = None  # binary ops: the Keras 3 layer when both operands are tensors
    operand: str | None = None  # binary ops: the TF keyword of the second operand
    fixed: dict[str, Any] = field(default_factory=dict)  # TF keywords allowed only at these values


def _unary(keras: str, **kwargs: Any) -> Rule:
    return Rule(keras, **kwargs)


def _binary(keras: str, merge: str | None = None) -> Rule:
    return Rule(keras, operand="y", merge=merge)


_REDUCE = {"axis": "axis", "keepdims": "keepdims", "reduction_indices": "axis", "keep_dims": "keepdims"}

# TF API path (as TFOpLambda records it, without "tf.") -> rule.
RULES: dict[str, Rule] = {
    **{f"math.reduce_{name}": Rule(keras, params=_REDUCE) for name, keras in [
        ("sum", "sum"), ("mean", "mean"), ("max", "max"), ("min", "min"), ("prod", "prod"),
        ("any", "any"), ("all", "all"), ("logsumexp", "logsumexp")]},
    "__operators__.add": _binary("add", "Add"),
    "math.add": _binary("add", "Add"),
    "math.subtract": _binary("subtract", "Subtract"),
    "math.multiply": _binary("multiply", "Multiply"),
    "math.maximum": _binary("maximum", "Maximum"),
    "math.minimum": _binary("minimum", "Minimum"),
    "math.truediv": _binary("true_divide"),
    "math.divide": _binary("divide"),
    "math.pow": _binary("power"),
    "math.floordiv": _binary("floor_divide"),
    "math.greater": _binary("greater"),
    "math.greater_equal": _binary("greater_equal"),
    "math.less": _binary("less"),
    "math.less_equal": _binary("less_equal"),
    "math.equal": _binary("equal"),
    "math.not_equal": _binary("not_equal"),
    "math.logical_and": _binary("logical_and"),
    "math.logical_or": _binary("logical_or"),
    **{f"math.{name}": _unary(name) for name in [
        "exp", "log", "sqrt", "square", "tanh", "sigmoid", "negative", "reciprocal", "rsqrt",
        "floor", "ceil", "sign", "sin", "cos", "tan", "erf", "log1p", "expm1", "logical_not"]},
    "math.abs": _unary("abs"),
    "math.round": _unary("round"),
    "math.softplus": _unary("softplus"),
    "nn.relu": _unary("relu"),
    "nn.relu6": _unary("relu6"),
    "nn.elu": _unary("elu"),
    "nn.selu": _unary("selu"),
    "nn.softsign": _unary("softsign"),
    "nn.softplus": _unary("softplus"),
    "nn.sigmoid": _unary("sigmoid"),
    "nn.tanh": _unary("tanh"),
    "nn.silu": _unary("silu", fixed={"beta": 1.0}),
    "nn.swish": _unary("silu", fixed={"beta": 1.0}),
    "nn.gelu": _unary("gelu", params={"approximate": "approximate"}, defaults={"approximate": False}),
    "nn.leaky_relu": _unary("leaky_relu", params={"alpha": "negative_slope"},
                            defaults={"negative_slope": 0.2}),
    "nn.softmax": _unary("softmax", params={"axis": "axis"}),
    "nn.log_softmax": _unary("log_softmax", params={"axis": "axis"}),
    "reshape": _unary("reshape", params={"shape": "newshape"}),
    "expand_dims": _unary("expand_dims", params={"axis": "axis"}),
    "squeeze": _unary("squeeze", params={"axis": "axis"}),
    "transpose": _unary("transpose", params={"perm": "axes"}, fixed={"conjugate": False}),
    "cast": _unary("cast", params={"dtype": "dtype"}),
    "clip_by_value": _unary("clip", params={"clip_value_min": "x_min", "clip_value_max": "x_max"}),
    "tile": _unary("tile", params={"multiples": "repeats"}),
    "stack": _unary("stack", params={"axis": "axis"}),
}
IGNORED = ("name",)  # TF keywords that change nothing computed


def tf_op(function: str, kwargs: dict[str, Any], tensors: set[str]) -> Step | str:
    """The Keras 3 layer for TFOpLambda `function` called as function(first, **kwargs).

    `tensors`: the keywords whose value is a Keras tensor. A str is the reason it cannot map.
    """
    name = function[len("compat.v1."):] if function.startswith("compat.v1.") else function
    shown = f"tf.{function}"
    if name == "identity":
        return Step("Identity")
    if name == "concat":
        extra = _unexpected(kwargs, {"axis"}, tensors)
        if extra:
            return f"{shown}: argument {extra!r} has no Keras 3 equivalent"
        return Step("Concatenate", arguments={"axis": kwargs.get("axis", 0)})
    rule = RULES.get(name) or RULES.get(f"math.{name}")  # tf.reduce_sum is tf.math.reduce_sum
    if rule is None:
        return f"{shown} has no exact keras.ops equivalent in tfshift's table"
    arguments = dict(rule.defaults)
    operand = None
    for key, value in kwargs.items():
        if key in IGNORED:
            continue
        if key == rule.operand:
            if key in tensors:
                if rule.merge is None:
                    return f"{shown} of two tensors has no Keras 3 layer"
                operand = key
            else:
                arguments["x2"] = value
            continue
        if key in tensors:
            return f"{shown}: a tensor as argument {key!r} is not supported"
        if key in rule.fixed:
            if value != rule.fixed[key]:
                return f"{shown}: {key}={value!r} has no keras.ops equivalent"
            continue
        target = rule.params.get(key)
        if target is None:
            if value is None:
                continue  # an unused optional argument
            return f"{shown}: argument {key!r} has no keras.ops equivalent"
        if value is None and target not in rule.defaults:
            continue  # keras.ops' default is TF's "not given"
        arguments[target] = value
    if rule.operand and operand is None and "x2" not in arguments:
        return f"{shown}: its second operand is missing"
    if operand is not None:
        return Step(rule.merge or "", operand=operand)
    if name in ("nn.softmax", "nn.log_softmax") and arguments.get("axis") is None:
        arguments["axis"] = -1  # TF's axis=None is the last axis
    return Step("Lambda", rule.keras, arguments)


COMMUTATIVE = ("math.multiply", "math.add", "__operators__.add", "math.maximum", "math.minimum")


def constant_first(function: str, constant: Any, kwargs: dict[str, Any],
                   tensors: set[str]) -> list[Step] | Step | str:
    """function(constant, y=tensor): the steps that apply it to the tensor y."""
    shown = f"tf.{function}"
    if "y" not in tensors:
        return f"{shown} with a constant as its first operand"
    if function in COMMUTATIVE:
        return tf_op(function, dict(kwargs, y=constant), tensors - {"y"})
    if function == "math.subtract" and set(kwargs) <= {"y", "name"}:
        # c - y is c + (-y) exactly: IEEE subtraction adds the negated operand.
        return [Step("Lambda", "negative"), Step("Lambda", "add", {"x2": constant})]
    return f"{shown} with a constant as its first operand"


def _unexpected(kwargs: dict[str, Any], allowed: set[str], tensors: set[str]) -> str | None:
    for key, value in kwargs.items():
        if key in IGNORED or (key in allowed and key not in tensors):
            continue
        if value is not None or key in tensors:
            return key
    return None


# -- x[...] (SlicingOpLambda)

ELLIPSIS = {"class_name": "__ellipsis__"}


def slicing(slice_spec: Any, shape: list[int | None] | None) -> list[Step] | str:
    """x[slice_spec] as keras.ops steps, each a Lambda applied to the previous one's output.

    `shape`: the static shape of x (None: unknown). Ranges become keras.ops.take with their
    indices, so an axis sliced by a range needs a known length; ints become take(x, i, axis),
    newaxis (None) becomes expand_dims.
    """
    items = list(slice_spec) if isinstance(slice_spec, list) else [slice_spec]
    if shape is None:
        return "x[...] on a tensor of unknown rank"
    shape = list(shape)
    if any(_is_tensor_ref(v) for v in _leaves(items)):
        return "x[...] with a tensor as index (a dynamic slice)"
    ellipses = [i for i, item in enumerate(items) if item == ELLIPSIS]
    if len(ellipses) > 1:
        return "x[...] with more than one Ellipsis"
    consuming = sum(1 for item in items if item is not None and item != ELLIPSIS)
    if consuming > len(shape):
        return f"x[...] indexes {consuming} axes of a rank-{len(shape)} tensor"
    full = {"start": None, "stop": None, "step": None}
    fill = [full] * (len(shape) - consuming)
    if ellipses:
        at = ellipses[0]
        items = items[:at] + fill + items[at + 1:]
    else:
        items = items + fill
    steps: list[Step] = []
    axis = 0  # position in the output built so far
    dims = iter(shape)
    for item in items:
        if item is None:  # tf.newaxis
            steps.append(Step("Lambda", "expand_dims", {"axis": axis}))
            axis += 1
            continue
        dim = next(dims)
        if isinstance(item, bool) or not isinstance(item, (int, dict)):
            return f"x[...] with index {item!r}"
        if isinstance(item, int):
            if dim is not None:
                if not -dim <= item < dim:
                    return f"x[...] index {item} is out of range for an axis of length {dim}"
                item %= dim
            steps.append(Step("Lambda", "take", {"indices": item, "axis": axis}))
            continue
        picked = _range(item, dim)
        if isinstance(picked, str):
            return picked
        if picked is not None:
            steps.append(Step("Lambda", "take", {"indices": picked, "axis": axis}))
        axis += 1
    return steps or [Step("Identity")]


def _range(item: dict[str, Any], dim: int | None) -> list[int] | str | None:
    """The indices a slice picks on an axis of length dim; None when it keeps the whole axis."""
    start, stop, step = item.get("start"), item.get("stop"), item.get("step")
    if not all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in (start, stop, step)):
        return f"x[...] with slice {start}:{stop}:{step}"
    if step == 0:
        return "x[...] with a zero slice step"
    if start is None and stop is None and step in (None, 1):
        return None
    if dim is None:
        return f"x[...] slices {start}:{stop}:{step} an axis of unknown length"
    picked = list(range(*slice(start, stop, step).indices(dim)))
    if picked == list(range(dim)):
        return None
    if not picked:
        return f"x[...] slice {start}:{stop}:{step} is empty"
    return picked


def _leaves(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, dict) and item != ELLIPSIS:
            out.extend(item.values())
        else:
            out.append(item)
    return out


def _is_tensor_ref(value: Any) -> bool:
    return (isinstance(value, list) and len(value) in (3, 4) and isinstance(value[0], str)
            and isinstance(value[1], int))
