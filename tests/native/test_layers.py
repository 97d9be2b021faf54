"""Family 2 (layers): (before, after) pairs, sites it must report, and many no-op cases."""

from __future__ import annotations

import pytest

from tests.native.tools import cannot, check, native


def test_tf_layers_dense_defaults_kept_where_keras_agrees():
    check("""\
        import tensorflow as tf
        def model(x):
            h = tf.layers.dense(x, 64, activation=tf.nn.relu, name="fc1")
            return tf.layers.dense(h, 10)
        """, """\
        import tensorflow as tf
        import keras
        def model(x):
            h = keras.layers.Dense(64, activation=tf.nn.relu, name="fc1")(x)
            return keras.layers.Dense(10)(h)
        """)


def test_contrib_defaults_written_out():
    check("""\
        import tensorflow as tf
        def model(x):
            h = tf.contrib.layers.conv2d(x, 32, 3)
            h = tf.contrib.layers.max_pool2d(h, 2)
            h = tf.contrib.layers.batch_norm(h)
            return tf.contrib.layers.fully_connected(tf.contrib.layers.flatten(h), 10,
                                                     activation_fn=None)
        """, """\
        import tensorflow as tf
        import keras
        def model(x):
            h = keras.layers.Conv2D(32, 3, padding="same", activation="relu")(x)
            h = keras.layers.MaxPooling2D(2, strides=2)(h)
            h = keras.layers.BatchNormalization(momentum=0.999, scale=False)(h, training=True)
            return keras.layers.Dense(10)(keras.layers.Flatten()(h))
        """)


def test_slim_through_every_import_form():
    for header in ("import tensorflow.contrib.slim as slim",
                   "from tensorflow.contrib import slim",
                   "slim = tf.contrib.slim"):
        out = native(f"""\
            import tensorflow as tf
            {header}
            def model(x):
                return slim.fully_connected(x, 10)
            """)
        assert "keras.layers.Dense(10, activation=\"relu\")(x)" in out, out
        assert "slim" not in out and "contrib" not in out, out


def test_compat_v1_import_form():
    out = native("""\
        import tensorflow.compat.v1 as tf
        tf.disable_v2_behavior()
        def model(x, training):
            x = tf.layers.dropout(x, rate=0.3, training=training)
            return tf.layers.batch_normalization(x, training=training, momentum=0.9)
        """)
    assert "keras.layers.Dropout(0.3)(x, training=training)" in out, out
    assert "keras.layers.BatchNormalization(momentum=0.9)(x, training=training)" in out, out
    assert "compat" not in out and "disable_v2_behavior" not in out, out


def test_dropout_keep_prob_and_training_defaults():
    check("""\
        import tensorflow as tf
        def model(x):
            a = tf.contrib.layers.dropout(x, 0.8)
            b = tf.layers.dropout(x)
            return a, b
        """, """\
        import tensorflow as tf
        import keras
        def model(x):
            a = keras.layers.Dropout(0.2)(x, training=True)
            b = keras.layers.Dropout(0.5)(x, training=False)
            return a, b
        """)


def test_initializers_and_regularizers_anywhere():
    check("""\
        import tensorflow as tf
        w_init = tf.truncated_normal_initializer()
        u_init = tf.random_uniform_initializer(-1, 1)
        x_init = tf.contrib.layers.xavier_initializer(uniform=False)
        v_init = tf.contrib.layers.variance_scaling_initializer(uniform=True)
        reg = tf.contrib.layers.l2_regularizer(scale=0.001)
        """, """\
        import tensorflow as tf
        import keras
        w_init = keras.initializers.TruncatedNormal(stddev=1.0)
        u_init = keras.initializers.RandomUniform(minval=-1, maxval=1)
        x_init = keras.initializers.VarianceScaling(scale=1.0058636946149004, mode="fan_avg", distribution="truncated_normal")
        v_init = keras.initializers.VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform")
        reg = keras.regularizers.L2(0.0005)
        """)


def test_arg_scope_carried_over_and_removed():
    check("""\
        import tensorflow as tf
        import tensorflow.contrib.slim as slim
        def model(x, is_training):
            with slim.arg_scope([slim.conv2d], padding="VALID",
                                weights_regularizer=slim.l2_regularizer(0.0004)):
                # a comment moves too
                x = slim.conv2d(x, 8, 3)
                x = slim.conv2d(x, 8, 3, padding="SAME")
            return slim.conv2d(x, 8, 1)
        """, """\
        import tensorflow as tf
        import keras
        def model(x, is_training):
            # a comment moves too
            x = keras.layers.Conv2D(8, 3, activation="relu", kernel_regularizer=keras.regularizers.L2(0.0002))(x)
            x = keras.layers.Conv2D(8, 3, padding="same", activation="relu", kernel_regularizer=keras.regularizers.L2(0.0002))(x)
            return keras.layers.Conv2D(8, 1, padding="same", activation="relu")(x)
        """)


