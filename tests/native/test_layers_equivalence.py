"""Each TF1 layer call on TF 1.15 against its rewrite (layers_rewrite) on plain TF 2.21 / Keras 3.

Same input, same weights (each weight drawn from a seed made of its Keras name, the TF1 variable
found through the table's name map, so the map is checked too), outputs compared at 1e-5
relative. Batch norm is also run in training mode and its moving statistics compared after one
update; dropout in training mode is compared by what is deterministic (kept values scaled by
1 / (1 - rate), the rest zero).
"""

from __future__ import annotations

import ast
import json

import numpy as np
import pytest

from tfshift.native import layers_table as table
from tfshift.native.layers_rewrite import Writer, canonical, layer_call

pytestmark = pytest.mark.slow

# id: (TF1 expression of x, input shape, check). check: "same" | "bn" (also moving statistics) |
# "dropout" (kept values scaled, the rest zero).
CASES = {
    "dense": ("tf.layers.dense(x, 5)", (4, 7), "same"),
    "dense_relu_init": ("tf.layers.dense(x, 5, tf.nn.relu, use_bias=True, "
                        "bias_initializer=tf.constant_initializer(0.1))", (4, 7), "same"),
    "dense_rank3": ("tf.layers.dense(x, 3, activation=tf.nn.tanh)", (2, 3, 6), "same"),
    "conv1d": ("tf.layers.conv1d(x, 4, 3, strides=2, padding='same')", (2, 9, 3), "same"),
    "conv2d": ("tf.layers.conv2d(x, 4, [3, 3])", (2, 8, 8, 3), "same"),
    "conv2d_same_dilated": ("tf.layers.conv2d(x, 4, 3, padding='SAME', dilation_rate=2, "
                            "activation=tf.nn.relu)", (2, 9, 9, 3), "same"),
    "conv3d": ("tf.layers.conv3d(x, 2, 2, strides=(1, 2, 1))", (1, 4, 5, 4, 2), "same"),
    "conv2d_transpose": ("tf.layers.conv2d_transpose(x, 3, 3, strides=2, padding='same')",
                         (2, 5, 5, 4), "same"),
    "separable_conv2d": ("tf.layers.separable_conv2d(x, 6, 3, depth_multiplier=2)",
                         (2, 7, 7, 3), "same"),
    "max_pooling2d": ("tf.layers.max_pooling2d(x, 2, 2)", (2, 7, 7, 3), "same"),
    "average_pooling2d_same": ("tf.layers.average_pooling2d(x, 3, 2, padding='same')",
                               (2, 7, 7, 3), "same"),
    "max_pooling1d": ("tf.layers.max_pooling1d(x, 2, 1)", (2, 7, 3), "same"),
    "flatten": ("tf.layers.flatten(x)", (2, 3, 4, 5), "same"),
    "bn_inference": ("tf.layers.batch_normalization(x)", (4, 3, 3, 5), "same"),
    "bn_train_4d": ("tf.layers.batch_normalization(x, training=True, momentum=0.9)",
                    (4, 3, 3, 5), "bn"),
    "bn_train_2d": ("tf.layers.batch_normalization(x, training=True, epsilon=1e-5)",
                    (8, 5), "bn"),
    "dropout_inference": ("tf.layers.dropout(x, 0.4)", (50, 40), "same"),
    "dropout_train": ("tf.layers.dropout(x, 0.4, training=True)", (50, 40), "dropout"),
    "slim_fully_connected": ("slim.fully_connected(x, 6)", (4, 7), "same"),
    "slim_fully_connected_linear": ("slim.fully_connected(x, 6, activation_fn=None, "
                                    "biases_initializer=None)", (4, 7), "same"),
    "contrib_fully_connected_bn": (
        "tf.contrib.layers.fully_connected(x, 6, normalizer_fn=tf.contrib.layers.batch_norm, "
        "normalizer_params={'is_training': True, 'decay': 0.9, 'scale': True})", (8, 7), "bn"),
    "slim_conv2d": ("slim.conv2d(x, 4, [3, 3])", (2, 8, 8, 3), "same"),
    "slim_conv2d_stride_valid": ("slim.conv2d(x, 4, 3, stride=2, padding='VALID', "
                                 "activation_fn=tf.nn.elu)", (2, 9, 9, 3), "same"),
    "slim_conv2d_rate": ("slim.conv2d(x, 4, 3, rate=2)", (2, 9, 9, 3), "same"),
    "slim_conv2d_bn_train": (
        "slim.conv2d(x, 4, 3, normalizer_fn=slim.batch_norm, "
        "normalizer_params={'is_training': True, 'decay': 0.95})", (4, 6, 6, 3), "bn"),
    "slim_conv2d_transpose": ("slim.conv2d_transpose(x, 3, 3, stride=2)", (2, 5, 5, 4), "same"),
    "slim_separable_conv2d": ("slim.separable_conv2d(x, 6, [3, 3])", (2, 7, 7, 3), "same"),
    "slim_depthwise_conv2d": ("slim.separable_conv2d(x, None, [3, 3], depth_multiplier=2)",
                              (2, 7, 7, 3), "same"),
    "slim_max_pool2d": ("slim.max_pool2d(x, [2, 2])", (2, 7, 7, 3), "same"),
    "slim_avg_pool2d_same": ("slim.avg_pool2d(x, 3, stride=1, padding='SAME')", (2, 7, 7, 3),
                             "same"),
    "slim_flatten": ("slim.flatten(x)", (2, 3, 4, 5), "same"),
    "slim_batch_norm_train": ("slim.batch_norm(x)", (4, 3, 3, 5), "bn"),
    "slim_batch_norm_inference": ("slim.batch_norm(x, is_training=False, scale=True, "
                                  "activation_fn=tf.nn.relu)", (4, 3, 3, 5), "same"),
    "contrib_batch_norm_2d_train": ("tf.contrib.layers.batch_norm(x, decay=0.9, center=False)",
                                    (8, 5), "bn"),
    "slim_dropout_inference": ("slim.dropout(x, 0.8, is_training=False)", (50, 40), "same"),
    "slim_dropout_train": ("slim.dropout(x, 0.8)", (50, 40), "dropout"),
    "embed_sequence": ("tf.contrib.layers.embed_sequence(ids, 11, 4)", (3, 5), "same"),
}

