from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK061"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK061"], source="2.15")


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("from keras.preprocessing.image import ImageDataGenerator\ng = ImageDataGenerator(rescale=0.5)\n",
                 "from tensorflow.keras.preprocessing.image import ImageDataGenerator\ng = ImageDataGenerator(rescale=0.5)\n",
                 id="DLwP 1st edition's import"),
    pytest.param("import keras\nt = keras.preprocessing.text.Tokenizer(num_words=10)\n",
                 "import keras\nimport tensorflow as tf\nt = tf.keras.preprocessing.text.Tokenizer(num_words=10)\n",
                 id="attribute"),
])
def test_fixes(before, after):
    check(before, after)


@pytest.mark.parametrize("src", [
    pytest.param("from keras.preprocessing.image import load_img\nx = load_img('a.png')\n", id="Keras 3 has it"),
    pytest.param("from tensorflow.keras.preprocessing.image import ImageDataGenerator\n", id="already tf.keras"),
    pytest.param("from keras.preprocessing import image\n", id="a module"),
])
def test_noop(src):
    check_noop(src)


def test_not_for_keras2_targets():
    src = "from keras.preprocessing.image import ImageDataGenerator\n"
    assert not tools.found(src, select=["TFK061"], source="2.15", keras2=True)
    assert not tools.found(src, select=["TFK061"], source="2.15", target="2.15")
