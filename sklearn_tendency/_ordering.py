"""The VAT ordering engine: the VAT order and cut weights of a data set.

:func:`vat_order` validates its input and hands it to
:func:`vat_order_validated`, which picks a route: Prim's algorithm in the
compiled kernel for the native metrics on dense data (one pass when no two
distances tie, with a float32 filter for Euclidean data of at least 4
features), the Delaunay route for low-dimensional Euclidean data, the
precomputed kernel, or one row of scikit-learn distances per step for any
other metric. Every route gives the same order and cut weights. Boruvka's
algorithm over a k-d tree is the exact MST route for low-dimensional
Euclidean data.
"""

import time
from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn import get_config
from sklearn.metrics import pairwise_distances
from sklearn.utils import gen_batches
from sklearn.utils._param_validation import StrOptions, validate_params

from . import _vat_boruvka, _vat_prim, _vat_tree
from ._openmp_helpers import effective_n_threads
from ._validation import METRIC_CONSTRAINT, check_vat_input, restore_units, scale_by_power_of_two

ALGORITHMS = {"auto", "prim", "delaunay", "boruvka"}

__all__ = ["ALGORITHMS", "EUCLIDEAN_NAMES", "vat_order", "vat_order_validated"]


class _DistanceRows:
    """Rows of the dissimilarity matrix for the routes outside the kernels.

    scikit-learn computes sparse Euclidean distances as ``(-2 <x, y> +
    ||x||^2) + ||y||^2``, whose rounding depends on which sample is the row:
    d(a, b) and d(b, a) differ in the last bit, enough to start VAT at the
    other end of the farthest pair (issue 13). Here they are
    ``(||x||^2 + ||y||^2) - 2 <x, y>``, the same in both directions (sums of
    two terms commute, and the sparse dot product of canonical rows adds the
    same products in the same order). Every row is checked: a callable or
    parametrised metric that returns NaN, infinity or negative values is a
    ValueError, not NaN cut weights.
    """

    def __init__(self, X, metric, metric_params, n_threads):
        self.X, self.metric, self.params = X, metric, metric_params or {}
        self.n_threads = n_threads
        self.sparse_euclidean = sparse.issparse(X) and metric in EUCLIDEAN_NAMES and not metric_params
        if self.sparse_euclidean:
            self.sq_norms = np.asarray(X.multiply(X).sum(axis=1), dtype=np.float64).ravel()

    def __call__(self, rows):
        X = self.X
        if self.sparse_euclidean:
            dot = np.asarray((X[rows] @ X.T).todense(), dtype=np.float64)
            D = (self.sq_norms[rows, None] + self.sq_norms[None, :]) - 2.0 * dot
            np.maximum(D, 0.0, out=D)
            D[np.arange(D.shape[0]), np.arange(X.shape[0])[rows]] = 0.0
            if self.metric != "sqeuclidean":
                np.sqrt(D, out=D)
        else:
            D = pairwise_distances(X[rows], X, metric=self.metric, n_jobs=self.n_threads, **self.params)
        if not np.isfinite(D).all():
            raise ValueError(
                f"The metric {self.metric!r} returned NaN or infinite "
                "dissimilarities for finite data; VAT needs finite ones."
            )
        if (D < 0).any():
            raise ValueError(
                f"The metric {self.metric!r} returned negative dissimilarities "
                f"(min {D.min()}); VAT needs non-negative ones."
            )
        return D