def test_arg_scope_normalizer_fn():
    out = native("""\
        import tensorflow as tf
        slim = tf.contrib.slim
        def model(x, is_training):
            with slim.arg_scope([slim.conv2d, slim.fully_connected], normalizer_fn=slim.batch_norm,
                                normalizer_params={"is_training": is_training, "decay": 0.9}):
                x = slim.conv2d(x, 8, 3)
            return x
        """)
    assert ("keras.activations.relu(keras.layers.BatchNormalization(momentum=0.9, scale=False)("
            "keras.layers.Conv2D(8, 3, padding=\"same\", use_bias=False)(x), "
            "training=is_training))") in out, out


@pytest.mark.parametrize(("text", "why"), [
    # contrib / slim layers shared by scope name: their TF1 variable names (weights, biases)
    # are not the Keras layer's, so the tf1_scopes registry does not take them yet
    ("def f(x):\n    with tf.variable_scope('s', reuse=True):\n        return tf.contrib.layers.fully_connected(x, 3)\n",
     "shared by scope name"),
    ("def f(x):\n    return tf.contrib.layers.fully_connected(x, 3, reuse=tf.AUTO_REUSE)\n", "reuse"),
    ("def f(x):\n    return tf.layers.batch_normalization(x, renorm=True)\n", "renormalization"),
    ("def f(x):\n    return tf.layers.batch_normalization(x, virtual_batch_size=8)\n",
     "virtual batches"),
    ("def f(x):\n    return tf.contrib.layers.batch_norm(x, zero_debias_moving_mean=True)\n",
     "zero-debiased"),
    ("def f(x, kp):\n    return tf.contrib.layers.dropout(x, keep_prob=kp)\n", "keep_prob=kp"),
    ("def f(x):\n    return tf.contrib.layers.layer_norm(x)\n", "layer_norm"),
    ("def f(x, **kw):\n    return tf.layers.dense(x, 3, **kw)\n", "**"),
    ("def f(x):\n    return tf.contrib.layers.fully_connected(x, 3, variables_collections=['v'])\n",
     "collections"),
    ("def f(x, fmt):\n    return tf.contrib.layers.conv2d(x, 3, 3, data_format=fmt)\n",
     "data_format"),
    ("def f(x, block):\n    with tf.contrib.slim.arg_scope([tf.contrib.slim.conv2d], padding='VALID'):\n"
     "        return block(x)\n", "arg_scope reaches block()"),
    ("def f(x, sc):\n    with tf.contrib.slim.arg_scope(sc):\n        return tf.contrib.slim.conv2d(x, 3, 3)\n",
     "saved scope"),
    ("def f(x):\n    return tf.layers.dense(x, 3, kernel_initializer=tf.constant_initializer(1, verify_shape=True))\n",
     "verify shapes"),
])
def test_reported_not_rewritten(text, why):
    reasons = cannot("import tensorflow as tf\n" + text)
    assert any(why in r for r in reasons), reasons


@pytest.mark.parametrize("text", [
    "import tensorflow as tf\nx = tf.keras.layers.Dense(3)\n",
    "import keras\nx = keras.layers.Dense(3)\n",
    "import tensorflow as tf\ny = tf.nn.relu(1.0)\n",
    "import tensorflow as tf\nlayers = [1, 2]\nlayers.append(3)\n",
    "def dense(x, n):\n    return x\ny = dense(1, 2)\n",
    "import numpy as np\nlayers = np\nlayers.zeros(3)\n",
    "import tensorflow as tf\nclass L(tf.keras.layers.Layer):\n    pass\n",
    "import keras\nk = keras.initializers.TruncatedNormal(stddev=1.0)\n",
    "import keras\nr = keras.regularizers.L2(0.5)\n",
    "from keras import layers\nd = layers.Dense(4)\n",
])
def test_no_op(text):
    assert native(text) == text


def test_nn_dropout_keep_prob_becomes_rate():
    check("""\
        import tensorflow as tf
        def f(x, keep_prob, p):
            a = tf.nn.dropout(x, keep_prob)
            b = tf.nn.dropout(x, 0.8, seed=1)
            c = tf.nn.dropout(x, rate=0.3)
            d = tf.nn.dropout(x, keep_prob=1.0 - p)
            return a, b, c, d
        """, """\
        import tensorflow as tf
        def f(x, keep_prob, p):
            a = tf.nn.dropout(x, rate=1 - keep_prob)
            b = tf.nn.dropout(x, rate=0.2, seed=1)
            c = tf.nn.dropout(x, rate=0.3)
            d = tf.nn.dropout(x, rate=1 - (1.0 - p))
            return a, b, c, d
        """)


def test_arg_scope_not_removed_while_a_call_in_it_cannot_be_rewritten():
    reasons = cannot("""\
        import tensorflow as tf
        slim = tf.contrib.slim
        def model(x, params):
            with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm,
                                normalizer_params=params):
                return slim.conv2d(x, 8, 3)
        """)
    assert any("normalizer_params" in r for r in reasons), reasons


