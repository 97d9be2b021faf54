"""B's variables find A's: by name after normalising, by scope tail, then by creation order and shape."""

from __future__ import annotations

from tfshift.verifycode.probe.matching import Matcher, ignored, parts, plain


def variables(*specs):
    return [{"index": i, "name": name, "shape": list(shape), "trainable": trainable}
            for i, (name, shape, trainable) in enumerate(specs)]


TF1 = variables(("fully_connected/weights:0", (8, 16), True), ("fully_connected/biases:0", (16,), True),
                ("logits/kernel:0", (16, 3), True), ("logits/bias:0", (3,), True),
                ("beta1_power:0", (), False), ("logits/kernel/Adam:0", (16, 3), False))


def test_names_are_normalised():
    assert plain("dense/kernel:0") == "dense/kernel"
    assert parts("Sequential/Dense/Kernel:0") == ("sequential", "dense", "kernel")
    assert parts("fc/weights:0") == ("fc", "kernel") and parts("fc/biases") == ("fc", "bias")


def test_same_names_match_by_name_and_keras3_paths_by_scope():
    matcher = Matcher(TF1)
    assert matcher.match("logits/kernel:0", [16, 3], True) == (2, "name")
    assert matcher.match("sequential/logits/bias:0", [3], True) == (3, "scope")


def test_renamed_layers_fall_back_to_creation_order_and_shape():
    matcher = Matcher(TF1)
    assert matcher.match("dense/kernel:0", [8, 16], True) == (0, "order")
    assert matcher.match("dense/bias:0", [16], True) == (1, "order")
    assert matcher.match("logits/kernel:0", [16, 3], True) == (2, "name")
    assert matcher.unmatched_a() == [TF1[3]]


def test_order_skips_to_the_first_free_variable_of_that_shape():
    matcher = Matcher(TF1)
    # B builds the output layer first: rank 0 is [8, 16] in A, so the first free [16, 3] is taken.
    assert matcher.match("out/w:0", [16, 3], True) == (2, "order")
    assert matcher.match("hidden/w:0", [8, 16], True) == (0, "order")


def test_a_shape_that_fits_nothing_is_unmatched_with_the_reason():
    matcher = Matcher(TF1)
    index, why = matcher.match("logits/kernel:0", [16, 4], True)
    assert index is None and why == "A's logits/kernel has shape [16, 3], B's [16, 4]"
    index, why = matcher.match("extra/kernel:0", [5, 5], True)
    assert index is None and why == "no free trainable variable of A has shape [5, 5]"


def test_non_trainable_variables_match_by_name_only_and_may_stay_unmatched():
    matcher = Matcher(TF1)
    assert matcher.match("adam/iteration:0", [], False) == (None, "no variable of A has this name")
    assert matcher.match("beta1_power:0", [], False) == (4, "name")
    assert matcher.unmatched_a() == TF1[:4]  # slots never count as unmatched


def test_a_name_matched_once_is_not_taken_twice():
    matcher = Matcher(TF1)
    assert matcher.match("logits/kernel:0", [16, 3], True) == (2, "name")
    index, why = matcher.match("logits/kernel:0", [16, 3], True)
    assert index is None and why == "A's logits/kernel is matched already"


def test_ignored_variables_are_left_out_on_both_sides():
    assert ignored("lr:0", ["lr"]) and ignored("opt/lr:0", ["*/lr:0"]) and not ignored("lr2", ["lr"])
    matcher = Matcher(variables(("lr:0", (), True), ("w:0", (2,), True)), ignore=["lr"])
    assert matcher.match("lr:0", [], True) == (None, "ignored")
    assert matcher.match("weights:0", [2], True) == (1, "order")
    assert matcher.unmatched_a() == []


def test_optimizer_hyperparameters_keep_the_programs_own_values():
    from tfshift.verifycode.probe.matching import Matcher
    a = [{"index": 0, "name": "learning_rate:0", "shape": [], "trainable": False},
         {"index": 1, "name": "dense/kernel:0", "shape": [2, 3], "trainable": True},
         {"index": 2, "name": "iteration:0", "shape": [], "trainable": False}]
    matcher = Matcher(a)
    assert matcher.match("adam/learning_rate", [], False)[0] is None
    assert matcher.match("sequential/dense/kernel", [2, 3], True) == (1, "scope")
    assert matcher.match("iteration", [], False) == (2, "name")
