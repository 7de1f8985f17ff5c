"""Choosing k: the k-selection and silhouette displays against scikit-learn's
metrics and a brute-force gap statistic."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.cluster import AgglomerativeClustering, KMeans  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402
from sklearn.metrics import (  # noqa: E402
    calinski_harabasz_score,
    davies_bouldin_score,
    pairwise_distances,
    silhouette_samples,
    silhouette_score,
)
from sklearn.utils import check_random_state  # noqa: E402

from sklearn_tendency import (  # noqa: E402
    KSelectionDisplay,
    LloydKMeans,
    SilhouetteDisplay,
    knee_point,
)
from sklearn_tendency._gap import gap_rule, uniform_references  # noqa: E402
from sklearn_tendency._kselection import _silhouette_from_distances  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def blobs():
    X, y = make_blobs(
        n_samples=240, centers=[[0, 0], [8, 0], [0, 8], [8, 8]], cluster_std=0.8, random_state=0
    )
    return X, y


def test_knee_point_is_the_farthest_point_below_the_chord():
    # Normalised: x = 0, .25, .5, .75, 1; y = 1, .3, .1, .05, 0; the chord is
    # 1 - x, so the distances below it are 0, .45, .4, .2, 0.
    assert knee_point([1, 2, 3, 4, 5], [100, 30, 10, 5, 0]) == 2
    assert knee_point([1, 2, 3], [5, 5, 5]) is None
    assert knee_point([1, 2], [5, 1]) is None
    # A concave decreasing curve has no knee below its chord.
    assert knee_point([1, 2, 3, 4], [10, 9.5, 8, 0]) is None


def test_silhouette_from_distances_matches_sklearn():
    rng = np.random.RandomState(0)
    X = rng.rand(120, 3)
    labels = rng.randint(0, 4, 120)
    labels[7] = 9  # a cluster of one: s = 0 by convention
    got = _silhouette_from_distances(pairwise_distances(X), labels)
    np.testing.assert_allclose(got, silhouette_samples(X, labels), atol=1e-12)
    assert got[7] == 0


def test_kselection_scores_are_sklearn_metrics(blobs):
    X, _ = blobs
    disp = KSelectionDisplay.from_data(
        X,
        n_clusters=range(1, 7),
        silhouette_sample_size=None,
        n_references=3,
        random_state=0,
        plot=False,
    )
    np.testing.assert_array_equal(disp.n_clusters_, np.arange(1, 7))
    for i, est in enumerate(disp.estimators_):
        k = disp.n_clusters_[i]
        assert est.n_clusters == k
        assert disp.scores_["inertia"][i] == est.inertia_
        assert disp.scores_["fit_time"][i] > 0
        if k == 1:
            for name in ("silhouette", "calinski_harabasz", "davies_bouldin"):
                assert np.isnan(disp.scores_[name][i])
            continue
        np.testing.assert_allclose(
            disp.scores_["silhouette"][i], silhouette_score(X, est.labels_), rtol=1e-12
        )
        np.testing.assert_allclose(
            disp.scores_["calinski_harabasz"][i], calinski_harabasz_score(X, est.labels_), rtol=1e-12
        )
        np.testing.assert_allclose(
            disp.scores_["davies_bouldin"][i], davies_bouldin_score(X, est.labels_), rtol=1e-12
        )
    assert disp.best_n_clusters_ == {
        "elbow": 4,
        "silhouette": 4,
        "calinski_harabasz": 4,
        "davies_bouldin": 4,
        "gap": 4,
    }
    assert disp.elbow_value_ == 4
    assert not hasattr(disp, "figure_")


def _brute_force_w(X, labels):
    """Tibshirani et al.'s W_k = sum_r D_r / (2 n_r), D_r the sum of squared
    distances over all ordered pairs of cluster r."""
    w = 0.0
    for c in np.unique(labels):
        members = X[labels == c]
        w += pairwise_distances(members, metric="sqeuclidean").sum() / (2 * len(members))
    return w


def test_kselection_gap_is_the_brute_force_gap(blobs):
    X, _ = blobs
    ks = range(1, 6)
    n_references = 4
    disp = KSelectionDisplay.from_estimator(
        LloydKMeans(n_init=2),
        X,
        n_clusters=ks,
        n_references=n_references,
        silhouette_sample_size=None,
        random_state=0,
        plot=False,
    )
    # The same random stream: the clones' seed first, then the references
    # (the silhouette draws nothing when it uses every sample).
    rng = check_random_state(0)
    seed = rng.randint(np.iinfo(np.int32).max)
    template = LloydKMeans(n_init=2, random_state=seed)
    log_w = [np.log(_brute_force_w(X, est.labels_)) for est in disp.estimators_]
    ref = np.array(
        [
            [np.log(_brute_force_w(R, clone(template).set_params(n_clusters=k).fit(R).labels_)) for k in ks]
            for R in uniform_references(X, n_references, rng)
        ]
    )
    gap = ref.mean(0) - np.array(log_w)
    se = np.sqrt(((ref - ref.mean(0)) ** 2).mean(0)) * np.sqrt(1 + 1 / n_references)
    np.testing.assert_allclose(disp.scores_["gap"], gap, rtol=1e-9)
    np.testing.assert_allclose(disp.gap_se_, se, rtol=1e-9, atol=1e-12)
    first = next(i for i in range(len(gap) - 1) if gap[i] >= gap[i + 1] - se[i + 1])
    assert disp.best_n_clusters_["gap"] == list(ks)[first]
    # A range the rule never passes (the gap rises to its end: k = 1, 2 of
    # four blobs) has no answer, and the panel marks none.
    short = KSelectionDisplay.from_estimator(
        LloydKMeans(n_init=2), X, n_clusters=[1, 2], n_references=n_references, random_state=0
    )
    assert short.scores_["gap"][0] < short.scores_["gap"][1] - short.gap_se_[1]
    assert short.best_n_clusters_["gap"] is None
    gap_axes = short.ax_[short.panels_.index("gap")]
    assert not any(line.get_linestyle() == "--" for line in gap_axes.get_lines())


def test_kselection_sampled_silhouette_and_smaller_references(blobs):
    # Above silhouette_sample_size and max_reference_samples: the silhouette
    # of a sample of rows, and references of m < n samples whose log W is
    # shifted by log(n / m) (W grows in proportion to n).
    X, _ = blobs
    n, m = X.shape[0], 60
    ks = [2, 3, 4]
    disp = KSelectionDisplay.from_estimator(
        LloydKMeans(n_init=2),
        X,
        n_clusters=ks,
        n_references=3,
        max_reference_samples=m,
        silhouette_sample_size=m,
        random_state=0,
        plot=False,
    )
    assert m < n
    rng = check_random_state(0)
    seed = rng.randint(np.iinfo(np.int32).max)
    rows = np.sort(rng.choice(n, size=m, replace=False))
    for i, est in enumerate(disp.estimators_):
        np.testing.assert_allclose(
            disp.scores_["silhouette"][i], silhouette_score(X[rows], est.labels_[rows]), rtol=1e-12
        )
    template = LloydKMeans(n_init=2, random_state=seed)
    ref = np.array(
        [
            [np.log(_brute_force_w(R, clone(template).set_params(n_clusters=k).fit(R).labels_)) for k in ks]
            for R in uniform_references(X, 3, rng, m)
        ]
    ) + np.log(n / m)
    log_w = [np.log(_brute_force_w(X, est.labels_)) for est in disp.estimators_]
    np.testing.assert_allclose(disp.scores_["gap"], ref.mean(0) - np.array(log_w), rtol=1e-9)


def test_uniform_references_fill_the_principal_axes_box():
    rng = np.random.RandomState(0)
    # An elongated, rotated cloud: its principal box is thin along one axis.
    Z = rng.uniform([-10, -1], [10, 1], (500, 2))
    angle = 0.7
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    X = Z @ rotation.T + 5
    refs = list(uniform_references(X, 3, np.random.RandomState(1), max_samples=200))
    assert len(refs) == 3 and all(R.shape == (200, 2) for R in refs)
    # The box's sides are the ranges of the data along its principal axes,
    # whatever their sign: compared with the SVD's axes.
    Xc = X - X.mean(0)
    axes = np.linalg.svd(Xc, full_matrices=False)[2]
    ranges = np.sort(np.ptp(Xc @ axes.T, axis=0))
    ref_ranges = np.sort(np.ptp(np.vstack(refs), axis=0))
    np.testing.assert_allclose(ref_ranges, ranges, rtol=0.05)


def test_gap_rule_is_tibshirani_rule():
    gap = np.array([0.1, 0.5, 0.55, 0.4])
    se = np.array([0.0, 0.1, 0.1, 0.1])
    # k = 2: 0.5 >= 0.55 - 0.1.
    assert gap_rule(gap, se) == 1
    assert gap_rule(np.array([0.1, 0.2, 0.3]), np.zeros(3)) == 2


def test_kselection_plot_panels(blobs):
    X, _ = blobs
    disp = KSelectionDisplay.from_data(X, n_clusters=range(2, 6), n_references=2, random_state=0)
    assert disp.panels_ == [
        "inertia",
        "silhouette",
        "calinski_harabasz",
        "davies_bouldin",
        "gap",
        "fit_time",
        "history",
    ]
    assert len(disp.ax_) == 7 and disp.figure_ is disp.ax_[0].figure
    np.testing.assert_array_equal(disp.lines_["silhouette"].get_ydata(), disp.scores_["silhouette"])
    # The history panel: one curve per k, each the recorded J of that fit.
    history_lines = disp.ax_[-1].get_lines()
    assert len(history_lines) == 4
    for line, est in zip(history_lines, disp.estimators_):
        np.testing.assert_array_equal(line.get_ydata(), est.inertia_history_)
    assert disp.ax_[-1].get_legend() is not None
    fig, axes = plt.subplots(1, 7)
    assert disp.plot(ax=axes).figure_ is fig
    with pytest.raises(ValueError, match="one Axes per panel"):
        disp.plot(ax=axes[:3])
    # Above 8 values of k the history names k by a colour scale, not a legend.
    many = KSelectionDisplay.from_data(X, n_clusters=range(2, 12), n_references=0, random_state=0)
    assert many.ax_[-1].get_legend() is None
    (scale,) = [a for a in many.figure_.axes if a.get_ylabel() == "k"]
    assert [t.get_text() for t in scale.get_yticklabels()] == [str(k) for k in range(2, 12)]


def test_kselection_works_with_sklearn_kmeans(blobs):
    X, _ = blobs
    disp = KSelectionDisplay.from_estimator(
        KMeans(n_init=1), X, n_clusters=[2, 3, 4, 5], n_references=0, random_state=0
    )
    assert "gap" not in disp.scores_ and "history" not in disp.panels_
    assert disp.best_n_clusters_["silhouette"] == 4


@pytest.mark.parametrize(
    "n_clusters, message",
    [
        ([3], "at least two"),
        ([3, 2], "increasing"),
        ([0, 1], "increasing positive"),
    ],
)
def test_kselection_rejects_bad_k(blobs, n_clusters, message):
    with pytest.raises(ValueError, match=message):
        KSelectionDisplay.from_data(blobs[0], n_clusters=n_clusters, plot=False)


def test_silhouette_display_is_silhouette_samples(blobs):
    X, _ = blobs
    km = LloydKMeans(4, random_state=0).fit(X)
    disp = SilhouetteDisplay.from_estimator(km, X, sample_size=None)
    np.testing.assert_allclose(disp.silhouette_values_, silhouette_samples(X, km.labels_))
    np.testing.assert_allclose(disp.silhouette_avg_, silhouette_score(X, km.labels_))
    assert disp.n_clusters_ == 4 and len(disp.fills_) == 4
    assert disp.avg_line_.get_xdata()[0] == disp.silhouette_avg_
    # Each band holds its cluster's values, sorted.
    for c, fill in zip(range(4), disp.fills_):
        xs = fill.get_paths()[0].vertices[:, 0]
        assert xs.max() == pytest.approx(np.max(disp.silhouette_values_[km.labels_ == c]))


def test_silhouette_display_sample_and_labels(blobs):
    X, y = blobs
    disp = SilhouetteDisplay.from_predictions(X, y, sample_size=100, random_state=0)
    rows = np.sort(np.random.RandomState(0).choice(len(X), 100, replace=False))
    np.testing.assert_allclose(disp.silhouette_values_, silhouette_samples(X[rows], y[rows]))
    agg = AgglomerativeClustering(4).fit(X)  # no predict: its training labels
    disp = SilhouetteDisplay.from_estimator(agg, X, sample_size=None)
    np.testing.assert_array_equal(disp.labels_, agg.labels_)
    with pytest.raises(ValueError, match="between 2"):
        SilhouetteDisplay.from_predictions(X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="one entry per sample"):
        SilhouetteDisplay.from_predictions(X, y[:-1])
