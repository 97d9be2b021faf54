"""Family 5: tf.train.Saver -> tf.train.Checkpoint (pure rewrites, reports, and run tests that
restore the TF1 original's checkpoint into the native program)."""

from __future__ import annotations

import shutil

import pytest

from tests.native import runs
from tests.native.tools import cannot, check, native

SAVE = """\
import tensorflow as tf
W = tf.Variable([1.0], name="W")
saver = tf.train.Saver()
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    saver.save(sess, "model.ckpt")
    saver.restore(sess, "model.ckpt")
"""
SAVE_NATIVE = '''\
import tensorflow as tf
import os
W = tf.Variable([1.0], name="W")
def tf1_variables():
    """TF1 checkpoint names -> this program's variables (tfshift upgrade --native; docs/native.md)."""
    return {
        'W': W,
    }

# was: saver = tf.train.Saver(max_to_keep=5); variables keep their TF1 names
saver = tf.train.Checkpoint(**tf1_variables())


def save_saver(save_path, global_step=None):
    """saver.save: <save_path>-<global_step> and the `checkpoint` file, as the TF1 Saver wrote."""
    if global_step is None:
        return saver.write(save_path)
    directory, prefix = os.path.dirname(save_path) or ".", os.path.basename(save_path)
    manager = tf.train.CheckpointManager(saver, directory, max_to_keep=5, checkpoint_name=prefix)
    return manager.save(checkpoint_number=global_step)


def restore_saver(save_path):
    """saver.restore: a checkpoint this program wrote, or one the TF1 program wrote (by TF1 names)."""
    reader = tf.train.load_checkpoint(save_path)
    if reader.has_tensor("_CHECKPOINTABLE_OBJECT_GRAPH"):
        saver.read(save_path).assert_existing_objects_matched()
    else:
        for tf1_name, variable in tf1_variables().items():
            variable.assign(reader.get_tensor(tf1_name))
save_saver("model.ckpt")
restore_saver("model.ckpt")
'''


def test_saver_becomes_checkpoint_with_tf1_names():
    check(SAVE, SAVE_NATIVE)


def test_max_to_keep_and_global_step_are_kept():
    text = native(SAVE.replace("tf.train.Saver()", "tf.train.Saver(max_to_keep=0)")
                  .replace('"model.ckpt")\n    saver.restore', '"m", global_step=7)\n    saver.restore'))
    assert "max_to_keep=None" in text  # TF1's 0 keeps every checkpoint
    assert 'save_saver("m", global_step=7)' in text


def test_existing_os_import_is_reused():
    text = native("import os\n" + SAVE)
    assert text.count("import os") == 1


@pytest.mark.parametrize("before", [
    "import tensorflow as tf\nckpt = tf.train.Checkpoint(v=tf.Variable(1.0))\nckpt.save('x')\n",
    "import tensorflow as tf\nprint(tf.train.latest_checkpoint('d'))\n",
    "import tensorflow as tf\nv = tf.Variable(1.0)\nm = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), 'd', 3)\n",
])
def test_tf2_checkpoint_code_is_left_alone(before):
    assert native(before) == before


@pytest.mark.parametrize("change, reason", [
    (("tf.train.Saver()", "tf.train.Saver([W])"), "var_list"),
    (("tf.train.Saver()", "tf.train.Saver(keep_checkpoint_every_n_hours=2)"), "keep_checkpoint_every_n_hours"),
    (("tf.train.Saver()", "tf.train.Saver(max_to_keep=n)"), "literal"),
    (('saver.save(sess, "model.ckpt")', 'print(saver.last_checkpoints)'), "used other than"),
    (('saver.save(sess, "model.ckpt")', 'saver.save(sess, "m", write_meta_graph=False)'), "write_meta_graph"),
    (('saver.save(sess, "model.ckpt")', 'saver.save(sess, "m")\n    print(tf.train.latest_checkpoint("."))'),
     "state file"),
    (('W = tf.Variable([1.0], name="W")\n', 'W = tf.Variable([1.0], name="W")\n'
      'x = tf.placeholder(tf.float32)\nt = tf.train.AdamOptimizer().minimize(tf.reduce_sum(W * x))\n'),
     "slot variables"),
    (('saver = tf.train.Saver()\n', 'saver = tf.train.Saver()\nV = tf.Variable(2.0)\n'), "after the tf.train.Saver"),
])
def test_what_is_not_rewritten_is_reported(change, reason):
    reasons = cannot(SAVE.replace(*change))
    assert any(reason in r for r in reasons), reasons


def test_save_only_program_with_adam_is_rewritten():
    text = native(SAVE.replace('W = tf.Variable([1.0], name="W")\n', 'W = tf.Variable([1.0], name="W")\n'
                               'x = tf.placeholder(tf.float32)\n'
                               't = tf.train.AdamOptimizer().minimize(tf.reduce_sum(W * x))\n')
                  .replace('    saver.restore(sess, "model.ckpt")\n', ""))
    assert "save_saver(\"model.ckpt\")" in text


