"""Family 3 (variables): (before, after) pairs, sharing reported, and no-op cases."""

from __future__ import annotations

import pytest

from tests.native.tools import cannot, check, native


def test_get_variable_defaults_written_out():
    check("""\
        import tensorflow as tf
        def linear(x, n, scope=None):
            with tf.variable_scope(scope or "Linear"):
                w = tf.get_variable("w", [int(x.shape[-1]), n])
                b = tf.get_variable("b", [n], initializer=tf.zeros_initializer())
                s = tf.get_variable("s", [], tf.int64, trainable=False)
                return tf.matmul(x, w) + b
        """, """\
        import tensorflow as tf
        import keras
        def linear(x, n, scope=None):
            with tf.name_scope(scope or "Linear"):
                w = tf.Variable(keras.initializers.GlorotUniform()([int(x.shape[-1]), n]), name="w")
                b = tf.Variable(keras.initializers.Zeros()([n]), name="b")
                s = tf.Variable(tf.zeros([], dtype=tf.int64), name="s", trainable=False)
                return tf.matmul(x, w) + b
        """)


def test_initializer_defaults_and_values():
    check("""\
        import tensorflow as tf
        with tf.variable_scope("layer1"):
            w = tf.get_variable("weights", shape=[784, 10],
                                initializer=tf.truncated_normal_initializer())
            v = tf.get_variable("v", initializer=tf.constant([1.0, 2.0]))
            init = tf.random_normal_initializer(stddev=0.01)
            u = tf.get_variable("u", [5], initializer=init, dtype=tf.float64)
        """, """\
        import tensorflow as tf
        import keras
        with tf.name_scope("layer1"):
            w = tf.Variable(keras.initializers.TruncatedNormal(stddev=1.0)([784, 10]), name="weights")
            v = tf.Variable(tf.constant([1.0, 2.0]), name="v")
            init = keras.initializers.RandomNormal(stddev=0.01)
            u = tf.Variable(init([5], dtype=tf.float64), name="u")
        """)


def test_name_scope_v1_arguments():
    check("""\
        import tensorflow.compat.v1 as tf
        def f(x, name=None):
            with tf.name_scope(name, "f", [x]):
                return x
        with tf.name_scope("loss"):
            pass
        """, """\
        import tensorflow as tf
        def f(x, name=None):
            with tf.name_scope(name or "f"):
                return x
        with tf.name_scope("loss"):
            pass
        """)


@pytest.mark.parametrize(("text", "why"), [
    ("def d(x):\n    with tf.variable_scope('d') as scope:\n        return x\n",
     "VariableScope object"),
    ("def d(x):\n    with tf.variable_scope(None, default_name='d', reuse=tf.AUTO_REUSE):\n"
     "        return tf.get_variable('w', [3])\n", "default_name"),
    ("def d(x):\n    s = tf.get_variable_scope()\n    with tf.variable_scope(s, reuse=True):\n"
     "        return x\n", "shared by name"),
    ("def d(x, scope):\n    scope.reuse_variables()\n    return tf.get_variable('w', [3])\n",
     "shared by name"),
    ("w = tf.get_variable('w', [3], regularizer=tf.contrib.layers.l2_regularizer(0.1))\n",
     "losses"),
    ("w = tf.get_variable('w', [3], collections=['mine'])\n", "no such setting"),
    ("w = tf.get_variable('w', [3], partitioner=tf.fixed_size_partitioner(2))\n",
     "no such setting"),
    ("def f(dt):\n    return tf.get_variable('w', [3], dtype=dt)\n", "not written out"),
    ("with tf.variable_scope('s', initializer=tf.zeros_initializer()):\n    pass\n",
     "default for the variables"),
    ("def f(**kw):\n    return tf.get_variable('w', [3], **kw)\n", "cannot be matched"),
])
def test_reported(text, why):
    reasons = cannot("import tensorflow as tf\n" + text)
    assert any(why in r for r in reasons), reasons


@pytest.mark.parametrize("text", [
    "import tensorflow as tf\nv = tf.Variable(1.0, name='v')\n",
    "import tensorflow as tf\nwith tf.name_scope('a'):\n    pass\n",
    "import tensorflow as tf\ndef f(n):\n    with tf.name_scope(n):\n        pass\n",
    "def get_variable(name, shape):\n    return name\nget_variable('w', [3])\n",
    "class Scope:\n    def variable_scope(self, n):\n        return n\nScope().variable_scope('x')\n",
    "import keras\nw = keras.Variable(1.0)\n",
])
def test_no_op(text):
    assert native(text) == text


def test_tf2_era_name_scope_untouched():
    text = "import tensorflow as tf\nwith tf.name_scope('a'):\n    pass\n"
    assert native(text, major=2) == text


