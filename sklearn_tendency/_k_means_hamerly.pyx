"""Lloyd's iterations with Hamerly's bounds: the assignment skips the samples
whose nearest centre provably has not changed.

The same iterations as :func:`sklearn_tendency._k_means_lloyd.lloyd` (every
sample goes to its nearest centre, every centre to the weighted mean of its
samples), for ``LloydKMeans(bounds="hamerly")``. Hamerly (2010) keeps, per
sample, a lower bound ``l`` on its distance to every centre but its own; with
``s(a)``, half the distance from centre ``a`` to the nearest other centre, a
sample of centre ``a`` at distance ``u`` from it has no nearer centre when
``u < max(s(a), l)`` (triangle inequality: doc/user_guide/algorithms.rst,
section algo-hamerly). When the centres move, ``l`` drops by the largest
move of any other centre. Only the samples that fail the test get all k
distances, gathered 256 rows at a time into one GEMM call, which also gives
their new ``l``.

Here ``u`` is always the exact distance, recomputed for every sample at every
pass (d operations): the objective of every iteration is the exact ``sum_i
w_i ||x_i - c_{l_i}||^2`` from direct differences, which needs it anyway. So
a pass costs ``O(n d)`` plus ``2 k d`` flops of GEMM per sample that fails
the test, against ``2 n k d`` for Lloyd's pass: worth it when k is large and
few samples change centre, as on data with clusters after the first
iterations.

The centre sums are accumulated as in the Lloyd kernel (scikit-learn's split
of the rows among threads, sequential in row order, threads added in order),
so whenever the labels are the same, the centres are the same bits. The
labels are the nearest centres up to rounding: a sample is skipped only with
a relative margin covering the rounding of the distances and bounds, and a
sample that is searched takes the first of the minima of the GEMM distances,
as Lloyd's pass does; the two passes can differ only at a near-tie, where
the GEMM's rounding and the direct distance disagree.

References
----------
G. Hamerly, "Making k-means even faster", Proceedings of the 2010 SIAM
International Conference on Data Mining, pp. 130-140.
"""

import numpy as np

from cython cimport floating
from cython.parallel cimport prange
from libc.math cimport sqrt
from libc.string cimport memcpy, memset

from ._k_means_common cimport (
    SKLEARN_CHUNK,
    gemm_minus_2_x_ct_add,
    padded_rows,
    reduce_threads,
    sq_dist,
    thread_row_starts,
)
from ._k_means_lloyd_h cimport (
    skt_add_to_cluster_d,
    skt_add_to_cluster_f,
    skt_fill_rows_d,
    skt_fill_rows_f,
)

# Below this many flops of Lloyd's GEMM per pass (2 n k d) one thread does the
# pass, as in the Lloyd kernel (PARALLEL_MIN_FLOPS there).
PARALLEL_MIN_FLOPS = 4_000_000


