"""LloydKMeans against scikit-learn's KMeans(algorithm="lloyd"), side by side.

For each (n, d, k) and dtype, both estimators fit from the same initial centres
with ``tol=0`` and a fixed ``max_iter`` (the data never converge that fast, so
both run exactly ``max_iter`` iterations, checked), at 1 and 2 OpenMP threads
(``threadpoolctl.threadpool_limits``). The two fits alternate, ``--repeat``
times each, and the best time of each is kept, so that drifts in the load of a
shared machine hit both alike; only ratios measured in one run mean anything.

Columns:

- ours / sklearn: fit-time ratio (targets: <= 1.0 everywhere, median <= 0.8);
- ours / GEMM bound: our fit time over ``max_iter * 2 n d k`` flops at the GEMM
  rate of this machine, measured at the same thread count on a large square
  product through scipy's BLAS (the library the kernel calls);
- history cost: what recording ``inertia_history_`` costs, measured as the
  kernel run with and without it (``record_objective``), in % of the fit;
- center_history cost: fit with ``store_centers=True`` against without, in %.

The two cost columns are best-of-R differences, whose noise (about +-3%) is
larger than the 2% target; ``bench_history_cost.py`` measures them by paired
runs.

``--sparse``: the same comparison on a TF-IDF-like CSR matrix (default
100 000 x 50 000 at 0.5% density: Zipf-distributed term frequencies,
``log(1 + tf) * idf`` weights, rows of unit norm, documents from 50 topics),
k = 20 and 100, float64, at most ``--max-iter`` iterations (``tol=0``; a run
may stop earlier on unchanged labels, the same for both, shown) from the same
initial rows, 1 and 2 threads, the fits alternating. There is no GEMM bound; the history columns are the sparse
kernel run with and without recording the objective, and the fit with and
without ``store_centers``. ``--n``/``--d``/``--density`` scale it.

``--busy``: a process spins on the last CPU for the whole run, as another
job holding a core would. The peers section's "ours, no help" column is the
static split alone (no thread assigns another's chunks), and "ours, always
threads" runs every pass on the threads (no pass held on one thread when the
threads lose to the busy core), both fitted in the same run.

Usage: python benchmarks/bench_kmeans.py [--quick] [--repeat R] [--max-iter M] [--busy]
       python benchmarks/bench_kmeans.py --sparse [--n N] [--d D] [--density P]
"""

import argparse
import os
import statistics
import time

import numpy as np
from scipy import sparse
from scipy.linalg import blas
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

from sklearn_tendency import LloydKMeans
from sklearn_tendency import _k_means_lloyd as _lloyd
from sklearn_tendency import _k_means_lloyd_sparse as _lloyd_sparse
from sklearn_tendency._openmp_helpers import blas_single_threaded

SHAPES = [(20_000, 2, 3), (100_000, 32, 10), (200_000, 64, 50), (1_000_000, 8, 8)]
QUICK = [(20_000, 2, 3), (50_000, 16, 8)]


