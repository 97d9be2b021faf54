from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFI001"])
check_noop = partial(tools.check_noop, select=["TFI001"])


@pytest.mark.parametrize(("before", "after"), [
    pytest.param(
        "import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, output_types=tf.float32, output_shapes=(None, 3))\n",
        "import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec(shape=(None, 3), dtype=tf.float32))\n",
        id="single"),
    pytest.param(
        "import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, (tf.float32, tf.int64), ((3,), ()))\n",
        "import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, output_signature=(tf.TensorSpec(shape=(3,), dtype=tf.float32), tf.TensorSpec(shape=(), dtype=tf.int64)))\n",
        id="positional tuple"),
    pytest.param(
        "import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, {'a': tf.int32}, {'a': [2]})\n",
        "import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, output_signature={'a': tf.TensorSpec(shape=[2], dtype=tf.int32)})\n",
        id="dict"),
    pytest.param(
        "import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, output_types=tf.string)\n",
        "import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec(shape=None, dtype=tf.string))\n",
        id="types only"),
    pytest.param(
        "import tensorflow as tf\nds = tf.data.Dataset.from_generator(\n    gen,\n    output_types=tf.float32,\n    output_shapes=[3],\n    args=(1,))\n",
        "import tensorflow as tf\nds = tf.data.Dataset.from_generator(\n    gen,\n    output_signature=tf.TensorSpec(shape=[3], dtype=tf.float32),\n    args=(1,))\n",
        id="multi-line with args"),
])
def test_fixes(before, after):
    check(before, after, source="2.0")


@pytest.mark.parametrize("source", ["2.4", "2.10", "2.15"])
def test_code_written_for_2_4_or_later_is_fixed_too(source):
    check("import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, output_types=tf.float32)\n",
          "import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec(shape=None, dtype=tf.float32))\n",
          source=source)
    assert tools.found("import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, output_types=tf.float32)\n",
                       source=source, target="2.21", select=["TFI001", "TFU101"]) == [("TFI001", 2, 42, "safe")]


def test_structures_that_do_not_line_up_are_reported_without_fix():
    src = "import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, types, shapes)\n"
    assert tools.found(src, select=["TFI001"], source="2.0") == [("TFI001", 2, 42, "none")]


@pytest.mark.parametrize(("src", "options"), [
    pytest.param("import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, output_signature=s)\n",
                 {"source": "2.0"}, id="already output_signature"),
    pytest.param("import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, tf.float32)\n",
                 {"source": "2.0", "target": "2.3"}, id="target before 2.4 has no output_signature"),
    pytest.param("ds = Dataset.from_generator(gen, output_types=x)\n", {"source": "2.0"}, id="other Dataset"),
    pytest.param("import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, output_types=tf.float32)\n",
                 {"source": "2.1", "target": "2.3"}, id="2.x target before 2.4"),
    pytest.param("import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen)\n",
                 {"source": "2.10"}, id="no types at all"),
    pytest.param("import tensorflow as tf\nds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec(None, tf.float32))\n",
                 {"source": "2.10"}, id="2.4+ code already on output_signature"),
])
def test_noop(src, options):
    check_noop(src, **options)
