"""Family 7, part of: categorical feature columns as Keras preprocessing layers (estimators.py).

Each column becomes the dense vector the estimator's input layer / linear model computed from it,
with TF 1.15's encoding:

- `categorical_column_with_vocabulary_list(key, vocab)`: an id per vocabulary entry, values
  outside it (and the empty string, which TF1 drops from dense input) ignored ->
  `StringLookup / IntegerLookup(vocabulary=vocab, num_oov_indices=1, output_mode="count")` with
  the out-of-vocabulary column dropped (`[:, 1:]`): one count per entry, zeros for unknown values;
- `categorical_column_with_identity(key, n)`: the value is the id -> `CategoryEncoding(n, "count")`;
- `bucketized_column(numeric_column(key), boundaries)`: bucket i holds boundaries[i-1] <= x <
  boundaries[i] (TF's Bucketize, which Keras's `Discretization(bin_boundaries=...)` runs too);
- `indicator_column(c)`: c's counts (the sum of its one-hot rows, as TF1);
- `embedding_column(c, dimension)`: c's counts times an embedding matrix (a bias-free Dense named
  like the column, initialised as TF1 did: truncated normal, stddev 1/sqrt(dimension)), divided by
  the number of ids for combiner 'mean' (TF1's default) - for one id per example, the row itself.

In a linear model a categorical column (bare, bucketized or as indicator) has one weight per id
and the estimator summed the weights of an example's ids (`sparse_combiner='sum'`): that is the
count vector times the weights, i.e. rows of the one Dense kernel, in the order of the columns'
names, as `linear_model` sorted them. Hashed, crossed, weighted and sequence columns, vocabulary
files, OOV buckets and other combiners are reported.
"""

from __future__ import annotations

import ast
import json
import math
import re
from dataclasses import dataclass

from tfshift.native.arguments import Cannot
from tfshift.native.arguments import bind as _args
from tfshift.native.arguments import literal as _literal

FC = "tf.feature_column."


@dataclass
class Column:
    key: str | None  # the feature it reads; None when only known at run time
    size: int  # the width of the raw input (numeric columns' shape)
    key_node: ast.AST
    name: str | None = None  # the column's name (input layers sort by it); the key when None
    dtype: str = "float32"  # the keras.Input's dtype
    encoding: str | None = None  # "{input}" -> the dense counts (categorical columns)
    width: int | None = None  # width of the counts / embedding
    kind: str = "numeric"  # numeric, categorical (ids), dense (indicator / bucketized), embedding
    dimension: int = 0
    combiner: str = "mean"
    initializer: str = ""

    @property
    def column_name(self) -> str:
        return self.name or self.key


def _none(node) -> bool:
    return node is None or (isinstance(node, ast.Constant) and node.value is None)