_TF1 = r"""
import json, sys, zlib, warnings
warnings.filterwarnings("ignore")
import numpy as np
import tensorflow as tf
tf.logging.set_verbosity(tf.logging.ERROR)
slim = tf.contrib.slim

def value(name, shape):
    rng = np.random.RandomState(zlib.crc32(name.encode()))
    v = rng.standard_normal(shape).astype(np.float32) * 0.5
    return np.abs(v) + 0.5 if name == "moving_variance" else v

def data(shape, ids):
    rng = np.random.RandomState(1)
    if ids:
        return rng.randint(0, 11, size=shape).astype(np.int32)
    return rng.standard_normal(shape).astype(np.float32)

cases = json.loads(sys.stdin.read())
out = {}
for key, case in cases.items():
    tf.reset_default_graph()
    ids = "ids" in case["expr"]
    x_val = data(case["shape"], ids)
    x = tf.placeholder(tf.int32 if ids else tf.float32, case["shape"])
    y = eval(case["expr"], {"tf": tf, "slim": slim, "x": x, "ids": x})
    assigns = []
    names = {}
    for var in tf.global_variables():
        short = var.op.name.rsplit("/", 1)[1]
        kname = case["weights"].get(short, short)
        names[kname] = var
        assigns.append(var.assign(value(kname, var.shape.as_list())))
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:
        sess.run(assigns)
        got, _ = sess.run([y, updates], {x: x_val})
        stats = {k: sess.run(v).tolist() for k, v in names.items()
                 if k in ("moving_mean", "moving_variance")}
    out[key] = {"y": got.tolist(), "x": x_val.tolist(), "stats": stats,
                "variables": sorted(names)}
print("RESULT " + json.dumps(out))
"""

_KERAS = r"""
import json, sys, zlib, os
import numpy as np
import tensorflow as tf
import keras

def value(name, shape):
    rng = np.random.RandomState(zlib.crc32(name.encode()))
    v = rng.standard_normal(shape).astype(np.float32) * 0.5
    return np.abs(v) + 0.5 if name == "moving_variance" else v

class Layers:
    # keras.layers, except that a layer's weights are set before its first call.
    def __init__(self, created):
        self.created = created
    def __getattr__(self, name):
        cls = getattr(keras.layers, name)
        def make(*args, **kwargs):
            layer = cls(*args, **kwargs)
            def call(inputs, **kw):
                if not layer.built:
                    layer.build(tuple(inputs.shape))
                    for w in layer.weights:
                        w.assign(value(w.name, tuple(w.shape)))
                self.created.append(layer)
                return layer(inputs, **kw)
            return call
        return make

class Keras:
    def __init__(self, created):
        self.layers = Layers(created)
        self.initializers = keras.initializers
        self.regularizers = keras.regularizers
        self.activations = keras.activations

cases = json.loads(sys.stdin.read())
out = {}
for key, case in cases.items():
    created = []
    x_val = np.array(case["x"], dtype=np.int32 if case["ids"] else np.float32)
    x = tf.constant(x_val)
    y = eval(case["keras"], {"tf": tf, "keras": Keras(created), "x": x, "ids": x,
                             "training": True})
    stats, names = {}, []
    for layer in created:
        for w in layer.weights:
            names.append(w.name)
            if w.name in ("moving_mean", "moving_variance"):
                stats[w.name] = np.asarray(w.numpy()).tolist()
    out[key] = {"y": np.asarray(y).tolist(), "stats": stats, "variables": sorted(set(names))}
print("RESULT " + json.dumps(out))
"""

