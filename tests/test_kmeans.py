import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from sklearn_tendency import LloydKMeans, _k_means_lloyd
from sklearn_tendency.datasets import load_faithful, make_clustering_seminar


def _problem(seed, dtype=np.float64, weighted=False):
    rng = np.random.RandomState(seed)
    n, d, k = rng.randint(20, 1500), rng.randint(1, 30), rng.randint(1, 10)
    # Off-centre, anisotropic data: the centring step matters.
    X = rng.normal(size=(n, d)) * rng.uniform(0.1, 10, size=d) + rng.uniform(-50, 50, size=d)
    w = rng.uniform(0, 3, size=n) if weighted else None
    init = X[rng.choice(n, k, replace=False)]
    return X.astype(dtype), w, init.astype(dtype), k


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", range(25))
def test_equals_sklearn_lloyd_float64(seed, weighted):
    X, w, init, k = _problem(seed, weighted=weighted)
    ours = LloydKMeans(k, init=init).fit(X, sample_weight=w)
    ref = KMeans(k, init=init, n_init=1, algorithm="lloyd").fit(X, sample_weight=w)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    assert ours.n_iter_ == ref.n_iter_
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.inertia_, ref.inertia_, rtol=1e-8)


@pytest.mark.parametrize("seed", range(10))
def test_equals_sklearn_lloyd_float32(seed):
    # float32 carries 24 bits (eps 6e-8); sums of up to 1500 weighted terms and
    # the GEMM distance formula lose a few more. Where two centres are within
    # that rounding of each other a label may go either way, so labels may
    # differ on a handful of samples, n_iter_ by a step; centres and inertia
    # agree to 1e-4 relative (about 2^-13, well above float32 rounding of sums
    # of this size, far below any clustering difference).
    X, w, init, k = _problem(seed, dtype=np.float32, weighted=seed % 2 == 1)
    ours = LloydKMeans(k, init=init).fit(X, sample_weight=w)
    ref = KMeans(k, init=init, n_init=1).fit(X, sample_weight=w)
    assert ours.cluster_centers_.dtype == np.float32
    assert np.mean(ours.labels_ != ref.labels_) <= 0.01
    assert abs(ours.n_iter_ - ref.n_iter_) <= 1
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(ours.inertia_, ref.inertia_, rtol=1e-4)


@pytest.mark.parametrize("d, k", [(2, 3), (16, 8), (40, 12)])
def test_gemm_and_direct_paths_agree_across_thread_counts(d, k):
    # d * k decides the distance path; both must give sklearn's answer with
    # one thread and with two.
    rng = np.random.RandomState(d)
    X = rng.normal(size=(3000, d))
    init = X[:k].copy()
    ref = KMeans(k, init=init, n_init=1).fit(X)
    for n_threads in (1, 2):
        with threadpool_limits(n_threads, user_api="openmp"):
            ours = LloydKMeans(k, init=init).fit(X)
        np.testing.assert_array_equal(ours.labels_, ref.labels_)
        np.testing.assert_allclose(ours.inertia_, ref.inertia_, rtol=1e-8)


def test_old_faithful_published_objective():
    X = load_faithful().data
    km = LloydKMeans(n_clusters=2, n_init=10, random_state=0).fit(X)
    assert km.inertia_ == pytest.approx(8901.76872094721, rel=1e-12)
    centers = km.cluster_centers_[np.argsort(km.cluster_centers_[:, 0])]
    np.testing.assert_allclose(centers, [[2.09433, 54.75], [4.29793023, 80.28488372]], rtol=1e-7)