def gemm_rate(dtype, threads, size=2048, repeat=5):
    """Flop/s of a size x size GEMM through scipy's BLAS at this thread count."""
    rng = np.random.RandomState(0)
    a = np.asfortranarray(rng.normal(size=(size, size)).astype(dtype))
    gemm = blas.dgemm if dtype == np.float64 else blas.sgemm
    best = np.inf
    with threadpool_limits(threads, user_api="blas"):
        gemm(1.0, a, a)
        for _ in range(repeat):
            t = time.perf_counter()
            gemm(1.0, a, a)
            best = min(best, time.perf_counter() - t)
    return 2 * size**3 / best


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def bench_case(X, init, k, threads, max_iter, repeat):
    params = dict(init=init, n_init=1, tol=0, max_iter=max_iter)
    ours = LloydKMeans(k, **params)
    ours_store = LloydKMeans(k, store_centers=True, **params)
    ref = KMeans(k, algorithm="lloyd", **params)
    w = np.ones(X.shape[0], dtype=X.dtype)
    Xc = X - X.mean(axis=0)
    initc = init - X.mean(axis=0)
    best = dict(ours=np.inf, ref=np.inf, store=np.inf, kern=np.inf, kern_norec=np.inf)

    def kernel(record):
        with blas_single_threaded():
            return _lloyd.lloyd(Xc, w, initc, 0.0, max_iter, 0.0, threads, record_objective=record)

    with threadpool_limits(threads, user_api="openmp"):
        ours.fit(X)
        ref.fit(X)
        assert ours.n_iter_ == ref.n_iter_ == max_iter, (ours.n_iter_, ref.n_iter_)
        for _ in range(repeat):
            best["ref"] = min(best["ref"], timed(lambda: ref.fit(X))[0])
            best["ours"] = min(best["ours"], timed(lambda: ours.fit(X))[0])
            best["store"] = min(best["store"], timed(lambda: ours_store.fit(X))[0])
            best["kern"] = min(best["kern"], timed(lambda: kernel(True))[0])
            best["kern_norec"] = min(best["kern_norec"], timed(lambda: kernel(False))[0])
    return best


def tfidf_like(n, d, density, n_topics=50, seed=0, dtype=np.float64):
    """A CSR matrix like a TF-IDF document-term matrix (see the module docstring).

    Each document draws about ``density * d`` terms, half from a Zipf-like
    background distribution, half from its topic's (the same Zipf weights
    over a permutation of the terms): clusters for k-means to find, so that
    runs last more than a couple of iterations.
    """
    rng = np.random.RandomState(seed)
    per_row = np.maximum(1, rng.poisson(density * d * 1.15, size=n))
    p = 1.0 / (np.arange(d) + 10.0)
    p /= p.sum()
    rows = np.repeat(np.arange(n), per_row)
    ranks = rng.choice(d, size=rows.shape[0], p=p)
    topics = rng.randint(n_topics, size=n)[rows]
    perms = np.stack([rng.permutation(d) for _ in range(n_topics + 1)])
    from_topic = rng.uniform(size=rows.shape[0]) < 0.5
    cols = np.where(from_topic, perms[topics, ranks], perms[n_topics, ranks])
    X = sparse.csr_matrix((np.ones(rows.shape[0]), (rows, cols)), shape=(n, d))
    X.sum_duplicates()
    df = np.bincount(X.indices, minlength=d)
    idf = np.log((1 + n) / (1 + df)) + 1
    X.data = np.log1p(X.data) * idf[X.indices]
    norms = np.sqrt(np.add.reduceat(X.data**2, X.indptr[:-1]))
    X.data /= np.repeat(norms, np.diff(X.indptr))
    return X.astype(dtype)


def bench_sparse_case(X, init, k, threads, max_iter, repeat):
    params = dict(init=init, n_init=1, tol=0, max_iter=max_iter)
    ours = LloydKMeans(k, **params)
    ours_store = LloydKMeans(k, store_centers=True, **params)
    ref = KMeans(k, algorithm="lloyd", **params)
    w = np.ones(X.shape[0], dtype=X.dtype)
    sq = _lloyd_sparse.weighted_sq_norms_sum_sparse(X.data, X.indptr, w)
    best = dict(ours=np.inf, ref=np.inf, store=np.inf, kern=np.inf, kern_norec=np.inf)

    def kernel(record):
        return _lloyd.lloyd(
            (X.data, X.indices, X.indptr), w, init, sq, max_iter, 0.0, threads, record_objective=record
        )

    with threadpool_limits(threads, user_api="openmp"):
        for _ in range(repeat):
            t_ref, r = timed(lambda: ref.fit(X))
            t_ours, o = timed(lambda: ours.fit(X))
            assert o.n_iter_ == r.n_iter_, (o.n_iter_, r.n_iter_)
            assert np.array_equal(o.labels_, r.labels_)
            assert np.array_equal(o.cluster_centers_, r.cluster_centers_)
            best["ref"] = min(best["ref"], t_ref)
            best["ours"] = min(best["ours"], t_ours)
            best["store"] = min(best["store"], timed(lambda: ours_store.fit(X))[0])
            best["kern"] = min(best["kern"], timed(lambda: kernel(True))[0])
            best["kern_norec"] = min(best["kern_norec"], timed(lambda: kernel(False))[0])
    best["n_iter"] = o.n_iter_
    return best


