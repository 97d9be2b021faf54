"""Family 7: canned estimators become Keras models, `input_fn` becomes `tf.data`.

`tf.estimator.LinearClassifier / LinearRegressor / DNNClassifier / DNNRegressor` built from
numeric feature columns become a functional `keras.Model` over a dict of `keras.Input`s, compiled
with the estimator's own optimizer and head loss, every default written out as the estimator had
it (tensorflow_estimator 1.15 / 2.15 sources; the table is `_DEFAULTS` below):

- linear models: FTRL, learning rate 0.2 for the default string 'Ftrl' (`min(0.2, 1/sqrt(n))` only
  when `optimizer=None`), learning_rate_power -0.5, initial accumulator 0.1, zero-initialised
  weights and bias;
- DNN models: Adagrad 0.05 with initial accumulator 0.1 and, for the TF1 estimator, no epsilon
  (TF1's `ApplyAdagrad` has none; Keras 3 adds it under the square root, so `epsilon=0.0`),
  glorot-uniform kernels, zero biases, `relu`;
- the TF1 (`tf.compat.v1.estimator`) classes sum the loss over the batch (`Reduction.SUM`), the
  TF2 ones average it (`SUM_OVER_BATCH_SIZE`);
- the input layer concatenates the numeric columns sorted by key, as `input_layer` did, so the
  kernel rows line up with the estimator's and `warm_start_from` maps variable by variable.

`est.train(input_fn, steps=N)` becomes `est.fit(<dataset>, steps_per_epoch=N)`, and
`tf.estimator.inputs.numpy_input_fn(..., shuffle=False)` becomes a `tf.data` pipeline that yields
the same batches in the same order. Everything else an estimator program can do (evaluate,
predict, export, hooks, RunConfig, categorical columns, ...) is reported at its site with the
reason, and the file stays on the compat upgrade: one site per file makes the rewrite all or
nothing, so a half-migrated estimator program is never written.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field

from tfshift.native import feature_columns as fcs
from tfshift.native.arguments import Cannot
from tfshift.native.arguments import bind as _arguments
from tfshift.native.arguments import literal as _literal
from tfshift.native.family import Edit, Family, ImportRequest, Site, Unit

_LINEAR = {"tf.estimator.LinearClassifier", "tf.estimator.LinearRegressor"}
_DNN = {"tf.estimator.DNNClassifier", "tf.estimator.DNNRegressor"}
_COMBINED = {"tf.estimator.DNNLinearCombinedClassifier", "tf.estimator.DNNLinearCombinedRegressor"}
_CANNED = _LINEAR | _DNN | _COMBINED
_NUMPY_INPUT_FN = "tf.estimator.inputs.numpy_input_fn"

# Constructor signatures (positional order) of the v1 and v2 classes; identical for what we use.
_SIGNATURES = {
    "tf.estimator.LinearClassifier": ("feature_columns", "model_dir", "n_classes", "weight_column",
                                      "label_vocabulary", "optimizer", "config", "partitioner",
                                      "warm_start_from", "loss_reduction", "sparse_combiner"),
    "tf.estimator.LinearRegressor": ("feature_columns", "model_dir", "label_dimension",
                                     "weight_column", "optimizer", "config", "partitioner",
                                     "warm_start_from", "loss_reduction", "sparse_combiner"),
    "tf.estimator.DNNClassifier": ("hidden_units", "feature_columns", "model_dir", "n_classes",
                                   "weight_column", "label_vocabulary", "optimizer",
                                   "activation_fn", "dropout", "input_layer_partitioner",
                                   "config", "warm_start_from", "loss_reduction", "batch_norm"),
    "tf.estimator.DNNRegressor": ("hidden_units", "feature_columns", "model_dir",
                                  "label_dimension", "weight_column", "optimizer",
                                  "activation_fn", "dropout", "input_layer_partitioner", "config",
                                  "warm_start_from", "loss_reduction", "batch_norm"),
}
_COMBINED_HEAD = ("model_dir", "linear_feature_columns", "linear_optimizer", "dnn_feature_columns",
                  "dnn_optimizer", "dnn_hidden_units", "dnn_activation_fn", "dnn_dropout")
_COMBINED_TAIL = ("config", "warm_start_from", "loss_reduction", "batch_norm", "linear_sparse_combiner")
for _v1, _suffix in ((True, ""), (False, "V2")):  # the TF1 classes take input_layer_partitioner before config
    _SIGNATURES["tf.estimator.DNNLinearCombinedClassifier" + _suffix] = (
        *_COMBINED_HEAD, "n_classes", "weight_column", "label_vocabulary",
        *(("input_layer_partitioner",) if _v1 else ()), *_COMBINED_TAIL)
    _SIGNATURES["tf.estimator.DNNLinearCombinedRegressor" + _suffix] = (
        *_COMBINED_HEAD, "label_dimension", "weight_column",
        *(("input_layer_partitioner",) if _v1 else ()), *_COMBINED_TAIL)
_V2_ONLY_SIGNATURE_CHANGES = {"input_layer_partitioner", "partitioner"}  # not in the V2 classes

# The estimator's default optimizer and learning rate per model kind (tensorflow_estimator
# canned/linear.py `_LEARNING_RATE = 0.2`, canned/dnn.py `_LEARNING_RATE = 0.05`).
_DEFAULTS = {"linear": ("Ftrl", 0.2), "dnn": ("Adagrad", 0.05)}
# DNNLinearCombined* (canned/dnn_linear_combined.py): `_DNN_LEARNING_RATE = 0.001`,
# `_LINEAR_LEARNING_RATE = 0.005`, the linear one as min(0.005, 1 / sqrt(#linear columns)).
_COMBINED_RATES = {"linear": 0.005, "dnn": 0.001}

# A Keras model training its linear part and its DNN part with their own optimizers on one loss,
# as the estimator's two minimize() ops did (written once into a file that needs it).
_TWO_OPTIMIZERS = '''\
class {name}({keras}.Model):
    """A DNNLinearCombined estimator as Keras: the "linear_model" layer trains with
    linear_optimizer, every other weight with the compiled optimizer (the DNN's), both on the
    gradient of one loss of the summed logits (tfshift upgrade --native; docs/native.md)."""

    def __init__(self, *args, linear_optimizer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.linear_optimizer = linear_optimizer

    def train_step(self, data):
        x, y = data
        with {tf}.GradientTape() as tape:
            logits = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=logits)
        linear = self.get_layer("linear_model").trainable_variables
        dnn = [v for v in self.trainable_variables if all(v is not w for w in linear)]
        gradients = tape.gradient(loss, dnn + linear)
        self.optimizer.apply_gradients(zip(gradients[:len(dnn)], dnn))
        self.linear_optimizer.apply_gradients(zip(gradients[len(dnn):], linear))
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss, sample_weight={tf}.shape({tf}.nest.flatten(x)[0])[0])
        return self.compute_metrics(x, y, logits)
'''

# Optimizer strings `optimizers.get_optimizer_instance` knows, as Keras 3 optimizers with the
# TF1 class's hyper-parameters (v1) or the Keras 2 class's (v2) written out. RMSProp is left out:
# TF1 starts its mean-square slot at 1.0, Keras at 0.0.
_OPTIMIZERS_V1 = {
    "Ftrl": ("Ftrl", "learning_rate_power=-0.5, initial_accumulator_value=0.1, "
                     "l1_regularization_strength=0.0, l2_regularization_strength=0.0"),
    "Adagrad": ("Adagrad", "initial_accumulator_value=0.1, epsilon=0.0"),
    "Adam": ("Adam", "beta_1=0.9, beta_2=0.999, epsilon=1e-08"),
    "SGD": ("SGD", ""),
}
_OPTIMIZERS_V2 = {
    "Ftrl": ("Ftrl", "learning_rate_power=-0.5, initial_accumulator_value=0.1, "
                     "l1_regularization_strength=0.0, l2_regularization_strength=0.0"),
    "Adagrad": ("Adagrad", "initial_accumulator_value=0.1, epsilon=1e-07"),
    "Adam": ("Adam", "beta_1=0.9, beta_2=0.999, epsilon=1e-07"),
    "SGD": ("SGD", ""),
}

_REDUCTIONS = {"SUM": "sum", "SUM_OVER_BATCH_SIZE": "sum_over_batch_size",
               # without a weight column these divide by the number of examples too
               "MEAN": "sum_over_batch_size", "SUM_BY_NONZERO_WEIGHTS": "sum_over_batch_size",
               "SUM_OVER_NONZERO_WEIGHTS": "sum_over_batch_size"}
_ACTIVATIONS = {"tf.nn.relu": "relu", "tf.nn.tanh": "tanh", "tf.tanh": "tanh",
                "tf.nn.sigmoid": "sigmoid", "tf.sigmoid": "sigmoid", "tf.nn.elu": "elu",
                "tf.nn.selu": "selu", "tf.nn.softplus": "softplus", "tf.nn.relu6": "relu6"}
_DATASET_METHODS = {"batch", "repeat", "shuffle", "map", "prefetch", "take", "skip", "cache",
                    "filter", "zip", "concatenate", "padded_batch", "unbatch", "flat_map",
                    "interleave"}


class _Text(str):
    """Source text standing for a value (its repr is itself)."""

    def __repr__(self) -> str:
        return str(self)


_Column = fcs.Column


@dataclass
class _Plan:
    """What one file's estimator rewrite needs: edits, imports, the nodes it consumed."""

    unit: Unit
    edits: list[Edit] = field(default_factory=list)
    imports: list[ImportRequest] = field(default_factory=list)
    consumed: set = field(default_factory=set)  # id() of reference nodes handled
    notes: list[str] = field(default_factory=list)

    def spell(self, qual: str) -> str:
        text, imports = self.unit.spell(qual)
        for request in imports:
            if request not in self.imports:
                self.imports.append(request)
        return text


def _is_none(node: ast.AST | None) -> bool:
    return node is None or (isinstance(node, ast.Constant) and node.value is None)


def _scope_of(unit: Unit, node: ast.AST) -> ast.AST:
    parent = unit.parents.get(node)
    while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
        parent = unit.parents.get(parent)
    return parent if parent is not None else unit.tree


def _statement_of(unit: Unit, node: ast.AST) -> ast.stmt:
    while not isinstance(node, ast.stmt):
        node = unit.parents[node]
    return node


def _names(scope: ast.AST, name: str) -> list[ast.Name]:
    return [n for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id == name]


def _ref_of(unit: Unit, node: ast.AST):
    for ref in unit.refs():
        if ref.node is node:
            return ref
    return None


class _Estimators:
    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.plan = _Plan(unit)
        self.refs = {id(r.node): r for r in unit.refs()}
        self.replaced: set[int] = set()  # feature-column lists already rewritten
        self.pending: list[str] = []  # lines to put before the estimator's model
        self.constant_batches = False  # the last input_fn read yields only full batches
        self.trained = False  # the estimator being rewritten is trained in this file
        self.column_defs: dict[str, ast.Assign] = {}  # `color = categorical_column...(...)` statements
        self.column_spans: list[tuple[int, int]] = []  # the column lists rewritten

    # Feature columns ------------------------------------------------------------------------

    def columns(self, node: ast.AST, scope: ast.AST, uses: int) -> tuple[list[_Column] | None, str]:
        """The numeric columns of a `feature_columns=` argument (None when their keys are only
        known at run time) and the name of the dict of `keras.Input`s that replaces them; the
        edits to their definition go into the plan."""
        unit = self.unit
        if not isinstance(node, ast.Name):  # written inline: a dict of its own
            name = unit.unique("features")
            self.column_spans.append(unit.span(node))
            found, text = self.column_list(node)
            self.pending.append(f"{name} = {text}")
            return found, name
        assigns = [s for s in ast.walk(scope) if isinstance(s, ast.Assign)
                   and any(isinstance(t, ast.Name) and t.id == node.id for t in s.targets)]
        if len(assigns) != 1 or len(assigns[0].targets) != 1 or _scope_of(unit, assigns[0]) is not scope:
            raise Cannot(node, f"feature columns `{node.id}` are not one list assigned in this scope")
        statement = assigns[0]
        value = statement.value
        loads = [n for n in _names(scope, node.id) if isinstance(n.ctx, ast.Load)]
        appends = []
        if isinstance(value, ast.List) and not value.elts:  # cols = []; for k in keys: cols.append(...)
            appends = self.appends(node.id, scope, statement)
            found, text = None, "{}"
        else:
            found, text = self.column_list(value)
        if len(loads) != uses + len(appends):
            raise Cannot(node, f"feature columns `{node.id}` are used elsewhere too")
        if id(statement) not in self.replaced:  # once when estimators share the list
            self.replaced.add(id(statement))
            self.column_spans.append(unit.span(value))
            self.plan.edits.append(unit.replace(value, text))
            for append, column in appends:
                key = unit.segment(column.key_node)
                self.plan.edits.append(unit.replace(append, f"{node.id}[{key}] = {self.input_text(column, key)}"))
        return found, node.id

    def appends(self, name: str, scope: ast.AST, statement: ast.stmt) -> list:
        """The `for` loops filling an empty column list, each `name.append(numeric_column(...))`."""
        found = []
        for loop in ast.walk(scope):
            if not isinstance(loop, ast.For):
                continue
            for stmt in loop.body:
                call = stmt.value if isinstance(stmt, ast.Expr) else None
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                        and call.func.attr == "append" and isinstance(call.func.value, ast.Name)
                        and call.func.value.id == name):
                    if len(call.args) != 1 or call.keywords or loop.lineno < statement.lineno:
                        raise Cannot(call, f"`{name}` is filled in a way we cannot follow")
                    found.append((stmt, self.column(call.args[0], dynamic=True)))
        if not found:
            raise Cannot(statement, f"feature columns `{name}` start empty and are filled elsewhere")
        return found

    def column_list(self, node: ast.AST) -> tuple[list[_Column] | None, str]:
        if isinstance(node, ast.ListComp) and len(node.generators) == 1 and not node.generators[0].ifs \
                and not node.generators[0].is_async:
            column = self.column(node.elt, dynamic=True)
            key = self.unit.segment(column.key_node)
            generator = node.generators[0]
            return None, (f"{{{key}: {self.input_text(column, key)} for {self.unit.segment(generator.target)}"
                          f" in {self.unit.segment(generator.iter)}}}")
        if not isinstance(node, (ast.List, ast.Tuple)) or not node.elts:
            raise Cannot(node, "feature columns are not a list of columns")
        found = [self.column(element) for element in node.elts]
        names = [c.column_name for c in found]
        if len(set(names)) != len(names):
            raise Cannot(node, "two feature columns have the same name")
        inputs: dict[str, _Column] = {}
        for column in found:  # one keras.Input per key, whichever columns read it
            other = inputs.setdefault(column.key, column)
            if (other.size, other.dtype) != (column.size, column.dtype):
                raise Cannot(node, f"two feature columns read key '{column.key}' as different inputs")
        return found, "{" + ", ".join(f"{json.dumps(k)}: {self.input_text(c, json.dumps(k))}"
                                      for k, c in inputs.items()) + "}"

    def input_text(self, column: _Column, key: str) -> str:
        dtype = "" if column.dtype == "float32" else f', dtype="{column.dtype}"'
        return f"{self.plan.spell('keras.Input')}(shape=({column.size},){dtype}, name={key})"

    def resolve(self, node: ast.AST | None, at: ast.AST) -> ast.AST:
        """The call building a column: the node itself, or the one assignment of a name to it
        (`color = tf.feature_column.categorical_column_with_vocabulary_list(...)`), which goes."""
        if node is None:
            raise Cannot(at, "a feature column without its column argument")
        if not isinstance(node, ast.Name):
            return node
        assigns = [s for s in self.unit.nodes() if isinstance(s, ast.Assign) and len(s.targets) == 1
                   and isinstance(s.targets[0], ast.Name) and s.targets[0].id == node.id]
        if len(assigns) != 1 or not isinstance(assigns[0].value, ast.Call) \
                or self.refs.get(id(assigns[0].value.func)) is None or assigns[0].lineno > node.lineno:
            raise Cannot(node, f"feature column `{node.id}` is not one column assigned before its use")
        self.column_defs[node.id] = assigns[0]
        return assigns[0].value

    def column(self, node: ast.AST, dynamic: bool = False) -> _Column:
        if isinstance(node, ast.Name) and not dynamic:
            node = self.resolve(node, node)
        ref = self.refs.get(id(getattr(node, "func", None)))
        if not isinstance(node, ast.Call) or ref is None:
            raise Cannot(node, f"feature column `{ast.unparse(node)}` is not built here")
        if ref.name != "tf.feature_column.numeric_column":
            if dynamic or not ref.name.startswith(fcs.FC):
                raise Cannot(node, f"{ref.name} has no native rewrite yet (numeric columns only)")
            try:
                return fcs.describe(self, node, ref.name, self.column)
            except fcs.Cannot as exc:
                raise Cannot(exc.node, exc.reason) from None
        args = _arguments(node, ("key", "shape", "default_value", "dtype", "normalizer_fn"),
                          "numeric_column")
        if not _is_none(args.get("normalizer_fn")):
            raise Cannot(args["normalizer_fn"], "numeric_column's normalizer_fn is not carried yet")
        if "dtype" in args:
            dtype = ast.unparse(args["dtype"]).rpartition(".")[2]
            if dtype not in ("float32", "float64", "int32", "int64", "float16"):
                raise Cannot(args["dtype"], f"numeric_column dtype {dtype} is not carried")
            self.plan.consumed.update(id(n) for n in ast.walk(args["dtype"]))
        if "key" not in args:
            raise Cannot(node, "numeric_column without a key")
        if dynamic:
            if not isinstance(args["key"], (ast.Name, ast.Constant)):
                raise Cannot(args["key"], "numeric_column's key is an expression we would evaluate twice")
            key = None
        else:
            key = _literal(args.get("key"))
            if not isinstance(key, str):
                raise Cannot(node, "numeric_column's key is not a string literal")
        shape = _literal(args.get("shape"), (1,))
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        if len(shape) != 1 or not isinstance(shape[0], int):
            raise Cannot(node, "numeric_column with a shape of more than one dimension is not carried yet")
        self.plan.consumed.add(id(node.func))
        return _Column(key, shape[0], args["key"])

    # The estimator ----------------------------------------------------------------------------

    def estimator(self, ref) -> None:
        unit, plan, call = self.unit, self.plan, ref.call
        name = ref.name
        kind = "linear" if name in _LINEAR else "combined" if name in _COMBINED else "dnn"
        v1 = ref.v1
        statement = _statement_of(unit, call)
        if not (isinstance(statement, ast.Assign) and statement.value is call
                and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name)):
            raise Cannot(call, f"{name} is not assigned to a plain name")
        target = statement.targets[0].id
        scope = _scope_of(unit, statement)
        signature = _SIGNATURES[name + ("V2" if kind == "combined" and not v1 else "")]
        args = _arguments(call, signature, name.rpartition(".")[2])
        if kind == "combined":  # the DNN part's arguments under the DNN estimators' names
            for key in ("hidden_units", "activation_fn", "dropout"):
                if f"dnn_{key}" in args:
                    args[key] = args.pop(f"dnn_{key}")
        for unsupported in ("weight_column", "label_vocabulary", "config", "partitioner",
                            "input_layer_partitioner"):
            if not _is_none(args.get(unsupported)):
                raise Cannot(args[unsupported], f"{name.rpartition('.')[2]}'s {unsupported} is not carried yet")
        if "sparse_combiner" in args and _literal(args["sparse_combiner"]) != "sum":
            pass  # only matters for categorical columns, which are not rewritten
        self.pending = []
        if kind == "combined":
            columns, inputs_name, dnn_columns, dnn_inputs = self.combined_columns(call, args, scope)
        else:
            if "feature_columns" not in args:
                raise Cannot(call, "no feature_columns")
            columns, inputs_name = self.columns(args["feature_columns"], scope,
                                                self.uses(args["feature_columns"]))
            dnn_columns, dnn_inputs = columns, inputs_name

        classifier = name.endswith("Classifier")
        if classifier:
            n_classes = _literal(args.get("n_classes"), 2)
            if not isinstance(n_classes, int) or n_classes < 2:
                raise Cannot(args.get("n_classes", call), "n_classes is not an integer >= 2")
            units = 1 if n_classes == 2 else n_classes
        else:
            units = _literal(args.get("label_dimension"), 1)
            if units != 1:
                # the head sums squared errors over every label dimension; Keras's MSE averages them
                raise Cannot(args["label_dimension"], "label_dimension > 1 is not carried yet (the head sums squared errors over dimensions, Keras averages them)")

        reduction = "sum" if v1 else "sum_over_batch_size"
        if not _is_none(args.get("loss_reduction")):
            spelled = ast.unparse(args["loss_reduction"])
            member = spelled.rpartition(".")[2]
            if ".Reduction." not in spelled and not spelled.startswith("Reduction."):
                raise Cannot(args["loss_reduction"], f"loss_reduction `{spelled}` is not a Reduction member")
            if member not in _REDUCTIONS:
                raise Cannot(args["loss_reduction"], f"loss_reduction {member} has no Keras counterpart")
            reduction = _REDUCTIONS[member]
            plan.consumed.update(id(n) for n in ast.walk(args["loss_reduction"]))

        if kind == "combined":
            n_linear = len(columns) if columns is not None else inputs_name
            rate = (min(_COMBINED_RATES["linear"], 1.0 / n_linear ** 0.5) if isinstance(n_linear, int)
                    else _Text(f"min({_COMBINED_RATES['linear']}, 1.0 / len({n_linear}) ** 0.5)"))
            linear_optimizer = self.optimizer(args.get("linear_optimizer"), "linear", v1, n_linear, call,
                                              rate=rate)
            optimizer = self.optimizer(args.get("dnn_optimizer"), "dnn", v1, None, call,
                                       rate=_COMBINED_RATES["dnn"])
        else:
            optimizer = self.optimizer(args.get("optimizer"), kind, v1,
                                       len(columns) if columns is not None else inputs_name, call)

        activation = "relu"
        hidden: list[int] = []
        dropout = None
        if kind in ("dnn", "combined"):
            hidden = _literal(args.get("hidden_units"))
            if not isinstance(hidden, (list, tuple)) or not all(isinstance(h, int) for h in hidden):
                raise Cannot(args.get("hidden_units", call), "hidden_units is not a list of integers")
            if "activation_fn" in args:
                act = self.refs.get(id(args["activation_fn"]))
                if act is None or act.name not in _ACTIVATIONS:
                    raise Cannot(args["activation_fn"], f"activation `{ast.unparse(args['activation_fn'])}` is not carried yet")
                activation = _ACTIVATIONS[act.name]
                plan.consumed.add(id(args["activation_fn"]))
            dropout = _literal(args.get("dropout"))
            if dropout is not None:
                raise Cannot(args["dropout"], "dropout is not carried yet (its masks are random draws a test cannot compare)")
            if _literal(args.get("batch_norm"), False):
                raise Cannot(args["batch_norm"], "batch_norm is not carried yet")

        warm = args.get("warm_start_from")
        if not _is_none(warm) and not isinstance(warm, (ast.Constant, ast.Name, ast.Attribute, ast.JoinedStr)):
            raise Cannot(warm, "warm_start_from is not a checkpoint path (WarmStartSettings are not carried yet)")
        if isinstance(warm, ast.Constant) and not isinstance(warm.value, str):
            raise Cannot(warm, "warm_start_from is not a checkpoint path")
        model_dir = args.get("model_dir")

        # Inputs: the column list became a dict of keras.Input (in place when it is a name).
        indent = unit.indent_of(statement)
        nl = unit.newline
        lines = list(self.pending)
        layers = plan.spell("keras.layers")
        if kind in ("linear", "combined") and any(c.kind != "numeric" for c in columns or ()):
            combiner = args.get("linear_sparse_combiner" if kind == "combined" else "sparse_combiner")
            if _literal(combiner, "sum") != "sum":  # one weight per id, summed over an example's ids
                raise Cannot(combiner, "a linear model's sparse_combiner other than 'sum' is not carried yet")
        ordered, net = dnn_ordered, dnn_net = None, None
        if kind != "dnn":
            ordered, net = self.input_layer(columns, inputs_name, layers, lines, "linear")
        if kind != "linear":
            dnn_ordered, dnn_net = self.input_layer(dnn_columns, dnn_inputs, layers, lines, "dnn")
        linear_output = f'{layers}.Dense({units}, kernel_initializer="zeros", name="linear_model")({net})'
        if kind == "linear":
            output = linear_output
        else:
            hidden_name = unit.unique("net")
            lines.append(f"{hidden_name} = {dnn_net}")
            for index, width in enumerate(hidden):
                lines.append(f'{hidden_name} = {layers}.Dense({width}, activation="{activation}", '
                             f'name="hiddenlayer_{index}")({hidden_name})')
            output = f'{layers}.Dense({units}, name="logits")({hidden_name})'
        model = plan.spell("keras.Model")
        extra = ""
        model_inputs = inputs_name
        if kind == "combined":  # the estimator's logits: dnn_logits + linear_logits
            model = self.two_optimizer_class()
            output = f"{layers}.Add()([{nl}{indent}        {output},{nl}{indent}        {linear_output},{nl}{indent}    ])"
            extra = f"{nl}{indent}    linear_optimizer={linear_optimizer},"
            if dnn_inputs != inputs_name:
                model_inputs = f"{{**{inputs_name}, **{dnn_inputs}}}"
        lines.append(f"{target} = {model}({nl}{indent}    {model_inputs},{nl}{indent}    {output},{extra}{nl}{indent})")
        lines.insert(0, f"# {name.rpartition('.')[2]} ({'TF1' if v1 else 'TF2'} estimator) as Keras:"
                        f" its optimizer, loss reduction and initializers written out")
        losses = plan.spell("keras.losses")
        if not classifier:
            loss = f'{losses}.MeanSquaredError(reduction="{reduction}")'
        elif units == 1:
            loss = f'{losses}.BinaryCrossentropy(from_logits=True, reduction="{reduction}")'
        else:
            loss = f'{losses}.SparseCategoricalCrossentropy(from_logits=True, reduction="{reduction}")'
        reduction_text = f'reduction="{reduction}"'
        self.trained = False
        head = "regression" if not classifier else "binary" if units == 1 else "multiclass"
        self.export_lines: list[str] = []
        self.n_classes = units if units > 1 else 2
        evaluated = self.methods(target, statement, scope, head)
        metrics = ""
        if evaluated:  # the estimator's eval metrics that Keras computes the same way
            m = plan.spell("keras.metrics")
            # the head's unreduced loss per example, averaged; a Loss object (unlike the metric
            # functions) accepts labels of shape (batch,) as the estimator did
            average = (f"{m}.MeanMetricWrapper({loss.replace(reduction_text, 'reduction=None')}, "
                       f'name="average_loss")')
            if not classifier:
                listed = [average]
            elif units == 1:  # class 1 when the logit is > 0
                listed = [f'{m}.BinaryAccuracy(name="accuracy", threshold=0.0)', average]
            else:
                listed = [f'{m}.SparseCategoricalAccuracy(name="accuracy")', average]
            metrics = f"{nl}{indent}    metrics=[{', '.join(listed)}],"
        lines.append(f"{target}.compile({nl}{indent}    optimizer={optimizer},{nl}{indent}    loss={loss},"
                     f"{metrics}{nl}{indent})")
        parts = [("linear", ordered, inputs_name), ("dnn", dnn_ordered, dnn_inputs)]
        parts = [p for p in parts if kind in (p[0], "combined")]
        if not _is_none(warm):
            for part, part_ordered, part_inputs in parts:
                lines.extend(self.warm_start(target, unit.segment(warm), part, part_ordered, hidden, part_inputs))
        if not _is_none(model_dir) and not self.trained:
            # only predicts / evaluates: the estimator read its weights from model_dir's latest
            # checkpoint (or ran on fresh initial values when there was none)
            where = unit.segment(model_dir)
            lines.append(f"if {plan.spell('tf.train')}.latest_checkpoint({where}):")
            for part, part_ordered, part_inputs in parts:
                lines.extend("    " + line for line in
                             self.warm_start(target, where, part, part_ordered, hidden, part_inputs, "checkpoint"))
        elif not _is_none(model_dir):
            plan.notes.append(
                f"{target}: model_dir {ast.unparse(model_dir)} is neither written nor resumed "
                "from (the estimator continued training from a checkpoint there); save the Keras "
                "model with model.save or tf.train.Checkpoint")
        lines.extend(self.export_lines)
        plan.edits.append(Edit(*unit.span(statement), (nl + indent).join(lines)))
        plan.consumed.add(id(call.func))

    def uses(self, fc: ast.AST) -> int:
        """How many estimator arguments name this column list (it may feed several)."""
        if not isinstance(fc, ast.Name):
            return 1
        return sum(1 for r in self.unit.calls(*_CANNED)
                   for a in [*r.call.args, *(k.value for k in r.call.keywords)]
                   if isinstance(a, ast.Name) and a.id == fc.id)

    def combined_columns(self, call, args, scope):
        """(linear columns, their inputs' dict, DNN columns, their dict) of a DNNLinearCombined."""
        linear, dnn = args.get("linear_feature_columns"), args.get("dnn_feature_columns")
        if _is_none(linear) or _is_none(dnn):
            raise Cannot(call, "a DNNLinearCombined estimator with only one part (write it as the Linear / "
                               "DNN estimator it is) is not rewritten")
        columns, inputs_name = self.columns(linear, scope, self.uses(linear))
        if isinstance(linear, ast.Name) and isinstance(dnn, ast.Name) and linear.id == dnn.id:
            return columns, inputs_name, columns, inputs_name
        dnn_columns, dnn_inputs = self.columns(dnn, scope, self.uses(dnn))
        if columns is None or dnn_columns is None or {c.key for c in columns} & {c.key for c in dnn_columns}:
            raise Cannot(dnn, "the linear and DNN parts read the same keys (or keys known only at run time) "
                              "from two column lists: not rewritten yet (give both parts one list)")
        return columns, inputs_name, dnn_columns, dnn_inputs

    def input_layer(self, columns, inputs_name, layers, lines, part):
        """(columns sorted by name or None, the text concatenating their dense vectors as the
        input layer / linear model did); lines computing categorical encodings go to `lines`."""
        if columns is None:  # keys known at run time; input_layer sorted the columns by name
            return None, f"{layers}.Concatenate()([{inputs_name}[key] for key in sorted({inputs_name})])"
        ordered = sorted(columns, key=lambda c: c.column_name)
        try:
            parts = [fcs.dense_lines(self, c, f"{inputs_name}[{json.dumps(c.key)}]", part, lines) for c in ordered]
        except fcs.Cannot as exc:
            raise Cannot(exc.node, exc.reason) from None
        if len(ordered) == 1:
            return ordered, parts[0]
        return ordered, f"{layers}.Concatenate()([{', '.join(parts)}])"

    def two_optimizer_class(self) -> str:
        """The name of the two-optimizer Model class, written once before the first use."""
        if getattr(self, "two_optimizers", None) is None:
            self.two_optimizers = self.unit.unique("LinearDNNModel")
            text = _TWO_OPTIMIZERS.format(name=self.two_optimizers, keras=self.plan.spell("keras"),
                                          tf=self.plan.spell("tf"))
            nl = self.unit.newline
            self.plan.edits.append(Edit(self.class_position(), self.class_position(),
                                        nl + text.replace("\n", nl) + nl + nl))
        return self.two_optimizers

    def class_position(self) -> int:
        """After the imports at the top of the file (where a class may go)."""
        body = self.unit.tree.body
        index = 0
        while index < len(body) and (isinstance(body[index], (ast.Import, ast.ImportFrom))
                                     or (isinstance(body[index], ast.Expr) and isinstance(body[index].value, ast.Constant))
                                     or self.is_v2_switch(body[index])):
            index += 1
        if index >= len(body):
            return len(self.unit.text)
        return self.unit.starts[body[index].lineno - 1]

    def is_v2_switch(self, stmt) -> bool:
        """`tf.disable_v2_behavior()` (family 9 removes it; the class goes after it)."""
        return (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
                and ast.unparse(stmt.value.func).endswith(("disable_v2_behavior", "disable_eager_execution")))

    def optimizer(self, node, kind, v1, n_columns, call, rate=None) -> str:
        default_name, default_rate = _DEFAULTS[kind]
        if rate is not None:
            default_rate = rate
        if node is None:
            name, rate = default_name, default_rate
        elif _is_none(node):
            if kind != "linear" or rate is not None:
                raise Cannot(node, "optimizer=None is not an optimizer the estimator takes here")
            # `optimizer or _get_default_optimizer(feature_columns)`
            name = "Ftrl"
            rate = (min(0.2, 1.0 / n_columns ** 0.5) if isinstance(n_columns, int)
                    else _Text(f"min(0.2, 1.0 / len({n_columns}) ** 0.5)"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            name, rate = node.value, default_rate
        else:
            raise Cannot(node, "an optimizer object is not carried yet (only the estimator's optimizer names)")
        table = _OPTIMIZERS_V1 if v1 else _OPTIMIZERS_V2
        if name not in table:
            raise Cannot(node or call, f"optimizer '{name}' has no exact Keras counterpart")
        cls, extra = table[name]
        text = f"{self.plan.spell('keras.optimizers')}.{cls}(learning_rate={rate!r}"
        return text + (f", {extra})" if extra else ")")

    def warm_start(self, target, where, kind, ordered, hidden, inputs_name, reader="warm_start") -> list[str]:
        """Assign the estimator checkpoint's variables (by the estimator's names) to the layers."""
        reader = self.unit.unique(reader)
        tf = self.plan.spell("tf.train")
        lines = [f"{reader} = {tf}.load_checkpoint({where})"]
        if kind == "linear":
            if ordered is None:
                kernel = (f"{self.plan.spell('tf.concat')}([{reader}.get_tensor(f\"linear/linear_model/{{key}}/weights\")"
                          f" for key in sorted({inputs_name})], axis=0)")
            else:
                parts = [f'{reader}.get_tensor("linear/linear_model/{c.column_name}/weights")' for c in ordered]
                kernel = parts[0] if len(parts) == 1 else f"{self.plan.spell('tf.concat')}([{', '.join(parts)}], axis=0)"
            lines.append(f'{target}.get_layer("linear_model").kernel.assign({kernel})')
            lines.append(f'{target}.get_layer("linear_model").bias.assign('
                         f'{reader}.get_tensor("linear/linear_model/bias_weights"))')
        else:
            for layer in [f"hiddenlayer_{i}" for i in range(len(hidden))] + ["logits"]:
                lines.append(f'{target}.get_layer("{layer}").set_weights([{reader}.get_tensor('
                             f'"dnn/{layer}/kernel"), {reader}.get_tensor("dnn/{layer}/bias")])')
            for column in ordered or ():
                if column.kind == "embedding":
                    lines.append(f'{target}.get_layer("{column.column_name}").kernel.assign({reader}.get_tensor('
                                 f'"dnn/input_from_feature_columns/input_layer/{column.column_name}/embedding_weights"))')
        return lines

    # What the program does with the estimator -------------------------------------------------

    def methods(self, target: str, statement: ast.stmt, scope: ast.AST, head: str) -> bool:
        """Rewrite what the program does with the estimator; whether it evaluates."""
        unit = self.unit
        evaluated = False
        for name in _names(scope, target):
            if name is statement.targets[0]:
                continue
            if isinstance(name.ctx, ast.Store):
                raise Cannot(name, f"`{target}` is assigned again")
            attribute = unit.parents.get(name)
            call = unit.parents.get(attribute)
            if not (isinstance(attribute, ast.Attribute) and isinstance(call, ast.Call)
                    and call.func is attribute):
                raise Cannot(name, f"`{target}` is used as a value, not only trained")
            if attribute.attr == "train":
                if not isinstance(unit.parents.get(call), ast.Expr):
                    raise Cannot(call, f"the value of {target}.train() is used")
                self.train(target, call)
                self.trained = True
            elif attribute.attr == "evaluate":
                self.evaluate(target, call, scope)
                evaluated = True
            elif attribute.attr == "predict":
                self.predict(target, call, head)
            elif attribute.attr in ("export_savedmodel", "export_saved_model"):
                self.export(target, call, head, attribute.attr)
            else:
                raise Cannot(call, f"{target}.{attribute.attr}() has no native rewrite yet")
        return evaluated

    def predict(self, target: str, call: ast.Call, head: str) -> None:
        """`est.predict(input_fn)` yields one dict per example; the Keras model gives the
        logits, and the head's other predictions are computed from them as the head did."""
        unit = self.unit
        args = _arguments(call, ("input_fn", "predict_keys", "hooks", "checkpoint_path",
                                 "yield_single_examples"), "predict")
        for unsupported in ("predict_keys", "hooks", "checkpoint_path"):
            if not _is_none(args.get(unsupported)):
                raise Cannot(args[unsupported], f"predict()'s {unsupported} is not carried yet")
        if "yield_single_examples" in args and _literal(args["yield_single_examples"]) is not True:
            raise Cannot(args["yield_single_examples"], "predict(yield_single_examples=False) is not carried yet")
        if "input_fn" not in args:
            raise Cannot(call, "predict() without input_fn")
        dataset = self.dataset_of(args["input_fn"])
        tf = self.plan.spell("tf")
        logits = unit.unique("logits")
        if head == "regression":
            item = f'{{"predictions": {logits}}}'
        else:
            if head == "binary":  # the head's two-class logits: [0, logit]
                two = f"[0.0, *{logits}]"
                extra = f'"logistic": {tf}.sigmoid({logits}).numpy(), '
            else:
                two, extra = logits, ""
            ids = f"{tf}.argmax({two}, -1)"
            item = (f'{{"logits": {logits}, {extra}"probabilities": {tf}.nn.softmax({two}).numpy(), '
                    f'"class_ids": {ids}[None].numpy(), '
                    f'"classes": {tf}.strings.as_string({ids})[None].numpy()}}')
        generator = f"{item} for {logits} in {target}.predict({dataset}, verbose=0)"
        parent = unit.parents.get(call)
        alone = isinstance(parent, ast.Call) and parent.args == [call] and not parent.keywords
        self.plan.edits.append(unit.replace(call, generator if alone else f"({generator})"))

    def export(self, target: str, call: ast.Call, head: str, method: str) -> None:
        """`est.export_savedmodel(base, raw_receiver_fn)` -> a Keras ExportArchive written to
        base/<timestamp> (the path returned, as bytes, as the estimator did) with the estimator's
        one signature, "predict": the receiver's placeholders in, the head's predictions out."""
        unit, plan = self.unit, self.plan
        args = _arguments(call, ("export_dir_base", "serving_input_receiver_fn", "assets_extra", "as_text",
                                 "checkpoint_path", "strip_default_attrs" if method == "export_savedmodel"
                                 else "experimental_mode"), method)
        for unsupported in ("assets_extra", "checkpoint_path", "experimental_mode"):
            if not _is_none(args.get(unsupported)):
                raise Cannot(args[unsupported], f"{method}'s {unsupported} is not carried yet")
        if _literal(args.get("as_text"), False) is not False:
            raise Cannot(args["as_text"], f"{method}(as_text=True) is not carried yet")
        if "export_dir_base" not in args or "serving_input_receiver_fn" not in args:
            raise Cannot(call, f"{method} without its export_dir_base and serving_input_receiver_fn")
        specs = self.raw_receiver(args["serving_input_receiver_fn"])
        tf, keras = plan.spell("tf"), plan.spell("keras")
        if ImportRequest("time") not in plan.imports:
            plan.imports.append(ImportRequest("time"))
        function = unit.unique(f"export_{target}")
        i = "    "
        lines = [f"def {function}(export_dir_base):",
                 f'{i}"""{target}.{method} as Keras: the SavedModel\'s "predict" signature gives the head\'s '
                 f'predictions (tfshift upgrade --native)."""',
                 f"{i}archive = {keras}.export.ExportArchive()",
                 f"{i}archive.track({target})",
                 f"{i}def predict(features):",
                 f"{i}{i}logits = {target}(features)"]
        if head == "regression":
            lines.append(f'{i}{i}return {{"predictions": logits}}')
        else:
            n = self.n_classes
            if head == "binary":  # the head's two-class logits: [0, logit]
                lines.append(f"{i}{i}two = {tf}.concat([{tf}.zeros({tf}.shape(logits)), logits], axis=-1)")
                two, extra = "two", f'"logistic": {tf}.sigmoid(logits), '
            else:
                two, extra = "logits", ""
            lines += [f"{i}{i}class_ids = {tf}.argmax({two}, axis=-1)[:, None]",
                      f"{i}{i}all_class_ids = {tf}.tile({tf}.range({n})[None], [{tf}.shape(logits)[0], 1])",
                      f'{i}{i}return {{"logits": logits, {extra}"probabilities": {tf}.nn.softmax({two}), '
                      f'"class_ids": class_ids, "classes": {tf}.strings.as_string(class_ids), '
                      f'"all_class_ids": all_class_ids, "all_classes": {tf}.strings.as_string(all_class_ids)}}']
        lines += [f'{i}archive.add_endpoint(name="predict", fn=predict, input_signature=[{specs}])',
                  f"{i}path = f\"{{export_dir_base}}/{{int(time.time())}}\"",
                  f"{i}archive.write_out(path)",
                  f"{i}return path.encode()"]
        self.export_lines.extend(lines)
        self.plan.edits.append(unit.replace(call, f"{function}({unit.segment(args['export_dir_base'])})"))

    def raw_receiver(self, node: ast.AST) -> str:
        """The TensorSpecs of `build_raw_serving_input_receiver_fn({"x": tf.placeholder(...)})`."""
        unit = self.unit
        statement = None
        if isinstance(node, ast.Name):
            assigns = [s for s in unit.nodes() if isinstance(s, ast.Assign) and len(s.targets) == 1
                       and isinstance(s.targets[0], ast.Name) and s.targets[0].id == node.id]
            if len(assigns) != 1 or len(_names(unit.tree, node.id)) != 2:
                raise Cannot(node, f"serving input receiver `{node.id}` is not built once and used once")
            statement, node = assigns[0], assigns[0].value
        ref = self.refs.get(id(getattr(node, "func", None)))
        if ref is None or ref.name != "tf.estimator.export.build_raw_serving_input_receiver_fn":
            raise Cannot(node, "only a build_raw_serving_input_receiver_fn receiver is rewritten (a parsing "
                               "receiver takes serialized tf.Examples, which Keras's export does not)")
        args = _arguments(node, ("features", "default_batch_size"), "build_raw_serving_input_receiver_fn")
        if not _is_none(args.get("default_batch_size")):
            raise Cannot(args["default_batch_size"], "default_batch_size is not carried yet")
        features = args.get("features")
        if not isinstance(features, ast.Dict) or any(k is None for k in features.keys):
            raise Cannot(node, "the receiver's features are not a literal dict of placeholders")
        specs = []
        for key, value in zip(features.keys, features.values):
            placeholder = self.refs.get(id(getattr(value, "func", None)))
            if placeholder is None or placeholder.name != "tf.placeholder":
                raise Cannot(value, "a receiver feature that is not a tf.placeholder")
            p = _arguments(value, ("dtype", "shape", "name"), "placeholder")
            if "dtype" not in p:
                raise Cannot(value, "a placeholder without a dtype")
            dtype = ast.unparse(p["dtype"]).rpartition(".")[2]
            shape = unit.segment(p["shape"]) if not _is_none(p.get("shape")) else "None"
            name = f", name={unit.segment(p['name'])}" if not _is_none(p.get("name")) else ""
            specs.append(f"{unit.segment(key)}: {self.plan.spell('tf.TensorSpec')}(shape={shape}, "
                         f"dtype={self.plan.spell('tf.' + dtype)}{name})")
            self.plan.consumed.update(id(n) for n in ast.walk(value))
        self.plan.consumed.add(id(node.func))
        if statement is not None:
            self.plan.edits.append(unit.delete_statement(statement))
        return "{" + ", ".join(specs) + "}"

    @staticmethod
    def metric_key(use: ast.AST, key: ast.AST, constant: bool) -> None:
        if not isinstance(key, ast.Constant):
            raise Cannot(use, "an evaluation result is read with a key that is not a literal")
        if key.value == "loss" and not constant:
            # the estimator averages batch losses unweighted, Keras by batch size
            raise Cannot(use, "the estimator's eval `loss` averages per-batch losses unweighted, Keras's weights them by batch size, and this input may end on a short batch")
        if key.value not in ("loss", "accuracy", "average_loss"):
            raise Cannot(use, f"eval metric '{key.value}' has no exact Keras counterpart")

    def evaluate(self, target: str, call: ast.Call, scope: ast.AST) -> None:
        unit = self.unit
        args = _arguments(call, ("input_fn", "steps", "hooks", "checkpoint_path", "name"), "evaluate")
        for unsupported in ("hooks", "checkpoint_path", "name"):
            if not _is_none(args.get(unsupported)):
                raise Cannot(args[unsupported], f"evaluate()'s {unsupported} is not carried yet")
        if "input_fn" not in args:
            raise Cannot(call, "evaluate() without input_fn")
        self.constant_batches = False
        dataset = self.dataset_of(args["input_fn"])
        constant = self.constant_batches
        parent = unit.parents.get(call)
        if isinstance(parent, ast.Subscript) and parent.value is call:  # est.evaluate(...)["accuracy"]
            self.metric_key(parent, parent.slice, constant)
        elif isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            result = parent.targets[0].id
            for use in _names(scope, result):
                if use is parent.targets[0]:
                    continue
                holder = unit.parents.get(use)
                key = holder.slice if isinstance(holder, ast.Subscript) and holder.value is use else None
                if not isinstance(use.ctx, ast.Load) or key is None:
                    raise Cannot(use, f"the evaluation result `{result}` is used whole; Keras's has other keys than the estimator's")
                self.metric_key(use, key, constant)
        elif not isinstance(parent, ast.Expr):
            raise Cannot(call, f"the value of {target}.evaluate() is used in an expression")
        steps = args.get("steps")
        text = f"{target}.evaluate({dataset}"
        if not _is_none(steps):
            text += f", steps={unit.segment(steps)}"
        self.plan.edits.append(unit.replace(call, text + ", return_dict=True)"))

    def train(self, target: str, call: ast.Call) -> None:
        args = _arguments(call, ("input_fn", "hooks", "steps", "max_steps", "saving_listeners"), "train")
        for unsupported in ("hooks", "max_steps", "saving_listeners"):
            if not _is_none(args.get(unsupported)):
                raise Cannot(args[unsupported], f"train()'s {unsupported} is not carried yet")
        if "input_fn" not in args:
            raise Cannot(call, "train() without input_fn")
        dataset = self.dataset_of(args["input_fn"])
        steps = args.get("steps")
        text = f"{target}.fit({dataset}"
        if not _is_none(steps):
            text += f", steps_per_epoch={self.unit.segment(steps)}"
        self.plan.edits.append(self.unit.replace(call, text + ")"))

    def dataset_of(self, node: ast.AST) -> str:
        """Source text for the tf.data.Dataset an input_fn argument yields."""
        unit = self.unit
        if isinstance(node, ast.Lambda) and not node.args.args and not node.args.kwonlyargs:
            if not self.datasetish(node.body, node):
                raise Cannot(node, "the input_fn does not visibly return a tf.data.Dataset")
            return unit.segment(node.body)
        if isinstance(node, ast.Call):
            ref = self.refs.get(id(node.func))
            if ref is not None and ref.name == _NUMPY_INPUT_FN:
                return self.numpy_input_fn(node)
            raise Cannot(node, "the input_fn is built by a call we cannot follow")
        if isinstance(node, ast.Name):
            scope = _scope_of(unit, node)
            for candidate in (scope, unit.tree):
                for stmt in ast.walk(candidate):
                    if isinstance(stmt, ast.FunctionDef) and stmt.name == node.id:
                        self.input_function(stmt)
                        return f"{node.id}()"
                    if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                            and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == node.id):
                        value = stmt.value
                        ref = self.refs.get(id(getattr(value, "func", None)))
                        if ref is not None and ref.name == _NUMPY_INPUT_FN:
                            self.numpy_input_fn(value)  # checks it, notes constant batches
                            return f"{node.id}()"  # the assignment itself becomes a lambda
                        if isinstance(value, ast.Lambda):
                            self.dataset_of(value)
                            return f"{node.id}()"
        raise Cannot(node, f"the input_fn `{ast.unparse(node)}` is not a function of this file returning a tf.data.Dataset")

    def input_function(self, function: ast.FunctionDef) -> None:
        arguments = function.args
        if arguments.args[len(arguments.args) - len(arguments.defaults):] != arguments.args or arguments.kwonlyargs:
            # the estimator passes params / mode / config by name when the input_fn takes them
            raise Cannot(function, f"input_fn {function.name}() takes arguments the estimator would pass")
        returns = [n for n in ast.walk(function) if isinstance(n, ast.Return)]
        if not returns:
            raise Cannot(function, f"input_fn {function.name}() returns nothing")
        for node in returns:
            value = node.value
            if value is None:
                raise Cannot(node, f"input_fn {function.name}() returns None")
            inner = self.one_shot(value)
            if inner is not None:
                # `return ds.make_one_shot_iterator().get_next()`: Keras iterates the dataset itself
                if not self.datasetish(inner, function):
                    raise Cannot(node, "the input_fn's iterator is not over a tf.data.Dataset")
                self.plan.edits.append(unit_replace(self.unit, value, self.unit.segment(inner)))
                continue
            if not self.datasetish(value, function):
                raise Cannot(node, f"input_fn {function.name}() does not visibly return a tf.data.Dataset")

    def one_shot(self, value: ast.AST) -> ast.AST | None:
        """The dataset of `ds.make_one_shot_iterator().get_next()` /
        `tf.data.make_one_shot_iterator(ds).get_next()`."""
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                and value.func.attr == "get_next" and not value.args):
            return None
        inner = value.func.value
        if not isinstance(inner, ast.Call) or inner.keywords:
            return None
        ref = self.refs.get(id(inner.func))
        if ref is not None and ref.name == "tf.data.make_one_shot_iterator" and len(inner.args) == 1:
            self.plan.consumed.add(id(inner.func))
            return inner.args[0]
        if isinstance(inner.func, ast.Attribute) and inner.func.attr == "make_one_shot_iterator" and not inner.args:
            return inner.func.value
        return None

    def datasetish(self, node: ast.AST, function: ast.AST) -> bool:
        if isinstance(node, ast.Call):
            ref = self.refs.get(id(node.func))
            if ref is not None:
                return ref.name.startswith("tf.data.Dataset.") or ref.name.startswith("tf.data.TFRecordDataset") \
                    or ref.name.startswith("tf.data.TextLineDataset")
            if isinstance(node.func, ast.Attribute) and node.func.attr in _DATASET_METHODS:
                return self.datasetish(node.func.value, function)
            return False
        if isinstance(node, ast.Name):
            assigns = [s for s in ast.walk(function) if isinstance(s, ast.Assign) and len(s.targets) == 1
                       and isinstance(s.targets[0], ast.Name) and s.targets[0].id == node.id]
            return bool(assigns) and all(self.datasetish(s.value, function) for s in assigns)
        return False

    # numpy_input_fn ----------------------------------------------------------------------------

    def numpy_input_fn(self, call: ast.Call) -> str:
        """The tf.data pipeline of a numpy_input_fn: its FIFO queue, fed in order by one thread,
        yields the arrays' rows in order, epochs running on into each other (`repeat` before
        `batch`), the last batch short when the epochs run out (`batch` keeps the remainder)."""
        args = _arguments(call, ("x", "y", "batch_size", "num_epochs", "shuffle", "queue_capacity",
                                 "num_threads"), "numpy_input_fn")
        if "x" not in args:
            raise Cannot(call, "numpy_input_fn without x")
        shuffle = _literal(args.get("shuffle"))
        if not isinstance(shuffle, bool):
            raise Cannot(args.get("shuffle", call), "numpy_input_fn's shuffle is not True or False")
        if _literal(args.get("num_threads"), 1) != 1:
            raise Cannot(args["num_threads"], "numpy_input_fn with several threads has no fixed order")
        mixing = ""
        if shuffle:
            # a RandomShuffleQueue of queue_capacity examples across epochs: random in the
            # original too, so the rewrite keeps the shuffling and its buffer, not an order
            capacity = self.unit.segment(args["queue_capacity"]) if "queue_capacity" in args else "1000"
            mixing = f".shuffle({capacity})"
            self.plan.notes.append(
                f"line {call.lineno}: numpy_input_fn(shuffle=True) is shuffled by tf.data with the "
                f"queue's capacity ({capacity}); the order is random in both, not the same")
        x = args["x"]
        if not isinstance(x, (ast.Dict, ast.Name)):
            raise Cannot(x, "numpy_input_fn's x is not a dict of arrays")
        if isinstance(x, ast.Dict) and any(k is None for k in x.keys):
            raise Cannot(x, "numpy_input_fn's x unpacks a dict")
        batch = self.unit.segment(args["batch_size"]) if "batch_size" in args else "128"
        epochs = args.get("num_epochs")
        repeat = ""
        if "num_epochs" not in args:
            repeat = ""  # one epoch, the default
        elif _is_none(epochs):
            repeat = ".repeat()"
            self.constant_batches = True  # an endless stream: every batch is full
        elif not (isinstance(epochs, ast.Constant) and epochs.value == 1):
            repeat = f".repeat({self.unit.segment(epochs)})"
        y = args.get("y")
        data = self.unit.segment(x) if _is_none(y) else f"({self.unit.segment(x)}, {self.unit.segment(y)})"
        self.plan.consumed.add(id(call.func))
        return f"{self.plan.spell('tf.data.Dataset')}.from_tensor_slices({data}){repeat}{mixing}.batch({batch})"


