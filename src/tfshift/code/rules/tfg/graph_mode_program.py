"""## What it does
Finds programs and test modules written for TF1 graph mode (placeholders, sessions,
`tf.get_variable`, `tf.layers`, queue runners, `self.test_session()`) and switches TF1
behaviour on at their entry point: `tf.compat.v1.disable_v2_behavior()` right after the imports.

## Why is this bad?
TensorFlow 2 executes eagerly: `tf.compat.v1.placeholder` raises "tf.placeholder() is not
compatible with eager execution", `Session.run` finds no graph, variables are resource
variables and `TensorShape` entries are plain ints. Renaming symbols to `tf.compat.v1`
(TFU002) is not enough; tf_upgrade_v2 stops there, and the program still fails.

## Example
```python
import tensorflow as tf

x = tf.compat.v1.placeholder(tf.float32, [None, 3])
if __name__ == "__main__":
    with tf.compat.v1.Session() as sess: ...
```
Use instead:
```python
import tensorflow as tf
tf.compat.v1.disable_v2_behavior()

x = tf.compat.v1.placeholder(tf.float32, [None, 3])
```

## Fix safety
Safe in an entry point: a module with `if __name__ == "__main__":`, a `tf.app.run()` or
`tf.test.main()` call, a session opened at module level (a script), a `tf.test.TestCase`
(test runners import it first), or a notebook cell that imports TensorFlow (in a later cell
the finding has no fix: the switch belongs before any TensorFlow code runs). Unsafe in a
library module, where the switch belongs to the program that imports it: the fix is offered,
but the call changes the whole process.

## Versions affected
Code written for TensorFlow 1.x, upgraded to 2.0 or later.
"""

import ast

from tfshift.code.imports import anchor, insertion_offset
from tfshift.code.names import dotted
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFG001", "TF1 graph-mode program without v1 behaviour switched on",
            breaks_at="2.0")

GRAPH = (
    "placeholder", "placeholder_with_default", "sparse_placeholder", "Session",
    "InteractiveSession", "get_variable", "variable_scope", "global_variables_initializer",
    "initialize_all_variables", "local_variables_initializer", "variables_initializer",
    "tables_initializer", "train.Saver", "train.MonitoredTrainingSession", "train.MonitoredSession",
    "train.SingularMonitoredSession", "get_default_graph", "reset_default_graph", "get_collection",
    "add_to_collection", "train.start_queue_runners", "layers", "nn.rnn_cell", "nn.dynamic_rnn",
    "nn.static_rnn", "nn.bidirectional_dynamic_rnn", "data.make_one_shot_iterator",
    "data.make_initializable_iterator", "trainable_variables", "global_variables", "losses",
    "metrics", "train.GradientDescentOptimizer", "train.AdamOptimizer", "train.MomentumOptimizer",
    "train.RMSPropOptimizer", "train.AdagradOptimizer", "train.get_or_create_global_step",
    "train.get_global_step", "summary.FileWriter",
)
SWITCHES = ("disable_v2_behavior", "disable_eager_execution", "enable_eager_execution")
ENTRIES = ("tf.app.run", "tf.compat.v1.app.run", "tf.test.main")
SESSION_METHODS = ("test_session", "cached_session", "session")


@rule.prefixes(*(f"tf.{n}" for n in GRAPH), *(f"tf.compat.v1.{n}" for n in GRAPH))
def graph_api(ctx, ref):
    if ref.is_import:
        return
    state = ctx.state()
    state.setdefault("first", ref.node)
    if not ref.scopes and ref.qual.rpartition(".")[2] in ("Session", "InteractiveSession"):
        state["entry"] = True  # a session opened at import time: a script


@rule.symbols(*(f"tf.{n}" for n in SWITCHES), *(f"tf.compat.v1.{n}" for n in SWITCHES),
              *(f"tf.compat.v2.compat.v1.{n}" for n in SWITCHES))
def switched(ctx, ref):
    ctx.state()["switched"] = True


@rule.symbols(*ENTRIES, "tf.test.TestCase")
def entry(ctx, ref):
    if ref.qual == "tf.test.TestCase" or ref.call is not None:
        ctx.state()["entry"] = True


@rule.methods(*SESSION_METHODS, words=tuple(f"self.{m}(" for m in SESSION_METHODS))
def test_session(ctx, ref):
    receiver = ref.node.value
    if ref.call is not None and isinstance(receiver, ast.Name) and receiver.id == "self":
        ctx.state().setdefault("first", ref.node)


@rule.statements(ast.If, ast.Expr)
def module_level_entry(ctx, entry):
    """`if __name__ == "__main__":`, or a module-level `app.run(main)` (absl's too)."""
    node = entry.node
    if entry.parent is not None:
        return
    if isinstance(node, ast.If) and _is_main_guard(node.test):
        ctx.state()["entry"] = True
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        name = dotted(node.value.func)
        if name and ".".join(name[-2:]) in ("app.run", "test.main"):
            ctx.state()["entry"] = True


@rule.finish
def decide(ctx):
    state = ctx.state()
    first = state.get("first")
    if first is None or state.get("switched"):
        return
    offset, prefix = insertion_offset(ctx.tree, ctx.text, "tensorflow", block=True)
    call, imports = ctx.spell("tf.compat.v1.disable_v2_behavior", at=offset)
    edit = ctx.insert(offset, prefix.replace("\n", ctx.newline) + f"{call}(){ctx.newline}")
    if ctx.path.endswith(".ipynb"):
        # A notebook is a program: the switch goes into the cell that imports TensorFlow.
        if anchor(ctx.tree, "tensorflow") is None or imports:
            ctx.report(first, "TF1 graph-mode code: call tf.compat.v1.disable_v2_behavior() in the "
                       "cell that imports TensorFlow, before any other TensorFlow code runs")
            return
        state["entry"] = True
    if state.get("entry"):
        message = ("TF1 graph-mode code: TensorFlow 2 runs eagerly; switch v1 behaviour on "
                   "at the entry point")
    else:
        message = ("TF1 graph-mode code in a library module: the program that imports it must "
                   "call tf.compat.v1.disable_v2_behavior() first")
    ctx.report(first, message, fix=ctx.fix(edit, unsafe=not state.get("entry"), imports=imports,
                                           description="tf.compat.v1.disable_v2_behavior()"))


def _is_main_guard(test):
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__" and len(test.comparators) == 1
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value == "__main__")
