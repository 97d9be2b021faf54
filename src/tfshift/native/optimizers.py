"""Family 4: TF1 optimizers become Keras optimizers with TF1's hyper-parameters written out.

`tf.train.AdamOptimizer()` is `keras.optimizers.Adam(learning_rate=0.001, beta_1=0.9,
beta_2=0.999, epsilon=1e-08)`: TF1's epsilon is 1e-8 where Keras's default is 1e-7, so every
default is spelled out. Adagrad keeps TF1's initial accumulator (0.1) and has no epsilon in TF1
(epsilon=0.0). The minimize step itself (a GradientTape step under tf.function) is written by
graph.py, which asks `keras_optimizer` for the constructor. Optimizers whose TF1 update differs
from every Keras one (RMSProp starts its mean square at 1.0, Keras at 0; FTRL's TF1 kernel) are
reported, not rewritten.
"""

from __future__ import annotations

import ast

from tfshift.native.family import Family, Site, Unit

# TF1 optimizer -> (Keras class, [(TF1 parameter, Keras keyword, TF1 default)], fixed keywords)
TABLE = {
    "tf.train.GradientDescentOptimizer": ("SGD", [("learning_rate", "learning_rate", None)], {}),
    "tf.train.MomentumOptimizer": ("SGD", [("learning_rate", "learning_rate", None),
                                           ("momentum", "momentum", None), ("use_locking", None, "False"),
                                           ("name", None, None), ("use_nesterov", "nesterov", "False")], {}),
    "tf.train.AdamOptimizer": ("Adam", [("learning_rate", "learning_rate", "0.001"), ("beta1", "beta_1", "0.9"),
                                        ("beta2", "beta_2", "0.999"), ("epsilon", "epsilon", "1e-08")], {}),
    "tf.train.AdagradOptimizer": ("Adagrad", [("learning_rate", "learning_rate", None),
                                              ("initial_accumulator_value", "initial_accumulator_value", "0.1")],
                                  {"epsilon": "0.0"}),
}
REPORTED = {
    "tf.train.RMSPropOptimizer": "TF1 RMSProp starts its mean square at 1.0 and Keras's at 0.0: the "
                                 "first steps would differ",
    "tf.train.FtrlOptimizer": "TF1's FTRL kernel and Keras's Ftrl are not verified to agree yet",
    "tf.train.AdadeltaOptimizer": "Adadelta is not verified against Keras yet",
    "tf.train.ProximalGradientDescentOptimizer": "no Keras proximal optimizer",
    "tf.train.ProximalAdagradOptimizer": "no Keras proximal optimizer",
    "tf.train.AdagradDAOptimizer": "no Keras Adagrad-DA optimizer",
    "tf.train.SyncReplicasOptimizer": "use a tf.distribute strategy",
}
_IGNORED = ("use_locking", "name")


class Cannot(Exception):
    pass


def keras_optimizer(unit: Unit, name: str, call: ast.Call, overrides: dict[str, str] | None = None
                    ) -> tuple[str, tuple]:
    """The Keras optimizer constructor for a TF1 optimizer call (raises Cannot); `overrides`
    replaces the source text of TF1 parameters (a graph learning rate's function)."""
    if name in REPORTED:
        raise Cannot(f"{name}: {REPORTED[name]}")
    entry = TABLE.get(name)
    if entry is None:
        raise Cannot(f"{name}: no Keras counterpart known")
    cls, params, fixed = entry
    given: dict[str, str] = {}
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise Cannot(f"{name} with *args or **kwargs")
    if len(call.args) > len(params):
        raise Cannot(f"{name}: more positional arguments than TF1 takes")
    for (param, _, _), arg in zip(params, call.args):
        given[param] = unit.segment(arg)
    names = {p for p, _, _ in params}
    for keyword in call.keywords:
        if keyword.arg not in names:
            raise Cannot(f"{name}: argument {keyword.arg} has no Keras counterpart")
        given[keyword.arg] = unit.segment(keyword.value)
    given.update(overrides or {})
    parts = []
    for param, keras_name, default in params:
        value = given.get(param, default)
        if keras_name is None:
            if param == "use_locking" and value not in (None, "False"):
                raise Cannot(f"{name}: use_locking has no Keras counterpart")
            continue
        if value is None:
            raise Cannot(f"{name}: {param} is required")
        parts.append(f"{keras_name}={value}")
    parts += [f"{k}={v}" for k, v in fixed.items()]
    spelled, imports = unit.spell(f"keras.optimizers.{cls}")
    return f"{spelled}({', '.join(parts)})", imports


def find(unit: Unit) -> list[Site]:
    """Optimizer constructions outside graph programs (graph.py owns those with their
    minimize): a TF1 optimizer handed to Keras or kept for later."""
    from tfshift.native.graph import GRAPH_NAMES

    if any(ref.v1 and ref.name in GRAPH_NAMES for ref in unit.refs()):
        return []  # a graph program: graph.py writes its optimizers with their minimize steps
    sites = []
    for ref in unit.refs():
        if not ref.v1 or ref.call is None or not (ref.name in TABLE or ref.name in REPORTED):
            continue
        try:
            text, imports = keras_optimizer(unit, ref.name, ref.call)
        except Cannot as exc:
            sites.append(FAMILY.site(unit, ref.node, ref.name, cannot=str(exc)))
            continue
        sites.append(FAMILY.site(unit, ref.node, f"{ref.name} -> Keras optimizer",
                                 [unit.replace(ref.call, text)], imports))
    return sites


FAMILY = Family(number=4, name="optimizers", order=400, find=find,
                claims=tuple(TABLE) + tuple(REPORTED),
                summary="tf.train.*Optimizer -> keras.optimizers.* with TF1's hyper-parameters")
