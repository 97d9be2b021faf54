"""Helpers shared by the Keras 3 rules (TFK): where Keras lives, and literal file paths.

Keras 2 code reaches Keras through `tf.keras`, `tf.compat.v1.keras` or the standalone `keras`
package; from TensorFlow 2.16 all of them are Keras 3. `tf_keras` is Keras 2 on purpose and is
never touched.
"""

from __future__ import annotations

import ast
import contextvars
import posixpath

ROOTS = ("tf.keras", "keras", "tf.compat.v1.keras", "tf.compat.v2.keras")
# The methods and functions that save or load, and where their path argument is.
SAVERS = {"save": 0, "save_weights": 0}
SAVE_FUNCTIONS = ("models.save_model", "saving.save_model")
LOAD_FUNCTIONS = ("models.load_model", "saving.load_model")


def paths(*suffixes: str) -> list[str]:
    """Every spelling of Keras symbols: paths("optimizers.Adam") -> tf.keras..., keras..."""
    return [f"{root}.{suffix}" for root in ROOTS for suffix in suffixes]


def suffix(qual: str) -> str | None:
    """`tf.keras.optimizers.Adam` -> `optimizers.Adam` (None outside Keras)."""
    for root in sorted(ROOTS, key=len, reverse=True):
        if qual.startswith(root + "."):
            return qual[len(root) + 1:]
    return None


def uses_tensorflow_or_keras(ctx) -> bool:
    return bool(ctx.bindings.module) or bool(ctx.bindings.local)


# Arguments only Keras's save methods take.
_KERAS_ONLY = frozenset({"save_format", "include_optimizer", "save_traces", "signatures"})


def uses_keras(ctx, call: ast.Call | None = None) -> bool:
    """Evidence that `obj.save(path)` may be a Keras model's: the file mentions Keras, a module
    of the project it imports does, or the call passes what only Keras takes (`save_format=`,
    an .h5 path). `vocab_processor.save(path)` in a TF1 project with no Keras is not a Keras
    model. Code written for TensorFlow 2 needs none: Keras is its high-level API."""
    from tfshift.code.project import KERAS
    from tfshift.code.rule import version_key

    if KERAS in ctx.project:
        return True
    if not uses_tensorflow_or_keras(ctx):
        return False
    if version_key(ctx.settings.source) >= (2, 0) or "keras" in ctx.text:
        return True
    if call is None:
        return False
    if any(k.arg in _KERAS_ONLY for k in call.keywords):
        return True
    value = string_value(call.args[0]) if call.args else None
    return value is not None and value.lower().endswith((".h5", ".hdf5", ".keras"))


def string_value(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def append_to_string(ctx, node, extra: str):
    """An edit that appends `extra` inside a plain string literal (quotes and prefix kept)."""
    text = ctx.segment(node)
    quote = text[-1:]
    if quote not in ("'", '"') or text.count(quote) not in (2, 6) or "\\" in text:
        return None
    end = ctx.span(node)[1]
    width = 3 if text.endswith(quote * 3) else 1
    return ctx.insert(end - width, extra)


def literal_calls(ctx) -> dict[str, list[tuple[str, ast.Call, ast.AST]]]:
    """Calls with a literal path in this file, by kind: "save", "save_weights", "load_model",
    "load_weights" -> [(path, call, path node)]. Computed once per file."""
    state = ctx._state.setdefault("keras-literal-calls", {})
    if "calls" in state:
        return state["calls"]
    found: dict[str, list] = {"save": [], "save_weights": [], "load_model": [], "load_weights": []}
    for node in ast.walk(ctx.tree):
        if not isinstance(node, ast.Call):
            continue
        kind, arg = _classify(node)
        if kind and arg is not None:
            value = string_value(arg)
            if value is not None:
                found[kind].append((value, node, arg))
    state["calls"] = found
    return found


# A notebook's cells are analysed one by one; the literal save/load paths of all its cells are
# set here while it is processed, so a save in one cell and its load in another get the same
# path (TFK001, TFK002; TFK003 for save_weights / load_weights).
# {"save": [(path, save_format or None)], "load_model": [(path, None)], "save_weights": ...}.
NOTEBOOK_CALLS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("notebook_calls", default=None)
SAVE_EXTENSIONS = (".keras", ".h5", ".hdf5")
# Extensions Keras 2 SavedModel directories were given; any other one means another object.
MODEL_LIKE = (".tf", ".model", ".savedmodel", ".saved_model", ".pb", ".ckpt")


def notebook_calls(cells: list[str]) -> dict[str, list[tuple[str, str | None]]]:
    """The literal save, load_model, save_weights and load_weights paths of every cell that
    parses (cells: masked code); also "unconfigured" [(class, None)], "instances" [(name, class)],
    "save_receivers" [(path, name)] for unconfigured_model(), and "trained_loads" [(path, None)]."""
    found: dict[str, list] = {"save": [], "load_model": [], "save_weights": [], "load_weights": [],
                              "unconfigured": [], "instances": [], "save_receivers": [], "trained_loads": []}
    loaded, methods = [], set()  # (path, name) of `name = load_model(path)`; (name, method) calls
    for code in cells:
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError):
            continue
        found["unconfigured"].extend((name, None) for name in _unconfigured_classes(tree))
        found["instances"].extend(_instances(tree))
        for node in ast.walk(tree):
            kind, arg = _classify(node) if isinstance(node, ast.Call) else (None, None)
            receiver = _save_receiver(node) if kind == "save" else None
            if receiver is not None and string_value(arg) is not None:
                found["save_receivers"].append((string_value(arg), receiver))
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                kind, arg = _classify(node.value)
                if kind == "load_model" and string_value(arg) is not None:
                    loaded.extend((string_value(arg), t.id) for t in node.targets if isinstance(t, ast.Name))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Name):
                methods.add((node.func.value.id, node.func.attr))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                kind, arg = _classify(node)
                value = string_value(arg) if arg is not None else None
                if kind in found and value is not None:
                    fmt = next((string_value(k.value) for k in node.keywords if k.arg == "save_format"), None)
                    found[kind].append((value, fmt))
    for path, name in loaded:  # trained on without a new compile: the optimizer's state matters
        if (name, "compile") not in methods and any((name, m) in methods for m in TRAIN_METHODS):
            found["trained_loads"].append((path, None))
    return found