def unit_replace(unit: Unit, node: ast.AST, text: str) -> Edit:
    return unit.replace(node, text)


def _numpy_assignments(finder: _Estimators) -> None:
    """`fn = tf.estimator.inputs.numpy_input_fn(...)` -> `fn = lambda: <dataset>`."""
    for ref in finder.unit.calls(_NUMPY_INPUT_FN):
        if id(ref.node) in finder.plan.consumed:
            continue
        parent = finder.unit.parents.get(ref.call)
        if not isinstance(parent, ast.Assign):
            continue  # inline in train(), handled there, or reported below
        dataset = finder.numpy_input_fn(ref.call)
        finder.plan.edits.append(finder.unit.replace(ref.call, f"lambda: {dataset}"))


def _column_definitions(finder: _Estimators) -> None:
    """Column variables read only inside the rewritten column lists go with them."""
    unit = finder.unit
    for name, statement in finder.column_defs.items():
        for use in _names(unit.tree, name):
            if use is statement.targets[0]:
                continue
            start, end = unit.span(use)
            if not any(s <= start and end <= e for s, e in finder.column_spans) and \
                    not any(use in ast.walk(d.value) for d in finder.column_defs.values()):
                raise Cannot(use, f"feature column `{name}` is used outside the estimator's column lists")
        finder.plan.edits.append(unit.delete_statement(statement))
    # `fc = tf.feature_column`: goes when every use of it went
    inside = finder.column_spans + [unit.line_span(d) for d in finder.column_defs.values()]
    for statement in unit.tree.body:
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            continue
        ref = finder.refs.get(id(statement.value))
        if ref is None or ref.name != "tf.feature_column" or not finder.column_defs:
            continue
        uses = [u for u in _names(unit.tree, statement.targets[0].id) if u is not statement.targets[0]]
        if all(any(s <= unit.span(u)[0] and unit.span(u)[1] <= e for s, e in inside) for u in uses):
            finder.plan.edits.append(unit.delete_statement(statement))
            finder.plan.consumed.add(id(statement.value))


