# What the dense and the sparse Lloyd kernels (_k_means_lloyd,
# _k_means_lloyd_sparse) share, written once, as scikit-learn's k-means
# kernels share _k_means_common: scikit-learn's split of the rows among
# threads, the reduction of the threads' partial sums, the averaging step, the
# centre shifts of the tol test, the objective's total, and the iterations
# themselves (run_lloyd), around each kernel's own assignment pass. Both kernels must
# round these exactly as scikit-learn does (doc/user_guide/algorithms.rst,
# section algo-lloyd-objective), so one copy keeps them from drifting apart.
# Inline functions only: no extension module of its own.

from cython cimport floating
from libc.math cimport sqrt
from libc.string cimport memcpy, memset
from scipy.linalg.cython_blas cimport dgemm, sgemm

# scikit-learn's CHUNK_SIZE: the unit of its static split of rows among threads.
cdef enum:
    SKLEARN_CHUNK = 256


cdef inline object padded_rows(Py_ssize_t n_rows, Py_ssize_t n_items, dtype):
    # One row per thread, each starting on its own 64-byte cache line: the
    # threads' partial sums are written for every sample, and sharing a line
    # would make the two cores pass it back and forth.
    import numpy as np
    itemsize = np.dtype(dtype).itemsize
    per_line = 64 // itemsize
    stride = (n_items + per_line - 1) // per_line * per_line
    raw = np.empty(n_rows * stride * itemsize + 64, dtype=np.uint8)
    offset = (-raw.ctypes.data) % 64
    return raw[offset:offset + n_rows * stride * itemsize].view(dtype).reshape(n_rows, stride)


