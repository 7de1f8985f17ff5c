"""Cython kernel of Lloyd's k-means, recording the objective at every iteration.

A whole Lloyd run (Lloyd, 1982) is one call, :func:`lloyd`: the iterations,
their convergence tests and the final assignment step all run here, so the
loop pays no per-iteration Python overhead beyond two tiny numpy calls.

Each iteration is one pass over X in chunks of rows:

- distances by BLAS GEMM (scipy's ``cython_blas``): ``||c||^2 - 2 x.c``, the
  ``||x||^2`` term being the same for every centre of a row;
- the argmin, the count of changed labels (the strict-convergence test) and
  the weighted sums of the new centres, in the same loop over the chunk;
- the objective ``J = sum_i w_i min_k ||x_i - c_k||^2`` of the centres the
  iteration started from, completed by the constant ``sum_i w_i ||x_i||^2``:
  in float64 from the cluster sums S_j and weights W_j the update makes
  anyway, ``sum_j (W_j ||c_j||^2 - 2 c_j.S_j)``, O(k d) per iteration; in
  float32 (whose float32 sums would lose up to 7e-5 of J, measured) one
  multiply-add per row, in double, on the minimum the argmin has just found.
  No extra pass over X either way (doc/user_guide/algorithms.rst, section
  algo-lloyd-objective).

Bit-for-bit agreement with scikit-learn's ``lloyd_iter_chunked_dense``
(1.9.1): each GEMM call covers one of its 256-row chunks, so the distances
are its bits. Its centre sums are sequential over the rows
each OpenMP thread receives from ``prange(n_chunks, schedule="static")`` over
chunks of 256 rows; we give each thread the same rows and add the per-thread
sums in thread order, which for one or two threads is the same floating-point
sum as scikit-learn's lock-protected reduction (a + b == b + a). The centres,
hence the labels and the iteration count, are then the same bits as
scikit-learn's, in float32 as in float64.
"""

import numpy as np

from cython cimport floating
from cython.parallel cimport prange
from libc.math cimport sqrt
from libc.string cimport memcpy, memset
from scipy.linalg.cython_blas cimport dgemm, sgemm

from ._kernel_checks cimport check_shape

# scikit-learn's CHUNK_SIZE: the unit of its static split of rows among threads.
# Our centre sums follow the same split (see the module docstring), and it is
# also our rows per GEMM call: every call then covers exactly one of
# scikit-learn's chunks, so the distances are its bits without relying on BLAS
# giving the same bits for any number of rows (with 1024-row float32 chunks on
# two threads, one 200000-sample run ended on labels different from
# scikit-learn's), and 256 rows were as fast as or faster than any larger size
# for every benchmark shape (1M x 8, k = 8, float64: 512 rows took 7% longer).
cdef enum:
    SKLEARN_CHUNK = 256


# The loops of the assignment step that follow each GEMM call, in C (see the
# header) so that the compiler sees restrict pointers and constant widths.
cdef extern from "_k_means_lloyd.h":
    void skt_fill_rows_f(float *D, const float *cn, int nr, int k) noexcept nogil
    void skt_fill_rows_d(double *D, const double *cn, int nr, int k) noexcept nogil
    void skt_rows_f(const float *D, int nr, int k, int d, const float *X, const float *w,
                    int *labels, float *sums, float *weights, bint two_pass, bint update,
                    bint unit, bint want_obj, double *obj, Py_ssize_t *changed) noexcept nogil
    void skt_rows_d(const double *D, int nr, int k, int d, const double *X, const double *w,
                    int *labels, double *sums, double *weights, bint two_pass, bint update,
                    bint unit, bint want_obj, double *obj, Py_ssize_t *changed) noexcept nogil
    bint skt_use_two_pass_argmin(int k) noexcept nogil
    double skt_centre_row_f(const float *x, const float *mean, float *out, int d) noexcept nogil
    double skt_centre_row_d(const double *x, const double *mean, double *out, int d) noexcept nogil


