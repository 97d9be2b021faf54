"""TFD501-TFD505: TensorFlow Text, Probability, Addons and I/O against the installed TensorFlow.

Their TensorFlow range is enforced at import time or lives in extras, so pip never sees it.
"""

from __future__ import annotations

from collections.abc import Iterator

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from tfshift.doctor import matrix
from tfshift.doctor.findings import Finding, Rule, rule
from tfshift.doctor.fixes import note
from tfshift.doctor.rules.common import both, contains, minor_text, tf_label
from tfshift.doctor.rules.keras import tf_keras_requirement
from tfshift.doctor.snapshot import Snapshot, minor_of


def _evidence(s: Snapshot, name: str, **more) -> dict:
    dist = s.dist(name)
    return {name: dist.raw_version if dist else None, "tensorflow": s.tf.raw_version if s.tf else None, **more}


def _entry_for(releases: dict[str, dict], version: Version) -> tuple[str, dict] | None:
    """The table entry of this release, else of the newest release before it."""
    if str(version) in releases:
        return str(version), releases[str(version)]
    older = [Version(v) for v in releases if Version(v) <= version]
    if not older:
        return None
    key = str(max(older))
    return key, releases[key]


def _release_for_tf(releases: dict[str, dict], tf: Version) -> str | None:
    """The newest companion release whose declared TensorFlow range contains `tf`."""
    fits = []
    for version, entry in releases.items():
        try:
            spec = SpecifierSet(entry["tensorflow"])
        except InvalidSpecifier:
            continue
        bounded = any(sp.operator in ("<", "<=", "==", "~=") for sp in spec)
        if bounded and spec.contains(tf, prereleases=True):  # ">=2.1" alone says nothing of 2.21
            fits.append(Version(version))
    return str(max(fits)) if fits else None


@rule("TFD501", "tensorflow-text-does-not-match-tf", severity="error",
      summary="tensorflow-text of another minor than TensorFlow (its ops are compiled against one minor)",
      catalog=("E31",), fix="pip install tensorflow-text~=X.Y.0")