cdef void _hamerly_rows(
    const floating *X,            # IN (n_samples, n_features)
    const floating *w,            # IN (n_samples,)
    const floating *centers,      # IN (n_clusters, n_features)
    const floating *centers_sq,   # IN (n_clusters,) ||c||^2, as the Lloyd pass's
    const double *half_sep,       # IN (n_clusters,) s(j), rounded down
    int far,                      # IN the centre that moved most since the last pass
    double far_move,              # IN its move, rounded up
    double next_move,             # IN the largest move of the other centres, rounded up
    bint first,                   # IN no bounds yet: search every row
    double margin,                # IN relative margin of a skip
    double gemm_err,              # IN GEMM error per unit of (||x|| + max ||c||)^2
    double max_c,                 # IN max_j ||c_j||
    int *labels,                  # INOUT (n_samples,)
    double *lower,                # INOUT (n_samples,) l
    Py_ssize_t start,             # IN first row of the share
    Py_ssize_t end,               # IN one past its last row
    int k,
    int d,
    bint unit,
    floating *dist,               # SCRATCH (SKLEARN_CHUNK, k)
    floating *gathered,           # SCRATCH (SKLEARN_CHUNK, d)
    int *rows,                    # SCRATCH (SKLEARN_CHUNK,)
    double *d2,                   # SCRATCH (SKLEARN_CHUNK,) squared distance to the centre
    floating *sums,               # OUT (k, d)
    floating *weights,            # OUT (k,)
    double *objective,            # OUT sum_i w_i ||x_i - c_{l_i}||^2
    Py_ssize_t *n_changed,        # OUT
    Py_ssize_t *n_searched,       # OUT rows that got all k distances
) noexcept nogil:
    """One thread's share of a pass, in chunks of SKLEARN_CHUNK rows.

    Time O((end - start) d) plus 2 k d flops per searched row; no memory
    beyond the caller's scratch.
    """
    cdef:
        Py_ssize_t c0, i
        int nr, ng, ii, g, j, a, best
        const floating *x
        const floating *di
        double u, bound, lb, x2, v, v1, v2, obj = 0.0
        Py_ssize_t changed = 0, searched = 0
    memset(sums, 0, k * d * sizeof(floating))
    memset(weights, 0, k * sizeof(floating))
    c0 = start
    while c0 < end:
        nr = <int> min(<Py_ssize_t> SKLEARN_CHUNK, end - c0)
        ng = 0
        for ii in range(nr):
            i = c0 + ii
            if first:
                rows[ng] = ii
                ng += 1
                continue
            a = labels[i]
            x = X + i * d
            d2[ii] = <double> sq_dist(x, centers + a * d, d)
            u = sqrt(d2[ii])
            lb = lower[i] - (next_move if a == far else far_move)
            lower[i] = lb
            bound = half_sep[a] if half_sep[a] > lb else lb
            if u * (1.0 + margin) < bound:
                continue
            rows[ng] = ii
            ng += 1
        if ng > 0:
            for g in range(ng):
                memcpy(gathered + g * d, X + (c0 + rows[g]) * d, d * sizeof(floating))
            if floating is float:
                skt_fill_rows_f(dist, centers_sq, ng, k)
            else:
                skt_fill_rows_d(dist, centers_sq, ng, k)
            gemm_minus_2_x_ct_add(gathered, centers, dist, ng, k, d)
            for g in range(ng):
                ii = rows[g]
                i = c0 + ii
                di = dist + g * k
                # The first of the minima (strict <), as Lloyd's pass, and the
                # second smallest value, for the new lower bound.
                best = 0
                v1 = di[0]
                v2 = 1e308
                for j in range(1, k):
                    v = di[j]
                    if v < v1:
                        v2 = v1
                        v1 = v
                        best = j
                    elif v < v2:
                        v2 = v
                x = X + i * d
                x2 = 0.0
                for j in range(d):
                    x2 += <double> x[j] * <double> x[j]
                # ||x - c||^2 = ||x||^2 + (||c||^2 - 2 x.c), minus what the
                # GEMM's rounding may have added (doc: algo-hamerly).
                v = x2 + v2 - gemm_err * (sqrt(x2) + max_c) * (sqrt(x2) + max_c)
                lower[i] = sqrt(v) if v > 0.0 else 0.0
                if first or best != labels[i]:
                    changed += 1
                    labels[i] = best
                    d2[ii] = <double> sq_dist(x, centers + best * d, d)
            searched += ng
        for ii in range(nr):
            i = c0 + ii
            x = X + i * d
            if floating is float:
                skt_add_to_cluster_f(x, labels[i], w[i], unit, sums, weights, d)
            else:
                skt_add_to_cluster_d(x, labels[i], w[i], unit, sums, weights, d)
            obj += d2[ii] if unit else <double> w[i] * d2[ii]
        c0 += nr
    objective[0] = obj
    n_changed[0] = changed
    n_searched[0] = searched


cdef class _HamerlySteps:
    """The Hamerly kernel's side of run_lloyd (_k_means_common.pxd).

    Built by the Lloyd kernel's ``_dense_steps(..., bounds="hamerly")``, after
    the shape checks both dense kernels need, with its relocation of empty
    clusters (``relocate_fn``) and its objective of the final centres
    (``final_fn``): the same moves, the same rare path after strict
    convergence.

    Peak memory beyond X: the labels (n int32) and the lower bounds (n
    float64), per thread a block of 256 x k distances, 256 gathered rows and
    the partial sums (k x (d + 1)), the previous centres (k x d).
    """
    cdef:
        readonly object labels, lower, X, sample_weight
        object relocate_fn, final_fn
        object sums, weights, dist, gathered, rows, d2, objectives, changes, searches
        object prev, assign_pass
        Py_ssize_t[::1] row_start
        int n_threads
        bint parallel, unit
        double margin, gemm_err
        public Py_ssize_t n_searched, n_passes

    def __init__(self, X, sample_weight, int n_clusters, int n_threads, bint unit,
                 relocate_fn, final_fn):
        n, d = X.shape
        dtype = X.dtype
        self.X = X
        self.sample_weight = sample_weight
        self.unit = unit
        self.relocate_fn = relocate_fn
        self.final_fn = final_fn
        self.labels = np.full(n, -1, dtype=np.int32)
        self.lower = np.zeros(n, dtype=np.float64)
        self.row_start = thread_row_starts(n, n_threads)
        self.n_threads = <int> self.row_start.shape[0] - 1
        self.parallel = self.n_threads > 1 and 2.0 * n * n_clusters * d >= PARALLEL_MIN_FLOPS
        self.sums = padded_rows(self.n_threads, n_clusters * d, dtype)
        self.weights = padded_rows(self.n_threads, n_clusters, dtype)
        self.dist = padded_rows(self.n_threads, SKLEARN_CHUNK * n_clusters, dtype)
        self.gathered = padded_rows(self.n_threads, SKLEARN_CHUNK * d, dtype)
        self.rows = padded_rows(self.n_threads, SKLEARN_CHUNK, np.intc)
        self.d2 = padded_rows(self.n_threads, SKLEARN_CHUNK, np.float64)
        self.objectives = np.zeros(self.n_threads, dtype=np.float64)
        self.changes = np.zeros(self.n_threads, dtype=np.intp)
        self.searches = np.zeros(self.n_threads, dtype=np.intp)
        # Rounding: a direct squared distance in X's precision is within a
        # relative (d + 2) eps of the exact one, so its root within (d + 2)
        # eps / 2; twice that, plus 1e-12 for the float64 arithmetic of the
        # bounds over many passes, is the margin a skip needs (doc:
        # algo-hamerly). The GEMM value ||c||^2 - 2 x.c is within (d + 3) eps
        # (||x|| + ||c||)^2 of the exact one.
        eps = float(np.finfo(dtype).eps)
        self.margin = 2.0 * (d + 2) * eps + 1e-12
        self.gemm_err = 2.0 * (d + 3) * eps
        self.prev = None
        self.n_searched = 0
        self.n_passes = 0
        self.assign_pass = _hamerly_pass["float" if dtype == np.float32 else "double"]

    def assign(self, centers, centers_sq, sums, weights, want_objective):
        first = self.prev is None
        k = centers.shape[0]
        c64 = centers.astype(np.float64)
        scale = 1.0 + self.margin
        if first:
            far, far_move, next_move = 0, 0.0, 0.0
        else:
            moves = np.sqrt(((c64 - self.prev) ** 2).sum(axis=1)) * scale
            far = int(np.argmax(moves))
            far_move = float(moves[far])
            next_move = float(np.max(np.delete(moves, far))) if k > 1 else 0.0
        half = _half_separations(c64, scale)
        max_c = float(np.sqrt((c64 ** 2).sum(axis=1).max())) * scale
        result = self.assign_pass(self, self.X, self.sample_weight, centers, centers_sq, half,
                                  far, far_move, next_move, first, self.margin, self.gemm_err,
                                  max_c, sums, weights)
        self.prev = c64
        self.n_passes += 1
        return result

    def relocate(self, centers_old, sums, weights):
        self.relocate_fn(self.X, self.sample_weight, centers_old, sums, weights, self.labels)

    def final_objective(self, *args):
        # The Lloyd kernel's: a pass on the final centres, unless strict
        # convergence keeps the labels (then their objective, directly).
        return self.final_fn(self, *args)


