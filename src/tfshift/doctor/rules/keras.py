"""TFD401-TFD405: Keras, tf-keras, TF_USE_LEGACY_KERAS and tensorflow-estimator."""

from __future__ import annotations

from collections.abc import Iterator

from packaging.version import Version

from tfshift.doctor import matrix
from tfshift.doctor.findings import Finding, Rule, rule
from tfshift.doctor.rules.common import (
    both,
    contains,
    declared,
    minor_text,
    recommended,
    spec_text,
    tf_label,
)
from tfshift.doctor.snapshot import Snapshot, minor_of

KERAS3_TF = Version("2.16")  # tf.keras is Keras 3 from 2.16 (release notes, Breaking Changes)
LEGACY_FLAG_TF = Version("2.15")  # TF_USE_LEGACY_KERAS is read from 2.15 on (python/util/lazy_loader.py)
# Libraries written against Keras 2 (tf.keras before 2.16): they need tf-keras with TF 2.16+.
# (TensorFlow Probability imports tf_keras itself; TFD502 checks it.)
KERAS2_LIBRARIES = ("tensorflow-hub", "tensorflow-addons", "tensorflow-model-optimization",
                    "tensorflow-decision-forests", "tensorflow-recommenders")


def _evidence(s: Snapshot, name: str) -> dict:
    dist = s.dist(name)
    return {name: dist.raw_version if dist else None, "tensorflow": s.tf.raw_version if s.tf else None,
            "TF_USE_LEGACY_KERAS": s.environ.get("TF_USE_LEGACY_KERAS")}


def tf_keras_requirement(s: Snapshot) -> str:
    minor = minor_text(s.tf_version)
    if minor in matrix.companion_minors("tf-keras"):
        return f"tf-keras~={minor}.0"
    return "tf-keras"


@rule("TFD401", "keras-does-not-match-tf", severity="error",
      summary="The installed keras is not the Keras this TensorFlow's tf.keras needs", catalog=("E26", "E27", "E28"),
      fix="pip install keras for this TensorFlow")
