"""Family 5: `tf.train.Saver` becomes a `tf.train.Checkpoint` of the TF1-named variables.

In a graph program (graph.py finds the statements) `saver = tf.train.Saver(max_to_keep=n)`
becomes `saver = tf.train.Checkpoint(**tf1_variables())` and two functions beside it:

- `save_saver(save_path, global_step=None)`: with a global step, a `tf.train.CheckpointManager`
  writes `<save_path>-<step>` and the `checkpoint` state file `tf.train.latest_checkpoint` reads,
  keeping the newest n, as the Saver did; without one, `saver.write(save_path)` (no state file:
  programs that ask `latest_checkpoint` for such a save are reported).
- `restore_saver(save_path)`: a checkpoint the native program wrote is read as such; one the TF1
  program wrote is read by its TF1 variable names (tf1_variables()), so training continues from
  the original's checkpoints.

The Saver also saved and restored optimizer slots (Adam's moments, momentum accumulators);
Keras optimizers keep theirs under other names, so `restore` in a program whose optimizer has
slots is reported (the native optimizer would restart from zero). Everything but `max_to_keep`
(var_list, keep_checkpoint_every_n_hours, sharded, ...) is reported too.
"""

from __future__ import annotations

import ast

from tfshift.native.arguments import Cannot
from tfshift.native.family import Family, Site, Unit

SAVER = "tf.train.Saver"
_STATE_READERS = ("latest_checkpoint", "get_checkpoint_state", "checkpoint_exists")
# Optimizers without slot variables (a restore continues exactly)
SLOTLESS = ("tf.train.GradientDescentOptimizer",)


def saver_arguments(call: ast.Call) -> str:
    """max_to_keep as source text ("None": keep all) for `tf.train.Saver(...)` (raises Cannot)."""
    if call.args:
        raise Cannot(call, "tf.train.Saver with a var_list (or positional arguments): only "
                           "`tf.train.Saver(max_to_keep=n)` is rewritten yet")
    max_to_keep = "5"
    for keyword in call.keywords:
        value = keyword.value
        if keyword.arg == "max_to_keep":
            if type(value) is ast.Constant and (value.value is None or type(value.value) is int):
                max_to_keep = "None" if value.value in (None, 0) else str(value.value)
                continue
            raise Cannot(value, "tf.train.Saver(max_to_keep=...) that is not a literal number")
        if keyword.arg == "var_list" and type(value) is ast.Constant and value.value is None:
            continue
        raise Cannot(keyword.value, f"tf.train.Saver({keyword.arg}=...) is not rewritten yet")
    return max_to_keep


def saver_text(name: str, save: str, restore: str, max_to_keep: str, names: str, spell, indent: str) -> str:
    """The Checkpoint and its save / restore functions replacing `name = tf.train.Saver(...)`."""
    tf = spell("tf")
    i = indent
    return "\n".join([
        f"# was: {name} = tf.train.Saver(max_to_keep={max_to_keep}); variables keep their TF1 names",
        f"{name} = {tf}.train.Checkpoint(**{names}())",
        "",
        "",
        f"def {save}(save_path, global_step=None):",
        f'{i}"""{name}.save: <save_path>-<global_step> and the `checkpoint` file, as the TF1 Saver wrote."""',
        f"{i}if global_step is None:",
        f"{i}{i}return {name}.write(save_path)",
        f'{i}directory, prefix = os.path.dirname(save_path) or ".", os.path.basename(save_path)',
        f"{i}manager = {tf}.train.CheckpointManager({name}, directory, max_to_keep={max_to_keep}, "
        f"checkpoint_name=prefix)",
        f"{i}return manager.save(checkpoint_number=global_step)",
        "",
        "",
        f"def {restore}(save_path):",
        f'{i}"""{name}.restore: a checkpoint this program wrote, or one the TF1 program wrote (by TF1 names)."""',
        f"{i}reader = {tf}.train.load_checkpoint(save_path)",
        f'{i}if reader.has_tensor("_CHECKPOINTABLE_OBJECT_GRAPH"):',
        f"{i}{i}{name}.read(save_path).assert_existing_objects_matched()",
        f"{i}else:",
        f"{i}{i}for tf1_name, variable in {names}().items():",
        f"{i}{i}{i}variable.assign(reader.get_tensor(tf1_name))",
    ])


def reads_state(unit: Unit) -> bool:
    """Whether the file asks for the `checkpoint` state file (latest_checkpoint and friends)."""
    return any(ref.name.rpartition(".")[2] in _STATE_READERS for ref in unit.refs())


def find(unit: Unit) -> list[Site]:
    return []  # graph.py rewrites Savers with the graph program they belong to


FAMILY = Family(number=5, name="checkpoints", order=110, find=find, claims=(SAVER,),
                summary="tf.train.Saver -> tf.train.Checkpoint of the TF1-named variables; "
                        "restores the TF1 program's checkpoints by name")
