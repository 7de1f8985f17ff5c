"""How many distances Hamerly's and Elkan's bounds would skip on the peer shapes.

Exact accelerations of Lloyd's iterations (Elkan 2003, Hamerly 2010) skip the
distances of a sample to the centres that the triangle inequality proves
cannot be its nearest. They pay off when few distances remain; the
alternative they compete with here is one GEMM per 256 rows, which computes
every distance at nearly the machine's peak rate. This script measures, on
the data and initial centres of ``bench_kmeans.py``'s peer table (standard
normal samples, the same seeds, 20 iterations, ``tol=0``), the fraction of
the ``n k`` distances of each iteration that each method would still
compute, by replaying the run's centres (``LloydKMeans(store_centers=True)``)
with the exact distances:

- Hamerly, with the upper bound made tight every iteration (the objective
  history needs each sample's distance to its centre anyway): a sample whose
  distance to its centre is below ``max(s(a), l)`` is skipped (``s(a)``: half
  the distance from its centre to the nearest other centre; ``l``: a lower
  bound on its distance to its second-nearest centre, decreased by the
  largest centre move of the iteration); any other sample computes all k
  distances.
- Elkan, with the same tight upper bound and k lower bounds per sample
  (``n k`` floats): a centre j is skipped when ``d(x, c_a) <= l(x, j)`` or
  ``d(x, c_a) <= d(c_a, c_j) / 2``. The replay tests every centre against
  the bound of the sample's current centre, where Elkan's loop tightens the
  bound as it finds closer centres, so it slightly over-counts Elkan's
  distances.

Counted as the distances computed, one per sample for the tight upper bound
included, over ``n k`` per iteration, from iteration 2 (the first computes
all). ``speed-up bound`` is the inverse of the mean fraction: what the method
would gain over Lloyd's GEMM pass if its remaining distances ran at the
GEMM's rate and its bookkeeping were free. Elkan's distances are computed one
pair at a time (scikit-learn's ``KMeans(algorithm="elkan")``: 2.4-3.8 times
slower than Lloyd at 200 000 x 64, k = 50, in ``bench_kmeans.py``'s peer
table), Hamerly's could be gathered into GEMM calls.

A second table times ``LloydKMeans(bounds="hamerly")`` against the default
(Lloyd's pass), same initial centres, ``tol=0``, ``--max-iter`` iterations,
best of ``--repeat`` interleaved fits, at 1 and 2 threads, on the same
standard normal data and on ``make_blobs`` data with k centres (standard
deviation 1 around centres uniform in [-10, 10]^d), and checks that both end
on the same objective (relative 1e-6).

Usage: python benchmarks/bench_kmeans_bounds.py [--max-iter M] [--repeat R] [--shape N D K ...]
"""

import argparse
import time

import numpy as np
from sklearn.datasets import make_blobs
from threadpoolctl import threadpool_limits

from sklearn_tendency import LloydKMeans

SHAPES = [(20_000, 2, 3), (100_000, 32, 10), (200_000, 64, 50), (1_000_000, 8, 8), (100_000, 384, 100)]


def distances(X, C):
    """Euclidean distances, n x k, in float64 by the GEMM formula: its
    rounding (about 1e-16 of the squared norms) cannot move the fractions
    counted here."""
    X = X.astype(np.float64, copy=False)
    C = C.astype(np.float64)
    d2 = (X**2).sum(axis=1)[:, None] - 2 * X @ C.T + (C**2).sum(axis=1)[None, :]
    return np.sqrt(np.maximum(d2, 0.0))


