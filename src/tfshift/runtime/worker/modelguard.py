"""Python code a Keras model would run when loaded, found on its parsed metadata.

Keras rebuilds a model from JSON: the config.json of a .keras, the model_config attribute of an
.h5, the JSON strings inside a Keras 2 SavedModel's keras_metadata.pb. Some of that JSON is
code: a Lambda layer's marshalled bytecode (Keras 2), a `__lambda__` object (Keras 3), and any
object whose `module` is not Keras's own (Keras 3 before 3.9 imports whatever module a file
names). So every check parses the document and walks the whole object tree, whatever wraps what
(Sequential and Functional `layers`, a Bidirectional or TimeDistributed `layer`, nested models,
a custom layer's own config): matching text is never enough (`"class_name" : "Lambda"`,
`"\\u004cambda"` and `"registered_name": "Lambda"` all say Lambda to Keras).

tf.keras's op layers (TFOpLambda, SlicingOpLambda, ClassMethod, InstanceMethod, InstanceProperty)
name a TF function that Keras looks up and calls on load: only the pure ones of tfops.py pass.

A Keras 2 SavedModel keeps this JSON twice: in keras_metadata.pb (TF 2.5+) and, before TF 2.5,
only in saved_model.pb (each Keras object's SavedUserObject.metadata). Keras 2.5+ falls back to
the latter when keras_metadata.pb has no nodes, so an empty keras_metadata.pb must not hide it:
both files are parsed and checked.

Standard library only, Python 3.7: the host (inspect, convert) and every worker (just before
Keras reads the file) run this same code.
"""
import json
import mmap
import os

from . import tfops
from .protowire import LEN, WireError, fields

# One JSON document (a config.json, a model_config, one node of keras_metadata.pb): real models
# stay far below (a 500-layer model's config is ~1 MB); parsing past this would cost memory.
MAX_JSON_BYTES = 8 << 20
MAX_METADATA_BYTES = 256 << 20  # keras_metadata.pb: one JSON document per layer and model
# Where an object's `module` may point without its file being trusted: Keras's own packages.
KERAS_PACKAGES = ("keras", "tf_keras", "keras_hub", "keras_nlp", "keras_cv")
# Python builtins a Keras 3 function object may name (Keras 3 writes keras.ops functions as
# builtins; before 3.9 it then imports builtins): none of these may be called from a file.
RISKY_BUILTINS = frozenset((
    "__import__", "breakpoint", "compile", "delattr", "eval", "exec", "exit", "getattr", "globals",
    "help", "input", "locals", "open", "quit", "setattr", "vars", "memoryview", "type", "object",
    "super", "classmethod", "staticmethod", "property", "__build_class__",
))
UNSAFE_HINT = "pass unsafe=True (--unsafe) only if you trust this file"


class GuardError(ValueError):
    """The metadata cannot be checked (not JSON, too large, too deep) or it holds code."""


class Findings(object):
    """What in a model's metadata would run Python code: Lambda layers (by name, nested ones as
    "outer/inner"), objects whose module is not Keras's ("module.Class"), and op layers calling
    a TF function not known to be pure ("layer (tf.io.write_file)")."""

    def __init__(self):
        self.code = []
        self.modules = []
        self.ops = []

    def __bool__(self):
        return bool(self.code or self.modules or self.ops)

    __nonzero__ = __bool__

    def describe(self):
        parts = []
        if self.code:
            parts.append("Lambda layer(s) %s hold Python bytecode that would run on load"
                         % ", ".join(self.code))
        if self.modules:
            parts.append("it names Python module(s) outside Keras that Keras would import (%s)"
                         % ", ".join(self.modules))
        if self.ops:
            parts.append("op layer(s) %s call TensorFlow functions that tfshift does not know to be "
                         "free of side effects" % ", ".join(self.ops))
        return "; ".join(parts)


def parse_json(data, what, limit=MAX_JSON_BYTES):
    """One JSON document (bytes or str), or GuardError naming `what`."""
    if len(data) > limit:
        raise GuardError("%s is %d MB, past the %d MB a model's JSON may take (a damaged or "
                         "hostile file?)" % (what, len(data) >> 20, limit >> 20))
    try:
        return json.loads(data)
    except RecursionError:
        raise GuardError("%s is nested too deeply to read (a damaged or hostile file?)" % what) from None
    except ValueError as exc:
        raise GuardError("%s is not JSON (%s)" % (what, exc)) from None