@pytest.mark.slow
def test_native_program_resumes_from_the_tf1_checkpoint(tf_env, tmp_path):
    """The original trains 3 steps and saves on TF 1.15; the native program on TF 2.21 restores
    that checkpoint by TF1 names, trains 3 more and saves; then once more from its own
    checkpoint. Each run agrees with the original's own next run."""
    program = runs.PROGRAMS / "saver_resume.py"
    original, migrated = tmp_path / "original", tmp_path / "native"
    original.mkdir()
    shutil.copy(program, original / program.name)
    report = runs.migrate(original, migrated, "1.15")
    assert not report["compat"], report["compat"]
    tf1, tf2 = tf_env("1.15"), tf_env("2.21")
    first = runs.run(tf1, original / program.name, original)
    assert first["step"] == 3 and not first["restored"]
    shutil.copytree(original / "ckpt", migrated / "ckpt")  # the TF1 checkpoint model-3
    second_tf1 = runs.run(tf1, original / program.name, original)
    second_native = runs.run(tf2, migrated / program.name, migrated)
    assert second_native["restored"] and second_native["step"] == 6
    runs.agree(second_tf1, second_native)
    third_tf1 = runs.run(tf1, original / program.name, original)
    third_native = runs.run(tf2, migrated / program.name, migrated)  # from its own TF2 checkpoint
    assert third_native["step"] == 9
    runs.agree(third_tf1, third_native)
    kept = [sorted(p.name for p in (d / "ckpt").glob("model-*.index")) for d in (original, migrated)]
    assert kept[0] == kept[1], kept  # each process deletes only the checkpoints it wrote itself


@pytest.mark.slow
def test_summaries_write_the_same_event_values(tf_env, tmp_path):
    """The original's and the native program's event files hold the same tags, steps and
    values (scalars exactly to 1e-5; histograms by count, min and max)."""
    program = runs.PROGRAMS / "summaries_filewriter.py"
    original, migrated = tmp_path / "original", tmp_path / "native"
    original.mkdir()
    shutil.copy(program, original / program.name)
    report = runs.migrate(original, migrated, "1.15")
    assert not report["compat"], report["compat"]
    runs.assert_native((migrated / program.name).read_text())
    # tf.summary.scalar & co. live in the tensorboard package, which TF 2.21 no longer installs
    tf2 = tf_env("2.21", extras=runs.declared_with(program))
    runs.agree(runs.run(tf_env("1.15"), original / program.name, original),
               runs.run(tf2, migrated / program.name, migrated))
    reader = runs.PROGRAMS.parent / "event_reader.py"
    events = [runs.run(tf2, reader, d, str(d / "logs")) for d in (original, migrated)]
    assert sorted(events[0]) == ["bias_norm", "loss", "loss_1", "predictions", "weights"], events[0]
    assert [len(v) for v in events[0].values()] == [6] * 5
    assert events[0].keys() == events[1].keys()
    for tag in events[0]:
        assert len(events[0][tag]) == len(events[1][tag]), tag
        for before, after in zip(events[0][tag], events[1][tag]):
            runs.agree(before, after)


SUMMARIES = """\
import tensorflow as tf
x = tf.placeholder(tf.float32)
W = tf.Variable(1.0)
loss = tf.square(W * x - 1.0)
tf.summary.scalar("loss", loss)
tf.summary.histogram("W", W)
merged = tf.summary.merge_all()
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
with tf.Session() as sess:
    writer = tf.summary.FileWriter("logs", sess.graph, flush_secs=10)
    sess.run(tf.global_variables_initializer())
    for i in range(5):
        s = sess.run(merged, {x: 2.0})
        writer.add_summary(s, i)
        sess.run(train, {x: 2.0})
    writer.close()
"""


def test_summaries_become_writes_at_explicit_steps():
    text = native(SUMMARIES)
    assert ("def summarize_merged(x):\n" in text
            and "    return [(tf.summary.scalar, 'loss', loss), (tf.summary.histogram, 'W', tf.identity(W))]\n" in text)
    assert 'writer = tf.summary.create_file_writer("logs", flush_millis=(10) * 1000)\n' in text
    assert "    s = summarize_merged(2.0)\n    write_summaries(writer, s, i)\n" in text
    assert "    with writer.as_default(step=global_step):\n" in text
    assert "writer.close()" in text and "\nmerged = " not in text


def test_file_writer_of_the_default_graph():
    text = native(SUMMARIES.replace("sess.graph, flush_secs=10", "graph=tf.get_default_graph()"))
    assert 'writer = tf.summary.create_file_writer("logs")\n' in text


def test_summaries_fetched_with_the_step_are_computed_first():
    text = native(SUMMARIES.replace("s = sess.run(merged, {x: 2.0})", "_, l, s = sess.run([train, loss, merged], {x: 2.0})")
                  .replace('tf.summary.histogram("W", W)', 'tf.summary.scalar("loss", 2 * loss)')
                  .replace("        sess.run(train, {x: 2.0})\n", ""))
    assert "'loss_1', 2 * loss" in text  # TF1's tag for a repeated name
    assert ("def run_train_loss_merged(x):\n" in text and "    merged = summarize_merged(x)\n"
            "    loss = train_step(x).numpy()\n    return [None, loss, merged]\n" in text)
    assert "_, l, s = run_train_loss_merged(2.0)" in text


@pytest.mark.parametrize("change, reason", [
    (("s = sess.run(merged, {x: 2.0})", "s, _ = sess.run([merged, train], {x: 2.0})"), "reads variable W outside"),
    (('writer.close()', 'writer.add_graph(sess.graph)'), "session.graph"),
    (('writer.close()', 'print(writer.get_logdir())'), "used other than"),
    (('tf.summary.scalar("loss", loss)', 'tf.summary.scalar("loss", loss, family="train")'), "family"),
    (('sess.graph, flush_secs=10', 'graph=tf.Graph()'), "graph"),
])
def test_summaries_not_rewritten_are_reported(change, reason):
    reasons = cannot(SUMMARIES.replace(*change))
    assert any(reason in r for r in reasons), reasons
