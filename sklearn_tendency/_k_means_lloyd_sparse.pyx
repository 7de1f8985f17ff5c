"""Cython kernel of Lloyd's k-means on CSR data, recording the objective.

The sparse counterpart of :mod:`sklearn_tendency._k_means_lloyd`: a whole run
is one call, :func:`lloyd_sparse`, with the same iteration, convergence tests,
histories and final assignment. An iteration is one pass over the stored
entries of X (see ``_k_means_lloyd_sparse.h``): for each row, its products
with every centre through the centres transposed, the argmin of
``||c||^2 - 2 x.c``, the changed labels, the objective term and the row added
to its cluster's sums.

Bit-for-bit agreement with scikit-learn's ``lloyd_iter_chunked_sparse``
(1.9.1), given the same initial centres: the dot products are its sums in its
order; its centre sums are sequential over the rows each OpenMP thread
receives from ``prange(n_chunks, schedule="static")`` over 256-row chunks, and
we give each thread the same rows and add the per-thread sums in thread order
(for one or two threads the same floating-point sum as its lock-protected
reduction); the empty-cluster relocation, the averaging and the centre shift
are its arithmetic. Hence the same labels, centres and iteration count, in
float32 as in float64 (doc/user_guide/algorithms.rst, section
algo-lloyd-objective).
"""

import numpy as np

from cython cimport floating
from cython.parallel cimport prange
from libc.math cimport sqrt
from libc.string cimport memset

from ._kernel_checks cimport check_shape

cdef extern from "_k_means_lloyd_sparse.h" nogil:
    void skt_sparse_rows_f(const float *data, const int *indices, const int *indptr,
                           Py_ssize_t start, Py_ssize_t end, int k, int d,
                           const float *ct, const float *csq, const float *w,
                           int *labels, float *dot, float *sums, float *weights,
                           bint update, bint want_obj, double *obj,
                           Py_ssize_t *changed)
    void skt_sparse_rows_d(const double *data, const int *indices, const int *indptr,
                           Py_ssize_t start, Py_ssize_t end, int k, int d,
                           const double *ct, const double *csq, const double *w,
                           int *labels, double *dot, double *sums, double *weights,
                           bint update, bint want_obj, double *obj,
                           Py_ssize_t *changed)
    float skt_sparse_dense_sq_f(const float *a, const int *idx, int nnz,
                                const float *b, float b_sq)
    double skt_sparse_dense_sq_d(const double *a, const int *idx, int nnz,
                                 const double *b, double b_sq)

# scikit-learn's CHUNK_SIZE: the unit of its static split of rows among threads.
cdef enum:
    SKLEARN_CHUNK = 256

# Below this many multiply-adds per pass (nnz * k), the threads' shares run one
# after the other on the calling thread: waking a thread costs more than it
# saves. The sums stay per share, so the bits do not change.
PARALLEL_MIN_WORK = 2_000_000


def check_csr(X_data, X_indices, X_indptr, Py_ssize_t n_samples, int n_features):
    """Raise ValueError unless the three arrays are a valid CSR structure.

    The kernels index memory with these arrays: a malformed matrix would make
    them read out of bounds. O(nnz) once per call of a public method.
    """
    if X_indptr.shape[0] != n_samples + 1:
        raise ValueError(
            f"indptr has {X_indptr.shape[0]} entries for {n_samples} rows."
        )
    nnz = X_indices.shape[0]
    if X_data.shape[0] != nnz or X_indptr[0] != 0 or X_indptr[n_samples] != nnz:
        raise ValueError("The CSR data, indices and indptr arrays do not agree.")
    if n_samples and np.any(np.diff(X_indptr) < 0):
        raise ValueError("The CSR indptr array is not non-decreasing.")
    if nnz and (X_indices.min() < 0 or X_indices.max() >= n_features):
        raise ValueError("A CSR column index is out of range.")


cdef class _SparseWorkspace:
    """Buffers of a pass over CSR rows, and scikit-learn's split of them among threads."""
    cdef:
        Py_ssize_t n_samples
        int n_features, n_clusters, n_threads
        bint parallel
        Py_ssize_t[::1] row_start
        object sums, weights, objectives, changes, dot, ct

    def __init__(self, Py_ssize_t n_samples, Py_ssize_t nnz, int n_features,
                 int n_clusters, int n_threads, bint update, dtype):
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
        self.parallel = self.n_threads > 1 and nnz * n_clusters >= PARALLEL_MIN_WORK
        # Per-thread sums (k x d each, as scikit-learn's per-thread buffers),
        # each thread's on its own cache lines.
        self.sums = _padded_rows(self.n_threads, n_clusters * n_features if update else 1, dtype)
        self.weights = _padded_rows(self.n_threads, n_clusters, dtype)
        self.dot = _padded_rows(self.n_threads, n_clusters, dtype)
        self.objectives = np.empty(self.n_threads, dtype=np.float64)
        self.changes = np.empty(self.n_threads, dtype=np.intp)
        self.ct = np.empty((n_features, n_clusters), dtype=dtype)