@pytest.mark.parametrize("init", ["k-means++", "random"])
def test_history_properties(init):
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(c, 1.0, size=(200, 3)) for c in (0, 4, 8, 12)])
    km = LloydKMeans(4, init=init, n_init=3, random_state=1, store_centers=True).fit(X)
    h = km.inertia_history_
    assert h.shape == (km.n_iter_ + 1,)
    assert h[-1] == km.inertia_
    # Lloyd's objective never increases; the GEMM formula's rounding on data of
    # this scale is far below 1e-12 relative.
    assert np.all(np.diff(h) <= 1e-12 * h[0])
    assert len(km.inertia_histories_) == 3
    assert any(np.array_equal(h, other) for other in km.inertia_histories_)
    assert min(hh[-1] for hh in km.inertia_histories_) == km.inertia_
    # Entry t is the objective of the centres at the start of iteration t,
    # computed here by brute force from center_history_.
    C = km.center_history_
    assert C.shape == (km.n_iter_ + 1, 4, 3)
    np.testing.assert_allclose(C[-1], km.cluster_centers_)
    for t in range(len(h)):
        brute = ((X[:, None, :] - C[t][None]) ** 2).sum(-1).min(1).sum()
        assert h[t] == pytest.approx(brute, rel=1e-10)


def test_history_starts_at_initial_centres():
    X = load_faithful().data
    init = X[[0, 1]]
    km = LloydKMeans(2, init=init, store_centers=True).fit(X)
    brute = ((X[:, None, :] - init[None]) ** 2).sum(-1).min(1).sum()
    assert km.inertia_history_[0] == pytest.approx(brute, rel=1e-12)
    np.testing.assert_array_equal(km.center_history_[0], init)


def test_center_history_replays_refits_with_max_iter():
    # The seminar refits KMeans with max_iter = 1..9 for each frame; the history
    # holds the same frames from one fit.
    X = make_clustering_seminar().blobs.data
    init = np.array([[2, 2], [1, 1], [3, 3], [4, 4], [5, 5]], dtype=float)
    km = LloydKMeans(5, init=init, store_centers=True).fit(X)
    for t in range(1, min(9, km.n_iter_) + 1):
        ref = KMeans(5, init=init, n_init=1, max_iter=t).fit(X)
        np.testing.assert_allclose(km.center_history_[t], ref.cluster_centers_, rtol=1e-10)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_center_history_of_long_runs_is_each_lloyd_step(dtype):
    # 75 iterations: the frames' buffer grows past 16, 32 and 64 frames. Each
    # frame is the Lloyd step from the one before, by brute force, and its
    # objective is the history's entry.
    X = np.random.RandomState(0).uniform(size=(3000, 2)).astype(dtype)
    km = LloydKMeans(40, init="random", n_init=1, random_state=0, tol=0, store_centers=True).fit(X)
    C = km.center_history_
    assert km.n_iter_ > 64
    assert C.shape == (km.n_iter_ + 1, 40, 2) and C.dtype == dtype
    assert C.base is None  # trimmed, not a view of a larger buffer
    np.testing.assert_array_equal(C[-1], km.cluster_centers_)
    X64 = X.astype(np.float64)
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    for t in range(km.n_iter_):
        d2 = ((X64[:, None, :] - C[t].astype(np.float64)[None]) ** 2).sum(-1)
        labels = d2.argmin(1)
        assert km.inertia_history_[t] == pytest.approx(d2.min(1).sum(), rel=rtol)
        means = np.array(
            [X64[labels == j].mean(0) if np.any(labels == j) else C[t + 1, j] for j in range(40)]
        )
        np.testing.assert_allclose(C[t + 1], means, rtol=1e-5 if dtype == np.float32 else 1e-10)


def test_float32_history_is_accurate():
    # float32 data, clusters far from the mean (a large sum of ||x||^2 against
    # a small objective). Each entry agrees with the brute-force objective of
    # its float32 centres, in float64, to 2e-6 (measured: 3.9e-7). The cluster
    # sums' identity over scikit-learn's float32 sums, which spares the
    # float64 history its per-sample term, is off by 7.6e-6 here: float32
    # runs keep the per-sample term.
    from sklearn.datasets import make_blobs

    X, _ = make_blobs(100_000, n_features=4, centers=4, cluster_std=1.0, center_box=(-50, 50), random_state=0)
    X = X.astype(np.float32)
    km = LloydKMeans(4, init="random", n_init=1, random_state=1, tol=0, store_centers=True).fit(X)
    X64 = X.astype(np.float64)
    for h, C in zip(km.inertia_history_, km.center_history_):
        brute = ((X64[:, None, :] - C.astype(np.float64)[None]) ** 2).sum(-1).min(1).sum()
        assert h == pytest.approx(brute, rel=2e-6)


