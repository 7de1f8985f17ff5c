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
