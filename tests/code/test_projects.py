"""Real public TF1 projects upgrade and run on TensorFlow 2.21 with the numbers they printed on
TensorFlow 1.15 (tests/code/projects.py; fixtures/projects/README.md says what each is)."""

import numpy as np
import pytest

from tests.code import projects

CASES = {
    "nakedtensor": ["serial.py", "tensor.py", "bigdata.py"],
    "gat": ["execute_cora.py"],
}


@pytest.fixture(scope="module")
def environments(tf_env):
    tf_env("1.15")
    tf_env("2.21")
    tf_env("2.21", keras2=True)
    tf_env("2.21", keras2=True, extras=("tf-slim",))


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_project_upgrades_and_computes_the_same(name, tmp_path, environments):
    outcome = projects.check(name, CASES[name], tmp_path)
    report = outcome["report"]
    assert report["changed"] and not report["internal_errors"]
    assert all(f["fix"] is None for f in report["remaining"]), report["remaining"]
    for script, (before, after) in outcome["results"].items():
        assert len(before) == len(after), (script, before, after)
        assert np.allclose(before, after, rtol=1e-4, atol=1e-5), (script, before, after)


def test_vendored_projects_keep_their_licences():
    for name in CASES:
        assert (projects.PROJECTS / name / "LICENSE").is_file()
