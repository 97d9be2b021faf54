from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFA006"])
check_noop = partial(tools.check_noop, select=["TFA006"])
G = "import tensorflow as tf\ng = tf.image.extract_glimpse("


@pytest.mark.parametrize(("before", "after"), [
    pytest.param(G + "x, s, o, uniform_noise=True)\n", G + 'x, s, o, noise="uniform")\n', id="True"),
    pytest.param(G + "x, s, o, uniform_noise=False)\n", G + 'x, s, o, noise="gaussian")\n', id="False"),
    pytest.param(G + "x, s, o, uniform_noise=flag)\n", G + 'x, s, o, noise="uniform" if (flag) else "gaussian")\n',
                 id="expression"),
    pytest.param(G + "x, s, o, True, True, False, 'g')\n", G + "x, s, o, True, True, noise=\"gaussian\", name='g')\n",
                 id="positional, with a name after it"),
    pytest.param(G + "x, s, o, centered=True, normalized=False, uniform_noise=False)\n",
                 G + 'x, s, o, centered=True, normalized=False, noise="gaussian")\n', id="one of them false"),
    # TF2's windows differ when both are false: TF1's function.
    pytest.param(G + "x, s, o, centered=False, normalized=False)\n",
                 "import tensorflow as tf\ng = tf.compat.v1.image.extract_glimpse(x, s, o, centered=False, "
                 "normalized=False)\n", id="centered and normalized false"),
    pytest.param(G + "x, s, o, False, c, uniform_noise=False)\n",
                 "import tensorflow as tf\ng = tf.compat.v1.image.extract_glimpse(x, s, o, False, c, "
                 "uniform_noise=False)\n", id="maybe both false: compat.v1 keeps uniform_noise"),
])
def test_fixes(before, after):
    check(before, after)


def test_the_data_rule_does_not_take_the_slot_for_a_rename():
    # TFA100 once wrote noise=False (a bool where TF2 wants a string).
    tools.check(G + "x, s, o, uniform_noise=False)\n", G + 'x, s, o, noise="gaussian")\n', select=["TFA"])


def test_positional_non_literal_is_unsafe_without_from():
    assert tools.found(G + "x, s, o, True, True, flag)\n", select=["TFA006"], source_known=False) == [
        ("TFA006", 2, 51, "unsafe")]


@pytest.mark.parametrize(("src", "options"), [
    pytest.param(G + "x, s, o)\n", {}, id="defaults"),
    pytest.param(G + "x, s, o, noise='gaussian')\n", {}, id="TF2 keyword"),
    pytest.param(G + "x, s, o, True, True, 'zero')\n", {}, id="TF2 positional noise"),
    pytest.param(G + "x, s, o, centered=False)\n", {}, id="only centered false"),
    pytest.param(G + "*args)\n", {}, id="star args"),
    pytest.param("import tensorflow as tf\ng = tf.compat.v1.image.extract_glimpse(x, s, o, uniform_noise=False)\n",
                 {}, id="compat.v1"),
    pytest.param(G + "x, s, o, uniform_noise=False)\n", {"source": "2.0"}, id="TF2 source"),
])
def test_noop(src, options):
    check_noop(src, **options)
