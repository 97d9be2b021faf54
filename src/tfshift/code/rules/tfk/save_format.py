"""## What it does
Finds Keras 2 model saving that Keras 3 rejects: `model.save(path)` or
`keras.models.save_model(model, path)` where the path has no `.keras` or `.h5` extension (the
Keras 2 SavedModel default), and the `save_format=` argument. The fix gives the path the
extension of the format it wrote (`.keras` for the SavedModel default, `.h5` for
`save_format="h5"`), in the `load_model` calls of the same file too, and drops `save_format`.

## Why is this bad?
Keras 3 saves only to `.keras` (native) or `.h5` (legacy) files and raises "Invalid filepath
extension for saving" for anything else; `save_format=` raises "The `save_format` argument is
deprecated in Keras 3". tf_upgrade_v2 even adds `save_format="h5"`.

## Example
```python
model.save("exported")
restored = tf.keras.models.load_model("exported")
```
Use instead:
```python
model.save("exported.keras")
restored = tf.keras.models.load_model("exported.keras")
```

## Fix safety
Safe when the file loads what it saves (the round trip stays inside the program; in a
notebook, a `load_model` of the same path in any cell gets the same new path, by TFK002).
Unsafe when the reloaded model is trained on without being compiled again: a `.keras` file
carries the optimizer's state (Adam's moments and step) into that training, where Keras 2's
SavedModel reload restarted the optimizer, so the losses differ (`compile` the reloaded model
again to keep Keras 2's numbers). Unsafe when the saved model is an instance of a `Model`
subclass of the file whose `__init__` takes arguments and which has no `get_config()`: Keras 3
cannot write it to `.keras` (NotImplementedError) until it has one. When the file does not load what it saves (a SavedModel
for serving, or read elsewhere), the unsafe fix keeps a SavedModel: `model.export(path)` (Keras 3 names the signatures' outputs
`output_0`, ... rather than after the layers, and a Keras program cannot `load_model` it;
for TensorFlow 2.21+ targets, whose Keras is 3.12 or later, `verbose=False` keeps the export
from printing its endpoints to stdout, where Keras 2's save printed nothing);
save to a `.keras` path instead to reload it with Keras. A path that is not a string literal
is reported without a fix.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast
import posixpath

from tfshift.code import keras
from tfshift.code.rule import Rule, version_key

rule = Rule(__name__, "TFK001", "Keras 3 saves only to .keras or .h5 paths", breaks_at="2.16",
            keras3_only=True)
EXTENSIONS = (".keras", ".h5", ".hdf5")
# Extensions Keras 2 SavedModel directories were given; any other one means another object.
MODEL_LIKE = (".tf", ".model", ".savedmodel", ".saved_model", ".pb", ".ckpt")


@rule.methods("save", words=(".save(",))
def save_method(ctx, ref):
    call = ref.call
    if call is None or not keras.uses_keras(ctx, call) or ref.qual is not None:
        return
    if len(call.args) > 1 or (not call.args and ctx.keyword(call, "filepath") is None):
        return  # tf.train.Saver.save(sess, path) and friends
    if any(k.arg not in ("filepath", "overwrite", "include_optimizer", "save_format", "signatures",
                         "options", "save_traces", "zipped") for k in call.keywords):
        return
    receiver = ref.node.value if isinstance(ref.node, ast.Attribute) else None
    if isinstance(receiver, ast.Name) and receiver.id in _checkpoints(ctx):
        return  # tf.train.Checkpoint(...).save(prefix): a TensorFlow checkpoint, not a model
    _check(ctx, call, ctx.argument(call, 0, "filepath"))


CHECKPOINTS = ("train.Checkpoint", "train.CheckpointManager", "train.Saver")


def _checkpoints(ctx) -> set[str]:
    """Names the file binds to TensorFlow checkpoint objects (`ckpt = tf.train.Checkpoint()`)."""
    state = ctx.state()
    if "checkpoints" not in state:
        found = set()
        for node in ast.walk(ctx.tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                qual = ctx.bindings.resolve(node.value.func, ())
                if qual and qual.endswith(CHECKPOINTS):
                    found.update(t.id for t in node.targets if isinstance(t, ast.Name))
        state["checkpoints"] = found
    return state["checkpoints"]


@rule.symbols(*keras.paths("models.save_model", "saving.save_model"))
def save_function(ctx, ref):
    if ref.call is not None:
        _check(ctx, ref.call, ctx.argument(ref.call, 1, "filepath"))


def _check(ctx, call, path):
    if path is None:
        return
    fmt_kw = ctx.keyword(call, "save_format")
    fmt = keras.string_value(fmt_kw.value) if fmt_kw is not None else None
    value = keras.string_value(path)
    edits = []
    if fmt_kw is not None:
        edits.append(ctx.remove_argument(call, fmt_kw))
    if value is None:
        if fmt_kw is not None or not isinstance(path, ast.JoinedStr):
            ctx.report(path, "Keras 3 saves only to .keras or .h5 paths and takes no save_format: "
                       "make sure this path ends with .keras (or use model.export() for a SavedModel)")
        return
    unsafe = False
    extension = posixpath.splitext(value)[1].lower()
    if extension and extension not in EXTENSIONS and extension not in MODEL_LIKE:
        return  # `image.save("out.png")`: not a Keras model
    if not value.lower().endswith(EXTENSIONS):
        extension = ".h5" if (fmt or "").lower() in ("h5", "hdf5") else ".keras"
        edit = keras.append_to_string(ctx, path, extension)
        if edit is None:
            return
        edits.append(edit)
        calls = [(call, node) for saved, call, node in keras.literal_calls(ctx)["load_model"] if saved == value]
        loads = [node for _, node in calls]
        edits.extend(e for e in (keras.append_to_string(ctx, n, extension) for n in loads) if e)
        # a notebook's other cells load it: TFK002 gives those loads the same path
        loads = loads or [path for path, _ in keras.elsewhere("load_model") if path == value]
        resumed = extension == ".keras" and (any(_trained_on(ctx, load) for load, _ in calls)
                                             or any(p == value for p, _ in keras.elsewhere("trained_loads")))
        unconfigured = _unconfigured_class(ctx, call) if extension == ".keras" and loads else None
        unsafe = not loads or resumed or unconfigured is not None
        export = None if loads or extension != ".keras" else _export(ctx, call, path)
        if export is not None:  # nothing here loads it as a Keras model: keep a SavedModel
            ctx.report(path if fmt_kw is None else fmt_kw,
                       f"Keras 3 cannot save a SavedModel to {value!r}: model.export({value!r}) writes one for "
                       "serving (its signatures' outputs are named output_0, ...; tf.saved_model.load reads it, "
                       f"load_model cannot), or save to {value + extension!r} to reload it with Keras",
                       fix=ctx.fix(ctx.replace(call, export), unsafe=True, description="model.export"))
            return
        message = (f"Keras 3 cannot save to {value!r} (no .keras or .h5 extension): save to "
                   f"{value + extension!r}" + ("" if loads else "; model.export() writes a SavedModel"))
        if unconfigured:
            message += (f"; {unconfigured} takes __init__ arguments and has no get_config(): Keras 3 cannot "
                        "save it to .keras (NotImplementedError) until it has one, where Keras 2's SavedModel "
                        "needed none (or save_weights / load_weights into a new instance)")
        if resumed:
            message += ("; the reloaded model is trained on: a .keras file keeps the optimizer's state, "
                        "where Keras 2's SavedModel reload restarted it (compile the reloaded model "
                        "again to restart it)")
    elif fmt_kw is not None:
        message = "Keras 3 takes no save_format: the extension decides the format"
    else:
        return
    ctx.report(path if fmt_kw is None else fmt_kw, message,
               fix=ctx.fix(*edits, unsafe=unsafe, description="Keras 3 file path"))


TRAIN = ("fit", "fit_generator", "train_on_batch")
EXPORTABLE = {"filepath", "model", "save_format", "overwrite", "include_optimizer", "save_traces"}


def _unconfigured_class(ctx, call) -> str | None:
    receiver = keras._save_receiver(call)
    return keras.unconfigured_model(ctx.tree, receiver) if receiver else None


def _export(ctx, call, path) -> str | None:
    """`model.export(path)` for this save call, or None when it takes what export does not."""
    if any(k.arg not in EXPORTABLE for k in call.keywords):
        return None
    if isinstance(call.func, ast.Attribute) and call.func.attr == "save":
        model = call.func.value
    else:
        model = ctx.argument(call, 0, "model")
    if model is None or not isinstance(model, (ast.Name, ast.Attribute)):
        return None
    # Keras 3.6+ prints the endpoints unless told not to (TF 2.21 requires Keras >= 3.12).
    quiet = ", verbose=False" if version_key(ctx.settings.target) >= (2, 21) else ""
    return f"{ctx.segment(model)}.export({ctx.segment(path)}{quiet})"


def _trained_on(ctx, load) -> bool:
    """Whether the model `name = load_model(...)` binds is trained without being compiled again."""
    names = {t.id for node in ast.walk(ctx.tree) if isinstance(node, ast.Assign) and node.value is load
             for t in node.targets if isinstance(t, ast.Name)}
    methods = {node.func.attr for node in ast.walk(ctx.tree)
               if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
               and isinstance(node.func.value, ast.Name) and node.func.value.id in names}
    return bool(methods & set(TRAIN)) and "compile" not in methods