cdef inline void _gemm_minus_2_x_ct_add(
    const floating *X,   # IN (n_rows, n_features), row-major
    const floating *C,   # IN (n_clusters, n_features), row-major
    floating *D,         # INOUT (n_rows, n_clusters), row-major: D += -2 X C^T
    int n_rows,
    int n_clusters,
    int n_features,
) noexcept nogil:
    # Row-major D = X C^T is column-major D^T = C X^T: BLAS reads C as a
    # column-major (n_features x n_clusters) matrix and transposes it.
    cdef:
        char transa = b"t"
        char transb = b"n"
        int m = n_clusters
        int n = n_rows
        int k = n_features
        int ld = n_features
        int ldc = n_clusters
        floating alpha = -2.0
        floating beta = 1.0
    if floating is double:
        dgemm(&transa, &transb, &m, &n, &k, &alpha, <double*> C, &ld,
              <double*> X, &ld, &beta, D, &ldc)
    else:
        sgemm(&transa, &transb, &m, &n, &k, &alpha, <float*> C, &ld,
              <float*> X, &ld, &beta, D, &ldc)


cdef inline floating _sq_dist(
    const floating *a,   # IN (n_features,)
    const floating *b,   # IN (n_features,)
    int n_features,
) noexcept nogil:
    # scikit-learn's _euclidean_dense_dense, the same unrolling, so that the
    # centre shifts, hence the tol test, round as they do there.
    cdef:
        int i, _block
        int n = n_features // 4
        int rem = n_features % 4
        floating result = 0
    for _block in range(n):
        result += (
            (a[0] - b[0]) * (a[0] - b[0])
            + (a[1] - b[1]) * (a[1] - b[1])
            + (a[2] - b[2]) * (a[2] - b[2])
            + (a[3] - b[3]) * (a[3] - b[3])
        )
        a += 4
        b += 4
    for i in range(rem):
        result += (a[i] - b[i]) * (a[i] - b[i])
    return result


cdef void _assign_rows(
    const floating *X,               # IN (n_samples, n_features)
    const floating *sample_weight,   # IN (n_samples,)
    const floating *centers,         # IN (n_clusters, n_features)
    const floating *centers_sq,      # IN (n_clusters,) squared norms of centers
    int *labels,                     # INOUT (n_samples,) previous labels in, new out
    Py_ssize_t start,                # IN first row
    Py_ssize_t end,                  # IN one past the last row
    int n_clusters,
    int n_features,
    floating *dist,                  # SCRATCH (SKLEARN_CHUNK, n_clusters)
    floating *sums,                  # OUT (n_clusters, n_features) weighted sums
    floating *weights,               # OUT (n_clusters,) weight per cluster
    double *objective,               # OUT see objective_mode
    Py_ssize_t *n_changed,           # OUT rows whose label changed
    bint update_centers,
    bint unit_weights,
    int objective_mode,              # 0: none; 1: sum w (||c||^2 - 2 x.c); 2: sum w ||x - c||^2
) noexcept nogil:
    """Assign rows start..end-1 to their nearest centre, in order, and accumulate.

    Time O((end - start) k d), of which the GEMM is nearly all for k d large;
    no memory beyond the caller's buffers.
    """
    cdef:
        Py_ssize_t c0
        int nr, ii
        const floating *x
        double obj = 0.0
        Py_ssize_t changed = 0
        bint two_pass = skt_use_two_pass_argmin(n_clusters)

    if update_centers:
        memset(sums, 0, n_clusters * n_features * sizeof(floating))
        memset(weights, 0, n_clusters * sizeof(floating))

    c0 = start
    while c0 < end:
        nr = <int> min(<Py_ssize_t> SKLEARN_CHUNK, end - c0)
        # ||c||^2 - 2 x.c, as scikit-learn computes it (the same bits): the
        # ||x||^2 term is common to a row's distances, the argmin needs none.
        if floating is float:
            skt_fill_rows_f(dist, centers_sq, nr, n_clusters)
        else:
            skt_fill_rows_d(dist, centers_sq, nr, n_clusters)
        _gemm_minus_2_x_ct_add(X + c0 * n_features, centers, dist, nr, n_clusters, n_features)
        # The rest of the step in one pass over the distances while they are in
        # cache. Counting changed labels there spares the strict-convergence
        # test a pass over two label arrays and the copy of one.
        if floating is float:
            skt_rows_f(dist, nr, n_clusters, n_features, X + c0 * n_features,
                       sample_weight + c0, labels + c0, sums, weights, two_pass,
                       update_centers, unit_weights, objective_mode == 1, &obj, &changed)
        else:
            skt_rows_d(dist, nr, n_clusters, n_features, X + c0 * n_features,
                       sample_weight + c0, labels + c0, sums, weights, two_pass,
                       update_centers, unit_weights, objective_mode == 1, &obj, &changed)
        if objective_mode == 2:
            for ii in range(nr):
                x = X + (c0 + ii) * n_features
                obj += <double> sample_weight[c0 + ii] * <double> _sq_dist(
                    x, centers + labels[c0 + ii] * n_features, n_features)
        c0 += nr
    objective[0] = obj
    n_changed[0] = changed


