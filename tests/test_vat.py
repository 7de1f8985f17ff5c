import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.spatial.distance import cdist
from sklearn.cluster import AgglomerativeClustering
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score, pairwise_distances

from sklearn_tendency import IVAT, VAT, estimate_n_clusters, ivat, ivat_from_cut_weights, vat, vat_order
from sklearn_tendency._cut_weights import single_linkage_labels
from sklearn_tendency.datasets import load_faithful, make_clustering_seminar


def reference_minimax(D):
    """Minimax path distances by a Floyd-Warshall closure."""
    M = D.copy()
    for k in range(M.shape[0]):
        M = np.minimum(M, np.maximum(M[:, [k]], M[[k], :]))
    return M


SCIPY_NAME = {
    "euclidean": "euclidean",
    "manhattan": "cityblock",
    "chebyshev": "chebyshev",
    "sqeuclidean": "sqeuclidean",
    "cosine": "cosine",
    "minkowski": "minkowski",
}


@pytest.mark.parametrize("n, d", [(2, 1), (7, 3), (60, 2), (120, 8)])
@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "chebyshev", "sqeuclidean", "cosine"])
def test_order_matches_brute_force(n, d, metric, textbook_vat):
    rng = np.random.RandomState(n * 31 + d)
    X = rng.normal(size=(n, d))
    D = cdist(X, X, SCIPY_NAME[metric])
    ref_order, ref_cuts = textbook_vat(D)
    order, cuts = vat_order(X, metric=metric)
    np.testing.assert_array_equal(order, ref_order)
    np.testing.assert_allclose(cuts, ref_cuts, rtol=1e-12, atol=1e-12)
    # The precomputed path reads the same matrix.
    order_p, cuts_p = vat_order(D, metric="precomputed")
    np.testing.assert_array_equal(order_p, ref_order)
    np.testing.assert_allclose(cuts_p, ref_cuts, rtol=1e-12)


def test_minkowski_with_params_goes_through_rowwise_path(textbook_vat):
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(50, 3))
    D = cdist(X, X, "minkowski", p=3)
    ref_order, ref_cuts = textbook_vat(D)
    order, cuts = vat_order(X, metric="minkowski", metric_params={"p": 3})
    np.testing.assert_array_equal(order, ref_order)
    np.testing.assert_allclose(cuts, ref_cuts, rtol=1e-9)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_parallel_kernel_matches_reference_above_threshold(n_jobs):
    # 5000 samples: more open candidates than the kernel's one-thread threshold,
    # so the chunked parallel reduction and the list compaction both run.
    rng = np.random.RandomState(1)
    X = rng.uniform(size=(5000, 4))
    order, cuts = vat_order(X, n_jobs=n_jobs)
    D = cdist(X, X)
    start = int(np.argmax(D)) // len(X)
    assert order[0] == start
    # Vectorized Prim as the reference for this size.
    n = len(X)
    to_tree = D[start].copy()
    closed = np.zeros(n, bool)
    closed[start] = True
    ref = [start]
    ref_cuts = [0.0]
    for _ in range(n - 1):
        masked = np.where(closed, np.inf, to_tree)
        j = int(np.argmin(masked))
        ref.append(j)
        ref_cuts.append(masked[j])
        closed[j] = True
        np.minimum(to_tree, D[j], out=to_tree)
    np.testing.assert_array_equal(order, ref)
    np.testing.assert_allclose(cuts, ref_cuts, rtol=1e-12)


def test_float32_matches_float64_order(textbook_vat):
    rng = np.random.RandomState(2)
    X = rng.normal(size=(300, 5)).astype(np.float32)
    order32, cuts32 = vat_order(X)
    # The kernel accumulates float32 input in double: the same as cdist on the
    # float32 values cast up.
    D = cdist(X.astype(np.float64), X.astype(np.float64))
    ref_order, ref_cuts = textbook_vat(D)
    np.testing.assert_array_equal(order32, ref_order)
    np.testing.assert_allclose(cuts32, ref_cuts, rtol=1e-12)


def test_sparse_input_equals_dense():
    rng = np.random.RandomState(3)
    X = rng.normal(size=(80, 6))
    X[X < 0.5] = 0
    o_dense, c_dense = vat_order(X)
    o_sparse, c_sparse = vat_order(csr_matrix(X))
    np.testing.assert_array_equal(o_dense, o_sparse)
    np.testing.assert_allclose(c_dense, c_sparse, rtol=1e-7)


def test_cut_weights_are_minimum_spanning_tree():
    from scipy.sparse.csgraph import minimum_spanning_tree

    rng = np.random.RandomState(4)
    X = rng.normal(size=(200, 3))
    _, cuts = vat_order(X)
    mst = minimum_spanning_tree(cdist(X, X))
    np.testing.assert_allclose(np.sort(cuts[1:]), np.sort(mst.data), rtol=1e-12)