def _padded_rows(Py_ssize_t n_rows, Py_ssize_t n_items, dtype):
    # One row per thread, each starting on its own 64-byte cache line.
    itemsize = np.dtype(dtype).itemsize
    per_line = 64 // itemsize
    stride = (n_items + per_line - 1) // per_line * per_line
    raw = np.empty(n_rows * stride * itemsize + 64, dtype=np.uint8)
    offset = (-raw.ctypes.data) % 64
    return raw[offset:offset + n_rows * stride * itemsize].view(dtype).reshape(n_rows, stride)


cdef void _pass(
    _SparseWorkspace ws,
    const floating[::1] X_data,          # IN (nnz,)
    const int[::1] X_indices,            # IN (nnz,)
    const int[::1] X_indptr,             # IN (n_samples + 1,)
    const floating[::1] sample_weight,   # IN (n_samples,)
    const floating[:, ::1] centers,      # IN (n_clusters, n_features)
    const floating[::1] centers_sq,      # IN (n_clusters,)
    int[::1] labels,                     # INOUT (n_samples,)
    floating[:, ::1] sums_out,           # OUT (n_clusters, n_features), if update
    floating[::1] weights_out,           # OUT (n_clusters,), if update
    bint update,
    bint want_obj,
    double *objective,                   # OUT sum_i w_i (||c_l||^2 - 2 x_i.c_l)
    Py_ssize_t *n_changed,               # OUT rows whose label changed
):
    """One assignment (and update) pass over the rows on ws.n_threads threads.

    Time O(nnz k) plus O(k d) per thread for the transposed centres and the
    sums; no memory beyond the workspace.
    """
    cdef:
        floating[:, ::1] sums = ws.sums
        floating[:, ::1] weights = ws.weights
        floating[:, ::1] dot = ws.dot
        floating[:, ::1] ct = ws.ct
        double[::1] objectives = ws.objectives
        Py_ssize_t[::1] changes = ws.changes
        Py_ssize_t[::1] row_start = ws.row_start
        int n_threads = ws.n_threads
        int n_clusters = ws.n_clusters
        int n_features = ws.n_features
        int t, j, f
        double obj = 0.0
        Py_ssize_t changed = 0
        const floating *data_p = &X_data[0] if X_data.shape[0] > 0 else NULL
        const int *indices_p = &X_indices[0] if X_indices.shape[0] > 0 else NULL

    with nogil:
        for j in range(n_clusters):
            for f in range(n_features):
                ct[f, j] = centers[j, f]
        for t in range(n_threads):
            objectives[t] = 0.0
            changes[t] = 0
            if update:
                memset(&sums[t, 0], 0, n_clusters * n_features * sizeof(floating))
                memset(&weights[t, 0], 0, n_clusters * sizeof(floating))
        if ws.parallel:
            for t in prange(n_threads, schedule="static", num_threads=n_threads):
                _rows(data_p, indices_p, &X_indptr[0], row_start[t], row_start[t + 1],
                      n_clusters, n_features, &ct[0, 0], &centers_sq[0],
                      &sample_weight[0], &labels[0], &dot[t, 0], &sums[t, 0],
                      &weights[t, 0], update, want_obj, &objectives[t], &changes[t])
        else:
            for t in range(n_threads):
                _rows(data_p, indices_p, &X_indptr[0], row_start[t], row_start[t + 1],
                      n_clusters, n_features, &ct[0, 0], &centers_sq[0],
                      &sample_weight[0], &labels[0], &dot[t, 0], &sums[t, 0],
                      &weights[t, 0], update, want_obj, &objectives[t], &changes[t])
        # Thread order: deterministic, and for two threads the same sum as
        # scikit-learn's reduction in whichever order its threads take the lock.
        for t in range(n_threads):
            obj += objectives[t]
            changed += changes[t]
        if update:
            memset(&sums_out[0, 0], 0, n_clusters * n_features * sizeof(floating))
            memset(&weights_out[0], 0, n_clusters * sizeof(floating))
            for t in range(n_threads):
                for j in range(n_clusters):
                    weights_out[j] += weights[t, j]
                for f in range(n_clusters * n_features):
                    (&sums_out[0, 0])[f] += sums[t, f]
    objective[0] = obj
    n_changed[0] = changed