def _custom_estimator(unit: Unit, ref) -> str | None:
    """What stands between a custom model_fn estimator and Keras, said precisely (the rewrite
    would have to turn the per-mode graph of the model_fn into a keras.Model with a train_step)."""
    if ref.name != "tf.estimator.Estimator" or ref.call is None:
        return None
    model_fn = next((k.value for k in ref.call.keywords if k.arg == "model_fn"),
                    ref.call.args[0] if ref.call.args else None)
    label = ast.unparse(model_fn) if model_fn is not None else "?"
    function = next((f for f in unit.nodes() if isinstance(f, ast.FunctionDef)
                     and isinstance(model_fn, ast.Name) and f.name == model_fn.id), None)
    if function is None:
        return (f"a custom estimator (model_fn={label}, not defined in this file): its model_fn must become a "
                "keras.Model (layers in call, optimizer in compile, the training branch in train_step); "
                "not rewritten")
    used = sorted({r.name for r in unit.refs() if r.v1 and any(r.node is n for n in ast.walk(function))
                   and r.name.startswith(("tf.train.", "tf.metrics.", "tf.losses.", "tf.layers.",
                                          "tf.estimator.EstimatorSpec", "tf.estimator.ModeKeys",
                                          "tf.summary.", "tf.get_variable"))})
    pieces = ", ".join(used) if used else "graph code"
    return (f"a custom estimator: model_fn {function.name}() builds a graph per mode ({pieces}); the TF2 form is a "
            "keras.Model subclass (layers built once, the TRAIN branch as train_step, eval_metric_ops as Keras "
            "metrics, PREDICT as predict) whose numbers tfshift cannot check against the model_fn: not rewritten")


