import numpy as np
import pytest
from scipy import stats
from sklearn.datasets import make_blobs
from sklearn.neighbors import NearestNeighbors

from sklearn_tendency import hopkins, hopkins_test


def brute_force_hopkins(X, m, seed):
    """Wright (2022) by the definition, with the package's draws replayed."""
    rng = np.random.RandomState(seed)
    idx = rng.choice(len(X), size=m, replace=False)
    lo, hi = X.min(0), X.max(0)
    U = rng.uniform(lo, hi, size=(m, X.shape[1]))
    d = X.shape[1]
    u = np.array([np.min(np.linalg.norm(X - p, axis=1)) for p in U])
    w = np.array([np.min(np.linalg.norm(np.delete(X, i, axis=0) - X[i], axis=1)) for i in idx])
    return np.sum(u**d) / (np.sum(u**d) + np.sum(w**d))


@pytest.mark.parametrize("d", [1, 2, 5])
def test_matches_definition(d):
    X = np.random.RandomState(d).normal(size=(200, d))
    res = hopkins_test(X, sample_size=20, pvalue="beta", random_state=7)
    assert res.statistic == pytest.approx(brute_force_hopkins(X, 20, 7), rel=1e-10)
    assert res.pvalue == pytest.approx(stats.beta.sf(res.statistic, 20, 20), rel=1e-10)
    assert res.sample_size == 20 and res.dimension == d and res.method == "beta"
    # The default takes the Beta p-value only where it was measured to hold
    # (d <= 2 at this n); the statistic is the same either way.
    auto = hopkins_test(X, sample_size=20, random_state=7, n_jobs=1)
    assert auto.statistic == res.statistic
    assert auto.method == ("beta" if d <= 2 else "simulated")
    statistic, pvalue = res
    assert statistic == res.statistic and pvalue == res.pvalue


@pytest.mark.slow
def test_uniform_data_is_calibrated():
    # Under complete spatial randomness H ~ Beta(m, m): mean 1/2, p-values uniform.
    # (2-d, where edge effects of the bounding box are small.)
    stats_, pvals = [], []
    for seed in range(300):
        X = np.random.RandomState(seed).uniform(size=(500, 2))
        # A seed of its own for the draws: the data's own stream would make the
        # uniform points replay data rows.
        res = hopkins_test(X, sample_size=25, random_state=10_000 + seed)
        stats_.append(res.statistic)
        pvals.append(res.pvalue)
    assert abs(np.mean(stats_) - 0.5) < 0.02
    # Kolmogorov-Smirnov against U(0, 1): a broken p-value (e.g. exponent 1,
    # or 1 - H) fails this by orders of magnitude.
    assert stats.kstest(pvals, "uniform").pvalue > 1e-3
    assert 0.02 < np.mean(np.array(pvals) < 0.05) < 0.09


def test_exponent_one_would_not_be_calibrated_in_high_dimension():
    # What the exponent d buys: in 10-d, exponent 1 pulls H towards 1/2 on
    # clustered data, while the corrected statistic is near 1.
    X, _ = make_blobs(n_samples=600, n_features=10, centers=5, cluster_std=0.5, random_state=0)
    res = hopkins_test(X, pvalue="beta", random_state=0)
    assert res.statistic > 0.99 and res.pvalue < 1e-10
    # In 10-d the default p-value is simulated under the box null: the
    # smallest possible, 1 / (1 + n_simulations).
    sim = hopkins_test(X, random_state=0, n_jobs=1)
    assert sim.statistic == res.statistic and sim.pvalue == pytest.approx(1 / 100)


def test_separated_clusters():
    X, _ = make_blobs(n_samples=500, centers=4, cluster_std=0.4, random_state=1)
    res = hopkins_test(X, random_state=0)
    assert res.statistic > 0.9
    assert res.pvalue < 1e-8
    assert hopkins(X, random_state=0) == res.statistic


def test_regular_grid_is_less_than_half():
    g = np.linspace(0, 1, 30)
    X = np.array(np.meshgrid(g, g)).reshape(2, -1).T
    res = hopkins_test(X, alternative="less", random_state=0)
    assert res.statistic < 0.3 and res.pvalue < 1e-3
    two = hopkins_test(X, alternative="two-sided", random_state=0)
    assert two.pvalue == pytest.approx(min(1, 2 * res.pvalue), rel=1e-9)


def test_no_self_neighbour_with_duplicates():
    rng = np.random.RandomState(0)
    base = rng.uniform(size=(100, 2))
    X = np.vstack([base, base])  # every point has a twin at distance 0
    res = hopkins_test(X, sample_size=50, random_state=0)
    # w = 0 for every sampled point: H = 1 exactly, not a self-distance artefact.
    assert res.statistic == 1.0
    # Without duplicates, w is the distance to the nearest other point.
    nn = NearestNeighbors(n_neighbors=2).fit(base)
    assert np.all(nn.kneighbors(base)[0][:, 1] > 0)


def test_large_dimension_is_finite():
    X = np.random.RandomState(0).uniform(size=(300, 400))
    res = hopkins_test(X, random_state=0)
    assert np.isfinite(res.statistic) and 0 <= res.statistic <= 1
    assert res.dimension == 400


def test_constant_feature_does_not_count_in_dimension():
    rng = np.random.RandomState(0)
    X = np.column_stack([rng.uniform(size=400), rng.uniform(size=400), np.ones(400)])
    res = hopkins_test(X, random_state=0)
    assert res.dimension == 2


def test_reproducible():
    X = np.random.RandomState(0).normal(size=(100, 3))
    assert hopkins(X, random_state=3) == hopkins(X, random_state=3)
    X0 = X.copy()
    hopkins(X, random_state=np.random.RandomState(1))
    np.testing.assert_array_equal(X, X0)


@pytest.mark.parametrize(
    "X, kwargs, exc, match",
    [
        (np.array([[0.0, np.nan], [1, 2], [3, 4]]), {}, ValueError, "NaN"),
        (np.array([[0.0, np.inf], [1, 2], [3, 4]]), {}, ValueError, "infinity"),
        (np.array([[1.0, 2.0]]), {}, ValueError, "minimum of 2"),
        (np.ones(5), {}, ValueError, "Expected 2D"),
        (np.ones((5, 2)), {}, ValueError, "identical"),
        (np.random.default_rng(0).random((10, 2)), {"sample_size": 0}, ValueError, "out of range"),
        (np.random.default_rng(0).random((10, 2)), {"sample_size": 11}, ValueError, "out of range"),
        (np.random.default_rng(0).random((10, 2)), {"sample_size": 1.5}, ValueError, "out of range"),
        (np.random.default_rng(0).random((10, 2)), {"sample_size": "a"}, TypeError, "int or a float"),
        (np.random.default_rng(0).random((10, 2)), {"metric": "precomputed"}, ValueError, "precomputed"),
        (np.random.default_rng(0).random((10, 2)), {"alternative": "bigger"}, ValueError, "alternative"),
    ],
)
def test_bad_input(X, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        hopkins_test(X, **kwargs)
