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

Usage: python benchmarks/bench_kmeans.py [--quick] [--repeat R] [--max-iter M]
"""

import argparse
import os
import statistics
import time

import numpy as np
from scipy.linalg import blas
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

from sklearn_tendency import LloydKMeans, _k_means_lloyd as _lloyd
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
            return _lloyd.lloyd(Xc, w, initc, 0.0, max_iter, 0.0, threads,
                                record_objective=record)

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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two small shapes, 2 repeats")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--max-iter", type=int, default=20)
    args = parser.parse_args()
    shapes = QUICK if args.quick else SHAPES
    repeat = args.repeat or (2 if args.quick else 5)
    print(f"# {os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.2f}; "
          f"max_iter={args.max_iter}, best of {repeat}")
    rates = {}
    for dtype in (np.float64, np.float32):
        for threads in (1, 2):
            rates[dtype, threads] = gemm_rate(dtype, threads)
    print("# GEMM rate (GFlop/s): " + ", ".join(
        f"{np.dtype(dt).name} {th} thr {r / 1e9:.1f}" for (dt, th), r in rates.items()))
    print()
    print("| n | d | k | dtype | threads | LloydKMeans (s) | KMeans lloyd (s) "
          "| ours / sklearn | ours / GEMM bound | history cost | center_history cost |")
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
                print(f"| {n} | {d} | {k} | {np.dtype(dtype).name} | {threads} "
                      f"| {b['ours']:.4f} | {b['ref']:.4f} | {ratio:.2f} "
                      f"| {b['ours'] / bound:.1f} | {hist:+.1f}% | {store:+.1f}% |",
                      flush=True)
    print()
    print(f"ours / sklearn: median {statistics.median(ratios):.2f}, max {max(ratios):.2f} "
          "(targets: median <= 0.8, max <= 1.0)")
    print(f"# load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
