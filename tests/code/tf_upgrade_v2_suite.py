"""Replaying tf_upgrade_v2's own test suite against tfshift (used by test_tf_upgrade_v2_suite.py).

The cases are the (before, expected) pairs and expected report messages of TensorFlow's
tensorflow/tools/compatibility/tf_upgrade_v2_test.py (Apache License 2.0, The TensorFlow
Authors), extracted into fixtures/tf_upgrade_v2_suite.json with tfshift's verdict on each:

- same: tfshift writes tf_upgrade_v2's expected text;
- reported: tfshift leaves a finding for a person where tf_upgrade_v2 reports (or rewrites);
- better: tfshift's output differs, for the reason written in the case (`why`), and is pinned
  (`ours`) so that any change of behaviour asks for a new verdict;
- invalid: the input is not valid TF 1.15 code (`why`), so there is nothing to miss;
- option: tf_upgrade_v2 ran with import_rename / upgrade_compat_v1_import, options tfshift does
  not have (`why`).

The suite's inputs are snippets such as `tf.conj(a)` without an import; tfshift resolves names
through imports, so each is given the import it assumes (`import tensorflow as tf`, and for
tf_upgrade_v2's direct-import aliases `from tensorflow.contrib import layers as contrib_layers`
and `import tensorflow.contrib.slim as slim`). Leading imports are set aside before comparing.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from tests.code import tools

DATA = Path(__file__).parent / "fixtures" / "tf_upgrade_v2_suite.json"
SOURCE, TARGET = "1.15", "2.15"  # tf_upgrade_v2's target: TF2 with Keras 2 and tf.estimator


def load() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def prelude(text: str) -> str:
    lines = []
    if not re.search(r"^\s*(import|from) tensorflow", text, re.M):
        lines.append("import tensorflow as tf\n")
    for alias in sorted(set(re.findall(r"\bcontrib_(\w+)\.", text))):
        lines.append(f"from tensorflow.contrib import {alias} as contrib_{alias}\n")
    if re.search(r"\bslim\.", text):
        lines.append("import tensorflow.contrib.slim as slim\n")
    return "".join(lines)


@cache
def _engine():
    return tools.engine(SOURCE, TARGET)


def replay(before: str) -> tuple[str, list[str], list[str]]:
    """(tfshift's output without the leading imports it was given or wrote, ids applied, ids left)."""
    head = prelude(before)
    new, applied, analysis = _engine().upgrade_text(head + before)
    assert not analysis.internal, analysis.internal
    if head:
        kept = new.splitlines(keepends=True)
        while kept and re.match(r"(import|from) \S", kept[0]) and kept[0] not in before:
            kept.pop(0)
        new = "".join(kept)
    return new, sorted({f.id for f in applied}), [f.id for f in analysis.findings]