cdef inline object thread_row_starts(Py_ssize_t n_samples, int n_threads):
    """First row of each thread's share, and n_samples: scikit-learn's split.

    ``prange(n_chunks, schedule="static")`` over chunks of SKLEARN_CHUNK rows
    on at most ``n_threads`` threads (never more threads than chunks); the
    length of the result less one is the number of threads.
    """
    import numpy as np
    cdef Py_ssize_t n_chunks = max(1, (n_samples + SKLEARN_CHUNK - 1) // SKLEARN_CHUNK)
    cdef int t, q, r
    n_threads = <int> max(1, min(n_threads, n_chunks))
    # libgomp's schedule(static): the first (n_chunks % T) threads get one
    # chunk more; thread t starts at chunk t * q + min(t, r).
    q = <int> (n_chunks // n_threads)
    r = <int> (n_chunks % n_threads)
    row_start = np.empty(n_threads + 1, dtype=np.intp)
    for t in range(n_threads + 1):
        row_start[t] = min(<Py_ssize_t> (t * q + min(t, r)) * SKLEARN_CHUNK, n_samples)
    return row_start


cdef inline void gemm_minus_2_x_ct_add(
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


cdef inline void reduce_threads(
    int n_threads,
    int n_clusters,
    int n_features,
    const double[::1] objectives,        # IN (n_threads,)
    const Py_ssize_t[::1] changes,       # IN (n_threads,)
    const floating[:, ::1] sums,         # IN (n_threads, >= n_clusters * n_features)
    const floating[:, ::1] weights,      # IN (n_threads, >= n_clusters)
    bint update,
    floating[:, ::1] sums_out,           # OUT (n_clusters, n_features), if update
    floating[::1] weights_out,           # OUT (n_clusters,), if update
    double *objective,                   # OUT
    Py_ssize_t *n_changed,               # OUT
) noexcept nogil:
    # Thread order: deterministic, and for two threads the same sum as
    # scikit-learn's reduction in whichever order its threads take the lock.
    cdef:
        int t, j
        Py_ssize_t f
        double obj = 0.0
        Py_ssize_t changed = 0
    for t in range(n_threads):
        obj += objectives[t]
        changed += changes[t]
    if update:
        memset(&sums_out[0, 0], 0, n_clusters * n_features * sizeof(floating))
        memset(&weights_out[0], 0, n_clusters * sizeof(floating))
        for t in range(n_threads):
            for j in range(n_clusters):
                weights_out[j] += weights[t, j]
            for f in range(<Py_ssize_t> n_clusters * n_features):
                (&sums_out[0, 0])[f] += sums[t, f]
    objective[0] = obj
    n_changed[0] = changed


cdef inline void average_centers(
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


cdef inline floating sq_dist(
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


cdef inline double total_objective(double x_sq_norms_sum, double objective, bint nonnegative):
    # J = sum_i w_i ||x_i||^2 + sum_i w_i (||c||^2 - 2 x_i.c): clamped at 0
    # against rounding when no weight is negative.
    cdef double value = x_sq_norms_sum + objective
    return (0.0 if value < 0.0 else value) if nonnegative else value


cdef inline object grow(object history_np, Py_ssize_t n):
    """``history_np`` (a history or frames) with room for entry ``n``.

    Twice the capacity when full: amortised O(1) per entry, and no
    ``max_iter + 1`` entries up front (max_iter may be 10**9). The array is
    resized in place: a block served by ``mmap`` (glibc: from 128 kB to
    32 MB up, by its dynamic threshold) has its pages remapped by
    ``realloc`` (``mremap``), not copied, so frames already written are not
    written again into fresh pages, whose first touch is what the frames cost
    on sparse data (a frame per iteration of k x d floats, against an
    iteration of nnz k multiply-adds); smaller blocks may be copied, cheaply.
    numpy zero-fills the added half, so it is touched at once; trimmed()
    releases what the run did not use. ``refcheck=False``: the array was made
    by run_lloyd and no view of it outlives a call of push_frame.
    """
    if n < history_np.shape[0]:
        return history_np
    history_np.resize((max(2 * history_np.shape[0], n + 1),) + history_np.shape[1:],
                      refcheck=False)
    return history_np


cdef inline object trimmed(object history_np, Py_ssize_t n):
    """The first ``n`` entries of ``history_np``, as an array of its own.

    A shrinking ``realloc`` moves nothing (and a copy would touch n fresh
    entries again): the result owns its data, with no larger buffer behind it.
    """
    if n < history_np.shape[0]:
        history_np.resize((n,) + history_np.shape[1:], refcheck=False)
    return history_np


cdef inline object push_frame(
    object frames_np,                  # IN (capacity, n_clusters, n_features)
    Py_ssize_t n_frames,               # IN frames filled
    const floating[:, ::1] centers,    # IN (n_clusters, n_features)
):
    """The frames with ``centers`` as frame ``n_frames``, grown when full."""
    cdef floating[:, :, ::1] frames
    frames_np = grow(frames_np, n_frames)
    frames = frames_np
    memcpy(&frames[n_frames, 0, 0], &centers[0, 0],
           centers.shape[0] * centers.shape[1] * sizeof(floating))
    return frames_np


cdef inline object farthest_samples(object distances, Py_ssize_t n_empty):
    """The ``n_empty`` samples that empty clusters move to, or None.

    scikit-learn's choice in ``_relocate_empty_clusters_*``: its
    ``argpartition`` of the distances of the samples to their centres, so that
    the same samples are chosen in the same order. None when every distance
    is 0: more clusters than distinct samples, nowhere to move them.
    """
    import numpy as np
    if np.max(distances) == 0:
        return None
    return np.argpartition(distances, -n_empty)[:-n_empty - 1:-1]


cdef inline list relocations(object distances, object empty, object labels, object sample_weight):
    """scikit-learn's moves of the ``empty`` clusters, in its order.

    ``(new_id, old_id, sample, weight)`` for each: the empty cluster
    ``new_id`` takes ``sample`` (of that weight) from cluster ``old_id``. An
    empty list when every distance is 0 (see farthest_samples).
    """
    far_from_centers = farthest_samples(distances, empty.shape[0])
    if far_from_centers is None:
        return []
    return [(new_id, labels[far_idx], far_idx, sample_weight[far_idx])
            for new_id, far_idx in zip(empty, far_from_centers)]


cdef inline object center_shifts(
    const floating[:, ::1] centers_old,   # IN (n_clusters, n_features)
    const floating[:, ::1] centers_new,   # IN (n_clusters, n_features)
):
    """scikit-learn's ``_center_shift``: the Euclidean shift of each centre, in X's dtype."""
    import numpy as np
    cdef int j, n_clusters = centers_old.shape[0], n_features = centers_old.shape[1]
    out_np = np.empty(n_clusters, dtype=np.float32 if floating is float else np.float64)
    cdef floating[::1] out = out_np
    for j in range(n_clusters):
        out[j] = <floating> sqrt(sq_dist(&centers_new[j, 0], &centers_old[j, 0], n_features))
    return out_np


cdef inline tuple run_lloyd(
    object steps,                          # IN the kernel's side, see below
    const floating[:, ::1] centers_init,   # IN (n_clusters, n_features)
    double x_sq_norms_sum,                 # IN sum_i w_i ||x_i||^2
    Py_ssize_t max_iter,
    double tol,                            # IN absolute tolerance on the centre shift
    bint store_centers,
    int verbose,
    bint record_objective,
    bint nonnegative,
):
    """Lloyd's iterations, the same for dense and sparse X (see lloyd's docstring).

    scikit-learn's ``_kmeans_single_lloyd``, step for step, around the kernel's
    ``steps``: ``steps.assign(centers, centers_sq, sums, weights,
    want_objective)`` runs one assignment pass that writes the labels
    (``steps.labels``) and the clusters' sums and weights, and returns
    ``(objective, n_changed)``; ``steps.relocate(centers_old, sums, weights)``
    moves empty clusters; ``steps.final_objective(centers, centers_sq, sums,
    weights, strict, x_sq_norms_sum, nonnegative)`` gives the objective of the
    final centres (after strict convergence keeping the labels, else
    reassigning them).
    """
    import numpy as np
    cdef:
        Py_ssize_t i = 0, n_iter, n_changed, n_frames = 0
        int n_clusters = centers_init.shape[0]
        int n_features = centers_init.shape[1]
        bint strict_convergence = False
        double objective
    dtype = np.float32 if floating is float else np.float64
    centers_np = np.array(centers_init, dtype=dtype, order="C")
    centers_new_np = np.empty_like(centers_np)
    centers_sq_np = np.empty(n_clusters, dtype=dtype)
    weights_np = np.empty(n_clusters, dtype=dtype)
    # The history and the frames are written into arrays grown by doubling and
    # trimmed in place (see grow): a list of copies and np.stack cost 0.5% of a
    # 2 ms fit (n = 20000, d = 2, k = 3), and max_iter + 1 entries up front
    # could be gigabytes.
    history_np = np.empty(min(max_iter + 1, 64), dtype=np.float64)
    frames_np = (np.empty((min(max_iter + 1, 16), n_clusters, n_features), dtype=dtype)
                 if store_centers else None)

    for i in range(max_iter):
        # numpy's einsum, as scikit-learn's row_norms: the same bits of
        # ||c||^2, hence of every distance, and of the labels at ties.
        np.einsum("ij,ij->i", centers_np, centers_np, out=centers_sq_np)
        objective, n_changed = steps.assign(centers_np, centers_sq_np, centers_new_np, weights_np,
                                            record_objective)
        history_np = grow(history_np, i)
        history_np[i] = (total_objective(x_sq_norms_sum, objective, nonnegative)
                         if record_objective else np.nan)
        if store_centers:
            frames_np = push_frame[floating](frames_np, n_frames, centers_np)
            n_frames += 1
        if verbose:
            print(f"Iteration {i}, inertia {history_np[i]}.")
        if np.any(weights_np == 0):
            steps.relocate(centers_np, centers_new_np, weights_np)
        average_centers[floating](centers_new_np, weights_np)
        center_shift = center_shifts[floating](centers_np, centers_new_np)
        centers_np, centers_new_np = centers_new_np, centers_np
        if n_changed == 0:
            if verbose:
                print(f"Converged at iteration {i}: strict convergence.")
            strict_convergence = True
            break
        # numpy's sum of the squares in X's dtype, as scikit-learn rounds it
        # (pairwise for k >= 8), compared in double (its tol is a float64).
        center_shift_tot = (center_shift ** 2).sum()
        if <double> center_shift_tot <= tol:
            if verbose:
                print(f"Converged at iteration {i}: center shift {center_shift_tot} "
                      f"within tolerance {tol}.")
            break
    n_iter = i + 1

    if strict_convergence and record_objective and np.array_equal(centers_np, centers_new_np):
        # Same labels, same sums in the same order: the final centres are the
        # bits the last iteration started from, so is their objective.
        final = history_np[n_iter - 1]
    else:
        np.einsum("ij,ij->i", centers_np, centers_np, out=centers_sq_np)
        final = steps.final_objective(centers_np, centers_sq_np, centers_new_np, weights_np,
                                      strict_convergence, x_sq_norms_sum, nonnegative)
    history_np = grow(history_np, n_iter)
    history_np[n_iter] = final
    center_history = None
    if store_centers:
        frames_np = push_frame[floating](frames_np, n_frames, centers_np)
        n_frames += 1
        center_history = trimmed(frames_np, n_frames)
    return (
        steps.labels, centers_np, final, n_iter, trimmed(history_np, n_iter + 1),
        center_history,
    )
