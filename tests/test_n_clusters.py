"""The VAT cluster-count estimate: its value on labelled data, its blocks, and
the gap statistic over blocks of the VAT order against a brute-force one."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import make_blobs, make_moons
from sklearn.metrics import pairwise_distances

from sklearn_tendency import IVAT, VAT, estimate_n_clusters, vat_order
from sklearn_tendency._blocks import block_bisection, gap_block_count
from sklearn_tendency._cut_weights import _quantile, labels_from_edges, uniform_jump_ratio
from sklearn_tendency._gap import uniform_references
from sklearn_tendency._vat import _spacings
from sklearn_tendency.datasets import make_clustering_seminar


def _min_size(n):
    return max(2, int(np.ceil(0.02 * n)))


def _assert_blocks_are_labels(est, n_blocks):
    n = est.order_.shape[0]
    edges = est.cluster_edges_
    assert edges[0] == 0 and edges[-1] == n and np.all(np.diff(edges) > 0)
    assert edges.size - 1 == n_blocks
    assert np.diff(edges).min() >= _min_size(n)
    np.testing.assert_array_equal(est.labels_, labels_from_edges(est.order_, edges))


# A few rows of benchmarks/bench_n_clusters.py (the rest stay there).
def _merce():
    return make_clustering_seminar().merce.data


def _blobs_8d_touching():
    # The benchmark's "blobs k=3 d=8 4 sd": three centres at least 8 apart,
    # std 2; single linkage chains them.
    rng = np.random.RandomState(308)
    half_side = 10.0
    while True:
        centres = rng.uniform(-half_side, half_side, (3, 8))
        if pairwise_distances(centres)[np.triu_indices(3, 1)].min() >= 8:
            break
    return make_blobs(300, centers=centres, cluster_std=2.0, random_state=11)[0]


@pytest.mark.parametrize(
    "make, truth",
    [
        (_merce, 3),
        (lambda: make_clustering_seminar().circles.data, 2),
        (lambda: make_clustering_seminar().uniform.data, 1),
        (_blobs_8d_touching, 3),
    ],
)
def test_estimate_on_labelled_data(make, truth):
    X = make()
    est = IVAT(random_state=0).fit(X)
    assert est.n_clusters_estimate_ == truth
    assert est.n_clusters_estimate_ == max(est.n_clusters_single_linkage_, est.n_clusters_gap_)
    _assert_blocks_are_labels(est, truth)


def test_estimate_finds_clusters_single_linkage_misses():
    # Overlapping blobs: no jump in the cut weights, dark blocks in the image.
    X = _blobs_8d_touching()
    est = IVAT(random_state=0).fit(X)
    assert est.n_clusters_single_linkage_ == estimate_n_clusters(est.cut_weights_) == 1
    assert est.n_clusters_gap_ == est.n_clusters_estimate_ == 3


@pytest.mark.slow
def test_estimate_on_the_32d_study():
    # The embedding study: ten far-apart clusters (std 0.01) are ten blocks.
    rng = np.random.RandomState(0)
    rng.uniform(0, 1, (1000, 32))
    centres = rng.uniform(0, 1, (10, 32))
    X = np.vstack([rng.normal(c, 0.01, (100, 32)) for c in centres])
    est = IVAT(random_state=0).fit(X)
    assert est.n_clusters_estimate_ == 10
    _assert_blocks_are_labels(est, 10)
    # One cloud in 32-d: one.
    X = np.random.RandomState(1).normal(0, 1.0, (1000, 32))
    assert IVAT(random_state=0).fit(X).n_clusters_estimate_ == 1


def test_one_column_blocks_are_at_least_the_minimum_size():
    # Two groups and a far pair between them: the pair's cut weights are the
    # largest, so cutting at the largest cut weights (what labels_ did)
    # made a block of 2 samples, under the documented 2% (here 4).
    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(0, 1, 100), [20.0, 20.5], rng.normal(40, 1, 98)][:, None]
    est = VAT(random_state=0).fit(X)
    assert est.n_clusters_estimate_ == 2
    _assert_blocks_are_labels(est, 2)
    sizes = np.bincount(est.labels_)
    assert sorted(sizes.tolist()) == [100, 100]


def test_uniform_jump_ratio_is_the_one_column_false_split_rate():
    # In one column the tree's edges are the spacings: the largest over their
    # 90th percentile exceeds uniform_jump_ratio with probability ~1%
    # (doc: algo-uniform-jump). A wrong constant moves the rate out of the
    # band (beta for 5% gives ~0.05, log n alone ~0.1).
    rng = np.random.RandomState(0)
    for n in (200, 1000):
        bound = uniform_jump_ratio(n)
        spacings = np.diff(np.sort(rng.uniform(size=(4000, n)), axis=1), axis=1)
        ratios = np.array([s.max() / _quantile(s, 0.9) for s in spacings])
        assert 0.004 < np.mean(ratios > bound) < 0.025
    assert uniform_jump_ratio(500, quantile=1.0) == 1.0 and uniform_jump_ratio(500, quantile=0.0) == np.inf


def test_spacing_bound_is_the_blocks_own():
    # Unit spacings with a jump of 6 in the middle and of 4.85 in each half:
    # the bound is r(1000) = 5.0 for the whole order and r(500) = 4.70 for a
    # half, so both inner jumps pass only against their own block's bound;
    # the quantile is the rule's (at the median, r(1000) = 16.6: no cut).
    w = np.ones(1000)
    w[0], w[500], w[250], w[750] = 0.0, 6.0, 4.85, 4.85
    assert uniform_jump_ratio(500) < 4.85 < uniform_jump_ratio(1000) < 6.0
    assert estimate_n_clusters(w, spacings="distances") == 4
    assert estimate_n_clusters(w) == 4
    assert estimate_n_clusters(w, spacings="distances", quantile=0.5) == 1
    # Squared distances: the bound squared (22-28), above every jump.
    assert estimate_n_clusters(w, spacings="squared") == 1


def test_which_data_have_spacings():
    rng = np.random.RandomState(0)
    u = rng.uniform(size=(50, 1))
    assert _spacings(u, "euclidean") == _spacings(u, "manhattan") == "distances"
    assert _spacings(u, "sqeuclidean") == "squared"
    # Columns that are multiples of one, or a constant column: still a line.
    assert _spacings(u * [1.0, -2.0, 3.0], "euclidean") == "distances"
    assert _spacings(np.c_[u, np.full(50, 7.0)], "chebyshev") == "distances"
    assert _spacings(sparse.csr_matrix(u), "euclidean") == "distances"
    # A plane, or a metric that is no norm: no spacing law.
    assert _spacings(rng.uniform(size=(50, 2)), "euclidean") is None
    assert _spacings(u, "cosine") is None and _spacings(u, lambda a, b: abs(a - b).sum()) is None


@pytest.mark.parametrize("n", [500, 2000])
def test_one_dimensional_uniform_is_one_single_linkage_block(n):
    # The spacings' maximum grows like log n against their quantiles: a fixed
    # ratio of 2 split one column into 3 to 8 (n = 500) and 7 to 18
    # (n = 2000) blocks; the spacing bound keeps it whole, under a norm or
    # squared distances, in one column or in several collinear ones, and two
    # groups are still two.
    for seed in range(3):
        rng = np.random.RandomState(seed)
        u = rng.uniform(size=(n, 1))
        groups = np.r_[rng.normal(0, 1, n // 2), rng.normal(6, 1, n // 2)][:, None]
        assert estimate_n_clusters(VAT(n_references=0).fit(u).cut_weights_) > 1
        for form in (lambda c: c, lambda c: np.c_[c, np.zeros(n)], lambda c: c * [1.0, -2.0, 3.0]):
            for metric in ("euclidean", "sqeuclidean", "manhattan"):
                est = VAT(metric=metric, n_references=0).fit(form(u))
                assert est.n_clusters_single_linkage_ == est.n_clusters_estimate_ == 1, metric
                assert estimate_n_clusters(est.cut_weights_, spacings=_spacings(form(u), metric)) == 1
                est = VAT(metric=metric, n_references=0).fit(form(groups))
                assert est.n_clusters_single_linkage_ == 2, metric
                _assert_blocks_are_labels(est, 2)


@pytest.mark.parametrize("n_clusters", [1, 2, 5])
def test_n_clusters_gives_the_single_linkage_blocks(n_clusters):
    X = make_moons(300, noise=0.1, random_state=0)[0]
    est = IVAT(n_clusters=n_clusters, random_state=0).fit(X)
    edges = est.cluster_edges_
    assert edges.size - 1 == n_clusters
    np.testing.assert_array_equal(est.labels_, labels_from_edges(est.order_, edges))
    # The cuts are the n_clusters - 1 largest cut weights.
    largest = np.sort(np.argsort(-est.cut_weights_[1:], kind="stable")[: n_clusters - 1] + 1)
    np.testing.assert_array_equal(edges[1:-1], largest)


def test_without_coordinates_the_estimate_is_single_linkage():
    X = _merce()
    D = pairwise_distances(X)
    for est in (
        IVAT(metric="precomputed").fit(D),
        IVAT(metric="manhattan").fit(X),
        IVAT(n_references=0).fit(X),
    ):
        assert est.n_clusters_gap_ is None and est.gap_ is None
        assert est.n_clusters_estimate_ == est.n_clusters_single_linkage_ == 3
        _assert_blocks_are_labels(est, 3)


def test_sampled_fit_blocks_cover_the_sample():
    X = _merce()
    est = IVAT(sample_size=200, random_state=0).fit(X)
    n_sampled = est.order_.shape[0]
    assert 150 <= n_sampled <= 250 and est.labels_.shape == (500,)
    edges = est.cluster_edges_
    assert edges[-1] == n_sampled and np.diff(edges).min() >= _min_size(n_sampled)
    assert np.unique(est.labels_).size == est.n_clusters_estimate_ == 3


@pytest.mark.parametrize(
    "method, make, rule",
    [
        # The gap's blocks (single linkage sees one cluster).
        ("ivat", _blobs_8d_touching, "gap"),
        # The single-linkage blocks (the gap sees one cluster).
        ("vat", lambda: make_moons(300, noise=0.05, random_state=0)[0], "single linkage"),
        # Both rules agree; the single-linkage cuts are kept.
        ("vat", _merce, "both"),
    ],
)
def test_display_outlines_are_the_blocks(method, make, rule):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sklearn_tendency import VATDisplay

    X = make()
    est = (IVAT if method == "ivat" else VAT)(random_state=0).fit(X)
    single, gap = est.n_clusters_single_linkage_, est.n_clusters_gap_
    assert {"gap": gap > single, "single linkage": single > gap, "both": single == gap}[rule]
    edges = est.cluster_edges_
    _assert_blocks_are_labels(est, est.n_clusters_estimate_)
    for disp in (
        VATDisplay.from_estimator(est, X, show_clusters=True),
        VATDisplay.from_data(X, method=method, show_clusters=True, random_state=0),
    ):
        drawn = [(p.get_x(), p.get_x() + p.get_width()) for p in disp.cluster_patches_]
        assert drawn == list(zip(edges[:-1].tolist(), edges[1:].tolist()))
        assert len(drawn) == est.n_clusters_estimate_ == max(single, gap)
    plt.close("all")


def _brute_force_bisection(X, order, max_blocks, m):
    """Greedy contiguous bisection with every SSE computed from scratch."""
    Xo = X[order]

    def sse(a, b):
        return ((Xo[a:b] - Xo[a:b].mean(0)) ** 2).sum()

    edges = [0, len(order)]
    out = [sum(sse(a, b) for a, b in zip(edges[:-1], edges[1:]))]
    while len(edges) - 1 < max_blocks:
        best = None
        for a, b in zip(edges[:-1], edges[1:]):
            for p in range(a + m, b - m + 1):
                gain = sse(a, b) - sse(a, p) - sse(p, b)
                if best is None or gain > best[0] + 1e-9 * abs(best[0]):
                    best = (gain, p)
        if best is None:
            break
        edges = sorted(edges + [best[1]])
        out.append(sum(sse(a, b) for a, b in zip(edges[:-1], edges[1:])))
    return np.log(out)


def test_block_bisection_is_brute_force():
    X = _merce()[:120] + 50  # off-centre: the prefix sums must centre first
    order, _ = vat_order(X)
    edges, log_w = block_bisection(X, order, 6, 3)
    np.testing.assert_allclose(log_w, _brute_force_bisection(X, order, 6, 3), rtol=1e-9)
    assert [e.size - 1 for e in edges] == list(range(1, 7))


def test_gap_over_blocks_is_brute_force():
    X = _merce()[:150]
    order, _ = vat_order(X)
    k, edges, gap, se = gap_block_count(
        X,
        order,
        lambda R: vat_order(R)[0],
        min_block_size=3,
        max_blocks=6,
        n_references=4,
        random_state=np.random.RandomState(0),
    )
    ref = np.array(
        [
            _brute_force_bisection(R, vat_order(R)[0], gap.size, 3)
            for R in uniform_references(X, 4, np.random.RandomState(0))
        ]
    )
    expected = ref.mean(0) - _brute_force_bisection(X, order, gap.size, 3)
    np.testing.assert_allclose(gap, expected, rtol=1e-8)
    np.testing.assert_allclose(se, ref.std(0) * np.sqrt(1 + 1 / 4), rtol=1e-8)
    first = next(i for i in range(gap.size - 1) if gap[i] >= gap[i + 1] - se[i + 1])
    assert k == first + 1