def tensorflow_text_does_not_match_tf(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    tensorflow-text X.Y ships custom ops compiled against TensorFlow X.Y ("you should specify
    the corresponding minor version of TF Text (eg. for tensorflow==2.3.x use
    tensorflow_text==2.3.x)", its README). This checks the minors agree, whichever TensorFlow
    distribution is installed.

    ## Why is this bad?
    Loading the ops fails: `NotFoundError: .../tensorflow_text/python/ops/_*.so: undefined
    symbol: _ZN10tensorflow...` (catalog E31).

    ## Example
    tensorflow-text 2.14.0 with TensorFlow 2.15.1:

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD501 tensorflow-text 2.14.0 is built for TensorFlow 2.14, but TensorFlow 2.15.1 is installed: its ops fail to load with 'undefined symbol'
    To fix, run:
      /proj/.venv/bin/python -m pip install 'tensorflow-text~=2.15.0'
    ```

    ## Fix
    Install `tensorflow-text~=X.Y.0`; if there is no release for your minor yet, pin TensorFlow
    to the newest minor that has one.
    """
    pair = both(s, "tensorflow-text")
    if pair is None or minor_of(pair[1]) == minor_of(pair[0]):
        return
    text = pair[1]
    tf_minor = minor_text(s.tf_version)
    available = matrix.companion_minors("tensorflow-text")
    if not available or tf_minor in available:
        fix = s.fix.install(f"tensorflow-text~={tf_minor}.0")
    else:
        older = [m for m in available if Version(m) < Version(tf_minor)]
        fix = (s.fix.install(f"{s.tf.name}~={older[-1]}.0", f"tensorflow-text~={older[-1]}.0") if older
               else s.fix.uninstall("tensorflow-text"))
    yield r.finding(f"tensorflow-text {text} is built for TensorFlow {minor_text(text)}, but {tf_label(s)} is "
                    "installed: its ops fail to load with 'undefined symbol'",
                    evidence=_evidence(s, "tensorflow-text", text_releases_for_tf=tf_minor in available), fix=fix)


def tfp_for_tf(tf: Version) -> str | None:
    table = matrix.companion("tensorflow-probability")
    fits = [Version(v) for v, e in table.items() if Version(e["min_tf"]) <= Version(f"{tf.major}.{tf.minor}")]
    if not fits:
        return None
    best = max(fits)
    return f"tensorflow-probability~={best}.0"


@rule("TFD502", "tensorflow-probability-incompatible", severity="error",
      summary="TensorFlow Probability that refuses, or cannot work with, the installed TensorFlow",
      catalog=("E29",), fix="pip install the matching tensorflow-probability")
def tensorflow_probability_incompatible(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Checks TensorFlow Probability against the installed TensorFlow (TFP declares no TensorFlow
    requirement, so pip cannot). Errors:

    - TensorFlow older than the release's minimum: TFP 0.N needs TensorFlow 2.(N-8) for 0.12
      to 0.24; 0.25 needs 2.18.
    - TFP before 0.24 with TensorFlow 2.16+.
    - TFP 0.24+ without tf-keras.

    ## Why is this bad?
    TFP checks the TensorFlow version when imported: "This version of TensorFlow Probability
    requires TensorFlow version >= 2.18; Detected an installation of version 2.15.1" (catalog
    E29). Before 0.24 it builds on tf.keras internals of Keras 2, which 2.16+ does not have;
    from 0.24 it imports tf_keras: "Failed to import TF-Keras" (E29).

    ## Example
    tensorflow-probability 0.25.0 with TensorFlow 2.15.1:

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD502 tensorflow-probability 0.25.0 requires TensorFlow 2.18 or newer; TensorFlow 2.15.1 is installed, so importing it fails
    To fix, run:
      /proj/.venv/bin/python -m pip install 'tensorflow-probability~=0.23.0'
    ```

    ## Fix
    Install the TFP release for your TensorFlow (with tf-keras from 0.24:
    `tensorflow-probability[tf]`).
    """
    pair = both(s, "tensorflow-probability")
    if pair is None:
        return
    tfp = pair[1]
    entry = _entry_for(matrix.companion("tensorflow-probability"), Version(f"{tfp.major}.{tfp.minor}"))
    if entry is None:
        return
    _, facts = entry
    want = tfp_for_tf(s.tf_version)
    fix = s.fix.install(want) if want else note("use a newer TensorFlow")
    evidence = _evidence(s, "tensorflow-probability", min_tf=facts["min_tf"])
    tf_minor = Version(minor_text(s.tf_version))
    if tf_minor < Version(facts["min_tf"]):
        yield r.finding(f"tensorflow-probability {tfp} requires TensorFlow {facts['min_tf']} or newer; {tf_label(s)} "
                        "is installed, so importing it fails", evidence=evidence, fix=fix)
    elif s.tf_version >= Version("2.16") and not facts["tf_keras"]:
        yield r.finding(f"tensorflow-probability {tfp} is written for Keras 2 tf.keras; {tf_label(s)} needs "
                        "tensorflow-probability 0.24 or newer with tf-keras", evidence=evidence, fix=fix)
    elif facts["tf_keras"] and s.dist("tf-keras") is None:
        yield r.finding(f"tensorflow-probability {tfp} imports tf_keras, which is not installed "
                        "('Failed to import TF-Keras')", evidence=evidence, fix=s.fix.install(tf_keras_requirement(s)))


def _range_rule(r: Rule, s: Snapshot, name: str, what: str) -> Iterator[Finding]:
    """Shared by tensorflow-addons and tensorflow-io: their TensorFlow range per release."""
    pair = both(s, name)
    if pair is None:
        return
    found = pair[1]
    releases = matrix.companion(name)
    entry = _entry_for(releases, found)
    if entry is None:
        return
    _, facts = entry
    try:
        spec = SpecifierSet(facts["tensorflow"])
    except InvalidSpecifier:
        return
    if contains(spec, s.tf_version):
        return
    fitting = _release_for_tf(releases, s.tf_version)
    if fitting:
        fix = s.fix.install(f"{name}=={fitting}")
    else:
        newest = max(releases, key=Version)
        top = SpecifierSet(releases[newest]["tensorflow"])
        fix = note(f"no {name} release supports TensorFlow {minor_text(s.tf_version)}; remove {name} or pin "
                   f"{s.tf.name}{top}")
    yield r.finding(f"{name} {found} supports TensorFlow {spec} ({facts['source']}), but {tf_label(s)} is "
                    f"installed: {what}", evidence=_evidence(s, name, supports=str(spec)), fix=fix)


@rule("TFD503", "tensorflow-addons-outside-range", severity="error",
      summary="TensorFlow Addons outside the TensorFlow range of its release", catalog=("E30",),
      fix="pip install the matching tensorflow-addons, or replace it")
def tensorflow_addons_outside_range(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Compares the installed TensorFlow with the range of the TensorFlow Addons release (from its
    `[tensorflow]` extra on PyPI, or the README's matrix for releases that declare none;
    0.23.0, the last release, supports 2.13 to 2.15).

    ## Why is this bad?
    Addons warns "Tensorflow Addons supports using Python ops for all Tensorflow versions above
    or equal to 2.13.0 and strictly below 2.16.0" (catalog E30); its custom ops fail with
    undefined symbols, and on 2.16+ its Keras 2 layers do not mix with Keras 3.

    ## Example
    tensorflow-addons 0.23.0 kept through an upgrade to TensorFlow 2.21 (no release supports
    it, so the fix is a note):

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD503 tensorflow-addons 0.23.0 supports TensorFlow <2.16.0,>=2.13.0 (metadata), but TensorFlow 2.21.0 is installed: its custom ops and Keras 2 layers break
    To fix, run:
      # no tensorflow-addons release supports TensorFlow 2.21; remove tensorflow-addons or pin tensorflow<2.16.0,>=2.13.0
    ```

    ## Fix
    Install the Addons release for your TensorFlow, or (it has ended) replace it with Keras 3,
    KerasCV or KerasNLP equivalents.
    """
    yield from _range_rule(r, s, "tensorflow-addons", "its custom ops and Keras 2 layers break")


@rule("TFD504", "tensorflow-addons-end-of-life", severity="warning",
      summary="TensorFlow Addons ended in May 2024 (last release 0.23.0, TensorFlow 2.13 to 2.15)",
      fix="replace tensorflow-addons")
def tensorflow_addons_end_of_life(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Reports any installed TensorFlow Addons that TFD503 did not already flag.

    ## Why is this bad?
    "TensorFlow Addons (TFA) has ended development ... end of life in May 2024" (its README).
    No release supports TensorFlow 2.16 or Keras 3, so it blocks every upgrade past 2.15.

    ## Example
    tensorflow-addons 0.23.0 with TensorFlow 2.15.1 (in its range):

    ```
    $ tfshift doctor --python .venv
    warning (1)
      TFD504 tensorflow-addons 0.23.0 has reached end of life: no release supports TensorFlow 2.16+
    To fix, run:
      # replace tensorflow-addons with Keras 3 / KerasCV / KerasNLP before upgrading past 2.15
    ```

    ## Fix
    Move to the Keras 3 / KerasCV / KerasNLP equivalents before upgrading TensorFlow.
    """
    pair = both(s, "tensorflow-addons")
    if pair is None:
        return
    found = pair[1]
    if any(True for _ in _range_rule(r, s, "tensorflow-addons", "")):
        return  # TFD503 already says it
    yield r.finding(f"tensorflow-addons {found} has reached end of life: no release supports TensorFlow 2.16+",
                    evidence=_evidence(s, "tensorflow-addons"),
                    fix=note("replace tensorflow-addons with Keras 3 / KerasCV / KerasNLP before upgrading past 2.15"))


@rule("TFD505", "tensorflow-io-does-not-match-tf", severity="error",
      summary="tensorflow-io built for another TensorFlow minor (its range is only in extras)",
      catalog=("E32",), fix="pip install the matching tensorflow-io")
def tensorflow_io_does_not_match_tf(r: Rule, s: Snapshot) -> Iterator[Finding]:
    """## What it does
    Compares the installed TensorFlow with the range of the tensorflow-io release (declared in
    its `[tensorflow]` extra since 0.23, so pip never checks it; 0.37.1 supports 2.16 only, and
    no release supports 2.17 or newer).

    ## Why is this bad?
    Its plugins fail to load: "unable to open file: libtensorflow_io.so ... undefined symbol"
    (catalog E32).

    ## Example
    tensorflow-io 0.37.1 (for TensorFlow 2.16) with TensorFlow 2.15.1:

    ```
    $ tfshift doctor --python .venv
    error (1)
      TFD505 tensorflow-io 0.37.1 supports TensorFlow <2.17.0,>=2.16.0 (metadata), but TensorFlow 2.15.1 is installed: its plugins fail to load with 'undefined symbol'
    To fix, run:
      /proj/.venv/bin/python -m pip install tensorflow-io==0.36.0
    ```

    ## Fix
    Install the tensorflow-io release for your TensorFlow minor, or pin TensorFlow to 2.16 if
    you need tensorflow-io.
    """
    yield from _range_rule(r, s, "tensorflow-io", "its plugins fail to load with 'undefined symbol'")