def test_normalizer_params_through_a_dict_bound_once():
    out = native("""\
        import tensorflow as tf
        slim = tf.contrib.slim
        def model(x, is_training):
            bn = {"is_training": is_training, "decay": 0.9, "updates_collections": None}
            with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm,
                                normalizer_params=bn):
                return slim.conv2d(x, 8, 3)
        """)
    assert "BatchNormalization(momentum=0.9, scale=False)" in out, out
    changed = cannot("""\
        import tensorflow as tf
        slim = tf.contrib.slim
        def model(x, is_training):
            bn = {"is_training": is_training}
            bn["decay"] = 0.9
            return slim.conv2d(x, 8, 3, normalizer_fn=slim.batch_norm, normalizer_params=bn)
        """)
    assert any("normalizer_params" in r for r in changed), changed


def test_module_level_layers_made_once_with_tf1_names():
    # A module-level layer call becomes a layer object made by a statement of its own, named as
    # TF1 named it (dense, dense_1, an explicit name kept), so its variables' paths are TF1's
    # checkpoint names; layers without weights and contrib layers keep Keras's own names.
    check("""\
        import tensorflow as tf
        x = tf.ones([2, 3])
        h = tf.layers.dense(x, 4, activation=tf.nn.relu)
        h = tf.layers.dropout(h, 0.1)
        h = tf.layers.dense(h, 4, name="fc")
        y = tf.layers.dense(h, 1)
        z = tf.contrib.layers.fully_connected(y, 2)
        """, """\
        import tensorflow as tf
        import keras
        x = tf.ones([2, 3])
        dense = keras.layers.Dense(4, activation=tf.nn.relu, name='dense')  # TF1 variable names kept
        h = dense(x)
        dropout = keras.layers.Dropout(0.1)
        h = dropout(h, training=False)
        fc = keras.layers.Dense(4, name="fc")  # TF1 variable names kept
        h = fc(h)
        dense_2 = keras.layers.Dense(1, name='dense_1')  # TF1 variable names kept
        y = dense_2(h)
        dense_3 = keras.layers.Dense(2, activation="relu")
        z = dense_3(y)
        """)


@pytest.mark.parametrize("text", [
    # in a loop or a branch TF1 made a new layer each time: written inline, not hoisted
    "import tensorflow as tf\nx = tf.ones([1, 2])\nfor i in range(2):\n    x = tf.layers.dense(x, 2)\n",
    "import tensorflow as tf\nx = tf.ones([1, 2])\nif x is not None:\n    x = tf.layers.dense(x, 2)\n",
])
def test_layers_in_loops_and_branches_stay_inline(text):
    assert "dense = " not in native(text)
    assert "keras.layers.Dense(2)(x)" in native(text)


GRAPH_MODEL = """\
import tensorflow as tf
def model(x):
{body}
x = tf.placeholder(tf.float32, [None, 2])
y = model(x)
with tf.Session() as s:
    print(s.run(y, {{x: [[1.0, 2.0]]}}))
"""


def test_layers_in_functions_of_graph_programs_made_once_when_their_names_are_stable():
    # graph code runs at every step natively: a layer in a function called there is made once
    # by the tf1_scopes registry when its TF1 name is the same each run (explicit, or counted
    # inside a variable_scope of that function); TF1's default numbering at the root is not
    out = native(GRAPH_MODEL.format(body='    with tf.variable_scope("m"):\n'
                                         '        return tf.layers.dense(x, 3)'))
    assert "tf1_scopes.layer(None, 'dense', lambda: keras.layers.Dense(3))(x)" in out
    out = native(GRAPH_MODEL.format(body='    return tf.layers.dense(x, 3, name="fc")'))
    assert "tf1_scopes.layer(\"fc\", 'dense', lambda: keras.layers.Dense(3, name=\"fc\"))(x)" in out
    assert "**tf1_scopes.variables()," in out
    reasons = cannot(GRAPH_MODEL.format(body="    return tf.layers.dense(x, 3)"))
    assert any("default name in a function of a graph program" in r for r in reasons), reasons
    # layers without weights are made anew each time: nothing to share
    out = native(GRAPH_MODEL.format(body="    return tf.layers.dropout(x, 0.5)"))
    assert "keras.layers.Dropout(0.5)(x, training=False)" in out


@pytest.mark.parametrize(("layer", "reported"), [
    ("tf.layers.batch_normalization(x)", False),  # training=False: moving averages only read
    ("tf.layers.batch_normalization(x, training=True)", True),
    ("tf.layers.batch_normalization(x, training=flag)", True),
    ("tf.contrib.layers.batch_norm(x)", True),  # contrib's is_training=True
    ("tf.contrib.layers.batch_norm(x, is_training=False)", False),
])
def test_batch_norm_training_in_graph_programs_reported(layer, reported):
    text = (f"import tensorflow as tf\nflag = True\nx = tf.placeholder(tf.float32, [None, 2])\nh = {layer}\n"
            "with tf.Session() as s:\n    print(s.run(h, {x: [[1.0, 2.0]]}))\n")
    reasons = cannot(text)
    assert any("UPDATE_OPS" in r for r in reasons) is reported, reasons
