"""Cython kernels of VAT and iVAT.

VAT (Bezdek & Hathaway, 2002) orders the samples by Prim's algorithm from the
sample at one end of the largest dissimilarity; the distance that attached each
sample (its *cut weight*) is an edge of the minimum spanning tree. iVAT (Havens &
Bezdek, 2012) replaces every dissimilarity by the minimax path distance, which in
VAT order is a range maximum of the cut weights::

    iVAT[i, j] = max(cut_weights[i + 1 .. j])    for i < j

so the iVAT image needs the cut weights only.

Ties are broken towards the lowest sample index everywhere (see NOTES.md), so
the order is a deterministic function of the dissimilarities.
"""

from cython cimport floating
from cython.parallel cimport prange, threadid
from libc.math cimport sqrt, fabs, INFINITY

import numpy as np

ctypedef Py_ssize_t intp_t

# Feature-matrix metrics the kernel evaluates itself; any other metric goes
# through scikit-learn's pairwise_distances one row at a time.
cdef enum:
    METRIC_SQEUCLIDEAN = 0
    METRIC_MANHATTAN = 1
    METRIC_CHEBYSHEV = 2

NATIVE_METRICS = {
    "euclidean": METRIC_SQEUCLIDEAN,  # compared squared, square-rooted on output
    "l2": METRIC_SQEUCLIDEAN,
    "sqeuclidean": METRIC_SQEUCLIDEAN,
    "manhattan": METRIC_MANHATTAN,
    "cityblock": METRIC_MANHATTAN,
    "l1": METRIC_MANHATTAN,
    "chebyshev": METRIC_CHEBYSHEV,
    "infinity": METRIC_CHEBYSHEV,
}

# Below this many open candidates a step runs on one thread: the cost of
# waking a team of threads would exceed the work.
cdef intp_t PARALLEL_MIN_CANDIDATES = 4096


cdef inline double _pair_distance(
    const floating[:, ::1] X, intp_t a, intp_t b, int metric,
) noexcept nogil:
    """Dissimilarity of rows a and b, accumulated in double for float32 input."""
    cdef intp_t k, d = X.shape[1]
    cdef double acc = 0.0, diff
    if metric == METRIC_SQEUCLIDEAN:
        for k in range(d):
            diff = <double> X[a, k] - <double> X[b, k]
            acc += diff * diff
    elif metric == METRIC_MANHATTAN:
        for k in range(d):
            acc += fabs(<double> X[a, k] - <double> X[b, k])
    else:
        for k in range(d):
            diff = fabs(<double> X[a, k] - <double> X[b, k])
            if diff > acc:
                acc = diff
    return acc


def farthest_pair_start(
    const floating[:, ::1] X,   # IN (n_samples, n_features)
    int metric,                 # IN one of the METRIC_* codes
    int n_threads,              # IN
):
    """Row of the first maximum of the dissimilarity matrix, in row-major order.

    Scans every pair once, computing distances on the fly.

    Time O(n^2 d), extra memory O(n_threads).

    Returns
    -------
    start : int
        The smallest row index i such that some j has d(i, j) equal to the
        largest dissimilarity.
    max_dissimilarity : float
        That dissimilarity (squared for the Euclidean code).
    """
    cdef:
        intp_t n = X.shape[0]
        intp_t i, j
        double dij, row_max
        double[::1] row_best = np.zeros(n, dtype=np.float64)
        intp_t start = 0
        double best = -1.0

    with nogil:
        # Each row's maximum over the columns after it (each pair once).
        for i in prange(n, num_threads=n_threads, schedule="dynamic", chunksize=16):
            row_max = 0.0
            for j in range(i + 1, n):
                dij = _pair_distance(X, i, j, metric)
                if dij > row_max:
                    row_max = dij
            row_best[i] = row_max
        # The first maximum in row-major order lies in the smallest row that is
        # an endpoint of a maximal pair: that row attains the maximum with a
        # later column, so the first strict maximum of row_best is that row.
        for i in range(n):
            if row_best[i] > best:
                best = row_best[i]
                start = i
    return start, best


