"""TF1 layer calls -> Keras 3 expressions, with TF1's defaults written where Keras's differ.

Pure `ast` work on one call: the family module (layers.py) finds the calls and turns the result
into edits. The table (layers_table.py) says what each parameter becomes; this module applies it:
binds the call's arguments to TF1's signature, translates initializers, regularizers, padding,
data formats, `keep_prob`, the training flag, contrib's `normalizer_fn` and `activation_fn`, and
says `cannot` (with the reason) for anything it could not carry over exactly.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tfshift.native import layers_table as table


@dataclass
class Result:
    text: str | None = None
    cannot: str | None = None
    notes: list[str] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # keras / TF paths spelled (imports to add)


class Cannot(Exception):
    pass


@dataclass
class Writer:
    """What the rewrite needs from the file: source text of a node, the TF1 name an expression
    means (None when it is not TensorFlow), and how to spell a `keras.` / `tf.` path here."""

    segment: Callable[[ast.AST], str]
    resolve: Callable[[ast.AST], str | None]
    spell: Callable[[str], str] = lambda qual: qual
    # The dict a name stands for when it is bound once to a dict written out and never changed
    # (`batch_norm_params = {...}` passed as normalizer_params); else the node itself.
    value: Callable[[ast.expr], ast.expr] = lambda node: node
    # Where a layer object goes: given its constructor text, the name it would have and whether
    # the call names it, the text that calls it. Inline by default (`keras.layers.Dense(3)(x)`);
    # the family hoists module-level ones into a statement of their own
    # (`dense = keras.layers.Dense(3)`).
    # (the name keyword's source text, or None). Files that share variables by TF1 name send
    # layers with weights to the tf1_scopes registry (sharing.py) and may pass `reuse`.
    layer: Callable[[str, str, str | None], str] = lambda constructor, name, named: constructor
    shared: bool = False
    used: set[str] = field(default_factory=set)

    def path(self, qual: str) -> str:
        self.used.add(qual)
        return self.spell(qual)


def canonical(name: str) -> str:
    """slim.X and tf_slim.X are tf.contrib.layers.X; compat.v1 spellings are TF1 names."""
    for prefix in ("tf.compat.v1.", "tensorflow.compat.v1.", "tensorflow."):
        if name.startswith(prefix):
            name = "tf." + name[len(prefix):]
    for prefix in ("tf.contrib.slim.", "tf_slim.", "tf.contrib.framework.", "tf_slim.layers."):
        if name.startswith(prefix):
            tail = name[len(prefix):]
            return table.SLIM_ALIASES.get(tail, "tf.contrib.layers." + tail)
    if name.startswith("tf.contrib.layers.python.layers.layers."):
        return "tf.contrib.layers." + name.rsplit(".", 1)[1]
    return name


# --- literal values -----------------------------------------------------------------------------

_MISSING = object()


def _literal(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _MISSING


def _same(a: str | None, b: str | None) -> bool:
    """Whether two source texts are the same value (1 and (1, 1) are, for strides)."""
    if a is None or b is None:
        return a is b
    x, y = _literal(a), _literal(b)
    if x is _MISSING or y is _MISSING:
        return a.strip() == b.strip()
    if isinstance(x, str) and isinstance(y, str):
        return x.lower() == y.lower()
    if isinstance(x, (tuple, list)) and isinstance(y, int) and not isinstance(y, bool):
        x, y = y, x
    if isinstance(x, int) and not isinstance(x, bool) and isinstance(y, (tuple, list)):
        return all(v == x for v in y) and len(y) > 0
    if isinstance(x, (tuple, list)) and isinstance(y, (tuple, list)):
        return list(x) == list(y)
    return (type(x) is type(y) and x == y) or (
        isinstance(x, (int, float)) and isinstance(y, (int, float))
        and not isinstance(x, bool) and not isinstance(y, bool) and x == y)


def _number(value: float) -> str:
    return repr(float(value))


# --- arguments ----------------------------------------------------------------------------------


def bind(params: tuple[table.Param, ...], call: ast.Call, what: str) -> dict[str, ast.expr]:
    """The call's arguments by TF1 parameter name."""
    bound: dict[str, ast.expr] = {}
    for index, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            raise Cannot(f"{what}: arguments passed with * cannot be matched to TF1's defaults")
        if index >= len(params):
            raise Cannot(f"{what}: more positional arguments than TF1 takes")
        bound[params[index].name] = arg
    names = {p.name for p in params}
    for keyword in call.keywords:
        if keyword.arg is None:
            raise Cannot(f"{what}: arguments passed with ** cannot be matched to TF1's defaults")
        if keyword.arg not in names:
            raise Cannot(f"{what}: TF1 has no argument {keyword.arg!r}")
        bound[keyword.arg] = keyword.value
    for p in params:
        if p.default is table.REQUIRED and p.name not in bound and p.kind != table.SPECIAL:
            raise Cannot(f"{what}: the required argument {p.name!r} is missing")
    return bound