def keras_does_not_match_tf(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Checks the `keras` distribution against the TensorFlow release:

    - 2.16 and newer: `tf.keras` is Keras 3 (`keras>=3`, at least the version TensorFlow
      declares). Keras 2 there is an error.
    - 2.6 to 2.15: `tf.keras` is the `keras` package of the same minor; another minor, or no
      keras, is an error. Keras 3 with 2.15 is a warning (nothing when `TF_USE_LEGACY_KERAS=1`
      routes `tf.keras` to an installed tf-keras).
    - Before 2.6: standalone keras 2.4/2.5 needs TensorFlow 2.2; keras 2.6 and newer belong to
      a newer TensorFlow.

    ## Why is this bad?
    `tf.keras` is whatever the `keras` package provides. Keras 2 under 2.16+: "module
    'tensorflow.compat.v2' has no attribute '__internal__'" or `No module named
    'keras.src.engine'` (catalog E27, E28). Another minor under 2.6 to 2.15 fails at `tf.keras`
    (E27); no keras at all: "Keras cannot be imported". Keras 3 with 2.15 imports, but
    `tf.keras` becomes Keras 3 and code written for Keras 2 breaks. keras 2.4/2.5 with
    TensorFlow before 2.2: "Keras requires TensorFlow 2.2 or higher" (E26).

    ## Example
    `pip install keras==2.15.0` in a TensorFlow 2.21 environment:

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD401 keras 2.15.0 is Keras 2, but tf.keras of TensorFlow 2.21.0 is Keras 3 (TensorFlow 2.16 moved to Keras 3; Keras 2 code needs tf-keras and TF_USE_LEGACY_KERAS=1)
    To fix, run:
      /proj/.venv/bin/python -m pip install 'keras>=3.12.0'
    ```

    ## Fix
    Install the keras of your TensorFlow (for Keras 2 code on 2.16+, see TFD403/TFD404:
    `tf-keras` and `TF_USE_LEGACY_KERAS=1`).
    """
    tf = s.tf_version
    if tf is None:
        return
    keras = s.version("keras")
    evidence = _evidence(s, "keras")
    evidence["tensorflow_requires"] = spec_text(declared(s, "keras"))
    if tf >= KERAS3_TF:
        legacy = s.env_flag_legacy_keras and s.dist("tf-keras") is not None
        if keras is None:
            yield r.finding(f"keras is not installed; tf.keras of {tf_label(s)} is Keras 3 from the keras package",
                            evidence=evidence, fix=s.fix.install(recommended(s, "keras", ">=3")),
                            severity="warning" if legacy else "error")
        elif keras < Version("3"):
            yield r.finding(f"keras {keras} is Keras 2, but tf.keras of {tf_label(s)} is Keras 3 (TensorFlow 2.16 "
                            "moved to Keras 3; Keras 2 code needs tf-keras and TF_USE_LEGACY_KERAS=1)",
                            evidence=evidence, fix=s.fix.install(recommended(s, "keras", ">=3")))
        else:
            req = declared(s, "keras")
            if req is not None and not contains(req.specifier, keras):
                yield r.finding(f"keras {keras} is older than {tf_label(s)} needs ({spec_text(req)})",
                                evidence=evidence, fix=s.fix.install(recommended(s, "keras")), severity="warning")
        return
    if tf >= Version("2.6"):
        want = f"keras~={minor_text(tf)}.0"
        if keras is None:
            yield r.finding(f"keras is not installed; tf.keras of {tf_label(s)} is the keras {minor_text(tf)} package",
                            evidence=evidence, fix=s.fix.install(want))
        elif minor_of(keras) != minor_of(tf):
            if keras >= Version("3") and minor_of(tf) == (2, 15):
                if s.env_flag_legacy_keras and s.dist("tf-keras") is not None:
                    return  # keras.io's setup: Keras 3 beside TF 2.15, tf.keras routed to tf-keras
                yield r.finding(f"keras {keras} turns tf.keras of {tf_label(s)} into Keras 3; code written "
                                "for tf.keras (Keras 2) breaks", evidence=evidence, fix=s.fix.install(want),
                                severity="warning")
            else:
                yield r.finding(f"keras {keras} does not match {tf_label(s)}: tf.keras needs keras {minor_text(tf)}",
                                evidence=evidence, fix=s.fix.install(want))
        return
    if keras is None:
        return
    if keras >= Version("3"):
        yield r.finding(f"keras {keras} needs TensorFlow 2.16 or newer as its backend; {tf_label(s)} is older",
                        evidence=evidence, fix=s.fix.uninstall("keras"), severity="warning")
    elif keras >= Version("2.6"):
        yield r.finding(f"keras {keras} belongs to TensorFlow {minor_text(keras)}; with {tf_label(s)} use tf.keras",
                        evidence=evidence, fix=s.fix.uninstall("keras"))
    elif keras >= Version("2.4") and tf < Version("2.2"):
        yield r.finding(f"keras {keras} requires TensorFlow 2.2 or newer ('Keras requires TensorFlow 2.2 or higher')",
                        evidence=evidence, fix=s.fix.install("keras<2.4"))


@rule("TFD402", "tf-keras-does-not-match-tf", severity="error", versions=">=2.14",
      summary="tf-keras of another minor than TensorFlow", catalog=("E27",), fix="pip install tf-keras~=X.Y.0")
def tf_keras_does_not_match_tf(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    `tf-keras` (Keras 2 for TensorFlow 2.16+) X.Y is built for TensorFlow X.Y only; its
    metadata says `tensorflow>=X.Y,<X.(Y+1)`. This checks the minors agree.

    ## Why is this bad?
    A tf-keras newer than TensorFlow uses internals TensorFlow does not have yet ("module
    'tensorflow._api.v2.compat.v2.__internal__' has no attribute 'register_load_context_function'",
    catalog E27); an older one uses internals that were removed.

    ## Example
    tf-keras 2.20.1 left in an environment upgraded to TensorFlow 2.21:

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD402 tf-keras 2.20.1 does not match TensorFlow 2.21.0 (tf-keras 2.20 is built for TensorFlow 2.20)
    To fix, run:
      /proj/.venv/bin/python -m pip install 'tf-keras~=2.21.0'
    ```

    ## Fix
    Install `tf-keras~=X.Y.0` for TensorFlow X.Y.
    """
    pair = both(s, "tf-keras")
    if pair is None or minor_of(pair[1]) == minor_of(pair[0]):
        return
    found = pair[1]
    want = tf_keras_requirement(s)
    fix = s.fix.install(want) if want != "tf-keras" else s.fix.uninstall("tf-keras")
    yield r.finding(f"tf-keras {found} does not match {tf_label(s)} (tf-keras {minor_text(found)} is built for "
                    f"TensorFlow {minor_text(found)})", evidence=_evidence(s, "tf-keras"), fix=fix)


@rule("TFD403", "legacy-keras-without-tf-keras", severity="error", versions=">=2.15",
      summary="TF_USE_LEGACY_KERAS is set but tf-keras is not installed", catalog=("E28",),
      fix="pip install tf-keras~=X.Y.0")
def legacy_keras_without_tf_keras(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    From TensorFlow 2.15, `TF_USE_LEGACY_KERAS=1` (or `true`/`True`) routes `tf.keras` to the
    `tf_keras` package. This checks that the package is there.

    ## Why is this bad?
    TensorFlow logs "Your environment has TF_USE_LEGACY_KERAS set to True, but you do not have
    the tf_keras package installed" and `tf.keras` fails with "Keras cannot be imported"
    (catalog E28).

    ## Example
    `TF_USE_LEGACY_KERAS=1` exported for a TensorFlow 2.21 environment without tf-keras:

    ```
    $ TF_USE_LEGACY_KERAS=1 tfshift doctor --python .venv
    error (1)
      TFD403 TF_USE_LEGACY_KERAS=1 asks TensorFlow 2.21.0 for tf_keras, which is not installed
    To fix, run:
      /proj/.venv/bin/python -m pip install 'tf-keras~=2.21.0'
    ```

    ## Fix
    Install `tf-keras~=X.Y.0` for TensorFlow X.Y, or unset the variable.
    """
    if s.tf_version is None or s.tf_version < LEGACY_FLAG_TF or not s.env_flag_legacy_keras:
        return
    if s.dist("tf-keras") is not None:
        return
    yield r.finding(f"TF_USE_LEGACY_KERAS={s.environ.get('TF_USE_LEGACY_KERAS')} asks {tf_label(s)} for tf_keras, "
                    "which is not installed", evidence=_evidence(s, "tf-keras"), fix=s.fix.install(tf_keras_requirement(s)))


@rule("TFD404", "keras-2-library-with-keras-3", severity="warning", versions=">=2.16",
      summary="A Keras 2 library (TF Hub, Addons, Model Optimization, ...) with TensorFlow 2.16+ not set up for Keras 2",
      catalog=("E28", "E29"), fix="tf-keras + TF_USE_LEGACY_KERAS=1")
def keras_2_library_with_keras_3(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    With TensorFlow 2.16 or newer, looks for libraries written against Keras 2
    (`tensorflow-hub`, `tensorflow-addons`, `tensorflow-model-optimization`,
    `tensorflow-decision-forests`, `tensorflow-recommenders`) while `tf.keras` is Keras 3:
    tf-keras missing, or `TF_USE_LEGACY_KERAS` not set. (TensorFlow Probability is TFD502's.)

    ## Why is this bad?
    Their layers are Keras 2 objects: "Only instances of `keras.Layer` can be added to a
    Sequential model. Received: <tensorflow_hub.keras_layer.KerasLayer ...>" (catalog E28),
    "Failed to import TF-Keras" (E29).

    ## Example
    tensorflow-hub 0.16.1 with TensorFlow 2.21, neither tf-keras nor the variable set up:

    ```
    $ tfshift doctor --python .venv
    warning (1)
      TFD404 tensorflow-hub 0.16.1 uses Keras 2, but tf.keras of TensorFlow 2.21.0 is Keras 3 (missing: tf-keras, TF_USE_LEGACY_KERAS=1)
    To fix, run:
      /proj/.venv/bin/python -m pip install 'tf-keras~=2.21.0' && export TF_USE_LEGACY_KERAS=1
    ```

    ## Fix
    Install `tf-keras~=X.Y.0` and set `TF_USE_LEGACY_KERAS=1` for every process that uses them
    (or port the code to Keras 3 equivalents).
    """
    if s.tf_version is None or s.tf_version < KERAS3_TF:
        return
    libraries = [s.dist(n) for n in KERAS2_LIBRARIES if s.dist(n) is not None]
    if not libraries:
        return
    has_tf_keras = s.dist("tf-keras") is not None
    if has_tf_keras and s.env_flag_legacy_keras:
        return
    missing = [] if has_tf_keras else ["tf-keras"]
    if not s.env_flag_legacy_keras:
        missing.append("TF_USE_LEGACY_KERAS=1")
    fix = "export TF_USE_LEGACY_KERAS=1"
    if not has_tf_keras:
        fix = s.fix.install(tf_keras_requirement(s)) + " && " + fix
    names = ", ".join(d.label() for d in libraries)
    verb = "uses" if len(libraries) == 1 else "use"
    yield r.finding(f"{names} {verb} Keras 2, but tf.keras of {tf_label(s)} is Keras 3 (missing: {', '.join(missing)})",
                    evidence={"libraries": [d.label() for d in libraries], "tf_keras": has_tf_keras,
                              "TF_USE_LEGACY_KERAS": s.environ.get("TF_USE_LEGACY_KERAS")}, fix=fix)


@rule("TFD405", "tensorflow-estimator-does-not-match-tf", severity="error",
      summary="tensorflow-estimator of another minor, or next to TensorFlow 2.16+ which removed tf.estimator",
      fix="pip install tensorflow-estimator~=X.Y.0 / uninstall")
def tensorflow_estimator_does_not_match_tf(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Checks that `tensorflow-estimator` X.Y serves TensorFlow X.Y (its metadata declares nothing,
    so pip cannot see a mismatch), and that no estimator sits next to TensorFlow 2.16+. An error
    for 1.x, a warning for 2.x and for 2.16+.

    ## Why is this bad?
    TensorFlow 1.x imports the estimator during `import tensorflow`, so another minor breaks the
    import; 2.x loads it on first use of `tf.estimator`, where it breaks then. TensorFlow 2.16
    removed `tf.estimator` ("To continue using tf.estimator, you will need to use TF 2.15 or an
    earlier version"): an estimator there is dead weight, or code that still needs 2.15.

    ## Example
    tensorflow-estimator 2.15.0 left behind by an upgrade to TensorFlow 2.21:

    ```
    $ tfshift doctor --python .venv
    warning (1)
      TFD405 tensorflow-estimator 2.15.0 is installed, but TensorFlow 2.21.0 has no tf.estimator (removed in 2.16)
    To fix, run:
      /proj/.venv/bin/python -m pip uninstall -y tensorflow-estimator
    ```

    ## Fix
    Install the estimator of your TensorFlow minor, or uninstall it on 2.16+ (and port
    Estimator code to Keras).
    """
    pair = both(s, "tensorflow-estimator")
    if pair is None:
        return
    found = pair[1]
    evidence = _evidence(s, "tensorflow-estimator")
    if s.tf_version >= KERAS3_TF:
        yield r.finding(f"tensorflow-estimator {found} is installed, but {tf_label(s)} has no tf.estimator "
                        "(removed in 2.16)", evidence=evidence, fix=s.fix.uninstall("tensorflow-estimator"),
                        severity="warning")
    elif minor_of(found) != minor_of(s.tf_version):
        severity = "error" if s.tf_version < Version("2") else "warning"
        yield r.finding(f"tensorflow-estimator {found} does not match {tf_label(s)}", evidence=evidence,
                        fix=s.fix.install(recommended(s, "tensorflow-estimator", f"~={minor_text(s.tf_version)}.0")),
                        severity=severity)

