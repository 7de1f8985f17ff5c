# What the dense and the sparse Lloyd kernels (_k_means_lloyd,
# _k_means_lloyd_sparse) share, written once, as scikit-learn's k-means
# kernels share _k_means_common: scikit-learn's split of the rows among
# threads, the reduction of the threads' partial sums, the averaging step, the
# centre distance of the tol test and the objective's total. Both kernels must
# round these exactly as scikit-learn does (doc/user_guide/algorithms.rst,
# section algo-lloyd-objective), so one copy keeps them from drifting apart.
# Inline functions only: no extension module of its own.

from cython cimport floating
from libc.string cimport memcpy, memset

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
    ``max_iter + 1`` entries up front (max_iter may be 10**9).
    """
    import numpy as np
    if n < history_np.shape[0]:
        return history_np
    grown = np.empty((max(2 * history_np.shape[0], n + 1),) + history_np.shape[1:],
                     dtype=history_np.dtype)
    grown[:history_np.shape[0]] = history_np
    return grown


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