def test_empty_cluster_relocated_like_sklearn():
    # A centre far from every sample gets no sample in the first assignment.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 2))
    init = np.array([[0.0, 0.0], [0.5, 0.5], [1000.0, 1000.0]])
    ours = LloydKMeans(3, init=init).fit(X)
    ref = KMeans(3, init=init, n_init=1).fit(X)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-8)
    assert len(np.unique(ours.labels_)) == 3
    assert np.all(np.abs(ours.cluster_centers_) < 10)


def test_duplicate_points_warn_fewer_clusters():
    X = np.repeat([[0.0, 0.0], [1.0, 1.0]], 10, axis=0)
    with pytest.warns(ConvergenceWarning, match="distinct clusters"):
        LloydKMeans(3, init=X[[0, 1, 2]]).fit(X)


def test_predict_transform_score():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 5))
    w = rng.uniform(0.5, 2, size=400)
    km = LloydKMeans(4, random_state=0, n_init=2).fit(X, sample_weight=w)
    ref = KMeans(4, init=km.cluster_centers_, n_init=1, max_iter=1)
    ref.fit(X)  # only to get a fitted object; use its public methods on our centres
    ref.cluster_centers_ = km.cluster_centers_
    np.testing.assert_array_equal(km.predict(X), km.labels_)
    np.testing.assert_array_equal(km.predict(X), ref.predict(X))
    np.testing.assert_allclose(km.transform(X), ref.transform(X))
    np.testing.assert_allclose(km.score(X), ref.score(X), rtol=1e-10)
    np.testing.assert_allclose(km.score(X, sample_weight=w), ref.score(X, sample_weight=w), rtol=1e-10)
    np.testing.assert_allclose(km.score(X, sample_weight=w), -km.inertia_, rtol=1e-10)
    np.testing.assert_array_equal(clone(km).fit_predict(X, sample_weight=w), km.labels_)
    np.testing.assert_allclose(clone(km).fit_transform(X, sample_weight=w), km.transform(X))


def test_float32_stays_float32_and_inputs_untouched():
    X = np.random.RandomState(0).normal(size=(200, 3)).astype(np.float32)
    X0 = X.copy()
    km = LloydKMeans(3, random_state=0).fit(X)
    assert km.cluster_centers_.dtype == np.float32
    assert km.transform(X).dtype == np.float32
    np.testing.assert_array_equal(X, X0)
    # copy_x=False centres X in place and restores it, as scikit-learn does:
    # X ends as scikit-learn leaves it, bit for bit, equal to X0 up to rounding.
    km = LloydKMeans(3, random_state=0, copy_x=False).fit(X)
    assert km.cluster_centers_.dtype == np.float32
    X_ref = X0.copy()
    KMeans(3, random_state=0, copy_x=False).fit(X_ref)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_allclose(X, X0, rtol=0, atol=4 * np.finfo(np.float32).eps * np.abs(X0).max())


def test_copy_x_false_gives_same_clustering_on_centred_scale():
    X = np.random.RandomState(0).normal(size=(500, 4))
    a = LloydKMeans(4, random_state=0).fit(X)
    b = LloydKMeans(4, random_state=0, copy_x=False).fit(X)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_allclose(a.inertia_, b.inertia_, rtol=1e-10)


