"""Cython kernel of Lloyd's k-means on CSR data, recording the objective.

The sparse counterpart of :mod:`sklearn_tendency._k_means_lloyd`: its
:func:`sklearn_tendency._k_means_lloyd.lloyd` runs the same iterations,
convergence tests, histories and final assignment (``run_lloyd`` in
``_k_means_common.pxd``) around this module's pass, given the CSR arrays
(:func:`sparse_steps`). An iteration is one pass over the stored
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
from libc.string cimport memset

from ._k_means_common cimport (
    padded_rows,
    reduce_threads,
    relocations,
    thread_row_starts,
    total_objective,
)
from ._kernel_checks cimport check_nonempty, check_shape

cdef extern from "_k_means_lloyd_sparse.h" nogil:
    # The float and double twins of each kernel (C has no generics).
    void skt_sparse_rows_f(const float *data, const int *indices, const int *indptr, Py_ssize_t start,
                           Py_ssize_t end, int k, int d, const float *ct, const float *csq, const float *w,
                           int *labels, float *dot, float *sums, float *weights, bint update,
                           bint want_obj, double *obj, Py_ssize_t *changed)
    void skt_sparse_rows_d(const double *data, const int *indices, const int *indptr, Py_ssize_t start,
                           Py_ssize_t end, int k, int d, const double *ct, const double *csq,
                           const double *w, int *labels, double *dot, double *sums, double *weights,
                           bint update, bint want_obj, double *obj, Py_ssize_t *changed)
    float skt_sparse_dense_sq_f(const float *a, const int *idx, int nnz,
                                const float *b, float b_sq)
    double skt_sparse_dense_sq_d(const double *a, const int *idx, int nnz,
                                 const double *b, double b_sq)

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
        self.n_samples = n_samples
        self.n_features = n_features
        self.n_clusters = n_clusters
        self.row_start = thread_row_starts(n_samples, n_threads)
        self.n_threads = <int> self.row_start.shape[0] - 1
        self.parallel = self.n_threads > 1 and nnz * n_clusters >= PARALLEL_MIN_WORK
        # Per-thread sums (k x d each, as scikit-learn's per-thread buffers),
        # each thread's on its own cache lines.
        self.sums = padded_rows(self.n_threads, n_clusters * n_features if update else 1, dtype)
        self.weights = padded_rows(self.n_threads, n_clusters, dtype)
        self.dot = padded_rows(self.n_threads, n_clusters, dtype)
        self.objectives = np.empty(self.n_threads, dtype=np.float64)
        self.changes = np.empty(self.n_threads, dtype=np.intp)
        self.ct = np.empty((n_features, n_clusters), dtype=dtype)


def _pass(
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
):
    """One assignment (and update) pass over the rows on ws.n_threads threads.

    Returns ``(objective, n_changed)``: ``sum_i w_i (||c_l||^2 - 2
    x_i.c_l)`` and the rows whose label changed.

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
        double objective
        Py_ssize_t n_changed
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
        # Below PARALLEL_MIN_WORK the same shares run, in order, on the calling
        # thread alone (the region's `if` clause): same shares, same bits.
        for t in prange(n_threads, schedule="static", num_threads=n_threads,
                        use_threads_if=ws.parallel):
            _rows(data_p, indices_p, &X_indptr[0], row_start[t], row_start[t + 1],
                  n_clusters, n_features, &ct[0, 0], &centers_sq[0],
                  &sample_weight[0], &labels[0], &dot[t, 0], &sums[t, 0],
                  &weights[t, 0], update, want_obj, &objectives[t], &changes[t])
        reduce_threads(n_threads, n_clusters, n_features, objectives, changes, sums, weights,
                       update, sums_out, weights_out, &objective, &n_changed)
    return objective, n_changed


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
    for new_id, old_id, far_idx, weight in relocations(distances, empty, labels, sample_weight):
        lo, hi = X_indptr[far_idx], X_indptr[far_idx + 1]
        cols = X_indices[lo:hi]
        vals = X_data[lo:hi] * weight
        # Entry by entry, as scikit-learn's loop (a column may repeat).
        for c, v in zip(cols, vals):
            sums[old_id, c] -= v
            sums[new_id, c] = v
        weights[new_id] = weight
        weights[old_id] -= weight


def sparse_steps(
    const floating[::1] X_data,            # IN (nnz,)
    const int[::1] X_indices,              # IN (nnz,)
    const int[::1] X_indptr,               # IN (n_samples + 1,)
    const floating[::1] sample_weight,     # IN (n_samples,)
    const floating[:, ::1] centers_init,   # IN (n_clusters, n_features)
    int n_threads,
):
    """The sparse side of Lloyd's iterations (:func:`sklearn_tendency._k_means_lloyd.lloyd`
    on a CSR triple), after checking the arrays it will read.

    Each iteration's pass costs ``nnz k`` multiply-adds for the products (the
    same count as scikit-learn's, with contiguous reads of the centres) plus
    ``nnz`` for the sums and O(T k d) to transpose the centres and add the T
    threads' sums. Peak memory beyond X: per thread ``k d`` partial sums (as
    scikit-learn), the transposed centres (``k d``) and the labels (n int32).
    """
    cdef:
        Py_ssize_t n_samples = X_indptr.shape[0] - 1
        int n_features = centers_init.shape[1]
        int n_clusters = centers_init.shape[0]
    check_nonempty("lloyd", n_samples, n_features, n_clusters)
    check_shape("sample_weight", (sample_weight.shape[0],), (n_samples,))
    check_csr(np.asarray(X_data), np.asarray(X_indices), np.asarray(X_indptr),
              n_samples, n_features)
    dtype = np.float32 if floating is float else np.float64
    ws = _SparseWorkspace(n_samples, X_indices.shape[0], n_features, n_clusters,
                          n_threads, True, dtype)
    return SparseLloydSteps(ws, np.asarray(X_data), np.asarray(X_indices), np.asarray(X_indptr),
                            np.asarray(sample_weight),
                            _pass["float" if floating is float else "double"])


class SparseLloydSteps:
    """The sparse kernel's side of run_lloyd (_k_means_common.pxd)."""

    def __init__(self, ws, X_data, X_indices, X_indptr, sample_weight, assign_pass):
        self.ws = ws
        self.X = (X_data, X_indices, X_indptr)
        self.sample_weight = sample_weight
        # Bound to X's dtype once: no fused-type dispatch in every iteration.
        self.assign_pass = assign_pass
        self.labels = np.full(X_indptr.shape[0] - 1, -1, dtype=np.int32)

    def assign(self, centers, centers_sq, sums, weights, want_objective, update=True):
        return self.assign_pass(self.ws, *self.X, self.sample_weight, centers, centers_sq,
                                self.labels, sums, weights, update, want_objective)

    def relocate(self, centers_old, sums, weights):
        _relocate_empty_clusters(*self.X, self.sample_weight, centers_old, sums, weights,
                                 self.labels)

    def final_objective(self, centers, centers_sq, sums, weights, strict, x_sq_norms_sum, nonnegative):
        if strict:
            # The labels stay (scikit-learn does not reassign after strict
            # convergence): their objective on the final centres, directly.
            return _objective_of_labels(*self.X, self.sample_weight, centers, self.labels)
        # Reassign so that the labels are those of the returned centres.
        objective, _ = self.assign(centers, centers_sq, sums, weights, True, update=False)
        return total_objective(x_sq_norms_sum, objective, nonnegative)


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
    _pass(ws, X_data, X_indices, X_indptr, sample_weight, centers, centers_sq_np, labels,
          unused_sums, unused_weights, False, False)
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
