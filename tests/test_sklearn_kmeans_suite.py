"""scikit-learn's own k-means tests, run against LloydKMeans.

The installed scikit-learn ships ``sklearn/cluster/tests/test_k_means.py``;
it runs here, unmodified, in a subprocess, with ``KMeans`` bound to a thin
subclass of :class:`LloydKMeans` named ``KMeans`` (in ``sklearn.cluster``, in
``sklearn.cluster._kmeans`` for the ``k_means`` function, and so in the test
module, which imports it from ``sklearn.cluster`` after the patch). Only the
tests below are deselected, each for the reason given; every other test must
pass. Nothing of scikit-learn's file is copied into this repository.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# Deselected test functions (every parametrization), with the reason.
DESELECTED_TESTS = {
    # scikit-learn's private helpers, tested directly (no estimator involved):
    "test_relocate_empty_clusters": "calls sklearn's private _relocate_empty_clusters_* helpers",
    "test_euclidean_distance": "calls sklearn's private _euclidean_*_dense_wrapper helpers",
    "test_inertia": "calls sklearn's private _inertia_dense/_inertia_sparse helpers",
    "test_is_same_clustering": "calls sklearn's private _is_same_clustering helper",
    # scikit-learn's private attributes and methods of the estimator:
    "test_kmeans_init_auto_with_initial_centroids": "reads the private attribute _n_init",
    "test_n_init_auto": "reads the private attribute _n_init",
    "test_sample_weight_init": "calls the private method _init_centroids",
    "test_sample_weight_zero": "calls the private method _init_centroids",
    # Elkan's algorithm, which LloydKMeans does not run:
    "test_kmeans_elkan_results": "compares algorithm='elkan' with 'lloyd'",
    "test_kmeans_elkan_iter_attribute": "algorithm='elkan'",
    "test_warning_elkan_1_cluster": "algorithm='elkan' with one cluster",
}

# Deselected parametrizations: a parameter value and the reason.
DESELECTED_PARAMS = {
    "elkan": "algorithm='elkan': LloydKMeans runs Lloyd's algorithm only",
    "MiniBatchKMeans": "a test of MiniBatchKMeans, not of KMeans",
}

# Tests of MiniBatchKMeans alone (their names say so).
DESELECTED_NAME_PART = {
    "minibatch": "a test of MiniBatchKMeans, not of KMeans",
}

_PLUGIN = '''
import json

import pytest
import sklearn.cluster
import sklearn.cluster._kmeans

from sklearn_tendency import LloydKMeans


class KMeans(LloydKMeans):
    """LloydKMeans under scikit-learn's name (its warnings name the class)."""


# Before collection: the test module imports KMeans from sklearn.cluster, and
# sklearn's k_means function builds sklearn.cluster._kmeans.KMeans.
sklearn.cluster.KMeans = KMeans
sklearn.cluster._kmeans.KMeans = KMeans

RULES = json.loads(%r)


def _reason(item):
    name = item.originalname if hasattr(item, "originalname") else item.name
    if name in RULES["tests"]:
        return RULES["tests"][name]
    for part, reason in RULES["name_parts"].items():
        if part in name.lower():
            return reason
    params = getattr(getattr(item, "callspec", None), "params", {})
    for value in params.values():
        label = getattr(value, "__name__", value)
        if isinstance(label, str) and label in RULES["params"]:
            return RULES["params"][label]
    return None


def pytest_collection_modifyitems(config, items):
    kept, dropped = [], []
    for item in items:
        (dropped if _reason(item) else kept).append(item)
    items[:] = kept
    config.hook.pytest_deselected(items=dropped)
    module = items[0].module if items else None
    with open(RULES["report"], "w") as f:
        json.dump({
            "deselected": [[i.nodeid, _reason(i)] for i in dropped],
            # What the collected tests call KMeans: the proof that they test ours.
            "bound": [c.__module__ + "." + c.__qualname__ for c in module.KMeans.__mro__],
        }, f)
'''


def _sklearn_kmeans_tests():
    import sklearn

    path = Path(sklearn.__file__).parent / "cluster" / "tests" / "test_k_means.py"
    return path if path.is_file() else None


@pytest.mark.slow
def test_sklearn_kmeans_test_module_passes(tmp_path):
    path = _sklearn_kmeans_tests()
    if path is None:
        pytest.skip("this scikit-learn installation ships no sklearn/cluster/tests/test_k_means.py")
    report = tmp_path / "deselected.json"
    rules = {
        "tests": DESELECTED_TESTS,
        "params": DESELECTED_PARAMS,
        "name_parts": DESELECTED_NAME_PART,
        "report": str(report),
    }
    (tmp_path / "skt_kmeans_plugin.py").write_text(_PLUGIN % json.dumps(rules))
    junit = tmp_path / "junit.xml"
    # An empty ini file of its own: without it pytest takes the first ini file
    # above scikit-learn's tests, which is this project's pyproject.toml when
    # the venv lives inside the checkout (as the README's .venv does), and
    # applies our options to scikit-learn's tests. --confcutdir at the
    # sklearn package loads its conftest.py once, as discovery finds it.
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\n")
    sklearn_dir = path.parent.parent.parent
    code = textwrap.dedent(
        f"""
        import sys
        import pytest
        sys.exit(pytest.main([
            {str(path)!r}, "-p", "skt_kmeans_plugin", "-q", "-c", {str(ini)!r},
            "--confcutdir", {str(sklearn_dir)!r},
            "-p", "no:cacheprovider", "--rootdir", {str(path.parent)!r},
            "--junitxml", {str(junit)!r},
            "-W", "ignore::DeprecationWarning",
        ]))
        """
    )
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            [str(tmp_path)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        ),
        # scikit-learn's switches: its float32 cases too, and three random
        # seeds instead of its default one (all 100 would take ~30 min).
        SKLEARN_RUN_FLOAT32_TESTS="1",
        SKLEARN_TESTS_GLOBAL_RANDOM_SEED="40-42",
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    tail = "\n".join((run.stdout + run.stderr).splitlines()[-60:])
    assert run.returncode == 0, f"scikit-learn's k-means tests failed:\n{tail}"
    import xml.etree.ElementTree as ET

    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    n_tests, n_failures = int(suite.get("tests")), int(suite.get("failures"))
    n_errors, n_skipped = int(suite.get("errors")), int(suite.get("skipped"))
    report = json.loads(report.read_text())
    deselected = report["deselected"]
    assert "sklearn_tendency._kmeans.LloydKMeans" in report["bound"]
    skipped = [
        c.get("name") + ": " + c.find("skipped").get("message", "")
        for c in suite.iter("testcase")
        if c.find("skipped") is not None
    ]
    print(
        f"\nscikit-learn's test_k_means.py against LloydKMeans: {n_tests} run, "
        f"{n_tests - n_failures - n_errors - n_skipped} passed, {n_skipped} skipped, "
        f"{len(deselected)} deselected"
    )
    assert n_failures == n_errors == 0
    # Every deselection has its reason, and the suite really ran.
    assert all(reason for _, reason in deselected)
    for name in skipped:
        print(f"  skipped by scikit-learn's own conditions: {name}")
    for nodeid, reason in deselected:
        print(f"  deselected {nodeid.split('::')[-1]}: {reason}")
    assert n_tests > 100
