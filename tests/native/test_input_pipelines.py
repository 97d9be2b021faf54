"""Family 6: queue runners and TF1 iterators are reported with what their tf.data form needs;
an estimator input_fn's one-shot iterator becomes its dataset."""

from __future__ import annotations

import pytest

from tests.native.tools import cannot, native

QUEUES = '''\
import tensorflow as tf
filename_queue = tf.train.string_input_producer(["a.tfrecord"], num_epochs=None, shuffle=False)
reader = tf.TFRecordReader()
_, serialized = reader.read(filename_queue)
images, labels = tf.train.shuffle_batch([serialized, serialized], batch_size=4, capacity=50,
                                        min_after_dequeue=10)
with tf.Session() as sess:
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)
'''


def test_queue_runner_pipeline_is_reported_site_by_site():
    reasons = cannot(QUEUES)
    assert any(r.startswith("queue runners feed the graph from threads; the TF2 form is a tf.data "
                            "pipeline (tf.data.TFRecordDataset / TextLineDataset(...)") for r in reasons)
    assert ("tf.train.shuffle_batch draws its order from a RandomShuffleQueue: a tf.data `shuffle` "
            "gives other batches, so the rewrite could not be checked against the original") in reasons
    assert "queue runners are started here; they go with the queue pipeline they run" in reasons
    assert "a Coordinator stops queue-runner threads; it goes with the queue pipeline" in reasons


@pytest.mark.parametrize("text", [
    "import tensorflow as tf\nit = ds.make_one_shot_iterator()\nx = it.get_next()\n",
    "import tensorflow.compat.v1 as tf\nit = tf.data.make_initializable_iterator(ds)\n",
    "import tensorflow as tf\nx, y = tf.train.batch([a, b], batch_size=3)\n",
    "import tensorflow as tf\nq = tf.FIFOQueue(3, tf.float32)\n",
])
def test_tf1_input_stays_compat_with_a_reason(text):
    reasons = cannot(text)
    assert reasons
    assert all(("not rewritten" in r) or ("tf.data pipeline" in r) for r in reasons), reasons


def test_one_shot_iterator_of_an_input_fn_becomes_the_dataset():
    out = native('''\
        import tensorflow.compat.v1 as tf
        def input_fn():
            ds = tf.data.Dataset.from_tensor_slices(({"a": xs}, ys)).batch(2)
            return tf.data.make_one_shot_iterator(ds).get_next()
        est = tf.estimator.LinearRegressor([tf.feature_column.numeric_column("a")])
        est.train(input_fn, steps=3)
        ''')
    assert "    return ds\n" in out and "est.fit(input_fn(), steps_per_epoch=3)" in out


@pytest.mark.parametrize("text", [
    "import tensorflow as tf\nds = tf.data.Dataset.range(3).batch(2)\nfor x in ds:\n    print(x)\n",
    "import tensorflow as tf\nit = iter(tf.data.Dataset.range(3))\nx = next(it)\n",
    "class Reader:\n    def make_one_shot_iterator(self):\n        return 1\n",  # no TensorFlow here
])
def test_no_ops(text):
    assert native(text, major=2) == text
