"""## What it does
Rewrites the TF1 `Dataset` methods TensorFlow 2 removed as the `tf.compat.v1.data` functions
that replaced them: `ds.make_one_shot_iterator()` becomes
`tf.compat.v1.data.make_one_shot_iterator(ds)`, likewise `make_initializable_iterator()`, and
`ds.output_types`, `ds.output_shapes`, `ds.output_classes` become
`tf.compat.v1.data.get_output_types(ds)` and friends.

## Why is this bad?
TF2 datasets are Python iterables and have none of these methods: `AttributeError`.

## Example
```python
batch = dataset.make_one_shot_iterator().get_next()
```
Use instead:
```python
batch = tf.compat.v1.data.make_one_shot_iterator(dataset).get_next()
```

## Fix safety
Safe: the functions are what the methods called in TF 1.15 (`make_initializable_iterator`'s
`shared_name` is passed on). Any object with a
`make_one_shot_iterator()` method is taken for a dataset.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFI002", "TF1 Dataset iterator methods removed in TF2", breaks_at="2.0")
METHODS = {"make_one_shot_iterator": "make_one_shot_iterator",
           "make_initializable_iterator": "make_initializable_iterator"}
PROPERTIES = {"output_types": "get_output_types", "output_shapes": "get_output_shapes",
              "output_classes": "get_output_classes"}


@rule.methods(*METHODS, *PROPERTIES)
def iterator(ctx, ref):
    if ref.qual is not None or not keras.uses_tensorflow_or_keras(ctx):
        return
    receiver = ctx.segment(ref.node.value)
    if ref.attr in METHODS:
        call = ref.call
        if call is None or not _arguments_fit(ctx, ref.attr, call):
            return
        function, imports = ctx.spell(f"tf.compat.v1.data.{METHODS[ref.attr]}", ref.scopes, at=ref.stmt)
        more = "".join(f", {ctx.segment(a)}" for a in (*call.args, *call.keywords))
        edit = ctx.replace(call, f"{function}({receiver}{more})")
    else:
        if ref.call is not None or not _looks_like_dataset(ref):
            return
        function, imports = ctx.spell(f"tf.compat.v1.data.{PROPERTIES[ref.attr]}", ref.scopes, at=ref.stmt)
        edit = ctx.replace(ref.node, f"{function}({receiver})")
    ctx.report(ref.node, f"TF2 datasets have no .{ref.attr}: use tf.compat.v1.data.{METHODS.get(ref.attr) or PROPERTIES[ref.attr]}",
               fix=ctx.fix(edit, imports=imports, description=f"tf.compat.v1.data.{ref.attr}"))


def _arguments_fit(ctx, method, call) -> bool:
    """make_initializable_iterator(shared_name=None) is the one method with an argument; the
    function takes it after the dataset."""
    if not call.args and not call.keywords:
        return True
    if method != "make_initializable_iterator" or ctx.has_star(call):
        return False
    return len(call.args) + len(call.keywords) == 1 and all(k.arg == "shared_name" for k in call.keywords)


def _looks_like_dataset(ref):
    text = ref.node.value
    names = []
    while hasattr(text, "attr") or hasattr(text, "id"):
        names.append(getattr(text, "attr", getattr(text, "id", "")))
        text = getattr(text, "value", None)
    return any("data" in n.lower() or n.lower() in ("ds", "iterator", "it") for n in names)