def _hamerly_pass(
    _HamerlySteps st,
    const floating[:, ::1] X,             # IN
    const floating[::1] sample_weight,    # IN
    const floating[:, ::1] centers,       # IN
    const floating[::1] centers_sq,       # IN
    const double[::1] half_sep,           # IN
    int far,
    double far_move,
    double next_move,
    bint first,
    double margin,
    double gemm_err,
    double max_c,
    floating[:, ::1] sums_out,            # OUT
    floating[::1] weights_out,            # OUT
):
    """One pass on st.n_threads threads; returns (objective, n_changed)."""
    cdef:
        int[::1] labels = st.labels
        double[::1] lower = st.lower
        floating[:, ::1] sums = st.sums
        floating[:, ::1] weights = st.weights
        floating[:, ::1] dist = st.dist
        floating[:, ::1] gathered = st.gathered
        int[:, ::1] rows = st.rows
        double[:, ::1] d2 = st.d2
        double[::1] objectives = st.objectives
        Py_ssize_t[::1] changes = st.changes
        Py_ssize_t[::1] searches = st.searches
        Py_ssize_t[::1] row_start = st.row_start
        int n_threads = st.n_threads
        int k = centers.shape[0]
        int d = centers.shape[1]
        int t
        bint parallel = st.parallel, unit = st.unit
        double obj = 0.0
        Py_ssize_t changed = 0
    with nogil:
        for t in prange(n_threads, schedule="static", num_threads=n_threads,
                        use_threads_if=parallel):
            _hamerly_rows(
                &X[0, 0], &sample_weight[0], &centers[0, 0], &centers_sq[0], &half_sep[0],
                far, far_move, next_move, first, margin, gemm_err, max_c,
                &labels[0], &lower[0], row_start[t], row_start[t + 1], k, d, unit,
                &dist[t, 0], &gathered[t, 0], &rows[t, 0], &d2[t, 0],
                &sums[t, 0], &weights[t, 0], &objectives[t], &changes[t], &searches[t],
            )
        reduce_threads(n_threads, k, d, objectives, changes, sums, weights, True,
                       sums_out, weights_out, &obj, &changed)
    st.n_searched += int(np.sum(st.searches))
    return obj, changed


def _half_separations(const double[:, ::1] C, double scale):
    """s(j) = half the distance from centre j to the nearest other, divided by
    ``scale`` (rounded down): k (k - 1) / 2 direct distances, O(k^2 d) time,
    no memory beyond the result."""
    cdef:
        int k = C.shape[0], d = C.shape[1], i, j
        double v
    out_np = np.full(k, np.inf)
    cdef double[::1] out = out_np
    with nogil:
        for i in range(k):
            for j in range(i + 1, k):
                v = sq_dist(&C[i, 0], &C[j, 0], d)
                if v < out[i]:
                    out[i] = v
                if v < out[j]:
                    out[j] = v
        for i in range(k):
            out[i] = 0.5 * sqrt(out[i]) / scale
    return out_np
