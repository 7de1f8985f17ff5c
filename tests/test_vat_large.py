"""Exactness of the large-n VAT paths against the core Prim's algorithm."""

import sys

import numpy as np
import pytest
from scipy.spatial.distance import cdist
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from sklearn_tendency import IVAT, VAT, ivat_from_cut_weights, vat_order
from sklearn_tendency import _ordering as vat_module
from sklearn_tendency import _vat_prim as _vat


@pytest.fixture
def assert_same_as_core_prim(core_prim):
    def check(X, *, algorithm, metric="euclidean", n_jobs=(None,)):
        """vat_order(X) gives core_prim's order and cut weights, bit for bit, at each n_jobs."""
        ref_order, ref_cuts = core_prim(X, metric)
        for jobs in n_jobs:
            order, cuts = vat_order(X, metric=metric, algorithm=algorithm, n_jobs=jobs)
            np.testing.assert_array_equal(order, ref_order)
            np.testing.assert_array_equal(cuts, ref_cuts)
        return ref_order, ref_cuts

    return check


_ONE_PASS_CASES = [
    (500, 1, "euclidean"),
    (3000, 2, "euclidean"),
    (2000, 5, "manhattan"),
    (2000, 8, "chebyshev"),
    (3000, 32, "euclidean"),
]


# n = 20000 runs at 1 thread only, to keep the suite short.
@pytest.mark.parametrize(
    "n, d, metric, n_jobs",
    [c + (t,) for c in _ONE_PASS_CASES for t in (1, 2)]
    + [pytest.param(20000, 2, "euclidean", 1, marks=pytest.mark.slow)],
)
def test_one_pass_prim_equals_core_prim(n, d, metric, n_jobs, assert_same_as_core_prim):
    X = np.random.RandomState(n + d).normal(size=(n, d))
    ref_order, _ = assert_same_as_core_prim(X, algorithm="prim", metric=metric, n_jobs=(n_jobs,))
    assert ref_order[0] != 0  # the tree traversal, not the pass from sample 0


@pytest.fixture
def every_step_parallel():
    previous = _vat._set_parallel_min_work(0)
    yield
    _vat._set_parallel_min_work(previous)


@pytest.mark.parametrize("min_work", [0, 1])
@pytest.mark.parametrize("n, d, metric", [(3000, 8, "euclidean"), (1500, 3, "manhattan")])
def test_parallel_steps_equal_core_prim(n, d, metric, min_work, core_prim):
    # min_work 0: every step split across 2 threads (chunks, reductions,
    # compaction). 1: every step eligible and timed, epochs switching between
    # parallel and one-thread steps as they measure, and probing the other
    # mode; the order cannot depend on it.
    previous = _vat._set_parallel_min_work(min_work)
    try:
        X = np.random.RandomState(n).uniform(size=(n, d))
        ref_order, ref_cuts = core_prim(X, metric)
        order, cuts = vat_order(X, metric=metric, algorithm="prim", n_jobs=2)
    finally:
        _vat._set_parallel_min_work(previous)
    np.testing.assert_array_equal(order, ref_order)
    np.testing.assert_array_equal(cuts, ref_cuts)


@pytest.mark.parametrize("seed", range(3))
def test_parallel_steps_detect_ties(seed, every_step_parallel, textbook_vat):
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 6, size=(150, 2)).astype(float)
    X[0] = [2, 3]
    ref_order, ref_cuts = textbook_vat(cdist(X, X))
    order, cuts = vat_order(X, algorithm="prim", n_jobs=2)
    np.testing.assert_array_equal(order, ref_order)
    np.testing.assert_allclose(cuts, ref_cuts, rtol=1e-12)