cdef inline void _rows(
    const floating *data, const int *indices, const int *indptr,
    Py_ssize_t start, Py_ssize_t end, int k, int d,
    const floating *ct, const floating *csq, const floating *w, int *labels,
    floating *dot, floating *sums, floating *weights, bint update, bint want_obj,
    double *obj, Py_ssize_t *changed,
) noexcept nogil:
    if floating is float:
        skt_sparse_rows_f(data, indices, indptr, start, end, k, d, ct, csq, w, labels,
                          dot, sums, weights, update, want_obj, obj, changed)
    else:
        skt_sparse_rows_d(data, indices, indptr, start, end, k, d, ct, csq, w, labels,
                          dot, sums, weights, update, want_obj, obj, changed)


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


cdef void _average_centers(
    floating[:, ::1] centers,          # INOUT weighted sums in, means out
    const floating[::1] weights,       # IN
) noexcept nogil:
    # The dense kernel's rule (and scikit-learn's arithmetic): multiply by the
    # reciprocal; a cluster left empty sits on the heaviest centre's mean.
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
            alpha = 1.0 / weights[j]
            for f in range(n_features):
                centers[j, f] *= alpha
    for j in range(n_clusters):
        if not weights[j] > 0:
            for f in range(n_features):
                centers[j, f] = centers[heaviest, f]


def _sparse_dense_sq(
    const floating[::1] X_data,
    const int[::1] X_indices,
    const int[::1] X_indptr,
    const floating[:, ::1] centers,
    const floating[::1] centers_sq,
    const int[::1] labels,
    floating[::1] out,                   # OUT (n_samples,)
):
    """``out[i]``: scikit-learn's squared distance of row i to its centre."""
    cdef Py_ssize_t i, n = X_indptr.shape[0] - 1
    cdef int p0, label
    cdef const floating *data_p = &X_data[0] if X_data.shape[0] > 0 else NULL
    cdef const int *indices_p = &X_indices[0] if X_indices.shape[0] > 0 else NULL
    with nogil:
        for i in range(n):
            p0 = X_indptr[i]
            label = labels[i]
            if floating is float:
                out[i] = skt_sparse_dense_sq_f(data_p + p0, indices_p + p0, X_indptr[i + 1] - p0,
                                               &centers[label, 0], centers_sq[label])
            else:
                out[i] = skt_sparse_dense_sq_d(data_p + p0, indices_p + p0, X_indptr[i + 1] - p0,
                                               &centers[label, 0], centers_sq[label])


def _relocate_empty_clusters(X_data, X_indices, X_indptr, sample_weight, centers_old,
                             sums, weights, labels):
    """Move each empty cluster onto one of the samples farthest from their centre.

    scikit-learn's ``_relocate_empty_clusters_sparse``, step for step (its
    distances, its ``argpartition``, its order of updates), so that the same
    sample is chosen. Runs only when a cluster is empty; O(nnz) time and one
    float per sample.
    """
    empty = np.flatnonzero(weights == 0)
    n_empty = empty.shape[0]
    if n_empty == 0:
        return
    distances = np.empty(X_indptr.shape[0] - 1, dtype=X_data.dtype)
    _sparse_dense_sq(X_data, X_indices, X_indptr, centers_old,
                     np.einsum("ij,ij->i", centers_old, centers_old), labels, distances)
    if np.max(distances) == 0:
        # More clusters than distinct samples: nowhere to move them.
        return
    far_from_centers = np.argpartition(distances, -n_empty)[:-n_empty - 1:-1]
    for new_id, far_idx in zip(empty, far_from_centers):
        weight = sample_weight[far_idx]
        old_id = labels[far_idx]
        lo, hi = X_indptr[far_idx], X_indptr[far_idx + 1]
        cols = X_indices[lo:hi]
        vals = X_data[lo:hi] * weight
        # Entry by entry, as scikit-learn's loop (a column may repeat).
        for c, v in zip(cols, vals):
            sums[old_id, c] -= v
            sums[new_id, c] = v
        weights[new_id] = weight
        weights[old_id] -= weight


