"""The engine: names, positions, encodings, rounds of fixes, files it must not touch."""

import ast
import re
from pathlib import Path
from textwrap import dedent

import pytest

from tests.code import tools
from tfshift.code.process import process


def run(data: bytes, upgrade=True, **options):
    return process("f.py", data, tools.engine(**options), upgrade)


@pytest.mark.parametrize("src", [
    pytest.param("import tensorflow as tf\n", id="import as"),
    pytest.param("import tensorflow\ntf = tensorflow\n", id="module alias of the package"),
    pytest.param("try:\n    import tensorflow.compat.v2 as tf\nexcept ImportError:\n    import tensorflow as tf\n",
                 id="first import in a try wins"),
])
def test_resolution_variants(src):
    new, _, _ = tools.upgrade(src + "y = tf.log(x)\n", select=["TFU001"])
    expected = "tf.math.log(x)" if "compat.v2" not in src else "tf.log(x)"
    assert new.endswith(f"y = {expected}\n")


def test_everything_but_the_edit_is_byte_identical():
    src = dedent('''\
        #!/usr/bin/env python
        # -*- coding: utf-8 -*-
        """Docstring with tf.log(x) inside."""
        import tensorflow   as tf   # odd spacing


        def f( a ,b ):   # comment
            return tf.log( a )+b  ;  z = 1
        x = [
            1,  # one
        ]
        ''')
    new, _, _ = tools.upgrade(src, select=["TFU001"])
    assert new == src.replace("tf.log( a )", "tf.math.log( a )")


def test_columns_after_non_ascii_text_on_the_same_line():
    src = 'import tensorflow as tf\ns = "héllo ✓"; y = tf.log(x)\n'
    new, _, _ = tools.upgrade(src, select=["TFU001"])
    assert new == 'import tensorflow as tf\ns = "héllo ✓"; y = tf.math.log(x)\n'
    [finding] = tools.engine(select=["TFU001"]).scan_text(src).findings
    assert (finding.line, finding.column, finding.end_column) == (2, 20, 26)  # characters, not bytes


@pytest.mark.parametrize(("data", "expected"), [
    pytest.param(b"\xef\xbb\xbfimport tensorflow as tf\r\ny = tf.log(x)\r\n",
                 b"\xef\xbb\xbfimport tensorflow as tf\r\ny = tf.math.log(x)\r\n", id="BOM and CRLF"),
    pytest.param(b"# -*- coding: latin-1 -*-\nimport tensorflow as tf\ns = '\xe9t\xe9'; y = tf.log(x)\n",
                 b"# -*- coding: latin-1 -*-\nimport tensorflow as tf\ns = '\xe9t\xe9'; y = tf.math.log(x)\n",
                 id="declared latin-1"),
    pytest.param(b"import tensorflow as tf\nif 1:\n\ty = tf.log(x)\n\tz = 2\n",
                 b"import tensorflow as tf\nif 1:\n\ty = tf.math.log(x)\n\tz = 2\n", id="tabs"),
    pytest.param(b"import tensorflow as tf\ry = tf.log(x)\r", b"import tensorflow as tf\ry = tf.math.log(x)\r",
                 id="old Mac line endings"),
    pytest.param(b"import tensorflow as tf\ny = tf.log(x)", b"import tensorflow as tf\ny = tf.math.log(x)",
                 id="no final newline"),
])
def test_encodings_and_line_endings_kept(data, expected):
    result = run(data, select=["TFU001"])
    assert result.output == expected


def test_inserted_lines_use_the_files_line_ending():
    result = run(b"import tensorflow as tf\r\nx = tf.to_float(1)\r\n", select=["TFU003"])
    assert result.output == b"import tensorflow as tf\r\nx = tf.cast(1, tf.float32)\r\n"
    result = run(b"x = y.shape[0].value\r\n", select=["TFG002"])
    assert result.output == b"import tensorflow as tf\r\nx = tf.compat.dimension_value(y.shape[0])\r\n"


@pytest.mark.parametrize("data", [
    pytest.param(b"import tensorflow as tf\nprint 'hello'\ny = tf.log(x)\n", id="Python 2 print"),
    pytest.param(b"import tensorflow as tf\ntry:\n    pass\nexcept Exception, e:\n    pass\n", id="Python 2 except"),
    pytest.param(b"import tensorflow as tf\ny = tf.log(x\n", id="syntax error"),
    pytest.param(b"import tensorflow as tf\ny = tf.log(x)\x00\n", id="null byte"),
])
def test_unparseable_files_are_reported_and_left_alone(data):
    result = run(data)
    assert result.output is None
    assert [f.id for f in result.findings] == ["TFX001"]