def _is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


# --- initializers and regularizers --------------------------------------------------------------

_CONTRIB_MODES = {"FAN_IN": "fan_in", "FAN_OUT": "fan_out", "FAN_AVG": "fan_avg"}


def _call_name(w: Writer, node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        name = w.resolve(node.func)
        return canonical(name) if name else None
    return None


def initializer(w: Writer, node: ast.expr) -> str:
    """The Keras 3 initializer for a TF1 initializer expression (a call to a known TF1
    initializer is translated; a string or a name is kept: a name's definition is a call this
    rewrites where it stands)."""
    name = _call_name(w, node)
    if name is None:
        return w.segment(node)
    if name in table.INITIALIZERS:
        spec = table.INITIALIZERS[name]
        bound = bind(spec.params, node, name)
        args = []
        for p in spec.params:
            given = bound.get(p.name)
            if p.kind == table.DROP:
                continue
            if p.kind == table.UNSUPPORTED:
                if given is not None and not _same(w.segment(given), p.default):
                    raise Cannot(f"{name}({p.name}=...): {p.why}")
                continue
            text = w.segment(given) if given is not None else p.default
            if p.name == "maxval" and _is_none(given):
                text = "1.0"
            if p.name == "mode" and given is not None:
                mode = _literal(text)
                if not isinstance(mode, str):
                    raise Cannot(f"{name}: mode must be a literal here")
            if not _same(text, p.keras_default):
                args.append(f"{p.to or p.name}={text}")
        return f"{w.path('keras.initializers.' + spec.keras)}({', '.join(args)})"
    if name in table.CONTRIB_INITIALIZERS:
        params = table.CONTRIB_INITIALIZERS[name]
        bound = bind(params, node, name)

        def value(pname: str) -> str:
            given = bound.get(pname)
            return w.segment(given) if given is not None else next(
                p.default for p in params if p.name == pname)

        uniform = _literal(value("uniform"))
        if not isinstance(uniform, bool):
            raise Cannot(f"{name}: `uniform` must be True or False written out")
        seed = bound.get("seed")
        seed_arg = [f"seed={w.segment(seed)}"] if seed is not None and not _is_none(seed) else []
        if name.endswith("xavier_initializer") or name.endswith("xavier_initializer_conv2d"):
            factor, mode = "1.0", "fan_avg"
            if uniform:
                return f"{w.path('keras.initializers.GlorotUniform')}({', '.join(seed_arg)})"
        else:
            factor = value("factor")
            mode = _literal(value("mode"))
            if mode not in _CONTRIB_MODES:
                raise Cannot(f"{name}: mode must be 'FAN_IN', 'FAN_OUT' or 'FAN_AVG' written out")
            mode = _CONTRIB_MODES[mode]
        if uniform:
            scale, distribution = factor, "uniform"
        else:
            # contrib: truncated normal with stddev sqrt(1.3 * factor / n); Keras:
            # sqrt(scale / n) / 0.8796...
            ratio = table.CONTRIB_TRUNCATED_FACTOR * table.TRUNCATED_STDDEV ** 2
            number = _literal(factor)
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                scale = _number(number * ratio)
            else:
                scale = f"{_number(ratio)} * ({factor})"
            distribution = "truncated_normal"
        args = [f"scale={scale}", f'mode="{mode}"', f'distribution="{distribution}"', *seed_arg]
        return f"{w.path('keras.initializers.VarianceScaling')}({', '.join(args)})"
    if name.startswith("tf.keras.initializers."):
        return w.segment(node)
    raise Cannot(f"{name} is not an initializer this rewrite knows")


def regularizer(w: Writer, node: ast.expr) -> str:
    name = _call_name(w, node)
    if name is None:
        return w.segment(node)
    if name in table.REGULARIZERS:
        cls, factor = table.REGULARIZERS[name]
        if len(node.args) + len(node.keywords) < 1:
            raise Cannot(f"{name}: the scale is missing")
        scale_node = node.args[0] if node.args else next(
            (k.value for k in node.keywords if k.arg in ("scale", "l", "l1", "l2")), None)
        if scale_node is None:
            raise Cannot(f"{name}: the scale is missing")
        scale = w.segment(scale_node)
        if factor != 1.0:
            number = _literal(scale)
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                scale = _number(number * factor)
            else:
                scale = f"{factor} * ({scale})"
        return f"{w.path('keras.regularizers.' + cls)}({scale})"
    raise Cannot(f"{name} is not a regularizer this rewrite knows")


# --- layers -------------------------------------------------------------------------------------

_FIRST = {"channels_first", "NCHW", "NCW", "NCDHW"}
_LAST = {"channels_last", "NHWC", "NWC", "NDHWC", None}


def _channels_first(text: str, what: str) -> bool:
    value = _literal(text)
    if value in _FIRST:
        return True
    if value in _LAST:
        return False
    raise Cannot(f"{what}: data_format must be written out (NHWC, NCHW, channels_last, ...)")


def _apply(w: Writer, activation: str, inner: str) -> str:
    value = _literal(activation)
    if isinstance(value, str):
        return f"{w.path('keras.activations.' + value)}({inner})"
    return f"{activation}({inner})"


def layer_call(w: Writer, name: str, call: ast.Call,
               extra: dict[str, ast.expr] | None = None) -> Result:
    """The Keras 3 expression for `call`, a call of the TF1 layer function `name`; `extra`:
    arguments an enclosing slim.arg_scope gives where the call does not."""
    result = Result()
    try:
        result.text = _layer(w, table.LAYERS[name], call, result.notes, extra=extra)
    except Cannot as exc:
        result.cannot = str(exc)
    result.names = set(w.used)
    return result


def _layer(w: Writer, spec: table.Layer, call: ast.Call | None, notes: list[str],
           input_text: str | None = None, extra: dict[str, ast.expr] | None = None) -> str:
    what = spec.tf1
    bound = bind(spec.params, call, what) if call is not None else {}
    for key, value in (extra or {}).items():
        bound.setdefault(key, value)
    texts = {k: w.segment(v) for k, v in bound.items()}
    cls = spec.keras
    positional: list[str] = []
    keywords: list[tuple[str, str]] = []
    call_kw: list[tuple[str, str]] = []
    inputs = input_text
    activation_after: str | None = None
    normalizer: tuple[ast.expr, ast.expr | None] | None = None
    no_bias = False

    for p in spec.params:
        node = bound.get(p.name)
        text = texts.get(p.name, p.default)
        kind = p.kind
        to = p.to or p.name
        if kind == table.INPUT:
            if inputs is None:
                inputs = text
        elif kind == table.DROP:
            pass
        elif kind == table.UNSUPPORTED:
            if node is not None and not _same(text, p.default):
                raise Cannot(f"{what}({p.name}=...): {p.why}")
        elif kind == table.NAME:
            if node is not None and not _is_none(node):
                keywords.append(("name", text))
        elif kind == table.REUSE:
            if node is not None and _literal(text) not in (None, False) and not w.shared:
                raise Cannot(f"{what}(reuse=...): shares the variables of an earlier call by "
                             "scope name; in Keras one layer object is created once and called "
                             "again")
        elif kind == table.CALL:
            if _literal(text) is _MISSING:
                notes.append(f"training={text}: Keras 3 layers take a Python bool here; a "
                             "boolean tensor is an error")
            call_kw.append(("training", text))
        elif kind == table.KEEP_PROB:
            value = _literal(text)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise Cannot(f"{what}: keep_prob={text} is not a number written out; "
                             "keras.layers.Dropout takes a Python float (tf.nn.dropout(x, "
                             "rate=1 - keep_prob) takes a tensor)")
            # 1 - 0.8 is 0.19999999999999996 in float64; the op computes in float32, where
            # the shortest decimal is the same number.
            positional.append(_number(round(1 - value, 12)))
        elif kind == table.ACTIVATION:
            if _literal(text) is not None:
                keywords.append((to, text))
        elif kind == table.PADDING:
            value = _literal(text)
            if isinstance(value, str):
                if value.lower() not in ("same", "valid"):
                    raise Cannot(f"{what}: padding {text}")
                if not _same(f'"{value.lower()}"', p.keras_default):
                    keywords.append((to, f'"{value.lower()}"'))
            else:
                keywords.append((to, text))  # Keras lowercases it too
        elif kind == table.DATA_FORMAT:
            if _channels_first(text, what):
                keywords.append((to, '"channels_first"'))
        elif kind == table.INIT:
            if node is not None and _is_none(node):
                if p.name == "biases_initializer":
                    no_bias = True  # contrib: no biases at all
                    continue
                if not p.name.startswith(("kernel", "weights", "depthwise", "pointwise",
                                          "initializer")):
                    raise Cannot(f"{what}({p.name}=None): TF1 then used tf.get_variable's "
                                 "glorot_uniform; write the initializer out")
                value = '"glorot_uniform"'  # tf.get_variable's default
            else:
                value = initializer(w, node) if node is not None else text
            if not _same(value, p.keras_default):
                keywords.append((to, value))
        elif kind == table.REG:
            if node is not None and not _is_none(node):
                keywords.append((to, regularizer(w, node)))
                if table.REGULARIZER_NOTE not in notes:
                    notes.append(table.REGULARIZER_NOTE)
        elif kind == table.SPECIAL:
            if p.name == "normalizer_fn":
                if node is not None and not _is_none(node):
                    normalizer = (node, bound.get("normalizer_params"))
            elif p.name == "normalizer_params":
                pass  # read with normalizer_fn
            elif p.name == "activation_fn":  # batch_norm's, applied after it
                if node is not None and not _is_none(node):
                    activation_after = text
            elif p.name in ("param_initializers", "param_regularizers"):
                if node is not None and not _is_none(node):
                    keywords.extend(_params_dict(w, what, p.name, node))
            elif p.name == "data_format":  # batch_norm's: the channel axis
                if _channels_first(text, what):
                    keywords.append(("axis", "1"))
            elif p.name == "num_outputs":  # separable_conv2d: None is depthwise only
                if node is None or _is_none(node):
                    cls = "DepthwiseConv2D"
                else:
                    positional.append(text)
            elif p.name == "pointwise_initializer":
                if cls == "DepthwiseConv2D":
                    continue
                if node is None or _is_none(node):
                    # None takes weights_initializer (TF1: same initializer, fresh draws).
                    source = bound.get("weights_initializer")
                    if source is None or _is_none(source):
                        continue
                    value = initializer(w, source)
                else:
                    value = initializer(w, node)
                if not _same(value, p.keras_default):
                    keywords.append((to, value))
            elif node is not None and not _is_none(node):
                raise Cannot(f"{what}({p.name}=...): not carried over")
        elif p.keras_default is None:  # SAME, required in Keras: positional
            positional.append(text)
        elif not _same(text, p.keras_default):
            keywords.append((to, text))

    if no_bias or normalizer is not None:
        keywords = [(k, v) for k, v in keywords if k != "bias_initializer"]
        keywords.append(("use_bias", "False"))
    if normalizer is not None:
        # contrib: with a normalizer_fn there are no biases and the activation comes after it.
        activation_after = next((v for k, v in keywords if k == "activation"), None)
        keywords = [(k, v) for k, v in keywords if k != "activation"]
    if cls == "BatchNormalization":
        eps = _literal(texts.get("epsilon", "0.001"))
        if isinstance(eps, (int, float)) and eps < 1.001e-5:
            notes.append("epsilon below 1.001e-5: TF1's fused batch norm (4-D inputs) raised it "
                         "to 1.001e-5; Keras 3 uses it as written")
    if spec.note and spec.note not in notes:
        notes.append(spec.note)
    if inputs is None:
        raise Cannot(f"{what}: no input")
    args = ", ".join([*positional, *(f"{k}={v}" for k, v in keywords)])
    call_args = ", ".join([inputs, *(f"{k}={v}" for k, v in call_kw)])
    named = next((_literal(v) for k, v in keywords if k == "name"), None)
    layer = w.layer(f"{w.path('keras.layers.' + cls)}({args})",
                    named if isinstance(named, str) else _snake(cls),
                    next((v for k, v in keywords if k == "name"), None))
    text = f"{layer}({call_args})"
    if normalizer is not None:
        text = _normalize(w, what, normalizer[0], normalizer[1], text, notes)
    if activation_after is not None:
        text = _apply(w, activation_after, text)
    return text


def _snake(cls: str) -> str:
    """Keras's own default layer name for a class (its to_snake_case): Conv2D -> conv2d,
    Conv2DTranspose -> conv2d_transpose, BatchNormalization -> batch_normalization."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", cls)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _params_dict(w: Writer, what: str, pname: str, node: ast.expr) -> list[tuple[str, str]]:
    if not isinstance(node, ast.Dict) or not all(
            isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.keys):
        raise Cannot(f"{what}({pname}=...): only a dict written out can be carried over")
    out = []
    for key, value in zip(node.keys, node.values, strict=True):
        if key.value not in ("beta", "gamma", "moving_mean", "moving_variance"):
            raise Cannot(f"{what}({pname}): unknown key {key.value!r}")
        if pname == "param_initializers":
            out.append((f"{key.value}_initializer", initializer(w, value)))
        elif key.value in ("beta", "gamma"):
            out.append((f"{key.value}_regularizer", regularizer(w, value)))
        else:
            raise Cannot(f"{what}({pname}): Keras cannot regularize {key.value}")
    return out


def _normalize(w: Writer, what: str, fn: ast.expr, params: ast.expr | None, inner: str,
               notes: list[str]) -> str:
    """contrib's normalizer_fn(inner, **normalizer_params): contrib/slim batch_norm is
    translated with those parameters; another function is called as written."""
    if params is not None:
        params = w.value(params)
    if params is not None and not _is_none(params) and not (
            isinstance(params, ast.Dict) and all(
                isinstance(k, ast.Constant) and isinstance(k.value, str) for k in params.keys)):
        raise Cannot(f"{what}(normalizer_params=...): only a dict written out can be carried over")
    entries = {} if params is None or _is_none(params) else {
        k.value: v for k, v in zip(params.keys, params.values, strict=True)}
    name = w.resolve(fn)
    name = canonical(name) if name else None
    if name in table.LAYERS:
        spec = table.LAYERS[name]
        unknown = set(entries) - {p.name for p in spec.params}
        if unknown:
            raise Cannot(f"{what}(normalizer_params): {name} has no {sorted(unknown)}")
        return _layer(w, spec, None, notes, input_text=inner, extra=entries)
    if name is not None:
        raise Cannot(f"{what}(normalizer_fn={w.segment(fn)}): not carried over")
    args = [inner, *(f"{k}={w.segment(v)}" for k, v in entries.items())]
    return f"{w.segment(fn)}({', '.join(args)})"
