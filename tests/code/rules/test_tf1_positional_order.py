from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFA002"])
check_noop = partial(tools.check_noop, select=["TFA002"])


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import tensorflow as tf\nm = tf.argmax(x, 1, 'idx')\n",
                 "import tensorflow as tf\nm = tf.argmax(x, 1, name='idx')\n", id="argmax name"),
    pytest.param("import tensorflow as tf\nm = tf.boolean_mask(a, b, c, d)\n",
                 "import tensorflow as tf\nm = tf.boolean_mask(a, b, name=c, axis=d)\n",
                 id="positions that moved named"),
    pytest.param("import tensorflow as tf\nm = tf.argmax(x, x2, 'idx')\n",
                 "import tensorflow as tf\nm = tf.argmax(x, x2, name='idx')\n",
                 id="a renamed keyword is written in its TF2 spelling"),
])
def test_fixes(before, after):
    check(before, after)


@pytest.mark.parametrize("src", [
    pytest.param("import tensorflow as tf\nm = tf.argmax(x, 1)\n", id="positions that did not move"),
    pytest.param("import tensorflow as tf\nm = tf.argmax(x, axis=1, name='i')\n", id="keywords"),
    pytest.param("import tensorflow.compat.v1 as tf\nm = tf.argmax(x, 1, 'idx')\n", id="compat.v1"),
    pytest.param("m = argmax(x, 1, 'idx')\n", id="not tensorflow"),
])
def test_noop(src):
    check_noop(src)


def test_star_args_reported_without_fix():
    assert tools.found("import tensorflow as tf\nm = tf.argmax(*a)\n", select=["TFA002"]) == [
        ("TFA002", 2, 5, "none")]


def test_unsafe_when_the_source_version_was_not_given():
    src = "import tensorflow as tf\nm = tf.argmax(x, 1, tf.int64)\n"
    assert tools.found(src, select=["TFA002"], source_known=False) == [("TFA002", 2, 5, "unsafe")]
    tools.check_noop(src, select=["TFA002"], source_known=False)


@pytest.mark.parametrize("src", [
    "import tensorflow as tf\ny = tf.sparse.concat(0, [a, b], None, True, 1)\n",
    # tf.argmax(input, axis, name, dimension): TF1 raised for both axis and dimension
    "import tensorflow as tf\nm = tf.argmax(x, 1, 'idx', 0)\n",
])
def test_positional_alias_reported(src):
    assert [f[0] for f in tools.found(src, select=["TFA002"])] == ["TFA002"]
    tools.check_noop(src, select=["TFA002"])


def test_positional_alias_of_a_positional_parameter_is_reported():
    """tf.sparse.concat's fifth positional is concat_dim, TF1's alias of axis (the first)."""
    src = "import tensorflow as tf\ny = tf.sparse.concat(0, [a, b], None, True, 1)\n"
    assert tools.found(src, select=["TFA002"]) == [("TFA002", 2, 5, "none")]