def test_n_init_auto_and_best_run_selected():
    X = np.random.RandomState(0).normal(size=(300, 2))
    assert len(LloydKMeans(3, random_state=0).fit(X).inertia_histories_) == 1
    km = LloydKMeans(3, init="random", random_state=0).fit(X)
    assert len(km.inertia_histories_) == 10
    assert km.inertia_ == min(h[-1] for h in km.inertia_histories_)
    ref = KMeans(3, init="random", random_state=0).fit(X)
    assert km.inertia_ == pytest.approx(ref.inertia_, rel=1e-10)
    with pytest.warns(RuntimeWarning, match="only one init"):
        LloydKMeans(3, init=X[:3], n_init=5).fit(X)


def test_callable_init():
    X = np.random.RandomState(0).normal(size=(100, 2))

    def init(X, k, random_state):
        return X[:k]

    km = LloydKMeans(3, init=init, n_init=1).fit(X)
    ref = KMeans(3, init=X[:3], n_init=1).fit(X)
    np.testing.assert_array_equal(km.labels_, ref.labels_)


def test_verbose_prints_objective(capsys):
    X = load_faithful().data
    LloydKMeans(2, init=X[[0, 1]], verbose=1).fit(X)
    out = capsys.readouterr().out
    assert "Iteration 0, inertia" in out and "Converged at iteration" in out


@pytest.mark.parametrize(
    "X, params, fit_kw, exc, match",
    [
        (np.array([[0.0, np.nan], [1, 2], [3, 4]]), {"n_clusters": 2}, {}, ValueError, "NaN"),
        (np.array([[0.0, np.inf], [1, 2], [3, 4]]), {"n_clusters": 2}, {}, ValueError, "infinity"),
        (np.ones((3, 2)), {"n_clusters": 4}, {}, ValueError, "n_samples=3 should be >= n_clusters=4"),
        (
            np.ones((5, 2)),
            {"n_clusters": 2, "init": np.ones((3, 2))},
            {},
            ValueError,
            "does not match the number of clusters",
        ),
        (
            np.ones((5, 2)),
            {"n_clusters": 2, "init": np.ones((2, 3))},
            {},
            ValueError,
            "does not match the number of features",
        ),
        (np.ones((5, 2)), {"n_clusters": 2}, {"sample_weight": -np.ones(5)}, ValueError, "[Nn]egative"),
        (np.ones((5, 2)), {"n_clusters": 2}, {"sample_weight": np.ones(4)}, ValueError, "sample_weight"),
        (
            sparse.csr_matrix(np.array([[0.0, np.nan], [1, 2], [3, 4]])),
            {"n_clusters": 2},
            {},
            ValueError,
            "NaN",
        ),
        (
            np.ones((5, 2)),
            {"n_clusters": 2, "algorithm": "elkan"},
            {},
            ValueError,
            "runs Lloyd's algorithm only",
        ),
        (
            np.ones((5, 2)),
            {"n_clusters": 2, "algorithm": "auto"},
            {},
            ValueError,
            "runs Lloyd's algorithm only",
        ),
        (np.ones((5, 2)), {"n_clusters": 0}, {}, ValueError, "n_clusters"),
    ],
)
def test_bad_input(X, params, fit_kw, exc, match):
    with pytest.raises(exc, match=match):
        LloydKMeans(**params).fit(X, **fit_kw)


def test_unfitted_and_wrong_features():
    from sklearn.exceptions import NotFittedError

    X = np.random.RandomState(0).normal(size=(50, 3))
    with pytest.raises(NotFittedError):
        LloydKMeans(2).predict(X)
    km = LloydKMeans(2, random_state=0).fit(X)
    with pytest.raises(ValueError, match="features"):
        km.predict(X[:, :2])


