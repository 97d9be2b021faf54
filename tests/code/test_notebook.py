import json

from tests.code import tools
from tfshift.code import notebook
from tfshift.code.process import process


def make(cells, layout=None):
    nb = {"cells": [{"cell_type": kind, "metadata": {}, "source": src,
                     **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                    for kind, src in cells],
          "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
          "nbformat": 4, "nbformat_minor": 5}
    indent, sort_keys = layout or (1, True)
    return (json.dumps(nb, indent=indent, sort_keys=sort_keys, ensure_ascii=False) + "\n").encode(), nb


def run(data, upgrade=True, **options):
    return process("n.ipynb", data, tools.engine(**options), upgrade)


def test_cells_upgraded_with_imports_from_earlier_cells():
    data, _ = make([("code", ["import tensorflow as tf\n", "%matplotlib inline\n"]),
                    ("markdown", ["tf.log(x) in prose stays\n"]),
                    ("code", ["!pip install foo\n", "y = tf.log(x)\n", "files = !ls\n", "tf.nn?"])])
    result = run(data, select=["TFU001"])
    out = json.loads(result.output)
    assert out["cells"][2]["source"] == ["!pip install foo\n", "y = tf.math.log(x)\n", "files = !ls\n", "tf.nn?"]
    assert out["cells"][0]["source"] == ["import tensorflow as tf\n", "%matplotlib inline\n"]
    assert out["cells"][1]["source"] == ["tf.log(x) in prose stays\n"]
    assert [(f.id, f.cell, f.line) for f in result.applied] == [("TFU001", 3, 2)]


def test_layout_of_the_file_is_kept():
    for layout in ((1, True), (2, False), (None, True)):
        data, nb = make([("code", "import tensorflow as tf\ny = tf.log(x)")], layout)
        result = run(data, select=["TFU001"])
        nb["cells"][0]["source"] = "import tensorflow as tf\ny = tf.math.log(x)"
        assert result.output == (json.dumps(nb, indent=layout[0], sort_keys=layout[1], ensure_ascii=False)
                                 + "\n").encode()


def test_unchanged_notebook_is_not_rewritten():
    data, _ = make([("code", ["import tensorflow as tf\n", "y = tf.math.log(x)\n"])])
    assert run(data).output is None


def test_scan_reports_cell_numbers():
    data, _ = make([("code", ["import tensorflow as tf\n"]), ("code", ["x = tf.placeholder(tf.int32)\n"])])
    result = run(data, upgrade=False, select=["TFU002"])
    assert [(f.id, f.cell, f.line, f.column) for f in result.findings] == [("TFU002", 2, 1, 5)]


def test_cell_magic_cells_and_broken_cells_are_left_alone():
    data, _ = make([("code", ["%%bash\n", "echo tf.log\n"]), ("code", ["import tensorflow as tf\n", "def f(:\n"]),
                    ("code", ["import tensorflow as tf\n", "y = tf.log(x)\n"])])
    result = run(data, select=["TFU001"])
    out = json.loads(result.output)
    assert out["cells"][0]["source"] == ["%%bash\n", "echo tf.log\n"]
    assert out["cells"][1]["source"] == ["import tensorflow as tf\n", "def f(:\n"]
    assert out["cells"][2]["source"][1] == "y = tf.math.log(x)\n"
    assert [(f.id, f.cell) for f in result.findings] == [("TFX001", 2)]


def test_not_json_is_reported():
    result = run(b"{not json")
    assert result.output is None and [f.id for f in result.findings] == ["TFX002"]


def test_other_kernels_are_skipped():
    _, nb = make([("code", ["library(tf)\n"])])
    nb["metadata"]["kernelspec"]["language"] = "R"
    assert run(json.dumps(nb).encode()).findings == []


def test_mask_round_trip():
    code = "x = 1\n!ls -la \\\n  /tmp\n%time f()\nfiles = !ls\nobj?\nfor i in x:\n    %debug\n"
    masked, originals = notebook.mask(code)
    compile(masked, "cell", "exec")
    assert notebook.unmask(masked, originals) == code


def test_graph_mode_switch_goes_into_the_cell_that_imports_tensorflow():
    data, _ = make([("code", ["import tensorflow as tf\n", "x = tf.compat.v1.placeholder(tf.float32)\n"]),
                    ("code", ["s = tf.compat.v1.Session()\n"])])
    result = run(data, select=["TFG001"])
    out = json.loads(result.output)
    assert out["cells"][0]["source"] == ["import tensorflow as tf\n", "tf.compat.v1.disable_v2_behavior()\n",
                                         "x = tf.compat.v1.placeholder(tf.float32)\n"]
    assert out["cells"][1]["source"] == ["s = tf.compat.v1.Session()\n"]
    assert result.findings == []


def test_aliases_of_earlier_cells_are_bound_before_later_cells():
    data, _ = make([("code", ["import tensorflow as tf\n", "v1 = tf.compat.v1\n"]),
                    ("code", ["it = ds.make_one_shot_iterator()\n"])])
    out = json.loads(run(data, select=["TFI002"]).output)
    assert out["cells"][1]["source"] == ["it = v1.data.make_one_shot_iterator(ds)\n"]


def test_a_save_and_its_load_in_other_cells_get_the_same_keras_path():
    # tensorflow/docs save_and_load.ipynb: save in one cell, `!ls`, load in another.
    data, _ = make([("code", ["import tensorflow as tf\n", "model.save('saved_model/my_model')\n"]),
                    ("code", ["!ls saved_model\n"]),
                    ("code", ["new_model = tf.keras.models.load_model('saved_model/my_model')\n"]),
                    ("code", ["m = tf.keras.models.load_model('elsewhere')\n"])])
    for unsafe in (False, True):
        result = run(data, select=["TFK001", "TFK002"], source="2.15", unsafe=unsafe)
        out = json.loads(result.output)
        assert out["cells"][0]["source"][1] == "model.save('saved_model/my_model.keras')\n"
        assert out["cells"][2]["source"] == ["new_model = tf.keras.models.load_model('saved_model/my_model.keras')\n"]
        assert {(f.id, f.cell, f.applicability) for f in result.applied} == {("TFK001", 1, "safe"),
                                                                            ("TFK002", 3, "safe")} | (
            {("TFK002", 4, "unsafe")} if unsafe else set())
    again = run(json.dumps(out).encode(), select=["TFK001", "TFK002"], source="2.15", unsafe=True)
    assert not again.applied


def test_a_later_cell_using_the_backend_alias_is_upgraded():
    data, _ = make([("code", ["import tensorflow as tf\n", "from tensorflow import keras\n"]),
                    ("code", ["K = keras.backend\n"]),
                    ("code", ["i = K.argmax(p)\n"])])
    out = json.loads(run(data, select=["TFK007"], source="2.15").output)
    assert out["cells"][2]["source"] == ["i = keras.ops.argmax(p, axis=-1)\n"]


def test_weights_saved_in_one_cell_and_loaded_in_another_get_the_same_path():
    # ageron/handson-ml2 10_neural_nets_with_keras.ipynb: save_weights and load_weights in two cells.
    data, _ = make([("code", ["import tensorflow as tf\n", "model.save_weights('my_keras_weights.ckpt')\n"]),
                    ("code", ["model.load_weights('my_keras_weights.ckpt')\n"]),
                    ("code", ["model.load_weights('pretrained/ckpt')\n"])])
    result = run(data, select=["TFK003"], source="2.15")
    out = json.loads(result.output)
    assert out["cells"][0]["source"][1] == "model.save_weights('my_keras_weights.ckpt.weights.h5')\n"
    assert out["cells"][1]["source"] == ["model.load_weights('my_keras_weights.ckpt.weights.h5')\n"]
    assert out["cells"][2]["source"] == ["model.load_weights('pretrained/ckpt')\n"]  # not this notebook's
    assert {(f.id, f.cell, f.applicability) for f in result.applied} == {("TFK003", 1, "safe"),
                                                                        ("TFK003", 2, "safe")}
    assert not run(json.dumps(out).encode(), select=["TFK003"], source="2.15", unsafe=True).applied
