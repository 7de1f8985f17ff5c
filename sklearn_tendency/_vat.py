"""VAT and iVAT: Visual Assessment of cluster Tendency.

The estimators :class:`VAT` and :class:`IVAT` and the notebook functions
:func:`vat` and :func:`ivat` share one computation, :func:`vat_order`: the VAT
order and the cut weights. Everything else (the images, the cluster-count
estimate, the single-linkage labels) is derived from those two arrays.
"""

import time
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.metrics import pairwise_distances, pairwise_distances_chunked
from sklearn.metrics.pairwise import _VALID_METRICS
from sklearn.utils import check_array
from sklearn.utils.extmath import row_norms
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _vat_prim, _vat_tree
from ._vat_image import euclidean_image
from ._openmp_helpers import _blas_single_threaded, _openmp_effective_n_threads
from ._validation import check_precomputed_dissimilarity, check_sample_size
from ._svat import extend_labels, maximin_sample

__all__ = ["VAT", "IVAT", "vat", "ivat", "vat_order", "ivat_from_cut_weights"]


def _as_c_rows(X):
    """A C-contiguous view of a dense array, without copying a symmetric F one."""
    if X.flags.c_contiguous:
        return X
    return np.ascontiguousarray(X)


def _check_vat_input(X, metric, *, estimator=None, reset=True):
    """Validate X for VAT; ``estimator`` routes through ``validate_data``."""
    precomputed = metric == "precomputed"
    params = dict(
        accept_sparse=False if precomputed else "csr",
        # scikit-learn's sparse distance kernels take 32-bit indices only.
        accept_large_sparse=False,
        dtype=[np.float64, np.float32],
        ensure_min_samples=2,
    )
    if estimator is not None and not (precomputed and not reset):
        X = validate_data(estimator, X, reset=reset, **params)
    else:
        X = check_array(X, **params)
    if precomputed:
        check_precomputed_dissimilarity(X)
        # A symmetric matrix stored column-major is its own transpose: read it
        # as rows without copying.
        if not X.flags.c_contiguous and X.flags.f_contiguous:
            X = X.T
    return X


