"""The TensorFlow functions a tf.keras op layer may name and still load under safe mode.

tf.keras 2.4-2.15 records a TF function called on Keras tensors as an op layer: TFOpLambda
(`tf.math.add(x, 1.0)`), SlicingOpLambda (`x[..., :2]`), ClassMethod (`tf.RaggedTensor.from_*`),
InstanceMethod / InstanceProperty (`r.to_tensor()`, `s.values`). On load Keras looks the name
up in the whole TF API and calls it, so a file could name any function (`io.write_file`,
`io.gfile.remove`...): that is code chosen by the file. Safe mode therefore lets through only
the names below: the pure functions tfshift's convert translates (kept equal to its table by a
test), identity and concat, x[...], and the ragged / sparse constructors and accessors. Any
other name needs --unsafe.

Standard library only, Python 3.7 (the host and every worker import it).
"""

# TFOpLambda `function`: tfshift.models.convert.keras_ops.RULES, plus identity and concat.
TF_OPS = frozenset((
    "__operators__.add", "cast", "clip_by_value", "concat", "expand_dims", "identity",
    "math.abs", "math.add", "math.ceil", "math.cos", "math.divide", "math.equal", "math.erf",
    "math.exp", "math.expm1", "math.floor", "math.floordiv", "math.greater",
    "math.greater_equal", "math.less", "math.less_equal", "math.log", "math.log1p",
    "math.logical_and", "math.logical_not", "math.logical_or", "math.maximum", "math.minimum",
    "math.multiply", "math.negative", "math.not_equal", "math.pow", "math.reciprocal",
    "math.reduce_all", "math.reduce_any", "math.reduce_logsumexp", "math.reduce_max",
    "math.reduce_mean", "math.reduce_min", "math.reduce_prod", "math.reduce_sum", "math.round",
    "math.rsqrt", "math.sigmoid", "math.sign", "math.sin", "math.softplus", "math.sqrt",
    "math.square", "math.subtract", "math.tan", "math.tanh", "math.truediv", "nn.elu",
    "nn.gelu", "nn.leaky_relu", "nn.log_softmax", "nn.relu", "nn.relu6", "nn.selu",
    "nn.sigmoid", "nn.silu", "nn.softmax", "nn.softplus", "nn.softsign", "nn.swish", "nn.tanh",
    "reshape", "squeeze", "stack", "tile", "transpose",
))
# SlicingOpLambda: x[...] on a tensor or a ragged tensor (not boolean_mask).
SLICING_OPS = frozenset(("__operators__.getitem", "__operators__.ragged_getitem"))
# ClassMethod: cls_symbol -> the class methods tf.keras dispatches (constructors only).
CLASS_METHODS = {
    "RaggedTensor": frozenset((
        "from_value_rowids", "from_row_splits", "from_row_lengths", "from_row_starts",
        "from_row_limits", "from_uniform_row_length", "from_nested_value_rowids",
        "from_nested_row_splits", "from_nested_row_lengths", "from_tensor", "from_sparse")),
}
# InstanceMethod / InstanceProperty: what tf.keras delegates on ragged and sparse Keras tensors.
INSTANCE_METHODS = frozenset((
    "value_rowids", "nested_value_rowids", "nrows", "row_starts", "row_limits", "row_lengths",
    "nested_row_lengths", "bounding_shape", "with_values", "with_flat_values",
    "with_row_splits_dtype", "merge_dims", "to_tensor", "to_sparse",
))
INSTANCE_PROPERTIES = frozenset((
    "values", "flat_values", "row_splits", "nested_row_splits", "indices", "dense_shape",
))
OP_LAYERS = ("tfoplambda", "slicingoplambda", "classmethod", "instancemethod", "instanceproperty")


def tf_function(name):
    """The TF API path a TFOpLambda names, as convert reads it: compat.v1.X is X, and tf.X is
    tf.math.X where that exists (tf.reduce_sum, tf.add)."""
    if not isinstance(name, str):
        return None
    if name.startswith("compat.v1."):
        name = name[len("compat.v1."):]
    if name in TF_OPS:
        return name
    if "math." + name in TF_OPS:
        return "math." + name
    return None


def unknown(kind, config):
    """What an op layer calls, shown as TF spells it, when it is not on the lists above; None
    when it is. `kind`: the layer's class, lower case ("tfoplambda"...)."""
    if kind == "tfoplambda":
        function = config.get("function")
        return None if tf_function(function) else "tf.%s" % (function,)
    if kind == "slicingoplambda":
        function = config.get("function")
        return None if function in SLICING_OPS else "tf.%s" % (function,)
    if kind == "classmethod":
        cls, method = config.get("cls_symbol"), config.get("method_name")
        allowed = CLASS_METHODS.get(cls) if isinstance(cls, str) else None
        return None if allowed and method in allowed else "tf.%s.%s" % (cls, method)
    attr = config.get("attr_name")
    if kind == "instancemethod":
        return None if attr in INSTANCE_METHODS else "x.%s()" % (attr,)
    if kind == "instanceproperty":
        return None if attr in INSTANCE_PROPERTIES else "x.%s" % (attr,)
    return None
