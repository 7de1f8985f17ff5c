import itertools

import numpy as np
import pytest
from scipy import stats
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans
from sklearn.datasets import load_digits, make_blobs
from sklearn.exceptions import NotFittedError
from sklearn.metrics import accuracy_score
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_tendency import IVAT, LabelMatcher, LloydKMeans, match_labels


@pytest.mark.parametrize("seed", range(30))
def test_hungarian_is_optimal_against_all_permutations(seed):
    rng = np.random.RandomState(seed)
    n_classes, n_clusters = rng.randint(2, 5), rng.randint(2, 6)
    y_true = rng.randint(n_classes, size=60)
    y_pred = rng.randint(n_clusters, size=60)
    y_pred[:n_clusters] = np.arange(n_clusters)  # every cluster present
    y_true[:n_classes] = np.arange(n_classes)
    matched, mapping = match_labels(y_true, y_pred, return_mapping=True)
    # The one-to-one part: the best agreement over every injective assignment
    # of min(clusters, classes) clusters to distinct classes.
    best = 0
    k = min(n_classes, n_clusters)
    for clusters in itertools.combinations(range(n_clusters), k):
        for classes in itertools.permutations(range(n_classes), k):
            agree = sum(np.sum((y_pred == c) & (y_true == t)) for c, t in zip(clusters, classes))
            best = max(best, agree)
    one_to_one = {}
    for c, t in mapping.items():
        one_to_one.setdefault(t, []).append(c)
    # Agreement of the matched pairs: at most one cluster per class counts.
    agree = 0
    for t, cs in one_to_one.items():
        agree += max(np.sum((y_pred == c) & (y_true == t)) for c in cs)
    assert agree == best
    if n_clusters <= n_classes:
        # Injective: every cluster its own class.
        assert len(set(mapping.values())) == n_clusters


@pytest.mark.parametrize("seed", range(20))
def test_majority_reproduces_scipy_mode(seed):
    rng = np.random.RandomState(seed)
    y_true = rng.randint(4, size=80)
    y_pred = rng.randint(6, size=80)
    matched = match_labels(y_true, y_pred, method="majority")
    for c in np.unique(y_pred):
        assert np.all(matched[y_pred == c] == stats.mode(y_true[y_pred == c]).mode)


def test_leftover_clusters_noise_and_strings():
    y_true = np.array(["cat"] * 5 + ["dog"] * 5)
    y_pred = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, -1])
    matched, mapping = match_labels(y_true, y_pred, return_mapping=True)
    assert matched.dtype.kind == "U"
    # 0 -> cat, 2 -> dog one-to-one; 1 is left over and takes its majority
    # (cat); noise takes the majority of the noise points (dog).
    assert mapping == {-1: "dog", 0: "cat", 1: "cat", 2: "dog"}
    # With noise_label=None, -1 is a cluster like any other.
    _, mapping = match_labels(y_true, y_pred, noise_label=None, return_mapping=True)
    assert set(mapping) == {-1, 0, 1, 2}


def test_class_no_cluster_gets():
    y_true = [0, 0, 1, 1, 2, 2]
    y_pred = [5, 5, 5, 7, 7, 7]
    matched = match_labels(y_true, y_pred)
    assert set(matched) <= {0, 1, 2} and len(set(matched)) == 2


def test_bad_input_match_labels():
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        match_labels([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="method"):
        match_labels([0, 1], [0, 1], method="greedy")


def test_digits_grid_search_reaches_published_accuracy():
    # Published: k-means on digits matches the classes with accuracy ~0.8.
    X, y = load_digits(return_X_y=True)
    search = GridSearchCV(
        LabelMatcher(LloydKMeans(n_init=3, random_state=12345)),
        {"estimator__n_clusters": [8, 10, 12]},
        cv=3,
    ).fit(X, y)
    assert search.best_params_["estimator__n_clusters"] in (10, 12)
    assert search.best_score_ > 0.7
    assert search.score(X, y) > 0.75
    cm = search.best_estimator_.confusion_matrix_
    assert cm.shape == (10, 10) and cm.sum() == len(y)


@pytest.mark.parametrize(
    "clusterer",
    [
        LloydKMeans(n_clusters=3, random_state=0),
        KMeans(n_clusters=3, n_init=1, random_state=0),
        DBSCAN(eps=1.0),
        AgglomerativeClustering(n_clusters=3),
        GaussianMixture(n_components=3, random_state=0),
        IVAT(n_clusters=3),
    ],
    ids=lambda e: type(e).__name__,
)
def test_any_clusterer_predicts_classes(clusterer):
    X, y = make_blobs(n_samples=300, centers=[[0, 0], [8, 0], [0, 8]], cluster_std=0.8, random_state=0)
    names = np.array(["left", "right", "top"])[y]
    clf = LabelMatcher(clusterer).fit(X, names)
    assert clf.score(X, names) > 0.97
    X_new, y_new = make_blobs(n_samples=90, centers=[[0, 0], [8, 0], [0, 8]], cluster_std=0.8, random_state=1)
    assert accuracy_score(np.array(["left", "right", "top"])[y_new], clf.predict(X_new)) > 0.95
    assert list(clf.classes_) == ["left", "right", "top"]
    np.testing.assert_array_equal(np.diag(clf.confusion_matrix_).sum(), (clf.predict(X) == names).sum())


def test_in_pipeline_and_cross_val_score():
    X, y = make_blobs(n_samples=300, centers=[[0, 0], [6, 0], [0, 6]], random_state=0)
    pipe = make_pipeline(StandardScaler(), LabelMatcher(LloydKMeans(3, random_state=0)))
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.min() > 0.9


def test_bad_input_label_matcher():
    X, y = make_blobs(n_samples=60, centers=2, random_state=0)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        LabelMatcher(LloydKMeans(2)).fit(X, y[:-1])
    with pytest.raises(ValueError, match="at least 2 classes"):
        LabelMatcher(LloydKMeans(2)).fit(X, np.zeros(60))
    with pytest.raises(ValueError, match="single cluster"):
        LabelMatcher(LloydKMeans(1)).fit(X, y)
    with pytest.raises(ValueError, match="Unknown label type"):
        LabelMatcher(LloydKMeans(2)).fit(X, np.linspace(0, 1, 60))
    with pytest.raises(NotFittedError):
        LabelMatcher(LloydKMeans(2)).predict(X)