def describe(finder, node: ast.Call, name: str, numeric) -> Column:
    """The Column a categorical / bucketized / indicator / embedding column call builds.
    `finder.resolve(node)` gives the call a column argument names; `numeric(node)` describes a
    numeric column."""
    short = name[len(FC):]
    spell = finder.plan.spell
    if short == "categorical_column_with_vocabulary_list":
        args = _args(node, ("key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets"), short)
        key, vocabulary = _literal(args.get("key")), _literal(args.get("vocabulary_list"))
        if not isinstance(key, str) or not isinstance(vocabulary, (list, tuple)) or not vocabulary:
            raise Cannot(node, f"{short} without a literal key and vocabulary")
        if _literal(args.get("default_value"), -1) != -1:
            raise Cannot(args["default_value"], f"{short}'s default_value (an id for unknown values) has no "
                                                "Keras lookup counterpart")
        if _literal(args.get("num_oov_buckets"), 0) != 0:
            raise Cannot(args["num_oov_buckets"], f"{short}'s num_oov_buckets hash unknown values with TF1's "
                                                  "fingerprint, not Keras's: not rewritten")
        strings = all(isinstance(v, str) for v in vocabulary)
        if not strings and not all(isinstance(v, int) and not isinstance(v, bool) for v in vocabulary):
            raise Cannot(args["vocabulary_list"], f"{short}'s vocabulary mixes strings and numbers")
        lookup = spell("keras.layers.StringLookup" if strings else "keras.layers.IntegerLookup")
        encoding = (f"{spell('keras.ops.cast')}({lookup}(vocabulary={json.dumps(list(vocabulary))}, "
                    f'num_oov_indices=1, output_mode="count")({{input}})[:, 1:], "float32")')
        finder.plan.consumed.add(id(node.func))
        return Column(key, 1, args["key"], key, "string" if strings else "int64", encoding, len(vocabulary),
                      "categorical")
    if short == "categorical_column_with_identity":
        args = _args(node, ("key", "num_buckets", "default_value"), short)
        key, buckets = _literal(args.get("key")), _literal(args.get("num_buckets"))
        if not isinstance(key, str) or not isinstance(buckets, int) or buckets < 1:
            raise Cannot(node, f"{short} without a literal key and num_buckets")
        if not _none(args.get("default_value")):
            raise Cannot(args["default_value"], f"{short}'s default_value has no Keras counterpart")
        encoding = f'{spell("keras.layers.CategoryEncoding")}(num_tokens={buckets}, output_mode="count")({{input}})'
        finder.plan.consumed.add(id(node.func))
        return Column(key, 1, args["key"], key, "int64", encoding, buckets, "categorical")
    if short == "bucketized_column":
        args = _args(node, ("source_column", "boundaries"), short)
        source = numeric(finder.resolve(args.get("source_column"), node))
        boundaries = _literal(args.get("boundaries"))
        if source.size != 1:
            raise Cannot(node, "a bucketized column of a numeric column wider than 1 is not rewritten yet")
        if not isinstance(boundaries, (list, tuple)) or not all(isinstance(b, (int, float)) for b in boundaries) \
                or list(boundaries) != sorted(set(boundaries)):
            raise Cannot(node, "bucketized_column's boundaries are not a sorted literal list")
        floats = [float(b) for b in boundaries]
        encoding = (f'{spell("keras.layers.Discretization")}(bin_boundaries={floats!r}, '
                    f'output_mode="count")({{input}})')
        finder.plan.consumed.add(id(node.func))
        return Column(source.key, 1, source.key_node, f"{source.key}_bucketized", source.dtype, encoding,
                      len(boundaries) + 1, "dense")
    if short in ("indicator_column", "embedding_column"):
        signature = ("categorical_column",) if short == "indicator_column" else (
            "categorical_column", "dimension", "combiner", "initializer", "ckpt_to_load_from",
            "tensor_name_in_ckpt", "max_norm", "trainable")
        args = _args(node, signature, short)
        inner = finder.column(finder.resolve(args.get("categorical_column"), node))
        if inner.kind not in ("categorical", "dense") or inner.encoding is None:
            raise Cannot(node, f"{short} of a column that is not categorical")
        finder.plan.consumed.add(id(node.func))
        if short == "indicator_column":
            return Column(inner.key, 1, inner.key_node, f"{inner.column_name}_indicator", inner.dtype,
                          inner.encoding, inner.width, "dense")
        for unsupported in ("initializer", "ckpt_to_load_from", "tensor_name_in_ckpt", "max_norm"):
            if not _none(args.get(unsupported)):
                raise Cannot(args[unsupported], f"embedding_column's {unsupported} is not carried yet")
        if _literal(args.get("trainable"), True) is not True:
            raise Cannot(args["trainable"], "a frozen embedding_column is not carried yet")
        dimension = _literal(args.get("dimension"))
        combiner = _literal(args.get("combiner"), "mean")
        if not isinstance(dimension, int) or dimension < 1:
            raise Cannot(node, "embedding_column's dimension is not a literal integer")
        if combiner not in ("mean", "sum"):
            raise Cannot(args["combiner"], f"embedding_column's combiner '{combiner}' is not carried yet")
        # TF1: truncated_normal_initializer(mean=0.0, stddev=1 / sqrt(dimension))
        initializer = (f"{spell('keras.initializers.TruncatedNormal')}(mean=0.0, "
                       f"stddev={1.0 / math.sqrt(dimension)!r})")
        return Column(inner.key, 1, inner.key_node, f"{inner.column_name}_embedding", inner.dtype,
                      inner.encoding, dimension, "embedding", dimension, combiner, initializer)
    raise Cannot(node, f"{name} has no native rewrite yet")


def dense_lines(finder, column: Column, source: str, part: str, lines: list[str]) -> str:
    """The text of the column's dense vector in the input layer of `part` ("linear" / "dnn"),
    adding the lines that compute it; `source` is the keras.Input it reads."""
    if column.kind == "numeric":
        return source
    if column.kind == "categorical" and part == "dnn":
        raise Cannot(column.key_node, f"the DNN reads categorical column '{column.column_name}' directly "
                                      "(TF1 requires an indicator_column or embedding_column)")
    if column.kind == "embedding" and part == "linear":
        raise Cannot(column.key_node, "an embedding_column in a linear model is not rewritten yet")
    unit = finder.unit
    variable = unit.unique(re.sub(r"\W", "_", column.column_name))
    counts = column.encoding.format(input=source)
    if column.kind != "embedding":
        lines.append(f"{variable} = {counts}")
        return variable
    ids = unit.unique(f"{variable}_ids")
    lines.append(f"{ids} = {counts}")
    layer = (f"{finder.plan.spell('keras.layers.Dense')}({column.dimension}, use_bias=False, "
             f"kernel_initializer={column.initializer}, name={json.dumps(column.column_name)})({ids})")
    if column.combiner == "mean":  # divided by the number of ids (1 for one id per example)
        ops = finder.plan.spell("keras.ops")
        layer = f"{layer} / {ops}.maximum({ops}.sum({ids}, axis=-1, keepdims=True), 1.0)"
    lines.append(f"{variable} = {layer}")
    return variable