def main_sparse(args):
    repeat = args.repeat or 3
    X = tfidf_like(args.n, args.d, args.density)
    print(
        f"# {os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.2f}; "
        f"TF-IDF-like CSR {X.shape[0]} x {X.shape[1]}, nnz {X.nnz} "
        f"(density {X.nnz / X.shape[0] / X.shape[1]:.4%}), float64, "
        f"max_iter={args.max_iter}, best of {repeat}; labels and centres checked equal"
    )
    print()
    print(
        "| k | threads | iterations | LloydKMeans (s) | KMeans lloyd (s) | ours / sklearn "
        "| history cost | center_history cost |"
    )
    print("|---|---|---|---|---|---|---|---|")
    rng = np.random.RandomState(1)
    for k in args.k:
        init = X[rng.choice(X.shape[0], k, replace=False)].toarray()
        for threads in (1, 2):
            b = bench_sparse_case(X, init, k, threads, args.max_iter, repeat)
            hist = 100 * (b["kern"] - b["kern_norec"]) / b["ours"]
            store = 100 * (b["store"] - b["ours"]) / b["ours"]
            print(
                f"| {k} | {threads} | {b['n_iter']} | {b['ours']:.3f} | {b['ref']:.3f} "
                f"| {b['ours'] / b['ref']:.2f} | {hist:+.1f}% | {store:+.1f}% |",
                flush=True,
            )
    print(f"# load average at end {os.getloadavg()[0]:.2f}")


def _spin(cpu):
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
    while True:
        pass


