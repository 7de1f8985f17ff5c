"""Downsampled VAT and iVAT images against block reductions of the full images."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import pairwise_distances

from sklearn_tendency import (
    IVAT,
    VAT,
    block_edges,
    downsampled_ivat_image,
    downsampled_vat_image,
    vat_order,
)

REDUCERS = {"min": np.min, "max": np.max, "mean": np.mean}


def _block_reduce(full, edges, reduce):
    f = REDUCERS[reduce]
    m = edges.shape[0] - 1
    return np.array(
        [[f(full[edges[a] : edges[a + 1], edges[b] : edges[b + 1]]) for b in range(m)] for a in range(m)]
    )


def test_block_edges():
    edges = block_edges(10, 4)
    assert edges[0] == 0 and edges[-1] == 10
    sizes = np.diff(edges)
    assert sizes.min() >= 2 and sizes.max() <= 3 and sizes.sum() == 10
    np.testing.assert_array_equal(block_edges(3, 100), [0, 1, 2, 3])
    with pytest.raises(ValueError, match="max_pixels"):
        block_edges(10, 0)


@pytest.mark.parametrize("n, m", [(1, 1), (2, 1), (7, 3), (60, 7), (60, 60), (101, 10)])
@pytest.mark.parametrize("reduce", ["min", "max", "mean"])
@pytest.mark.parametrize("ties", [False, True])
def test_ivat_blocks_match_full_image(n, m, reduce, ties):
    rng = np.random.default_rng(n * m)
    w = rng.random(n)
    w[0] = 0.0
    if ties:
        # Equal weights exercise the <= of the merge and of the stack.
        w = np.round(w * 3) / 3
    # Brute force from the definition, not through the package's kernel.
    full = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            full[i, j] = full[j, i] = w[i + 1 : j + 1].max()
    got = downsampled_ivat_image(w, m, reduce=reduce)
    expected = _block_reduce(full, block_edges(n, m), reduce)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)


def test_ivat_full_resolution_is_the_image():
    X, _ = make_blobs(n_samples=120, centers=3, random_state=0)
    est = IVAT().fit(X)
    for reduce in ("min", "max", "mean"):
        np.testing.assert_allclose(
            downsampled_ivat_image(est.cut_weights_, 500, reduce=reduce),
            est.fit_transform(X),
            rtol=1e-12,
        )


def test_ivat_two_blocks_by_hand():
    # Two clusters of three: the large weight 5 separates positions 0-2 from 3-5.
    w = np.array([0.0, 1.0, 2.0, 5.0, 1.0, 1.0])
    np.testing.assert_array_equal(downsampled_ivat_image(w, 2, reduce="min"), [[0, 5], [5, 0]])
    np.testing.assert_array_equal(downsampled_ivat_image(w, 2, reduce="max"), [[2, 5], [5, 1]])
    # Block 0 pairs: (0,1)=1, (0,2)=2, (1,2)=2; block 1: all 1; each pair
    # twice, over 9 entries.
    np.testing.assert_allclose(
        downsampled_ivat_image(w, 2, reduce="mean"),
        [[10 / 9, 5], [5, 6 / 9]],
    )


def test_ivat_large_n_no_square_matrix():
    # n = 200 000 would need 320 GB as a full image.
    rng = np.random.default_rng(0)
    w = rng.random(200_000)
    w[0] = 0
    w[100_000] = 10.0
    image = downsampled_ivat_image(w, 50, reduce="min")
    assert image.shape == (50, 50)
    # Every pair across the middle crosses the weight 10.
    assert (image[:25, 25:] == 10.0).all()
    assert (image[:25, :25] < 10.0).all()


def test_ivat_bad_input():
    with pytest.raises(ValueError, match="reduce"):
        downsampled_ivat_image(np.zeros(5), 2, reduce="median")
    with pytest.raises(ValueError, match="1-d"):
        downsampled_ivat_image(np.zeros((2, 2)), 2)
    with pytest.raises(ValueError, match="non-negative"):
        downsampled_ivat_image([0.0, -1.0], 2)


@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "cosine"])
@pytest.mark.parametrize("reduce", ["min", "mean"])
@pytest.mark.parametrize("m", [1, 9, 80])
def test_vat_blocks_match_full_image(metric, reduce, m):
    X, _ = make_blobs(n_samples=80, n_features=3, centers=3, random_state=1)
    order, _ = vat_order(X, metric=metric)
    full = pairwise_distances(X[order], metric=metric)
    np.fill_diagonal(full, 0.0)
    # A tiny working memory forces strips of a few rows, so blocks span strips.
    got = downsampled_vat_image(X, order, metric=metric, max_pixels=m, reduce=reduce, working_memory=0.001)
    expected = _block_reduce(full, block_edges(80, m), reduce)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


def test_vat_precomputed_matches_features():
    X, _ = make_blobs(n_samples=50, centers=2, random_state=0)
    D = pairwise_distances(X)
    est = VAT().fit(X)
    for reduce in ("min", "mean"):
        np.testing.assert_allclose(
            downsampled_vat_image(D, est.order_, metric="precomputed", max_pixels=7, reduce=reduce),
            downsampled_vat_image(X, est.order_, max_pixels=7, reduce=reduce),
            atol=1e-12,
        )


def test_vat_full_resolution_is_the_image():
    X, _ = make_blobs(n_samples=60, centers=3, random_state=2)
    est = VAT()
    image = est.fit_transform(X)
    np.testing.assert_allclose(downsampled_vat_image(X, est.order_, max_pixels=60), image, atol=1e-12)


def test_vat_bad_input():
    X = np.random.default_rng(0).random((10, 2))
    with pytest.raises(ValueError, match="permutation"):
        downsampled_vat_image(X, np.arange(9))
    with pytest.raises(ValueError, match="permutation"):
        downsampled_vat_image(X, np.zeros(10, dtype=int))
    with pytest.raises(ValueError, match="reduce"):
        downsampled_vat_image(X, np.arange(10), reduce="max")


def test_inputs_not_modified():
    X, _ = make_blobs(n_samples=40, random_state=0)
    X_copy = X.copy()
    order, w = vat_order(X)
    order_copy, w_copy = order.copy(), w.copy()
    downsampled_vat_image(X, order, max_pixels=5)
    downsampled_ivat_image(w, 5)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(order, order_copy)
    np.testing.assert_array_equal(w, w_copy)


def test_vat_sparse_matches_dense():
    from scipy import sparse

    X, _ = make_blobs(n_samples=40, centers=2, random_state=0)
    X[X < 0] = 0.0
    order, _ = vat_order(X)
    for reduce in ("min", "mean"):
        np.testing.assert_allclose(
            downsampled_vat_image(sparse.csr_matrix(X), order, max_pixels=6, reduce=reduce),
            downsampled_vat_image(X, order, max_pixels=6, reduce=reduce),
            atol=1e-12,
        )


# --- The exact VAT image (doc/user_guide/algorithms.rst, section algo-vat-image)


def _hard_data(n, d, seed):
    """Clusters far from the origin, each row spread at its own scale (1e-12
    to 1), and exact duplicates: both kept and recomputed Gram entries."""
    rng = np.random.RandomState(seed)
    centres = 1e6 + 10.0 * rng.rand(5, d)
    scales = 10.0 ** rng.randint(-12, 1, size=(n, 1))
    X = centres[rng.randint(5, size=n)] + scales * rng.rand(n, d)
    X[1::7] = X[0::7][: X[1::7].shape[0]]
    return X


@pytest.mark.parametrize("n, d", [(3, 1), (70, 3), (300, 17), (600, 600)])
@pytest.mark.parametrize("metric", ["euclidean", "sqeuclidean"])
def test_exact_vat_image_error_bound_and_path(n, d, metric):
    # (600, 600): two bands of rows, blocks of 256 columns and tiles of 64
    # cross inside the matrix.
    from scipy.spatial.distance import cdist

    X = _hard_data(n, d, n + d)
    images = []
    for n_jobs in (1, 2):
        vat = VAT(metric=metric, n_jobs=n_jobs, n_references=0)
        images.append(vat.fit_transform(X))
    image = images[0]
    # Bit-identical on 1 and 2 threads: no two tasks write one entry.
    np.testing.assert_array_equal(images[1], image)
    # Along the VAT path the image holds the cut weights, bit for bit.
    along = np.r_[0.0, [image[:k, k].min() for k in range(1, n)]]
    np.testing.assert_array_equal(along, vat.cut_weights_)
    # Every entry within a relative 2**-30 of the exact distance (cdist sums
    # the differences: its own error, d * 2**-53, is far below); duplicates 0.
    rows = X[vat.order_]
    exact = cdist(rows, rows, metric=metric)
    assert np.all(np.abs(image - exact) <= 2.0**-30 * exact)
    assert np.array_equal(image, image.T) and np.all(np.diag(image) == 0)
    assert np.any((exact == 0) & ~np.eye(n, dtype=bool)) or n < 8


def test_exact_vat_image_more_accurate_than_the_gram_formula():
    # Ordinary data near the origin: the image is at least as accurate as
    # scikit-learn's euclidean_distances (the old image), against exact sums.
    from scipy.spatial.distance import cdist

    rng = np.random.RandomState(0)
    for d in (2, 8, 32):
        X = rng.rand(500, d)
        vat = VAT(n_references=0)
        image = vat.fit_transform(X)
        rows = X[vat.order_]
        exact = cdist(rows, rows)
        off = ~np.eye(500, dtype=bool)
        ours = np.max(np.abs(image - exact)[off] / exact[off])
        gram = np.max(np.abs(pairwise_distances(rows) - exact)[off] / exact[off])
        assert ours <= gram


@pytest.mark.parametrize("algorithm", ["prim", "boruvka", "delaunay"])
@pytest.mark.parametrize("metric", ["euclidean", "sqeuclidean"])
def test_exact_vat_image_path_for_every_route(algorithm, metric):
    # The tree routes give the cut weights Prim's would, bit for bit: so does
    # the image along the path.
    rng = np.random.RandomState(1)
    X = 1e7 + rng.rand(400, 2) * 10.0 ** rng.randint(-6, 1, size=(400, 1))
    vat = VAT(metric=metric, algorithm=algorithm, n_references=0)
    image = vat.fit_transform(X)
    np.testing.assert_array_equal(vat.order_, VAT(metric=metric, algorithm="prim").fit(X).order_)
    along = np.r_[0.0, [image[:k, k].min() for k in range(1, 400)]]
    np.testing.assert_array_equal(along, vat.cut_weights_)


def test_exact_vat_image_beyond_the_float_range():
    # Squared norms and squared distances overflow float64 here; the image is
    # computed on X scaled by a power of two (algo-scaling) and returned in
    # X's units, exact.
    X = np.array([[-0.5e308, 0.0], [0.5e308, 0.0], [0.5e308, 1e300], [-0.5e308, 3e300]])
    vat = VAT(n_references=0)
    image = vat.fit_transform(X)
    rows = np.ldexp(X[vat.order_], -1024)
    expected = np.ldexp(np.sqrt(((rows[:, None, :] - rows[None, :, :]) ** 2).sum(axis=2)), 1024)
    np.testing.assert_allclose(image, expected, rtol=1e-15)
    # Distances that exceed float64 itself: a clear error, and no fitted
    # estimator left behind.
    with pytest.raises(ValueError, match="exceed the float64 range"):
        vat.fit_transform(X * 3)
    assert not hasattr(vat, "order_")
