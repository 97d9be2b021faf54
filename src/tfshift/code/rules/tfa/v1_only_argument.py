"""## What it does
Handles TF1 calls passing an argument TensorFlow 2 dropped because TF2 always behaves one way:
`optimize` of `tf.ones_like`/`tf.zeros_like` (TF2 behaves as `True`), `return_same_structure` of
`tf.while_loop` (`True`), `merge_repeated` of `tf.nn.ctc_beam_search_decoder` (`False`), and
`seed2`/`deterministic` of `tf.nn.fractional_avg_pool`/`fractional_max_pool`. When the call
passes the value TF2 behaves as, the argument is removed; otherwise the call goes to its TF1
version under `tf.compat.v1`, as tf_upgrade_v2 does. Two TF1 defaults differ from TF2's
behaviour too, and such calls also go to `tf.compat.v1`: `ctc_beam_search_decoder` without
`merge_repeated` (TF1 merged repeated labels), and `while_loop` over a one-element list without
`return_same_structure` (TF1 returned the bare element, TF2 returns the list).

## Why is this bad?
TF2 rejects the old argument (`TypeError`, or from 2.16 binds `ones_like`'s fourth positional
argument to `layout`), and where TF1's default differs the same call computes something else.

## Example
```python
a = tf.ones_like(x, optimize=True)
b = tf.zeros_like(x, optimize=False)
i = tf.while_loop(cond, body, [i])
```
Use instead:
```python
a = tf.ones_like(x)
b = tf.compat.v1.zeros_like(x, optimize=False)
i = tf.compat.v1.while_loop(cond, body, [i])
```

## Fix safety
Safe: removing an argument TF2 always applies changes nothing, and `tf.compat.v1` holds TF1's
function (keyword arguments keep their TF1 names: `tensor=` stays for `compat.v1.ones_like`).
For a call that does not pass the argument, or passes it positionally, the fix is safe when
`--from` says the code is TF 1.x and unsafe otherwise (TF2 code means TF2's behaviour).

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

import ast
from dataclasses import dataclass

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFA007", "TF1-only argument: removed, or the call kept on tf.compat.v1", breaks_at="2.0")


@dataclass(frozen=True)
class Dropped:
    name: str
    position: int  # in TF1's signature
    tf2_value: bool | None  # what TF2 behaves as (None: no value of it is TF2's behaviour)


_FRACTIONAL = (Dropped("deterministic", 4, None), Dropped("seed2", 6, None))
TABLE = {
    "tf.ones_like": (Dropped("optimize", 3, True),),
    "tf.zeros_like": (Dropped("optimize", 3, True),),
    "tf.while_loop": (Dropped("return_same_structure", 9, True),),
    "tf.nn.ctc_beam_search_decoder": (Dropped("merge_repeated", 4, False),),
    "tf.nn.fractional_avg_pool": _FRACTIONAL,
    "tf.nn.fractional_max_pool": _FRACTIONAL,
}
# Keywords TFA001 gives their TF2 names, which tf.compat.v1's TF1 function does not take: the
# fix writes (or keeps) the TF1 name.
TF1_KEYWORDS = {"tf.ones_like": {"input": "tensor", "tensor": "tensor"},
                "tf.zeros_like": {"input": "tensor", "tensor": "tensor"}}


@rule.symbols(*TABLE)
def dropped(ctx, ref):
    call = ref.call
    if call is None or ctx.has_star(call):
        return
    found = [(d, ctx.argument(call, d.position, d.name)) for d in TABLE[ref.qual]]
    found = [(d, node) for d, node in found if node is not None]
    name = ref.qual[3:]
    if not found:
        reason = _default_differs(ref.qual, call)
        if reason:
            _to_compat_v1(ctx, ref, call, reason, unsafe=not ctx.settings.source_known)
        return
    keep = [(d, node) for d, node in found if not _is(node, d.tf2_value)]
    positional = any(node in call.args for _, node in found)
    unsafe = positional and not ctx.settings.source_known
    if keep:
        passed = ", ".join(d.name for d, _ in keep)
        _to_compat_v1(ctx, ref, call, f"TensorFlow 2's tf.{name} takes no {passed}, and this call "
                      "asks for TF1's behaviour", unsafe=unsafe)
        return
    nodes = [_argument(call, node) for _, node in found]
    middle = any(n is not call.args[-1] for n in nodes if n in call.args)
    if middle or _default_differs(ref.qual, call):
        # A positional argument in the middle cannot go; nor one whose absence means TF1's
        # default (a later run would take the call for TF1's).
        _to_compat_v1(ctx, ref, call, f"TensorFlow 2's tf.{name} takes no {found[0][0].name}",
                      unsafe=unsafe)
        return
    names = ", ".join(f"{d.name}={d.tf2_value}" for d, _ in found)
    ctx.report(nodes[0], f"TensorFlow 2's tf.{name} always behaves as {names}: the argument goes",
               fix=ctx.fix(*ctx.remove_arguments(call, nodes), unsafe=unsafe, description=f"remove {names}"))


def _default_differs(qual, call):
    """Why a TF1 call that does not pass the argument computes something else on TF2."""
    if qual == "tf.nn.ctc_beam_search_decoder":
        return "TF1's ctc_beam_search_decoder merged repeated labels by default; TensorFlow 2's never does"
    if qual == "tf.while_loop":
        loop_vars = _argument_value(call, 2, "loop_vars")
        if isinstance(loop_vars, (ast.List, ast.Tuple)) and len(loop_vars.elts) == 1 \
                and not isinstance(loop_vars.elts[0], ast.Starred):
            return ("TF1's while_loop returned the bare tensor for a one-element loop_vars; "
                    "TensorFlow 2's returns a list")
    return None


def _to_compat_v1(ctx, ref, call, reason, unsafe):
    new = "tf.compat.v1." + ref.qual[3:]
    spelled, imports = ctx.spell(new, ref.scopes, prefer=ref.binding, at=ref.stmt)
    edits = [ctx.replace(ref.node, spelled)]
    for keyword in call.keywords:
        old = TF1_KEYWORDS.get(ref.qual, {}).get(keyword.arg)
        if old is not None:
            edits.append(ctx.rename_keyword(keyword, old))
    ctx.report(ref.node, f"{reason}: use {new}", fix=ctx.fix(*edits, unsafe=unsafe, imports=imports,
                                                             description=f"use {new}"))


def _argument(call, value):
    """The keyword (or positional argument) whose value is `value`."""
    for keyword in call.keywords:
        if keyword.value is value:
            return keyword
    return value


def _argument_value(call, position, name):
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return call.args[position] if position < len(call.args) else None


def _is(node, value):
    return value is not None and isinstance(node, ast.Constant) and node.value is value