# Below this many flops of GEMM per pass (2 n k d), a pass runs the threads'
# shares of the rows one after the other on the calling thread: waking a
# second thread costs more than it saves, and when another OpenMP runtime's
# threads are still spinning (scikit-learn ships its own libgomp) the wait can
# exceed the whole pass. The sums stay per share, so the bits do not change.
PARALLEL_MIN_FLOPS = 4_000_000


# One pass over fewer entries of X than this is faster on one thread.
SERIAL_MAX_ITEMS = 1_000_000


def _padded_rows(Py_ssize_t n_rows, Py_ssize_t n_items, dtype):
    # One row per thread, each starting on its own 64-byte cache line: the
    # threads' partial sums are written for every sample, and sharing a line
    # would make the two cores pass it back and forth.
    itemsize = np.dtype(dtype).itemsize
    per_line = 64 // itemsize
    stride = (n_items + per_line - 1) // per_line * per_line
    raw = np.empty(n_rows * stride * itemsize + 64, dtype=np.uint8)
    offset = (-raw.ctypes.data) % 64
    return raw[offset:offset + n_rows * stride * itemsize].view(dtype).reshape(n_rows, stride)


cdef class _Workspace:
    """Buffers of a pass over X, and scikit-learn's split of the rows among threads."""
    cdef:
        Py_ssize_t n_samples
        int n_features, n_clusters, n_threads
        bint parallel
        Py_ssize_t[::1] row_start
        object sums, weights, objectives, changes, dist

    def __init__(self, Py_ssize_t n_samples, int n_features, int n_clusters,
                 int n_threads, dtype):
        cdef Py_ssize_t n_chunks = max(1, (n_samples + SKLEARN_CHUNK - 1) // SKLEARN_CHUNK)
        cdef int t, q, r
        self.n_samples = n_samples
        self.n_features = n_features
        self.n_clusters = n_clusters
        self.n_threads = <int> max(1, min(n_threads, n_chunks))
        # libgomp's schedule(static): the first (n_chunks % T) threads get one
        # chunk more; thread t starts at chunk t * q + min(t, r).
        q = <int> (n_chunks // self.n_threads)
        r = <int> (n_chunks % self.n_threads)
        self.row_start = np.empty(self.n_threads + 1, dtype=np.intp)
        for t in range(self.n_threads + 1):
            self.row_start[t] = min(<Py_ssize_t> (t * q + min(t, r)) * SKLEARN_CHUNK, n_samples)
        self.parallel = (self.n_threads > 1
                         and 2.0 * n_samples * n_clusters * n_features >= PARALLEL_MIN_FLOPS)
        self.sums = _padded_rows(self.n_threads, n_clusters * n_features, dtype)
        self.weights = _padded_rows(self.n_threads, n_clusters, dtype)
        self.objectives = np.empty(self.n_threads, dtype=np.float64)
        self.changes = np.empty(self.n_threads, dtype=np.intp)
        self.dist = _padded_rows(self.n_threads, SKLEARN_CHUNK * n_clusters, dtype)


cdef void _pass(
    _Workspace ws,
    const floating[:, ::1] X,            # IN
    const floating[::1] sample_weight,   # IN
    const floating[:, ::1] centers,      # IN
    const floating[::1] centers_sq,      # IN
    int[::1] labels,                     # INOUT
    floating[:, ::1] sums_out,           # OUT (n_clusters, n_features), if update_centers
    floating[::1] weights_out,           # OUT (n_clusters,), if update_centers
    bint update_centers,
    bint unit_weights,
    int objective_mode,
    double *objective,                   # OUT
    Py_ssize_t *n_changed,               # OUT
):
    """One assignment (and update) pass over X on ws.n_threads threads.

    With ``objective_mode`` 1 on float64 data while updating the centres, the
    objective comes from the cluster sums S_j and weights W_j the update
    accumulates anyway: sum_i w_i (||c_l||^2 - 2 x_i.c_l) = sum_j (W_j
    ||c_j||^2 - 2 c_j.S_j), O(k d) after the pass instead of one multiply-add
    per row in it (measured 2.5% of the fit at n = 10^6, d = k = 8). float32
    sums are float32, as scikit-learn's (their bits make its centres), and
    too coarse for it: float32 rows add their terms in double.
    """
    cdef:
        floating[:, ::1] sums = ws.sums
        floating[:, ::1] weights = ws.weights
        double[::1] objectives = ws.objectives
        Py_ssize_t[::1] changes = ws.changes
        floating[:, ::1] dist = ws.dist
        Py_ssize_t[::1] row_start = ws.row_start
        int n_threads = ws.n_threads
        bint parallel = ws.parallel
        int n_clusters = ws.n_clusters
        int n_features = ws.n_features
        int t, j, f
        double obj = 0.0, dot
        Py_ssize_t changed = 0
        bint by_clusters = floating is double and update_centers and objective_mode == 1
        int row_mode = 0 if by_clusters else objective_mode

    with nogil:
        # A pass below PARALLEL_MIN_FLOPS runs the same chunks, in order, on the
        # calling thread alone (the region's `if` clause): waking a second
        # thread costs more than it saves there. Same chunks, same bits.
        for t in prange(n_threads, schedule="static", num_threads=n_threads,
                        use_threads_if=parallel):
            _assign_rows(
                &X[0, 0], &sample_weight[0], &centers[0, 0], &centers_sq[0],
                &labels[0], row_start[t], row_start[t + 1],
                n_clusters, n_features, &dist[t, 0],
                &sums[t, 0], &weights[t, 0],
                &objectives[t], &changes[t], update_centers, unit_weights,
                row_mode,
            )
        # Thread order: deterministic, and for two threads the same sum as
        # scikit-learn's reduction in whichever order its threads take the lock.
        for t in range(n_threads):
            obj += objectives[t]
            changed += changes[t]
        if update_centers:
            memset(&sums_out[0, 0], 0, n_clusters * n_features * sizeof(floating))
            memset(&weights_out[0], 0, n_clusters * sizeof(floating))
            for t in range(n_threads):
                for j in range(n_clusters):
                    weights_out[j] += weights[t, j]
                    for f in range(n_features):
                        sums_out[j, f] += sums[t, j * n_features + f]
        if by_clusters:
            for j in range(n_clusters):
                dot = 0.0
                for f in range(n_features):
                    dot += <double> centers[j, f] * <double> sums_out[j, f]
                obj += <double> weights_out[j] * <double> centers_sq[j] - 2.0 * dot
    objective[0] = obj
    n_changed[0] = changed


def _relocate_empty_clusters(X, sample_weight, centers_old, sums, weights, labels):
    """Move each empty cluster onto one of the samples farthest from their centre.

    scikit-learn's ``_relocate_empty_clusters_dense``, step for step (its
    distances, its ``argpartition``, its order of updates), so that the same
    sample is chosen. Runs only when a cluster is empty; the distances are
    computed in blocks of rows to bound the temporary memory.
    """
    empty = np.flatnonzero(weights == 0)
    n_empty = empty.shape[0]
    if n_empty == 0:
        return
    distances = np.empty(X.shape[0], dtype=X.dtype)
    step = 65536
    for s in range(0, X.shape[0], step):
        distances[s:s + step] = ((X[s:s + step] - centers_old[labels[s:s + step]]) ** 2).sum(axis=1)
    if np.max(distances) == 0:
        # More clusters than distinct samples: nowhere to move them.
        return
    far_from_centers = np.argpartition(distances, -n_empty)[:-n_empty - 1:-1]
    for new_id, far_idx in zip(empty, far_from_centers):
        weight = sample_weight[far_idx]
        old_id = labels[far_idx]
        sums[old_id] -= X[far_idx] * weight
        sums[new_id] = X[far_idx] * weight
        weights[new_id] = weight
        weights[old_id] -= weight


cdef void _average_centers(
    floating[:, ::1] centers,          # INOUT weighted sums in, means out
    const floating[::1] weights,       # IN
) noexcept nogil:
    cdef:
        int n_clusters = centers.shape[0]
        int n_features = centers.shape[1]
        int j, f
        int heaviest = 0
        floating alpha
    for j in range(1, n_clusters):
        if weights[j] > weights[heaviest]:
            heaviest = j
    for j in range(n_clusters):
        if weights[j] > 0:
            # A multiplication by the reciprocal, as scikit-learn rounds it.
            alpha = 1.0 / weights[j]
            for f in range(n_features):
                centers[j, f] *= alpha
    # A cluster still empty (no sample to move it to) sits on the heaviest
    # centre. scikit-learn copies that centre in the same loop as it averages,
    # so when the heaviest cluster comes later it copies the unaveraged sum; we
    # copy the mean, a deliberate difference that only shows when there are
    # more clusters than distinct samples.
    for j in range(n_clusters):
        if not weights[j] > 0:
            for f in range(n_features):
                centers[j, f] = centers[heaviest, f]


def _centers_sq_norms(centers, out):
    # numpy's einsum, as scikit-learn's row_norms: the same bits of ||c||^2,
    # hence of every distance, and of the labels at ties.
    np.einsum("ij,ij->i", centers, centers, out=out)


def lloyd(
    const floating[:, ::1] X,              # IN (n_samples, n_features)
    const floating[::1] sample_weight,     # IN (n_samples,)
    const floating[:, ::1] centers_init,   # IN (n_clusters, n_features)
    double x_sq_norms_sum,                 # IN sum_i w_i ||x_i||^2
    Py_ssize_t max_iter,
    double tol,                            # IN absolute tolerance on the centre shift
    int n_threads,
    bint store_centers=False,
    int verbose=0,
    bint record_objective=True,
    unit_weights=None,
    bint nonnegative=True,
):
    """One run of Lloyd's algorithm, with the objective of every iteration.

    The same algorithm as scikit-learn's ``_kmeans_single_lloyd``: an
    iteration assigns every sample to its nearest centre and moves each centre
    to the weighted mean of its samples (empty clusters relocated to the
    farthest samples first); the run stops on unchanged labels (strict
    convergence) or, failing that, on a squared centre shift at most ``tol``,
    or after ``max_iter`` iterations, then reassigns the samples to the final
    centres unless the labels were already unchanged.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float32 or float64, C order
        Data, best centred (the GEMM formula loses digits far from the origin).
    sample_weight : ndarray of shape (n_samples,), same dtype
        Non-negative weights.
    centers_init : ndarray of shape (n_clusters, n_features), same dtype
        Initial centres; not modified.
    x_sq_norms_sum : float
        ``sum_i w_i ||x_i||^2``, the part of the objective that does not depend
        on the centres.
    max_iter : int
        Maximum number of iterations.
    tol : float
        Stop when the sum over clusters of the squared centre shifts is at most
        ``tol`` (absolute: the caller scales it).
    n_threads : int
        OpenMP threads; BLAS must be limited to one thread by the caller.
    store_centers : bool, default=False
        Also return the centres before each iteration and at the end.
    verbose : int, default=0
        Print the objective of each iteration and the reason for stopping.
    record_objective : bool, default=True
        False skips the objective of the iterations (NaN in the history) and
        computes only the final one, as a plain Lloyd run does: for measuring
        what recording costs.
    unit_weights : bool or None, default=None
        Whether every weight is 1 (the caller may know: no sample_weight
        given); None checks, in one pass over the weights.
    nonnegative : bool, default=True
        Whether every weight is non-negative: the objective is then clamped
        at 0 against rounding (with negative weights it may be negative).

    Returns
    -------
    labels : ndarray of shape (n_samples,), int32
        Nearest final centre of each sample (the last assignment).
    centers : ndarray of shape (n_clusters, n_features)
        Final centres.
    inertia : float
        Objective of the final centres, ``history[-1]``.
    n_iter : int
        Iterations run.
    history : ndarray of shape (n_iter + 1,), float64
        Entry t: the objective of the nearest-centre assignment to the centres
        at the start of iteration t; the last entry: of the final centres.
    center_history : ndarray of shape (n_iter + 1, n_clusters, n_features) or None
        The centres behind each entry of ``history`` when ``store_centers``.

    Notes
    -----
    Time: ``2 n k d`` flops of GEMM per iteration plus O(n (k + d)) for the
    argmin and the sums, the same as scikit-learn's; the objective adds O(k d)
    in float64, one multiply-add per sample in float32 (see the module
    docstring), the strict-convergence test nothing (changed
    labels are counted during the assignment). An empty cluster costs one more
    O(n d) pass, as in scikit-learn.

    Peak memory beyond X and the returned arrays: per thread, a block of
    256 x ``n_clusters`` distances and ``n_clusters x (n_features + 1)``
    partial sums; two sets of centres; the int32 labels (n); the history
    (grown by doubling: at most ``2 (n_iter + 1)`` floats, whatever
    ``max_iter``) and, with ``store_centers``, a buffer of the frames
    that doubles as it fills: at most ``2 (n_iter + 1) k d`` floats, trimmed
    to ``(n_iter + 1) k d`` on return. Nothing of size n beyond the labels,
    except a float per sample while relocating an empty cluster.

    The objective of iteration t is ``sum_i w_i ||x_i||^2 + sum_i w_i
    min_k (||c_k||^2 - 2 x_i.c_k)``: the minimum is the one the argmin found,
    the first sum is ``x_sq_norms_sum``. Its rounding error is that of the
    GEMM distances, about ``eps * (||x||^2 + ||c||^2)`` per sample, which
    centring the data keeps small.

    References
    ----------
    S. Lloyd, "Least squares quantization in PCM", IEEE Transactions on
    Information Theory 28(2), 1982, pp. 129-137.
    """
    cdef:
        Py_ssize_t n_samples = X.shape[0]
        int n_features = X.shape[1]
        int n_clusters = centers_init.shape[0]
        Py_ssize_t i = 0, n_iter
        int j
        bint strict_convergence = False
        bint unit
        double objective
        Py_ssize_t n_changed
        floating tol_f = <floating> tol
        floating shift_tot, shift
        int objective_mode = 1 if record_objective else 0
        Py_ssize_t n_frames = 0
        double[::1] history

    if n_samples < 1 or n_features < 1 or n_clusters < 1:
        raise ValueError(
            f"lloyd needs at least one sample, feature and cluster; got X of shape "
            f"{(n_samples, n_features)} and {n_clusters} centres."
        )
    check_shape("sample_weight", (sample_weight.shape[0],), (n_samples,))
    check_shape("centers_init", (centers_init.shape[0], centers_init.shape[1]), (n_clusters, n_features))
    dtype = np.float32 if floating is float else np.float64
    ws = _Workspace(n_samples, n_features, n_clusters, n_threads, dtype)
    if unit_weights is None:
        unit_weights = bool(np.all(np.asarray(sample_weight) == 1))
    unit = unit_weights

    centers_np = np.array(centers_init, dtype=dtype, order="C")
    centers_new_np = np.empty_like(centers_np)
    centers_sq_np = np.empty(n_clusters, dtype=dtype)
    weights_np = np.empty(n_clusters, dtype=dtype)
    labels_np = np.full(n_samples, -1, dtype=np.int32)
    cdef:
        floating[:, ::1] centers = centers_np
        floating[:, ::1] centers_new = centers_new_np
        floating[::1] centers_sq = centers_sq_np
        floating[::1] weights = weights_np
        int[::1] labels = labels_np
    # The history and the frames are written into arrays grown by doubling: a
    # list of copies and np.stack cost 0.5% of a 2 ms fit (n = 20000, d = 2,
    # k = 3), and max_iter + 1 entries up front could be gigabytes.
    history_np = np.empty(min(max_iter + 1, 64), dtype=np.float64)
    history = history_np
    if store_centers:
        # Capacity doubles as needed: max_iter + 1 frames up front could be
        # far more memory than a run that converges early uses.
        frames_np = np.empty((min(max_iter + 1, 16), n_clusters, n_features), dtype=dtype)
    X_np = np.asarray(X)
    sample_weight_np = np.asarray(sample_weight)

    for i in range(max_iter):
        _centers_sq_norms(centers_np, centers_sq_np)
        _pass(ws, X, sample_weight, centers, centers_sq, labels, centers_new, weights,
              True, unit, objective_mode, &objective, &n_changed)
        if i == history.shape[0]:
            history_np = _grown(history_np)
            history = history_np
        history[i] = _total(x_sq_norms_sum, objective, nonnegative) if record_objective else np.nan
        if store_centers:
            frames_np = _push_frame(frames_np, n_frames, centers)
            n_frames += 1
        if verbose:
            print(f"Iteration {i}, inertia {history[i]}.")

        for j in range(n_clusters):
            if weights[j] == 0:
                _relocate_empty_clusters(X_np, sample_weight_np, centers_np,
                                         centers_new_np, weights_np, labels_np)
                break
        _average_centers(centers_new, weights)
        # sum_j (sqrt(||new_j - old_j||^2))^2, rounded as scikit-learn does
        # (its center_shift array, squared and summed).
        shift_tot = 0
        for j in range(n_clusters):
            shift = <floating> sqrt(_sq_dist(&centers_new[j, 0], &centers[j, 0], n_features))
            shift_tot += shift * shift
        centers_np, centers_new_np = centers_new_np, centers_np
        centers, centers_new = centers_new, centers

        if n_changed == 0:
            if verbose:
                print(f"Converged at iteration {i}: strict convergence.")
            strict_convergence = True
            break
        if shift_tot <= tol_f:
            if verbose:
                print(f"Converged at iteration {i}: center shift {shift_tot} "
                      f"within tolerance {tol}.")
            break
    n_iter = i + 1

    if strict_convergence and record_objective and np.array_equal(centers_np, centers_new_np):
        # Same labels, same sums in the same order: the final centres are the
        # bits the last iteration started from, so is their objective.
        final = history[n_iter - 1]
    elif strict_convergence:
        # The labels stay (scikit-learn does not reassign after strict
        # convergence); only their objective on the final centres is needed.
        # The same formula as the history's, through a pass with the labels
        # held: a relocation in the last iteration (or no recording) lands here.
        held = labels_np.copy()
        _centers_sq_norms(centers_np, centers_sq_np)
        # Sums into the spare buffers (update on): in float64 the objective
        # then comes from them, as every entry of the history does, so one
        # clustering always gets the same bits (n_init compares them).
        _pass(ws, X, sample_weight, centers, centers_sq, labels, centers_new, weights,
              True, unit, 1, &objective, &n_changed)
        if n_changed == 0:
            final = _total(x_sq_norms_sum, objective, nonnegative)
        else:
            labels_np[:] = held
            final = _objective_of_labels(X_np, sample_weight_np, centers_np, labels_np)
    else:
        # Reassign so that the labels are those of the returned centres (sums
        # into the spare buffers, for the objective, as above).
        _centers_sq_norms(centers_np, centers_sq_np)
        _pass(ws, X, sample_weight, centers, centers_sq, labels, centers_new, weights,
              True, unit, 1, &objective, &n_changed)
        final = _total(x_sq_norms_sum, objective, nonnegative)
    if n_iter == history.shape[0]:
        history_np = _grown(history_np)
        history = history_np
    history[n_iter] = final
    center_history = None
    if store_centers:
        frames_np = _push_frame(frames_np, n_frames, centers)
        n_frames += 1
        center_history = frames_np[:n_frames]
        if n_frames < frames_np.shape[0]:
            center_history = center_history.copy()
    return (
        labels_np, centers_np, final, n_iter, history_np[:n_iter + 1].copy(),
        center_history,
    )


def _grown(history_np):
    grown = np.empty(2 * history_np.shape[0], dtype=history_np.dtype)
    grown[:history_np.shape[0]] = history_np
    return grown


cdef inline double _total(double x_sq_norms_sum, double objective, bint nonnegative):
    # J = sum_i w_i ||x_i||^2 + sum_i w_i (||c||^2 - 2 x_i.c): clamped at 0
    # against rounding when no weight is negative.
    cdef double value = x_sq_norms_sum + objective
    return (0.0 if value < 0.0 else value) if nonnegative else value


cdef object _push_frame(
    object frames_np,                  # IN (capacity, n_clusters, n_features)
    Py_ssize_t n_frames,               # IN frames filled
    const floating[:, ::1] centers,    # IN (n_clusters, n_features)
):
    """The frames with ``centers`` as frame ``n_frames``: a copy of twice the capacity when full."""
    cdef floating[:, :, ::1] frames
    if n_frames == frames_np.shape[0]:
        grown = np.empty((2 * n_frames,) + frames_np.shape[1:], dtype=frames_np.dtype)
        grown[:n_frames] = frames_np
        frames_np = grown
    frames = frames_np
    memcpy(&frames[n_frames, 0, 0], &centers[0, 0],
           centers.shape[0] * centers.shape[1] * sizeof(floating))
    return frames_np


def _objective_of_labels(X, sample_weight, centers, labels):
    # Rare path (see lloyd): direct distances, in blocks to bound memory.
    total = 0.0
    step = 65536
    for s in range(0, X.shape[0], step):
        diff = X[s:s + step] - centers[labels[s:s + step]]
        total += float(np.einsum("ij,ij->i", diff, diff).astype(np.float64) @ sample_weight[s:s + step])
    return total


def assign(
    const floating[:, ::1] X,              # IN (n_samples, n_features)
    const floating[::1] sample_weight,     # IN (n_samples,)
    const floating[:, ::1] centers,        # IN (n_clusters, n_features)
    int n_threads,
    bint objective=True,
):
    """Nearest centre of each sample and, optionally, the objective.

    The assignment step of :func:`lloyd` (GEMM distances, the same labels as
    scikit-learn's ``predict``), for ``predict`` and ``score``. The objective
    here is computed from direct squared distances to the chosen centres, in
    the same pass: exact to rounding whatever the offset of X from the origin,
    as it is not centred.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    sample_weight : ndarray of shape (n_samples,)
    centers : ndarray of shape (n_clusters, n_features)
    n_threads : int
    objective : bool, default=True

    Returns
    -------
    labels : ndarray of shape (n_samples,), int32
    objective : float
        ``sum_i w_i ||x_i - c_{label_i}||^2``, accumulated in float64 (0.0 if
        not requested).

    Notes
    -----
    Time O(n k d); memory beyond the labels: per thread, one block of
    distances and nothing else of size n.
    """
    cdef:
        Py_ssize_t n_samples = X.shape[0]
        int n_features = X.shape[1]
        int n_clusters = centers.shape[0]
        double obj = 0.0
        Py_ssize_t n_changed
    check_shape("sample_weight", (sample_weight.shape[0],), (n_samples,))
    check_shape("centers", (centers.shape[1],), (n_features,))
    if n_clusters < 1:
        raise ValueError("assign needs at least one centre.")
    dtype = np.float32 if floating is float else np.float64
    labels_np = np.full(n_samples, -1, dtype=np.int32)
    if n_samples == 0:
        return labels_np, 0.0
    ws = _Workspace(n_samples, n_features, n_clusters, n_threads, dtype)
    centers_np = np.asarray(centers)
    centers_sq_np = np.empty(n_clusters, dtype=dtype)
    _centers_sq_norms(centers_np, centers_sq_np)
    cdef floating[::1] centers_sq = centers_sq_np
    cdef int[::1] labels = labels_np
    cdef floating[:, ::1] unused_sums = np.empty((1, 1), dtype=dtype)
    cdef floating[::1] unused_weights = np.empty(1, dtype=dtype)
    _pass(ws, X, sample_weight, centers, centers_sq, labels, unused_sums, unused_weights,
          False, False, 2 if objective else 0, &obj, &n_changed)
    return labels_np, obj


def weighted_sq_norms_sum(const floating[:, ::1] X, const floating[::1] sample_weight, int n_threads):
    """``sum_i w_i ||x_i||^2`` in float64: the centre-free part of the objective.

    One pass over X per fit (not per iteration). Time O(n d), no memory of
    size n.
    """
    cdef:
        Py_ssize_t n_samples = X.shape[0], i
        int n_features = X.shape[1], f
        double total = 0.0, row
    check_shape("sample_weight", (sample_weight.shape[0],), (n_samples,))
    if n_samples * n_features < SERIAL_MAX_ITEMS:
        n_threads = 1
    with nogil:
        for i in prange(n_samples, schedule="static", num_threads=n_threads):
            row = 0.0
            for f in range(n_features):
                row = row + <double> X[i, f] * <double> X[i, f]
            total += <double> sample_weight[i] * row
    return total


def centre(
    const floating[:, ::1] X,              # IN (n_samples, n_features)
    const floating[::1] X_mean,            # IN (n_features,)
    const floating[::1] sample_weight,     # IN (n_samples,)
    floating[:, ::1] out,                  # OUT (n_samples, n_features) X - X_mean
    int n_threads,
):
    """``out = X - X_mean`` and ``sum_i w_i ||out_i||^2`` in one pass over X.

    The subtraction rounds as numpy's ``X - X_mean`` (one IEEE subtraction per
    entry): the same centred data, so the same bits downstream. Doing it here
    spares the fit a copy of X and a separate pass for the norms. Time
    O(n d); no memory beyond ``out``.

    Returns
    -------
    sq_norms_sum : float
        As :func:`weighted_sq_norms_sum` of ``out``.
    """
    cdef:
        Py_ssize_t n_samples = X.shape[0], i
        int n_features = X.shape[1]
        double total = 0.0, row
    check_shape("X_mean", (X_mean.shape[0],), (n_features,))
    check_shape("sample_weight", (sample_weight.shape[0],), (n_samples,))
    check_shape("out", (out.shape[0], out.shape[1]), (n_samples, n_features))
    if n_samples * n_features < SERIAL_MAX_ITEMS:
        n_threads = 1
    with nogil:
        for i in prange(n_samples, schedule="static", num_threads=n_threads):
            if floating is float:
                row = skt_centre_row_f(&X[i, 0], &X_mean[0], &out[i, 0], n_features)
            else:
                row = skt_centre_row_d(&X[i, 0], &X_mean[0], &out[i, 0], n_features)
            total += <double> sample_weight[i] * row
    return total
