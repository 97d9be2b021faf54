from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFA007"])
check_noop = partial(tools.check_noop, select=["TFA007"])
TF = "import tensorflow as tf\n"


@pytest.mark.parametrize(("before", "after"), [
    pytest.param(TF + "a = tf.ones_like(x, optimize=True)\n", TF + "a = tf.ones_like(x)\n", id="optimize=True goes"),
    pytest.param(TF + "a = tf.zeros_like(x, dtype=tf.int32, optimize=True)\n",
                 TF + "a = tf.zeros_like(x, dtype=tf.int32)\n", id="zeros_like"),
    pytest.param(TF + "a = tf.ones_like(x, None, 'o', True)\n", TF + "a = tf.ones_like(x, None, 'o')\n",
                 id="positional optimize=True"),
    pytest.param(TF + "a = tf.ones_like(x, optimize=False)\n", TF + "a = tf.compat.v1.ones_like(x, optimize=False)\n",
                 id="optimize=False: compat.v1"),
    pytest.param(TF + "a = tf.zeros_like(x, optimize=flag)\n", TF + "a = tf.compat.v1.zeros_like(x, optimize=flag)\n",
                 id="optimize unknown: compat.v1"),
    pytest.param(TF + "i = tf.while_loop(c, b, [i, j], return_same_structure=True)\n",
                 TF + "i = tf.while_loop(c, b, [i, j])\n", id="return_same_structure=True goes"),
    pytest.param(TF + "i = tf.while_loop(c, b, [i], return_same_structure=True)\n",
                 TF + "i = tf.compat.v1.while_loop(c, b, [i], return_same_structure=True)\n",
                 id="one loop var: the argument stays, on compat.v1"),
    pytest.param(TF + "i = tf.while_loop(c, b, v, return_same_structure=False)\n",
                 TF + "i = tf.compat.v1.while_loop(c, b, v, return_same_structure=False)\n",
                 id="return_same_structure=False"),
    pytest.param(TF + "i = tf.while_loop(c, b, [i])\n", TF + "i = tf.compat.v1.while_loop(c, b, [i])\n",
                 id="one loop var without it: TF1 returned the bare tensor"),
    pytest.param(TF + "d = tf.nn.ctc_beam_search_decoder(x, n, merge_repeated=False)\n",
                 TF + "d = tf.compat.v1.nn.ctc_beam_search_decoder(x, n, merge_repeated=False)\n",
                 id="merge_repeated=False: kept on compat.v1 (its absence means True there)"),
    pytest.param(TF + "d = tf.nn.ctc_beam_search_decoder(x, n, merge_repeated=True)\n",
                 TF + "d = tf.compat.v1.nn.ctc_beam_search_decoder(x, n, merge_repeated=True)\n",
                 id="merge_repeated=True"),
    pytest.param(TF + "d = tf.nn.ctc_beam_search_decoder(x, n)\n",
                 TF + "d = tf.compat.v1.nn.ctc_beam_search_decoder(x, n)\n", id="TF1 default merged repeats"),
    pytest.param(TF + "p = tf.nn.fractional_max_pool(x, r, seed2=3)\n",
                 TF + "p = tf.compat.v1.nn.fractional_max_pool(x, r, seed2=3)\n", id="seed2"),
    pytest.param(TF + "p = tf.nn.fractional_avg_pool(x, r, deterministic=False)\n",
                 TF + "p = tf.compat.v1.nn.fractional_avg_pool(x, r, deterministic=False)\n", id="deterministic"),
    pytest.param("from tensorflow import ones_like\na = ones_like(x, optimize=False)\n",
                 "from tensorflow import ones_like\nimport tensorflow as tf\na = tf.compat.v1.ones_like(x, optimize=False)\n",
                 id="through a from-import"),
])
def test_fixes(before, after):
    check(before, after)


@pytest.mark.parametrize(("before", "after"), [
    pytest.param(TF + "a = tf.ones_like(tensor=x, optimize=False)\n",
                 TF + "a = tf.compat.v1.ones_like(tensor=x, optimize=False)\n", id="tensor= stays for compat.v1"),
    pytest.param(TF + "a = tf.ones_like(tensor=x, optimize=True)\n", TF + "a = tf.ones_like(input=x)\n",
                 id="tensor= becomes input= for TF2's"),
    pytest.param(TF + "i = tf.while_loop(c, b, [i])\n",
                 TF + "i = tf.compat.v1.while_loop(cond=c, body=b, loop_vars=[i])\n", id="with TFA002"),
])
def test_with_the_other_argument_rules(before, after):
    tools.check(before, after, select=["TFA"])


def test_not_a_rename_to_layout():
    # The data rule once renamed optimize= to 2.16's layout= (same slot, another meaning).
    tools.check(TF + "a = tf.ones_like(x, optimize=False)\n", TF + "a = tf.compat.v1.ones_like(x, optimize=False)\n",
                select=["TFA"])
    assert [f[0] for f in tools.found(TF + "a = tf.zeros_like(x, optimize=False)\n", select=["TFA"])] == ["TFA007"]


def test_defaults_are_unsafe_without_from():
    assert tools.found(TF + "d = tf.nn.ctc_beam_search_decoder(x, n)\n", select=["TFA007"],
                       source_known=False) == [("TFA007", 2, 5, "unsafe")]
    assert tools.found(TF + "a = tf.ones_like(x, optimize=False)\n", select=["TFA007"],
                       source_known=False) == [("TFA007", 2, 5, "safe")]


@pytest.mark.parametrize(("src", "options"), [
    pytest.param(TF + "a = tf.ones_like(x)\n", {}, id="plain ones_like"),
    pytest.param(TF + "a = tf.ones_like(x, tf.int32, 'o')\n", {}, id="three positionals"),
    pytest.param(TF + "i = tf.while_loop(c, b, [i, j])\n", {}, id="two loop vars"),
    pytest.param(TF + "i = tf.while_loop(c, b, loop_vars)\n", {}, id="loop vars unknown"),
    pytest.param(TF + "p = tf.nn.fractional_max_pool(x, r, seed=3)\n", {}, id="seed only"),
    pytest.param(TF + "a = tf.compat.v1.ones_like(x, optimize=False)\n", {}, id="compat.v1 already"),
    pytest.param(TF + "a = tf.ones_like(*args, optimize=False)\n", {}, id="star args"),
    pytest.param(TF + "a = tf.ones_like(x, optimize=False)\n", {"source": "2.0"}, id="TF2 source"),
    pytest.param("a = np.ones_like(x, optimize=False)\n", {}, id="numpy"),
])
def test_noop(src, options):
    check_noop(src, **options)
