"""## What it does
Translates TF1's `tf.image.extract_glimpse(..., uniform_noise=b)` to TF2's `noise=`:
`uniform_noise=True` becomes `noise="uniform"`, `False` becomes `noise="gaussian"`, any other
expression `noise="uniform" if (b) else "gaussian"` (what tf_upgrade_v2 writes). A call that
passes both `centered` and `normalized` possibly false is pointed to
`tf.compat.v1.image.extract_glimpse` instead.

## Why is this bad?
TF2's `extract_glimpse` takes `noise` (a string) where TF1 took `uniform_noise` (a bool):
`uniform_noise=` raises `TypeError`, and keeping the value under the new name
(`noise=False`) is wrong too. Since TensorFlow 2.3 the TF2 function also computes other
windows than TF1's when `centered=False` and `normalized=False` (TF1's had a bug that
`tf.compat.v1.image.extract_glimpse` keeps).

## Example
```python
g = tf.image.extract_glimpse(images, size, offsets, uniform_noise=False)
```
Use instead:
```python
g = tf.image.extract_glimpse(images, size, offsets, noise="gaussian")
```

## Fix safety
Safe: the same noise, and TF1's own function where the windows could differ (unsafe without
`--from` when nothing else shows the call is TF1's: TF2 code may want TF2's windows). A sixth
positional
argument is read as `uniform_noise` when it is a bool literal or `--from` says the code is
TF 1.x; otherwise the fix is unsafe (TF2 code passes `noise` there). Calls that already pass
`noise=` are left alone.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

import ast

from tfshift.code.rule import Rule

rule = Rule(__name__, "TFA006", "extract_glimpse takes noise, not uniform_noise, in TF2", breaks_at="2.0")
_NOISE = {True: '"uniform"', False: '"gaussian"'}


@rule.symbols("tf.image.extract_glimpse")
def glimpse(ctx, ref):
    call = ref.call
    if call is None or ctx.keyword(call, "noise") is not None or ctx.has_star(call):
        return
    centered = ctx.argument(call, 3, "centered")
    normalized = ctx.argument(call, 4, "normalized")
    uniform = ctx.argument(call, 5, "uniform_noise")
    if uniform is not None and _is_string(uniform):
        return  # TF2's positional noise
    keyword = ctx.keyword(call, "uniform_noise")
    value = uniform.value if isinstance(uniform, ast.Constant) else None
    # Without --from, only uniform_noise itself shows that the call was written for TF1.
    unsafe = not ctx.settings.source_known and keyword is None and not isinstance(value, bool)
    if _maybe_false(centered) and _maybe_false(normalized):
        spelled, imports = ctx.spell("tf.compat.v1.image.extract_glimpse", ref.scopes, prefer=ref.binding,
                                     at=ref.stmt)
        ctx.report(ref.node, "TensorFlow 2's extract_glimpse computes other windows than TF1's when "
                   "centered and normalized are False: use tf.compat.v1.image.extract_glimpse",
                   fix=ctx.fix(ctx.replace(ref.node, spelled), imports=imports,
                               unsafe=unsafe,
                               description="tf.compat.v1.image.extract_glimpse"))
        return
    if uniform is None:
        return
    if isinstance(value, bool):
        noise = _NOISE[value]
    else:
        noise = f'"uniform" if ({ctx.segment(uniform)}) else "gaussian"'
    edits = [ctx.replace(keyword or uniform, f"noise={noise}")]
    if keyword is None:
        edits += [ctx.insert(ctx.span(arg)[0], "name=") for arg in call.args[6:7]]
        if len(call.args) > 7 or (len(call.args) > 6 and ctx.keywords_given(call, ("name",))):
            return
    ctx.report(keyword or uniform, "TensorFlow 2's extract_glimpse takes noise=\"uniform\"/\"gaussian\", "
               "not uniform_noise", fix=ctx.fix(*edits, unsafe=unsafe, description=f"noise={noise}"))


def _maybe_false(node):
    """Given, and not the literal True."""
    return node is not None and not (isinstance(node, ast.Constant) and node.value is True)


def _is_string(node):
    return isinstance(node, (ast.JoinedStr, ast.Constant)) and isinstance(getattr(node, "value", ""), str)
