"""Family 5: TF1 summaries (`tf.summary.scalar` / `histogram`, `merge_all`, `FileWriter`).

In TF1 a summary op is a graph tensor: `sess.run(merged, feed)` computes the summarized
values and serializes them, `writer.add_summary(s, step)` writes them at `step`. The native
program keeps that split (graph.py finds the statements):

    tf.summary.scalar("loss", loss)          def summarize_merged(x, y):
    merged = tf.summary.merge_all()              ...the graph code loss needs...
    writer = tf.summary.FileWriter(d)   ->       return [(tf.summary.scalar, "loss", loss)]
    s = sess.run(merged, {x: a, y: b})       writer = tf.summary.create_file_writer(d)
    writer.add_summary(s, step)              s = summarize_merged(a, b)
                                             write_summaries(writer, s, step)

Tags are TF1's: a repeated name gets `_1`, `_2` as TF1's op names did. A summary fetched with
the training op holds the values of the forward pass, before the update (the step runs after).
TF1's histograms bucket values exponentially, TF2's `tf.summary.histogram` in 30 equal buckets:
count, min and max agree, the buckets TensorBoard draws do not (docs/native.md). Reported:
summaries under name scopes or with `family=` / `collections=`, images, audio, text,
`add_graph` / `add_run_metadata`, and FileWriters used otherwise than add_summary/flush/close.
"""

from __future__ import annotations

import ast
import re

from tfshift.native.arguments import Cannot
from tfshift.native.family import Family, Site, Unit

KINDS = {"tf.summary.scalar": "scalar", "tf.summary.histogram": "histogram"}
MERGES = ("tf.summary.merge_all", "tf.summary.merge")
WRITER = "tf.summary.FileWriter"
_TAG = re.compile(r"^[A-Za-z0-9_.\-/]+$")
WRITER_USES = ("add_summary", "flush", "close")


def summary_parts(call: ast.Call, name: str) -> tuple[str, ast.AST]:
    """(tag, tensor node) of `tf.summary.scalar(tag, tensor)` (raises Cannot)."""
    args = dict(zip(("name", "tensor" if name.endswith("scalar") else "values"), call.args))
    for keyword in call.keywords:
        if keyword.arg in ("name", "tensor", "values"):
            args[keyword.arg] = keyword.value
        else:
            raise Cannot(keyword.value, f"{name}({keyword.arg}=...) is not rewritten yet")
    if len(call.args) > 2:
        raise Cannot(call, f"{name} with collections or family: not rewritten yet")
    tag = args.get("name")
    tensor = args.get("tensor", args.get("values"))
    if tensor is None or type(tag) is not ast.Constant or not isinstance(tag.value, str) or not _TAG.match(tag.value):
        raise Cannot(call, f"{name} whose tag is not a literal name (TF1 cleans and uniquifies tags)")
    return tag.value, tensor


def _default_graph(unit: Unit, node: ast.AST) -> bool:
    """`tf.get_default_graph()`: the graph a FileWriter draws (TF2 has none: dropped)."""
    if type(node) is not ast.Call or node.args or node.keywords:
        return False
    return any(r.call is node and r.name == "tf.get_default_graph" for r in unit.refs())


def writer_arguments(unit: Unit, call: ast.Call, sessions: set[str]) -> str:
    """`tf.summary.create_file_writer(...)` arguments for `tf.summary.FileWriter(...)`; the
    graph argument (the session's or the default graph, drawn by TensorBoard) is dropped."""
    params = ("logdir", "graph", "max_queue", "flush_secs", "graph_def", "filename_suffix", "session")
    given = dict(zip(params, call.args))
    given.update({k.arg: k.value for k in call.keywords})
    unknown = set(given) - set(params)
    if unknown or any(isinstance(a, ast.Starred) for a in call.args) or "logdir" not in given:
        raise Cannot(call, "tf.summary.FileWriter with arguments tfshift cannot read")
    for dropped in ("graph_def", "session"):
        if dropped in given:
            raise Cannot(given[dropped], f"tf.summary.FileWriter({dropped}=...) is not rewritten yet")
    graph = given.get("graph")
    if graph is not None and not (type(graph) is ast.Constant and graph.value is None) and not (
            type(graph) is ast.Attribute and graph.attr == "graph" and type(graph.value) is ast.Name
            and graph.value.id in sessions) and not _default_graph(unit, graph):
        raise Cannot(graph, "tf.summary.FileWriter(graph=...) other than the session's graph")
    parts = [unit.segment(given["logdir"])]
    if "max_queue" in given:
        parts.append(f"max_queue={unit.segment(given['max_queue'])}")
    if "flush_secs" in given:
        parts.append(f"flush_millis=({unit.segment(given['flush_secs'])}) * 1000")
    if "filename_suffix" in given:
        parts.append(f"filename_suffix={unit.segment(given['filename_suffix'])}")
    return ", ".join(parts)


def write_function(name: str, indent: str) -> str:
    i = indent
    return "\n".join([
        f"def {name}(writer, summaries, global_step=0):",
        f'{i}"""FileWriter.add_summary: write fetched (tf.summary op, tag, value) triples at the step."""',
        f"{i}with writer.as_default(step=global_step):",
        f"{i}{i}for summary, tag, value in summaries:",
        f"{i}{i}{i}summary(tag, value)",
    ])


def find(unit: Unit) -> list[Site]:
    return []  # graph.py rewrites summaries with the graph program they belong to


FAMILY = Family(number=5, name="summaries", order=120, find=find, claims=(*KINDS, *MERGES, WRITER),
                summary="tf.summary ops + FileWriter -> tf.summary.create_file_writer with explicit steps")
