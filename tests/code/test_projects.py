"""Real public TF1 projects upgrade and run on TensorFlow 2.21 with the numbers they printed on
TensorFlow 1.15 (tests/code/projects.py; fixtures/projects/README.md says what each is)."""

import numpy as np
import pytest

from tests.code import projects

# project -> (scripts to run, the project's own non-TensorFlow requirements)
CASES = {
    "nakedtensor": (["serial.py", "tensor.py", "bigdata.py"], ()),
    "gat": (["execute_cora.py"], ()),
    "gae": (["gae/train.py"], ("scipy", "scikit-learn")),
}


@pytest.fixture(scope="module")
def environments(tf_env):
    tf_env("1.15")
    tf_env("2.21")
    tf_env("2.21", keras2=True)
    tf_env("2.21", keras2=True, extras=("tf-slim",))
    tf_env("1.15", extras=("scipy", "scikit-learn"))
    tf_env("2.21", extras=("scipy", "scikit-learn"))


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_project_upgrades_and_computes_the_same(name, tmp_path, environments):
    scripts, extras = CASES[name]
    outcome = projects.check(name, scripts, tmp_path, extras)
    report = outcome["report"]
    assert report["changed"] and not report["internal_errors"]
    # Every safe fix was made (what is left needs a person, or is an unsafe fix not needed here:
    # disable_v2_behavior() in library modules whose program calls it).
    assert all(f["fix"] is None or f["fix"]["applicability"] == "unsafe" for f in report["remaining"])
    for script, (before, after) in outcome["results"].items():
        assert len(before) == len(after), (script, before, after)
        assert np.allclose(before, after, rtol=1e-4, atol=1e-5), (script, before, after)


def test_vendored_projects_keep_their_licences():
    for name in CASES:
        assert (projects.PROJECTS / name / "LICENSE").is_file()