def _center_shift(const floating[:, ::1] centers_old, const floating[:, ::1] centers_new):
    """scikit-learn's ``_center_shift``: the Euclidean shift of each centre, in X's dtype."""
    cdef int j, n_clusters = centers_old.shape[0], n_features = centers_old.shape[1]
    dtype = np.float32 if floating is float else np.float64
    out_np = np.empty(n_clusters, dtype=dtype)
    cdef floating[::1] out = out_np
    for j in range(n_clusters):
        out[j] = <floating> sqrt(_sq_dist(&centers_new[j, 0], &centers_old[j, 0], n_features))
    return out_np


def _grow(history_np, Py_ssize_t n):
    """``history_np`` (a history or frames) with room for entry ``n``.

    Twice the capacity when full: amortised O(1) per entry.
    """
    if n < history_np.shape[0]:
        return history_np
    grown = np.empty((max(2 * history_np.shape[0], n + 1),) + history_np.shape[1:],
                     dtype=history_np.dtype)
    grown[:history_np.shape[0]] = history_np
    return grown


def _push_frame(frames_np, Py_ssize_t n_frames, centers_np):
    frames_np = _grow(frames_np, n_frames)
    frames_np[n_frames] = centers_np
    return frames_np


def lloyd_sparse(
    const floating[::1] X_data,            # IN (nnz,)
    const int[::1] X_indices,              # IN (nnz,)
    const int[::1] X_indptr,               # IN (n_samples + 1,)
    const floating[::1] sample_weight,     # IN (n_samples,)
    const floating[:, ::1] centers_init,   # IN (n_clusters, n_features)
    double x_sq_norms_sum,                 # IN sum_i w_i ||x_i||^2
    Py_ssize_t max_iter,
    double tol,                            # IN absolute tolerance on the centre shift
    int n_threads,
    bint store_centers=False,
    int verbose=0,
    bint record_objective=True,
    bint nonnegative=True,
):
    """One run of Lloyd's algorithm on CSR data, with the objective of every iteration.

    scikit-learn's ``_kmeans_single_lloyd`` on sparse input, the iterations
    of :func:`sklearn_tendency._k_means_lloyd.lloyd`: assign, relocate empty
    clusters, average; stop on unchanged labels (strict convergence), on a
    squared centre shift at most ``tol``, or after ``max_iter`` iterations;
    then reassign the samples to the final centres unless the labels were
    already unchanged.

    Parameters
    ----------
    X_data, X_indices, X_indptr : ndarray
        The CSR arrays of X (n_samples x n_features, ``n_features`` being the
        width of ``centers_init``), checked by :func:`check_csr`.
    sample_weight : ndarray of shape (n_samples,), same dtype as X_data
    centers_init : ndarray of shape (n_clusters, n_features), same dtype
        Initial centres; not modified.
    x_sq_norms_sum : float
        ``sum_i w_i ||x_i||^2``, the part of the objective that does not
        depend on the centres.
    max_iter : int
    tol : float
        Absolute tolerance on the sum of the squared centre shifts.
    n_threads : int
        OpenMP threads.
    store_centers : bool, default=False
        Also return the centres before each iteration and at the end.
    verbose : int, default=0
    record_objective : bool, default=True
        False skips the objective of the iterations (NaN in the history),
        computing only the final one: for measuring what recording costs.
    nonnegative : bool, default=True
        Whether every weight is non-negative: the objective is then clamped
        at 0 against rounding (with negative weights it may be negative).

    Returns
    -------
    labels, centers, inertia, n_iter, history, center_history
        As :func:`sklearn_tendency._k_means_lloyd.lloyd`.

    Notes
    -----
    Time per iteration: ``nnz k`` multiply-adds for the products (the same
    count as scikit-learn's, with contiguous reads of the centres) plus
    ``nnz`` for the sums and O(T k d) to transpose the centres and add the
    T threads' sums. Peak memory beyond X: per thread ``k d`` partial sums
    (as scikit-learn), the transposed centres (``k d``), two sets of centres,
    the labels (n int32), the history (grown by doubling: at most
    ``2 (n_iter + 1)`` floats) and, with ``store_centers``, the frames
    (grown the same way).
    """
    cdef:
        Py_ssize_t n_samples = X_indptr.shape[0] - 1
        int n_features = centers_init.shape[1]
        int n_clusters = centers_init.shape[0]
        Py_ssize_t i = 0, n_iter
        bint strict_convergence = False
        double objective
        Py_ssize_t n_changed
        Py_ssize_t n_frames = 0

    if n_samples < 1 or n_features < 1 or n_clusters < 1:
        raise ValueError(
            f"lloyd_sparse needs at least one sample, feature and cluster; got "
            f"{n_samples} rows and centres of shape {(n_clusters, n_features)}."
        )
    check_shape("sample_weight", (sample_weight.shape[0],), (n_samples,))
    check_csr(np.asarray(X_data), np.asarray(X_indices), np.asarray(X_indptr),
              n_samples, n_features)
    dtype = np.float32 if floating is float else np.float64
    ws = _SparseWorkspace(n_samples, X_indices.shape[0], n_features, n_clusters,
                          n_threads, True, dtype)
    X_data_np = np.asarray(X_data)
    X_indices_np = np.asarray(X_indices)
    X_indptr_np = np.asarray(X_indptr)
    sample_weight_np = np.asarray(sample_weight)
    centers_np = np.array(centers_init, dtype=dtype, order="C")
    centers_new_np = np.empty_like(centers_np)
    centers_sq_np = np.empty(n_clusters, dtype=dtype)
    weights_np = np.empty(n_clusters, dtype=dtype)
    labels_np = np.full(n_samples, -1, dtype=np.int32)
    cdef int[::1] labels = labels_np
    # Both grow by doubling: max_iter + 1 entries up front could be far more
    # memory than a run that converges early uses (max_iter may be 10**9).
    history_np = np.empty(min(max_iter + 1, 64), dtype=np.float64)
    frames_np = (np.empty((min(max_iter + 1, 16), n_clusters, n_features), dtype=dtype)
                 if store_centers else None)

    for i in range(max_iter):
        np.einsum("ij,ij->i", centers_np, centers_np, out=centers_sq_np)
        _pass[floating](ws, X_data, X_indices, X_indptr, sample_weight, centers_np,
                        centers_sq_np, labels, centers_new_np, weights_np, True,
                        record_objective, &objective, &n_changed)
        history_np = _grow(history_np, i)
        history_np[i] = (_total(x_sq_norms_sum, objective, nonnegative)
                         if record_objective else np.nan)
        if store_centers:
            frames_np = _push_frame(frames_np, n_frames, centers_np)
            n_frames += 1
        if verbose:
            print(f"Iteration {i}, inertia {history_np[i]}.")
        if np.any(weights_np == 0):
            _relocate_empty_clusters(X_data_np, X_indices_np, X_indptr_np, sample_weight_np,
                                     centers_np, centers_new_np, weights_np, labels_np)
        _average_centers[floating](centers_new_np, weights_np)
        center_shift = _center_shift(centers_np, centers_new_np)
        centers_np, centers_new_np = centers_new_np, centers_np
        if n_changed == 0:
            if verbose:
                print(f"Converged at iteration {i}: strict convergence.")
            strict_convergence = True
            break
        # numpy's sum of the squares, as scikit-learn rounds it (pairwise for
        # k >= 8), compared in double whatever X's dtype, as there.
        center_shift_tot = float((center_shift ** 2).sum())
        if center_shift_tot <= tol:
            if verbose:
                print(f"Converged at iteration {i}: center shift {center_shift_tot} "
                      f"within tolerance {tol}.")
            break
    n_iter = i + 1

    if strict_convergence and record_objective and np.array_equal(centers_np, centers_new_np):
        # Same labels, same sums in the same order: the final centres are the
        # bits the last iteration started from, so is their objective.
        final = history_np[n_iter - 1]
    elif strict_convergence:
        # The labels stay (scikit-learn does not reassign after strict
        # convergence): their objective on the final centres, directly.
        final = _objective_of_labels(X_data_np, X_indices_np, X_indptr_np, sample_weight_np,
                                     centers_np, labels_np)
    else:
        # Reassign so that the labels are those of the returned centres.
        np.einsum("ij,ij->i", centers_np, centers_np, out=centers_sq_np)
        _pass[floating](ws, X_data, X_indices, X_indptr, sample_weight, centers_np,
                        centers_sq_np, labels, centers_new_np, weights_np, False,
                        True, &objective, &n_changed)
        final = _total(x_sq_norms_sum, objective, nonnegative)
    history_np = _grow(history_np, n_iter)
    history_np[n_iter] = final
    center_history = None
    if store_centers:
        frames_np = _push_frame(frames_np, n_frames, centers_np)
        n_frames += 1
        center_history = frames_np[:n_frames].copy()
    return (
        labels_np, centers_np, final, n_iter, history_np[:n_iter + 1].copy(),
        center_history,
    )


