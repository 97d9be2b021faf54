# tfshift-native: from=1.15
# A TF1 queue-runner pipeline with a fixed order: string_input_producer(shuffle=False,
# num_epochs=2) -> TextLineReader(skip_header_lines=1) -> decode_csv -> tf.train.batch, started
# by start_queue_runners under a Coordinator and drained until OutOfRangeError; a TFRecord
# pipeline read the same way for evaluation.
import json
import os

import numpy as np
import tensorflow as tf

rng = np.random.RandomState(0)
rows = rng.randn(11, 3).astype("float32")
for part, chunk in (("a", rows[:6]), ("b", rows[6:])):
    with open("part_%s.csv" % part, "w") as handle:
        handle.write("x1,x2,y\n")
        for r in chunk:
            handle.write("%r,%r,%r\n" % (float(r[0]), float(r[1]), float(r[0] * 2.0 - r[1] + 0.5)))
with tf.python_io.TFRecordWriter("rows.tfrecord") as writer:
    for r in rows:
        writer.write(tf.train.Example(features=tf.train.Features(feature={
            "x": tf.train.Feature(float_list=tf.train.FloatList(value=[float(r[0]), float(r[1])]))})).SerializeToString())

filenames = tf.train.string_input_producer(["part_a.csv", "part_b.csv"], num_epochs=2, shuffle=False)
reader = tf.TextLineReader(skip_header_lines=1)
_, line = reader.read(filenames)
x1, x2, target = tf.decode_csv(line, record_defaults=[[0.0], [0.0], [0.0]])
features = tf.stack([x1, x2])
batch_x, batch_y = tf.train.batch([features, target], batch_size=4)

records = tf.train.string_input_producer(["rows.tfrecord"], num_epochs=1, shuffle=False)
_, serialized = tf.TFRecordReader().read(records)
parsed = tf.parse_single_example(serialized, {"x": tf.FixedLenFeature([2], tf.float32)})
eval_x = tf.train.batch([parsed["x"]], batch_size=5, allow_smaller_final_batch=True)

W = tf.Variable(np.array([[0.1], [-0.2]], dtype="float32"), name="W")
b = tf.Variable(0.0, name="b")
loss = tf.reduce_mean(tf.square(tf.squeeze(tf.matmul(batch_x, W), 1) + b - batch_y))
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
prediction = tf.matmul(eval_x, W) + b

losses, predictions = [], []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(tf.local_variables_initializer())
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)
    try:
        while not coord.should_stop():
            _, value = sess.run([train, loss])
            losses.append(float(value))
    except tf.errors.OutOfRangeError:
        pass
    try:
        while True:
            predictions.append(sess.run(prediction).tolist())
    except tf.errors.OutOfRangeError:
        pass
    finally:
        coord.request_stop()
    coord.join(threads)
    print("RESULT " + json.dumps({"losses": losses, "predictions": predictions, "W": sess.run(W).tolist()}))
