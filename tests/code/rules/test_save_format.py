from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK001"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK001"], source="2.15")


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import tensorflow as tf\nmodel.save('exported')\nm = tf.keras.models.load_model('exported')\n",
                 "import tensorflow as tf\nmodel.save('exported.keras')\nm = tf.keras.models.load_model('exported.keras')\n",
                 id="round trip in the file"),
    pytest.param("import tensorflow as tf\nmodel.save('m.h5', save_format='h5')\n",
                 "import tensorflow as tf\nmodel.save('m.h5')\n", id="save_format dropped"),
    pytest.param("import keras\nkeras.models.save_model(model, \"out\", save_format=\"h5\")\nkeras.models.load_model(\"out\")\n",
                 "import keras\nkeras.models.save_model(model, \"out.h5\")\nkeras.models.load_model(\"out.h5\")\n",
                 id="save_model with h5 format: .h5"),
    pytest.param("import tensorflow as tf\nmodel.save('d', overwrite=True, save_format='tf')\ntf.keras.models.load_model('d')\n",
                 "import tensorflow as tf\nmodel.save('d.keras', overwrite=True)\ntf.keras.models.load_model('d.keras')\n",
                 id="tf format"),
])
def test_fixes(before, after):
    check(before, after)


def test_only_saved_here_is_unsafe():
    src = "import tensorflow as tf\nmodel.save('exported')\n"
    assert tools.found(src, select=["TFK001"], source="2.15") == [("TFK001", 2, 12, "unsafe")]
    check(src, "import tensorflow as tf\nmodel.export('exported', verbose=False)\n", unsafe=True)
    # Keras 3.6+ prints the export's endpoints; only TF 2.21+ is sure to have such a Keras
    check(src, "import tensorflow as tf\nmodel.export('exported')\n", unsafe=True, target="2.18")


@pytest.mark.parametrize(("before", "after"), [
    ("import tensorflow as tf\ntf.keras.models.save_model(net, 'srv', save_format='tf')\n",
     "import tensorflow as tf\nnet.export('srv', verbose=False)\n"),
    ("import tensorflow as tf\nself.model.save('srv', overwrite=True)\n", "import tensorflow as tf\nself.model.export('srv', verbose=False)\n"),
    # export takes no signatures=: the path gets .keras
    ("import tensorflow as tf\nmodel.save('srv', signatures=sig)\n", "import tensorflow as tf\nmodel.save('srv.keras', signatures=sig)\n"),
])
def test_saved_for_serving_is_exported_by_the_unsafe_fix(before, after):
    check(before, after, unsafe=True)


@pytest.mark.parametrize("train", ["m.fit(x, y)", "m.train_on_batch(x, y)"])
def test_reloaded_and_trained_on_is_unsafe(train):
    """A .keras file carries the optimizer's state into training; Keras 2's SavedModel reload
    restarted it (tests/code/test_keras3_runs.py: savedmodel_resume)."""
    src = f"import tensorflow as tf\nmodel.save('d')\nm = tf.keras.models.load_model('d')\n{train}\n"
    assert tools.found(src, select=["TFK001"], source="2.15") == [("TFK001", 2, 12, "unsafe")]
    assert "compile the reloaded model again" in tools.messages(src, select=["TFK001"], source="2.15")[0]


def test_subclassed_model_without_get_config_is_unsafe():
    """Keras 3 raises NotImplementedError saving it to .keras (handson-ml2 chapter 12's
    ResidualRegressor); Keras 2's SavedModel needed no get_config."""
    src = ("import tensorflow as tf\nfrom tensorflow import keras\n"
           "class Regressor(keras.models.Model):\n    def __init__(self, output_dim, **kwargs):\n"
           "        super().__init__(**kwargs)\n\n"
           "model = Regressor(1)\nmodel.save('m.ckpt')\nmodel = keras.models.load_model('m.ckpt')\n")
    assert tools.found(src, select=["TFK001"], source="2.15") == [("TFK001", 8, 12, "unsafe")]
    assert "Regressor takes __init__ arguments" in tools.messages(src, select=["TFK001"], source="2.15")[0]
    with_config = src.replace("\n\nmodel", "\n    def get_config(self):\n        return {}\n\nmodel")
    assert tools.found(with_config, select=["TFK001"], source="2.15") == [("TFK001", 10, 12, "safe")]


