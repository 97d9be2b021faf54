"""Each rule on snapshots of the real shared environments, edited to hold one problem.

The snapshots are real probe output; editing one fact (a version, a variable, a CPU flag) shows
that the rule fires on exactly that fact, including conditions this machine cannot produce
(an old glibc, a CPU without AVX, Python 3.12 under TensorFlow 2.15).
"""

from __future__ import annotations

import shlex

import pytest

from tests.doctor.helpers import evaluate, with_dist, with_version, without_dist

pytestmark = pytest.mark.slow


@pytest.fixture
def s115(snap_of, tf115):
    return snap_of(tf115.python)


@pytest.fixture
def s215(snap_of, tf215):
    return snap_of(tf215.python)


@pytest.fixture
def s221(snap_of, tf221):
    return snap_of(tf221.python)


def only(snap, rule_id: str, severity: str | None = None):
    found = evaluate(snap)
    assert set(found) == {rule_id}, {k: [f.message for f in v] for k, v in found.items()}
    hits = found[rule_id]
    if severity:
        assert {h.severity for h in hits} == {severity}
    return hits[0] if len(hits) == 1 else hits


def test_snapshots_start_clean(s115, s215, s221):
    for snap in (s115, s215, s221):
        assert evaluate(snap) == {}


# -- Python and platform -----------------------------------------------------------------------------

def test_python_without_wheel(s215):
    s215.data["python"]["version"] = "3.12.1"
    hit = only(s215, "TFD101", "error")
    assert "Python 3.9 to 3.11" in hit.message
    assert hit.fix.startswith("tfshift env create 2.15.1  #") and "TensorFlow 2.21" in hit.fix


def test_python_32_bit(s215):
    s215.data["python"]["bits"] = 32
    only(s215, "TFD102", "error")


def test_glibc_older_than_the_2_21_wheel(s221):
    s221.data["system"]["glibc"] = "2.17"
    hit = only(s221, "TFD103", "error")
    assert hit.evidence["needs"] == "2.27" and hit.evidence["source"].startswith("WHEEL")
    assert "tensorflow==2.20.0" in hit.fix


def test_glibc_floor_of_1_15_is_manylinux2010(s115):
    s115.data["system"]["glibc"] = "2.12"
    assert evaluate(s115) == {}
    s115.data["system"]["glibc"] = "2.11"
    assert only(s115, "TFD103").evidence["needs"] == "2.12"


def test_cpu_without_avx(s215):
    s215.data["system"]["cpu"]["flags"] = ["fpu", "sse4_2"]
    hit = only(s215, "TFD104", "error")
    assert hit.evidence["missing"] == ["avx"]


def test_cpu_without_avx_under_rosetta(s215):
    s215.data["system"]["cpu"].update(flags=["sse4_2"], rosetta=True)
    assert "Rosetta" in only(s215, "TFD104").fix


def test_no_tensorflow_installed(snap_of):
    import sys

    snap = snap_of(sys.executable)
    hit = only(snap, "TFD001", "info")
    assert "has wheels for TensorFlow" in hit.message
    snap.data["python"]["version"] = "3.14.0"
    assert "no TensorFlow release has a wheel for Python 3.14" in only(snap, "TFD001").message


# -- installation ---------------------------------------------------------------------------------------

def test_tensorflow_gpu_alias(s215):
    snap = with_dist(s215, "tensorflow-gpu", "2.10.0")
    found = evaluate(snap)
    # tensorflow-gpu also says the user wants a GPU, and this machine has no driver.
    assert set(found) == {"TFD202", "TFD601"}
    assert "tensorflow==2.10.0" in found["TFD202"][0].fix


def test_unrelated_duplicates_are_not_reported(s215):
    assert evaluate(with_dist(s215, "requests", "2.31.0", location="/usr/lib/python3/dist-packages")) == {}


def test_distribution_in_several_places(s215):
    snap = with_dist(s215, "numpy", "2.0.0", top_level=["numpy"], location="/home/me/.local/lib/python3.11/site-packages")
    found = evaluate(snap)
    assert set(found) == {"TFD206", "TFD301"}  # the first copy is the one imported: NumPy 2
    assert "hides 1.26.4" in found["TFD206"][0].message


# -- companions ------------------------------------------------------------------------------------------

def test_numpy_below_tf_minimum(s215):
    hit = only(with_version(s215, "numpy", "1.22.4"), "TFD302", "error")
    assert "older than" in hit.message


def test_numpy_1_24_with_uncapped_tf_2_11(s215):
    from tfshift.doctor import matrix

    s215.data["distributions"] = [d for d in s215.data["distributions"] if d["name"] != "tensorflow"]
    snap = with_dist(s215, "tensorflow", "2.11.1", top_level=["tensorflow"],
                     requires=matrix.release(__import__("packaging.version").version.Version("2.11.1"))["requires_dist"])
    snap = with_version(snap, "numpy", "1.24.4")
    found = evaluate(snap)
    assert "TFD303" in found and "TFD302" not in found and "TFD301" not in found


