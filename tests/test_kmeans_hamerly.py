"""LloydKMeans(bounds="hamerly"): Lloyd's iterations with Hamerly's bounds."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import make_blobs
from sklearn.utils._param_validation import InvalidParameterError
from threadpoolctl import threadpool_limits

from sklearn_tendency import LloydKMeans, _k_means_lloyd


def _blobs(n, d, k, dtype, seed=0, std=1.0):
    X, _ = make_blobs(n, n_features=d, centers=k, cluster_std=std, random_state=seed)
    return X.astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("d, k", [(2, 3), (8, 20), (32, 40)])
def test_same_iterations_as_the_lloyd_pass(dtype, threads, weighted, d, k):
    # From the same initial centres the bounds change no label except at a
    # near-tie within rounding: the same labels and iteration count, hence
    # the same sums in the same order, hence the centres' very bits; the
    # objective history is J from direct distances, equal to Lloyd's up to
    # rounding. Where the runs part (a sample whose two nearest centres are
    # equidistant within the distances' rounding, which the GEMM of a
    # searched subset and of a 256-row chunk may break differently), the
    # samples labelled differently must all be such near-ties.
    X = _blobs(30000, d, k, dtype, seed=d + k, std=2.0)
    rng = np.random.RandomState(k)
    w = rng.uniform(0.5, 2.0, size=X.shape[0]).astype(dtype) if weighted else None

    def fits(**kw):
        with threadpool_limits(threads, user_api="openmp"):
            plain = LloydKMeans(k, init=init, tol=0, store_centers=True, **kw).fit(X, sample_weight=w)
            bounded = LloydKMeans(k, init=init, tol=0, store_centers=True, bounds="hamerly", **kw)
            return plain, bounded.fit(X, sample_weight=w)

    init = X[rng.choice(X.shape[0], k, replace=False)]
    plain, bounded = fits()
    assert plain.n_iter_ < plain.max_iter  # converged: every iteration compared
    same = [
        np.array_equal(a, b) for a, b in zip(plain.center_history_, bounded.center_history_, strict=False)
    ]
    if all(same) and plain.n_iter_ == bounded.n_iter_:
        np.testing.assert_array_equal(bounded.labels_, plain.labels_)
        np.testing.assert_array_equal(bounded.cluster_centers_, plain.cluster_centers_)
        rtol = 1e-5 if dtype == np.float32 else 1e-12
        np.testing.assert_allclose(bounded.inertia_history_, plain.inertia_history_, rtol=rtol)
        assert bounded.inertia_ == bounded.inertia_history_[-1]
        return
    # The runs part after iteration m: reassign to the centres they shared.
    m = same.index(False) - 1
    assert m >= 1
    plain, bounded = fits(max_iter=m)
    np.testing.assert_array_equal(bounded.cluster_centers_, plain.cluster_centers_)
    differ = np.flatnonzero(bounded.labels_ != plain.labels_)
    assert 0 < differ.size <= 3
    mean = X.astype(np.float64).mean(axis=0)
    x = X[differ].astype(np.float64) - mean
    c = plain.cluster_centers_.astype(np.float64) - mean
    d2 = np.sort(((x[:, None, :] - c[None, :, :]) ** 2).sum(axis=2), axis=1)
    assert np.all((d2[:, 1] - d2[:, 0]) / d2[:, 0] < (1e-4 if dtype == np.float32 else 1e-10))


def _brute_lloyd(X, init, n_iter):
    """Lloyd's iterations in float64 from direct distances: labels and J per iteration,
    and the smallest gap between the nearest and second-nearest distance seen."""
    C = init.astype(np.float64)
    X = X.astype(np.float64)
    history, gap = [], np.inf
    for _ in range(n_iter):
        D = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
        labels = np.argmin(D, axis=1)
        part = np.sort(D, axis=1)
        gap = min(gap, float(np.min(part[:, 1] - part[:, 0])))
        history.append(float(D[np.arange(X.shape[0]), labels].sum()))
        C = np.array([X[labels == j].mean(axis=0) for j in range(C.shape[0])])
    return labels, np.array(history), gap


@pytest.mark.parametrize("seed", range(6))
def test_against_brute_force_lloyd_on_structureless_data(seed):
    # Uniform data, where samples sit near boundaries and the bounds are
    # tested hardest: the labels and every entry of the history equal a
    # brute-force Lloyd from direct distances (no near-tie: checked).
    rng = np.random.RandomState(seed)
    n, d, k = 3000, 1 + seed, 2 + 3 * seed
    X = rng.uniform(size=(n, d))
    init = X[rng.choice(n, k, replace=False)]
    n_iter = 25
    km = LloydKMeans(k, init=init, tol=0, max_iter=n_iter, bounds="hamerly").fit(X)
    labels, history, gap = _brute_lloyd(X, init, km.n_iter_ + 1)
    assert gap > 1e-9
    np.testing.assert_array_equal(km.labels_, labels)
    np.testing.assert_allclose(km.inertia_history_, history, rtol=1e-12)


def test_the_bounds_skip_samples():
    # The point of the bounds: after the first passes most samples of
    # well-separated blobs are not searched (a bound never taken would give
    # the same results, at Lloyd's cost), and none is skipped wrongly
    # (compared with the Lloyd pass at every step above).
    X = _blobs(20000, 8, 10, np.float64, seed=3)
    X -= X.mean(axis=0)
    w = np.ones(X.shape[0])
    init = X[np.random.RandomState(0).choice(X.shape[0], 10, replace=False)]
    steps = _k_means_lloyd._dense_steps(X, w, init, 1, True, "hamerly")
    centers = init.copy()
    sums = np.empty_like(centers)
    weights = np.empty(10)
    searched = []
    for _ in range(8):
        before = steps.n_searched
        steps.assign(centers, (centers**2).sum(axis=1), sums, weights, True)
        searched.append(steps.n_searched - before)
        centers = sums / weights[:, None]
    assert searched[0] == X.shape[0]
    assert max(searched[-3:]) < 0.2 * X.shape[0]


def test_empty_clusters_and_duplicates_as_the_lloyd_pass():
    # More clusters than groups of distinct samples: clusters empty and are
    # relocated by the Lloyd kernel's rule; the bounds must follow the
    # relocated centres (their moves are measured, whatever they are).
    rng = np.random.RandomState(0)
    X = rng.randint(0, 6, size=(2000, 3)).astype(float)
    init = np.unique(X, axis=0)[rng.choice(len(np.unique(X, axis=0)), 40, replace=False)]
    init[:5] = init[0]  # five equal centres: four clusters empty at once
    plain = LloydKMeans(40, init=init).fit(X)
    bounded = LloydKMeans(40, init=init, bounds="hamerly").fit(X)
    assert plain.n_iter_ == bounded.n_iter_
    np.testing.assert_array_equal(bounded.labels_, plain.labels_)
    np.testing.assert_allclose(bounded.cluster_centers_, plain.cluster_centers_, rtol=0, atol=1e-12)


def test_n_init_and_copy_x_false():
    X = _blobs(5000, 4, 6, np.float64, seed=1)
    X_orig = X.copy()
    plain = LloydKMeans(6, n_init=4, random_state=0).fit(X)
    bounded = LloydKMeans(6, n_init=4, random_state=0, bounds="hamerly", copy_x=False).fit(X)
    np.testing.assert_allclose(X, X_orig, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(bounded.labels_, plain.labels_)
    np.testing.assert_allclose(bounded.inertia_, plain.inertia_, rtol=1e-12)
    assert len(bounded.inertia_histories_) == 4


def test_sparse_input_and_bad_values_are_refused():
    X = sparse.random(50, 5, density=0.5, format="csr", random_state=0)
    with pytest.raises(ValueError, match="bounds='hamerly' needs dense X"):
        LloydKMeans(2, bounds="hamerly", n_init=1).fit(X)
    with pytest.raises(InvalidParameterError, match="bounds"):
        LloydKMeans(2, bounds="elkan").fit(np.random.RandomState(0).normal(size=(20, 2)))
    with pytest.raises(ValueError, match="dense X"):
        _k_means_lloyd.lloyd(
            (X.data, X.indices.astype(np.int32), X.indptr.astype(np.int32)),
            np.ones(50),
            np.zeros((2, 5)),
            0.0,
            5,
            0.0,
            1,
            bounds="hamerly",
        )
