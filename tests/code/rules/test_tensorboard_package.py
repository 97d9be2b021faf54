import pytest

from tests.code import tools


@pytest.mark.parametrize("src", [
    "import tensorflow as tf\ncb = tf.keras.callbacks.TensorBoard(log_dir='logs')\n",
    "from tensorflow.keras.callbacks import TensorBoard\ncb = TensorBoard('logs')\n",
    "import tensorflow as tf\nw = tf.summary.create_file_writer('l')\nwith w.as_default():\n"
    "    tf.summary.scalar('loss', 1.0, step=0)\n    tf.summary.histogram('w', v, step=0)\n",
    "import keras\ncb = keras.callbacks.TensorBoard()\n",
])
def test_reported_once_with_the_package_needed(src):
    analysis = tools.engine(source="2.15", target="2.21", select=["TFK071"]).scan_text(src)
    assert [(f.id, f.applicability, f.needs) for f in analysis.findings] == [
        ("TFK071", "none", ("package:tensorboard",))]


@pytest.mark.parametrize("src", [
    "import tensorflow as tf\nw = tf.summary.create_file_writer('l')\n",
    "import tensorflow as tf\ns = tf.compat.v1.summary.scalar('a', x)\n",
    "from torch.utils.tensorboard import SummaryWriter\n",
    "import tensorflow as tf\nfrom tensorflow.keras.callbacks import TensorBoard\n",
])
def test_noop(src):
    assert tools.found(src, source="2.15", target="2.21", select=["TFK071"]) == []


def test_tensorflow_2_20_still_installs_it():
    src = "import tensorflow as tf\ncb = tf.keras.callbacks.TensorBoard('logs')\n"
    assert tools.found(src, source="2.15", target="2.20", select=["TFK071"]) == []


def test_the_upgrade_report_names_it(cli, tmp_path):
    program = tmp_path / "train.py"
    program.write_text("import tensorflow as tf\ncb = tf.keras.callbacks.TensorBoard('logs')\n")
    done = cli("upgrade", str(program), "--from", "2.15", "--to", "2.21", "--diff")
    assert "package tensorboard: pip install tensorboard" in done.stderr