@pytest.mark.parametrize("release", ["2.14.0", "2.11.1"])
def test_numpy_2_with_a_release_whose_metadata_sets_no_upper_bound(s215, release):
    """Below 2.18 NumPy must be < 2, whatever the metadata says: 2.14.0 declares numpy>=1.23.5 and
    2.11.1 numpy>=1.20, so pip installs NumPy 2 beside them; the import then fails (catalog E12)."""
    from packaging.requirements import Requirement
    from packaging.version import Version

    from tfshift.doctor import matrix

    published = matrix.release(Version(release))["requires_dist"]
    (numpy_req,) = [Requirement(r) for r in published if Requirement(r).name == "numpy"]
    assert numpy_req.specifier.contains("2.1.3"), f"{release} caps numpy after all: {numpy_req}"
    s215.data["distributions"] = [d for d in s215.data["distributions"] if d["name"] != "tensorflow"]
    snap = with_dist(s215, "tensorflow", release, top_level=["tensorflow"], requires=published)
    snap = with_version(snap, "numpy", "2.1.3")
    found = evaluate(snap)
    (hit,) = found["TFD301"]
    assert hit.severity == "error"
    assert hit.evidence["tensorflow"] == release
    assert hit.evidence["tensorflow_requires"] == f"numpy{numpy_req.specifier}"
    wanted = Requirement(shlex.split(hit.fix)[-1])  # the fix installs a NumPy 1.x the release accepts
    assert wanted.name == "numpy" and not wanted.specifier.contains("2.0.0")
    assert wanted.specifier.contains("1.23.5") and numpy_req.specifier.contains("1.23.5")
    assert "TFD302" not in found and "TFD303" not in found  # TFD301 alone speaks for NumPy


def test_protobuf_too_old_for_2_15(s215):
    hit = only(with_version(s215, "protobuf", "3.19.6"), "TFD304", "error")
    assert "older than" in hit.message


def test_protobuf_newer_than_the_cap_is_a_warning(s215):
    only(with_version(s215, "protobuf", "5.26.1"), "TFD304", "warning")


def test_protobuf_4_with_1_15_in_pure_python_mode_is_a_warning(s115):
    snap = with_version(s115, "protobuf", "4.21.12")
    snap.data["environ"]["PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION"] = "python"
    assert "much slower" in only(snap, "TFD304", "warning").message


def test_h5py_3_with_1_15(s115):
    only(with_version(s115, "h5py", "3.1.0"), "TFD305", "warning")


def test_ml_dtypes_outside_range(s215):
    hit = only(with_version(s215, "ml-dtypes", "0.2.0"), "TFD306", "error")
    assert "ml-dtypes~=0.3.1" in hit.fix


def test_missing_import_critical_requirement(s215):
    hit = only(without_dist(s215, "absl-py"), "TFD309", "error")
    assert "absl-py>=1.0.0" in hit.fix


def test_out_of_range_requirement_is_a_warning(s215):
    only(with_version(s215, "wrapt", "1.16.0"), "TFD309", "warning")


# -- Keras -------------------------------------------------------------------------------------------------

def test_keras_3_with_tf_2_15_is_a_warning(s215):
    snap = with_version(s215, "keras", "3.3.3")
    assert "Keras 3" in only(snap, "TFD401", "warning").message
    # keras.io's recipe: Keras 3 for `import keras`, tf.keras routed to tf-keras.
    snap = with_dist(snap, "tf-keras", "2.15.1", top_level=["tf_keras"])
    snap.data["environ"]["TF_USE_LEGACY_KERAS"] = "1"
    assert evaluate(snap) == {}


def test_keras_of_another_minor_with_tf_2_15(s215):
    assert "keras~=2.15.0" in only(with_version(s215, "keras", "2.14.0"), "TFD401", "error").fix


def test_keras_missing_with_tf_2_15(s215):
    only(without_dist(s215, "keras"), "TFD401", "error")


def test_keras_3_older_than_tf_2_21_declares(s221):
    only(with_version(s221, "keras", "3.5.0"), "TFD401", "warning")


def test_tf_keras_of_another_minor(s221):
    hit = only(with_dist(s221, "tf-keras", "2.20.1", top_level=["tf_keras"]), "TFD402", "error")
    assert "tf-keras~=2.21.0" in hit.fix


def test_legacy_flag_without_tf_keras(s221):
    s221.data["environ"]["TF_USE_LEGACY_KERAS"] = "1"
    only(s221, "TFD403", "error")
    s221.data["environ"]["TF_USE_LEGACY_KERAS"] = "yes"  # TensorFlow only honours 1/true/True
    assert evaluate(s221) == {}