def replay(X, centres):
    """Fractions of the n k distances Hamerly's and Elkan's bounds compute,
    iteration by iteration, along the centres ``centres`` (n_iter + 1, k, d)."""
    n, k = X.shape[0], centres.shape[1]
    rows = np.arange(n)
    ham, elk = [], []
    D = distances(X, centres[0])
    a = np.argmin(D, axis=1)
    part = np.partition(D, 1, axis=1) if k > 1 else D
    lower_h = part[:, 1] if k > 1 else np.full(n, np.inf)
    lower_e = D.copy()
    for t in range(1, centres.shape[0] - 1):
        move = np.sqrt(((centres[t] - centres[t - 1]) ** 2).sum(axis=1))
        # Hamerly: the largest move, or the second largest for the samples of
        # the centre that moved most.
        order = np.argsort(move)[::-1]
        second = move[order[1]] if k > 1 else 0.0
        lower_h = lower_h - np.where(a == order[0], second, move[order[0]])
        lower_e = np.maximum(lower_e - move[None, :], 0.0)
        D = distances(X, centres[t])
        cc = distances(centres[t], centres[t])
        np.fill_diagonal(cc, np.inf)
        half = cc.min(axis=1) / 2
        d_a = D[rows, a]
        skip = d_a < np.maximum(half[a], lower_h)
        ham.append((n + (~skip).sum() * (k - 1)) / (n * k))
        # Elkan: every centre j != a whose two tests fail.
        need = (d_a[:, None] > lower_e) & (d_a[:, None] > cc[a] / 2)
        need[rows, a] = False
        elk.append((n + need.sum()) / (n * k))
        lower_e = np.where(need, D, lower_e)
        a_new = np.argmin(D, axis=1)
        # The bounds' proofs, checked: no skipped sample changes its centre,
        # and no skipped centre is nearer than the sample's centre.
        assert np.all(a_new[skip] == a[skip]), "Hamerly skipped a sample that moved"
        assert np.all(D[~need] >= np.repeat(d_a, k).reshape(n, k)[~need] * (1 - 1e-9)), "Elkan"
        part = np.partition(D, 1, axis=1)
        lower_h = np.where(skip, lower_h, part[:, 1])
        a = a_new
    return np.array(ham), np.array(elk)


def timing_table(shapes, max_iter, repeat):
    print(
        f"\n# LloydKMeans(bounds='hamerly') vs the default, {max_iter} iterations, tol=0, "
        f"same initial centres, best of {repeat}; ratio > 1: the bounds are faster"
    )
    print("| data | n | d | k | threads | default (s) | hamerly (s) | ratio | same objective |")
    print("|---|---|---|---|---|---|---|---|---|")
    rng = np.random.RandomState(0)
    for n, d, k in shapes:
        normal = rng.normal(size=(n, d))
        blobs = make_blobs(n, n_features=d, centers=k, cluster_std=1.0, random_state=0)[0]
        for name, X in (("normal", normal), ("blobs", blobs)):
            if d >= 256:
                X = X.astype(np.float32)  # embeddings come in float32
            init = X[np.random.RandomState(1).choice(n, k, replace=False)].copy()
            for threads in (1, 2):
                best, inertia = {}, {}
                with threadpool_limits(threads):
                    for _ in range(repeat):
                        for bounds in (None, "hamerly"):
                            t = time.perf_counter()
                            km = LloydKMeans(k, init=init, tol=0, max_iter=max_iter, bounds=bounds).fit(X)
                            best[bounds] = min(best.get(bounds, np.inf), time.perf_counter() - t)
                            inertia[bounds] = km.inertia_
                agree = abs(inertia["hamerly"] - inertia[None]) <= 1e-6 * inertia[None]
                print(
                    f"| {name} | {n} | {d} | {k} | {threads} | {best[None]:.3f} | {best['hamerly']:.3f} "
                    f"| {best[None] / best['hamerly']:.2f} | {agree} |",
                    flush=True,
                )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-iter", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=["counts", "times"], default=None)
    parser.add_argument("--shape", type=int, nargs=3, action="append", metavar=("N", "D", "K"))
    args = parser.parse_args()
    shapes = [tuple(s) for s in args.shape] if args.shape else SHAPES
    if args.only != "times":
        counts_table(shapes, args.max_iter)
    if args.only != "counts":
        timing_table(shapes, args.max_iter, args.repeat)


def counts_table(shapes, max_iter):
    print(
        f"# standard normal data, bench_kmeans.py's seeds, {max_iter} Lloyd iterations, "
        "tol=0; fraction of the n k distances computed per iteration (from iteration 2)"
    )
    print(
        "| n | d | k | Hamerly: mean | min | last | speed-up bound | Elkan: mean | min | last | speed-up bound |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    rng = np.random.RandomState(0)
    for n, d, k in shapes:
        X = rng.normal(size=(n, d))
        init = X[np.random.RandomState(1).choice(n, k, replace=False)].copy()
        km = LloydKMeans(k, init=init, n_init=1, tol=0, max_iter=max_iter, store_centers=True).fit(X)
        ham, elk = replay(X, km.center_history_)
        print(
            f"| {n} | {d} | {k} | {ham.mean():.2f} | {ham.min():.2f} | {ham[-1]:.2f} | {1 / ham.mean():.2f} "
            f"| {elk.mean():.2f} | {elk.min():.2f} | {elk[-1]:.2f} | {1 / elk.mean():.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
