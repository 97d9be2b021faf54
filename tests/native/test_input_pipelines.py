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


ITERATORS = '''\
import tensorflow as tf
W = tf.Variable(tf.ones([3, 1]))
dataset = tf.data.Dataset.from_tensor_slices((xs, ys)).batch(4)
iterator = dataset.make_one_shot_iterator()
batch_x, batch_y = iterator.get_next()
loss = tf.reduce_mean(tf.square(tf.matmul(batch_x, W) - batch_y))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    while True:
        try:
            print(sess.run(loss))
        except tf.errors.OutOfRangeError:
            break
'''


def test_one_shot_iterator_of_a_session_program_draws_once_per_run():
    out = native(ITERATORS)
    assert "iterator = iter(dataset)\n" in out
    assert "def compute_loss(batch_x, batch_y):\n" in out
    # the OutOfRangeError loop drew once per pass, first thing: a for loop over the iterator
    assert "for batch in iterator:\n    print(compute_loss(*batch).numpy())\n" in out
    assert "OutOfRangeError" not in out


@pytest.mark.parametrize("loop", [
    # two draws per pass; the draw not first; drawn under a condition: get_next stays
    "while True:\n    try:\n        a = it.get_next()\n        b = it.get_next()\n"
    "    except tf.errors.OutOfRangeError:\n        break\n",
    "while True:\n    try:\n        print(1)\n        a = it.get_next()\n"
    "    except tf.errors.OutOfRangeError:\n        break\n",
    "while True:\n    try:\n        a = f() or it.get_next()\n"
    "    except tf.errors.OutOfRangeError:\n        break\n",
    "while True:\n    try:\n        a = it.get_next()\n"
    "    except tf.errors.OutOfRangeError:\n        pass\n",  # pass: loops forever, as written
])
def test_drain_loops_that_stay(loop):
    text = "import tensorflow as tf\nit = iter(tf.data.Dataset.range(3))\n" + loop
    assert native(text, major=2) == text


def test_drain_loop_around_the_while():
    out = native("import tensorflow as tf\nit = iter(tf.data.Dataset.range(3))\ntry:\n    while True:\n"
                 "        x = it.get_next()\n        print(x)\nexcept tf.errors.OutOfRangeError:\n    pass\n",
                 major=2)
    assert out.endswith("it = iter(tf.data.Dataset.range(3))\nfor batch in it:\n    x = batch\n    print(x)\n")


def test_initializable_iterator_starts_over_at_each_initializer_run():
    out = native('''\
        import tensorflow.compat.v1 as tf
        W = tf.Variable(1.0)
        ds = tf.data.Dataset.range(5).map(lambda i: tf.cast(i, tf.float32))
        it = tf.data.make_initializable_iterator(ds)
        element = it.get_next()
        y = element * W
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        for epoch in range(2):
            sess.run(it.initializer)
            print(sess.run(y), sess.run(element))
        ''')
    assert "it = iter(ds)\n" in out
    assert "    it = iter(ds)\n" in out
    assert "print(compute_y(it.get_next()).numpy(), tf.nest.map_structure(lambda t: t.numpy(), it.get_next()))" in out


@pytest.mark.parametrize("text, reason", [
    ("x = tf.placeholder(tf.float32)\nds = tf.data.Dataset.from_tensors(x)\n"
     "it = ds.make_initializable_iterator()\ne = it.get_next()\n",
     "a dataset built from placeholders or graph tensors (fed when its initializer runs) is not rewritten yet"),
    ("it = ds.make_one_shot_iterator()\na, b = it.get_next()\nu = a * W\nv = b * W\nprint(sess.run([u, v]))\n",
     "one run fetches several values computed from one iterator's element: TF1 drew one element for all of "
     "them (fetch one, or a training op with its loss)"),
    ("it = ds.make_one_shot_iterator()\nh = it.string_handle()\n",
     "iterator it used other than by get_next() and its initializer"),
    ("e = ds.make_one_shot_iterator().get_next()\nu = e * W\nprint(sess.run(u))\n",
     "a TF1 iterator made where tfshift cannot follow it (assign it to a name at module level, then "
     "`x = it.get_next()`)"),
    ("it = ds.make_initializable_iterator()\ne = it.get_next()\nsess.run(it.initializer, {p: 1})\n",
     "iterator it's initializer run with a feed_dict (a dataset of placeholders) is not rewritten yet"),
])
def test_iterators_a_session_program_cannot_follow(text, reason):
    head = "import tensorflow as tf\nW = tf.Variable(1.0)\nds = tf.data.Dataset.range(3)\nsess = tf.Session()\n"
    assert reason in cannot(head + text)