def read_keras_metadata(path):
    """The parsed JSON documents of the keras_metadata.pb file at `path` (OSError if unreadable)."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_METADATA_BYTES + 1)
    if len(data) > MAX_METADATA_BYTES:
        raise GuardError("keras_metadata.pb is over %d MB (a damaged or hostile file?)"
                         % (MAX_METADATA_BYTES >> 20))
    return keras_metadata(data)


def keras_metadata(data, what="keras_metadata.pb"):
    """The JSON documents of a Keras 2 SavedModel's keras_metadata.pb, parsed.

    SavedMetadata: nodes = 1 (repeated SavedObject: node_path = 3, identifier = 4,
    metadata = 5, a JSON string). Every metadata field counts, a repeated one too.
    """
    documents = []
    try:
        for number, wire, span in fields(data):
            if number != 1:
                continue
            if wire != LEN:
                raise WireError("field 1 is not a message")
            for inner, inner_wire, value in fields(data, span):
                if inner != 5:
                    continue
                if inner_wire != LEN:
                    raise WireError("a node's metadata is not a string")
                documents.append(parse_json(bytes(data[value[0]:value[1]]), what))
    except WireError as exc:
        raise GuardError("%s is not a readable SavedMetadata protobuf (%s)" % (what, exc)) from None
    return documents


SAVED_MODEL_PB = "saved_model.pb"
KERAS_METADATA_PB = "keras_metadata.pb"
KERAS_IDENTIFIER = "_tf_keras"  # _tf_keras_layer, _tf_keras_network, _tf_keras_model...


def saved_model_user_objects(data, what=SAVED_MODEL_PB):
    """The parsed JSON metadata of the Keras objects in a SavedModel's object graph: where
    tf.keras 2.0-2.4 kept its config, and where Keras 2.5+ still looks when keras_metadata.pb
    has no nodes.

    SavedModel: meta_graphs = 2 -> MetaGraphDef: object_graph_def = 7 -> SavedObjectGraph:
    nodes = 1 -> SavedObject: user_object = 4 -> SavedUserObject: identifier = 1, metadata = 3.
    Every meta graph and every repeated field counts (protobuf keeps the last; check all).
    """
    documents = []
    try:
        for meta in _messages(data, None, 2, "meta_graphs"):
            for graph in _messages(data, meta, 7, "object_graph_def"):
                for node in _messages(data, graph, 1, "a node"):
                    for user in _messages(data, node, 4, "user_object"):
                        documents.extend(_user_object(data, user, what))
    except WireError as exc:
        raise GuardError("%s is not a readable SavedModel protobuf (%s)" % (what, exc)) from None
    return documents


def _messages(data, span, number, what):
    for found, wire, value in fields(data, span):
        if found == number:
            if wire != LEN:
                raise WireError("%s is not a message" % what)
            yield value


def _user_object(data, span, what):
    identifiers, metadata = [], []
    for number, wire, value in fields(data, span):
        if number in (1, 3):
            if wire != LEN:
                raise WireError("a user object's field %d is not a string" % number)
            (identifiers if number == 1 else metadata).append(value)
    keras = any(bytes(data[a:b]).startswith(KERAS_IDENTIFIER.encode()) for a, b in identifiers)
    if not keras:
        return []  # Keras reads the metadata of its own objects only
    return [parse_json(bytes(data[a:b]), what) for a, b in metadata if b > a]


def read_saved_model(path):
    """The parsed Keras JSON of the SavedModel directory `path`: every node of keras_metadata.pb
    (when there is one) and every Keras object's metadata in saved_model.pb. GuardError when
    a file cannot be read or parsed (Keras could still read it: refuse rather than guess)."""
    documents = []
    metadata = os.path.join(path, KERAS_METADATA_PB)
    if os.path.exists(metadata):
        try:
            documents.extend(read_keras_metadata(metadata))
        except OSError as exc:
            raise GuardError("cannot read %s (%s)" % (KERAS_METADATA_PB, exc)) from None
    pb = os.path.join(path, SAVED_MODEL_PB)
    if not os.path.isfile(pb):
        if os.path.exists(os.path.join(path, "saved_model.pbtxt")):
            raise GuardError("saved_model.pbtxt (text format) cannot be checked; convert it to "
                             "saved_model.pb, or pass --unsafe only if you trust it")
        raise GuardError("no %s in %s" % (SAVED_MODEL_PB, path))
    try:
        with open(pb, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if not size:
                raise GuardError("%s is empty" % SAVED_MODEL_PB)
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
                documents.extend(saved_model_user_objects(data))
    except (OSError, ValueError) as exc:
        if isinstance(exc, GuardError):
            raise
        raise GuardError("cannot read %s (%s)" % (SAVED_MODEL_PB, exc)) from None
    return documents


def scan(documents, custom_names=()):
    """Findings over parsed JSON documents (a config, or keras_metadata's nodes).

    custom_names: names of the custom objects the caller supplied (and Keras's registered
    ones): an object outside Keras whose registered name is one of them is taken from there,
    so Keras imports nothing.
    """
    found = Findings()
    custom = frozenset(custom_names)
    code, modules, ops = set(), set(), set()
    for document in documents:
        _walk(document, custom, code, modules, ops)
    found.code = sorted(code)
    found.modules = sorted(modules)
    found.ops = sorted(ops)
    return found


def check(documents, unsafe, what, custom_names=()):
    """GuardError when the documents hold code and `unsafe` is not set."""
    if unsafe:
        return
    found = scan(documents, custom_names)
    if found:
        raise GuardError("refusing to load %s: %s; %s" % (what, found.describe(), UNSAFE_HINT))


def _walk(root, custom, code, modules, ops):
    # Iterative: a hostile file nests deeper than Python's recursion limit allows. `owner` is the
    # name of the object a node belongs to: a model's config repeated inside itself (keras_metadata's
    # "model_config") is the same object, not a nested one.
    stack = [(root, "", None)]
    while stack:
        node, path, owner = stack.pop()
        if isinstance(node, list):
            stack.extend((item, path, owner) for item in node)
            continue
        if not isinstance(node, dict):
            continue
        if "class_name" in node:
            config = node.get("config") if isinstance(node.get("config"), dict) else {}
            name = config.get("name", node.get("name"))
            name = name if isinstance(name, str) and name else None
            if node is root:
                owner = name
            elif name is not None and name != owner:
                path, owner = (path + "/" + name if path else name), name
            _judge(node, config, path or owner or "?", custom, code, modules, ops)
        stack.extend((value, path, owner) for value in node.values())


def _judge(node, config, where, custom, code, modules, ops):
    names = [_last(node.get("class_name")), _last(node.get("registered_name"))]
    if "__lambda__" in names or ("lambda" in names and _lambda_holds_code(config)):
        code.add(where)
    for kind in tfops.OP_LAYERS:
        if kind in names:
            called = tfops.unknown(kind, config)
            if called is not None:
                ops.add("%s (%s)" % (where, called))
    module = node.get("module")
    if module is None or module == "":
        return
    if not isinstance(module, str):
        modules.add(repr(module))
        return
    if module.split(".")[0] in KERAS_PACKAGES:
        return
    if node.get("class_name") == "function":  # Keras 3: function objects are found by their name
        name = node.get("config")
        if module == "builtins" and isinstance(name, str) and name not in RISKY_BUILTINS:
            return
        if name in custom:
            return
    elif node.get("registered_name") in custom or node.get("class_name") in custom:
        return
    modules.add("%s.%s" % (module, node.get("config") if node.get("class_name") == "function"
                           else node.get("class_name")))


def _last(name):
    """The class a (registered) name means, compared without case: "keras.layers>Lambda" -> "lambda"."""
    if not isinstance(name, str):
        return None
    for sep in (">", "."):
        name = name.rsplit(sep, 1)[-1]
    return name.strip().lower()


def _lambda_holds_code(config):
    """Whether a Lambda layer's config carries bytecode; not when it names a function only
    (keras.ops.sum, or one of the custom objects), as tfshift's own conversions write."""
    function, kind = config.get("function"), config.get("function_type")
    named = (isinstance(function, dict) and function.get("class_name") == "function") or (
        kind == "function" and isinstance(function, str))
    code_beside = "lambda" in (config.get("output_shape_type"), config.get("mask_type"))
    return not named or code_beside
