"""LloydKMeans as a KMeans drop-in: sparse input, copy_x, every KMeans parameter.

The reference is scikit-learn's ``KMeans(algorithm="lloyd")`` from the same
initial centres: labels, centres and iteration count bit for bit (scikit-learn's
result does not depend on the thread count for one or two threads, and neither
does ours), the objective within the rounding of scikit-learn's own sum (it
accumulates the inertia in X's dtype, by threads; ours in float64).
"""

import subprocess
import sys
import tracemalloc

import numpy as np
import pytest
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.datasets import load_digits, load_iris
from threadpoolctl import threadpool_limits

from sklearn_tendency import LloydKMeans

# scikit-learn's float32 inertia is a float32 sum over the samples: its
# relative error reaches ~n eps32 in the worst case, ~sqrt(n) eps32 typically.
INERTIA_RTOL = {np.float64: 1e-10, np.float32: 1e-5}


def _sparse_problem(seed, dtype=np.float64, weighted=False, fmt="csr", min_density=0.005):
    rng = np.random.RandomState(seed)
    n, d, k = rng.randint(50, 2500), rng.randint(2, 400), rng.randint(1, 30)
    density = rng.uniform(min_density, 0.3)
    X = sparse.random(n, d, density=density, format=fmt, dtype=np.float64, random_state=rng)
    # TF-IDF-like rows: unit norm (empty rows stay empty).
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1))).ravel()
    norms[norms == 0] = 1
    X = sparse.diags(1 / norms) @ X
    X = X.asformat(fmt).astype(dtype)
    w = rng.uniform(0.1, 3, size=n).astype(dtype) if weighted else None
    init = X.tocsr()[rng.choice(n, k, replace=False)].toarray()
    return X, w, init, k


@pytest.fixture(autouse=True)
def _one_openmp_thread():
    # scikit-learn's KMeans takes seconds on small problems when two OpenMP
    # threads spin on a loaded machine; for one or two threads the results
    # are the same bits (test_sparse_equals_sklearn_lloyd_across_thread_counts
    # runs both).
    with threadpool_limits(1, user_api="openmp"):
        yield


def _assert_same_run(ours, ref, dtype):
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    assert ours.n_iter_ == ref.n_iter_
    np.testing.assert_array_equal(ours.cluster_centers_, ref.cluster_centers_)
    assert ours.cluster_centers_.dtype == ref.cluster_centers_.dtype
    np.testing.assert_allclose(ours.inertia_, ref.inertia_, rtol=INERTIA_RTOL[dtype])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("seed", range(12))
def test_sparse_equals_sklearn_lloyd(seed, weighted, dtype):
    X, w, init, k = _sparse_problem(seed, dtype, weighted)
    ref = KMeans(k, init=init, n_init=1, algorithm="lloyd").fit(X, sample_weight=w)
    ours = LloydKMeans(k, init=init).fit(X, sample_weight=w)
    _assert_same_run(ours, ref, dtype)
    assert ours.inertia_history_[-1] == ours.inertia_


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sparse_equals_sklearn_lloyd_across_thread_counts(threads, dtype):
    # Large enough that both run on two threads (several 256-row chunks, and
    # past our serial threshold).
    rng = np.random.RandomState(threads)
    X = sparse.random(6000, 2000, density=0.02, format="csr", dtype=dtype, random_state=rng)
    init = X[rng.choice(6000, 25, replace=False)].toarray()
    w = rng.uniform(0.5, 2, 6000).astype(dtype)
    with threadpool_limits(threads, user_api="openmp"):
        ref = KMeans(25, init=init, n_init=1, algorithm="lloyd", max_iter=40).fit(X, sample_weight=w)
        ours = LloydKMeans(25, init=init, max_iter=40).fit(X, sample_weight=w)
    _assert_same_run(ours, ref, dtype)


@pytest.mark.parametrize("fmt", ["csc", "coo", "lil"])
def test_other_sparse_formats_are_converted(fmt):
    X, _, init, k = _sparse_problem(3, fmt=fmt)
    ours = LloydKMeans(k, init=init).fit(X)
    ref = KMeans(k, init=init, n_init=1).fit(X)
    _assert_same_run(ours, ref, np.float64)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@pytest.mark.parametrize("init", ["k-means++", "random"])
def test_sparse_random_inits_and_n_init_match_sklearn(init):
    X, w, _, _ = _sparse_problem(5, weighted=True)
    ours = LloydKMeans(6, init=init, n_init=3, random_state=7).fit(X, sample_weight=w)
    ref = KMeans(6, init=init, n_init=3, random_state=7).fit(X, sample_weight=w)
    _assert_same_run(ours, ref, np.float64)


