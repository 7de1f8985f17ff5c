"""What recording the k-means learning curve costs, by paired runs.

Issue 4 asks that recording ``inertia_history_`` and ``center_history_`` cost
less than 2% of a fit. A best-of-5 column (``bench_kmeans.py``) cannot resolve
that: its run-to-run noise is about +-3%. Here each configuration runs in
pairs, back to back, one with and one without the recording (which of the
two runs first alternates), ``--pairs`` times, and the median of the
per-pair ratios is printed with its quartiles:

- history: the Lloyd kernel with ``record_objective=True`` against ``False``
  (same data, same initial centres, ``tol=0``, fixed ``max_iter``), as a
  share of the kernel's time;
- history + center_history: the kernel recording both against neither, as a
  share of the kernel's time (stricter than the target: the fit also
  validates and centres the data and checks the result);
- history + center_history, % of the fit: the target's own measure,
  ``LloydKMeans(store_centers=True).fit`` against ``LloydKMeans().fit`` with
  the kernel's recording turned off.

Shapes are those of ``bench_kmeans.py``, at 1 and 2 threads. With
``--sparse``, the fit's measure on the TF-IDF-like CSR matrix of
``bench_kmeans.py --sparse`` (float64, k = 20 and 100): there the frames are
k x d floats per iteration against nnz k multiply-adds, so their share is
largest.

Usage: python benchmarks/bench_history_cost.py [--pairs 31] [--max-iter 20] [--threads 1 2]
       python benchmarks/bench_history_cost.py --sparse [--n 100000] [--d 50000] [--k 20 100]
"""

import argparse
import os
import time

import numpy as np

# The shapes of the speed benchmark (this folder is on sys.path when run).
from bench_kmeans import SHAPES, tfidf_like
from threadpoolctl import threadpool_limits

from sklearn_tendency import LloydKMeans
from sklearn_tendency import _k_means_lloyd as _lloyd
from sklearn_tendency._openmp_helpers import blas_single_threaded


def _timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def paired_cost(with_fn, without_fn, pairs):
    """Median and quartiles, in %, of time(with) / time(without) - 1 over pairs.

    The pairs alternate which of the two runs first: the run that goes first
    was measured up to 0.9% slower or faster than the second in pairs of the
    same function (an order effect of this machine), which a fixed order adds
    to the difference.
    """
    with_fn(), without_fn()
    ratios = []
    for p in range(pairs):
        if p % 2 == 0:
            a = _timed(with_fn)
            b = _timed(without_fn)
        else:
            b = _timed(without_fn)
            a = _timed(with_fn)
        ratios.append(a / b)
    q1, med, q3 = (100 * (np.percentile(ratios, p) - 1) for p in (25, 50, 75))
    return med, q1, q3


def _fit_without_recording(estimator, X):
    """``estimator.fit(X)`` with the kernel told to record nothing.

    The estimator has no such switch (every fit records its history); the
    benchmark swaps the kernel's entry point for one that turns the recording
    off, so that the two fits differ in the recording alone.
    """
    real = _lloyd.lloyd

    def lloyd(*args, **kwargs):
        kwargs.update(record_objective=False, store_centers=False)
        return real(*args, **kwargs)

    _lloyd.lloyd = lloyd
    try:
        return estimator.fit(X)
    finally:
        _lloyd.lloyd = real


