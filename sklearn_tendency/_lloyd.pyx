"""Cython kernel of Lloyd's k-means: one assignment + update step.

One call is one Lloyd iteration over dense data, in chunks of rows spread over
OpenMP threads. The assignment step finds every sample's nearest centre; its
squared distance is already at hand there, so the objective J of the centres
the step started from costs one multiply-add per sample, no pass over X.

Two ways to the distances, the same labels:
- GEMM (scipy's BLAS), ``||c||^2 - 2 x.c`` per chunk, plus ``||x||^2`` for the
  objective, as scikit-learn's ``lloyd_iter_chunked_dense`` does: best when
  ``n_features * n_clusters`` is large;
- direct ``||x - c||^2`` in registers: best for few features and clusters,
  where a BLAS call per chunk costs more than the arithmetic it does.

Partial sums of the new centres are kept per thread and reduced in thread
order after the loop, so results are reproducible for a given thread count.
"""

from cython cimport floating
from cython.parallel cimport parallel, prange, threadid
from libc.stdlib cimport free, malloc
from libc.string cimport memset
from scipy.linalg.cython_blas cimport dgemm, sgemm

import numpy as np

# Default rows per chunk, scikit-learn's CHUNK_SIZE: the chunk of distances
# (chunk x n_clusters) stays in cache next to the chunk of X, and the same
# chunking keeps the GEMM results, hence the labels, identical to scikit-learn's.
CHUNK_SIZE = 256


cdef inline void _gemm_chunk(
    int n_rows, int n_clusters, int n_features,
    const floating *X, const floating *C, floating *out,
) noexcept nogil:
    """out (n_rows x n_clusters, row-major) += -2 X C^T."""
    # Row-major out = X C^T is column-major out^T = C X^T: BLAS sees C as a
    # (n_features x n_clusters) column-major matrix, transposed.
    cdef:
        char transa = b"t"
        char transb = b"n"
        int m = n_clusters, n = n_rows, k = n_features
        int lda = n_features, ldb = n_features, ldc = n_clusters
        floating alpha = -2.0, beta = 1.0
    if floating is double:
        dgemm(&transa, &transb, &m, &n, &k, &alpha, <double*> C, &lda,
              <double*> X, &ldb, &beta, out, &ldc)
    else:
        sgemm(&transa, &transb, &m, &n, &k, &alpha, <float*> C, &lda,
              <float*> X, &ldb, &beta, out, &ldc)


cdef void _chunk(
    const floating[:, ::1] X,                # IN rows start..end-1 are read
    const floating[::1] sample_weight,       # IN
    const floating[::1] x_squared_norms,     # IN (GEMM path)
    const floating[:, ::1] centers,          # IN
    const floating[::1] centers_sq_norms,    # IN (GEMM path)
    int start, int end,
    int[::1] labels,                         # OUT rows start..end-1
    floating *dist_chunk,                    # SCRATCH chunk_size x n_clusters
    floating *sums,                          # INOUT thread's weighted sums
    floating *weights,                       # INOUT thread's cluster weights
    double *objective,                       # INOUT thread's objective
    bint use_gemm, bint update_centers,
) noexcept nogil:
    """Assign rows start..end-1 to their nearest centre and accumulate."""
    cdef:
        int n_features = X.shape[1]
        int n_clusters = centers.shape[0]
        int i, j, k, label
        floating dist, best, diff, w
        const floating *x
        floating *s
        floating *d
        double acc = 0.0
    if use_gemm:
        for i in range(end - start):
            for j in range(n_clusters):
                dist_chunk[i * n_clusters + j] = centers_sq_norms[j]
        _gemm_chunk(end - start, n_clusters, n_features,
                    &X[start, 0], &centers[0, 0], dist_chunk)
    if use_gemm:
        for i in range(start, end):
            d = dist_chunk + (i - start) * n_clusters
            best = d[0]
            label = 0
            for j in range(1, n_clusters):
                if d[j] < best:
                    best = d[j]
                    label = j
            labels[i] = label
            # ||x||^2 completes the squared distance for the objective only;
            # the argmin never needed it.
            best = best + x_squared_norms[i]
            if best < 0:
                best = 0
            w = sample_weight[i]
            acc += <double> w * <double> best
            if update_centers:
                weights[label] += w
                s = sums + label * n_features
                x = &X[i, 0]
                for k in range(n_features):
                    s[k] += x[k] * w
    else:
        for i in range(start, end):
            x = &X[i, 0]
            label = 0
            best = 0
            for k in range(n_features):
                diff = x[k] - centers[0, k]
                best = best + diff * diff
            for j in range(1, n_clusters):
                dist = 0
                for k in range(n_features):
                    diff = x[k] - centers[j, k]
                    dist = dist + diff * diff
                if dist < best:
                    best = dist
                    label = j
            labels[i] = label
            w = sample_weight[i]
            acc += <double> w * <double> best
            if update_centers:
                weights[label] += w
                s = sums + label * n_features
                for k in range(n_features):
                    s[k] += x[k] * w
    objective[0] += acc


