"""## What it does
Finds code that writes TensorBoard summaries: Keras's `TensorBoard` callback and `tf.summary`
(`scalar`, `histogram`, `image`, `text`, `audio`, ...). The upgrade report then names the
package the upgraded code needs: `tensorboard`.

## Why is this bad?
TensorFlow 2.21 no longer depends on TensorBoard (2.20 required `tensorboard~=2.20.0`), and
`tf.summary.scalar` and the other summary ops are TensorBoard's: `pip install tensorflow`
alone then fails at the first summary with `TBNotInstalledError: TensorBoard is not
installed, missing implementation for tf.summary.scalar` (the Keras callback too, at the end
of the first epoch).

## Example
```python
model.fit(x, y, callbacks=[tf.keras.callbacks.TensorBoard("logs")])
```
Use instead: the same code, with `pip install tensorboard` in its environment.

## Fix safety
No fix: the code is right; its environment needs the package, which the upgrade report lists
under what the upgraded code needs.

## Versions affected
TensorFlow 2.21 and later.
"""

from tfshift.code import keras
from tfshift.code.rule import Rule

rule = Rule(__name__, "TFK071", "TensorBoard summaries need the tensorboard package from TF 2.21",
            breaks_at="2.21", severity="warning", fix="none")
# The writer and its context are TensorFlow's own; the summary ops are TensorBoard's.
CORE = {"create_file_writer", "create_noop_writer", "SummaryWriter", "record_if", "should_record_summaries",
        "flush", "experimental"}


@rule.symbols(*keras.paths("callbacks.TensorBoard"))
def callback(ctx, ref):
    if not ref.is_import:
        _report(ctx, ref, "Keras's TensorBoard callback")


@rule.prefixes("tf.summary")
def summary(ctx, ref):
    name = ref.qual[len("tf.summary."):]
    if ref.is_import or not name or name.split(".")[0] in CORE:
        return
    _report(ctx, ref, f"tf.summary.{name}")


def _report(ctx, ref, what):
    state = ctx._state.setdefault("tensorboard-package", set())
    if state:
        return  # once per file: the need is the file's
    state.add(ref.qual)
    ctx.report(ref.node, f"{what} is TensorBoard's, which TensorFlow 2.21 no longer installs: "
               "pip install tensorboard", needs=("package:tensorboard",))
