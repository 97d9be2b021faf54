"""TF1 layer functions and their Keras 3 replacements, with every default written out (pure data).

Each TF1 parameter says what it becomes in Keras 3 and what TF 1.15 did when it was left out,
checked against TF 1.15.5's own signatures and sources (`tensorflow_core/python/layers`,
`contrib/layers/python/layers/layers.py`, `python/ops/init_ops.py`) and Keras 3.15's; the
differences that matter are why this table exists:

- `tf.layers.*` kernels default to `tf.get_variable`'s initializer, glorot_uniform, biases to
  zeros (the same as Keras); `tf.contrib.layers.*` / `slim.*` default to `xavier_initializer()`
  (glorot_uniform too), but to `activation_fn=relu` and `padding="SAME"` (Keras: none, "valid").
- batch norm: `tf.layers.batch_normalization` momentum 0.99, epsilon 1e-3, center and scale,
  `training=False`; contrib/slim `batch_norm` decay 0.999, epsilon 0.001, center, **scale=False**
  and `is_training=True`.
- dropout: `tf.layers.dropout(rate=0.5, training=False)`; contrib/slim
  `dropout(keep_prob=0.5, is_training=True)`.
- pooling: contrib/slim `max_pool2d` / `avg_pool2d` default to stride 2 and "VALID".
- `embed_sequence`: glorot_uniform embeddings (Keras `Embedding`: uniform(-0.05, 0.05)).
- initializers: TF1 `truncated_normal_initializer` / `random_normal_initializer` default to
  stddev 1.0 and `random_uniform_initializer` to [0, 1) (Keras 3: 0.05 and [-0.05, 0.05));
  contrib's truncated `variance_scaling_initializer` uses stddev sqrt(1.3 * factor / n), not
  Keras's sqrt(scale / n) / 0.8796..., so its scale is converted.
- regularizers: contrib `l2_regularizer(s)` is `s * tf.nn.l2_loss(w)` = s * sum(w**2) / 2; Keras
  `L2(l2)` is l2 * sum(w**2), so the factor is halved.

Default values are Python source text (what the rewrite writes); `None` marks a required one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

REQUIRED = None

# What a parameter becomes. The kinds are interpreted by layers.py.
SAME = "same"            # the Keras keyword `to`, the value as written
INIT = "initializer"     # an initializer, translated (initializers below)
REG = "regularizer"      # a regularizer, translated (regularizers below)
ACTIVATION = "activation"
PADDING = "padding"      # "SAME"/"same" -> "same"
DATA_FORMAT = "data_format"  # NHWC/NCHW/channels_* -> channels_*
CALL = "call"            # an argument of the layer call, not of the constructor (training)
INPUT = "input"          # the layer's input tensor
NAME = "name"            # the layer's name (tf.layers name=, contrib scope=)
REUSE = "reuse"          # variable sharing by scope name (family 3)
KEEP_PROB = "keep_prob"  # contrib dropout: rate = 1 - keep_prob
DROP = "drop"            # no Keras counterpart, no effect on the numbers (fused=...)
UNSUPPORTED = "unsupported"  # only its default can be rewritten; any other value is reported
SPECIAL = "special"      # handled by a rule in layers.py (normalizer_fn, param_initializers)


@dataclass(frozen=True)
class Param:
    name: str                 # the TF1 parameter
    default: str | None       # TF 1.15's default, as source text (None: required)
    kind: str = SAME
    to: str | None = None     # the Keras 3 keyword (defaults to `name` for SAME)
    keras_default: str | None = None  # Keras 3's own default for `to` (None: required/none)
    why: str = ""             # for UNSUPPORTED: why another value cannot be carried over


@dataclass(frozen=True)
class Layer:
    tf1: str                  # canonical TF1 name: tf.layers.dense, tf.contrib.layers.conv2d
    keras: str                # keras.layers class
    params: tuple[Param, ...]
    # TF1 variable name (last component) -> Keras weight name, for checkpoint name maps.
    weights: dict[str, str] = field(default_factory=dict)
    note: str = ""            # a difference that stays (reported at the site)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


P = Param
_NONE = "None"

# --- shared pieces ------------------------------------------------------------------------------

def _tf_layers_conv_params(rank: int, transpose: bool = False) -> tuple[Param, ...]:
    one = "1" if rank == 1 else "(" + ", ".join(["1"] * rank) + ")"
    params = [
        P("inputs", REQUIRED, INPUT),
        P("filters", REQUIRED),
        P("kernel_size", REQUIRED),
        P("strides", one, keras_default=one),
        P("padding", '"valid"', PADDING, keras_default='"valid"'),
        P("data_format", '"channels_last"', DATA_FORMAT, keras_default='"channels_last"'),
    ]
    if not transpose:
        params.append(P("dilation_rate", one, keras_default=one))
    params += [
        P("activation", _NONE, ACTIVATION, keras_default=_NONE),
        P("use_bias", "True", keras_default="True"),
        # None: tf.get_variable's default initializer, glorot_uniform for float variables.
        P("kernel_initializer", '"glorot_uniform"', INIT, keras_default='"glorot_uniform"'),
        P("bias_initializer", '"zeros"', INIT, keras_default='"zeros"'),
        P("kernel_regularizer", _NONE, REG, keras_default=_NONE),
        P("bias_regularizer", _NONE, REG, keras_default=_NONE),
        P("activity_regularizer", _NONE, REG, keras_default=_NONE),
        P("kernel_constraint", _NONE, keras_default=_NONE),
        P("bias_constraint", _NONE, keras_default=_NONE),
        P("trainable", "True", keras_default="True"),
        P("name", _NONE, NAME),
        P("reuse", _NONE, REUSE),
    ]
    return tuple(params)


def _tf_layers_separable_params(rank: int) -> tuple[Param, ...]:
    one = "1" if rank == 1 else "(" + ", ".join(["1"] * rank) + ")"
    return (
        P("inputs", REQUIRED, INPUT),
        P("filters", REQUIRED),
        P("kernel_size", REQUIRED),
        P("strides", one, keras_default=one),
        P("padding", '"valid"', PADDING, keras_default='"valid"'),
        P("data_format", '"channels_last"', DATA_FORMAT, keras_default='"channels_last"'),
        P("dilation_rate", one, keras_default=one),
        P("depth_multiplier", "1", keras_default="1"),
        P("activation", _NONE, ACTIVATION, keras_default=_NONE),
        P("use_bias", "True", keras_default="True"),
        P("depthwise_initializer", '"glorot_uniform"', INIT, keras_default='"glorot_uniform"'),
        P("pointwise_initializer", '"glorot_uniform"', INIT, keras_default='"glorot_uniform"'),
        P("bias_initializer", '"zeros"', INIT, keras_default='"zeros"'),
        P("depthwise_regularizer", _NONE, REG, keras_default=_NONE),
        P("pointwise_regularizer", _NONE, REG, keras_default=_NONE),
        P("bias_regularizer", _NONE, REG, keras_default=_NONE),
        P("activity_regularizer", _NONE, REG, keras_default=_NONE),
        P("depthwise_constraint", _NONE, keras_default=_NONE),
        P("pointwise_constraint", _NONE, keras_default=_NONE),
        P("bias_constraint", _NONE, keras_default=_NONE),
        P("trainable", "True", keras_default="True"),
        P("name", _NONE, NAME),
        P("reuse", _NONE, REUSE),
    )


def _tf_layers_pool_params() -> tuple[Param, ...]:
    return (
        P("inputs", REQUIRED, INPUT),
        P("pool_size", REQUIRED),
        P("strides", REQUIRED),
        P("padding", '"valid"', PADDING, keras_default='"valid"'),
        P("data_format", '"channels_last"', DATA_FORMAT, keras_default='"channels_last"'),
        P("name", _NONE, NAME),
    )


_COLLECTIONS_WHY = ("TF2 has no graph collections; Keras tracks a layer's variables and "
                    "outputs itself")


def _contrib_tail(weights: bool = True) -> tuple[Param, ...]:
    tail = []
    if weights:
        tail += [P("reuse", _NONE, REUSE),
                 P("variables_collections", _NONE, UNSUPPORTED, why=_COLLECTIONS_WHY)]
    tail += [P("outputs_collections", _NONE, UNSUPPORTED, why=_COLLECTIONS_WHY)]
    if weights:
        tail += [P("trainable", "True", keras_default="True")]
    tail += [P("scope", _NONE, NAME)]
    return tuple(tail)


def _contrib_conv_params(default_format: str, *, rate: bool = True) -> tuple[Param, ...]:
    params = [
        P("inputs", REQUIRED, INPUT),
        P("num_outputs", REQUIRED, to="filters"),
        P("kernel_size", REQUIRED),
        P("stride", "1", to="strides", keras_default="1"),
        P("padding", '"same"', PADDING, keras_default='"valid"'),
        P("data_format", default_format, DATA_FORMAT, keras_default='"channels_last"'),
    ]
    if rate:
        params.append(P("rate", "1", to="dilation_rate", keras_default="1"))
    params += [
        P("activation_fn", '"relu"', ACTIVATION, to="activation", keras_default=_NONE),
        P("normalizer_fn", _NONE, SPECIAL),
        P("normalizer_params", _NONE, SPECIAL),
        # xavier_initializer(): variance_scaling(1.0, FAN_AVG, uniform) = glorot_uniform.
        P("weights_initializer", '"glorot_uniform"', INIT, to="kernel_initializer",
          keras_default='"glorot_uniform"'),
        P("weights_regularizer", _NONE, REG, to="kernel_regularizer", keras_default=_NONE),
        P("biases_initializer", '"zeros"', INIT, to="bias_initializer", keras_default='"zeros"'),
        P("biases_regularizer", _NONE, REG, to="bias_regularizer", keras_default=_NONE),
    ]
    return tuple(params) + _contrib_tail()


_KERNEL_WEIGHTS = {"kernel": "kernel", "bias": "bias"}
_CONTRIB_WEIGHTS = {"weights": "kernel", "biases": "bias"}
_BN_WEIGHTS = {"gamma": "gamma", "beta": "beta", "moving_mean": "moving_mean",
               "moving_variance": "moving_variance"}

_BESSEL = ("moving variance: TF1's fused batch norm (4-D inputs) updates it with the unbiased "
           "batch variance (x m/(m-1), m = values per channel), Keras 3 with the biased one; "
           "outputs in training and the moving mean are the same")
_BESSEL_CONTRIB = _BESSEL.replace("(4-D inputs)", "(2-D and 4-D inputs)")

# --- tf.layers ----------------------------------------------------------------------------------

TF_LAYERS: dict[str, Layer] = {}


def _add(table: dict[str, Layer], layer: Layer) -> None:
    table[layer.tf1] = layer


_add(TF_LAYERS, Layer("tf.layers.dense", "Dense", (
    P("inputs", REQUIRED, INPUT),
    P("units", REQUIRED),
    P("activation", _NONE, ACTIVATION, keras_default=_NONE),
    P("use_bias", "True", keras_default="True"),
    P("kernel_initializer", '"glorot_uniform"', INIT, keras_default='"glorot_uniform"'),
    P("bias_initializer", '"zeros"', INIT, keras_default='"zeros"'),
    P("kernel_regularizer", _NONE, REG, keras_default=_NONE),
    P("bias_regularizer", _NONE, REG, keras_default=_NONE),
    P("activity_regularizer", _NONE, REG, keras_default=_NONE),
    P("kernel_constraint", _NONE, keras_default=_NONE),
    P("bias_constraint", _NONE, keras_default=_NONE),
    P("trainable", "True", keras_default="True"),
    P("name", _NONE, NAME),
    P("reuse", _NONE, REUSE),
), _KERNEL_WEIGHTS))

for _rank in (1, 2, 3):
    _add(TF_LAYERS, Layer(f"tf.layers.conv{_rank}d", f"Conv{_rank}D",
                          _tf_layers_conv_params(_rank), _KERNEL_WEIGHTS))
    for _kind, _cls in (("max", "Max"), ("average", "Average")):
        _add(TF_LAYERS, Layer(f"tf.layers.{_kind}_pooling{_rank}d", f"{_cls}Pooling{_rank}D",
                              _tf_layers_pool_params()))
for _rank in (2, 3):
    _add(TF_LAYERS, Layer(f"tf.layers.conv{_rank}d_transpose", f"Conv{_rank}DTranspose",
                          _tf_layers_conv_params(_rank, transpose=True), _KERNEL_WEIGHTS))
for _rank in (1, 2):
    _add(TF_LAYERS, Layer(f"tf.layers.separable_conv{_rank}d", f"SeparableConv{_rank}D",
                          _tf_layers_separable_params(_rank),
                          {"depthwise_kernel": "depthwise_kernel",
                           "pointwise_kernel": "pointwise_kernel", "bias": "bias"}))

_add(TF_LAYERS, Layer("tf.layers.batch_normalization", "BatchNormalization", (
    P("inputs", REQUIRED, INPUT),
    P("axis", "-1", keras_default="-1"),
    P("momentum", "0.99", keras_default="0.99"),
    P("epsilon", "0.001", keras_default="0.001"),
    P("center", "True", keras_default="True"),
    P("scale", "True", keras_default="True"),
    P("beta_initializer", '"zeros"', INIT, keras_default='"zeros"'),
    P("gamma_initializer", '"ones"', INIT, keras_default='"ones"'),
    P("moving_mean_initializer", '"zeros"', INIT, keras_default='"zeros"'),
    P("moving_variance_initializer", '"ones"', INIT, keras_default='"ones"'),
    P("beta_regularizer", _NONE, REG, keras_default=_NONE),
    P("gamma_regularizer", _NONE, REG, keras_default=_NONE),
    P("beta_constraint", _NONE, keras_default=_NONE),
    P("gamma_constraint", _NONE, keras_default=_NONE),
    # TF1's default is inference; Keras 3 would follow fit()'s training flag, so it is written.
    P("training", "False", CALL),
    P("trainable", "True", keras_default="True"),
    P("name", _NONE, NAME),
    P("reuse", _NONE, REUSE),
    P("renorm", "False", UNSUPPORTED, why="batch renormalization is not carried over yet"),
    P("renorm_clipping", _NONE, UNSUPPORTED, why="batch renormalization is not carried over yet"),
    P("renorm_momentum", "0.99", UNSUPPORTED, why="batch renormalization is not carried over yet"),
    P("fused", _NONE, DROP),
    P("virtual_batch_size", _NONE, UNSUPPORTED,
      why="Keras 3 BatchNormalization has no virtual batches (ghost batch norm)"),
    P("adjustment", _NONE, UNSUPPORTED,
      why="Keras 3 BatchNormalization has no `adjustment` function"),
), _BN_WEIGHTS, note=_BESSEL))

_add(TF_LAYERS, Layer("tf.layers.dropout", "Dropout", (
    P("inputs", REQUIRED, INPUT),
    P("rate", "0.5"),
    P("noise_shape", _NONE, keras_default=_NONE),
    P("seed", _NONE, keras_default=_NONE),
    P("training", "False", CALL),
    P("name", _NONE, NAME),
)))

_add(TF_LAYERS, Layer("tf.layers.flatten", "Flatten", (
    P("inputs", REQUIRED, INPUT),
    P("name", _NONE, NAME),
    P("data_format", '"channels_last"', DATA_FORMAT, keras_default='"channels_last"'),
)))

# --- tf.contrib.layers (slim.* are the same functions) ------------------------------------------

CONTRIB: dict[str, Layer] = {}

_add(CONTRIB, Layer("tf.contrib.layers.fully_connected", "Dense", (
    P("inputs", REQUIRED, INPUT),
    P("num_outputs", REQUIRED, to="units"),
    P("activation_fn", '"relu"', ACTIVATION, to="activation", keras_default=_NONE),
    P("normalizer_fn", _NONE, SPECIAL),
    P("normalizer_params", _NONE, SPECIAL),
    P("weights_initializer", '"glorot_uniform"', INIT, to="kernel_initializer",
      keras_default='"glorot_uniform"'),
    P("weights_regularizer", _NONE, REG, to="kernel_regularizer", keras_default=_NONE),
    P("biases_initializer", '"zeros"', INIT, to="bias_initializer", keras_default='"zeros"'),
    P("biases_regularizer", _NONE, REG, to="bias_regularizer", keras_default=_NONE),
    *_contrib_tail()), _CONTRIB_WEIGHTS))

# conv2d/convolution2d pick their rank from the input's (conv_dims=None: 1-D, 2-D or 3-D); the
# rewrite writes the rank the name says, which is what the input must have had for 2-D names.
for _name, _cls, _fmt in (("conv1d", "Conv1D", _NONE), ("conv2d", "Conv2D", _NONE),
                          ("convolution2d", "Conv2D", _NONE), ("conv3d", "Conv3D", _NONE),
                          ("convolution3d", "Conv3D", _NONE)):
    _add(CONTRIB, Layer(f"tf.contrib.layers.{_name}", _cls, _contrib_conv_params(_fmt),
                        _CONTRIB_WEIGHTS))
for _name in ("conv2d_transpose", "convolution2d_transpose"):
    _add(CONTRIB, Layer(f"tf.contrib.layers.{_name}", "Conv2DTranspose",
                        _contrib_conv_params('"NHWC"', rate=False), _CONTRIB_WEIGHTS))
_add(CONTRIB, Layer("tf.contrib.layers.conv3d_transpose", "Conv3DTranspose",
                    _contrib_conv_params('"NDHWC"', rate=False), _CONTRIB_WEIGHTS))

# separable_conv2d: num_outputs=None is a depthwise convolution only (DepthwiseConv2D);
# pointwise_initializer=None takes weights_initializer.
_add(CONTRIB, Layer("tf.contrib.layers.separable_conv2d", "SeparableConv2D", (
    P("inputs", REQUIRED, INPUT),
    P("num_outputs", REQUIRED, SPECIAL, to="filters"),
    P("kernel_size", REQUIRED),
    P("depth_multiplier", "1", keras_default="1"),
    P("stride", "1", to="strides", keras_default="1"),
    P("padding", '"same"', PADDING, keras_default='"valid"'),
    P("data_format", '"NHWC"', DATA_FORMAT, keras_default='"channels_last"'),
    P("rate", "1", to="dilation_rate", keras_default="1"),
    P("activation_fn", '"relu"', ACTIVATION, to="activation", keras_default=_NONE),
    P("normalizer_fn", _NONE, SPECIAL),
    P("normalizer_params", _NONE, SPECIAL),
    P("weights_initializer", '"glorot_uniform"', INIT, to="depthwise_initializer",
      keras_default='"glorot_uniform"'),
    P("pointwise_initializer", _NONE, SPECIAL, to="pointwise_initializer",
      keras_default='"glorot_uniform"'),
    P("weights_regularizer", _NONE, REG, to="depthwise_regularizer", keras_default=_NONE),
    P("biases_initializer", '"zeros"', INIT, to="bias_initializer", keras_default='"zeros"'),
    P("biases_regularizer", _NONE, REG, to="bias_regularizer", keras_default=_NONE),
    *_contrib_tail()), {"depthwise_weights": "depthwise_kernel",
                      "pointwise_weights": "pointwise_kernel", "biases": "bias"}))

for _name, _cls, _fmt in (("max_pool2d", "MaxPooling2D", '"NHWC"'),
                          ("avg_pool2d", "AveragePooling2D", '"NHWC"'),
                          ("max_pool3d", "MaxPooling3D", '"NDHWC"'),
                          ("avg_pool3d", "AveragePooling3D", '"NDHWC"')):
    _add(CONTRIB, Layer(f"tf.contrib.layers.{_name}", _cls, (
        P("inputs", REQUIRED, INPUT),
        P("kernel_size", REQUIRED, to="pool_size"),
        P("stride", "2", to="strides", keras_default=_NONE),
        P("padding", '"valid"', PADDING, keras_default='"valid"'),
        P("data_format", _fmt, DATA_FORMAT, keras_default='"channels_last"'),
        *_contrib_tail(weights=False))))

_add(CONTRIB, Layer("tf.contrib.layers.batch_norm", "BatchNormalization", (
    P("inputs", REQUIRED, INPUT),
    P("decay", "0.999", to="momentum", keras_default="0.99"),
    P("center", "True", keras_default="True"),
    P("scale", "False", keras_default="True"),
    P("epsilon", "0.001", keras_default="0.001"),
    P("activation_fn", _NONE, SPECIAL),
    P("param_initializers", _NONE, SPECIAL),
    P("param_regularizers", _NONE, SPECIAL),
    # In TF1 the moving averages were updated only when the UPDATE_OPS ran (or in place with
    # updates_collections=None); Keras updates them whenever it is called in training.
    P("updates_collections", '"update_ops"', DROP),
    P("is_training", "True", CALL, to="training"),
    P("reuse", _NONE, REUSE),
    P("variables_collections", _NONE, UNSUPPORTED, why=_COLLECTIONS_WHY),
    P("outputs_collections", _NONE, UNSUPPORTED, why=_COLLECTIONS_WHY),
    P("trainable", "True", keras_default="True"),
    P("batch_weights", _NONE, UNSUPPORTED,
      why="Keras 3 BatchNormalization has no per-example weights"),
    P("fused", _NONE, DROP),
    P("data_format", '"NHWC"', SPECIAL, to="axis"),
    P("zero_debias_moving_mean", "False", UNSUPPORTED,
      why="Keras 3 BatchNormalization has no zero-debiased moving mean"),
    P("scope", _NONE, NAME),
    P("renorm", "False", UNSUPPORTED, why="batch renormalization is not carried over yet"),
    P("renorm_clipping", _NONE, UNSUPPORTED, why="batch renormalization is not carried over yet"),
    P("renorm_decay", "0.99", UNSUPPORTED, why="batch renormalization is not carried over yet"),
    P("adjustment", _NONE, UNSUPPORTED,
      why="Keras 3 BatchNormalization has no `adjustment` function"),
), {"beta": "beta", "gamma": "gamma", "moving_mean": "moving_mean",
    "moving_variance": "moving_variance"}, note=_BESSEL_CONTRIB))

_add(CONTRIB, Layer("tf.contrib.layers.dropout", "Dropout", (
    P("inputs", REQUIRED, INPUT),
    P("keep_prob", "0.5", KEEP_PROB, to="rate"),
    P("noise_shape", _NONE, keras_default=_NONE),
    P("is_training", "True", CALL, to="training"),
    P("outputs_collections", _NONE, UNSUPPORTED, why=_COLLECTIONS_WHY),
    P("scope", _NONE, NAME),
    P("seed", _NONE, keras_default=_NONE),
)))

_add(CONTRIB, Layer("tf.contrib.layers.flatten", "Flatten", (
    P("inputs", REQUIRED, INPUT),
    *_contrib_tail(weights=False))))

# embed_sequence's initializer=None is the variable scope's default, glorot_uniform; Keras
# Embedding's own default is "uniform" (-0.05, 0.05), so it is written out.
_add(CONTRIB, Layer("tf.contrib.layers.embed_sequence", "Embedding", (
    P("ids", REQUIRED, INPUT),
    P("vocab_size", REQUIRED, to="input_dim"),
    P("embed_dim", REQUIRED, to="output_dim"),
    P("unique", "False", UNSUPPORTED, why="unique ids are looked up once in TF1 (an "
      "optimization with the same result); pass unique=False or drop it"),
    P("initializer", '"glorot_uniform"', INIT, to="embeddings_initializer",
      keras_default='"uniform"'),
    P("regularizer", _NONE, REG, to="embeddings_regularizer", keras_default=_NONE),
    P("trainable", "True", keras_default="True"),
    P("scope", _NONE, NAME),
    P("reuse", _NONE, REUSE),
), {"embeddings": "embeddings"}))

# slim.* are these very functions (tf.contrib.slim re-exports tf.contrib.layers), and so is the
# standalone tf_slim package.
SLIM_ALIASES = {name.rsplit(".", 1)[1]: name for name in CONTRIB}
SLIM_ALIASES.update({"conv2d": "tf.contrib.layers.conv2d"})

LAYERS: dict[str, Layer] = {**TF_LAYERS, **CONTRIB}

# contrib's layer_norm normalizes over every axis from begin_norm_axis=1 with epsilon 1e-12 and
# parameters of the last axis only; Keras 3 LayerNormalization's parameters span every
# normalized axis, so only rank-2 inputs (or begin_norm_axis=-1) agree.
CANNOT = {
    "tf.contrib.layers.layer_norm": (
        "contrib layer_norm normalizes over axes 1..rank-1 with last-axis parameters and "
        "epsilon 1e-12; Keras LayerNormalization's parameters span every normalized axis, and "
        "the input's rank is not known here"),
    "tf.contrib.layers.repeat": "slim.repeat builds layers in nested scopes; write a loop",
    "tf.contrib.layers.stack": "slim.stack builds layers in nested scopes; write a loop",
    "tf.contrib.layers.conv2d_in_plane": "Keras has no in-plane convolution",
    "tf.contrib.layers.unit_norm": "write tf.math.l2_normalize(x, axis, epsilon=1e-7)",
}

# --- initializers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Initializer:
    tf1: str
    keras: str                      # keras.initializers class
    params: tuple[Param, ...]       # TF1 parameters; `to` None = dropped (dtype)
    note: str = ""


INITIALIZERS: dict[str, Initializer] = {}


def _init(tf1_names: tuple[str, ...], keras: str, params: tuple[Param, ...]) -> None:
    for name in tf1_names:
        INITIALIZERS[name] = Initializer(name, keras, params)


_DTYPE = P("dtype", "tf.float32", DROP)
_SEED = P("seed", _NONE, keras_default=_NONE)
_init(("tf.zeros_initializer", "tf.initializers.zeros", "tf.keras.initializers.zeros"),
      "Zeros", (_DTYPE,))
_init(("tf.ones_initializer", "tf.initializers.ones", "tf.keras.initializers.ones"),
      "Ones", (_DTYPE,))
_init(("tf.constant_initializer", "tf.initializers.constant"), "Constant", (
    P("value", "0", keras_default="0.0"), _DTYPE,
    P("verify_shape", "False", UNSUPPORTED, why="Keras initializers do not verify shapes")))
_init(("tf.random_uniform_initializer", "tf.initializers.random_uniform"), "RandomUniform", (
    P("minval", "0", keras_default="-0.05"),
    # maxval=None is 1 for floating-point variables.
    P("maxval", "1.0", keras_default="0.05"), _SEED, _DTYPE))
_init(("tf.random_normal_initializer", "tf.initializers.random_normal"), "RandomNormal", (
    P("mean", "0.0", keras_default="0.0"), P("stddev", "1.0", keras_default="0.05"),
    _SEED, _DTYPE))
_init(("tf.truncated_normal_initializer", "tf.initializers.truncated_normal"),
      "TruncatedNormal", (
          P("mean", "0.0", keras_default="0.0"), P("stddev", "1.0", keras_default="0.05"),
          _SEED, _DTYPE))
_init(("tf.variance_scaling_initializer", "tf.initializers.variance_scaling"),
      "VarianceScaling", (
          P("scale", "1.0", keras_default="1.0"), P("mode", '"fan_in"', keras_default='"fan_in"'),
          # TF1's "normal" is truncated_normal, as Keras 3's is.
          P("distribution", '"truncated_normal"', keras_default='"truncated_normal"'),
          _SEED, _DTYPE))
_init(("tf.glorot_uniform_initializer", "tf.initializers.glorot_uniform",
       "tf.keras.initializers.glorot_uniform"), "GlorotUniform", (_SEED, _DTYPE))
_init(("tf.glorot_normal_initializer", "tf.initializers.glorot_normal",
       "tf.keras.initializers.glorot_normal"), "GlorotNormal", (_SEED, _DTYPE))
_init(("tf.orthogonal_initializer", "tf.initializers.orthogonal"), "Orthogonal", (
    P("gain", "1.0", keras_default="1.0"), _SEED, _DTYPE))
_init(("tf.initializers.he_normal", "tf.keras.initializers.he_normal"), "HeNormal", (_SEED,))
_init(("tf.initializers.he_uniform", "tf.keras.initializers.he_uniform"), "HeUniform", (_SEED,))
_init(("tf.initializers.lecun_normal", "tf.keras.initializers.lecun_normal"), "LecunNormal",
      (_SEED,))
_init(("tf.initializers.lecun_uniform", "tf.keras.initializers.lecun_uniform"), "LecunUniform",
      (_SEED,))

# contrib/slim: xavier_initializer(uniform=True, seed=None, dtype) and
# variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None, dtype) are
# converted by layers.py (their truncated normal has stddev sqrt(1.3 * factor / n)).
CONTRIB_INITIALIZERS = {
    "tf.contrib.layers.xavier_initializer": (
        P("uniform", "True"), _SEED, _DTYPE),
    "tf.contrib.layers.xavier_initializer_conv2d": (
        P("uniform", "True"), _SEED, _DTYPE),
    "tf.contrib.layers.variance_scaling_initializer": (
        P("factor", "2.0"), P("mode", '"FAN_IN"'), P("uniform", "False"), _SEED, _DTYPE),
}
# Keras's truncated normal divides sqrt(scale / n) by this (the stddev of a unit normal cut at
# two standard deviations); contrib multiplied by sqrt(1.3) instead.
TRUNCATED_STDDEV = 0.87962566103423978
CONTRIB_TRUNCATED_FACTOR = 1.3

# --- regularizers -------------------------------------------------------------------------------

# TF1 regularizer -> (Keras class, factor applied to the scale). contrib's l2 is scale *
# tf.nn.l2_loss(w) = scale * sum(w**2) / 2.
REGULARIZERS = {
    "tf.contrib.layers.l2_regularizer": ("L2", 0.5),
    "tf.contrib.layers.l1_regularizer": ("L1", 1.0),
    "tf.keras.regularizers.l2": ("L2", 1.0),
    "tf.keras.regularizers.l1": ("L1", 1.0),
}
REGULARIZER_NOTE = ("TF1 put regularization losses in the REGULARIZATION_LOSSES collection; "
                    "Keras keeps them in the model's (or layer's) `losses`")
