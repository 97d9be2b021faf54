"""The layer table's TF1 defaults are TF 1.15's own: read from its signatures on real TF 1.15."""

from __future__ import annotations

import ast
import json

import pytest

from tfshift.native import layers_table as table

pytestmark = pytest.mark.slow

_PROBE = r"""
import inspect, json, warnings
warnings.filterwarnings("ignore")
import tensorflow as tf
names = json.loads(input())
out = {}
for name in names:
    obj = tf
    for part in name.split(".")[1:]:
        obj = getattr(obj, part)
    params = []
    for p in inspect.signature(obj).parameters.values():
        d = p.default
        if d is inspect.Parameter.empty:
            text = "REQUIRED"
        elif callable(d) and getattr(d, "__name__", "") in ("relu", "relu6"):
            text = "fn:" + d.__name__
        elif type(d).__module__.endswith("init_ops"):
            text = "init:" + type(d).__name__
        elif callable(d) and "variance_scaling_initializer" in getattr(d, "__qualname__", ""):
            cells = {v: c.cell_contents for v, c in zip(d.__code__.co_freevars, d.__closure__)}
            text = "vs:%r,%r,%r" % (cells["factor"], cells["mode"], cells["uniform"])
        elif isinstance(d, tf.DType):
            text = "dtype:" + d.name
        else:
            text = repr(d)
        params.append([p.name, text])
    out[name] = params
print("PROBE " + json.dumps(out))
"""


def _expected(text: str | None, param: table.Param) -> str:
    """What TF 1.15 shows for a table default."""
    if text is None:
        return "REQUIRED"
    if text == '"glorot_uniform"' and param.kind == table.INIT:
        # tf.layers: None (tf.get_variable's glorot_uniform); contrib: xavier_initializer().
        return "glorot"
    if text == '"zeros"' and param.kind == table.INIT:
        return "init:Zeros"
    if text == '"ones"' and param.kind == table.INIT:
        return "init:Ones"
    if text == '"relu"':
        return "fn:relu"
    if text == "tf.float32":
        return "dtype:float32"
    return repr(ast.literal_eval(text))


def _check(probed: dict, name: str, params: tuple[table.Param, ...]) -> list[str]:
    problems = []
    actual = probed[name]
    if [p for p, _ in actual] != [p.name for p in params]:
        return [f"{name}: parameters {[p for p, _ in actual]} != table {[p.name for p in params]}"]
    for (pname, shown), param in zip(actual, params, strict=True):
        want = _expected(param.default, param)
        if want == "glorot":
            ok = shown in ("None", "vs:1.0,'FAN_AVG',True")
        elif param.kind == table.DATA_FORMAT and param.default in ('"channels_last"', "None"):
            ok = shown in (want, "None", "'channels_last'", "'NHWC'")
        elif param.kind == table.PADDING:
            ok = shown.lower() == want.lower()
        elif param.kind == table.SPECIAL and param.name == "data_format":
            ok = shown == "'NHWC'"
        elif name == "tf.contrib.layers.embed_sequence" and want == "REQUIRED":
            ok = shown in ("None", "REQUIRED")  # None raises there: both are needed
        elif "random_uniform" in name and pname == "maxval":
            ok = shown == "None"  # None is 1 for floating-point variables
        else:
            ok = shown == want
        if not ok:
            problems.append(f"{name}({pname}): TF 1.15 {shown}, table {param.default}")
    return problems


def test_every_default_is_tf_115s(tf115):
    names = {**{k: v.params for k, v in table.LAYERS.items()},
             **{k: v.params for k, v in table.INITIALIZERS.items() if not k.startswith("tf.keras")},
             **table.CONTRIB_INITIALIZERS}
    done = tf115.run_python(["-c", _PROBE], input=json.dumps(sorted(names)))
    line = [x for x in done.stdout.splitlines() if x.startswith("PROBE ")]
    assert line, done.stderr[-3000:]
    probed = json.loads(line[0][6:])
    problems = [p for name, params in sorted(names.items()) for p in _check(probed, name, params)]
    assert not problems, "\n".join(problems)


def test_table_is_consistent():
    for layer in table.LAYERS.values():
        kinds = [p.kind for p in layer.params]
        assert kinds.count(table.INPUT) == 1, layer.tf1
        for p in layer.params:
            if p.kind == table.UNSUPPORTED:
                assert p.why, (layer.tf1, p.name)
    assert set(table.SLIM_ALIASES.values()) <= set(table.LAYERS)