def _first_max_row(X, metric, n_threads, metric_params):
    """Row of the first maximum of the dissimilarity matrix (row-major order)."""
    if metric == "precomputed":
        return int(np.argmax(X) // X.shape[1])
    # (Native metrics get the start from the Prim's pass itself.)
    # Any other metric: strips of rows through scikit-learn, memory bounded by
    # its working_memory setting.
    best, start, offset = -np.inf, 0, 0
    for strip in pairwise_distances_chunked(
        X, metric=metric, n_jobs=n_threads, **(metric_params or {})
    ):
        row_max = strip.max(axis=1)
        i = int(np.argmax(row_max))
        if row_max[i] > best:
            best, start = row_max[i], offset + i
        offset += strip.shape[0]
    return start


def _prim_rowwise(X, start, metric, n_threads, metric_params):
    """Prim's algorithm with one row of distances from scikit-learn per step."""
    n = X.shape[0]
    to_tree = np.full(n, np.inf)
    closed = np.zeros(n, dtype=bool)
    order = np.empty(n, dtype=np.intp)
    cut_weights = np.zeros(n)
    current = order[0] = start
    closed[start] = True
    for step in range(1, n):
        row = pairwise_distances(
            X[current : current + 1], X, metric=metric, **(metric_params or {})
        ).ravel()
        np.minimum(to_tree, row, out=to_tree)
        to_tree[closed] = np.inf
        # argmin returns the first minimum: ties go to the lowest index.
        current = int(np.argmin(to_tree))
        order[step] = current
        cut_weights[step] = to_tree[current]
        closed[current] = True
    return order, cut_weights


def vat_order(X, *, metric="euclidean", metric_params=None, n_jobs=None,
              algorithm="auto", verbose=0):
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
        threads would wait for each other at every step.
    algorithm : {"auto", "prim", "delaunay"}, default="auto"
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
        - ``"auto"``: ``"delaunay"`` where it applies and n >= 2000, else
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

    Notes
    -----
    Time O(n^2 d) for a feature matrix with ``algorithm="prim"`` (one pass over
    the pairs, two with tied distances), O(n log n) with ``"delaunay"``, and
    O(n^2) for a precomputed matrix. Extra memory O(n d) on top of the input:
    distances are computed on the fly, never as an n x n matrix. The kernel
    checks for Ctrl-C every 64 steps and then raises ``KeyboardInterrupt``.

    References
    ----------
    .. [1] J. C. Bezdek and R. J. Hathaway, "VAT: a tool for visual assessment
       of (cluster) tendency", Proc. IJCNN 2002, pp. 2225-2230.
    """
    X = _check_vat_input(X, metric)
    if algorithm not in _ALGORITHMS:
        raise ValueError(
            f"algorithm must be one of {sorted(_ALGORITHMS)}; got {algorithm!r}."
        )
    return _vat_order_validated(X, metric, metric_params, n_jobs, algorithm, verbose)


def _vat_order_validated(X, metric, metric_params, n_jobs, algorithm="auto",
                         verbose=0):
    n_threads = _openmp_effective_n_threads(n_jobs)
    n = X.shape[0]
    native = (
        metric in _vat_prim.NATIVE_METRICS and not sparse.issparse(X) and not metric_params
    )
    algorithm = _resolve_algorithm(algorithm, X, metric, native)
    if algorithm == "delaunay":
        result = _vat_order_delaunay(X, metric, n_threads, verbose)
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
            _as_c_rows(X), _vat_prim.NATIVE_METRICS[metric], n_threads, verbose
        )
        if metric in ("euclidean", "l2"):
            # The kernel compares squared distances (same order, no sqrt per pair).
            np.sqrt(cut_weights, out=cut_weights)
    else:
        start = _first_max_row(X, metric, n_threads, metric_params)
        order, cut_weights = _prim_rowwise(X, start, metric, n_threads, metric_params)
    return order, cut_weights


_ALGORITHMS = {"auto", "prim", "delaunay"}
_EUCLIDEAN_NAMES = ("euclidean", "l2", "sqeuclidean")
# Dimensions in which a Delaunay triangulation is cheap (O(n log n), about
# 3 n edges in 2-d and 7 n in 3-d); 1-d is the sorted chain.
_DELAUNAY_MAX_FEATURES = 3
# Below this many samples one Prim's pass takes well under a second.
_DELAUNAY_AUTO_MIN_SAMPLES = 2000


def _resolve_algorithm(algorithm, X, metric, native):
    delaunay_ok = (
        native and metric in _EUCLIDEAN_NAMES
        and X.shape[1] <= _DELAUNAY_MAX_FEATURES
    )
    if algorithm == "auto":
        return (
            "delaunay"
            if delaunay_ok and X.shape[0] >= _DELAUNAY_AUTO_MIN_SAMPLES
            else "prim"
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
    is the VAT order (NOTES.md), in O(n log n). A tie sends the computation
    through a second pass from the start, whose tie-breaking is the reference.
    """
    n = X.shape[0]
    order = np.empty(n, dtype=np.intp)
    cut_weights = np.empty(n)
    attached_to = np.empty(n, dtype=np.intp)
    filt = _float32_filter(X, metric_code)
    start, _, tied = _vat_prim.prim_features(
        X, 0, metric_code, order, cut_weights, attached_to, n_threads,
        _Progress(n, verbose, "Prim's pass"), *filt,
    )
    if start == 0:
        return order, cut_weights
    if not tied:
        vat_order_, vat_cuts = np.empty(n, dtype=np.intp), np.empty(n)
        _vat_tree.prim_on_tree(
            attached_to[1:], order[1:], cut_weights[1:], start, vat_order_, vat_cuts
        )
        return vat_order_, vat_cuts
    if verbose:
        print("[VAT] tied distances: second Prim's pass from the start", flush=True)
    _vat_prim.prim_features(
        X, start, metric_code, order, cut_weights, attached_to, n_threads,
        _Progress(n, verbose, "Prim's pass from the start"), *filt,
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
    local, _ = _vat_prim.farthest_pair_start(
        np.ascontiguousarray(X[candidates]), _vat_prim.NATIVE_METRICS["sqeuclidean"],
        n_threads,
    )
    # candidates is increasing: the first local row is the first global row.
    return int(candidates[local])


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
        tree.row.astype(np.intp), tree.col.astype(np.intp),
        np.ascontiguousarray(tree.data, dtype=np.float64), start, order, cut_weights,
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


def ivat_from_cut_weights(cut_weights, *, dtype=np.float64, n_jobs=None):
    """The iVAT image, in VAT order, from the cut weights alone.

    In VAT order the minimax path distance of Havens & Bezdek (2012) between
    positions ``i < j`` is ``max(cut_weights[i + 1 : j + 1])`` (NOTES.md), so
    the whole image follows from the n cut weights.

    Parameters
    ----------
    cut_weights : array-like of shape (n_samples,)
        Cut weights in VAT order, as returned by :func:`vat_order`.
    dtype : {np.float64, np.float32}, default=np.float64
        dtype of the image; float32 halves its memory.
    n_jobs : int, default=None
        Threads; see :func:`vat_order`.

    Returns
    -------
    image : ndarray of shape (n_samples, n_samples)
        ``image[i, j]`` is the iVAT dissimilarity between ``order[i]`` and
        ``order[j]``.

    Notes
    -----
    The full-resolution case of
    :func:`~sklearn_tendency.downsampled_ivat_image` (one sample per
    pixel): the package has one range-maximum kernel. Time O(n^2); memory: the
    n x n output, 8 n^2 bytes (float32: computed in float64, then cast, 12 n^2
    bytes at the peak).

    References
    ----------
    .. [1] T. C. Havens and J. C. Bezdek, "An efficient formulation of the
       improved visual assessment of cluster tendency (iVAT) algorithm", IEEE
       TKDE 24(5), 2012, pp. 813-822.
    """
    from ._image import downsampled_ivat_image  # image.py imports this module

    cut_weights = np.asarray(cut_weights, dtype=np.float64)
    if cut_weights.ndim != 1:
        raise ValueError(
            f"cut_weights must be 1-d; got an array of shape {cut_weights.shape}."
        )
    n = cut_weights.shape[0]
    image = downsampled_ivat_image(cut_weights, max_pixels=n, reduce="min", n_jobs=n_jobs)
    return image.astype(dtype, copy=False)


def _vat_image(X, order, metric, metric_params, n_jobs):
    """The VAT image: the dissimilarity matrix with rows and columns in VAT order.

    Dense float64 Euclidean data go through the package's kernel (one ``dsyrk``
    and one fused pass, 8 n^2 bytes at the peak); everything else through
    ``pairwise_distances``.
    """
    if metric == "precomputed":
        return X[np.ix_(order, order)]
    if (
        metric in _EUCLIDEAN_NAMES and not metric_params
        and not sparse.issparse(X) and X.dtype == np.float64
    ):
        rows = np.ascontiguousarray(X[order])
        image = np.empty((rows.shape[0], rows.shape[0]))
        # BLAS on one thread: its pthreads spin after the call while the
        # OpenMP pass runs, which on 2 cores made 2 threads 3x slower than 1
        # at n = 1000 (measured).
        with _blas_single_threaded():
            euclidean_image(
                rows, row_norms(rows, squared=True), image, metric == "sqeuclidean",
                _openmp_effective_n_threads(n_jobs),
            )
        return image
    return pairwise_distances(
        X[order], metric=metric, n_jobs=n_jobs, **(metric_params or {})
    )


def estimate_n_clusters(cut_weights, *, min_cluster_size=None, ratio=2.0,
                        quantile=0.9, max_clusters=50):
    """Cluster count from the cut weights: splits of the VAT order that stand out.

    The k - 1 largest cut weights split the VAT order into k contiguous blocks,
    the single-linkage clusters (NOTES.md). The rule splits the order top-down:
    at each step it takes the largest cut weight whose two sides both keep at
    least ``min_cluster_size`` samples (so a far outlier, which makes a large
    cut weight but a block of one sample, is never a split), and accepts it if

        cut weight >= ratio * max(q_left, q_right)

    with ``q_left`` and ``q_right`` the ``quantile`` of the cut weights inside
    each of the two blocks it separates,

    i.e. if the jump between the blocks is clearly larger than the long edges
    within them. Splitting stops at the first cut that fails; the estimate is
    one more than the number of accepted cuts.

    Parameters
    ----------
    cut_weights : array-like of shape (n_samples,)
        Cut weights in VAT order (the first entry is ignored).
    min_cluster_size : int, default=None
        Smallest block a split may leave; ``None`` means
        ``max(2, ceil(0.02 * n_samples))``.
    ratio : float, default=2.0
        How many times the within-block scale a cut must reach.
    quantile : float, default=0.9
        Quantile of the within-block cut weights taken as their scale.
    max_clusters : int, default=50
        Largest count returned.

    Returns
    -------
    n_clusters : int
        At least 1.

    Notes
    -----
    Limits: it sees only what single linkage sees. Clusters joined by a chain
    of close samples (a bridge, overlapping Gaussians, or clusters whose spread
    is comparable to their separation, common in high dimension) show no jump
    and count as one; the estimate then says "no gap", not "no clusters".
    Clusters of very different densities may be split where the sparse one is
    thin. Read it next to the iVAT image, not as a test. The defaults give 1 on
    uniform and Gaussian data and the visible count on the seminar data sets
    (see the tests).

    Time O(max_clusters * n), memory O(n).
    """
    w = np.asarray(cut_weights, dtype=np.float64)
    n = w.shape[0]
    if min_cluster_size is None:
        min_cluster_size = max(2, int(np.ceil(0.02 * n)))
    m = int(min_cluster_size)
    # A block's best cut depends on the block alone: computed once, when the
    # block is made (two quantiles each), not again at every round.
    splits = {(0, n): _block_split(w, 0, n, m, quantile)}
    n_clusters = 1
    while n_clusters < max_clusters:
        best = None
        for (a, b), split in splits.items():
            if split is not None and (best is None or w[split[1]] > w[best[1]]):
                best = (*split, a, b)
        if best is None or not best[0] >= ratio:
            break
        _, p, a, b = best
        del splits[a, b]
        splits[a, p] = _block_split(w, a, p, m, quantile)
        splits[p, b] = _block_split(w, p, b, m, quantile)
        n_clusters += 1
    return n_clusters


def _block_split(w, a, b, m, quantile):
    """The largest admissible cut of block [a, b) and its jump ratio.

    A block is [a, b) in VAT positions; a cut at position p (a + m <= p <= b - m)
    makes [a, p) and [p, b). cut_weights[p] joined position p to the positions
    before it, so the edges inside [a, p) are w[a + 1 : p].

    Returns (ratio, p), or None when no cut leaves m samples on both sides.
    """
    if b - a < 2 * m:
        return None
    p = a + m + int(np.argmax(w[a + m : b - m + 1]))
    # The sparser block sets the scale: a sparse tail of a single Gaussian
    # has long edges of its own, and must not pass as a cluster next to a
    # dense core.
    scale = max(
        _quantile(side, quantile) if side.size else 0.0
        for side in (w[a + 1 : p], w[p + 1 : b])
    )
    if w[p] <= 0:
        return 0.0, p
    return (w[p] / scale if scale > 0 else np.inf), p


def _quantile(x, q):
    """``np.quantile(x, q)`` (linear interpolation) of a 1-d array, by one
    partial sort: the call overhead of np.quantile (~20 us) was most of
    estimate_n_clusters, hence a tenth of a VAT fit at n = 1000."""
    h = (x.shape[0] - 1) * q
    lo = int(h)
    hi = min(lo + 1, x.shape[0] - 1)
    part = np.partition(x, (lo, hi))
    return part[lo] + (h - lo) * (part[hi] - part[lo])


def single_linkage_labels(order, cut_weights, n_clusters):
    """Labels of the ``n_clusters`` single-linkage clusters, in sample order.

    Cutting the VAT order at its ``n_clusters - 1`` largest cut weights (ties to
    the earliest position) gives the single-linkage clusters (NOTES.md). Blocks
    are numbered by their position in the VAT order.

    Time O(n log n), memory O(n).
    """
    n = order.shape[0]
    n_clusters = int(min(max(n_clusters, 1), n))
    cuts = np.sort(np.argsort(-cut_weights[1:], kind="stable")[: n_clusters - 1] + 1)
    block_of_position = np.zeros(n, dtype=np.intp)
    block_of_position[cuts] = 1
    block_of_position = np.cumsum(block_of_position)
    labels = np.empty(n, dtype=np.intp)
    labels[order] = block_of_position
    return labels


class VAT(TransformerMixin, BaseEstimator):
    """Visual Assessment of cluster Tendency (Bezdek & Hathaway, 2002).

    Orders the samples so that clusters become dark blocks on the diagonal of
    the reordered dissimilarity matrix (the *VAT image*): Prim's algorithm from
    the sample at one end of the largest dissimilarity, appending at each step
    the sample nearest to those already ordered.

    Read more in the :ref:`User Guide <vat>`.

    Parameters
    ----------
    metric : str or callable, default="euclidean"
        Any metric :func:`sklearn.metrics.pairwise_distances` accepts, or
        ``"precomputed"`` for a dissimilarity matrix (square, symmetric,
        non-negative). See :func:`vat_order` for which metrics run in the
        compiled kernel.
    metric_params : dict, default=None
        Keyword arguments of the metric.
    n_clusters : int, default=None
        Number of single-linkage clusters in :attr:`labels_`; ``None`` uses
        :attr:`n_clusters_estimate_`.
    n_jobs : int, default=None
        Threads of the kernels and of :func:`~sklearn.metrics.pairwise_distances`.
        ``None`` follows ``OMP_NUM_THREADS`` and threadpoolctl limits; ``-1``
        uses every CPU. See :func:`vat_order` for when the ordering uses them.
    algorithm : {"auto", "prim", "delaunay"}, default="auto"
        How the minimum spanning tree behind the order is found; all give the
        same order and cut weights. ``"delaunay"`` (Euclidean, at most 3
        features) runs in O(n log n); see :func:`vat_order`.
    sample_size : int or float, default=None
        ``None`` orders every sample (exact). Otherwise order a sample of about
        this many objects (a float is a fraction of n) drawn as sVAT/siVAT
        draw it: maximin objects, then samples from each of their Voronoi
        groups in proportion to its size (maximin sampling);
        :attr:`labels_` are then extended to every object through its nearest
        sampled object (clusiVAT). An int at least n means exact.
    random_state : int, RandomState instance or None, default=None
        Randomness of the sampling (unused when ``sample_size`` is None).
    verbose : int, default=0
        Print the progress of long fits.

    Attributes
    ----------
    order_ : ndarray of shape (n_sampled,)
        Training sample indices in VAT order (n_sampled = n_samples unless
        ``sample_size`` is set).
    cut_weights_ : ndarray of shape (n_sampled,)
        Dissimilarity that attached each sample, in VAT order, 0 for the first:
        the edges of a minimum spanning tree.
    n_clusters_estimate_ : int
        Cluster count read from the cut weights by :func:`estimate_n_clusters`:
        top-down splits of the VAT order at cut weights at least twice the long
        edges (90th percentile) inside each block they separate, blocks of at
        least 2% of the samples. See its Notes for the limits.
    labels_ : ndarray of shape (n_samples,)
        Single-linkage cluster of each training sample for ``n_clusters`` (or the
        estimate) clusters: the blocks between the largest cut weights.
    sample_indices_ : ndarray of shape (n_sampled,)
        Sorted indices of the ordered samples: all of them unless
        ``sample_size`` is set. ``order_`` and ``cut_weights_`` cover these
        samples; ``labels_`` covers every training sample.
    n_features_in_ : int
        Number of features seen during fit (``n_samples`` when precomputed).
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    IVAT : The same order, with the minimax-path (iVAT) image.
    vat : Function that returns (and draws) the VAT image.

    Notes
    -----
    ``fit`` costs O(n^2 d) time and O(n d) extra memory with Prim's algorithm
    (O(n log n) with ``algorithm="delaunay"``): no n x n matrix is formed for a
    feature matrix. With ``sample_size=s`` the fit costs O(k n d) for the
    maximin sampling (k distinguished objects), the exact fit of the s sampled
    objects, and one nearest-sample search for the labels (O(n log s) with a
    tree in low dimension); memory O(n + s d). A fit interrupted by Ctrl-C
    (``KeyboardInterrupt``) leaves the estimator unfitted. The image of ``transform`` and ``fit_transform`` is
    n x n (8 n^2 bytes: 80 MB at n = 3 200, 3.2 GB at n = 20 000).

    VAT is transductive: the order belongs to the sample set. ``transform(X)``
    therefore orders X itself (it does not reuse the training order), and
    ``fit_transform(X)`` returns the image of the training data without
    computing the order twice.

    References
    ----------
    .. [1] J. C. Bezdek and R. J. Hathaway, "VAT: a tool for visual assessment
       of (cluster) tendency", Proc. IJCNN 2002, pp. 2225-2230.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn_tendency import VAT
    >>> X, _ = make_blobs(n_samples=300, centers=[[0, 0], [6, 0], [0, 6]],
    ...                   cluster_std=0.5, random_state=0)
    >>> vat = VAT().fit(X)
    >>> vat.n_clusters_estimate_
    3
    >>> vat.fit_transform(X).shape
    (300, 300)
    """

    _parameter_constraints: dict = {
        "metric": [StrOptions(set(_VALID_METRICS) | {"precomputed"}), callable],
        "metric_params": [dict, None],
        "n_clusters": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
        "algorithm": [StrOptions(_ALGORITHMS)],
        "sample_size": [
            Interval(Integral, 2, None, closed="left"),
            Interval(Real, 0, 1, closed="right"),
            None,
        ],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(self, metric="euclidean", *, metric_params=None, n_clusters=None,
                 n_jobs=None, algorithm="auto", sample_size=None, random_state=None,
                 verbose=0):
        self.metric = metric
        self.metric_params = metric_params
        self.n_clusters = n_clusters
        self.n_jobs = n_jobs
        self.algorithm = algorithm
        self.sample_size = sample_size
        self.random_state = random_state
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Compute the VAT order and cut weights of X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, n_samples)
            Training data, or a dissimilarity matrix if ``metric="precomputed"``.
        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        X = _check_vat_input(X, self.metric, estimator=self, reset=True)
        self._fit_validated(X)
        return self

    # validate_data sets the last two before the order is computed.
    _FITTED = ("order_", "cut_weights_", "n_clusters_estimate_", "labels_",
               "sample_indices_", "n_features_in_", "feature_names_in_")

    def _fit_validated(self, X):
        # Everything is computed before anything is stored, and an interrupted
        # or failed fit also drops the attributes of an earlier fit: the
        # estimator is either fitted on this X or unfitted.
        try:
            sample, local_order, cut_weights = self._order(X)
            n_clusters_estimate = estimate_n_clusters(cut_weights)
            k = self.n_clusters if self.n_clusters is not None else n_clusters_estimate
            labels = single_linkage_labels(local_order, cut_weights, k)
            if sample is None:
                sample, order = np.arange(X.shape[0]), local_order
            else:
                order = sample[local_order]
                labels = extend_labels(
                    X, sample, labels, metric=self.metric,
                    metric_params=self.metric_params, n_jobs=self.n_jobs,
                )
        except BaseException:
            for name in self._FITTED:
                self.__dict__.pop(name, None)
            raise
        self.order_, self.cut_weights_ = order, cut_weights
        self.n_clusters_estimate_ = n_clusters_estimate
        self.labels_ = labels
        self.sample_indices_ = sample

    def _order(self, X):
        """(sample or None, VAT order of the sample, its cut weights)."""
        n = X.shape[0]
        sample = None
        if self.sample_size is not None:
            size = (
                self.sample_size if isinstance(self.sample_size, Integral)
                else check_sample_size(self.sample_size, n)
            )
            if size < n:
                sample = maximin_sample(
                    X, max(size, 2), metric=self.metric,
                    metric_params=self.metric_params, random_state=self.random_state,
                )
                X = X[np.ix_(sample, sample)] if self.metric == "precomputed" else X[sample]
        order, cut_weights = _vat_order_validated(
            X, self.metric, self.metric_params, self.n_jobs, self.algorithm,
            self.verbose,
        )
        return sample, order, cut_weights

    def _image(self, X, order, cut_weights):
        return _vat_image(X, order, self.metric, self.metric_params, self.n_jobs)

    def transform(self, X):
        """Return the VAT image of X: its dissimilarities in its own VAT order.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, n_samples)
            Data with the features seen in fit, or a dissimilarity matrix if
            ``metric="precomputed"``.

        Returns
        -------
        image : ndarray of shape (n_samples, n_samples)
            ``image[i, j]`` is the dissimilarity of the i-th and j-th samples in
            the VAT order of X. Memory: 8 n^2 bytes.
        """
        check_is_fitted(self)
        X = _check_vat_input(X, self.metric, estimator=self, reset=False)
        sample, order, cut_weights = self._order(X)
        if sample is not None:
            order = sample[order]
        return self._image(X, order, cut_weights)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit to X and return its image (no second ordering pass).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, n_samples)
            Training data, or a dissimilarity matrix if ``metric="precomputed"``.
        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        image : ndarray of shape (n_samples, n_samples)
            The image of the training data in :attr:`order_`.
        """
        X = _check_vat_input(X, self.metric, estimator=self, reset=True)
        self._fit_validated(X)
        return self._image(X, self.order_, self.cut_weights_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.metric == "precomputed"
        tags.input_tags.sparse = self.metric != "precomputed"
        tags.transformer_tags.preserves_dtype = []
        return tags


class IVAT(VAT):
    """Improved VAT: the VAT order with minimax path distances (Havens & Bezdek, 2012).

    iVAT replaces each dissimilarity by the largest step of the best path
    between the two samples, which sharpens the dark blocks of the VAT image
    for clusters of any shape. In VAT order the image is a range maximum of the
    cut weights, so fitting costs exactly what :class:`VAT` costs.

    Read more in the :ref:`User Guide <vat>`.

    Parameters
    ----------
    metric : str or callable, default="euclidean"
        Any metric :func:`sklearn.metrics.pairwise_distances` accepts, or
        ``"precomputed"``.
    metric_params : dict, default=None
        Keyword arguments of the metric.
    n_clusters : int, default=None
        Number of single-linkage clusters in :attr:`labels_`; ``None`` uses
        :attr:`n_clusters_estimate_`.
    n_jobs : int, default=None
        Threads; see :class:`VAT`.
    algorithm : {"auto", "prim", "delaunay"}, default="auto"
        How the minimum spanning tree is found; see :class:`VAT`.
    sample_size : int or float, default=None
        ``None`` orders every sample (exact). Otherwise order a sample of about
        this many objects (a float is a fraction of n) drawn as sVAT/siVAT
        draw it: maximin objects, then samples from each of their Voronoi
        groups in proportion to its size (maximin sampling);
        :attr:`labels_` are then extended to every object through its nearest
        sampled object (clusiVAT). An int at least n means exact.
    random_state : int, RandomState instance or None, default=None
        Randomness of the sampling (unused when ``sample_size`` is None).
    verbose : int, default=0
        Print the progress of long fits.

    Attributes
    ----------
    order_ : ndarray of shape (n_samples,)
        Training sample indices in VAT order.
    cut_weights_ : ndarray of shape (n_samples,)
        Dissimilarity that attached each sample, in VAT order, 0 for the first.
    n_clusters_estimate_ : int
        Cluster count from :func:`estimate_n_clusters`.
    labels_ : ndarray of shape (n_samples,)
        Single-linkage cluster of each training sample.
    sample_indices_ : ndarray of shape (n_sampled,)
        Sorted indices of the ordered samples; see :class:`VAT`.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    VAT : The plain VAT image.
    ivat : Function that returns (and draws) the iVAT image.
    ivat_from_cut_weights : The image from the cut weights alone.

    Notes
    -----
    ``fit`` costs O(n^2 d) time and O(n) extra memory; the image costs O(n^2)
    time and its own 8 n^2 bytes, and needs no distance beyond the cut weights.

    References
    ----------
    .. [1] T. C. Havens and J. C. Bezdek, "An efficient formulation of the
       improved visual assessment of cluster tendency (iVAT) algorithm", IEEE
       TKDE 24(5), 2012, pp. 813-822.

    Examples
    --------
    >>> from sklearn.datasets import make_moons
    >>> from sklearn_tendency import IVAT
    >>> X, _ = make_moons(n_samples=200, noise=0.05, random_state=0)
    >>> ivat = IVAT().fit(X)
    >>> ivat.n_clusters_estimate_
    2
    """

    def _image(self, X, order, cut_weights):
        return ivat_from_cut_weights(cut_weights, n_jobs=self.n_jobs)


def _fit_image(estimator, X, plot, ax, cmap, title):
    """The image of X from a VAT-family estimator, drawn on request."""
    image = estimator.fit_transform(X)
    if plot or ax is not None:
        from ._plotting import plot_ordered_image

        plot_ordered_image(image, ax=ax, cmap=cmap, title=title)
    return image


def vat(X, *, metric="euclidean", metric_params=None, n_jobs=None, plot=False,
        ax=None, cmap="gray"):
    """VAT image of X, optionally drawn: the function for notebooks.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
            (n_samples, n_samples)
        Data, or a dissimilarity matrix with ``metric="precomputed"``.
    metric : str or callable, default="euclidean"
        See :class:`VAT`.
    metric_params : dict, default=None
        Keyword arguments of the metric.
    n_jobs : int, default=None
        Threads; see :class:`VAT`.
    plot : bool, default=False
        Draw the image (on a new figure unless ``ax`` is given).
    ax : matplotlib Axes, default=None
        Axes to draw on; implies ``plot=True``.
    cmap : str, default="gray"
        Colormap: with ``"gray"``, small dissimilarities are dark.

    Returns
    -------
    image : ndarray of shape (n_samples, n_samples)
        The ordered dissimilarity matrix, what ``pyclustertend.vat(X,
        return_odm=True)`` returns.

    See Also
    --------
    VAT : The estimator, with ``order_`` and ``cut_weights_``.
    """
    est = VAT(metric=metric, metric_params=metric_params, n_jobs=n_jobs)
    return _fit_image(est, X, plot, ax, cmap, "VAT")


def ivat(X, *, metric="euclidean", metric_params=None, n_jobs=None, plot=False,
         ax=None, cmap="gray"):
    """iVAT image of X, optionally drawn: the function for notebooks.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
            (n_samples, n_samples)
        Data, or a dissimilarity matrix with ``metric="precomputed"``.
    metric : str or callable, default="euclidean"
        See :class:`IVAT`.
    metric_params : dict, default=None
        Keyword arguments of the metric.
    n_jobs : int, default=None
        Threads; see :class:`VAT`.
    plot : bool, default=False
        Draw the image (on a new figure unless ``ax`` is given).
    ax : matplotlib Axes, default=None
        Axes to draw on; implies ``plot=True``.
    cmap : str, default="gray"
        Colormap.

    Returns
    -------
    image : ndarray of shape (n_samples, n_samples)
        The iVAT image, what ``pyclustertend.ivat(X, return_odm=True)`` returns.

    See Also
    --------
    IVAT : The estimator.
    """
    est = IVAT(metric=metric, metric_params=metric_params, n_jobs=n_jobs)
    return _fit_image(est, X, plot, ax, cmap, "iVAT")
