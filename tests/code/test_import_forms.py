"""Every way a file can reach TensorFlow resolves to the same qualified names, and those names
are checked against the target: `tf.compat.v1` aliases are TF1 code, not code already upgraded."""

import ast

import pytest

from tests.code.tools import found, messages
from tfshift.code.names import tf1_name
from tfshift.code.visit import bindings, statements

SEED_002_LAYERS = """\
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

input_tensor = tf.placeholder(tf.float32, shape=(None, 10))
dense_layer = tf.layers.dense(inputs=input_tensor, units=20, activation=tf.nn.relu)
"""
SEED_002_ESTIMATOR = """\
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()


feature_columns = [tf.feature_column.numeric_column("x", shape=(1,))]

estimator = tf.estimator.LinearClassifier(
    feature_columns=feature_columns,
    n_classes=2,
    model_dir="./model_dir"
)
"""

FORMS = {
    "compat-v1-as-tf": "import tensorflow.compat.v1 as tf\n",
    "from-compat-import-v1": "from tensorflow.compat import v1 as tf\n",
    "tf1-beside-tf": "import tensorflow as tf2\nimport tensorflow.compat.v1 as tf\n",
    "plain": "import tensorflow as tf\n",
}


@pytest.mark.parametrize("target", ["2.16", "2.21"])
def test_seed_002_examples_get_findings(target):
    layers = [f[0] for f in found(SEED_002_LAYERS, target=target)]
    assert "TFG003" in layers
    estimator = [f[0] for f in found(SEED_002_ESTIMATOR, target=target)]
    assert "TFE001" in estimator


@pytest.mark.parametrize("form", FORMS, ids=list(FORMS))
@pytest.mark.parametrize("use, rule", [
    ("y = tf.layers.dense(x, 3)\n", "TFG003"),
    ("e = tf.estimator.Estimator(fn)\n", "TFE001"),
    ("c = tf.nn.rnn_cell.LSTMCell(3)\n", "TFG003"),
])
def test_every_import_form_is_checked(form, use, rule):
    ids = [f[0] for f in found(FORMS[form] + use, target="2.21")]
    assert rule in ids, ids


def test_tf1_alias_beside_tf():
    src = "import tensorflow as tf\nimport tensorflow.compat.v1 as tf1\ny = tf1.layers.dense(x, 3)\n"
    assert "TFG003" in [f[0] for f in found(src, target="2.21")]


def test_member_through_a_valid_module_alias_is_checked():
    # `m` itself is valid on the target; what is reached through it is judged at the use.
    src = "from tensorflow import lite as m\nm.experimental.get_potentially_supported_ops()\n"
    assert [m.split()[:2] for m in messages(src, target="2.21")] == [
        ["TFU100", "tf.lite.experimental.get_potentially_supported_ops"]]


def test_compat_v1_code_is_not_renamed():
    # tf.compat.v1 code is left as it is where the target still has it.
    src = "import tensorflow.compat.v1 as tf\nx = tf.placeholder(tf.float32)\ny = tf.log(x)\n"
    assert [f[0] for f in found(src, target="2.21")] == ["TFG001"]  # only: switch v1 behaviour on


def test_resolution_api():
    tree = ast.parse("import tensorflow.compat.v1 as tf\nfrom tensorflow.compat import v1\n"
                     "a = tf.layers.dense\nb = v1.nn.rnn_cell.LSTMCell\n")
    table = bindings(statements(tree))
    quals = [table.resolve(stmt.value) for stmt in tree.body[2:]]
    assert quals == ["tf.compat.v1.layers.dense", "tf.compat.v1.nn.rnn_cell.LSTMCell"]
    assert [tf1_name(q) for q in quals] == ["tf.layers.dense", "tf.nn.rnn_cell.LSTMCell"]
    assert table.module["tf"].is_root and table.module["v1"].is_root