def lloyd_iter(
    const floating[:, ::1] X,                # IN (n_samples, n_features)
    const floating[::1] sample_weight,       # IN (n_samples,)
    const floating[::1] x_squared_norms,     # IN (n_samples,), GEMM path only
    const floating[:, ::1] centers,          # IN (n_clusters, n_features)
    floating[:, ::1] centers_new,            # OUT (n_clusters, n_features) weighted sums
    floating[::1] weight_in_clusters,        # OUT (n_clusters,)
    int[::1] labels,                         # OUT (n_samples,)
    bint use_gemm,                           # IN distances by BLAS or directly
    bint update_centers,                     # IN False: assignment step only
    int n_threads,                           # IN
    int chunk_size=256,                      # IN rows per chunk
):
    """One Lloyd iteration: labels, weighted centre sums and the objective.

    Parameters
    ----------
    X, sample_weight, x_squared_norms, centers
        Data, weights, squared row norms of X (read only when ``use_gemm``) and
        the centres the step starts from.
    centers_new, weight_in_clusters
        Filled with the weighted sum of the samples of each cluster and their
        total weight (not yet divided: the caller relocates empty clusters
        first, as scikit-learn does). Untouched when ``update_centers`` is False.
    labels
        Index of the nearest centre of each sample (lowest index on ties).

    Returns
    -------
    objective : float
        ``sum_i w_i min_k ||x_i - c_k||^2`` for ``centers``, accumulated in
        double; on the GEMM path ``||x||^2 + (||c||^2 - 2 x.c)``, clipped at 0.

    Notes
    -----
    Time O(n k d) per call. Peak memory beyond the arguments, per thread: a
    chunk_size x n_clusters block of distances and the partial centre sums
    (n_clusters x (n_features + 1)); O(n_threads k d) in all, independent of n.
    """
    cdef:
        Py_ssize_t n_samples = X.shape[0]
        int n_features = X.shape[1]
        int n_clusters = centers.shape[0]
        int n_chunks = <int> ((n_samples + chunk_size - 1) // chunk_size)
        int chunk_idx, start, end, j, k, jj, kk, tid, t
        double objective = 0.0
        double *thread_objective
        floating *dist_chunk
        floating *thread_sums
        floating *thread_weights
        floating[::1] centers_sq_norms = np.einsum(
            "ij,ij->i", np.asarray(centers), np.asarray(centers)
        ) if use_gemm else np.empty(0, dtype=np.asarray(centers).dtype)
        floating[:, :, ::1] sums
        floating[:, ::1] weights
        double[::1] objectives

    if n_samples == 0:
        return 0.0
    n_threads = max(1, min(n_threads, n_chunks))
    sums = np.empty((n_threads, n_clusters, n_features), dtype=np.asarray(centers).dtype)
    weights = np.empty((n_threads, n_clusters), dtype=np.asarray(centers).dtype)
    objectives = np.empty(n_threads, dtype=np.float64)

    with nogil, parallel(num_threads=n_threads):
        # Thread-local accumulators, written back once: a shared array indexed
        # by thread would put the threads' running sums on one cache line.
        tid = threadid()
        dist_chunk = <floating*> malloc(chunk_size * n_clusters * sizeof(floating))
        thread_sums = <floating*> malloc(n_clusters * n_features * sizeof(floating))
        thread_weights = <floating*> malloc(n_clusters * sizeof(floating))
        memset(thread_sums, 0, n_clusters * n_features * sizeof(floating))
        memset(thread_weights, 0, n_clusters * sizeof(floating))
        thread_objective = <double*> malloc(sizeof(double))
        thread_objective[0] = 0.0
        for chunk_idx in prange(n_chunks, schedule="static"):
            start = chunk_idx * chunk_size
            end = min(start + chunk_size, <int> n_samples)
            _chunk(X, sample_weight, x_squared_norms, centers, centers_sq_norms,
                   start, end, labels, dist_chunk, thread_sums, thread_weights,
                   thread_objective, use_gemm, update_centers)
        objectives[tid] = thread_objective[0]
        for jj in range(n_clusters):
            weights[tid, jj] = thread_weights[jj]
            for kk in range(n_features):
                sums[tid, jj, kk] = thread_sums[jj * n_features + kk]
        free(thread_objective)
        free(dist_chunk)
        free(thread_sums)
        free(thread_weights)

    # Reduced in thread order: the same sums for the same thread count.
    for t in range(n_threads):
        objective += objectives[t]
    if update_centers:
        memset(&centers_new[0, 0], 0, n_clusters * n_features * sizeof(floating))
        memset(&weight_in_clusters[0], 0, n_clusters * sizeof(floating))
        for t in range(n_threads):
            for j in range(n_clusters):
                weight_in_clusters[j] += weights[t, j]
                for k in range(n_features):
                    centers_new[j, k] += sums[t, j, k]
    return objective