@pytest.mark.parametrize("data", [
    pytest.param(b"import tensorflow as tf\ns = '\xff\xfe'\n", id="not UTF-8"),
    pytest.param(b"# -*- coding: no-such-codec -*-\nimport tensorflow as tf\n", id="unknown codec"),
    pytest.param(b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nx = 1\n", id="BOM against cookie"),
])
def test_undecodable_files_are_reported_and_left_alone(data):
    result = run(data)
    assert result.output is None
    assert [f.id for f in result.findings] == ["TFX002"]


@pytest.mark.parametrize("src", [
    pytest.param("import tensorflow as tf\nif (n := tf.log(x)) > 0:\n    pass\n", id="walrus"),
    pytest.param("import tensorflow as tf\nmatch cmd:\n    case 'a':\n        y = tf.log(x)\n", id="match"),
    pytest.param("import tensorflow as tf\ntry:\n    y = tf.log(x)\nexcept* ValueError:\n    pass\n",
                 id="except star"),
    pytest.param("import tensorflow as tf\nasync def f():\n    async with g() as h:\n        return tf.log(x)\n",
                 id="async"),
    pytest.param("import tensorflow as tf\nwith (open(a) as f,\n      open(b) as g):\n    y = tf.log(x)\n",
                 id="parenthesised context managers"),
    pytest.param("import tensorflow as tf\ny = f'{tf.log(x)=}'\n", id="f-string = specifier"),
])
def test_modern_syntax_is_upgraded(src):
    new, applied, _ = tools.upgrade(src, select=["TFU001"])
    assert "tf.math.log(x)" in new and applied
    ast.parse(new)


def test_overlapping_fixes_settle_over_rounds_and_a_second_run_changes_nothing():
    src = dedent("""\
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 3])
        s = tf.reduce_sum(tf.log(x), reduction_indices=1, keep_dims=True)
        h = tf.nn.dropout(tf.layers.dense(x, 4), keep_prob=0.5)
        n = x.shape[1].value
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
        tf.app.run()
        """)
    new, applied, _ = tools.upgrade(src)
    assert new == dedent("""\
        import tensorflow as tf
        tf.compat.v1.disable_v2_behavior()
        x = tf.compat.v1.placeholder(tf.float32, [None, 3])
        s = tf.reduce_sum(tf.math.log(x), axis=1, keepdims=True)
        h = tf.nn.dropout(tf.compat.v1.layers.dense(x, 4), rate=1 - 0.5)
        n = tf.compat.dimension_value(x.shape[1])
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
        tf.compat.v1.app.run()
        """)
    assert {f.id for f in applied} == {"TFG001", "TFU001", "TFU002", "TFA001", "TFA003", "TFG002"}
    again, more, _ = tools.upgrade(new)
    assert again == new and not more


def test_unsafe_fixes_only_on_request():
    src = "import tensorflow as tf\ndef f():\n    return tf.placeholder(tf.int32)\n"
    safe, _, left = tools.upgrade(src, select=["TFG001"])
    assert safe == src and [f.applicability for f in left.findings] == ["unsafe"]
    unsafe, _, left = tools.upgrade(src, select=["TFG001"], unsafe=True)
    assert "disable_v2_behavior()" in unsafe and not left.findings


@pytest.mark.parametrize("comment", ["# tfshift: ignore[TFU001]", "# tfshift: ignore[renamed-in-tf2, TFA001]",
                                     "# tfshift: ignore", "#tfshift:ignore[tfu001]"])
def test_suppression_comments(comment):
    tools.check_noop(f"import tensorflow as tf\ny = tf.log(x)  {comment}\n", select=["TFU001"])


def test_suppression_of_another_rule_does_not_hide_this_one():
    assert tools.found("import tensorflow as tf\ny = tf.log(x)  # tfshift: ignore[TFU002]\n",
                       select=["TFU001"]) == [("TFU001", 2, 5, "safe")]


def test_suppression_on_the_last_line_of_a_multiline_statement():
    tools.check_noop("import tensorflow as tf\ny = tf.reduce_sum(\n    x, keep_dims=True)  # tfshift: ignore\n",
                     select=["TFA001"])


def _key(finding):
    return finding.id, finding.line, finding.column


CORPUS_PROGRAMS = sorted((Path(__file__).parent / "fixtures" / "corpus").glob("*.py"))


@pytest.mark.parametrize(("src", "options"), [
    *[pytest.param(p.read_text(), {"source": re.search(r"from=(\S+)", p.read_text()).group(1)}, id=p.stem)
      for p in CORPUS_PROGRAMS],
    pytest.param("import tensorflow as tf\no = tf.keras.optimizers.Adam(0.01)\n", {}, id="Adam (TFU001 against TFK008)"),
    pytest.param("import tensorflow as tf\nds = tf.data.Dataset.from_generator(g, output_types=tf.float32, "
                 "output_shapes=(None,))\n", {"source": "2.0"}, id="from_generator (TFU101 on a removed argument)"),
    pytest.param("import tensorflow as tf\nK = tf.keras.backend\nkeras = tf.keras\nx = K.sum(1)\n", {"source": "2.15"},
                 id="aliases"),
    pytest.param("import tensorflow as tf\na = tf.ones_like(tensor=x, optimize=False)\n", {}, id="compat.v1 call"),
])
def test_what_the_report_leaves_is_what_a_rescan_finds(src, options):
    engine = tools.engine(target="2.21", **options)
    new, _, analysis = engine.upgrade_text(src)
    assert not analysis.internal, analysis.internal
    rescan = {_key(f) for f in engine.scan_text(new).findings}
    assert {_key(f) for f in analysis.findings} == rescan
    assert analysis.carried == []


def test_findings_a_fix_elsewhere_made_undetectable_are_carried_on_purpose():
    src = "from tensorflow.contrib import layers\nx = layers.fully_connected(a, 3)\ny = layers.sparse_column_with_keys('k')\n"
    engine = tools.engine()
    new, _, analysis = engine.upgrade_text(src)
    assert new.startswith("import tf_slim as layers\n")
    assert engine.scan_text(new).findings == []  # tf_slim is not tracked: nothing to find again
    assert [_key(f) for f in analysis.carried] == [("TFC004", 3, 5)] == [_key(f) for f in analysis.findings]


def test_leftovers_whose_text_a_fix_replaced_are_not_carried():
    # TFU001 and TFK008 both report tf.keras.optimizers.Adam; TFK008's fix replaces it.
    new, applied, analysis = tools.upgrade("import tensorflow as tf\no = tf.keras.optimizers.Adam(0.01)\n")
    assert new == "import tensorflow as tf\nimport keras\no = keras.optimizers.Adam(0.01)\n"
    assert [f.id for f in applied] == ["TFK008"] and analysis.findings == []


def test_findings_are_in_line_order():
    src = dedent("""\
        import tensorflow as tf
        a = tf.keras.layers.DenseFeatures(c)
        b = tf.log(x)
        c = tf.keras.experimental.CosineDecay(1, 2)
        """)
    found = tools.found(src, select=["TFK008", "TFU001"])
    assert [f[1:3] for f in found] == sorted(f[1:3] for f in found) and len(found) == 3


@pytest.mark.parametrize(("src", "expected"), [
    pytest.param("import tensorflow as tf\nx = tf.to_float(1)\nimport tensorflow.compat.v1 as v1\n",
                 "import tensorflow as tf\nx = tf.cast(1, tf.float32)\nimport tensorflow.compat.v1 as v1\n",
                 id="a binding made later is not used"),
    pytest.param("import tensorflow as tf\ndef f():\n    return tf.layers.dense(x, 3)\nv1 = tf.compat.v1\n",
                 "import tensorflow as tf\ndef f():\n    return tf.compat.v1.layers.dense(x, 3)\nv1 = tf.compat.v1\n",
                 id="not even in a function defined above it"),
    pytest.param("import tensorflow as tf\nit = ds.make_one_shot_iterator()\nv1 = tf.compat.v1\n",
                 "import tensorflow as tf\nit = tf.compat.v1.data.make_one_shot_iterator(ds)\nv1 = tf.compat.v1\n",
                 id="an alias made later is not used"),
    pytest.param("import tensorflow as tf\nv1 = tf.compat.v1\nit = ds.make_one_shot_iterator()\n",
                 "import tensorflow as tf\nv1 = tf.compat.v1\nit = v1.data.make_one_shot_iterator(ds)\n",
                 id="an alias made before is"),
])
def test_spellings_only_use_names_bound_before(src, expected):
    new, _, _ = tools.upgrade(src, select=["TFU", "TFI"])
    assert new == expected


def test_the_graph_mode_switch_is_spelled_with_names_bound_above_it():
    src = "import tensorflow as tf\nv1 = tf.compat.v1\nx = tf.placeholder(tf.float32)\nwith tf.Session() as s:\n    pass\n"
    new, _, _ = tools.upgrade(src + "if __name__ == '__main__':\n    pass\n", select=["TFG001"])
    assert new.startswith("import tensorflow as tf\ntf.compat.v1.disable_v2_behavior()\nv1 = tf.compat.v1\n")