def _first_max_row(X, metric, n_threads, metric_params):
    """Row of the first maximum of the dissimilarity matrix (row-major order)."""
    if metric == "precomputed":
        return int(np.argmax(X) // X.shape[1])
    # (Native metrics get the start from the Prim's pass itself.)
    # Any other metric: strips of rows, memory bounded by scikit-learn's
    # working_memory setting.
    distance_rows = _DistanceRows(X, metric, metric_params, n_threads)
    n = X.shape[0]
    best, start = -np.inf, 0
    chunk_rows = max(1, int(get_config()["working_memory"] * 2**20 // (8 * n)))
    for rows in gen_batches(n, chunk_rows):
        row_max = distance_rows(rows).max(axis=1)
        i = int(np.argmax(row_max))
        if row_max[i] > best:
            best, start = row_max[i], rows.start + i
    return start


def _prim_rowwise(X, start, metric, n_threads, metric_params):
    """Prim's algorithm with one row of distances per step.

    Each step also reads the distances from the new sample back to the samples
    before it: their minimum must be the cut weight that attached it, read the
    other way, or the metric is not symmetric (a ValueError).
    """
    n = X.shape[0]
    distance_rows = _DistanceRows(X, metric, metric_params, n_threads)
    to_tree = np.full(n, np.inf)
    parent = np.zeros(n, dtype=np.intp)
    closed = np.zeros(n, dtype=bool)
    order = np.empty(n, dtype=np.intp)
    cut_weights = np.zeros(n)
    current = order[0] = start
    closed[start] = True
    for step in range(1, n):
        row = distance_rows(slice(current, current + 1)).ravel()
        if step > 1:
            back = row[order[: step - 1]].min()
            if not np.isclose(back, cut_weights[step - 1]):
                raise ValueError(
                    f"The metric {metric!r} is not symmetric: sample {current} "
                    f"is at {back} from the samples ordered before it, but "
                    f"they are at {cut_weights[step - 1]} from it."
                )
        nearer = (row < to_tree) & ~closed
        to_tree[nearer] = row[nearer]
        parent[nearer] = current
        to_tree[closed] = np.inf
        # argmin returns the first minimum: ties go to the lowest index.
        current = int(np.argmin(to_tree))
        order[step] = current
        cut_weights[step] = to_tree[current]
        closed[current] = True
    if distance_rows.sparse_euclidean and n > 1:
        # The order is decided; the cut weights are the attaching edges
        # recomputed from differences, without the cancellation of the
        # norms formula, as the dense kernel computes them.
        diff = X[order[1:]] - X[parent[order[1:]]]
        d2 = np.asarray(diff.multiply(diff).sum(axis=1), dtype=np.float64).ravel()
        cut_weights[1:] = d2 if metric == "sqeuclidean" else np.sqrt(d2)
    return order, cut_weights


@validate_params(
    {
        "X": ["array-like", "sparse matrix"],
        "metric": METRIC_CONSTRAINT,
        "metric_params": [dict, None],
        "n_jobs": [Integral, None],
        "algorithm": [StrOptions(ALGORITHMS)],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=True,
)
def vat_order(X, *, metric="euclidean", metric_params=None, n_jobs=None, algorithm="auto", verbose=0):
    """VAT order and cut weights of a data set (Bezdek & Hathaway, 2002).

    Prim's algorithm started at the sample holding the largest dissimilarity
    (the first maximum in row-major order), appending at each step the open
    sample nearest to the ordered ones, ties to the lowest index.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
            (n_samples, n_samples)
        Feature matrix, or a dissimilarity matrix with ``metric="precomputed"``.
        Must be finite, with at least 2 samples.
    metric : str or callable, default="euclidean"
        Any metric :func:`sklearn.metrics.pairwise_distances` accepts.
        ``"euclidean"``, ``"sqeuclidean"``, ``"manhattan"`` and ``"chebyshev"``
        (and their aliases) on dense data are computed by the compiled kernel;
        other metrics and sparse input get one row of distances per step from
        scikit-learn.
    metric_params : dict, default=None
        Keyword arguments of the metric.
    n_jobs : int, default=None
        Threads of the kernel; ``None`` follows ``OMP_NUM_THREADS`` and
        threadpoolctl limits, ``-1`` uses every CPU. A Prim's step runs on
        several threads only when it is large (open samples times features
        at least 2**20) and only while such steps are measured to run faster
        than on one thread: on a machine whose other cores are busy, the
        threads would wait for each other at every step. Boruvka's rounds
        search on every thread, each holding 25 n bytes.
    algorithm : {"auto", "prim", "delaunay", "boruvka"}, default="auto"
        How the minimum spanning tree is found; every choice gives the same
        order and cut weights.

        - ``"prim"``: Prim's algorithm with distances computed on the fly,
          O(n^2 d) time, O(n d) memory. One pass when no two distances tie
          (the start and the tree come out of it, the order is Prim's
          traversal of the tree from the start), two passes otherwise. For
          Euclidean data with at least 4 features the pass streams a
          float32 copy (8 n d bytes in all: the copy and its panel layout)
          and recomputes exactly every pair float32 cannot decide, so the
          result is the same, bit for bit.
        - ``"delaunay"``: Euclidean metrics on dense data with at most 3
          features: the MST of the Delaunay triangulation, O(n log n) time and
          O(n) memory, plus an exact farthest pair by pruning. Degenerate data
          (duplicate samples, tied triangulation edges) fall back to Prim's.
        - ``"boruvka"``: Euclidean metrics on dense data: the exact MST by
          Boruvka's algorithm over a k-d tree [2]_, O(n log n) time in low
          dimension (slower than Prim's from about 6 features unless n is
          large), memory 8 n d + about 100 n bytes + 25 n bytes per thread,
          plus the exact farthest pair. A tied lightest edge falls back to
          Prim's.
        - ``"auto"``: ``"boruvka"`` for Euclidean data where it was measured
          faster than Prim's (from 2000 samples in 1 to 4 features, from more
          samples in 5 to 10 features: 30 000 in 8, 80 000 in 10), else
          ``"prim"``.
    verbose : int, default=0
        Print progress of long runs (about every tenth of the samples).

    Returns
    -------
    order : ndarray of shape (n_samples,)
        Sample indices in VAT order.
    cut_weights : ndarray of shape (n_samples,), dtype float64
        ``cut_weights[k]`` is the dissimilarity that attached ``order[k]`` to
        the samples before it (0 for the first): the edges of a minimum
        spanning tree.

    Raises
    ------
    ValueError
        If a cut weight exceeds the float64 range although X is finite
        (entries near 1e308, or near 1e154 with ``metric="sqeuclidean"``).

    Notes
    -----
    The order is invariant to scaling X by a power of two (the cut weights
    scale with it, exactly): data whose largest magnitude lies outside
    [2**-48, 2**48] are rescaled internally by a power of two, so that no
    squared distance overflows or underflows (:ref:`algo-scaling`).

    Time O(n^2 d) for a feature matrix with ``algorithm="prim"`` (one pass over
    the pairs, two with tied distances), O(n log n) with ``"delaunay"`` and
    ``"boruvka"`` in low dimension, and
    O(n^2) for a precomputed matrix. Extra memory O(n d) on top of the input:
    distances are computed on the fly, never as an n x n matrix. The kernel
    checks for Ctrl-C every 64 steps and then raises ``KeyboardInterrupt``.

    References
    ----------
    .. [1] J. C. Bezdek and R. J. Hathaway, "VAT: a tool for visual assessment
       of (cluster) tendency", Proc. IJCNN 2002, pp. 2225-2230.
    .. [2] W. B. March, P. Ram and A. G. Gray, "Fast Euclidean minimum
       spanning tree: algorithm, analysis, and applications", Proc. KDD 2010,
       pp. 603-612.
    """
    X = check_vat_input(X, metric)
    if algorithm not in ALGORITHMS:
        raise ValueError(f"algorithm must be one of {sorted(ALGORITHMS)}; got {algorithm!r}.")
    return vat_order_validated(X, metric, metric_params, n_jobs, algorithm, verbose)


def vat_order_validated(X, metric, metric_params, n_jobs, algorithm="auto", verbose=0):
    """:func:`vat_order` on an X already through :func:`check_vat_input`.

    Data of extreme magnitude are ordered scaled by a power of two, and their
    cut weights come back in the data's units (:ref:`algo-scaling`).
    """
    X, exponent = scale_by_power_of_two(X, metric)
    order, cut_weights = _vat_order_routes(X, metric, metric_params, n_jobs, algorithm, verbose)
    return order, restore_units(cut_weights, exponent, metric, name="cut weights")


def _vat_order_routes(X, metric, metric_params, n_jobs, algorithm, verbose):
    """The route :func:`vat_order_validated` takes for X (of safe magnitude)."""
    n_threads = effective_n_threads(n_jobs)
    n = X.shape[0]
    native = metric in _vat_prim.NATIVE_METRICS and not sparse.issparse(X) and not metric_params
    algorithm = _resolve_algorithm(algorithm, X, metric, native)
    if algorithm in ("delaunay", "boruvka"):
        route = _vat_order_delaunay if algorithm == "delaunay" else _vat_order_boruvka
        result = route(X, metric, n_threads, verbose)
        if result is not None:
            return result
        # Tied distances: the tree may not be the one Prim's tie-breaking
        # follows, so fall through to the exact Prim's passes.
    if metric == "precomputed":
        start = _first_max_row(X, metric, n_threads, metric_params)
        order = np.empty(n, dtype=np.intp)
        cut_weights = np.empty(n)
        _vat_prim.prim_precomputed(X, start, order, cut_weights)
    elif native:
        order, cut_weights = _vat_order_prim_native(
            np.ascontiguousarray(X), _vat_prim.NATIVE_METRICS[metric], n_threads, verbose
        )
        if metric in ("euclidean", "l2"):
            # The kernel compares squared distances (same order, no sqrt per pair).
            np.sqrt(cut_weights, out=cut_weights)
    else:
        start = _first_max_row(X, metric, n_threads, metric_params)
        order, cut_weights = _prim_rowwise(X, start, metric, n_threads, metric_params)
    return order, cut_weights


EUCLIDEAN_NAMES = ("euclidean", "l2", "sqeuclidean")
# Dimensions in which a Delaunay triangulation is cheap (O(n log n), about
# 3 n edges in 2-d and 7 n in 3-d); 1-d is the sorted chain.
_DELAUNAY_MAX_FEATURES = 3


# "auto" takes the Boruvka route for Euclidean data with d features from
# _BORUVKA_AUTO_MIN_SAMPLES[d] samples on, else Prim's. Measured side by side
# (vat_order on benchmarks/bench_vat_large.py's Gaussian blobs, 1 thread,
# quiet machine, leaves of _boruvka_leaf_size; ratios Prim / Boruvka):
#   d = 4: 2k 1.8x, 20k 3.1x; d = 5: 5k 1.6x, 20k 3.8x;
#   d = 6: 5k 0.71x, 10k 1.5x, 20k 2.0x;
#   d = 7: 20k 0.72x, 30k 0.92x, 50k 1.4x;
#   d = 8: 10k 0.94x, 15k 1.25x, 20k 1.5x;
#   d = 10: 20k 0.84x, 50k 0.80x, 100k 1.5x;
#   d = 12: 50k 0.42x, 100k 0.41x; d = 16: 20k 0.70x, 50k 0.47x;
# and over three draws of the blobs (medians, with the spread they show):
#   d = 6: 10k 1.17x (0.86-1.20), 20k 1.67x, 40k 2.86x (0.95-3.11);
#   d = 7: 10k 0.81x, 20k 0.93x (0.73-1.81), 40k 1.41x (0.89-2.06);
#   d = 8: 10k 0.76x, 20k 0.83x (0.82-1.19), 40k 1.68x (0.60-1.74);
#   d = 9: 20k 0.58x, 40k 0.90x (0.73-1.02).
# The thresholds follow the medians, non-decreasing in d.
# Prim's costs n^2 d, Boruvka's about n log n times a factor growing fast
# with d (the k-d tree prunes less), so the crossover n grows with d, and
# with the data (the blobs' centres are drawn anew for each d); the Delaunay
# route is never the fastest and is taken on request only.
_BORUVKA_AUTO_MIN_SAMPLES = {
    1: 2000,
    2: 2000,
    3: 2000,
    4: 2000,
    5: 5000,
    6: 10000,
    7: 30000,
    8: 30000,
    9: 60000,
    10: 80000,
}


def _resolve_algorithm(algorithm, X, metric, native):
    n, d = X.shape
    euclidean = native and metric in EUCLIDEAN_NAMES
    delaunay_ok = euclidean and d <= _DELAUNAY_MAX_FEATURES
    if algorithm == "auto":
        return "boruvka" if euclidean and n >= _BORUVKA_AUTO_MIN_SAMPLES.get(d, np.inf) else "prim"
    if algorithm == "boruvka" and not (native and metric in EUCLIDEAN_NAMES):
        raise ValueError(
            "algorithm='boruvka' needs a dense feature matrix and a Euclidean "
            f"metric; got metric={metric!r}"
            f"{' and a sparse X' if sparse.issparse(X) else ''}."
        )
    if algorithm == "delaunay" and not delaunay_ok:
        raise ValueError(
            "algorithm='delaunay' needs a dense feature matrix with at most "
            f"{_DELAUNAY_MAX_FEATURES} features and a Euclidean metric; got "
            f"metric={metric!r} and X of shape {X.shape}"
            f"{' (sparse)' if sparse.issparse(X) else ''}."
        )
    return algorithm


class _Progress:
    """Progress of the Prim's kernel, printed the way scikit-learn's verbose
    estimators print (one line about every tenth of the run)."""

    def __init__(self, n, verbose, label):
        self.n, self.verbose, self.label = n, verbose, label
        self.t0 = time.perf_counter()
        self.next_report = 0.1

    def __call__(self, step):
        if not self.verbose:
            return
        fraction = step / self.n
        if fraction >= self.next_report:
            self.next_report = np.floor(fraction * 10 + 1) / 10
            print(
                f"[VAT] {self.label}: {step}/{self.n} samples ordered "
                f"({100 * fraction:.0f}%), elapsed {time.perf_counter() - self.t0:.1f}s",
                flush=True,
            )


def _vat_order_prim_native(X, metric_code, n_threads, verbose):
    """Exact VAT order in one Prim's pass when no tie occurs, two otherwise.

    The pass from sample 0 meets every pair once, so it finds the start (the
    first row holding the largest dissimilarity) and a minimum spanning tree;
    without ties that tree is unique and Prim's traversal of it from the start
    is the VAT order (:ref:`algo-vat-order`), in O(n log n). A tie sends the computation
    through a second pass from the start, whose tie-breaking is the reference.
    """
    n = X.shape[0]
    order = np.empty(n, dtype=np.intp)
    cut_weights = np.empty(n)
    attached_to = np.empty(n, dtype=np.intp)
    filt = _float32_filter(X, metric_code)
    start, _, tied = _vat_prim.prim_features(
        X,
        0,
        metric_code,
        order,
        cut_weights,
        attached_to,
        n_threads,
        _Progress(n, verbose, "Prim's pass"),
        *filt,
    )
    if start == 0:
        return order, cut_weights
    if not tied:
        vat_order_, vat_cuts = np.empty(n, dtype=np.intp), np.empty(n)
        _vat_tree.prim_on_tree(attached_to[1:], order[1:], cut_weights[1:], start, vat_order_, vat_cuts)
        return vat_order_, vat_cuts
    if verbose:
        print("[VAT] tied distances: second Prim's pass from the start", flush=True)
    _vat_prim.prim_features(
        X,
        start,
        metric_code,
        order,
        cut_weights,
        attached_to,
        n_threads,
        _Progress(n, verbose, "Prim's pass from the start"),
        *filt,
    )
    return order, cut_weights


# From this many features on, streaming a float32 copy (half the bytes, float32
# arithmetic, twice the SIMD lanes) and recomputing the few undecided pairs
# exactly beats streaming float64: measured 1.3x at d = 4 and 2.2x at d = 8 for
# n = 2000 (2.6x and 3.8x at n = 10000), but 0.8x at d = 2.
_FILTER_MIN_FEATURES = 4


def _float32_filter(X, metric_code):
    """The float32 filter of the Prim's kernel for Euclidean data (float64 or float32).

    Returns ``(shadow, eps, eps_max)`` or ``()``. ``shadow`` is the centred data
    in float32; for any pair, ``|sqrt(d') - sqrt(d)| <= eps[j]`` where d' is
    the exact squared distance of the shadow rows and d that of the rows of X
    (the kernel adds its own bound for summing d' in float32), because
    rounding to float32 moves each centred row r by at most
    2**-24 ||r|| (triangle inequality), with ``eps[j] = 2 * 2**-24 *
    (||r_j|| + max ||r||)`` leaving a factor 2 for the float64 centring and
    summation errors (relative 1e-15), plus an absolute term for float32
    underflow. Memory: 4 n d bytes plus 8 n.
    """
    n, d = X.shape
    if (
        X.dtype not in (np.float64, np.float32)
        or metric_code != _vat_prim.NATIVE_METRICS["sqeuclidean"]
        or d < _FILTER_MIN_FEATURES
    ):
        return ()
    # Centred in float64 for float32 data too: the copy is then the float32
    # rounding of exact-to-1e-16 rows, and the bound below holds unchanged.
    mean = X.mean(axis=0, dtype=np.float64)
    shadow = np.empty((n, d), dtype=np.float32)
    norms = np.empty(n)
    step = max(1, (1 << 22) // d)  # centred rows in blocks of 32 MB
    for a in range(0, n, step):
        block = X[a : a + step].astype(np.float64, copy=False) - mean
        shadow[a : a + step] = block
        norms[a : a + step] = np.sqrt(np.einsum("ij,ij->i", block, block))
    eps = 2.0 * 2.0**-24 * (norms + norms.max()) + 1e-44 * np.sqrt(d)
    return shadow, eps, float(eps.max())


def _farthest_row_euclidean(X, n_threads):
    """First row of the largest Euclidean distance, exactly, by pruning.

    Any pair (i, j) satisfies d(i, j) <= r_i + r_j <= r_i + R, with r the
    distance to the mean and R its maximum; a pair of length L0 found cheaply
    (the sample farthest from the mean, then the one farthest from it) bounds
    the maximum from below, so only samples with r_i + R >= L0 can be an end of
    a farthest pair. Those are compared exactly, pair by pair, with the Prim's
    kernel's arithmetic.

    Time O(n d + m^2 d) with m the candidates: a handful in low dimension (the
    samples near the enclosing sphere), up to n when the samples lie on a
    sphere. Memory O(n).
    """
    mean = X.mean(axis=0)
    r = np.sqrt(((X - mean) ** 2).sum(axis=1))
    R = r.max()
    p = int(np.argmax(r))
    L0 = np.sqrt(((X - X[p]) ** 2).sum(axis=1).max())
    # Generous slack for the rounding of r, R and L0 (relative 1e-15 each).
    tol = 1e-9 * (L0 + R)
    candidates = np.flatnonzero(r + R >= L0 - tol)
    if 2 <= X.shape[1] <= _HULL_MAX_FEATURES and candidates.shape[0] > _HULL_MIN_CANDIDATES:
        candidates = _hull_candidates(X, candidates, tol)
    local, _ = _vat_prim.farthest_pair_start(
        np.ascontiguousarray(X[candidates]),
        _vat_prim.NATIVE_METRICS["sqeuclidean"],
        n_threads,
    )
    # candidates is increasing: the first local row is the first global row.
    return int(candidates[local])


# The convex hull prunes the farthest pair's candidates in 2-d and 3-d (qhull
# is O(m log m) there); measured on 10^6 2-d blob samples: 150 865 candidates
# and 69 s without it, a few dozen and under a second with it.
_HULL_MAX_FEATURES = 3
_HULL_MIN_CANDIDATES = 2000
_HULL_MAX_VERTICES = 2000  # the vertex pairs take 8 d h^2 bytes


def _hull_candidates(X, candidates, tol):
    """The candidates that can be an end of a farthest pair, through their hull.

    For any sample i, the distance to a point of the convex hull of the
    candidates is a convex function, so its maximum over the hull is reached at
    a hull vertex: max_j d(i, j) = max over the vertices v of d(i, v) for j
    among the candidates, and the largest distance M is reached between two
    vertices. A candidate is kept when its largest distance to a vertex is
    within ``tol`` of M (room for the rounding of the computed distances), so
    both ends of every pair whose computed distance is the maximum are kept.
    Time O(m log m) for the hull plus O(m h d) with h vertices; memory O(m h)
    in blocks. Returns the candidates unchanged if qhull fails (flat data) or
    the hull has more than ``_HULL_MAX_VERTICES`` vertices.
    """
    from scipy.spatial import ConvexHull, QhullError

    Y = X[candidates]
    try:
        vertices = ConvexHull(Y).vertices
    except (QhullError, ValueError):
        return candidates
    if vertices.shape[0] > _HULL_MAX_VERTICES:
        return candidates  # samples on a sphere: the pairwise pass is as good
    V = Y[vertices]
    M = np.sqrt(((V[:, None, :] - V[None, :, :]) ** 2).sum(axis=2).max())
    far = np.empty(Y.shape[0])
    step = max(1, (1 << 22) // max(1, V.shape[0]))
    for a in range(0, Y.shape[0], step):
        block = Y[a : a + step]
        far[a : a + step] = np.sqrt(((block[:, None, :] - V[None, :, :]) ** 2).sum(axis=2).max(axis=1))
    return candidates[far >= M - tol]


def _vat_order_delaunay(X, metric, n_threads, verbose):
    """VAT order through the Euclidean MST of a Delaunay triangulation.

    Every Euclidean MST edge has an empty diametral disk, so it is an edge of
    every Delaunay triangulation (the 1-d triangulation is the sorted chain).
    With distinct edge weights the MST of the triangulation is the unique MST
    of the complete graph and Prim's traversal of it from the start is the VAT
    order. Returns None when the data are degenerate for this route
    (duplicate samples, tied triangulation edges, points qhull could not
    triangulate); the caller then runs Prim's algorithm.

    Time O(n log n) for the triangulation and the traversal, plus the farthest
    pair (see ``_farthest_row_euclidean``); memory O(n).
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import minimum_spanning_tree
    from scipy.spatial import Delaunay, QhullError

    t0 = time.perf_counter()
    n, d = X.shape
    X64 = np.ascontiguousarray(X, dtype=np.float64)
    if d == 1:
        chain = np.argsort(X64[:, 0], kind="stable")
        u, v = chain[:-1], chain[1:]
    else:
        try:
            tri = Delaunay(X64)
        except QhullError:
            return None  # flat or degenerate data (e.g. collinear points)
        if tri.coplanar.shape[0]:
            return None  # duplicates or points qhull left out
        s = tri.simplices
        lo = np.concatenate(
            [np.minimum(s[:, a], s[:, b]) for a in range(d + 1) for b in range(a + 1, d + 1)]
        ).astype(np.int64)
        hi = np.concatenate(
            [np.maximum(s[:, a], s[:, b]) for a in range(d + 1) for b in range(a + 1, d + 1)]
        ).astype(np.int64)
        # One int64 key per edge: a 1-d unique is far faster than unique rows.
        keys = np.sort(lo * n + hi)
        keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
        u, v = keys // n, keys % n
    u = np.ascontiguousarray(u, dtype=np.intp)
    v = np.ascontiguousarray(v, dtype=np.intp)
    w = np.empty(u.shape[0])
    _vat_tree.edge_weights(X64, u, v, _vat_prim.NATIVE_METRICS["sqeuclidean"], w)
    ws = np.sort(w)
    if ws[0] == 0 or (d > 1 and np.any(ws[1:] == ws[:-1])):
        return None
    tree = minimum_spanning_tree(coo_matrix((w, (u, v)), shape=(n, n))).tocoo()
    if tree.nnz != n - 1:
        return None
    start = _farthest_row_euclidean(X64, n_threads)
    order = np.empty(n, dtype=np.intp)
    cut_weights = np.empty(n)
    reached = _vat_tree.prim_on_tree(
        tree.row.astype(np.intp),
        tree.col.astype(np.intp),
        np.ascontiguousarray(tree.data, dtype=np.float64),
        start,
        order,
        cut_weights,
    )
    if reached != n:
        return None
    if metric != "sqeuclidean":
        np.sqrt(cut_weights, out=cut_weights)
    if verbose:
        print(
            f"[VAT] Delaunay MST of {n} samples ({u.shape[0]} edges) ordered in "
            f"{time.perf_counter() - t0:.1f}s",
            flush=True,
        )
    return order, cut_weights


# Samples per leaf of the Boruvka route's k-d tree: from 4 features on, a
# node's box bound costs as much as a distance and prunes little, so larger
# leaves (scanned many samples at a time) win. Measured on 200 000 Gaussian
# blobs, 1 thread (benchmarks/bench_vat_large.py's data): leaves of 16 / 64
# samples take 0.55 / 0.66 s in 2-d, 0.80 / 0.83 s in 3-d, 1.19 / 0.98 s in
# 4-d, 1.85 / 1.44 s in 5-d and 10.1 / 7.9 s in 8-d; at 100 000 samples in
# 16-d, leaves of 32, 64, 128 and 256 take 23.0, 19.9, 19.0 and 20.4 s.
def _boruvka_leaf_size(n_features):
    return 16 if n_features <= 3 else 64


def _vat_order_boruvka(X, metric, n_threads, verbose):
    """VAT order through the exact Euclidean MST of Boruvka's algorithm on a k-d tree.

    The kernel (``_vat_boruvka.boruvka_mst``) adds in each round the lightest
    edge leaving each component and reports a tie whenever one was not
    unique; without a tie the MST is unique and Prim's traversal of it from
    the start is the VAT order (:ref:`algo-tree-route`). Returns None on a tie
    (the caller then runs Prim's algorithm).

    Time O(n log n) in low dimension, degrading towards O(n^2 d) as d grows;
    memory 8 n d bytes (the data in tree order) plus about 100 n bytes and
    25 n bytes per thread (each thread's best edge of every component).
    """
    t0 = time.perf_counter()
    n = X.shape[0]
    X64 = np.ascontiguousarray(X, dtype=np.float64)
    u = np.empty(n - 1, dtype=np.intp)
    v = np.empty(n - 1, dtype=np.intp)
    w = np.empty(n - 1)
    if _vat_boruvka.boruvka_mst(X64, _boruvka_leaf_size(X64.shape[1]), u, v, w, n_threads):
        return None
    start = _farthest_row_euclidean(X64, n_threads)
    order = np.empty(n, dtype=np.intp)
    cut_weights = np.empty(n)
    _vat_tree.prim_on_tree(u, v, w, start, order, cut_weights)
    if metric != "sqeuclidean":
        np.sqrt(cut_weights, out=cut_weights)
    if verbose:
        print(
            f"[VAT] Boruvka MST of {n} samples ordered in {time.perf_counter() - t0:.1f}s",
            flush=True,
        )
    return order, cut_weights
