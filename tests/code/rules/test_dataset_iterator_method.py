from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFI002"])
check_noop = partial(tools.check_noop, select=["TFI002"])


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import tensorflow as tf\nb = dataset.make_one_shot_iterator().get_next()\n",
                 "import tensorflow as tf\nb = tf.compat.v1.data.make_one_shot_iterator(dataset).get_next()\n",
                 id="one shot"),
    pytest.param("import tensorflow as tf\nit = ds.batch(2).make_initializable_iterator()\n",
                 "import tensorflow as tf\nit = tf.compat.v1.data.make_initializable_iterator(ds.batch(2))\n",
                 id="initializable, expression receiver"),
    pytest.param("import tensorflow as tf\nt = dataset.output_types\n",
                 "import tensorflow as tf\nt = tf.compat.v1.data.get_output_types(dataset)\n", id="property"),
])
def test_fixes(before, after):
    check(before, after)


@pytest.mark.parametrize("src", [
    pytest.param("import tensorflow as tf\nit = tf.compat.v1.data.make_one_shot_iterator(ds)\n", id="fixed"),
    pytest.param("import tensorflow as tf\nit = iter(ds)\n", id="TF2"),
    pytest.param("b = dataset.make_one_shot_iterator()\n", id="file does not use TensorFlow"),
    pytest.param("import tensorflow as tf\nt = model.output_types\n", id="property of something else"),
    pytest.param("import tensorflow as tf\nit = ds.make_one_shot_iterator(shared_name='x')\n",
                 id="arguments the function does not take"),
])
def test_noop(src):
    check_noop(src)


def test_initializable_iterator_shared_name():
    tools.check("import tensorflow as tf\nit = ds.make_initializable_iterator(shared_name='it')\n",
                "import tensorflow as tf\nit = tf.compat.v1.data.make_initializable_iterator(ds, shared_name='it')\n",
                select=["TFI002"])
