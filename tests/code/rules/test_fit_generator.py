from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK004"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK004"], source="2.15")


@pytest.mark.parametrize(("before", "after"), [
    pytest.param("model.fit_generator(gen, 100, 5)\n", "model.fit(gen, steps_per_epoch=100, epochs=5)\n",
                 id="positional"),
    pytest.param("model.fit_generator(generator=gen, epochs=2)\n", "model.fit(x=gen, epochs=2)\n",
                 id="generator keyword"),
    pytest.param("p = self.model.predict_generator(gen, 3)\n", "p = self.model.predict(gen, steps=3)\n",
                 id="predict"),
    pytest.param("r = m.evaluate_generator(gen, steps=4, verbose=0)\n", "r = m.evaluate(gen, steps=4, verbose=0)\n",
                 id="evaluate"),
])
def test_fixes(before, after):
    check(before, after)


@pytest.mark.parametrize("src", [
    "model.fit(gen, steps_per_epoch=3)\n",
    "def fit_generator(): pass\nfit_generator()\n",
])
def test_noop(src):
    check_noop(src)


def test_star_args_without_fix():
    assert tools.found("model.fit_generator(*a)\n", select=["TFK004"], source="2.15") == [("TFK004", 1, 1, "none")]


def test_positional_arguments_that_would_repeat_a_keyword_are_left_to_a_person():
    # Keras 2's own training_generator.fit_generator(model, generator, steps_per_epoch=...).
    src = "r = training_generator.fit_generator(self, generator, steps_per_epoch=s)\n"
    assert tools.found(src, select=["TFK004"], source="2.15") == [("TFK004", 1, 5, "none")]
    check_noop(src)
