"""Exactness of the Boruvka route (exact Euclidean MST over a k-d tree)."""

import numpy as np
import pytest
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial.distance import cdist, pdist, squareform

from sklearn_tendency import IVAT, VAT, _vat_boruvka, _vat_prim, vat_order
from sklearn_tendency import _ordering as ordering


def mixed(n, d, seed):
    """A Gaussian blob and a uniform box: dense and sparse regions, no ties."""
    rng = np.random.RandomState(seed)
    return np.vstack([rng.normal(size=(n // 2, d)), rng.uniform(3, 9, size=(n - n // 2, d))])


def boruvka_edges(X, leaf_size=16, n_threads=1):
    n = X.shape[0]
    u, v = np.empty(n - 1, dtype=np.intp), np.empty(n - 1, dtype=np.intp)
    w = np.empty(n - 1)
    tied = _vat_boruvka.boruvka_mst(np.ascontiguousarray(X, dtype=np.float64), leaf_size, u, v, w, n_threads)
    return tied, u, v, w


# n up to 20 000, d = 1..16; the large cases are few to keep the run short.
@pytest.mark.parametrize(
    "n, d",
    [
        (3000, 1),
        pytest.param(20000, 2, marks=pytest.mark.slow),
        (8000, 3),
        (4000, 4),
        (3000, 6),
        (3000, 8),
        (2000, 12),
        (2000, 16),
    ],
)
def test_boruvka_equals_core_prim(n, d, core_prim):
    X = mixed(n, d, seed=n + d)
    ref_order, ref_cuts = core_prim(X)
    assert ref_order[0] != 0
    order, cuts = vat_order(X, algorithm="boruvka")
    np.testing.assert_array_equal(order, ref_order)
    np.testing.assert_array_equal(cuts, ref_cuts)
    # sqeuclidean: same order, squared cut weights (the kernel's own bits).
    order2, cuts2 = vat_order(X, metric="sqeuclidean", algorithm="boruvka")
    np.testing.assert_array_equal(order2, ref_order)
    np.testing.assert_array_equal(np.sqrt(cuts2), ref_cuts)


@pytest.mark.parametrize("leaf_size", [1, 2, 16, 64, 5000])
@pytest.mark.parametrize("n, d", [(600, 2), (400, 5), (300, 16)])
def test_kernel_gives_the_mst_edges(n, d, leaf_size):
    # Against scipy's MST of the full matrix: the same edge set (the MST is
    # unique on these data) with the same squared weights.
    X = np.random.RandomState(d).uniform(size=(n, d))
    tied, u, v, w = boruvka_edges(X, leaf_size)
    assert not tied
    ref = minimum_spanning_tree(squareform(pdist(X, "sqeuclidean"))).tocoo()
    assert set(zip(np.minimum(u, v), np.maximum(u, v))) == set(
        zip(np.minimum(ref.row, ref.col), np.maximum(ref.row, ref.col))
    )
    np.testing.assert_allclose(np.sort(w), np.sort(ref.data), rtol=1e-12)


@pytest.mark.parametrize("leaf_size", [1, 16, 64])
@pytest.mark.parametrize("n, d", [(8000, 3), (3000, 8)])
def test_threads_give_the_same_tree(n, d, leaf_size, core_prim):
    # Each thread keeps the best edge of every component among the samples it
    # searched; merged, they are the serial kernel's edges, in its order.
    X = mixed(n, d, seed=n * d)
    serial = boruvka_edges(X, leaf_size, n_threads=1)
    assert not serial[0]
    for n_threads in (2, 3):
        parallel = boruvka_edges(X, leaf_size, n_threads=n_threads)
        assert parallel[0] == serial[0]
        for a, b in zip(parallel[1:], serial[1:]):
            np.testing.assert_array_equal(a, b)
    order, cuts = vat_order(X, algorithm="boruvka", n_jobs=2)
    ref_order, ref_cuts = core_prim(X)
    np.testing.assert_array_equal(order, ref_order)
    np.testing.assert_array_equal(cuts, ref_cuts)


@pytest.mark.parametrize("leaf_size", [16, 64])
@pytest.mark.parametrize("seed", range(3))
def test_threads_report_ties_between_components(seed, leaf_size):
    # A cluster on a dyadic grid (exact differences) and two copies of it
    # shifted by 3 and 6: once the copies are components, the middle one's
    # lightest edges to either side have the same length, from different
    # samples: a tie at every thread count, none before. Shifting the last
    # copy by 3 + 2**-10 instead leaves no tie: scipy's MST at every count.
    # The tied samples lie in leaves inside one component, which are tested
    # as a box first: the test must not skip a leaf holding a tied sample.
    rng = np.random.RandomState(seed)
    A = rng.randint(0, 1024, size=(200, 2)) / 1024
    assert not boruvka_edges(A)[0]
    X = np.vstack([A, A + [3, 0], A + [6, 0]])
    Y = np.vstack([A, A + [3, 0], A + [6 + 2**-10, 0]])
    ref = minimum_spanning_tree(squareform(pdist(Y, "sqeuclidean"))).data
    for n_threads in (1, 2, 3):
        assert boruvka_edges(X, leaf_size, n_threads=n_threads)[0]
        tied, u, v, w = boruvka_edges(Y, leaf_size, n_threads=n_threads)
        assert not tied
        np.testing.assert_allclose(np.sort(w), np.sort(ref), rtol=1e-12)


@pytest.mark.parametrize("n_threads", [1, 2, 3])
def test_tie_between_two_samples_of_a_component(n_threads):
    # Integer points on a line, distinct gaps: 63 points, a gap of 1000, a
    # pair 5 apart, a gap of 1000, 135 points. After the first round the pair
    # is a component whose lightest leaving edge, of weight 1000, starts at
    # either of its samples: a tie that no single search sees. With one
    # sample per leaf the tree order is the sorted order, so the pair sits at
    # positions 63 and 64, in different chunks of 64: different threads.
    rng = np.random.RandomState(0)
    gaps = np.r_[rng.permutation(np.arange(100, 162)), 1000, 5, 1000, rng.permutation(np.arange(200, 334))]
    X = np.r_[0, np.cumsum(gaps)].astype(float)[:, None]
    assert boruvka_edges(X, 1, n_threads=n_threads)[0]
    X[65:] += 1  # the right gap 1001: no tie, and the MST
    tied, u, v, w = boruvka_edges(X, 1, n_threads=n_threads)
    assert not tied
    np.testing.assert_array_equal(np.sort(w), np.sort(np.diff(X[:, 0]) ** 2))


@pytest.mark.parametrize("n_threads", [1, 2])
def test_identical_samples_are_a_tie(n_threads):
    # Identical rows: every leaf of them is split like any other node (a
    # zero-spread node used to stay one leaf, searched by one thread between
    # two checks for Ctrl-C), and a tie at distance 0 ends a search at once.
    X = np.vstack([np.zeros((5000, 3)), np.random.RandomState(0).uniform(1, 2, size=(50, 3))])
    assert boruvka_edges(X, 16, n_threads=n_threads)[0]
    # One duplicate pair: both reach every other sample at the same length.
    assert boruvka_edges(X[4998:], 16, n_threads=n_threads)[0]
    assert not boruvka_edges(X[4999:], 16, n_threads=n_threads)[0]


def test_kernel_reports_ties():
    # An integer grid: many equal edges, some a component's lightest.
    X = np.random.RandomState(0).randint(0, 6, size=(150, 2)).astype(float)
    assert boruvka_edges(X)[0]
    X = np.array([[0.0], [1.0], [2.0]])  # sample 1 at distance 1 from both
    assert boruvka_edges(X)[0]


@pytest.mark.parametrize("seed", range(4))
def test_ties_follow_the_reference(seed, textbook_vat):
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 6, size=(150, 2)).astype(float)
    X[0] = [2, 3]
    ref_order, ref_cuts = textbook_vat(cdist(X, X))
    order, cuts = vat_order(X, algorithm="boruvka")
    np.testing.assert_array_equal(order, ref_order)
    np.testing.assert_allclose(cuts, ref_cuts, rtol=1e-12)
    # Duplicated rows (zero-length edges).
    Xd = np.vstack([X[:40] + 0.1 * rng.normal(size=(40, 2)), X[:40]])
    Xd = np.vstack([Xd, Xd[:5]])
    np.testing.assert_array_equal(vat_order(Xd, algorithm="boruvka")[0], textbook_vat(cdist(Xd, Xd))[0])


def test_float32_input_and_estimators():
    X = mixed(3000, 5, seed=1).astype(np.float32)
    # random_state: the gap count behind labels_ draws reference data.
    a = IVAT(algorithm="boruvka", random_state=0).fit(X)
    b = IVAT(algorithm="prim", random_state=0).fit(X)
    np.testing.assert_array_equal(a.order_, b.order_)
    np.testing.assert_array_equal(a.cut_weights_, b.cut_weights_)
    np.testing.assert_array_equal(a.labels_, b.labels_)


def test_kernel_checks_its_arguments():
    X = np.zeros((5, 2))
    out = np.empty(4, dtype=np.intp)
    with pytest.raises(ValueError, match="w_out must have shape"):
        _vat_boruvka.boruvka_mst(X, 16, out, out, np.empty(3))
    with pytest.raises(ValueError, match="leaf_size"):
        _vat_boruvka.boruvka_mst(X, 0, out, out, np.empty(4))
    with pytest.raises(ValueError, match="n_threads"):
        _vat_boruvka.boruvka_mst(X, 16, out, out, np.empty(4), 0)


def test_boruvka_rejects_unsupported_inputs():
    X = np.random.RandomState(0).normal(size=(50, 4))
    with pytest.raises(ValueError, match="Euclidean"):
        VAT(algorithm="boruvka", metric="manhattan").fit(X)


def test_auto_picks_boruvka_where_measured_fastest(monkeypatch):
    calls = []
    real = ordering._vat_order_boruvka
    monkeypatch.setattr(
        ordering,
        "_vat_order_boruvka",
        lambda *a: calls.append(a[0].shape) or real(*a),
    )
    rng = np.random.RandomState(0)
    # n_references=0: the gap statistic's reference orders take routes too.
    VAT(n_references=0).fit(rng.normal(size=(2500, 2)))
    VAT(n_references=0).fit(rng.normal(size=(12000, 6)))
    VAT(n_references=0).fit(rng.normal(size=(3000, 6)))  # Prim's faster at this n
    VAT(n_references=0).fit(rng.normal(size=(100, 2)))  # small: Prim's
    VAT(n_references=0).fit(rng.normal(size=(3000, 32)))  # high dimension: Prim's
    VAT(metric="manhattan", n_references=0).fit(rng.normal(size=(2500, 2)))
    assert calls == [(2500, 2), (12000, 6)]


def test_verbose(capsys):
    VAT(algorithm="boruvka", verbose=1).fit(mixed(1000, 3, seed=0))
    assert "Boruvka MST of 1000 samples" in capsys.readouterr().out


@pytest.mark.parametrize(
    "kind",
    ["blobs", "grid", "circle", "uniform3", "line"],
)
def test_hull_pruned_farthest_pair_is_the_brute_force_start(kind, monkeypatch):
    # The convex hull prunes the farthest pair's candidates in 2-d and 3-d;
    # the start must still be the first row of the largest distance, ties
    # (integer grid) and degenerate hulls (a circle: every sample a vertex;
    # collinear samples: qhull fails) included.
    rng = np.random.RandomState(0)
    n = 6000
    if kind == "blobs":
        X = rng.uniform(-10, 10, (10, 2))[rng.randint(10, size=n)] + rng.normal(size=(n, 2))
    elif kind == "grid":
        X = rng.randint(0, 20, size=(n, 2)).astype(float)
    elif kind == "circle":
        t = rng.uniform(0, 2 * np.pi, 2500)
        X = np.c_[np.cos(t), np.sin(t)]
    elif kind == "uniform3":
        X = rng.uniform(size=(n, 3))
    else:
        t = rng.uniform(size=n)
        X = np.c_[t, 2 * t]
    code = _vat_prim.NATIVE_METRICS["sqeuclidean"]
    ref, _ = _vat_prim.farthest_pair_start(np.ascontiguousarray(X), code, 1)
    # The hull at every size here (by default only past 2000 candidates).
    monkeypatch.setattr(ordering, "_HULL_MIN_CANDIDATES", 0)
    pruned = []
    real = ordering._hull_candidates
    monkeypatch.setattr(
        ordering, "_hull_candidates", lambda X, c, tol: pruned.append(real(X, c, tol)) or pruned[-1]
    )
    assert ordering._farthest_row_euclidean(X, 1) == ref
    assert len(pruned) == 1
    if kind in ("blobs", "grid", "uniform3"):
        assert 2 <= len(pruned[0]) < 200  # the hull did prune (grid: duplicated corners)
