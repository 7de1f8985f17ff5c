"""Hyperparameter searches on a dask cluster give the local results.

Starts a ``distributed.LocalCluster`` with two worker processes (torn down after
the module), runs the same GridSearchCV locally and through joblib's dask
backend, and compares every number of ``cv_results_``.
"""

import pickle

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_tendency import IVAT, VAT, LabelMatcher, LloydKMeans, make_tendency_scorer

# A local dask cluster takes seconds to start and stop.
pytestmark = pytest.mark.slow

distributed = pytest.importorskip("distributed")
joblib = pytest.importorskip("joblib")


@pytest.fixture(scope="module")
def dask_client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _data():
    X, y = make_blobs(n_samples=240, centers=3, cluster_std=1.0, random_state=0)
    return X, y


def _search():
    return GridSearchCV(
        LabelMatcher(LloydKMeans(n_init=2, random_state=0)),
        {"estimator__n_clusters": [2, 3, 4]},
        scoring={
            "accuracy": "accuracy",
            "tendency": make_tendency_scorer(random_state=0, n_simulations=19),
        },
        refit="accuracy",
        cv=3,
    )


def test_grid_search_on_dask_equals_local(dask_client):
    X, y = _data()
    local = _search().fit(X, y)
    with joblib.parallel_config(backend="dask"):
        remote = _search().set_params(n_jobs=-1).fit(X, y)
    # Work really went to the workers.
    assert len(dask_client.scheduler_info()["workers"]) == 2
    assert remote.best_params_ == local.best_params_ == {"estimator__n_clusters": 3}
    for key in ("mean_test_accuracy", "mean_test_tendency", "rank_test_accuracy"):
        np.testing.assert_array_equal(remote.cv_results_[key], local.cv_results_[key])
    np.testing.assert_array_equal(remote.predict(X), local.predict(X))


def test_estimators_and_scorer_survive_pickling_with_same_results():
    X, y = _data()
    scorer = make_tendency_scorer(random_state=0)
    for est in [
        LloydKMeans(n_clusters=3, random_state=0),
        VAT(),
        IVAT(),
        LabelMatcher(LloydKMeans(n_clusters=3, random_state=0)),
        make_pipeline(StandardScaler(), LloydKMeans(n_clusters=3, random_state=0)),
    ]:
        fitted = est.fit(X, y)
        clone = pickle.loads(pickle.dumps(fitted))
        for attr in ("labels_", "order_", "cut_weights_", "cluster_centers_"):
            if hasattr(fitted, attr):
                np.testing.assert_array_equal(getattr(clone, attr), getattr(fitted, attr))
        if hasattr(fitted, "predict"):
            np.testing.assert_array_equal(clone.predict(X), fitted.predict(X))
    s2 = pickle.loads(pickle.dumps(scorer))
    est = LloydKMeans(n_clusters=3, random_state=0).fit(X)
    assert s2(est, X) == scorer(est, X)
