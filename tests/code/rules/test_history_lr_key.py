from functools import partial

import pytest

from tests.code import tools

check = partial(tools.check, select=["TFK042"], source="2.15")
check_noop = partial(tools.check_noop, select=["TFK042"], source="2.15")
HEAD = "import tensorflow as tf\nh = model.fit(x, y, callbacks=[tf.keras.callbacks.ReduceLROnPlateau()])\n"


@pytest.mark.parametrize(("before", "after"), [
    ("plt.plot(h.history['lr'])\n", "plt.plot(h.history['learning_rate'])\n"),
    ('lrs = h.history["lr"][-1]\n', 'lrs = h.history["learning_rate"][-1]\n'),
    ('lrs = self.model.history.history.get("lr")\n', 'lrs = self.model.history.history.get("learning_rate")\n'),
])
def test_key_renamed(before, after):
    check(HEAD + before, HEAD + after)


@pytest.mark.parametrize("src", [
    "plt.plot(h.history['loss'])\n",
    "plt.plot(h.history['learning_rate'])\n",
    "d = {'lr': 1}\nprint(d['lr'])\n",
    "print(h.history)\nprint(cfg['lr'])\n",
    "print(h.history.get('val_lr'))\n",
])
def test_noop(src):
    check_noop(HEAD + src)


def test_not_without_keras():
    check_noop("h = fit()\nprint(h.history['lr'])\n")
