from functools import partial

import pytest

from tests.code import tools

found = partial(tools.found, select=["TFK073"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK073"], source="2.15")


@pytest.mark.parametrize("code", [
    # tensorflow/docs tutorials/customization/custom_layers.ipynb
    "import tensorflow as tf\nprint([var.name for var in layer.trainable_variables])\n",
    "import tensorflow as tf\nfor v in model.weights:\n    print(v.name, v.shape)\n",
    "import tensorflow as tf\nn = model.non_trainable_variables[0].name\n",
])
def test_weight_names_are_reported(code):
    assert [(rule, fix) for rule, _, _, fix in found(code)] == [("TFK073", "none")]


@pytest.mark.parametrize("code", [
    "import tensorflow as tf\nprint([layer.name for layer in model.layers])\n",
    "import tensorflow as tf\nprint([v.path for v in model.weights])\n",
    "import tensorflow as tf\nprint(model.name, tf.Variable(1.0).name)\n",
    "import tensorflow as tf\nfor v in model.weights:\n    pass\nprint(v.name)\n",  # not in the loop
    "import numpy as np\nprint([v.name for v in model.weights])\n",  # no Keras
])
def test_other_names_are_left_alone(code):
    check_noop(code)


def test_not_for_keras2_targets():
    assert not tools.found("import tensorflow as tf\nprint([v.name for v in m.weights])\n",
                           select=["TFK073"], source="2.15", target="2.15")
