from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFN001"], source="2.15", target="2.21")
check_noop = partial(tools.check_noop, select=["TFN001"], source="2.15", target="2.21")


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("import numpy as np\nx = np.zeros(3, dtype=np.float_) * np.NaN\n",
                 "import numpy as np\nx = np.zeros(3, dtype=np.float64) * np.nan\n", id="aliases"),
    pytest.param("import numpy\nif numpy.alltrue(a) and numpy.sometrue(b): p = numpy.product(a)\n",
                 "import numpy\nif numpy.all(a) and numpy.any(b): p = numpy.prod(a)\n", id="functions"),
    pytest.param("import numpy as onp\ny = x ** onp.NINF + onp.Inf\n",
                 "import numpy as onp\ny = x ** (-onp.inf) + onp.inf\n", id="values"),
    pytest.param("import numpy as np\ns = np.array([b'a'], dtype=np.string_)\nu = np.unicode_('x')\n",
                 "import numpy as np\ns = np.array([b'a'], dtype=np.bytes_)\nu = np.str_('x')\n", id="strings"),
])
def test_fixes(before, after):
    check(before, after)


@pytest.mark.parametrize("src", [
    "import numpy as np\nx = np.float64(1) + np.inf\n",
    "import pandas as np\nx = np.float_\n",
    "import numpy as np\ndef f(np):\n    return np.float_\n",
    "import numpy as np\nclass C:\n    NaN = 1\nc = C()\nv = c.NaN\n",
    "import numpy as np\ny = torch.product\n",
])
def test_noop(src):
    check_noop(src)


def test_removed_without_exact_successor_is_reported():
    assert tools.found("import numpy as np\na = np.asfarray(x)\nnp.lookfor('x')\n", select=["TFN001"],
                       source="2.15", target="2.21") == [("TFN001", 2, 5, "none"), ("TFN001", 3, 1, "none")]


def test_targets_with_numpy_1_are_left_alone():
    assert tools.found("import numpy as np\nx = np.float_\n", select=["TFN001"], source="2.15",
                       target="2.16") == []
