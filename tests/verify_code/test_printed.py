"""Printed numbers: what counts, the rounding a fixed format allows, where two outputs part."""

from __future__ import annotations

import numpy as np

from tfshift.verifycode.printed import Aligned, parse, parting


def values(text):
    return [n.value for n in parse(text).numbers]


def test_numbers_standing_alone_count():
    assert values("step 1 loss 0.693147, acc=95.3% lr 1e-3\n") == [1, 0.693147, 95.3, 0.001]
    assert values("[0.1 -0.2  3.] (None, 16)\n") == [0.1, -0.2, 3.0, 16]
    got = values("loss: nan -inf\n")
    assert np.isnan(got[0]) and got[1] == -np.inf


def test_names_versions_dates_and_durations_do_not():
    text = ("TensorFlow 2.21.0 on Python 3.13, keras version: 3.1\n"
            "conv2d layer_3 at 0x7f3a\n"
            "2024-01-05 12:00:01.123: took 1.5 sec, 3 min\n"
            "32/32 [====] - 0s 12ms/step - loss: 0.1234\n")
    assert values(text) == [32, 32, 0.1234]


def test_the_terminal_view_counts_carriage_returns_colours_and_backspaces():
    assert values("epoch 1 0.9\repoch 1 0.5\n") == [1, 0.5]
    assert values("\x1b[32mloss 0.25\x1b[0m\n") == [0.25]
    assert values("loss 0.29\b5\n") == [0.25]


def test_a_fixed_format_allows_one_unit_in_the_last_digit():
    a = parse("loss 0.123456\n")
    b = parse("loss 0.123457\n")
    aligned = Aligned.of(a, b)
    assert aligned.b_judged[0] == aligned.a[0]  # within the rounding of %.6f
    wider = Aligned.of(a, parse("loss 0.123459\n"))
    np.testing.assert_allclose(wider.b_judged[0] - wider.a[0], 2e-6, rtol=1e-6)


def test_different_formats_and_integers_allow_no_rounding():
    assert Aligned.of(parse("acc 0.5\n"), parse("acc 0.53125\n")).b_judged[0] == 0.53125
    assert Aligned.of(parse("step 3\n"), parse("step 4\n")).b_judged[0] == 4


def test_outputs_part_where_their_lines_differ_in_shape():
    a = parse("start\nstep 0 loss 0.5\nstep 1 loss 0.4\ndone 1\n")
    b = parse("start\nstep 0 loss 0.5\nwarning: 3 retries\nstep 1 loss 0.4\ndone 1\n")
    assert parting(a, b) == (3, 3)


def test_keras_metrics_count_by_name_whatever_order_keras_prints_them():
    keras2 = "8/8 [====] - 0s 2ms/step - loss: 0.8377 - accuracy: 0.5195 - val_loss: 0.7 - val_accuracy: 0.6\n"
    keras3 = "8/8 ━━━━ 1s 3ms/step - accuracy: 0.5195 - loss: 0.8377 - val_accuracy: 0.6 - val_loss: 0.7\n"
    assert values(keras2) == values(keras3) == [8, 8, 0.5195, 0.8377, 0.6, 0.7]
    # verbose=2's epoch line: the pairs before the timings are one run
    assert values("8/8 - 0s - loss: 0.6886 - accuracy: 0.5547 - 106ms/epoch - 13ms/step\n") == [
        8, 8, 0.5547, 0.6886]
    # a single pair and other text keep their order
    assert values("step 3 - loss: 0.5 then 7\n") == [3, 0.5, 7]