def test_reloaded_compiled_and_trained_on_is_safe():
    src = ("import tensorflow as tf\nmodel.save('d')\nm = tf.keras.models.load_model('d')\n"
           "m.compile('adam', 'mse')\nm.fit(x, y)\nmodel.fit(x, y)\n")
    assert tools.found(src, select=["TFK001"], source="2.15") == [("TFK001", 2, 12, "safe")]


def test_path_in_a_variable_is_reported_without_fix():
    assert tools.found("import tensorflow as tf\nmodel.save(path)\n", select=["TFK001"], source="2.15") == [
        ("TFK001", 2, 12, "none")]


@pytest.mark.parametrize("src", [
    pytest.param("import tensorflow as tf\nmodel.save('m.keras')\n", id="native path"),
    pytest.param("import tensorflow as tf\nsaver.save(sess, 'ckpt/model')\n", id="tf.train.Saver.save"),
    pytest.param("image.save('picture')\n", id="file without TensorFlow"),
    pytest.param("import tensorflow as tf\nimg.save('out.png', format='PNG')\n", id="other keyword"),
    pytest.param("import tensorflow as tf\nmodel.save(f'{name}.keras')\n", id="f-string"),
    pytest.param("import tensorflow as tf\nimage.save('out.png')\n", id="a picture, not a model"),
    pytest.param("import tensorflow as tf\nsave = tf.train.Checkpoint()\nsave.listed = [tf.Variable(1.)]\n"
                 "save_path = save.save('./tf_list_example')\n", id="tf.train.Checkpoint (TF guide checkpoint)"),
    pytest.param("import tensorflow as tf\nm = tf.train.CheckpointManager(ckpt, 'd', 3)\nm.save('x')\n",
                 id="CheckpointManager"),
])
def test_noop(src):
    check_noop(src)


def test_not_for_keras2_targets():
    assert tools.found("import tensorflow as tf\nmodel.save('d')\n", select=["TFK001"], source="2.15",
                       keras2=True) == []


@pytest.mark.parametrize("src", [
    # cnn-text-classification-tf: a TF1 project with no Keras anywhere
    "import tensorflow as tf\nfrom tensorflow.contrib import learn\n"
    "vocab_processor = learn.preprocessing.VocabularyProcessor(10)\nvocab_processor.save('vocab')\n",
])
def test_no_keras_no_finding_in_tf1_code(src):
    assert tools.found(src, select=["TFK001"], source="1.15") == []


def test_keras_evidence_in_tf1_code():
    src = "import tensorflow as tf\nm = tf.keras.Sequential()\nm.save('exported')\n"
    assert [f[0] for f in tools.found(src, select=["TFK001"], source="1.15")] == ["TFK001"]
    src = "import tensorflow as tf\nm.save('exported', save_format='tf')\n"
    assert [f[0] for f in tools.found(src, select=["TFK001"], source="1.15")] == ["TFK001"]


@pytest.mark.parametrize("cells", [
    pytest.param(["class Regressor(tf.keras.Model):\n    def __init__(self, n):\n        super().__init__()\n",
                  "model = Regressor(1)\n"], id="model class without get_config (handson-ml2 ch. 12)"),
    pytest.param(["model = tf.keras.Sequential()\n", "new_model.fit(x, y)\n"], id="reloaded and trained on"),
])
def test_notebook_pair_stays_together_when_the_fix_is_unsafe(cells):
    """The save's fix is unsafe here, and the load in another cell goes with it."""
    from tests.code.test_notebook import make, run

    data, _ = make([("code", ["import tensorflow as tf\n"]), *(("code", [c]) for c in cells),
                    ("code", ["model.save('my_model')\n"]),
                    ("code", ["new_model = tf.keras.models.load_model('my_model')\n"])])
    found = run(data, upgrade=False, select=["TFK001", "TFK002"], source="2.15")
    assert {(f.id, f.applicability) for f in found.findings} == {("TFK001", "unsafe"), ("TFK002", "unsafe")}