@pytest.mark.parametrize("seed", range(8))
def test_sparse_and_dense_same_data_same_run(seed):
    # Dense X is centred, sparse X is not: different roundings of the same
    # distances, so the objective agrees within rounding, and labels and
    # iterations must agree exactly. Denser data than the other problems:
    # very sparse rows repeat (empty rows, single entries), and repeated rows
    # make near-ties that the two roundings may break differently.
    X, w, init, k = _sparse_problem(seed, weighted=seed % 2 == 1, min_density=0.05)
    s = LloydKMeans(k, init=init, store_centers=True).fit(X, sample_weight=w)
    d = LloydKMeans(k, init=init, store_centers=True).fit(X.toarray(), sample_weight=w)
    np.testing.assert_array_equal(s.labels_, d.labels_)
    assert s.n_iter_ == d.n_iter_
    np.testing.assert_allclose(s.cluster_centers_, d.cluster_centers_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(s.inertia_history_, d.inertia_history_, rtol=1e-10)
    np.testing.assert_allclose(s.center_history_, d.center_history_, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("seed", range(8))
def test_sparse_and_dense_float32_agree_to_float32_rounding(seed):
    # In float32 the two roundings (centred dense sums, uncentred sparse ones)
    # differ by ~1e-7 relative, enough to flip a near-tie now and then, and a
    # flipped label changes the rest of the run a little: the runs agree on
    # nearly every label and on the objective to float32 accuracy.
    X, w, init, k = _sparse_problem(seed, np.float32, weighted=seed % 2 == 1, min_density=0.05)
    s = LloydKMeans(k, init=init).fit(X, sample_weight=w)
    d = LloydKMeans(k, init=init).fit(X.toarray(), sample_weight=w)
    assert np.mean(s.labels_ == d.labels_) >= 0.98
    assert s.inertia_ == pytest.approx(d.inertia_, rel=1e-3)
    ref = LloydKMeans(k, init=init).fit(X.astype(np.float64), sample_weight=w)
    assert s.inertia_ == pytest.approx(ref.inertia_, rel=1e-3)


def _brute_objective(X, centers, w=None):
    X = X.toarray() if sparse.issparse(X) else X
    X = X.astype(np.float64)
    d2 = ((X[:, None, :] - centers.astype(np.float64)[None]) ** 2).sum(-1).min(1)
    return float(d2 @ (np.ones(len(X)) if w is None else w.astype(np.float64)))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sparse_history_properties(dtype):
    X, w, init, k = _sparse_problem(11, dtype, weighted=True)
    km = LloydKMeans(k, init=init, store_centers=True, tol=0).fit(X, sample_weight=w)
    h, C = km.inertia_history_, km.center_history_
    assert h.shape == (km.n_iter_ + 1,) and C.shape == (km.n_iter_ + 1, k, X.shape[1])
    assert h[-1] == km.inertia_
    rtol = 1e-10 if dtype == np.float64 else 1e-5
    # Entry t is the objective of the centres at the start of iteration t.
    np.testing.assert_array_equal(C[0], init)
    np.testing.assert_array_equal(C[-1], km.cluster_centers_)
    for t in range(len(h)):
        assert h[t] == pytest.approx(_brute_objective(X, C[t], w), rel=rtol)
    # Lloyd's iterations never increase the objective (up to rounding).
    assert np.all(np.diff(h) <= rtol * h[0])
    # Frame t + 1 is the weighted mean of the samples nearest to frame t.
    Xd = X.toarray().astype(np.float64)
    for t in range(min(len(h) - 1, 5)):
        lab = ((Xd[:, None, :] - C[t].astype(np.float64)[None]) ** 2).sum(-1).argmin(1)
        for j in np.unique(lab):
            m = lab == j
            np.testing.assert_allclose(
                C[t + 1][j],
                np.average(Xd[m], axis=0, weights=w[m]),
                rtol=1e-4 if dtype == np.float32 else 1e-9,
                atol=1e-6,
            )


def test_sparse_center_history_replays_refits_with_max_iter():
    X, _, init, k = _sparse_problem(2)
    km = LloydKMeans(k, init=init, store_centers=True).fit(X)
    for t in range(1, km.n_iter_):
        ref = KMeans(k, init=init, n_init=1, max_iter=t).fit(X)
        np.testing.assert_array_equal(km.center_history_[t], ref.cluster_centers_)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sparse_predict_transform_score(dtype):
    X, w, init, k = _sparse_problem(4, dtype, weighted=True)
    ours = LloydKMeans(k, init=init).fit(X, sample_weight=w)
    ref = KMeans(k, init=init, n_init=1).fit(X, sample_weight=w)
    X_new, _, _, _ = _sparse_problem(4, dtype)
    X_new = X_new[::-1]
    np.testing.assert_array_equal(ours.predict(X_new), ref.predict(X_new))
    np.testing.assert_array_equal(ours.predict(X_new), ours.predict(X_new.toarray()))
    np.testing.assert_allclose(ours.transform(X_new), ref.transform(X_new), rtol=1e-6)
    np.testing.assert_allclose(ours.score(X_new), ref.score(X_new), rtol=INERTIA_RTOL[dtype])
    np.testing.assert_allclose(ours.score(X, sample_weight=w), -ours.inertia_, rtol=INERTIA_RTOL[dtype])
    assert ours.score(X_new) == pytest.approx(
        -_brute_objective(X_new, ours.cluster_centers_), rel=1e-10 if dtype == np.float64 else 1e-5
    )


def test_sparse_input_never_modified():
    X, w, init, k = _sparse_problem(6, weighted=True)
    data, indices, indptr = X.data.copy(), X.indices.copy(), X.indptr.copy()
    for copy_x in (True, False):
        km = LloydKMeans(k, copy_x=copy_x, random_state=0).fit(X, sample_weight=w)
        km.predict(X), km.score(X), km.transform(X)
        np.testing.assert_array_equal(X.data, data)
        np.testing.assert_array_equal(X.indices, indices)
        np.testing.assert_array_equal(X.indptr, indptr)


def test_sparse_empty_cluster_relocated_like_sklearn():
    # Two initial centres far from every sample: their clusters are empty in
    # the first iteration and move to the farthest samples, as in scikit-learn.
    X, _, init, k = _sparse_problem(8)
    init = init.copy()
    init[: min(3, k)] = 50.0
    k = init.shape[0]
    ours = LloydKMeans(k, init=init).fit(X)
    ref = KMeans(k, init=init, n_init=1).fit(X)
    _assert_same_run(ours, ref, np.float64)


def test_sparse_int64_indices_and_unsorted_entries():
    X, _, init, k = _sparse_problem(9)
    # Entries in reverse order within each row: scikit-learn sums them in
    # storage order, and so must we.
    rows = [X.getrow(i) for i in range(X.shape[0])]
    data = np.concatenate([r.data[::-1] for r in rows])
    indices = np.concatenate([r.indices[::-1] for r in rows]).astype(np.int64)
    Xu = sparse.csr_matrix((data, indices, X.indptr.astype(np.int64)), shape=X.shape)
    Xu.has_sorted_indices = False
    ref = KMeans(k, init=init, n_init=1).fit(Xu)
    ours = LloydKMeans(k, init=init).fit(Xu)
    _assert_same_run(ours, ref, np.float64)


# copy_x ---------------------------------------------------------------------


def _copy_x_case(X, **params):
    runs = {}
    for copy_x in (True, False):
        Xc = X.copy()
        ours = LloydKMeans(copy_x=copy_x, **params).fit(Xc)
        X_ref = X.copy()
        ref = KMeans(copy_x=copy_x, **params).fit(X_ref)
        _assert_same_run(ours, ref, X.dtype.type)
        # X is left as scikit-learn leaves it: the same bits.
        np.testing.assert_array_equal(Xc, X_ref)
        runs[copy_x] = ours
    np.testing.assert_array_equal(runs[True].labels_, runs[False].labels_)
    np.testing.assert_array_equal(runs[True].cluster_centers_, runs[False].cluster_centers_)
    assert runs[True].n_iter_ == runs[False].n_iter_
    np.testing.assert_allclose(runs[True].inertia_history_, runs[False].inertia_history_, rtol=1e-12)


def test_copy_x_false_same_as_true_on_digits():
    # The case: copy_x=False ended at J = 1169510.30 after 20
    # iterations, KMeans at 1165420.23 after 36.
    X = load_digits().data
    _copy_x_case(X, n_clusters=10, random_state=3)


@pytest.mark.parametrize("seed", range(50))
def test_copy_x_false_same_as_true_random(seed):
    rng = np.random.RandomState(seed)
    n, d, k = rng.randint(20, 600), rng.randint(1, 20), rng.randint(1, 8)
    dtype = np.float32 if seed % 3 == 0 else np.float64
    X = rng.normal(size=(n, d)) * rng.uniform(0.1, 10, d) + rng.uniform(-100, 100, d)
    _copy_x_case(X.astype(dtype), n_clusters=k, random_state=seed, init="random" if seed % 2 else "k-means++")


def test_copy_x_false_restores_x_when_the_fit_is_interrupted():
    X = load_digits().data
    X0 = X.copy()

    def init(X, k, random_state):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        LloydKMeans(10, init=init, copy_x=False).fit(X)
    np.testing.assert_allclose(X, X0, atol=1e-12)


@pytest.mark.parametrize("copy_x", [True, False])
def test_callable_init_receives_what_sklearn_passes(copy_x):
    # The case on iris: J 78.851441 against scikit-learn's 78.855666.
    X = load_iris().data
    seen = {}

    def init(X, k, random_state):
        seen.setdefault("X", []).append(np.array(X))
        return X[[0, 50, 100]] + 0.3

    ours = LloydKMeans(3, init=init, n_init=1, copy_x=copy_x).fit(X.copy())
    ref = KMeans(3, init=init, n_init=1, copy_x=copy_x).fit(X.copy())
    np.testing.assert_array_equal(seen["X"][0], seen["X"][1])
    np.testing.assert_allclose(seen["X"][0].mean(axis=0), 0, atol=1e-12)
    _assert_same_run(ours, ref, np.float64)


# Every KMeans parameter -------------------------------------------------------


def test_every_kmeans_parameter_transfers():
    params = KMeans(3, algorithm="lloyd", copy_x=False, tol=1e-3, random_state=1).get_params()
    km = LloydKMeans(**params)
    assert km.get_params()["algorithm"] == "lloyd"
    X = load_iris().data
    _assert_same_run(km.fit(X), KMeans(**params).fit(X), np.float64)


@pytest.mark.parametrize("algorithm", ["elkan", "auto", "full", None, 1])
def test_other_algorithms_refused_clearly(algorithm):
    with pytest.raises(ValueError, match="runs Lloyd's algorithm only"):
        LloydKMeans(2, algorithm=algorithm).fit(np.eye(3))


@pytest.mark.parametrize("sparse_input", [False, True])
def test_negative_sample_weights_as_sklearn(sparse_input):
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(300, 5))
    w = rng.uniform(0.5, 2, 300)
    w[::7] *= -0.3
    init = X[:4]
    if sparse_input:
        X = sparse.csr_matrix(np.where(X > 0.5, X, 0))
        init = X[:4].toarray()
    ours = LloydKMeans(4, init=init).fit(X, sample_weight=w)
    ref = KMeans(4, init=init, n_init=1).fit(X, sample_weight=w)
    _assert_same_run(ours, ref, np.float64)
    np.testing.assert_allclose(ours.score(X, sample_weight=w), ref.score(X, sample_weight=w), rtol=1e-10)


@pytest.mark.parametrize("init", ["k-means++", "random"])
def test_negative_weights_with_random_init_raise_clearly(init):
    w = np.ones(10)
    w[0] = -1
    with pytest.raises(ValueError, match="non-negative with a positive sum"):
        LloydKMeans(2, init=init).fit(np.arange(20.0).reshape(10, 2), sample_weight=w)


def test_callable_init_of_wrong_shape_gets_sklearns_message():
    X = load_iris().data
    for init, what in [
        (lambda X, k, random_state: X[:2], "number of clusters"),
        (lambda X, k, random_state: X[:3, :2], "number of features"),
    ]:
        with pytest.raises(ValueError, match=rf"The shape of the initial centers .* {what}"):
            LloydKMeans(3, init=init, n_init=1).fit(X)


# A failed or interrupted fit leaves the estimator unfitted (issue 13, item 1) --

_REFIT_SCRIPT = """
import numpy as np
from sklearn.exceptions import NotFittedError
from sklearn_tendency import LloydKMeans

rng = np.random.RandomState(0)
km = LloydKMeans(3, random_state=0).fit(rng.normal(size=(100, 2)))
X_wide = rng.normal(size=(2, 200_000))      # fewer samples than clusters
try:
    km.fit(X_wide)
except ValueError:
    pass
for method in (km.predict, km.transform, km.score):
    try:
        method(X_wide)
    except NotFittedError:
        pass
    else:
        raise SystemExit(f"{method.__name__} ran after a failed fit")
assert not hasattr(km, "cluster_centers_") and not hasattr(km, "n_features_in_")

def interrupt(X, k, random_state):
    raise KeyboardInterrupt

km = LloydKMeans(3, random_state=0).fit(rng.normal(size=(100, 2)))
try:
    km.set_params(init=interrupt, n_init=1).fit(rng.normal(size=(100, 50_000)))
except KeyboardInterrupt:
    pass
assert not hasattr(km, "cluster_centers_") and not hasattr(km, "n_features_in_")
try:
    km.predict(rng.normal(size=(5, 50_000)))
except NotFittedError:
    print("ok")
"""


def test_failed_or_interrupted_refit_leaves_unfitted():
    # In a subprocess: before the fix, predict read past the old centres
    # (SIGSEGV at this width), which would kill pytest itself.
    run = subprocess.run([sys.executable, "-c", _REFIT_SCRIPT], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"exit {run.returncode}: {run.stderr[-2000:]}"
    assert run.stdout.strip() == "ok"


def test_failed_parameter_validation_also_unfits():
    X = np.random.RandomState(0).normal(size=(50, 3))
    km = LloydKMeans(2, random_state=0).fit(X)
    with pytest.raises(ValueError):
        km.set_params(n_clusters=0).fit(X)
    assert not hasattr(km, "cluster_centers_")


@pytest.mark.parametrize("sparse_input", [False, True])
def test_kernels_check_the_shapes_they_are_given(sparse_input):
    from sklearn_tendency import _k_means_lloyd, _k_means_lloyd_sparse

    X = np.random.RandomState(0).uniform(size=(40, 3))
    w = np.ones(40)
    with pytest.raises(ValueError, match="centers must have shape"):
        _k_means_lloyd.assign(X, w, np.zeros((2, 5)), 1)
    with pytest.raises(ValueError, match="sample_weight"):
        _k_means_lloyd.lloyd(X, w[:3], np.zeros((2, 3)), 0.0, 10, 0.0, 1)
    S = sparse.csr_matrix(X)
    with pytest.raises(ValueError, match="out of range"):
        _k_means_lloyd_sparse.assign_sparse(S.data, S.indices, S.indptr, w, np.zeros((2, 2)), 1)
    with pytest.raises(ValueError, match="sample_weight must have shape"):
        _k_means_lloyd_sparse.assign_sparse(S.data, S.indices, S.indptr, w[:3], np.zeros((2, 3)), 1)
    with pytest.raises(ValueError, match="indptr"):
        _k_means_lloyd.lloyd((S.data, S.indices, S.indptr[:-1]), w[:39], np.zeros((2, 3)), 0.0, 10, 0.0, 1)


# max_iter: the history grows as the run goes (issue 13) ------------------------


@pytest.mark.parametrize("sparse_input", [False, True])
def test_huge_max_iter_allocates_nothing_up_front(sparse_input):
    X = np.random.RandomState(0).uniform(size=(500, 3))
    if sparse_input:
        X = sparse.csr_matrix(X)
    tracemalloc.start()
    try:
        km = LloydKMeans(4, random_state=0, max_iter=10**9, store_centers=True).fit(X)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000, peak  # a history of 10**9 floats would be 8 GB
    assert len(km.inertia_history_) == km.n_iter_ + 1
    # Any max_iter scikit-learn accepts, beyond a C int too.
    km = LloydKMeans(4, random_state=0, max_iter=2**40).fit(X)
    assert km.n_iter_ == KMeans(4, random_state=0, max_iter=2**40).fit(X).n_iter_


@pytest.mark.parametrize("sparse_input", [False, True])
def test_history_longer_than_its_first_capacity(sparse_input):
    # More iterations than the history's initial 64 entries (tol=0 and a slow
    # problem), compared with scikit-learn's refit at the same max_iter.
    rng = np.random.RandomState(1)
    X = rng.uniform(size=(2000, 2))
    # Every initial centre in one corner: 80 iterations to spread out.
    init = X[:30] * 0.05
    if sparse_input:
        X = sparse.csr_matrix(X)
    km = LloydKMeans(30, init=init, tol=0, max_iter=150, store_centers=True).fit(X)
    ref = KMeans(30, init=init, n_init=1, tol=0, max_iter=150).fit(X)
    assert km.n_iter_ > 64
    _assert_same_run(km, ref, np.float64)
    assert len(km.inertia_history_) == len(km.center_history_) == km.n_iter_ + 1
    assert np.all(np.diff(km.inertia_history_) <= 1e-9 * km.inertia_history_[0])