def prim_features(
    const floating[:, ::1] X,       # IN (n_samples, n_features)
    intp_t start,                   # IN first sample of the order
    int metric,                     # IN one of the METRIC_* codes
    intp_t[::1] order,              # OUT (n_samples,) VAT order
    double[::1] cut_weights,        # OUT (n_samples,) attaching distances, 0 first
    int n_threads,                  # IN
):
    """Prim's algorithm on a feature matrix with distances computed on the fly.

    At every step the distance from the sample just attached to every open
    sample updates the open samples' distance to the tree; the nearest open
    sample (lowest index on ties) is attached next.

    Time O(n^2 d); extra memory O(n): the distance of each open sample to the
    tree, its open/closed flag and the list of open samples (kept in index
    order and compacted when half of it is closed, so reads of X stay
    sequential). Cut weights are returned as computed by ``metric`` (squared
    for the Euclidean code; the caller takes the square root).
    """
    cdef:
        intp_t n = X.shape[0]
        intp_t step, r, j, n_open, n_live, n_chunks, c, lo, hi, chunk
        intp_t current = start, best_j
        double dj, best_d
        int nt
        double[::1] to_tree = np.full(n, INFINITY, dtype=np.float64)
        unsigned char[::1] closed = np.zeros(n, dtype=np.uint8)
        intp_t[::1] open_list = np.empty(n, dtype=np.intp)
        double[::1] chunk_best_d
        intp_t[::1] chunk_best_j

    n_chunks = max(n_threads, 1) * 4
    chunk_best_d = np.empty(n_chunks, dtype=np.float64)
    chunk_best_j = np.empty(n_chunks, dtype=np.intp)

    with nogil:
        n_open = 0
        for j in range(n):
            if j != start:
                open_list[n_open] = j
                n_open += 1
        n_live = n_open
        closed[start] = 1
        order[0] = start
        cut_weights[0] = 0.0

        for step in range(1, n):
            nt = n_threads if n_open >= PARALLEL_MIN_CANDIDATES else 1
            chunk = (n_open + n_chunks - 1) // n_chunks
            for c in prange(n_chunks, num_threads=nt, schedule="static"):
                lo = c * chunk
                hi = min(lo + chunk, n_open)
                chunk_best_d[c] = INFINITY
                chunk_best_j[c] = n
                for r in range(lo, hi):
                    j = open_list[r]
                    if closed[j]:
                        continue
                    dj = _pair_distance(X, current, j, metric)
                    if dj < to_tree[j]:
                        to_tree[j] = dj
                    # open_list is in index order, so the first minimum met in a
                    # chunk has the lowest index of that chunk.
                    if to_tree[j] < chunk_best_d[c]:
                        chunk_best_d[c] = to_tree[j]
                        chunk_best_j[c] = j
            best_d = INFINITY
            best_j = n
            for c in range(n_chunks):
                if chunk_best_d[c] < best_d or (
                    chunk_best_d[c] == best_d and chunk_best_j[c] < best_j
                ):
                    best_d = chunk_best_d[c]
                    best_j = chunk_best_j[c]
            if best_j == n:
                # Only reachable with NaN distances, which the caller rejects;
                # attach the lowest open index rather than loop forever.
                for r in range(n_open):
                    if not closed[open_list[r]]:
                        best_j = open_list[r]
                        break
                best_d = to_tree[best_j]
            closed[best_j] = 1
            order[step] = best_j
            cut_weights[step] = best_d
            current = best_j
            n_live -= 1
            if 2 * n_live < n_open:
                r = 0
                for c in range(n_open):
                    if not closed[open_list[c]]:
                        open_list[r] = open_list[c]
                        r += 1
                n_open = r


def prim_precomputed(
    const floating[:, ::1] D,       # IN (n_samples, n_samples) dissimilarities
    intp_t start,                   # IN first sample of the order
    intp_t[::1] order,              # OUT (n_samples,) VAT order
    double[::1] cut_weights,        # OUT (n_samples,) attaching distances, 0 first
):
    """Prim's algorithm on a dissimilarity matrix, reading one row per step.

    Time O(n^2); extra memory O(n) beyond the matrix itself.
    """
    cdef:
        intp_t n = D.shape[0]
        intp_t step, j, current = start, best_j
        double dj, best_d
        double[::1] to_tree = np.full(n, INFINITY, dtype=np.float64)
        unsigned char[::1] closed = np.zeros(n, dtype=np.uint8)

    with nogil:
        closed[start] = 1
        order[0] = start
        cut_weights[0] = 0.0
        for step in range(1, n):
            best_d = INFINITY
            best_j = n
            for j in range(n):
                if closed[j]:
                    continue
                dj = D[current, j]
                if dj < to_tree[j]:
                    to_tree[j] = dj
                if to_tree[j] < best_d:
                    best_d = to_tree[j]
                    best_j = j
            if best_j == n:
                for j in range(n):
                    if not closed[j]:
                        best_j = j
                        break
                best_d = to_tree[best_j]
            closed[best_j] = 1
            order[step] = best_j
            cut_weights[step] = best_d
            current = best_j


def ivat_image(
    const double[::1] cut_weights,  # IN (n,) cut weights in VAT order
    floating[:, ::1] out,           # OUT (n, n) iVAT image in VAT order
    int n_threads,                  # IN
):
    """Fill the iVAT image from the cut weights (Havens & Bezdek, 2012).

    Row i is two running maxima: rightwards over cut_weights[i+1..j] and
    leftwards over cut_weights[j+1..i]; rows are independent.

    Time O(n^2); extra memory none beyond ``out``.
    """
    cdef:
        intp_t n = cut_weights.shape[0]
        intp_t i, j
        double running
    with nogil:
        for i in prange(n, num_threads=n_threads, schedule="static"):
            out[i, i] = 0
            running = 0.0
            for j in range(i + 1, n):
                if cut_weights[j] > running:
                    running = cut_weights[j]
                out[i, j] = <floating> running
            running = 0.0
            for j in range(i - 1, -1, -1):
                if cut_weights[j + 1] > running:
                    running = cut_weights[j + 1]
                out[i, j] = <floating> running
