"""Family 4: `tf.losses.*` become the TF2 ops they computed, with their reduction written out.

TF1's losses cast their inputs to float32, weight them (1.0 by default) and reduce with
SUM_BY_NONZERO_WEIGHTS by default: with weight 1 that is the mean over every element. So
`tf.losses.mean_squared_error(y, p)` is
`tf.reduce_mean(tf.math.squared_difference(tf.cast(p, tf.float32), tf.cast(y, tf.float32)))`;
`reduction=SUM` is `tf.reduce_sum`, `NONE` the unreduced tensor. softmax_cross_entropy keeps
TF1's `stop_gradient` on the labels. Weights other than 1, label smoothing and the losses
collection (`tf.losses.get_total_loss`) are reported (the residue check reports the last).
"""

from __future__ import annotations

import ast

from tfshift.native.family import Family, Site, Unit

# name -> (parameter names in order, builder(args: dict[str, str], spell) -> per-element loss)
_F32 = "{cast}({x}, {f32})"


def _mse(a, s):
    return (f"{s('tf.math.squared_difference')}({s('tf.cast')}({a['predictions']}, {s('tf.float32')}), "
            f"{s('tf.cast')}({a['labels']}, {s('tf.float32')}))")


def _absolute(a, s):
    return (f"{s('tf.abs')}({s('tf.cast')}({a['predictions']}, {s('tf.float32')}) - "
            f"{s('tf.cast')}({a['labels']}, {s('tf.float32')}))")


def _softmax(a, s):
    return (f"{s('tf.nn.softmax_cross_entropy_with_logits')}(labels={s('tf.stop_gradient')}("
            f"{s('tf.cast')}({a['onehot_labels']}, {s('tf.float32')})), logits={a['logits']})")


def _sparse(a, s):
    return f"{s('tf.nn.sparse_softmax_cross_entropy_with_logits')}(labels={a['labels']}, logits={a['logits']})"


def _sigmoid(a, s):
    return (f"{s('tf.nn.sigmoid_cross_entropy_with_logits')}(labels={s('tf.cast')}({a['multi_class_labels']}, "
            f"{s('tf.float32')}), logits={a['logits']})")


LOSSES = {
    "tf.losses.mean_squared_error": (("labels", "predictions", "weights"), _mse),
    "tf.losses.absolute_difference": (("labels", "predictions", "weights"), _absolute),
    "tf.losses.softmax_cross_entropy": (("onehot_labels", "logits", "weights", "label_smoothing"), _softmax),
    "tf.losses.sparse_softmax_cross_entropy": (("labels", "logits", "weights"), _sparse),
    "tf.losses.sigmoid_cross_entropy": (("multi_class_labels", "logits", "weights", "label_smoothing"), _sigmoid),
}
_MEAN = ("SUM_BY_NONZERO_WEIGHTS", "MEAN", "SUM_OVER_BATCH_SIZE", "SUM_OVER_NONZERO_WEIGHTS")


def _one(node: ast.AST) -> bool:
    return type(node) is ast.Constant and node.value in (1, 1.0) and not isinstance(node.value, bool)


def _zero(node: ast.AST) -> bool:
    return type(node) is ast.Constant and node.value in (0, 0.0) and not isinstance(node.value, bool)


def _rewrite(unit: Unit, ref) -> Site:
    params, build = LOSSES[ref.name]
    call = ref.call
    given: dict[str, ast.AST] = {}
    if len(call.args) > len(params) or any(isinstance(a, ast.Starred) for a in call.args):
        return FAMILY.site(unit, ref.node, ref.name, cannot=f"{ref.name} with positional arguments past {params[-1]}")
    given.update(zip(params, call.args))
    reduction = "SUM_BY_NONZERO_WEIGHTS"
    for keyword in call.keywords:
        if keyword.arg in params:
            given[keyword.arg] = keyword.value
        elif keyword.arg == "reduction":
            qual = unit.bindings.resolve(keyword.value, ref.scopes) or ""
            reduction = qual.rpartition(".")[2]
            if ".Reduction." not in qual:
                return FAMILY.site(unit, ref.node, ref.name, cannot=f"{ref.name}: a reduction tfshift cannot read")
        elif keyword.arg == "scope":
            continue
        else:
            return FAMILY.site(unit, ref.node, ref.name, cannot=f"{ref.name}: {keyword.arg} is not rewritten yet")
    if "weights" in given and not _one(given["weights"]):
        return FAMILY.site(unit, ref.node, ref.name, cannot=f"{ref.name} with weights: not rewritten yet")
    if "label_smoothing" in given and not _zero(given["label_smoothing"]):
        return FAMILY.site(unit, ref.node, ref.name, cannot=f"{ref.name} with label_smoothing: not rewritten yet")
    missing = [p for p in params[:2] if p not in given]
    if missing:
        return FAMILY.site(unit, ref.node, ref.name, cannot=f"{ref.name} without {missing[0]}")
    imports: list = []

    def spell(qual: str) -> str:
        text, more = unit.spell(qual)
        imports.extend(i for i in more if i not in imports)
        return text

    element = build({k: unit.segment(v) for k, v in given.items()}, spell)
    if reduction in _MEAN:
        text = f"{spell('tf.reduce_mean')}({element})"
    elif reduction == "SUM":
        text = f"{spell('tf.reduce_sum')}({element})"
    elif reduction == "NONE":
        text = element
    else:
        return FAMILY.site(unit, ref.node, ref.name, cannot=f"{ref.name}: reduction {reduction} not known")
    return FAMILY.site(unit, ref.node, f"{ref.name} -> TF2 ops, reduction {reduction} written out",
                       [unit.replace(call, text)], imports, tf2=True)


def find(unit: Unit) -> list[Site]:
    return [_rewrite(unit, ref) for ref in unit.refs() if ref.v1 and ref.call is not None and ref.name in LOSSES]


FAMILY = Family(number=4, name="losses", order=50, find=find, claims=tuple(LOSSES),
                summary="tf.losses.* -> the TF2 ops they computed, with TF1's float32 casts and reduction")