def _start_busy_loop():
    """A process spinning on the last CPU until this one exits."""
    import atexit
    import multiprocessing

    cpu = (os.cpu_count() or 1) - 1
    proc = multiprocessing.get_context("fork").Process(target=_spin, args=(cpu,), daemon=True)
    proc.start()
    atexit.register(proc.terminate)
    print(f"# a busy loop holds CPU {cpu} for the whole run")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two small shapes, 2 repeats")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--max-iter", type=int, default=20)
    parser.add_argument("--sparse", action="store_true", help="TF-IDF-like CSR input")
    parser.add_argument("--n", type=int, default=100_000, help="rows (--sparse)")
    parser.add_argument("--d", type=int, default=50_000, help="columns (--sparse)")
    parser.add_argument("--density", type=float, default=0.005, help="(--sparse)")
    parser.add_argument("--k", type=int, nargs="+", default=[20, 100], help="(--sparse)")
    parser.add_argument(
        "--peers",
        choices=["with", "only", "none"],
        default="with",
        help="the peers section (scikit-learn-intelex, faiss-cpu)",
    )
    parser.add_argument(
        "--shape",
        nargs=3,
        type=int,
        action="append",
        metavar=("N", "D", "K"),
        help="peers section: run this shape only (repeatable)",
    )
    parser.add_argument(
        "--busy",
        action="store_true",
        help="a busy loop on the last CPU for the whole run (another process holding a core)",
    )
    args = parser.parse_args()
    if args.busy:
        _start_busy_loop()
    if args.sparse:
        return main_sparse(args)
    if args.peers == "only":
        return peers_section(args)
    shapes = QUICK if args.quick else SHAPES
    repeat = args.repeat or (2 if args.quick else 5)
    print(
        f"# {os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.2f}; "
        f"max_iter={args.max_iter}, best of {repeat}"
    )
    rates = {}
    for dtype in (np.float64, np.float32):
        for threads in (1, 2):
            rates[dtype, threads] = gemm_rate(dtype, threads)
    print(
        "# GEMM rate (GFlop/s): "
        + ", ".join(f"{np.dtype(dt).name} {th} thr {r / 1e9:.1f}" for (dt, th), r in rates.items())
    )
    print()
    print(
        "| n | d | k | dtype | threads | LloydKMeans (s) | KMeans lloyd (s) "
        "| ours / sklearn | ours / GEMM bound | history cost | center_history cost |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    rng = np.random.RandomState(0)
    ratios = []
    for n, d, k in shapes:
        for dtype in (np.float64, np.float32):
            X = rng.normal(size=(n, d)).astype(dtype)
            init = X[rng.choice(n, k, replace=False)].copy()
            for threads in (1, 2):
                b = bench_case(X, init, k, threads, args.max_iter, repeat)
                ratio = b["ours"] / b["ref"]
                ratios.append(ratio)
                bound = args.max_iter * 2 * n * d * k / rates[dtype, threads]
                hist = 100 * (b["kern"] - b["kern_norec"]) / b["ours"]
                store = 100 * (b["store"] - b["ours"]) / b["ours"]
                print(
                    f"| {n} | {d} | {k} | {np.dtype(dtype).name} | {threads} "
                    f"| {b['ours']:.4f} | {b['ref']:.4f} | {ratio:.2f} "
                    f"| {b['ours'] / bound:.1f} | {hist:+.1f}% | {store:+.1f}% |",
                    flush=True,
                )
    print()
    print(
        f"ours / sklearn: median {statistics.median(ratios):.2f}, max {max(ratios):.2f} "
        "(targets: median <= 0.8, max <= 1.0)"
    )
    print(f"# load average at end {os.getloadavg()[0]:.2f}")
    if args.peers == "with":
        peers_section(args)


# --- Peers: scikit-learn-intelex and faiss-cpu (issue 19) -------------------
# The embedding shape (sentence embeddings: n = 100 000, d = 384, k = 100) is
# run in float32 only, as such data come.
PEER_SHAPES = SHAPES + [(100_000, 384, 100, "float32")]
PEER_QUICK = [(20_000, 2, 3), (50_000, 16, 8)]


def _peer_contenders():
    """Name -> fit(X, init, k, max_iter, threads) returning (n_iter, objective),
    and the names of the contenders that could not be imported."""
    contenders, missing = {}, []

    def objective(X, centres):
        # Same objective for every contender: squared distance to the nearest
        # centre, in float64.
        X64 = X.astype(np.float64)
        C = centres.astype(np.float64)
        d2 = (X64**2).sum(1)[:, None] - 2 * X64 @ C.T + (C**2).sum(1)[None, :]
        return float(np.maximum(d2.min(axis=1), 0).sum())

    def ours(X, init, k, max_iter, threads):
        est = LloydKMeans(k, init=init, n_init=1, tol=0, max_iter=max_iter).fit(X)
        # The inertia of the final centres, as the peers report theirs.
        return est.n_iter_, objective(X, est.cluster_centers_)

    contenders["LloydKMeans"] = ours

    def ours_static(X, init, k, max_iter, threads):
        # The static split alone: no thread helps another (what the help gains).
        _lloyd._set_help(False)
        try:
            return ours(X, init, k, max_iter, threads)
        finally:
            _lloyd._set_help(True)

    contenders["ours, no help"] = ours_static

    def ours_always_threads(X, init, k, max_iter, threads):
        # Every pass on the threads: no pass held on one thread when the
        # threads lose (what that choice gains).
        _lloyd._set_adapt(0)
        try:
            return ours(X, init, k, max_iter, threads)
        finally:
            _lloyd._set_adapt(1)

    contenders["ours, always threads"] = ours_always_threads

    def sk(X, init, k, max_iter, threads):
        est = KMeans(k, init=init, n_init=1, tol=0, max_iter=max_iter, algorithm="lloyd").fit(X)
        return est.n_iter_, objective(X, est.cluster_centers_)

    contenders["KMeans lloyd"] = sk

    def sk_elkan(X, init, k, max_iter, threads):
        est = KMeans(k, init=init, n_init=1, tol=0, max_iter=max_iter, algorithm="elkan").fit(X)
        return est.n_iter_, objective(X, est.cluster_centers_)

    contenders["KMeans elkan"] = sk_elkan
    try:
        from sklearnex.cluster import KMeans as IntelKMeans

        def intel(X, init, k, max_iter, threads):
            est = IntelKMeans(k, init=init, n_init=1, tol=0, max_iter=max_iter).fit(X)
            return est.n_iter_, objective(X, est.cluster_centers_)

        contenders["sklearnex"] = intel
    except ImportError:
        missing.append("scikit-learn-intelex")
    try:
        import faiss

        def faiss_fit(X, init, k, max_iter, threads):
            faiss.omp_set_num_threads(threads)
            X32 = np.ascontiguousarray(X, dtype=np.float32)
            # max_points_per_centroid large: faiss would otherwise subsample
            # the data; the same initial centres; no empty-cluster split
            # difference matters on these data (checked by the objective).
            km = faiss.Kmeans(
                X.shape[1],
                k,
                niter=max_iter,
                seed=0,
                max_points_per_centroid=X.shape[0] + 1,
                min_points_per_centroid=1,
                verbose=False,
            )
            km.train(X32, init_centroids=np.ascontiguousarray(init, dtype=np.float32))
            return max_iter, objective(X, km.centroids)

        contenders["faiss"] = faiss_fit
    except ImportError:
        missing.append("faiss-cpu")
    return contenders, missing


def peers_section(args):
    """Ratios peer time / LloydKMeans time (> 1: we are faster), interleaved
    fits, best of ``--repeat``, at 1 and 2 threads; the final objectives must
    agree (relative 1e-4: faiss computes in float32 with its own summation)."""
    contenders, missing = _peer_contenders()
    shapes = [tuple(sh) for sh in args.shape] if args.shape else PEER_QUICK if args.quick else PEER_SHAPES
    repeat = args.repeat or (2 if args.quick else 3)
    print(
        f"\n## Peers: time of peer / time of LloydKMeans (> 1: we are faster); "
        f"max_iter={args.max_iter}, tol=0, same initial centres, best of {repeat}"
    )
    print(f"# load average at start {os.getloadavg()[0]:.2f}")
    if missing:
        print("# not installed: " + ", ".join(missing))
    names = [c for c in contenders if c != "LloydKMeans"]
    print("| n | d | k | dtype | threads | LloydKMeans (s) | " + " | ".join(names) + " | objectives agree |")
    print("|" + "---|" * (7 + len(names)))
    rng = np.random.RandomState(0)
    for shape in shapes:
        n, d, k = shape[:3]
        dtypes = [np.dtype(shape[3])] if len(shape) > 3 else [np.float64, np.float32]
        X0 = rng.normal(size=(n, d))
        for dtype in dtypes:
            X = X0.astype(dtype)
            init = X[np.random.RandomState(1).choice(n, k, replace=False)].copy()
            for threads in (1, 2):
                best, objs = {}, {}
                # faiss works in float32 only.
                run = {
                    name: fit
                    for name, fit in contenders.items()
                    if not (name == "faiss" and dtype == np.float64)
                }
                with threadpool_limits(threads):
                    for _ in range(repeat):
                        for name, fit in run.items():
                            t0 = time.perf_counter()
                            objs[name] = fit(X, init, k, args.max_iter, threads)
                            t = time.perf_counter() - t0
                            best[name] = min(best.get(name, np.inf), t)
                ref_obj = objs["LloydKMeans"][1]
                agree = all(
                    it == args.max_iter and abs(o - ref_obj) <= 1e-4 * ref_obj for it, o in objs.values()
                )
                cells = [f"{best[c] / best['LloydKMeans']:.2f}" if c in best else "-" for c in names]
                print(
                    f"| {n} | {d} | {k} | {np.dtype(dtype).name} | {threads} "
                    f"| {best['LloydKMeans']:.3f} | " + " | ".join(cells) + f" | {agree} |",
                    flush=True,
                )
    print(f"# load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