@pytest.mark.parametrize("d, k", [(16, 40), (32, 50), (64, 33), (5, 64)])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("weighted", [False, True])
def test_equals_sklearn_lloyd_many_clusters(d, k, threads, weighted):
    # The kernel's own paths: the two-pass SIMD argmin (k >= 32) and the
    # constant row widths 16, 32 and 64; float64 stays bit for bit.
    rng = np.random.RandomState(d * k)
    n = 3000
    X = rng.normal(size=(n, d))
    w = rng.uniform(0.5, 2.0, size=n) if weighted else None
    init = X[rng.choice(n, k, replace=False)]
    with threadpool_limits(threads):
        ours = LloydKMeans(k, init=init, max_iter=30).fit(X, sample_weight=w)
        ref = KMeans(k, init=init, n_init=1, algorithm="lloyd", max_iter=30).fit(X, sample_weight=w)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    assert ours.n_iter_ == ref.n_iter_
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.inertia_, ref.inertia_, rtol=1e-8)


def test_equals_sklearn_lloyd_with_tied_distances():
    # Integer data: many exactly equal distances, so the argmin's tie rule
    # (first centre) decides labels; k >= 32 takes the SIMD argmin.
    rng = np.random.RandomState(0)
    X = rng.randint(0, 6, size=(2000, 3)).astype(float)
    init = np.unique(X, axis=0)[rng.choice(len(np.unique(X, axis=0)), 40, replace=False)]
    ours = LloydKMeans(40, init=init).fit(X)
    ref = KMeans(40, init=init, n_init=1, algorithm="lloyd").fit(X)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    assert ours.n_iter_ == ref.n_iter_
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("threads", [2, 3])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("d, k", [(8, 8), (16, 40)])
def test_helped_chunks_give_the_same_bits(dtype, threads, weighted, d, k):
    # A thread that has finished its share assigns the last chunks of
    # another's, whose owner then only adds them to its sums, in its order.
    # Helping before its own share (a test switch) makes that happen on most
    # chunks whatever the timing: the fit must be the same bits as without,
    # and as KMeans's at two threads (its reduction order at three is its own).
    rng = np.random.RandomState(d * k + threads)
    n = 40000  # 2 n k d >= PARALLEL_MIN_FLOPS: the pass runs on threads
    centres = rng.uniform(-4, 4, size=(k, d))
    X = (centres[rng.randint(k, size=n)] + rng.normal(size=(n, d))).astype(dtype)
    w = rng.uniform(0.5, 2.0, size=n).astype(dtype) if weighted else None
    init = X[rng.choice(n, k, replace=False)]
    with threadpool_limits(threads, user_api="openmp"):
        # Every pass on the threads (no pass held on one by a busy machine).
        _k_means_lloyd._set_help_first(True)
        _k_means_lloyd._set_adapt(0)
        try:
            helped = LloydKMeans(k, init=init, tol=0).fit(X, sample_weight=w)
        finally:
            _k_means_lloyd._set_help_first(False)
            _k_means_lloyd._set_adapt(1)
        plain = LloydKMeans(k, init=init, tol=0).fit(X, sample_weight=w)
        ref = KMeans(k, init=init, n_init=1, algorithm="lloyd", tol=0).fit(X, sample_weight=w)
    # tol=0: the run ends on unchanged labels, counted in the helped chunks too.
    assert plain.n_iter_ < plain.max_iter
    np.testing.assert_array_equal(helped.labels_, plain.labels_)
    assert helped.n_iter_ == plain.n_iter_
    np.testing.assert_array_equal(helped.cluster_centers_, plain.cluster_centers_)
    np.testing.assert_array_equal(helped.inertia_history_, plain.inertia_history_)
    assert helped.inertia_ == plain.inertia_
    if threads == 2:
        np.testing.assert_array_equal(helped.labels_, ref.labels_)
        assert helped.n_iter_ == ref.n_iter_
        np.testing.assert_array_equal(helped.cluster_centers_, ref.cluster_centers_)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_passes_on_one_thread_or_on_the_threads_give_the_same_bits(dtype):
    # A pass held on the calling thread (ws.choose, when the threads lose to
    # a busy core) runs the threads' shares one after the other: a run whose
    # passes alternate between the two (a test switch) must be the bits of a
    # run on the threads throughout, and KMeans's at two threads.
    rng = np.random.RandomState(7)
    n, d, k = 40000, 16, 12
    centres = rng.uniform(-3, 3, size=(k, d))
    X = (centres[rng.randint(k, size=n)] + rng.normal(size=(n, d))).astype(dtype)
    init = X[rng.choice(n, k, replace=False)]
    fits = {}
    with threadpool_limits(2, user_api="openmp"):
        for mode in (2, 0):
            _k_means_lloyd._set_adapt(mode)
            try:
                fits[mode] = LloydKMeans(k, init=init, tol=0).fit(X)
            finally:
                _k_means_lloyd._set_adapt(1)
        ref = KMeans(k, init=init, n_init=1, algorithm="lloyd", tol=0).fit(X)
    alternating, threads = fits[2], fits[0]
    assert alternating.n_iter_ >= 4  # both kinds of pass ran, twice each
    for fit in (threads, ref):
        np.testing.assert_array_equal(alternating.labels_, fit.labels_)
        assert alternating.n_iter_ == fit.n_iter_
        np.testing.assert_array_equal(alternating.cluster_centers_, fit.cluster_centers_)
    np.testing.assert_array_equal(alternating.inertia_history_, threads.inertia_history_)