def find(unit: Unit) -> list[Site]:
    estimator_refs = [r for r in unit.refs() if r.name.startswith(("tf.estimator.", "tf.feature_column."))]
    if not estimator_refs:
        return []
    finder = _Estimators(unit)
    canned = [r for r in estimator_refs if r.call is not None and r.name in _CANNED]
    try:
        for ref in canned:
            finder.estimator(ref)
        _numpy_assignments(finder)
        _column_definitions(finder)
    except Cannot as exc:
        return [FAMILY.site(unit, exc.node, exc.reason, cannot=exc.reason)]
    leftovers = [r for r in estimator_refs if id(r.node) not in finder.plan.consumed]
    if leftovers:
        return [FAMILY.site(unit, r.node, r.name, cannot=_custom_estimator(unit, r)
                            or f"no native rewrite for {r.name} yet") for r in leftovers]
    first = canned[0].call if canned else estimator_refs[0].node
    message = "canned estimator -> Keras model" if canned else "numpy_input_fn -> tf.data"
    if finder.plan.notes:
        message += "; " + "; ".join(finder.plan.notes)
    return [FAMILY.site(unit, first, message, edits=finder.plan.edits, imports=finder.plan.imports)]


FAMILY = Family(
    number=7,
    name="estimators",
    order=700,
    find=find,
    claims=("tf.estimator.", "tf.feature_column."),
    summary="canned Linear/DNN estimators with numeric feature columns -> keras.Model; "
            "train(input_fn) -> fit(tf.data); numpy_input_fn -> tf.data",
)