@pytest.mark.parametrize("n, d", [(2000, 1), pytest.param(20000, 2, marks=pytest.mark.slow), (5000, 3)])
def test_delaunay_equals_core_prim(n, d, assert_same_as_core_prim):
    rng = np.random.RandomState(d)
    X = np.vstack([rng.normal(size=(n // 2, d)), rng.uniform(3, 9, size=(n - n // 2, d))])
    ref_order, ref_cuts = assert_same_as_core_prim(X, algorithm="delaunay")
    # sqeuclidean: same order, squared cut weights.
    order2, cuts2 = vat_order(X, metric="sqeuclidean", algorithm="delaunay")
    np.testing.assert_array_equal(order2, ref_order)
    np.testing.assert_array_equal(np.sqrt(cuts2), ref_cuts)


def test_delaunay_float32_and_same_ivat_image():
    X = np.random.RandomState(3).uniform(size=(3000, 2)).astype(np.float32)
    # random_state: the gap count behind labels_ draws reference data.
    a = IVAT(algorithm="delaunay", random_state=0).fit(X)
    b = IVAT(algorithm="prim", random_state=0).fit(X)
    np.testing.assert_array_equal(a.order_, b.order_)
    np.testing.assert_array_equal(a.cut_weights_, b.cut_weights_)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    small = X[:400]
    np.testing.assert_array_equal(
        IVAT(algorithm="delaunay").fit_transform(small),
        IVAT(algorithm="prim").fit_transform(small),
    )
    np.testing.assert_array_equal(
        ivat_from_cut_weights(a.cut_weights_[:300]),
        ivat_from_cut_weights(b.cut_weights_[:300]),
    )


@pytest.mark.parametrize("algorithm", ["prim", "delaunay"])
@pytest.mark.parametrize("seed", range(4))
def test_ties_follow_the_reference(algorithm, seed, textbook_vat):
    # Integer grids with duplicates: ties everywhere, the start is not sample 0.
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 6, size=(150, 2)).astype(float)
    X[0] = [2, 3]  # an inner sample first: the start is elsewhere
    D = cdist(X, X)
    ref_order, ref_cuts = textbook_vat(D)
    assert ref_order[0] != 0
    order, cuts = vat_order(X, algorithm=algorithm)
    np.testing.assert_array_equal(order, ref_order)
    np.testing.assert_allclose(cuts, ref_cuts, rtol=1e-12)


def test_ties_in_the_tree_are_detected(textbook_vat):
    # A regular 1-d lattice: every MST edge ties, the MST is still unique, but
    # the pass from sample 0 must notice the equal distances of sample 0 and 2
    # to sample 1 and not trust the tree blindly; the result equals the
    # textbook order either way.
    X = np.array([[1.0], [0.0], [2.0], [3.0], [5.0], [4.0]])
    ref_order, ref_cuts = textbook_vat(cdist(X, X))
    for algorithm in ("prim", "delaunay"):
        order, cuts = vat_order(X, algorithm=algorithm)
        np.testing.assert_array_equal(order, ref_order)
        np.testing.assert_array_equal(cuts, ref_cuts)


def test_auto_never_picks_delaunay(monkeypatch):
    # The Boruvka route was measured faster at every n and d <= 3 (see
    # _BORUVKA_AUTO_MIN_SAMPLES): "delaunay" runs on request only, and auto
    # takes Boruvka there (tests/test_vat_boruvka.py).
    calls = []
    real = vat_module._vat_order_delaunay
    monkeypatch.setattr(
        vat_module,
        "_vat_order_delaunay",
        lambda *a: calls.append(a[0].shape) or real(*a),
    )
    # n_references=0: the gap statistic's reference orders take routes too.
    X = np.random.RandomState(0).normal(size=(2500, 2))
    VAT(n_references=0).fit(X)
    VAT(n_references=0).fit(X[:500])
    assert calls == []
    VAT(algorithm="delaunay", n_references=0).fit(X)
    assert calls == [(2500, 2)]


def test_delaunay_rejects_unsupported_inputs():
    X = np.random.RandomState(0).normal(size=(50, 4))
    with pytest.raises(ValueError, match="at most 3 features"):
        VAT(algorithm="delaunay").fit(X)
    with pytest.raises(ValueError, match="Euclidean"):
        VAT(algorithm="delaunay", metric="manhattan").fit(X[:, :2])
    with pytest.raises(ValueError, match="algorithm"):
        vat_order(X, algorithm="kruskal")


def test_collinear_points_fall_back_to_prim(assert_same_as_core_prim):
    t = np.random.RandomState(0).uniform(size=300)
    X = np.c_[t, 2 * t]
    assert_same_as_core_prim(X, algorithm="delaunay")


def test_verbose_reports_progress(capsys):
    X = np.random.RandomState(0).normal(size=(1000, 3))
    VAT(algorithm="prim", verbose=1).fit(X)
    out = capsys.readouterr().out
    assert "[VAT] Prim's pass" in out and "100%" not in out.splitlines()[0]
    assert len(out.splitlines()) >= 5
    VAT(algorithm="delaunay", verbose=1).fit(X[:, :2])
    assert "Delaunay MST of 1000 samples" in capsys.readouterr().out
    VAT(algorithm="prim").fit(X)
    assert capsys.readouterr().out == ""


def test_interrupted_fit_leaves_estimator_unfitted(monkeypatch):
    X = np.random.RandomState(0).normal(size=(1000, 3))
    est = VAT(algorithm="prim").fit(X)
    check_is_fitted(est)

    def interrupt(self, step):
        if step >= 128:
            raise KeyboardInterrupt

    monkeypatch.setattr(vat_module._Progress, "__call__", interrupt)
    with pytest.raises(KeyboardInterrupt):
        est.fit(X)
    with pytest.raises(NotFittedError):
        check_is_fitted(est)
    assert not any(hasattr(est, a) for a in ("order_", "cut_weights_", "labels_"))


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
@pytest.mark.parametrize(
    "algorithm, shape, seconds",
    [("prim", (200000, 16), 30), ("boruvka", (1000000, 12), 90)],
)
def test_ctrl_c_stops_the_kernel(interrupted_vat_fit, algorithm, shape, seconds):
    # A real SIGINT during a fit that would take minutes (Prim's steps, or
    # Boruvka's rounds): the kernel must notice it and leave the estimator
    # unfitted.
    out, elapsed = interrupted_vat_fit(
        f"np.random.RandomState(0).normal(size={shape})",
        dict(algorithm=algorithm, n_jobs=1),
        timeout=2 * seconds,
    )
    assert out == "interrupted False"
    assert elapsed < seconds


@pytest.mark.slow
@pytest.mark.parametrize(
    "offset, scale, n, d",
    [
        (0.0, 1.0, 1200, 20),
        (1e6, 1e-3, 1200, 20),
        (-3e4, 1e5, 1200, 20),
        # float32 squares overflow to inf: every pair must be recomputed.
        (0.0, 1e25, 300, 17),
        # float32 squares underflow (subnormal or zero): the absolute slack.
        (0.0, 1e-22, 300, 17),
        # Panels of 16 with a partial last tile and an odd feature count.
        (5.0, 2.0, 517, 37),
    ],
)
def test_float32_filter_is_exact(
    offset, scale, n, d, every_step_parallel, textbook_vat, assert_same_as_core_prim
):
    # float64 Euclidean data with >= 4 features stream a float32 copy, summed
    # in float32; the result must equal the float64 stream bit for bit, also
    # far from the origin (where float32 keeps few digits of the spread), at
    # the ends of float32's range, and in parallel.
    rng = np.random.RandomState(int(abs(offset)) % 1000 + d)
    X = offset + scale * rng.normal(size=(n, d))
    assert vat_module._float32_filter(X, _vat.NATIVE_METRICS["euclidean"])
    assert_same_as_core_prim(X, algorithm="prim", n_jobs=(1, 2))
    # Duplicated rows: ties must still be seen through the filter.
    Xd = np.vstack([X[:150], X[:150]])
    np.testing.assert_array_equal(vat_order(Xd, algorithm="prim")[0], textbook_vat(cdist(Xd, Xd))[0])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("seed", range(6))
def test_float32_filter_resolves_near_ties(seed, dtype, every_step_parallel, assert_same_as_core_prim):
    # Tight blobs far from the mean: the float32 copy errs by ~1e-5 (relative
    # to the norm, ~400), more than the gaps between the short distances inside
    # a blob (~1e-3 apart). Every such decision must go through the exact
    # distance: a filter without its error bound (threshold = the distance
    # itself) gives another order on seeds 3 and 5 (checked), for float64 and
    # for float32 data (embeddings; exact distances summed in double from X).
    rng = np.random.RandomState(seed)
    X = (100 * rng.normal(size=(8, 16))[rng.randint(8, size=400)] + 1e-3 * rng.normal(size=(400, 16))).astype(
        dtype
    )
    assert vat_module._float32_filter(X, _vat.NATIVE_METRICS["euclidean"])
    assert_same_as_core_prim(X, algorithm="prim", n_jobs=(1, 2))


@pytest.mark.parametrize("seed", [4, 11, 20])
def test_float32_filter_finds_the_farthest_pair(seed, assert_same_as_core_prim):
    # Antipodal pairs on a sphere of radius 1e3: the diameters differ by far
    # less than float32 resolves, and the first row of the largest one is the
    # start of the order. A filter that skips pairs whose float32 distance is
    # just below the largest so far (no error bound) starts elsewhere on these
    # seeds (checked).
    rng = np.random.RandomState(seed)
    U = rng.normal(size=(100, 16))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    X = np.vstack([U, -U]) * 1e3 + 1e-7 * rng.normal(size=(200, 16))
    X = np.vstack([X, 10 * rng.normal(size=(100, 16))])
    assert vat_module._float32_filter(X, _vat.NATIVE_METRICS["euclidean"])
    assert_same_as_core_prim(X, algorithm="prim")
