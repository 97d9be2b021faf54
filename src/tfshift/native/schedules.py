"""Family 4: TF1 learning-rate decay becomes the Keras schedule it was built on, called on the step.

TF 1.15's `tf.train.exponential_decay(lr, global_step, decay_steps, decay_rate, staircase)` is
`ExponentialDecay(lr, decay_steps, decay_rate, staircase)(global_step)` (the same arithmetic in
Keras 3's `keras.optimizers.schedules`), a tensor that follows `global_step`. The native program
computes it the same way, from the same variable: graph.py hands it to the Keras optimizer as a
callable learning rate (`learning_rate=compute_lr`), read each step before `global_step`
increments, as the TF1 optimizer read it. Defaults are written out (TF1's, which Keras shares).

`tf.train.get_or_create_global_step()` (once, at module level) becomes the variable TF1 made:
`tf.Variable(0, dtype=tf.int64, trainable=False, name="global_step")`.

Reported: natural_exp_decay (TF1 takes exp(-rate) in float32 where no Keras schedule does),
noisy / linear cosine decay and cosine restarts (no Keras schedule), and decay in eager TF1 code.
"""

from __future__ import annotations

import ast

from tfshift.native.family import Family, Site, Unit

# TF1 function -> (Keras schedule, TF1 parameters in order, {parameter: TF1 default written out})
TABLE = {
    "tf.train.exponential_decay": ("ExponentialDecay",
                                   ("learning_rate", "global_step", "decay_steps", "decay_rate", "staircase", "name"),
                                   {"staircase": "False"}),
    "tf.train.inverse_time_decay": ("InverseTimeDecay",
                                    ("learning_rate", "global_step", "decay_steps", "decay_rate", "staircase", "name"),
                                    {"staircase": "False"}),
    "tf.train.polynomial_decay": ("PolynomialDecay",
                                  ("learning_rate", "global_step", "decay_steps", "end_learning_rate", "power",
                                   "cycle", "name"),
                                  {"end_learning_rate": "0.0001", "power": "1.0", "cycle": "False"}),
    "tf.train.cosine_decay": ("CosineDecay", ("learning_rate", "global_step", "decay_steps", "alpha", "name"),
                              {"alpha": "0.0"}),
    "tf.train.piecewise_constant": ("PiecewiseConstantDecay", ("x", "boundaries", "values", "name"), {}),
}
# Keras's first parameter name where it differs from TF1's
_KERAS_NAMES = {"learning_rate": "initial_learning_rate"}
REPORTED = {
    "tf.train.natural_exp_decay": "TF1 decays by exp(-decay_rate) computed in float32; no Keras schedule does",
    "tf.train.noisy_linear_cosine_decay": "no Keras schedule (and its noise is random)",
    "tf.train.linear_cosine_decay": "no Keras schedule",
    "tf.train.cosine_decay_restarts": "Keras's CosineDecayRestarts is not verified against TF1's yet",
}
GLOBAL_STEP = ("tf.train.get_or_create_global_step", "tf.train.create_global_step")
_STEP_READERS = ("tf.train.get_global_step", "tf.train.global_step")
FIRST = frozenset((*TABLE, *GLOBAL_STEP))  # rewritten before graph.py reads the program


def _schedule(unit: Unit, ref) -> Site:
    cls, params, defaults = TABLE[ref.name]
    call = ref.call
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return FAMILY.site(unit, ref.node, ref.name, cannot=f"{ref.name} with *args or **kwargs")
    if len(call.args) > len(params):
        return FAMILY.site(unit, ref.node, ref.name, cannot=f"{ref.name}: more arguments than TF1 takes")
    given = {p: unit.segment(a) for p, a in zip(params, call.args)}
    for keyword in call.keywords:
        if keyword.arg not in params:
            return FAMILY.site(unit, ref.node, ref.name, cannot=f"{ref.name}: unknown argument {keyword.arg}")
        given[keyword.arg] = unit.segment(keyword.value)
    step_param = "x" if ref.name == "tf.train.piecewise_constant" else "global_step"
    missing = [p for p in params if p not in given and p not in defaults and p != "name"]
    if missing:
        return FAMILY.site(unit, ref.node, ref.name,
                           cannot=f"{ref.name} without {missing[0]} (TF1 requires it in graph mode)")
    parts = [f"{_KERAS_NAMES.get(p, p)}={given.get(p, defaults.get(p))}" for p in params
             if p not in (step_param, "name")]
    spelled, imports = unit.spell(f"keras.optimizers.schedules.{cls}")
    text = f"{spelled}({', '.join(parts)})({given[step_param]})"
    return FAMILY.site(unit, ref.node, f"{ref.name} -> keras.optimizers.schedules.{cls} on the step",
                       [unit.replace(call, text)], imports, tf2=True)


def _global_step(unit: Unit, ref, count: int) -> Site:
    """`gs = tf.train.get_or_create_global_step()` -> the int64 variable TF1 created."""
    statement = unit.parents.get(ref.call)
    if count != 1 or ref.scopes or type(statement) is not ast.Assign or statement.value is not ref.call \
            or ref.call.args or ref.call.keywords:
        return FAMILY.site(unit, ref.node, ref.name,
                           cannot=f"{ref.name}: only one `step = {ref.name.rpartition('.')[2]}()` at module "
                                  "level is rewritten yet (TF1 returns the same variable to every call)")
    variable, imports = unit.spell("tf.Variable")
    int64, more = unit.spell("tf.int64")
    text = f'{variable}(0, dtype={int64}, trainable=False, name="global_step")'
    return FAMILY.site(unit, ref.node, f"{ref.name} -> tf.Variable (int64, as TF1 made it)",
                       [unit.replace(ref.call, text)], (*imports, *more))


def find(unit: Unit) -> list[Site]:
    sites = []
    steps = [r for r in unit.refs() if r.v1 and r.name in GLOBAL_STEP + _STEP_READERS]
    for ref in unit.refs():
        if not ref.v1 or ref.call is None:
            continue
        if ref.name in TABLE:
            sites.append(_schedule(unit, ref))
        elif ref.name in REPORTED:
            sites.append(FAMILY.site(unit, ref.node, ref.name, cannot=f"{ref.name}: {REPORTED[ref.name]}"))
        elif ref.name in GLOBAL_STEP:
            sites.append(_global_step(unit, ref, len(steps)))
    return sites


FAMILY = Family(number=4, name="schedules", order=60, find=find,
                claims=tuple(TABLE) + tuple(REPORTED) + GLOBAL_STEP,
                summary="tf.train.*_decay -> keras.optimizers.schedules.* called on global_step")
