"""How many clusters? Every counting method on a table of labelled data sets.

Prints one markdown row per data set: its true count, the count of each method
(a count is right when it is one of the accepted truths; iris counts 2 or 3,
its versicolor and virginica overlap) and the time each took, then the share of
rows each method gets right. The ``class runs`` column says how far any count
of contiguous blocks of the VAT order can follow the classes, where the data
have labels: the runs of one class along the order of at least 2% of the
samples (short runs between two runs of one class dropped), and the share of
the samples they hold. Where the runs differ from the truth, or hold much less
than all samples, the classes are not contiguous in the VAT order, and a right
count of contiguous blocks there is a coincidence of the count, not blocks
that are the classes. Methods:

- ``single linkage``: :func:`sklearn_tendency.estimate_n_clusters` on the cut
  weights, the rule ``n_clusters_estimate_`` used before (top-down splits at
  cut weights >= 2x the 90th percentile inside the blocks, blocks >= 2%);
- ``DBE-1d``: Otsu's threshold on the iVAT image's dissimilarities (every pair
  weighted, from the cut weights without forming the image), blocks of the
  thresholded image of at least 2% counted: what DBE (Wang et al., 2009) does
  to a VAT image, on the iVAT image, where it reduces to the cut-weight profile;
- ``VAT-block gap``: the gap statistic over contiguous blocks of the VAT order
  (``IVAT.n_clusters_gap_``);
- ``IVAT default``: ``IVAT(random_state=0).n_clusters_estimate_``, the larger
  of the two previous counts (its time includes the fit);
- ``k-means gap`` and ``k-means silhouette``: Tibshirani's gap rule and the
  largest silhouette over LloydKMeans fits, k = 1..15 (the silhouette cannot
  say 1), from :class:`sklearn_tendency.KSelectionDisplay`.

Data: scikit-learn's iris, wine and breast_cancer (both standardized) and
digits; the clustering seminar's five sets (n = 500, seed 12345); the 32-d
embedding study (10 centres uniform in [0, 1]^32, 100 points each, noise std
0.01 and 0.3: ten clusters; std 1.0 and 3.0: one cloud; and uniform data);
Old Faithful; make_blobs with 3, 6 and 12 centres in 2, 8 and 32 dimensions,
100 samples per centre, centres at least 8 apart (uniform in a box of half
side 10 (k/3)^(1/d), redrawn until they are), cluster_std 1 ("8 sd") and 2
("4 sd").

``--seeds N`` then refits ``IVAT(random_state=s)`` for s = 0..N-1 and prints
how many rows ``n_clusters_gap_`` and ``n_clusters_estimate_`` get right with
each seed, and the rows where some seed is wrong with the count of every seed:
the gap statistic's references are random, and the share right moves with them.

Usage: python benchmarks/bench_n_clusters.py [--no-kmeans] [--seeds N]
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_iris,
    load_wine,
    make_blobs,
)
from sklearn.preprocessing import StandardScaler

from sklearn_tendency import IVAT, KSelectionDisplay, estimate_n_clusters

# The estimate's smallest block, for the class-runs column.
from sklearn_tendency._cut_weights import resolve_min_cluster_size
from sklearn_tendency.datasets import load_faithful, make_clustering_seminar


def blob_centres(k, d, min_distance, seed):
    rng = np.random.RandomState(seed)
    half_side = 10 * (k / 3) ** (1 / d)
    while True:
        centres = rng.uniform(-half_side, half_side, (k, d))
        gaps = np.sqrt(((centres[:, None] - centres[None]) ** 2).sum(-1))
        if gaps[np.triu_indices(k, 1)].min() >= min_distance:
            return centres


def datasets():
    """(name, X, accepted counts, class labels or None)"""
    X, y = load_iris(return_X_y=True)
    yield "iris", X, (2, 3), y
    wine = load_wine()
    yield "wine (standardized)", StandardScaler().fit_transform(wine.data), (3,), wine.target
    cancer = load_breast_cancer()
    yield ("breast_cancer (standardized)", StandardScaler().fit_transform(cancer.data), (2,), cancer.target)
    digits = load_digits()
    yield "digits", digits.data, (10,), digits.target
    for name, data in make_clustering_seminar().items():
        yield f"seminar {name}", data.data, (data.n_clusters,), data.target
    rng = np.random.RandomState(0)
    uniform = rng.uniform(0, 1, (1000, 32))
    centres = rng.uniform(0, 1, (10, 32))
    groups = np.repeat(np.arange(10), 100)
    for std in (0.01, 0.3, 0.5, 0.7, 0.8, 1.0, 3.0):
        # Every std is drawn so the stream matches the embedding study's.
        X = np.vstack([rng.normal(c, std, (100, 32)) for c in centres])
        if std in (0.01, 0.3):
            yield f"32-d, std {std}", X, (10,), groups
        elif std in (1.0, 3.0):
            yield f"32-d, std {std}", X, (1,), None
    yield "32-d uniform", uniform, (1,), None
    yield "Old Faithful", load_faithful().data, (2,), None
    for k in (3, 6, 12):
        for d in (2, 8, 32):
            centres = blob_centres(k, d, 8.0, seed=100 * k + d)
            for std in (1.0, 2.0):
                X, y = make_blobs(100 * k, centers=centres, cluster_std=std, random_state=k + d)
                yield f"blobs k={k} d={d} {8 / std:.0f} sd", X, (k,), y


def class_runs(order, y, min_size):
    """How far contiguous blocks of the VAT order can follow the classes.

    The classes' runs along the order of at least ``min_size`` samples (the
    estimate's smallest block), with neighbouring runs of one class joined
    once the short runs between them are dropped: their number is the count
    a partition into contiguous blocks that follow the classes would give,
    and the share of samples they hold says how much of the data such blocks
    could label right. Returns (runs, share).
    """
    yo = np.asarray(y)[order]
    starts = np.r_[0, np.flatnonzero(yo[1:] != yo[:-1]) + 1, yo.shape[0]]
    lengths = np.diff(starts)
    long = lengths >= min_size
    classes = yo[starts[:-1]][long]
    runs = int(classes.size and 1 + np.count_nonzero(classes[1:] != classes[:-1]))
    return runs, lengths[long].sum() / yo.shape[0]


def pair_counts(w):
    """Pairs (i < j) of the iVAT image whose value max(w[i+1..j]) sits at each
    position (the leftmost maximum): (p - L) (R - p) with L the previous
    position with a weight >= w[p] and R the next with a weight > w[p]."""
    n = w.shape[0]
    left = np.zeros(n, dtype=np.intp)
    right = np.full(n, n, dtype=np.intp)
    stack = []
    for p in range(1, n):
        while stack and w[stack[-1]] < w[p]:
            right[stack.pop()] = p
        left[p] = stack[-1] if stack else 0
        stack.append(p)
    p = np.arange(n)
    counts = ((p - left) * (right - p)).astype(np.float64)
    counts[0] = 0.0
    return counts


def otsu_threshold(values, weights):
    order = np.argsort(values)
    v, wt = values[order], weights[order]
    w0 = np.cumsum(wt)[:-1]
    total = wt.sum()
    m0 = np.cumsum(v * wt)[:-1]
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = w0 * w1 * (m0 / w0 - (np.dot(v, wt) - m0) / w1) ** 2
    i = int(np.nanargmax(between))
    return (v[i] + v[i + 1]) / 2


def dbe_1d(w):
    n = w.shape[0]
    m = max(2, int(np.ceil(0.02 * n)))
    counts = pair_counts(w)
    t = otsu_threshold(w[1:], counts[1:])
    edges = np.r_[0, np.flatnonzero(w[1:] > t) + 1, n]
    return max(1, int((np.diff(edges) >= m).sum()))


def timed(f):
    start = time.perf_counter()
    value = f()
    return value, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-kmeans", action="store_true", help="skip the k-means columns (the slowest)")
    parser.add_argument(
        "--seeds", type=int, default=0, help="also count the rows right with random_state 0..SEEDS-1"
    )
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    methods = ["single linkage", "DBE-1d", "VAT-block gap", "IVAT default"]
    if not args.no_kmeans:
        methods += ["k-means gap", "k-means silhouette"]
    print("| data | n x d | truth | class runs | " + " | ".join(methods) + " |")
    print("|---|---|---|---|" + "---|" * len(methods))
    right = dict.fromkeys(methods, 0)
    rows = 0
    for name, X, truth, y in datasets():
        est, fit_time = timed(lambda: IVAT(random_state=0).fit(X))
        w = est.cut_weights_
        runs = "-"
        if y is not None:
            n_runs, share = class_runs(est.order_, y, resolve_min_cluster_size(None, X.shape[0]))
            runs = f"{n_runs} ({share:.0%})"
        counts = {
            "single linkage": timed(lambda: estimate_n_clusters(w)),
            "DBE-1d": timed(lambda: dbe_1d(w)),
            "VAT-block gap": (est.n_clusters_gap_, fit_time),
            "IVAT default": (est.n_clusters_estimate_, fit_time),
        }
        if not args.no_kmeans:
            disp, t = timed(
                lambda: KSelectionDisplay.from_data(X, n_clusters=range(1, 16), random_state=0, plot=False)
            )
            counts["k-means gap"] = (disp.best_n_clusters_["gap"], t)
            counts["k-means silhouette"] = (disp.best_n_clusters_["silhouette"], t)
        cells = []
        for method in methods:
            k, t = counts[method]
            ok = k in truth
            right[method] += ok
            cells.append(f"{k}{'' if ok else ' ✗'} ({t:.2f} s)")
        rows += 1
        truth_text = " or ".join(map(str, truth))
        print(
            f"| {name} | {X.shape[0]} x {X.shape[1]} | {truth_text} | {runs} | " + " | ".join(cells) + " |",
            flush=True,
        )
    print(
        f"| **right** | | {rows} rows | | "
        + " | ".join(f"**{right[m]}/{rows} = {right[m] / rows:.0%}**" for m in methods)
        + " |"
    )
    if args.seeds > 0:
        seed_table(args.seeds)


def seed_table(n_seeds):
    """Rows right per random_state, and the rows some seed gets wrong."""
    seeds = range(n_seeds)
    right = {"VAT-block gap": [0] * n_seeds, "IVAT default": [0] * n_seeds}
    print(f"\n| data | truth | IVAT default, random_state = {', '.join(map(str, seeds))} |")
    print("|---|---|---|")
    for name, X, truth, _ in datasets():
        estimates = []
        for s in seeds:
            est = IVAT(random_state=s).fit(X)
            right["VAT-block gap"][s] += est.n_clusters_gap_ in truth
            right["IVAT default"][s] += est.n_clusters_estimate_ in truth
            estimates.append(est.n_clusters_estimate_)
        if any(k not in truth for k in estimates):
            print(
                f"| {name} | {' or '.join(map(str, truth))} | {', '.join(map(str, estimates))} |", flush=True
            )
    for method, counts in right.items():
        print(
            f"| **{method} right** | | {', '.join(map(str, counts))} (min {min(counts)}, max {max(counts)}) |"
        )


if __name__ == "__main__":
    main()