def test_shared_towers_made_once_under_their_tf1_names():
    # variable_scope reuse (AUTO_REUSE, reuse=True, reuse_variables()) shares by TF1 name: every
    # get_variable and tf.layers call with weights asks the tf1_scopes registry (sharing.py),
    # written once into the file, for the object of its TF1 name.
    out = native("""\
        import tensorflow as tf
        def tower(x, reuse=False):
            with tf.variable_scope("tower", reuse=reuse):
                w = tf.get_variable("w", [3, 3])
                h = tf.layers.dense(tf.matmul(x, w), 4, reuse=reuse)
                return tf.layers.dropout(tf.layers.dense(h, 1, name="out"), 0.5)
        def both(a, b):
            with tf.variable_scope("siamese") as scope:
                pass
            left = tower(a)
            tf.get_variable_scope().reuse_variables()
            return left, tower(b, reuse=True)
        """.replace('            with tf.variable_scope("siamese") as scope:\n                pass\n', ""))
    assert "class TF1Scopes:" in out and out.count("tf1_scopes = TF1Scopes()") == 1
    assert 'with tf1_scopes.scope("tower"):' in out
    assert ('w = tf1_scopes.get("w", lambda: tf.Variable(keras.initializers.GlorotUniform()([3, 3]), '
            'name="w"))') in out
    assert ("h = tf1_scopes.layer(None, 'dense', lambda: keras.layers.Dense(4))"
            "(tf.matmul(x, w))") in out
    assert ("keras.layers.Dropout(0.5)(tf1_scopes.layer(\"out\", 'dense', "
            "lambda: keras.layers.Dense(1, name=\"out\"))(h), training=False)") in out
    code = out[out.index("def tower"):]
    assert "reuse_variables" not in code and "variable_scope" not in code and "reuse=reuse" not in code
    # the registry comes after the imports, before the code that uses it
    assert out.index("import keras") < out.index("class TF1Scopes") < out.index("def tower")


def test_shared_registry_behaves_as_tf1_reuse():
    # The registry's own logic (pure Python; its tf.name_scope / tf.Variable only named): a
    # name asked twice is one object, default layer names count afresh in each scope entry.
    from tfshift.native.sharing import HELPER

    class FakeTf:
        class Variable:
            pass

        @staticmethod
        def name_scope(name):
            import contextlib
            return contextlib.nullcontext()

    space = {"fake": FakeTf}
    exec(HELPER.format(tf="fake"), space)
    scopes = space["tf1_scopes"]
    made = []
    for _ in range(2):  # a tower called twice under the same scope
        with scopes.scope("tower"):
            first = scopes.layer(None, "dense", lambda: made.append("d") or object())
            second = scopes.layer(None, "dense", lambda: made.append("d1") or object())
            named = scopes.layer("out", "dense", lambda: made.append("out") or object())
    assert made == ["d", "d1", "out"]
    assert set(scopes.made) == {"tower/dense", "tower/dense_1", "tower/out"}
    assert first is scopes.made["tower/dense"] and second is not first and named


def test_dcgan_scope_object_used_only_to_reuse():
    # DCGAN's pattern (carpedm20/DCGAN-tensorflow model.py): `with tf.variable_scope(n) as
    # scope: if reuse: scope.reuse_variables()`; the registry shares by name, so `as scope` and
    # the call go (`pass` where it was a block's only statement).
    out = native("""\
        import tensorflow as tf
        def discriminator(x, reuse=False):
            with tf.variable_scope("discriminator") as scope:
                if reuse:
                    scope.reuse_variables()
                w = tf.get_variable("w", [2, 1])
                return tf.matmul(x, w)
        def sampler(x):
            with tf.variable_scope("discriminator") as scope:
                scope.reuse_variables()
                return tf.get_variable("w", [2, 1])
        """)
    code = out[out.index("def discriminator"):]
    assert code == (
        'def discriminator(x, reuse=False):\n'
        '    with tf1_scopes.scope("discriminator"):\n'
        '        if reuse:\n'
        '            pass\n'
        '        w = tf1_scopes.get("w", lambda: tf.Variable(keras.initializers.GlorotUniform()([2, 1]), name="w"))\n'
        '        return tf.matmul(x, w)\n'
        'def sampler(x):\n'
        '    with tf1_scopes.scope("discriminator"):\n'
        '        return tf1_scopes.get("w", lambda: tf.Variable(keras.initializers.GlorotUniform()([2, 1]), name="w"))\n')
    # a scope object used for anything else stays reported
    reasons = cannot("import tensorflow as tf\ndef d(x):\n    with tf.variable_scope('d', reuse=tf.AUTO_REUSE) as s:\n"
                     "        print(s.name)\n        return tf.get_variable('w', [3])\n")
    assert any("VariableScope object" in r for r in reasons), reasons


def test_tf_variable_in_a_function_of_a_graph_program_reported():
    # graph code runs at every step natively: f would make a new w on every call
    reasons = cannot("import tensorflow as tf\ndef f(x):\n    w = tf.Variable(2.0)\n    return x * w\n"
                     "x = tf.placeholder(tf.float32)\ny = f(x)\nwith tf.Session() as s:\n"
                     "    print(s.run(y, {x: 1.0}))\n")
    assert any("made inside a function of a graph program" in r for r in reasons), reasons