def test_keras_2_library_with_keras_3(s221):
    snap = with_dist(s221, "tensorflow-hub", "0.16.1", top_level=["tensorflow_hub"])
    hit = only(snap, "TFD404", "warning")
    assert "TF_USE_LEGACY_KERAS=1" in hit.fix and "tf-keras~=2.21.0" in hit.fix
    snap = with_dist(snap, "tf-keras", "2.21.0", top_level=["tf_keras"])
    snap.data["environ"]["TF_USE_LEGACY_KERAS"] = "1"
    assert evaluate(snap) == {}


def test_estimator_after_2_16(s221):
    only(with_dist(s221, "tensorflow-estimator", "2.15.0", top_level=["tensorflow_estimator"]), "TFD405", "warning")


def test_estimator_of_another_minor_with_1_15(s115):
    only(with_version(s115, "tensorflow-estimator", "1.14.0"), "TFD405", "error")


# -- ecosystem ---------------------------------------------------------------------------------------------

def test_probability_needs_newer_tf(s215):
    hit = only(with_dist(s215, "tensorflow-probability", "0.25.0"), "TFD502", "error")
    assert "2.18" in hit.message and "tensorflow-probability~=0.23.0" in hit.fix


def test_probability_before_0_24_with_keras_3(s221):
    only(with_dist(s221, "tensorflow-probability", "0.23.0"), "TFD502", "error")


def test_probability_0_25_needs_tf_keras(s221):
    snap = with_dist(s221, "tensorflow-probability", "0.25.0")
    assert "tf_keras" in only(snap, "TFD502", "error").message


def test_probability_matching(s215):
    assert evaluate(with_dist(s215, "tensorflow-probability", "0.23.0")) == {}


def test_addons_in_range_is_end_of_life(s215):
    only(with_dist(s215, "tensorflow-addons", "0.23.0"), "TFD504", "warning")


def test_addons_with_tf_2_21_has_no_release(s221):
    snap = with_dist(with_dist(s221, "tensorflow-addons", "0.23.0"), "tf-keras", "2.21.0")
    snap.data["environ"]["TF_USE_LEGACY_KERAS"] = "1"
    hit = only(snap, "TFD503", "error")
    assert hit.fix.startswith("# no tensorflow-addons release supports TensorFlow 2.21")


def test_tensorflow_io_of_another_minor(s215):
    hit = only(with_dist(s215, "tensorflow-io", "0.37.1"), "TFD505", "error")
    assert "tensorflow-io==0.36.0" in hit.fix


def test_unknown_companion_declaring_another_tf(s215):
    snap = with_dist(s215, "tensorflow-decision-forests", "1.9.1", requires=["tensorflow~=2.16.1"])
    assert "tensorflow~=2.16.1" in only(snap, "TFD509", "warning").message


def test_companion_tf_range_only_in_an_extra(s215):
    snap = with_dist(s215, "tensorflow-datasets", "4.9.9",
                     requires=['tensorflow<2.15,>=2.1; extra == "tensorflow"', "protobuf>=3.20"])
    assert "[tensorflow] extra" in only(snap, "TFD509", "warning").message


def test_test_extras_are_not_user_requirements(s215):
    snap = with_dist(s215, "keras-preprocessing", "1.1.0", requires=['tensorflow==1.7; extra == "tests"'])
    assert evaluate(snap) == {}


def test_tensorflow_cpu_satisfies_a_requirement_on_tensorflow(s215):
    """pip check says "requires tensorflow, which is not installed" here; it is installed, as tensorflow-cpu."""
    for dist in s215.data["distributions"]:
        if dist["name"] == "tensorflow":
            dist.update(name="tensorflow-cpu", raw_name="tensorflow_cpu", entry="tensorflow_cpu-2.15.1.dist-info")
    snap = with_dist(s215, "tensorflow-text", "2.15.0", requires=["tensorflow<2.16,>=2.15.0"])
    snap = with_dist(snap, "tensorflow-decision-forests", "1.8.1", requires=["tensorflow~=2.15.0"])
    assert snap.tf.name == "tensorflow-cpu"
    assert evaluate(snap) == {}


def test_generic_missing_requirement(s215):
    snap = with_dist(s215, "somepackage", "1.0", requires=["definitely-not-installed>=1"])
    assert "which is not installed" in only(snap, "TFD901", "warning").message


def test_a_crashing_rule_reports_itself(s215):
    from tfshift.doctor import rules

    s215.data["system"]["cpu"] = {"flags": 42}  # not a list: TFD104 trips over it
    found = {f.id: f for f in rules.evaluate(s215)}
    assert found["TFD002"].severity == "info" and "TFD104" in found["TFD002"].message
