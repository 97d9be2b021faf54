"""## What it does
Names the positional arguments of TF1 calls whose TensorFlow 2 signature has its parameters in
another order: `tf.boolean_mask(a, b, c, d)` becomes `tf.boolean_mask(a, b, name=c, axis=d)`.
Arguments at the positions that did not move stay positional, and a name TF2 changed is written
in its TF2 spelling.

## Why is this bad?
TF2 inserted, removed or moved parameters (`axis` before `name`, `keepdims` before `name`), so
the same positional call binds values to the wrong parameters: silently wrong results, or a
`TypeError`. The table is tf_upgrade_v2's (126 functions).

## Example
```python
m = tf.argmax(x, 1, "idx")
```
Use instead:
```python
m = tf.argmax(x, 1, name="idx")
```

## Fix safety
Safe when `--from` says the code is TF 1.x. Without `--from`, unsafe: the same call written for
TF2 means something else (`tf.argmax(x, 1, tf.int64)` passes `output_type`), and naming it
after the TF1 signature would change it. Calls with `*args` are reported without a fix.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

import ast

from tfshift.code import apidb, tf1
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFA002", "TF1 positional arguments whose order changed in TF2", breaks_at="2.0")
ORDERS = tf1.reorders()
KEYWORDS = tf1.keyword_renames()


@rule.symbols(*ORDERS)
def positional(ctx, ref):
    call = ref.call
    if call is None:
        return
    names = ORDERS[ref.qual]
    renames = KEYWORDS.get(ref.qual, {})
    edits, inserted = [], []
    for index, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            ctx.report(call, f"{ref.qual} takes its parameters in another order in TensorFlow 2, "
                       "and this call passes *args: check the arguments by hand")
            return
        if index >= len(names):
            return
        name = names[index]
        if name is None:
            continue
        new = renames.get(name, name)
        if new is None:
            edits.append(ctx.remove_argument(call, arg))
        else:
            edits.append(ctx.insert(ctx.span(arg)[0], f"{new}="))
            inserted.append(new)
    if not edits or ctx.keywords_given(call, inserted):
        return  # a keyword given twice: the call is broken already
    kept = _kept_positional(ctx, ref.qual, names, len(call.args))
    if kept & set(inserted):
        ctx.report(call.func, f"{ref.qual} is passed both {', '.join(sorted(kept & set(inserted)))} and a "
                   "deprecated alias of it by position (TF1 raised unless one was None): "
                   "keep the one you mean by hand")
        return
    if len({e.start for e in edits}) != len(edits):
        return
    ctx.report(call.func, f"{ref.qual} orders its parameters differently in TensorFlow 2: "
               "name the positional arguments",
               fix=ctx.fix(*edits, unsafe=not ctx.settings.source_known,
                           description="name the positional arguments"))


def _kept_positional(ctx, qual, names, count) -> set[str]:
    """TF1 names of the positional arguments left positional (`axis` of tf.sparse.concat, whose
    fifth positional, concat_dim, becomes `axis=` too)."""
    old = apidb.signature(qual, apidb.versions(ctx.settings)[0])
    if old is None:
        return set()
    return {old.names[i] for i in range(min(count, len(names), len(old.names))) if names[i] is None}