_ALIASES = {"tf": "tf", "slim": "tf.contrib.slim"}


def _dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return None


def translate(expr: str):
    call = ast.parse(expr, mode="eval").body

    def resolve(node):
        parts = _dotted(node)
        if parts and parts[0] in _ALIASES:
            return ".".join([_ALIASES[parts[0]], *parts[1:]])
        return None

    writer = Writer(lambda node: ast.get_source_segment(expr, node), resolve)
    name = canonical(resolve(call.func))
    return name, layer_call(writer, name, call)


def _weights(name: str, keras_text: str) -> dict[str, str]:
    spec = table.LAYERS[name]
    found = dict(spec.weights)
    if "DepthwiseConv2D" in keras_text:
        found["depthwise_weights"] = "kernel"  # Keras 3's DepthwiseConv2D calls it kernel
    for other in ("tf.contrib.layers.batch_norm",):
        found.update(table.LAYERS[other].weights)
    return found


def _run(env, program: str, cases: dict) -> dict:
    done = env.run_python(["-c", program], input=json.dumps(cases), timeout=900)
    lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
    assert lines, f"exit {done.returncode}\n{done.stderr[-5000:]}"
    return json.loads(lines[-1][7:])


@pytest.fixture(scope="module")
def runs(tf115, tf221):
    translated = {key: translate(expr) for key, (expr, _, _) in CASES.items()}
    tf1_cases = {key: {"expr": expr, "shape": list(shape),
                       "weights": _weights(translated[key][0], translated[key][1].text or "")}
                 for key, (expr, shape, _) in CASES.items()}
    original = _run(tf115, _TF1, tf1_cases)
    keras_cases = {key: {"keras": translated[key][1].text, "x": original[key]["x"],
                         "ids": "ids" in CASES[key][0]} for key in CASES}
    migrated = _run(tf221, _KERAS, keras_cases)
    return translated, original, migrated


def _close(a, b, what):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, f"{what}: shape {a.shape} != {b.shape}"
    np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6, err_msg=what)


@pytest.mark.parametrize("key", sorted(CASES))
def test_layer_agrees(runs, key):
    translated, original, migrated = runs
    expr, shape, check = CASES[key]
    result = translated[key][1]
    assert result.cannot is None, result.cannot
    tf1, k3 = original[key], migrated[key]
    # the checkpoint name map: every TF1 variable has its Keras weight
    assert tf1["variables"] == k3["variables"], (result.text, tf1["variables"], k3["variables"])
    if check == "dropout":
        x, y1, y2 = (np.asarray(v) for v in (tf1["x"], tf1["y"], k3["y"]))
        rate = 0.4 if "0.4" in expr else 0.2
        for y in (y1, y2):
            kept = y != 0
            np.testing.assert_allclose(y[kept], x[kept] / (1 - rate), rtol=1e-6)
            assert abs((~kept).mean() - rate) < 0.06
        return
    _close(tf1["y"], k3["y"], f"{key}: {expr} -> {result.text}")
    if check != "bn":
        return
    _close(tf1["stats"]["moving_mean"], k3["stats"]["moving_mean"], f"{key}: moving mean")
    mv1, mv3 = (np.asarray(s["moving_variance"]) for s in (tf1["stats"], k3["stats"]))
    contrib = "batch_normalization" not in expr  # contrib fuses 2-D inputs too
    if len(shape) == 4 or (contrib and len(shape) == 2):
        # TF1's fused kernel updates with the unbiased variance (the difference the rewrite
        # reports at the site): moving = m * old + (1 - m) * var * n / (n - 1).
        assert any("unbiased" in n for n in result.notes), result.notes
        momentum = {"bn_train_4d": 0.9, "slim_batch_norm_train": 0.999,
                    "slim_conv2d_bn_train": 0.95, "contrib_batch_norm_2d_train": 0.9,
                    "contrib_fully_connected_bn": 0.9}[key]
        n = int(np.prod(shape[:-1]))
        start = _start_variance(mv3.shape)
        batch_var = (mv3 - momentum * start) / (1 - momentum)  # Keras's biased one
        expected_tf1 = momentum * start + (1 - momentum) * batch_var * n / (n - 1)
        _close(mv1, expected_tf1, f"{key}: moving variance, Bessel-corrected")
        assert not np.allclose(mv1, mv3, rtol=1e-5), "the fused difference did not show"
    else:
        _close(mv1, mv3, f"{key}: moving variance")


def _start_variance(shape):
    import zlib

    rng = np.random.RandomState(zlib.crc32(b"moving_variance"))
    v = rng.standard_normal(shape).astype(np.float32) * 0.5
    return np.abs(v) + 0.5
