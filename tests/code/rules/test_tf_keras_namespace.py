from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK008"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK008"], source="2.15")


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("from tensorflow import keras\n", "import keras\n", id="from tensorflow import keras"),
    pytest.param("from tensorflow.keras.layers import Dense, Dropout\n", "from keras.layers import Dense, Dropout\n",
                 id="from-import"),
    pytest.param("import tensorflow as tf\nl = tf.keras.layers.Dense(3)\n",
                 "import tensorflow as tf\nimport keras\nl = keras.layers.Dense(3)\n", id="use"),
    pytest.param("import keras\nn = keras.layers.experimental.preprocessing.Normalization()\n",
                 "import keras\nn = keras.layers.Normalization()\n", id="experimental preprocessing"),
    # Alias assignments: never rewritten into themselves (`K = K` was a NameError).
    pytest.param("import tensorflow as tf\nK = tf.keras.backend\ne = K.epsilon()\n",
                 "import tensorflow as tf\nimport keras\nK = keras.backend\ne = K.epsilon()\n",
                 id="K = tf.keras.backend"),
    pytest.param("import tensorflow as tf\nkeras = tf.keras\nm = keras.Sequential()\n",
                 "import tensorflow as tf\nimport keras\nm = keras.Sequential()\n", id="keras = tf.keras"),
    pytest.param("import tensorflow as tf\nlayers = tf.keras.layers\nd = layers.Dense(3)\n",
                 "import tensorflow as tf\nimport keras\nlayers = keras.layers\nd = layers.Dense(3)\n",
                 id="layers = tf.keras.layers"),
    pytest.param("import tensorflow as tf\nkeras_models = tf.keras.models\n",
                 "import tensorflow as tf\nimport keras\nkeras_models = keras.models\n", id="alias of a module"),
    pytest.param("import tensorflow as tf\nDense = tf.keras.layers.Dense\n",
                 "import tensorflow as tf\nimport keras\nDense = keras.layers.Dense\n", id="alias of a class"),
    # A name the file binds only later is not used before it exists.
    pytest.param("import tensorflow as tf\nx = tf.keras.layers.Dense(3)\nfrom tensorflow.keras import layers\n"
                 "y = layers.Dense(3)\n",
                 "import tensorflow as tf\nimport keras\nx = keras.layers.Dense(3)\nfrom keras import layers\n"
                 "y = layers.Dense(3)\n", id="name bound later in the file"),
    pytest.param("import tensorflow as tf\nfrom tensorflow.keras import layers\nx = tf.keras.layers.Dense(3)\n",
                 "import tensorflow as tf\nfrom keras import layers\nx = layers.Dense(3)\n",
                 id="name bound earlier is used"),
    pytest.param("import tensorflow as tf\ndef f():\n    return tf.keras.layers.Dense(3)\n"
                 "def g():\n    from tensorflow.keras import layers\n    return layers\n",
                 "import tensorflow as tf\nimport keras\ndef f():\n    return keras.layers.Dense(3)\n"
                 "def g():\n    from keras import layers\n    return layers\n", id="name bound in another function"),
    pytest.param("import tensorflow as tf\nK = tf.keras.backend\nkeras = tf.keras\nlayers = tf.keras.layers\n",
                 "import tensorflow as tf\nimport keras as keras_keras\nK = keras_keras.backend\nimport keras\n"
                 "layers = keras.layers\n", id="all three aliases"),
    # Symbols Keras 3 keeps only in TensorFlow's legacy tf.keras API stay there.
    pytest.param("import tensorflow as tf\nt = tf.keras.preprocessing.text.Tokenizer()\nd = tf.keras.layers.Dense(2)\n",
                 "import tensorflow as tf\nimport keras\nt = tf.keras.preprocessing.text.Tokenizer()\n"
                 "d = keras.layers.Dense(2)\n", id="legacy Tokenizer stays tf.keras"),
    pytest.param("from tensorflow.keras.preprocessing import image, sequence\n"
                 "g = image.ImageDataGenerator()\np = sequence.pad_sequences(x)\n",
                 "from tensorflow.keras.preprocessing import image, sequence\n"
                 "g = image.ImageDataGenerator()\np = sequence.pad_sequences(x)\n", id="import kept for a legacy use"),
])
def test_fixes(before, after):
    if before == after:
        check_noop(before)
    else:
        check(before, after)


def test_private_keras_copy_is_unsafe():
    src = "from tensorflow.python.keras.layers import Dense\n"
    assert tools.found(src, select=["TFK008"], source="2.15") == [("TFK008", 1, 44, "unsafe")]
    check(src, "from keras.layers import Dense\n", unsafe=True)


@pytest.mark.parametrize(("src", "column"), [
    pytest.param("import tensorflow as tf\nf = tf.keras.layers.DenseFeatures(cols)\n", 5, id="DenseFeatures"),
    pytest.param("import tensorflow as tf\ns = tf.keras.experimental.CosineDecay(0.1, 100)\n", 5, id="CosineDecay"),
    pytest.param("from tensorflow.keras.layers import DenseFeatures\nf = DenseFeatures(cols)\n", 37,
                 id="imported: reported at the import only"),
])
def test_symbols_keras_3_lacks_are_reported_with_the_keras2_environment(src, column):
    tools.check_noop(src, select=["TFK008"], source="2.15")
    analysis = tools.engine(select=["TFK008"], source="2.15").scan_text(src)
    [finding] = analysis.findings
    assert (finding.line, finding.column, finding.applicability) == (finding.line, column, "none")
    assert finding.needs == ("env:keras2",) and "--keras2" in finding.message
    assert "Keras 3 (TensorFlow 2.21) has neither keras." in finding.message


def test_candidates_are_named():
    [message] = tools.messages("import tensorflow as tf\ns = tf.keras.experimental.CosineDecay(0.1, 100)\n",
                               select=["TFK008"], source="2.15")
    assert "keras.optimizers.schedules.CosineDecay" in message


def test_uses_through_an_import_are_checked_before_the_import_moves():
    # keras.backend has no sum in Keras 3: the import moves once TFK007 has rewritten the use.
    tools.check("from tensorflow.keras import backend as K\ns = K.sum(x)\n",
                "from keras import backend as K\nimport keras\ns = keras.ops.sum(x)\n",
                select=["TFK007", "TFK008"], source="2.15")


@pytest.mark.parametrize(("src", "options"), [
    pytest.param("import keras\nl = keras.layers.Dense(3)\n", {}, id="already keras"),
    pytest.param("import tensorflow as tf\nl = tf.keras.layers.Dense(3)\n", {"keras2": True}, id="Keras 2 target"),
    pytest.param("import tensorflow as tf\nl = tf.keras.layers.Dense(3)\n", {"target": "2.15", "source": "2.10"},
                 id="before 2.16"),
    pytest.param("import tf_keras as keras\nl = keras.layers.Dense(3)\n", {}, id="tf_keras"),
    pytest.param("import tensorflow as tf\ng = tf.keras.preprocessing.image.ImageDataGenerator()\n", {},
                 id="legacy ImageDataGenerator"),
    pytest.param("from tensorflow.keras.preprocessing.text import Tokenizer\n", {}, id="legacy import"),
    pytest.param("import keras\nK = keras.backend\n", {}, id="alias of keras itself"),
    pytest.param("keras = None\nx = keras.layers\n", {}, id="not TensorFlow's"),
])
def test_noop(src, options):
    check_noop(src, **options)
