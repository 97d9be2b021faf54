from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFA009"])
check_noop = partial(tools.check_noop, select=["TFA009"])
TF = "import tensorflow as tf\n"


@pytest.mark.parametrize(("before", "after"), [
    pytest.param(TF + "with tf.device(lambda op: '/cpu:0'):\n    pass\n",
                 TF + "with tf.compat.v1.device(lambda op: '/cpu:0'):\n    pass\n", id="lambda"),
    pytest.param(TF + "with tf.device(tf.train.replica_device_setter(ps_tasks=2)):\n    pass\n",
                 TF + "with tf.compat.v1.device(tf.train.replica_device_setter(ps_tasks=2)):\n    pass\n",
                 id="replica_device_setter"),
    pytest.param(TF + "def place(op):\n    return '/cpu:0'\nwith tf.device(place):\n    pass\n",
                 TF + "def place(op):\n    return '/cpu:0'\nwith tf.compat.v1.device(place):\n    pass\n",
                 id="function defined in the file"),
    pytest.param(TF + "with tf.device(device_name_or_function=lambda op: 'cpu'):\n    pass\n",
                 TF + "with tf.compat.v1.device(device_name_or_function=lambda op: 'cpu'):\n    pass\n",
                 id="TF1 keyword"),
])
def test_fixes(before, after):
    check(before, after)


def test_a_name_that_suggests_a_function_is_unsafe():
    src = TF + "with tf.device(self._device_fn):\n    pass\n"
    assert tools.found(src, select=["TFA009"]) == [("TFA009", 2, 6, "unsafe")]
    check(src, TF + "with tf.compat.v1.device(self._device_fn):\n    pass\n", unsafe=True)


@pytest.mark.parametrize("arg", ["'/cpu:0'", "None", "f'/gpu:{i}'", "'/gpu:%d' % i", "'/gpu:' + str(i)",
                                 "'/gpu:{}'.format(i)", "device", "self.device_name", "dev", "get_device()"])
def test_device_strings_and_unknown_values_are_left_alone(arg):
    check_noop(TF + f"with tf.device({arg}):\n    pass\n")


@pytest.mark.parametrize(("src", "options"), [
    pytest.param(TF + "with tf.compat.v1.device(lambda op: 'cpu'):\n    pass\n", {}, id="compat.v1"),
    pytest.param(TF + "with tf.device(lambda op: 'cpu'):\n    pass\n", {"source": "2.0"}, id="TF2 source"),
    pytest.param("with device(lambda op: 'cpu'):\n    pass\n", {}, id="not TensorFlow's"),
])
def test_noop(src, options):
    check_noop(src, **options)
