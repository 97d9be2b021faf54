from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFN002"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFN002"], source="2.15")


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("pred = model.predict(x)\nprint('%.1f' % pred[0])\n",
                 "pred = model.predict(x)\nprint('%.1f' % pred[0].item())\n", id="row of a prediction"),
    pytest.param("print('%d: %.2f %s' % (i, model.predict(x), 'a'))\n",
                 "print('%d: %.2f %s' % (i, model.predict(x).item(), 'a'))\n", id="tuple operand"),
    pytest.param("p = model.predict(x)[0]\nv = float(p)\nn = int(p)\n",
                 "p = model.predict(x)[0]\nv = float(p.item())\nn = int(p.item())\n", id="float and int"),
    pytest.param("def show(m, x):\n    pred = m.predict(x)\n    return '%.1f' % pred[0]\n",
                 "def show(m, x):\n    pred = m.predict(x)\n    return '%.1f' % pred[0].item()\n", id="in a function"),
])
def test_fixes(before, after):
    check(before, after)


@pytest.mark.parametrize("src", [
    pytest.param("pred = model.predict(x)\nprint('%.1f' % pred[0][0], float(pred[0, 0]))\n", id="two indexes: a scalar"),
    pytest.param("pred = model.predict(x)\nprint('%s' % pred[0])\n", id="%s prints arrays"),
    pytest.param("pred = model.predict(x)\npred = 1.0\nprint('%.1f' % pred)\n", id="rebound to a number"),
    pytest.param("pred = model.predict(x)\ndef f(pred):\n    return float(pred)\n", id="parameter of the same name"),
    pytest.param("pred = model.predict(x)\nprint('%.1f' % pred[:1])\n", id="a slice"),
    pytest.param("class M:\n    def score(self, x):\n        return float(self.predict(x))\n", id="its own predict"),
    pytest.param("print('%d%%' % model.predict(x)[0][0])\n", id="percent sign"),
])
def test_noop(src):
    check_noop(src)


def test_not_before_2_21():
    assert not tools.found("print('%.1f' % model.predict(x))\n", select=["TFN002"], source="2.15", target="2.20")