def test_thread_choice_follows_the_measured_wall_times():
    # The policy of _Workspace.threads_now / choose, driven with made-up
    # timings: the preferred kind of pass runs; while the threads show less
    # than 4/3 speed-up over their CPU time, one thread is probed after 4
    # passes (after 1 for a fresh choice); the faster kind is then preferred,
    # and the other is probed after 4, 8, ... up to 64 passes while it keeps
    # losing. The choice is the process's: a new run inherits it, unless the
    # last pass was more than a second ago.
    lloyd = _k_means_lloyd
    saved = lloyd._thread_choice()

    def passes(ws, m, threads_wall, serial_wall, cpu=1.0):
        kinds = []
        for _ in range(m):
            now = ws.threads_now()
            ws.choose(now, threads_wall if now else serial_wall, cpu)
            kinds.append(now)
        return kinds

    T, S = True, False
    try:
        lloyd._thread_choice((True, 4, 4, 0.0))
        ws = lloyd._Workspace(100_000, 32, 10, 2, np.float64)
        # The threads take 2 s for 1 s of CPU (a busy core), one thread 1 s.
        assert passes(ws, 5, 2.0, 1.0) == [T] * 4 + [S]
        assert passes(ws, 5, 2.0, 1.0) == [S] * 4 + [T]
        for hold in (8, 16, 32, 64, 64):
            assert passes(ws, hold + 1, 2.0, 1.0) == [S] * hold + [T]
        # The machine is idle again: the next probe wins, and the threads,
        # now twice as fast as their CPU time, are never probed against.
        assert passes(ws, 65, 0.5, 1.0) == [S] * 64 + [T]
        assert passes(ws, 100, 0.5, 1.0) == [T] * 100
        # Without a clock (CPU time 0) the threads stay.
        assert passes(ws, 20, 2.0, 1.0, cpu=0.0) == [T] * 20
        # A new run inherits the choice, and probes only once it has timed
        # the preferred kind ...
        lloyd._thread_choice((False, 0, 8, 0.0))
        ws2 = lloyd._Workspace(100_000, 32, 10, 2, np.float64)
        assert passes(ws2, 2, 2.0, 1.0) == [S, T]
        # ... unless the last pass was more than a second ago.
        lloyd._thread_choice((False, 10, 16, 1.5))
        fresh = lloyd._Workspace(100_000, 32, 10, 2, np.float64)
        assert lloyd._thread_choice()[:3] == (True, 1, 4)
        # A fresh choice probes one thread after its first pass.
        assert passes(fresh, 3, 2.0, 1.0) == [T, S, S]
        # A pass too small for threads never runs on them, whatever the timings.
        small = lloyd._Workspace(1000, 2, 3, 2, np.float64)
        assert passes(small, 10, 2.0, 1.0) == [S] * 10
    finally:
        lloyd._thread_choice(saved[:3] + (0.0,))
