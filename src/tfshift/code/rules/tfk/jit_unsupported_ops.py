"""## What it does
Finds Keras layers and models whose `call` uses TensorFlow operations XLA cannot compile
(`tf.strings.*`, `tf.py_function`, `tf.numpy_function`, `tf.io.decode_*`...) and reports them.

## Why is this bad?
Keras 3 compiles `fit`, `evaluate` and `predict` with XLA by default when a GPU is present
(`jit_compile="auto"`); Keras 2 did not. Such a model then fails on GPU machines with
`Detected unsupported operations when trying to compile graph ... on XLA_GPU_JIT`, while it
still runs on CPU.

## Example
```python
class Parse(tf.keras.Model):
    def call(self, x):
        return tf.strings.to_number(tf.strings.as_string(x))
```
Use instead:
```python
class Parse(tf.keras.Model):
    def call(self, x):
        return tf.strings.to_number(tf.strings.as_string(x))

model = Parse()
model.compile(optimizer="sgd", loss="mse", jit_compile=False)
```

## Fix safety
No fix: `jit_compile=False` belongs in the `compile` call of each model that holds the layer
(or `model.jit_compile = False` before `predict`), which may be in another file.

## Versions affected
Keras 3 targets: TensorFlow 2.16 and later without `--keras2`.
"""

import ast

from tfshift.code import keras, keras3
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK055", "Keras 3 compiles with XLA on GPU: call() uses ops XLA lacks",
            breaks_at="2.16", severity="warning", fix="none", keras3_only=True)
UNSUPPORTED = ("tf.strings.", "tf.py_function", "tf.numpy_function", "tf.compat.v1.py_func",
               "tf.io.decode_", "tf.io.parse_", "tf.sparse.", "tf.data.", "tf.print")
_WORDS = ("tf.strings", "py_function", "numpy_function", "py_func", "decode_", "parse_",
          "tf.sparse", "tf.print")


@rule.finish
def unsupported(ctx):
    if "def call" not in ctx.text or not any(w in ctx.text for w in _WORDS):
        return
    if not keras.uses_tensorflow_or_keras(ctx):
        return
    for cls in (n for n in ast.walk(ctx.tree) if isinstance(n, ast.ClassDef)):
        for method in cls.body:
            if not (isinstance(method, ast.FunctionDef) and method.name == "call"):
                continue
            op = _first_unsupported(ctx, method)
            if op is not None and keras3.is_keras_class(ctx, cls):
                ctx.report(op[0], f"Keras 3 compiles {cls.name} with XLA on GPU, which has no {op[1]}: "
                           "compile the model with jit_compile=False")


def _first_unsupported(ctx, method):
    for node in ast.walk(method):
        if isinstance(node, ast.Call):
            qual = ctx.bindings.resolve(node.func, (method,))
            if qual and qual.startswith(UNSUPPORTED):
                return node.func, qual
    return None