TRAIN_METHODS = ("fit", "fit_generator", "train_on_batch")


def unconfigured_model(tree, name: str) -> str | None:
    """The class of the model `name` holds (this file or, in a notebook, any cell) when it is a
    Model subclass whose __init__ takes arguments without defaults and which has no get_config:
    Keras 3 cannot save it to .keras (NotImplementedError), Keras 2's SavedModel needed none."""
    unconfigured = _unconfigured_classes(tree) | {c for c, _ in elsewhere("unconfigured")}
    made = {c for n, c in _instances(tree) + elsewhere("instances") if n == name}
    found = sorted(made & unconfigured)
    return found[0] if found else None


def _save_receiver(call: ast.Call) -> str | None:
    """The name of the model a save call saves (`model.save(p)`, `save_model(model, p)`)."""
    if isinstance(call.func, ast.Attribute) and call.func.attr == "save":
        receiver = call.func.value
    else:
        receiver = _arg(call, 0, "model")
    return receiver.id if isinstance(receiver, ast.Name) else None


def _unconfigured_classes(tree) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        model = any(ast.unparse(base).split(".")[-1] == "Model" for base in node.bases)
        methods = {f.name: f for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
        init = methods.get("__init__")
        required = init is not None and len(init.args.args) - 1 > len(init.args.defaults)
        if model and required and "get_config" not in methods:
            found.add(node.name)
    return found


def _instances(tree) -> list[tuple[str, str]]:
    """(name, class) of every `name = Class(...)` assignment."""
    return [(t.id, node.value.func.id) for node in ast.walk(tree) if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
            for t in node.targets if isinstance(t, ast.Name)]


def elsewhere(kind: str) -> list[tuple[str, str | None]]:
    """The notebook's literal paths of this kind, every cell (empty outside notebooks)."""
    return (NOTEBOOK_CALLS.get() or {}).get(kind, [])


def saved_extension(path: str, fmt: str | None) -> str | None:
    """The extension TFK001 gives a Keras 2 save path, or None when it keeps the path."""
    extension = posixpath.splitext(path)[1].lower()
    if path.lower().endswith(SAVE_EXTENSIONS):
        return None
    if extension and extension not in MODEL_LIKE:
        return None  # `image.save("out.png")`: not a Keras model
    return ".h5" if (fmt or "").lower() in ("h5", "hdf5") else ".keras"


def _classify(call: ast.Call):
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name in ("save", "save_weights", "load_weights"):
        return name, _arg(call, 0, "filepath")
    if name == "save_model":
        return "save", _arg(call, 1, "filepath")
    if name == "load_model":
        return "load_model", _arg(call, 0, "filepath")
    return None, None


def _arg(call: ast.Call, position: int, name: str):
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if position < len(call.args) and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return None
