"""tf.set_random_seed -> tf.random.set_seed (seeds.py)."""

from __future__ import annotations

from tests.native.tools import cannot, check


def test_the_global_seed():
    check("""\
    import tensorflow as tf
    tf.set_random_seed(777)  # for reproducibility
    x = tf.random_normal([1])
    """, """\
    import tensorflow as tf
    tf.random.set_seed(777)  # for reproducibility
    x = tf.random.normal([1])
    """)
    check("""\
    import tensorflow.compat.v1 as tf
    tf.set_random_seed(seed=1)
    """, """\
    import tensorflow as tf
    tf.random.set_seed(seed=1)
    """)


def test_tf2_code_and_odd_calls():
    check("""\
    import tensorflow as tf
    tf.random.set_seed(3)
    """, """\
    import tensorflow as tf
    tf.random.set_seed(3)
    """, major=2)
    assert cannot("""\
    import tensorflow as tf
    tf.set_random_seed(1, 2)
    """)