def main_sparse(args):
    X = tfidf_like(args.n, args.d, args.density)
    print(
        f"# {os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.2f}; "
        f"TF-IDF-like CSR {X.shape[0]} x {X.shape[1]}, nnz {X.nnz}, float64, "
        f"max_iter={args.max_iter}, {args.pairs} pairs"
    )
    print()
    print("| k | threads | iterations | fit (s) | frames (MB) | history + center_history, % of the fit |")
    print("|---|---|---|---|---|---|")
    rng = np.random.RandomState(1)
    worst = []
    for k in args.k:
        init = X[rng.choice(X.shape[0], k, replace=False)].toarray()
        params = dict(init=init, n_init=1, tol=0, max_iter=args.max_iter)
        store = LloydKMeans(k, store_centers=True, **params)
        plain = LloydKMeans(k, **params)
        for threads in args.threads:
            with threadpool_limits(threads):
                med, q1, q3 = paired_cost(
                    lambda: store.fit(X), lambda: _fit_without_recording(plain, X), args.pairs
                )
                seconds = _timed(lambda: plain.fit(X))
            worst.append(med)
            print(
                f"| {k} | {threads} | {store.n_iter_} | {seconds:.2f} "
                f"| {store.center_history_.nbytes / 1e6:.0f} | {med:+.2f}% ({q1:+.2f} .. {q3:+.2f}) |",
                flush=True,
            )
    print(f"\nlargest median {max(worst):+.2f}% of the fit (target: < 2%)")
    print(f"# load average at end {os.getloadavg()[0]:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=31)
    parser.add_argument("--max-iter", type=int, default=20)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--sparse", action="store_true", help="TF-IDF-like CSR input")
    parser.add_argument("--n", type=int, default=100_000, help="rows (--sparse)")
    parser.add_argument("--d", type=int, default=50_000, help="columns (--sparse)")
    parser.add_argument("--density", type=float, default=0.005, help="(--sparse)")
    parser.add_argument("--k", type=int, nargs="+", default=[20, 100], help="(--sparse)")
    args = parser.parse_args()
    if args.sparse:
        return main_sparse(args)
    print(
        "| n | d | k | dtype | threads | history, % of the kernel | history + "
        "center_history, % of the kernel | history + center_history, % of the fit |"
    )
    print("|---|---|---|---|---|---|---|---|")
    rng = np.random.RandomState(0)
    worst = {"history": [], "kernel": [], "fit": []}
    for n, d, k in SHAPES:
        for dtype in (np.float64, np.float32):
            X = rng.normal(size=(n, d)).astype(dtype)
            init = X[rng.choice(n, k, replace=False)].copy()
            Xc = X - X.mean(axis=0)
            initc = init - X.mean(axis=0)
            w = np.ones(n, dtype=dtype)

            def kernel(record, store, threads):
                with blas_single_threaded():
                    return _lloyd.lloyd(
                        Xc,
                        w,
                        initc,
                        0.0,
                        args.max_iter,
                        0.0,
                        threads,
                        store_centers=store,
                        record_objective=record,
                    )

            params = dict(init=init, n_init=1, tol=0, max_iter=args.max_iter)
            store = LloydKMeans(k, store_centers=True, **params)
            plain = LloydKMeans(k, **params)
            for threads in args.threads:
                # The estimator takes its OpenMP threads from threadpoolctl's
                # limits, as scikit-learn's KMeans does; the kernel is told.
                with threadpool_limits(threads):
                    hist = paired_cost(
                        lambda: kernel(True, False, threads),
                        lambda: kernel(False, False, threads),
                        args.pairs,
                    )
                    both = paired_cost(
                        lambda: kernel(True, True, threads), lambda: kernel(False, False, threads), args.pairs
                    )
                    fit = paired_cost(
                        lambda: store.fit(X), lambda: _fit_without_recording(plain, X), args.pairs
                    )
                cells = []
                for key, (med, q1, q3) in zip(worst, (hist, both, fit)):
                    worst[key].append(med)
                    cells.append(f"{med:+.2f}% ({q1:+.2f} .. {q3:+.2f})")
                print(
                    f"| {n} | {d} | {k} | {np.dtype(dtype).name} | {threads} | " + " | ".join(cells) + " |",
                    flush=True,
                )
    print(
        f"\nlargest median: history {max(worst['history']):+.2f}% and history + "
        f"center_history {max(worst['kernel']):+.2f}% of the kernel's time; history + "
        f"center_history {max(worst['fit']):+.2f}% of the fit's (target: < 2% of the fit)"
    )


if __name__ == "__main__":
    main()
