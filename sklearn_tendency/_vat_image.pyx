"""Cython kernels of the VAT and iVAT images.

:func:`euclidean_image` computes the Euclidean VAT image (the distance matrix
in VAT order) with one BLAS call and one tiled pass; the rest of this module
computes the downsampled iVAT image.

In VAT order the iVAT dissimilarity of positions i < j is a range maximum of
the cut weights (Havens & Bezdek, 2012; doc/user_guide/algorithms.rst, section
algo-ivat)::

    iVAT[i, j] = max(w[i + 1 .. j])

A pixel of the downsampled image covers the positions [s0, s1) x [t0, t1) of
two blocks of the VAT order. Its minimum, maximum and mean follow from the cut
weights with no n x n matrix:

* the range of every pair of an off-diagonal pixel (s1 <= t0) contains the
  *gap* ``w[s1 .. t0]``, so the minimum is ``max(w[s1 .. t0])`` (the pair
  ``(s1 - 1, t0)``) and the maximum is ``max(w[s0 + 1 .. t1 - 1])`` (the pair
  ``(s0, t1 - 1)``);
* for the mean, ``max(w[i + 1 .. j]) = max(L_i, G, R_j)`` with ``L_i`` the
  suffix maximum of the row block after ``i``, ``G`` the gap maximum and
  ``R_j`` the prefix maximum of the column block up to ``j``. Both are
  monotone, so the sum over the pixel's pairs is a merge of two sorted lists:
  O(s1 - s0 + t1 - t0) per pixel;
* a diagonal pixel's sum is twice the sum of the maxima of all sub-arrays of
  ``w[s0 + 1 .. s1 - 1]``, one pass with a stack.
"""

from cython.parallel cimport prange
from libc.math cimport sqrt
from scipy.linalg.cython_blas cimport dsyrk

import numpy as np

from ._kernel_checks cimport check_shape

ctypedef Py_ssize_t intp_t

cdef enum:
    REDUCE_MIN = 0
    REDUCE_MAX = 1
    REDUCE_MEAN = 2

REDUCE_CODES = {"min": REDUCE_MIN, "max": REDUCE_MAX, "mean": REDUCE_MEAN}


cdef inline double _dmax(double a, double b) noexcept nogil:
    return a if a > b else b


cdef double _off_diagonal_sum(
    const double[::1] w, intp_t s0, intp_t s1, intp_t t0, intp_t t1, double gap,
) noexcept nogil:
    """Sum of max(w[i + 1 .. j]) over i in [s0, s1), j in [t0, t1), s1 <= t0.

    ``gap`` is max(w[s1 .. t0]). x_k, the row term for i = s1 - 1 - k, and y_c,
    the column term for j = t0 + c, both grow with k and c; for each x the
    columns with y <= x contribute x, the others their own y.
    """
    cdef:
        intp_t na = s1 - s0, nb = t1 - t0, k, c
        double x = 0.0, xv, y = 0.0, y_total = 0.0, y_below = 0.0, total = 0.0
    for c in range(nb):
        if c > 0 and w[t0 + c] > y:
            y = w[t0 + c]
        y_total += y
    c = 0
    y = 0.0
    for k in range(na):
        if k > 0 and w[s1 - k] > x:
            x = w[s1 - k]
        xv = _dmax(x, gap)
        while c < nb and y <= xv:
            y_below += y
            c += 1
            if c < nb and w[t0 + c] > y:
                y = w[t0 + c]
        total += xv * c + (y_total - y_below)
    return total


