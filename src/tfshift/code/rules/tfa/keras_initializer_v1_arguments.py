"""## What it does
Fixes the arguments of TF1's Keras initializers for Keras 3: drops TF1's `dtype` (and
`Constant`'s `verify_shape`), names positional arguments where Keras 3 binds them otherwise,
and writes the aliases Keras 3 dropped as their classes (`initializers.uniform` ->
`keras.initializers.RandomUniform`, `normal` -> `RandomNormal`).

## Why is this bad?
TF1's `tf.keras.initializers.*` took a `dtype` (`glorot_uniform(seed, dtype)`,
`Constant(value, dtype, verify_shape)`, `Identity(gain, dtype)`); Keras 3's take the dtype when
they are called. Passed by position, the old `dtype` lands on another parameter
(`GlorotUniform(seed, input_axes)`) or raises `TypeError`; `keras.initializers.uniform` and
`normal` do not exist.

## Example
```python
init = tf.keras.initializers.glorot_uniform(7, tf.float32)
bias = tf.keras.initializers.Constant(0.1, tf.float32)
noise = tf.keras.initializers.uniform(-0.1, 0.1)
```
Use instead:
```python
init = keras.initializers.glorot_uniform(7)
bias = keras.initializers.Constant(0.1)
noise = keras.initializers.RandomUniform(minval=-0.1, maxval=0.1)
```

## Fix safety
Safe: `dtype=float32` (the default) and `verify_shape=False` change nothing, and every other
argument keeps its meaning; a default that differs between the releases is written out. A
`dtype` other than float32 is reported for a person (Keras 3 initializers take it at call
time, from the layer), and so is `verify_shape=True`.

## Versions affected
Keras 3 targets (TensorFlow 2.16 and later without `--keras2`), for code calling TF1's Keras
initializers (`tf.keras.initializers` in TF 1.x, `tf.compat.v1.keras.initializers`).
"""

import ast

from tfshift.code import apidb
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFA010", "TF1 Keras initializer arguments (dtype) for Keras 3", breaks_at="2.16",
            keras3_only=True)
HOMES = ("tf.keras.initializers", "tf.compat.v1.keras.initializers")
FLOAT32 = ("tf.float32", "tf.dtypes.float32", "'float32'", '"float32"', "float32", "None")


@rule.prefixes(*HOMES)
def initializer(ctx, ref):
    call = ref.call
    if call is None or ctx.has_star(call):
        return
    source, target = apidb.versions(ctx.settings)
    old = apidb.signature(ref.qual, source)
    if old is None or "dtype" not in old.names:
        return  # not a TF1 initializer
    leaf = ref.qual.rpartition(".")[2]
    new = f"keras.initializers.{leaf}"
    renamed = not apidb.exists(new, target)
    if renamed:
        canonical = apidb.canonical(ref.qual, source) or ""
        new = f"keras.initializers.{canonical.rpartition('.')[2]}"
        if not canonical or not apidb.exists(new, target):
            return  # TFK008 reports it
    there = apidb.signature(new, target)
    there_names = list(there.names) if there is not None else []
    if len(call.args) > len(old.names):
        return
    bound = [(old.names[i], arg, None) for i, arg in enumerate(call.args)]
    bound += [(k.arg, k.value, k) for k in call.keywords]
    drop, problems = [], []
    for name, value, keyword in bound:
        text = ctx.segment(value).strip()
        if name == "dtype":
            (drop if text in FLOAT32 else problems).append((name, value, keyword))
        elif name == "verify_shape":
            (drop if text in ("False", "None") else problems).append((name, value, keyword))
        elif name not in there_names:
            problems.append((name, value, keyword))
    if problems:
        ctx.report(ref.node, f"{ref.qual}: Keras 3's {new} takes no "
                   f"{', '.join(sorted({p[0] for p in problems}))} ({_passed(ctx, problems)}): "
                   "Keras 3 initializers take the dtype when called, from the layer")
        return
    kept = [(n, v, k) for n, v, k in bound if all(v is not d[1] for d in drop)]
    positional = [n for n, _, k in kept if k is None]
    moved = positional != there_names[:len(positional)]
    defaults = _changed_defaults(old, there, {n for n, _, _ in bound})
    if not (drop or moved or defaults or renamed):
        return  # TFK008 spells it keras.initializers.X
    edits = []
    if renamed:
        spelled, imports = ctx.spell(new, ref.scopes, prefer=ref.binding, at=ref.stmt)
        edits.append(ctx.replace(ref.node, spelled))
    else:
        imports = ()
    edits += ctx.remove_arguments(call, [d[1] if d[2] is None else d[2] for d in drop])
    if moved or renamed:
        edits += [ctx.insert(ctx.span(v)[0], f"{n}=") for n, v, k in kept if k is None]
    for name, value in defaults:
        edits.append(ctx.add_argument(call, f"{name}={value}"))
    what = ", ".join(filter(None, [
        f"drop {', '.join(d[0] for d in drop)}" if drop else "",
        f"write {new}" if renamed else "", "name the arguments" if moved else "",
        f"keep TF1's {', '.join(n for n, _ in defaults)}" if defaults else ""]))
    ctx.report(ref.node, f"{ref.qual} with Keras 3: {what}",
               fix=ctx.fix(*edits, imports=imports, description=what))


def _passed(ctx, problems) -> str:
    return ", ".join(f"{name}={ctx.segment(value)}" for name, value, _ in problems)


def _changed_defaults(old, there, passed) -> list[tuple[str, str]]:
    """TF1 defaults the Keras 3 class does not share, for parameters the call leaves out."""
    if there is None:
        return []
    out = []
    for param in old.params:
        if param.name in passed or param.name in ("dtype", "verify_shape"):
            continue
        new = there.param(param.name)
        if new is None or param.default is None or new.default is None:
            continue
        if not _same_value(param.default, new.default):
            out.append((param.name, param.default))
    return out


def _same_value(a: str, b: str) -> bool:
    try:
        return ast.literal_eval(a) == ast.literal_eval(b)
    except (ValueError, SyntaxError):
        return a == b
