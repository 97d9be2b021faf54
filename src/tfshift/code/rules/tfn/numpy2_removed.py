"""## What it does
Finds NumPy names that NumPy 2.0 removed from its main namespace (ruff's NPY201 list:
`np.float_`, `np.NaN`, `np.Inf`, `np.product`, `np.alltrue`, `np.string_`, `np.mat`...) and
writes their exact NumPy 2 spelling (`np.float64`, `np.nan`, `np.inf`, `np.prod`, `np.all`,
`np.bytes_`, `np.asmatrix`...). Names with no exact successor (`np.asfarray`, `np.msort`,
`np.find_common_type`, `np.cast`...) are reported with NumPy's advice.

## Why is this bad?
TensorFlow 2.18 and later install NumPy 2, so moving a program to them moves it to NumPy 2
too: `np.float_` raises `AttributeError: np.float_ was removed in the NumPy 2.0 release. Use
np.float64 instead.`

## Example
```python
import numpy as np
x = np.zeros(3, dtype=np.float_) * np.NaN
```
Use instead:
```python
x = np.zeros(3, dtype=np.float64) * np.nan
```

## Fix safety
Safe: each replacement is the object the removed alias was in NumPy 1 (`np.float_ is
np.float64`, `np.NaN is np.nan`, `np.product` called `np.prod`).

## Versions affected
TensorFlow 2.18 and later (NumPy 2), from code written for earlier versions.
"""

import ast

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFN001", "NumPy 1 name removed in NumPy 2", breaks_at="2.18")
# NumPy 1 alias -> its NumPy 2 spelling (the same object, or the function it called).
RENAMED = {
    "alltrue": "all", "sometrue": "any", "cumproduct": "cumprod", "product": "prod",
    "round_": "round", "float_": "float64", "complex_": "complex128", "cfloat": "complex128",
    "singlecomplex": "complex64", "longfloat": "longdouble", "longcomplex": "clongdouble",
    "clongfloat": "clongdouble", "string_": "bytes_", "unicode_": "str_", "Inf": "inf",
    "Infinity": "inf", "infty": "inf", "PINF": "inf", "NaN": "nan", "mat": "asmatrix",
    "bool8": "bool_", "int0": "intp", "uint0": "uintp", "object0": "object_", "str0": "str_",
    "bytes0": "bytes_", "void0": "void", "add_docstring": "lib.add_docstring",
    "add_newdoc": "lib.add_newdoc", "DataSource": "lib.npyio.DataSource",
    "byte_bounds": "lib.array_utils.byte_bounds", "tracemalloc_domain": "lib.tracemalloc_domain",
}
VALUES = {"NINF": "(-{np}.inf)", "PZERO": "0.0", "NZERO": "(-0.0)"}
ADVICE = {
    "asfarray": "np.asarray(x, dtype=np.float64)", "msort": "np.sort(a, axis=0)",
    "cast": "np.asarray(x, dtype=...)", "find_common_type": "np.result_type or np.promote_types",
    "issubclass_": "issubclass", "issubsctype": "np.issubdtype", "safe_eval": "ast.literal_eval",
    "set_string_function": "np.set_printoptions(formatter=...)", "source": "inspect.getsource",
    "fastCopyAndTranspose": "arr.T.copy()", "nbytes": "np.dtype(x).itemsize",
    "recfromcsv": "np.genfromtxt", "recfromtxt": "np.genfromtxt", "geterrobj": "np.errstate",
    "seterrobj": "np.errstate", "add_newdoc_ufunc": None, "compat": None, "deprecate": None,
    "deprecate_with_doc": None, "disp": None, "get_array_wrap": None, "issctype": None,
    "lookfor": None, "maximum_sctype": None, "obj2sctype": None, "sctype2char": None,
    "sctypes": None, "set_numeric_ops": None, "who": None,
}
NAMES = (*RENAMED, *VALUES, *ADVICE)


def numpy_names(ctx) -> set[str]:
    """The names this file binds to the numpy module (`import numpy as np`)."""
    state = ctx._state
    if "numpy-names" not in state:
        found = set()
        for node in ast.walk(ctx.tree):
            if isinstance(node, ast.Import):
                found.update(a.asname or "numpy" for a in node.names if a.name == "numpy")
        state["numpy-names"] = found
    return state["numpy-names"]


@rule.methods(*NAMES)
def removed(ctx, ref):
    receiver = ref.node.value
    if not isinstance(receiver, ast.Name) or receiver.id not in numpy_names(ctx):
        return
    if _hidden(ref.scopes, receiver.id) or isinstance(ref.node.ctx, ast.Store):
        return
    np, name = receiver.id, ref.attr
    if name in RENAMED:
        new = f"{np}.{RENAMED[name]}"
        ctx.report(ref.node, f"NumPy 2 removed {np}.{name}: use {new}",
                   fix=ctx.fix(ctx.replace(ref.node, new), description=new))
    elif name in VALUES:
        new = VALUES[name].format(np=np)
        ctx.report(ref.node, f"NumPy 2 removed {np}.{name}: use {new}",
                   fix=ctx.fix(ctx.replace(ref.node, new), description=new))
    else:
        advice = ADVICE[name]
        ctx.report(ref.node, f"NumPy 2 removed {np}.{name}" + (f": use {advice}" if advice else
                                                               ", with no replacement"))


def _hidden(scopes, name) -> bool:
    """A parameter or local assignment of the same name inside the enclosing functions."""
    for scope in scopes:
        args = getattr(scope, "args", None)
        if args and any(a.arg == name for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)):
            return True
    return False