cdef inline double _total(double x_sq_norms_sum, double objective, bint nonnegative):
    # J = sum_i w_i ||x_i||^2 + sum_i w_i (||c||^2 - 2 x_i.c): clamped at 0
    # against rounding when no weight is negative.
    cdef double value = x_sq_norms_sum + objective
    return (0.0 if value < 0.0 else value) if nonnegative else value


def _objective_of_labels(X_data, X_indices, X_indptr, sample_weight, centers, labels):
    # sum_i w_i ||x_i - c_{l_i}||^2 from scikit-learn's per-sample distances,
    # accumulated in double.
    distances = np.empty(labels.shape[0], dtype=X_data.dtype)
    _sparse_dense_sq(X_data, X_indices, X_indptr, centers,
                     np.einsum("ij,ij->i", centers, centers), labels, distances)
    return float(distances.astype(np.float64) @ sample_weight.astype(np.float64))


def assign_sparse(
    const floating[::1] X_data,            # IN (nnz,)
    const int[::1] X_indices,              # IN (nnz,)
    const int[::1] X_indptr,               # IN (n_samples + 1,)
    const floating[::1] sample_weight,     # IN (n_samples,)
    const floating[:, ::1] centers,        # IN (n_clusters, n_features)
    int n_threads,
    bint objective=True,
):
    """Nearest centre of each CSR row and, optionally, the objective.

    The assignment step of :func:`lloyd_sparse` (the same labels as
    scikit-learn's ``predict``) for ``predict`` and ``score``; the objective
    from scikit-learn's per-sample squared distances to the chosen centres,
    accumulated in float64.

    Returns
    -------
    labels : ndarray of shape (n_samples,), int32
    objective : float
        ``sum_i w_i ||x_i - c_{label_i}||^2`` (0.0 if not requested).

    Notes
    -----
    Time O(nnz k); memory beyond the labels: the transposed centres and k
    floats per thread, plus a float per sample for the objective.
    """
    cdef:
        Py_ssize_t n_samples = X_indptr.shape[0] - 1
        int n_features = centers.shape[1]
        int n_clusters = centers.shape[0]
        double unused_obj
        Py_ssize_t n_changed
    if n_clusters < 1:
        raise ValueError("assign_sparse needs at least one centre.")
    check_shape("sample_weight", (sample_weight.shape[0],), (n_samples,))
    check_csr(np.asarray(X_data), np.asarray(X_indices), np.asarray(X_indptr),
              n_samples, n_features)
    dtype = np.float32 if floating is float else np.float64
    labels_np = np.full(n_samples, -1, dtype=np.int32)
    if n_samples == 0:
        return labels_np, 0.0
    ws = _SparseWorkspace(n_samples, X_indices.shape[0], n_features, n_clusters,
                          n_threads, False, dtype)
    centers_np = np.asarray(centers)
    centers_sq_np = np.einsum("ij,ij->i", centers_np, centers_np)
    cdef int[::1] labels = labels_np
    cdef floating[:, ::1] unused_sums = np.empty((1, 1), dtype=dtype)
    cdef floating[::1] unused_weights = np.empty(1, dtype=dtype)
    _pass[floating](ws, X_data, X_indices, X_indptr, sample_weight, centers, centers_sq_np,
                    labels, unused_sums, unused_weights, False, False, &unused_obj,
                    &n_changed)
    obj = 0.0
    if objective:
        obj = _objective_of_labels(np.asarray(X_data), np.asarray(X_indices),
                                   np.asarray(X_indptr), np.asarray(sample_weight),
                                   centers_np, labels_np)
    return labels_np, obj


def weighted_sq_norms_sum_sparse(
    const floating[::1] X_data,
    const int[::1] X_indptr,
    const floating[::1] sample_weight,
):
    """``sum_i w_i ||x_i||^2`` in float64 over CSR rows: O(nnz), no memory."""
    cdef:
        Py_ssize_t i, n = X_indptr.shape[0] - 1
        int p
        double total = 0.0, row
    check_shape("sample_weight", (sample_weight.shape[0],), (n,))
    if n < 0 or X_indptr[0] != 0 or X_indptr[n] != X_data.shape[0] or (
            n and np.any(np.diff(np.asarray(X_indptr)) < 0)):
        raise ValueError("The CSR data and indptr arrays do not agree.")
    with nogil:
        for i in range(n):
            row = 0.0
            for p in range(X_indptr[i], X_indptr[i + 1]):
                row = row + <double> X_data[p] * <double> X_data[p]
            total += <double> sample_weight[i] * row
    return total
