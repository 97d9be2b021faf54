from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFA008"])
check_noop = partial(tools.check_noop, select=["TFA008"])
TF = "import tensorflow as tf\n"


@pytest.mark.parametrize(("before", "after"), [
    pytest.param(TF + "w = tf.strings.split(lines)\n", TF + "w = tf.strings.split(lines).to_sparse()\n",
                 id="default SparseTensor"),
    pytest.param(TF + "w = tf.strings.split(lines, sep=' ')\n", TF + "w = tf.strings.split(lines, sep=' ').to_sparse()\n",
                 id="with sep"),
    pytest.param(TF + "w = tf.strings.split(lines, result_type='SparseTensor')\n",
                 TF + "w = tf.strings.split(lines).to_sparse()\n", id="result_type SparseTensor"),
    pytest.param(TF + "w = tf.strings.split(source=lines, sep=',', result_type='RaggedTensor')\n",
                 TF + "w = tf.compat.v2.strings.split(input=lines, sep=',')\n", id="result_type RaggedTensor"),
    pytest.param(TF + "w = tf.strings.split(lines, ',', -1, 'SparseTensor')\n",
                 TF + "w = tf.strings.split(lines, ',', -1).to_sparse()\n", id="positional result_type"),
    pytest.param(TF + "w = tf.strings.split(lines, result_type=kind)\n",
                 TF + "w = tf.compat.v1.strings.split(lines, result_type=kind)\n", id="result_type unknown"),
    pytest.param(TF + "n = tf.sparse.to_dense(tf.strings.split(\n    lines))\n",
                 TF + "n = tf.sparse.to_dense(tf.strings.split(\n    lines).to_sparse())\n", id="nested, multi-line"),
])
def test_fixes(before, after):
    check(before, after)


def test_unsafe_without_from_unless_the_call_is_tf1_only():
    assert tools.found(TF + "w = tf.strings.split(lines)\n", select=["TFA008"], source_known=False) == [
        ("TFA008", 2, 5, "unsafe")]
    assert tools.found(TF + "w = tf.strings.split(source=lines)\n", select=["TFA008"], source_known=False) == [
        ("TFA008", 2, 5, "safe")]


def test_star_args_are_reported_without_fix():
    assert tools.found(TF + "w = tf.strings.split(*a)\n", select=["TFA008"]) == [("TFA008", 2, 5, "none")]


@pytest.mark.parametrize(("src", "options"), [
    pytest.param(TF + "w = tf.strings.split(lines).to_sparse()\n", {}, id="already to_sparse"),
    pytest.param(TF + "w = tf.compat.v2.strings.split(lines)\n", {}, id="compat.v2"),
    pytest.param(TF + "w = tf.compat.v1.strings.split(lines)\n", {}, id="compat.v1"),
    pytest.param(TF + "w = tf.string_split(lines)\n", {}, id="tf.string_split (TFU002's)"),
    pytest.param(TF + "f = tf.strings.split\n", {}, id="not called"),
    pytest.param(TF + "w = tf.strings.split(lines)\n", {"source": "2.0"}, id="TF2 source"),
    pytest.param("w = s.split(',')\n", {}, id="str.split"),
])
def test_noop(src, options):
    check_noop(src, **options)
