import pytest

from tests.code import tools

HEAD = "import tensorflow as tf\nfrom tensorflow import keras\n"


@pytest.mark.parametrize("src", [
    "inputs = {'foo': keras.Input(shape=(1,)), 'bar': {'baz': keras.Input(shape=(1,))}}\n"
    "model = keras.Model(inputs, inputs['foo'] + inputs['bar']['baz'])\n",
    "a = keras.Input(shape=(1,))\nm = tf.keras.Model(inputs=[[a]], outputs=a)\n",
    "foo = keras.Input(shape=(1,))\ny = Custom()({'foo': foo, 'bar': {'baz': None}})\n",
])
def test_reported(src):
    assert [f[0] + f[3] for f in tools.found(HEAD + src, select=["TFK060"], source="2.15",
                                                          target="2.20")] == ["TFK060none"]
    # Keras 3.15 (TF 2.21) builds and runs them (tests/code/test_keras3_runs.py: nested_inputs)
    assert not tools.found(HEAD + src, select=["TFK060"], source="2.15", target="2.21")


@pytest.mark.parametrize("src", [
    "inputs = {'foo': keras.Input(shape=(1,)), 'baz': keras.Input(shape=(1,))}\nm = keras.Model(inputs, inputs['foo'])\n",
    "a = keras.Input(shape=(1,))\nm = keras.Model([a], [a, a])\n",
    "foo = keras.Input(shape=(1,))\ny = Custom()({'foo': foo, 'bar': None})\n",
    "cfg = {'a': {'b': None}}\nm = keras.Model(x, y)\n",
])
def test_noop(src):
    assert not tools.found(HEAD + src, select=["TFK060"], source="2.15", target="2.20")