def ivat_block_image(
    const double[::1] cut_weights,  # IN (n,) cut weights in VAT order
    const intp_t[::1] edges,        # IN (m + 1,) block boundaries, 0 .. n, increasing
    int reduce,                     # IN one of REDUCE_CODES
    double[:, ::1] out,             # OUT (m, m) downsampled iVAT image
    int n_threads,                  # IN
):
    """Downsampled iVAT image: min, max or mean of each block of the image.

    Time O(n + m^2) for ``min`` and ``max``, O(n m) for ``mean``; extra
    memory O(n) (block maxima and the stack of the diagonal sums).
    """
    cdef:
        intp_t n = cut_weights.shape[0], m = edges.shape[0] - 1
        intp_t a, b, k, s0, s1, top, p
        double gap, f_sum, diag_sum
        # inner[a] = max(w[edges[a] + 1 .. edges[a + 1] - 1]), 0 if empty.
        double[::1] inner = np.zeros(m, dtype=np.float64)
        double[::1] f = np.empty(n, dtype=np.float64)
        intp_t[::1] stack = np.empty(n, dtype=np.intp)

    if reduce not in (REDUCE_MIN, REDUCE_MAX, REDUCE_MEAN):
        raise ValueError(f"reduce must be one of REDUCE_CODES' values; got {reduce}.")
    check_shape("out", (out.shape[0], out.shape[1]), (m, m))
    # Non-empty blocks from 0 to n: every read of cut_weights through edges
    # stays in bounds, and no mean divides by an empty block.
    for a in range(m):
        if not (edges[0] == 0 and edges[m] == n and edges[a] < edges[a + 1]):
            raise ValueError(
                f"edges must increase strictly from 0 to {n} (the number of cut weights)."
            )
    with nogil:
        for a in range(m):
            for k in range(edges[a] + 1, edges[a + 1]):
                if cut_weights[k] > inner[a]:
                    inner[a] = cut_weights[k]

        for a in prange(m, num_threads=n_threads, schedule="dynamic"):
            gap = 0.0
            for b in range(a + 1, m):
                # max(w[edges[a + 1] .. edges[b]]): grows by the inner maximum
                # of block b - 1 and the first weight of block b.
                if b > a + 1:
                    gap = _dmax(gap, inner[b - 1])
                gap = _dmax(gap, cut_weights[edges[b]])
                if reduce == REDUCE_MIN:
                    out[a, b] = gap
                elif reduce == REDUCE_MAX:
                    out[a, b] = _dmax(_dmax(inner[a], gap), inner[b])
                else:
                    out[a, b] = _off_diagonal_sum(
                        cut_weights, edges[a], edges[a + 1], edges[b],
                        edges[b + 1], gap,
                    ) / (<double> (edges[a + 1] - edges[a]) * (edges[b + 1] - edges[b]))
            if reduce != REDUCE_MEAN:
                # min and max cost O(1) a pixel: the row's left half comes from
                # the same gap seen from the pair's other end, max(w[edges[b +
                # 1] .. edges[a]]), so each thread writes only its own rows
                # (writing out[b, a] from row a made two threads share cache
                # lines: 2 threads were slower than 1).
                gap = 0.0
                for b in range(a - 1, -1, -1):
                    if b < a - 1:
                        gap = _dmax(gap, inner[b + 1])
                        gap = _dmax(gap, cut_weights[edges[b + 1]])
                    else:
                        gap = cut_weights[edges[a]]
                    out[a, b] = gap if reduce == REDUCE_MIN else _dmax(
                        _dmax(inner[b], gap), inner[a])
        if reduce == REDUCE_MEAN:
            # A mean pixel costs O(block sizes): mirrored, row by row.
            for a in prange(m, num_threads=n_threads, schedule="static"):
                for b in range(a):
                    out[a, b] = out[b, a]

        for a in range(m):
            s0 = edges[a]
            s1 = edges[a + 1]
            if reduce == REDUCE_MIN:
                out[a, a] = 0.0
            elif reduce == REDUCE_MAX:
                out[a, a] = inner[a]
            else:
                # Sum of the maxima of all sub-arrays of w[s0 + 1 .. s1 - 1]:
                # f[k] is the sum over the sub-arrays ending at k; the nearest
                # larger value to the left, p, bounds where w[k] is the maximum.
                diag_sum = 0.0
                top = 0
                for k in range(s0 + 1, s1):
                    while top > 0 and cut_weights[stack[top - 1]] <= cut_weights[k]:
                        top -= 1
                    if top > 0:
                        p = stack[top - 1]
                        f_sum = f[p] + cut_weights[k] * (k - p)
                    else:
                        f_sum = cut_weights[k] * (k - s0)
                    f[k] = f_sum
                    stack[top] = k
                    top += 1
                    diag_sum += f_sum
                out[a, a] = 2.0 * diag_sum / (<double> (s1 - s0) * (s1 - s0))


# Side of the square tiles of the image pass: a tile of the Gram matrix and its
# mirror (2 x 32 KB) stay in cache while they are read and written.
cdef intp_t IMAGE_TILE = 64


def euclidean_image(
    const double[:, ::1] X,         # IN (n_samples, n_features) rows in VAT order
    const double[::1] sq_norms,     # IN (n_samples,) squared row norms of X
    double[:, ::1] out,             # OUT (n_samples, n_samples) the VAT image
    bint squared,                   # IN squared distances (no square root)
    int n_threads,                  # IN threads of the pass (BLAS follows its own limits)
):
    """The Euclidean VAT image: distances between the rows of X, in place.

    The Gram matrix ``G = X X^T`` comes from one BLAS ``dsyrk`` straight into
    ``out`` (one triangle: half the flops of a product), then one pass over
    square tiles turns each upper entry into ``sqrt(max(-2 G[i, j] +
    sq_norms[i] + sq_norms[j], 0))``, in that order of operations, as
    scikit-learn's ``euclidean_distances`` computes it, and writes it to both
    triangles; the diagonal is 0. The image is exactly symmetric.

    Time O(n^2 d) in the BLAS call plus O(n^2); peak memory: the output alone,
    8 n^2 bytes, as ``pairwise_distances`` (numpy elides its temporaries),
    which takes six passes over it where this takes one.
    """
    cdef:
        int n = X.shape[0], d = X.shape[1], lda = max(d, 1), ldc = max(n, 1)
        char uplo = b'L'
        char trans = b'T'
        double alpha = 1.0, beta = 0.0, v
        intp_t n_tiles = (n + IMAGE_TILE - 1) // IMAGE_TILE, ti, tj, i, j, j0
    check_shape("sq_norms", (sq_norms.shape[0],), (n,))
    check_shape("out", (out.shape[0], out.shape[1]), (n, n))
    if n == 0:
        return
    with nogil:
        # BLAS is column-major: out holds C = A^T A for the d x n matrix A whose
        # columns are our rows, and C's lower triangle is our upper one (j >= i).
        # beta = 0: the uninitialised output is never read.
        dsyrk(&uplo, &trans, &n, &d, &alpha, <double*> &X[0, 0], &lda, &beta,
              &out[0, 0], &ldc)
        for ti in prange(n_tiles, num_threads=n_threads, schedule="dynamic"):
            for tj in range(ti, n_tiles):
                for i in range(ti * IMAGE_TILE, min((ti + 1) * IMAGE_TILE, n)):
                    j0 = max(tj * IMAGE_TILE, i)
                    for j in range(j0, min((tj + 1) * IMAGE_TILE, n)):
                        # Only upper entries are read, and a lower entry is
                        # written only once its upper twin has been read.
                        if j == i:
                            v = 0.0
                        else:
                            v = -2.0 * out[i, j]
                            v = v + sq_norms[i]
                            v = v + sq_norms[j]
                            if v < 0.0:
                                v = 0.0
                            if not squared:
                                v = sqrt(v)
                        out[i, j] = v
                        out[j, i] = v
