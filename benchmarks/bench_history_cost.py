"""What recording the k-means learning curve costs, by paired runs.

Issue 4 asks that recording ``inertia_history_`` and ``center_history_`` cost
less than 2% of a fit. A best-of-5 column (``bench_kmeans.py``) cannot resolve
that: its run-to-run noise is about +-3%. Here each configuration runs in
pairs, back to back, one with and one without the recording (which runs first alternates), ``--pairs``
times, and the median of the per-pair ratios is printed with its quartiles:

- history: the Lloyd kernel with ``record_objective=True`` against ``False``
  (same data, same initial centres, ``tol=0``, fixed ``max_iter``);
- center_history: ``LloydKMeans(store_centers=True).fit`` against ``False``.

Shapes are those of ``bench_kmeans.py``, at one thread (where a per-sample
cost is the largest share of the fit).

Usage: python benchmarks/bench_history_cost.py [--pairs 21] [--max-iter 20]
"""

import argparse
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits

from sklearn_tendency import LloydKMeans, _lloyd
from sklearn_tendency._openmp_helpers import _blas_single_threaded

# The shapes of the speed benchmark (this folder is on sys.path when run).
from bench_kmeans import SHAPES


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=21)
    parser.add_argument("--max-iter", type=int, default=20)
    args = parser.parse_args()
    print("| n | d | k | dtype | history cost, median (quartiles) "
          "| center_history cost, median (quartiles) |")
    print("|---|---|---|---|---|---|")
    rng = np.random.RandomState(0)
    medians = []
    for n, d, k in SHAPES:
        for dtype in (np.float64, np.float32):
            X = rng.normal(size=(n, d)).astype(dtype)
            init = X[rng.choice(n, k, replace=False)].copy()
            Xc = X - X.mean(axis=0)
            initc = init - X.mean(axis=0)
            w = np.ones(n, dtype=dtype)

            def kernel(record):
                with _blas_single_threaded():
                    return _lloyd.lloyd(Xc, w, initc, 0.0, args.max_iter, 0.0, 1,
                                        record_objective=record)

            params = dict(init=init, n_init=1, tol=0, max_iter=args.max_iter)
            store = LloydKMeans(k, store_centers=True, **params)
            plain = LloydKMeans(k, **params)
            with threadpool_limits(1):
                hist = paired_cost(lambda: kernel(True), lambda: kernel(False), args.pairs)
                cent = paired_cost(lambda: store.fit(X), lambda: plain.fit(X), args.pairs)
            medians.append(hist[0] + cent[0])
            print(f"| {n} | {d} | {k} | {np.dtype(dtype).name} "
                  f"| {hist[0]:+.2f}% ({hist[1]:+.2f}% .. {hist[2]:+.2f}%) "
                  f"| {cent[0]:+.2f}% ({cent[1]:+.2f}% .. {cent[2]:+.2f}%) |", flush=True)
    print(f"\nlargest median of history + center_history: {max(medians):+.2f}% "
          "(target: < 2% of the fit)")


if __name__ == "__main__":
    main()