ORDERED_QUEUE = '''\
import tensorflow as tf
W = tf.Variable(1.0)
files = tf.train.string_input_producer(["a.csv", "b.csv"], num_epochs=2, shuffle=False)
reader = tf.TextLineReader(skip_header_lines=1)
_, line = reader.read(files)
a, b = tf.decode_csv(line, record_defaults=[[0.0], [0.0]])
xb, yb = tf.train.batch([a * 2.0, b], batch_size=4)
loss = tf.reduce_sum(xb * W - yb)
with tf.Session() as sess:
    sess.run(tf.local_variables_initializer())
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)
    try:
        while not coord.should_stop():
            print(sess.run(loss))
    except tf.errors.OutOfRangeError:
        print("done")
    finally:
        coord.request_stop()
    coord.join(threads)
'''


def test_ordered_queue_pipeline_becomes_tf_data():
    out = native(ORDERED_QUEUE)
    assert ("def parse_line(line):\n"
            "    a, b = tf.io.decode_csv(line, record_defaults=[[0.0], [0.0]])\n"
            "    return a * 2.0, b\n"
            "xb_dataset = tf.data.Dataset.from_tensor_slices([\"a.csv\", \"b.csv\"]).repeat(2).flat_map("
            "lambda filename: tf.data.TextLineDataset(filename).skip(1)).map(parse_line)"
            ".batch(4, drop_remainder=True)\n"
            "xb_iterator = iter(xb_dataset)\n") in out
    assert ("try:\n    while True:\n        print(compute_loss(*xb_iterator.get_next()).numpy())\n"
            "except tf.errors.OutOfRangeError:\n    print(\"done\")\n") in out
    assert "Coordinator" not in out and "queue_runners" not in out and "finally" not in out


@pytest.mark.parametrize("change, reason", [
    ('shuffle=False)', "string_input_producer shuffles the file names (shuffle=True is its default): a "
                       "RandomShuffleQueue order no tf.data pipeline reproduces; with shuffle=False it becomes tf.data"),
    ('batch_size=4)', "tf.train.batch with several threads enqueues in a racing order"),
    ('_, line = ', "the record key k is used: tf.data has no file:line keys"),
    ('loss = ', "a (per-example code of the queue pipeline) is used outside it"),
])
def test_queue_pipelines_that_stay_reported(change, reason):
    replacement = {'shuffle=False)': ')', 'batch_size=4)': 'batch_size=4, num_threads=2)',
                   '_, line = ': 'k, line = ', 'loss = ': 'print(a)\nloss = '}[change]
    text = ORDERED_QUEUE.replace(change, replacement, 1)
    if change == '_, line = ':
        text = text.replace('loss = ', 'print(k)\nloss = ')
    reasons = cannot(text)
    assert reason in reasons, reasons
    if change == 'shuffle=False)':  # the threads stay with the pipeline they run
        assert "queue runners are started here; they go with the queue pipeline they run" in reasons


def test_tf1_dataset_attributes_become_element_spec():
    out = native('''\
        import tensorflow as tf
        ds = tf.data.Dataset.from_tensor_slices(({"a": xs}, ys)).batch(2)
        print(ds.output_types, ds.output_shapes)
        ''')
    assert ("print(tf.nest.map_structure(lambda spec: spec.dtype, ds.element_spec), "
            "tf.nest.map_structure(lambda spec: spec.shape, ds.element_spec))") in out
    assert ("Dataset.output_classes (TF1 only): TF2's element_spec gives TypeSpecs, not classes; not rewritten"
            in cannot("import tensorflow as tf\nds = tf.data.Dataset.range(3)\nprint(ds.output_classes)\n"))
    unknown = "import tensorflow as tf\nds = tf.data.Dataset.range(3)\nprint(reader.output_types)\n"
    assert native(unknown, major=2) == unknown  # not visibly a dataset: left alone