@pytest.mark.parametrize("n, d", [(5, 2), (40, 3), (90, 10)])
def test_ivat_image_equals_minimax_closure(n, d):
    rng = np.random.RandomState(n + d)
    X = rng.normal(size=(n, d))
    est = IVAT().fit(X)
    image = est.fit_transform(X)
    D = cdist(X, X)
    ref = reference_minimax(D)[np.ix_(est.order_, est.order_)]
    np.testing.assert_allclose(image, ref, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(image, image.T)
    assert ivat(X).shape == (n, n)


def test_ivat_from_cut_weights_float32_and_validation():
    cuts = np.array([0.0, 3.0, 1.0, 2.0])
    img = ivat_from_cut_weights(cuts, dtype=np.float32)
    assert img.dtype == np.float32
    expected = np.array([[0, 3, 3, 3], [3, 0, 1, 2], [3, 1, 0, 2], [3, 2, 2, 0]], dtype=np.float32)
    np.testing.assert_array_equal(img, expected)
    with pytest.raises(ValueError, match="1-d"):
        ivat_from_cut_weights(np.zeros((2, 2)))


def test_vat_image_is_reordered_distance_matrix():
    rng = np.random.RandomState(5)
    X = rng.normal(size=(70, 4))
    est = VAT()
    image = est.fit_transform(X)
    # cdist, not pairwise_distances: the GEMM formula of the latter is not
    # exactly symmetric, and the first maximum of a precomputed matrix is read
    # in row-major order, as the matrix stands.
    D = cdist(X, X)
    np.testing.assert_allclose(image, D[np.ix_(est.order_, est.order_)], atol=1e-12)
    # transform orders X itself: on the training data it is the same image.
    np.testing.assert_allclose(est.transform(X), image, atol=1e-12)
    np.testing.assert_allclose(vat(X), image, atol=1e-12)
    Dimg = VAT(metric="precomputed").fit_transform(D)
    np.testing.assert_allclose(Dimg, image, atol=1e-12)


@pytest.mark.parametrize("n_clusters", [2, 3, 5])
def test_blocks_are_single_linkage_clusters(n_clusters):
    X, _ = make_blobs(n_samples=150, centers=4, cluster_std=1.2, random_state=n_clusters)
    est = VAT(n_clusters=n_clusters).fit(X)
    ref = AgglomerativeClustering(n_clusters=n_clusters, linkage="single").fit(X)
    assert adjusted_rand_score(ref.labels_, est.labels_) == 1.0
    assert len(np.unique(est.labels_)) == n_clusters
    # Labels are contiguous blocks of the order.
    assert np.all(np.diff(est.labels_[est.order_]) >= 0)


def test_single_linkage_labels_clamps_cluster_count():
    order = np.array([2, 0, 1])
    labels = single_linkage_labels(order, np.array([0.0, 1.0, 5.0]), 10)
    np.testing.assert_array_equal(labels, [1, 2, 0])


def _seminar():
    # The seminar's blobs touch: single linkage sees fewer than their 5 groups.
    seminar = make_clustering_seminar()
    return {
        **{
            name: (seminar[name].data, seminar[name].n_clusters)
            for name in ("merce", "moons", "circles", "uniform")
        },
        "gaussian": (np.random.RandomState(0).normal(size=(500, 2)), 1),
        "uniform32": (np.random.RandomState(0).rand(1000, 32), 1),
        "faithful": (load_faithful().data, 2),
    }


@pytest.mark.parametrize("name", list(_seminar()))
def test_n_clusters_estimate_on_reference_data(name):
    X, expected = _seminar()[name]
    # The single-linkage rule (the estimate before issue 16, under its own
    # name now): the same expectations. The estimate is at least that count;
    # its own accuracy is measured by benchmarks/bench_n_clusters.py and
    # tests/test_n_clusters.py.
    est = VAT(random_state=0).fit(X)
    assert est.n_clusters_single_linkage_ == estimate_n_clusters(est.cut_weights_) == expected
    assert est.n_clusters_estimate_ >= expected


def test_n_clusters_estimate_ignores_outliers():
    X, _ = make_blobs(n_samples=300, centers=[[0, 0], [8, 0]], cluster_std=0.5, random_state=0)
    X = np.vstack([X, [[50, 50]], [[-40, 30]]])
    assert VAT().fit(X).n_clusters_estimate_ == 2
    # A single cut weight far above the rest still needs a large block on each side.
    assert estimate_n_clusters(np.array([0, 1, 1, 1, 1, 100.0])) == 1


def test_duplicates_and_identical_data(textbook_vat):
    X = np.zeros((50, 3))
    order, cuts = vat_order(X)
    np.testing.assert_array_equal(order, np.arange(50))
    np.testing.assert_array_equal(cuts, 0)
    est = IVAT().fit(X)
    assert est.n_clusters_estimate_ == 1
    np.testing.assert_array_equal(est.fit_transform(X), 0)
    # Duplicated rows: ties broken to the lowest index, matching the reference.
    rng = np.random.RandomState(6)
    base = rng.randint(0, 3, size=(20, 2)).astype(float)
    X = np.vstack([base, base])
    D = cdist(X, X)
    ref_order, ref_cuts = textbook_vat(D)
    order, cuts = vat_order(X)
    np.testing.assert_array_equal(order, ref_order)
    np.testing.assert_allclose(cuts, ref_cuts)
    order_p, _ = vat_order(D, metric="precomputed")
    np.testing.assert_array_equal(order_p, ref_order)


def test_fortran_ordered_precomputed_is_read_as_rows():
    rng = np.random.RandomState(7)
    X = rng.normal(size=(40, 2))
    D = cdist(X, X)
    np.testing.assert_array_equal(
        vat_order(np.asfortranarray(D), metric="precomputed")[0],
        vat_order(D, metric="precomputed")[0],
    )


def test_inputs_not_modified():
    rng = np.random.RandomState(8)
    X = rng.normal(size=(30, 3))
    D = cdist(X, X)
    X0, D0 = X.copy(), D.copy()
    VAT().fit_transform(X)
    IVAT().fit_transform(X)
    VAT(metric="precomputed").fit_transform(D)
    IVAT(metric="precomputed").fit(D).transform(D)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(D, D0)


@pytest.mark.parametrize("Est", [VAT, IVAT])
@pytest.mark.parametrize(
    "X, params, match",
    [
        (np.array([[0.0, np.nan], [1.0, 2.0]]), {}, "NaN"),
        (np.array([[0.0, np.inf], [1.0, 2.0]]), {}, "infinity"),
        (np.array([[1.0, 2.0]]), {}, "minimum of 2"),
        (np.array([1.0, 2.0, 3.0]), {}, "Expected 2D array"),
        (np.zeros((3, 3, 3)), {}, "dim 3"),
        (np.array([["a", "b"], ["c", "d"]]), {}, "could not convert|string"),
        (np.ones((3, 4)), {"metric": "precomputed"}, "must be square"),
        (np.array([[0.0, 1.0], [2.0, 0.0]]), {"metric": "precomputed"}, "symmetric"),
        (np.array([[0.0, -1.0], [-1.0, 0.0]]), {"metric": "precomputed"}, "negative"),
        (np.ones((3, 2)), {"metric": "not-a-metric"}, "metric"),
    ],
)
def test_bad_input(Est, X, params, match):
    with pytest.raises(ValueError, match=match):
        Est(**params).fit(X)


def test_transform_checks_features_and_fitted():
    from sklearn.exceptions import NotFittedError

    X = np.random.RandomState(0).normal(size=(20, 3))
    with pytest.raises(NotFittedError):
        VAT().transform(X)
    est = VAT().fit(X)
    with pytest.raises(ValueError, match="features"):
        est.transform(X[:, :2])


def test_plot_functions_draw_the_image():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, _ = make_blobs(n_samples=40, centers=2, random_state=0)
    fig, ax = plt.subplots()
    image = ivat(X, ax=ax)
    shown = ax.get_images()[0].get_array()
    np.testing.assert_array_equal(np.asarray(shown), image)
    plt.close(fig)


@pytest.mark.parametrize("n, d", [(2, 3), (63, 5), (64, 5), (65, 5), (300, 7)])
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_euclidean_image_kernel(n, d, n_jobs):
    # Dense float64 Euclidean images come from BLAS products in bands + a fused
    # tiled pass; tiles of 64 rows, so 63/64/65 cross a tile edge. At least as
    # accurate as scikit-learn's formula (the tolerances below are its own),
    # exactly symmetric with a zero diagonal.
    rng = np.random.RandomState(n + d)
    X = rng.normal(size=(n, d)) + 3.0
    X[-1] = X[0]  # a duplicate pair
    # -2 x.y + |x|^2 + |y|^2 cancels to rounding noise of |x|^2 (~100 here):
    # about 1e-13 on squared distances, its square root (1e-7) on distances.
    for metric, atol in (("euclidean", 1e-6), ("sqeuclidean", 1e-11)):
        est = VAT(metric=metric, n_jobs=n_jobs)
        image = est.fit_transform(X)
        rows = X[est.order_]
        np.testing.assert_allclose(image, pairwise_distances(rows, metric=metric), rtol=1e-12, atol=atol)
        np.testing.assert_allclose(image, cdist(rows, rows, metric=metric), rtol=1e-12, atol=atol)
        assert np.array_equal(image, image.T)
        assert np.all(np.diag(image) == 0)
    # float32 keeps going through pairwise_distances, and stays float32.
    image32 = VAT().fit_transform(X.astype(np.float32))
    assert image32.dtype == np.float32


def test_block_scale_quantile_equals_numpy():
    from sklearn_tendency._cut_weights import _quantile

    rng = np.random.RandomState(0)
    for size in (1, 2, 3, 10, 101):
        for q in (0.0, 0.1, 0.5, 0.9, 1.0):
            x = rng.exponential(size=size)
            x[rng.randint(size, size=size // 3)] = x[0]  # ties
            np.testing.assert_allclose(_quantile(x, q), np.quantile(x, q), rtol=1e-13)
