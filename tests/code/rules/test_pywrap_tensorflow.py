from functools import partial

from tests.code import tools

check = partial(tools.check, select=["TFU006", "TFU005"])


def test_checkpoint_reader():
    check("import tensorflow as tf\nr = tf.pywrap_tensorflow.NewCheckpointReader(p)\n",
          "import tensorflow as tf\nr = tf.compat.v1.train.NewCheckpointReader(p)\n")


def test_imported_module_used_only_for_checkpoints():
    check("import tensorflow as tf\nfrom tensorflow import pywrap_tensorflow\nr = pywrap_tensorflow.NewCheckpointReader(p)\n",
          "import tensorflow as tf\nr = tf.compat.v1.train.NewCheckpointReader(p)\n")


def test_other_members_are_reported():
    src = "import tensorflow as tf\ns = tf.pywrap_tensorflow.TF_NewStatus()\n"
    assert tools.found(src, select=["TFU006"]) == [("TFU006", 2, 5, "none")]
