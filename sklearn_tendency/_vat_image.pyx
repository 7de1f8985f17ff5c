"""Cython kernels of the VAT and iVAT images.

:func:`euclidean_image` computes the Euclidean VAT image (the distance matrix
in VAT order) in bands of rows, a BLAS product and a fused pass per block; the
rest of this module computes the downsampled iVAT image.

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

from cpython.exc cimport PyErr_CheckSignals
from cython.parallel cimport prange
from libc.math cimport sqrt
from scipy.linalg.cython_blas cimport dgemm

import numpy as np

from ._distances cimport METRIC_SQEUCLIDEAN, pair_distance
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
        intp_t a, b, k, s0, s1, top, p, a0, a1
        # Rows of pixels between two checks for Ctrl-C: about 2**22 operations
        # (a row of "mean" pixels costs O(n + m), of "min"/"max" O(m)).
        intp_t group = max(n_threads, (1 << 22) // (m + (n if reduce == REDUCE_MEAN else 0)))
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

        a0 = 0
        while a0 < m:
            a1 = min(a0 + group, m)
            for a in prange(a0, a1, num_threads=n_threads, schedule="dynamic"):
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
            a0 = a1
            with gil:
                PyErr_CheckSignals()

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


cdef enum:
    # Side of the square tiles of the image pass: a tile of the Gram matrix and
    # its mirror (2 x 32 KB) stay in cache while they are read and written.
    IMAGE_TILE = 64
    # Columns of one task of a band: its Gram block (band rows x IMAGE_BLOCK)
    # is turned into distances while it is still in cache.
    IMAGE_BLOCK = 256
    # Doubles in a 4 KB page, and doubles of the output faulted in between two
    # checks for Ctrl-C (a multiple of it).
    PAGE_DOUBLES = 512
    PREFAULT_CHUNK = 1 << 24
# Multiply-adds and entries of one band: tens of ms on one core, the longest
# stretch without a check for Ctrl-C (fewer, longer bands wait less at their
# ends for a thread the system has descheduled).
cdef intp_t BAND_WORK = 1 << 27
cdef intp_t BAND_ENTRIES = 1 << 23
# Relative accuracy every entry of the image is guaranteed (doc/user_guide/
# algorithms.rst, section algo-vat-image): a Gram value whose rounding error
# bound exceeds TAU times itself is recomputed from differences.
cdef double TAU = 2.0 ** -30
# Below this, products may have underflowed: recomputed whatever the bound.
cdef double TINY = 2.0 ** -960


cdef inline bint _same_row(const double[:, ::1] X, intp_t i, intp_t j) noexcept nogil:
    """Whether rows i and j are equal: their ``pair_distance`` is then +0 exactly.

    Data with repeated rows recompute many such pairs; comparing stops at the
    first difference and has no chain of dependent additions (a sum over 64
    features made the image 8x slower with half the pairs duplicates).
    """
    cdef intp_t k
    for k in range(X.shape[1]):
        if X[i, k] != X[j, k]:
            return False
    return True


cdef void _gram_to_distances(
    const double[:, ::1] X,         # IN (n, d) rows in VAT order
    const double[::1] sq_norms,     # IN (n,) squared norms of the translated rows
    const double[::1] sq_cut_weights,  # IN (n,) squared cut weights in VAT order
    double[:, ::1] out,             # INOUT Gram block in, distances out (both triangles)
    intp_t i0, intp_t i1, intp_t j0, intp_t j1,
    double c, double k_rel, bint squared,
) noexcept nogil:
    """Rows [i0, i1) x columns [j0, j1), upper entries only, tile by tile.

    ``v = -2 G + |r_i|^2 + |r_j|^2`` is off the exact squared distance by at
    most ``c s``, ``s = |r_i|^2 + |r_j|^2``; it is recomputed from differences
    (``pair_distance``, the bits the order computed) when that bound could
    exceed ``TAU v`` (``v <= k_rel s``), or when the entry could be column j's
    cut weight (``v <= w_j^2 + c (w_j^2 + s)``), or when v is not finite.
    """
    cdef:
        intp_t ti, tj, i, j, jj0
        double v, s, w2, thr
    ti = i0
    while ti < i1:
        tj = j0
        while tj < j1:
            for i in range(ti, min(ti + IMAGE_TILE, i1)):
                jj0 = max(tj, i)
                for j in range(jj0, min(tj + IMAGE_TILE, j1)):
                    # Only upper entries are read, and a lower entry is
                    # written only once its upper twin has been read.
                    if j == i:
                        v = 0.0
                    else:
                        v = -2.0 * out[i, j]
                        v = v + sq_norms[i]
                        v = v + sq_norms[j]
                        s = sq_norms[i] + sq_norms[j]
                        w2 = sq_cut_weights[j]
                        thr = w2 + c * (w2 + s)
                        if k_rel * s > thr:
                            thr = k_rel * s
                        if TINY > thr:
                            thr = TINY
                        if not v > thr:
                            if _same_row(X, i, j):
                                v = 0.0
                            else:
                                v = pair_distance(X, i, j, METRIC_SQEUCLIDEAN)
                        if not squared:
                            v = sqrt(v)
                    out[i, j] = v
                    out[j, i] = v
            tj = tj + IMAGE_TILE
        ti = ti + IMAGE_TILE


def euclidean_image(
    const double[:, ::1] X,         # IN (n_samples, n_features) rows in VAT order
    const double[:, ::1] R,         # IN (n_samples, n_features) X minus a reference point
    const double[::1] sq_norms,     # IN (n_samples,) squared row norms of R
    const double[::1] sq_cut_weights,  # IN (n_samples,) squared cut weights in VAT order
    double[:, ::1] out,             # OUT (n_samples, n_samples) the VAT image
    bint squared,                   # IN squared distances (no square root)
    int n_threads,                  # IN threads (BLAS must be limited to one)
):
    """The Euclidean VAT image: distances between the rows of X, in place.

    The Gram matrix of the translated rows R (any reference point preserves
    the differences, and near the data it keeps the norms, hence the
    cancellation of the formula below, small) is computed in bands of rows,
    one ``dgemm`` per block of ``IMAGE_BLOCK`` columns straight into ``out``,
    each block turned at once into ``-2 G[i, j] + sq_norms[i] + sq_norms[j]``
    (in that order of operations, as scikit-learn's ``euclidean_distances``),
    its square root unless ``squared``, and written to both triangles. An entry
    whose rounding error bound is not below ``TAU`` times itself, or that could
    be its column's cut weight, is recomputed from the differences of X
    (``pair_distance``, the same bits as the order's): every entry is within a
    relative ``TAU = 2**-30`` of the exact distance, the path entries equal
    the cut weights bit for bit, and duplicates are exactly 0
    (doc/user_guide/algorithms.rst, section algo-vat-image). The image is
    exactly symmetric with a zero diagonal. Ctrl-C is answered between bands
    (at most 2**27 multiply-adds and 2**23 entries each, or one tile of rows).

    Time O(n^2 d) in BLAS plus O(n^2), plus O(d) per recomputed entry (few
    on data without many near-duplicates); peak memory: the output alone, 8
    n^2 bytes, besides the inputs (O(n d)).
    """
    cdef:
        int n = X.shape[0], d = X.shape[1], lda = max(d, 1), ldc = max(n, 1)
        int m_blk, n_blk
        char trans_a = b'T'
        char trans_b = b'N'
        double alpha = 1.0, beta = 0.0
        # |v - exact| <= c s / 2 (algo-vat-image); c carries a factor 2 margin.
        double c = 4.0 * (d + 4) * 2.0 ** -53
        double k_rel = c / TAU
        intp_t band, i0, i1, j0, j1, r1, b, n_blocks, total, k0, k1, k
        double* flat
    check_shape("R", (R.shape[0], R.shape[1]), (n, d))
    check_shape("sq_norms", (sq_norms.shape[0],), (n,))
    check_shape("sq_cut_weights", (sq_cut_weights.shape[0],), (n,))
    check_shape("out", (out.shape[0], out.shape[1]), (n, n))
    if n == 0:
        return
    # Rows of a band: a multiple of the tile side, at least one tile, with at
    # most BAND_WORK multiply-adds and BAND_ENTRIES entries.
    band = min(BAND_WORK // (<intp_t> n * max(d, 1)), BAND_ENTRIES // n) // IMAGE_TILE
    band = max(band, 1) * IMAGE_TILE
    with nogil:
        # First touch of the output, one store per 4 KB page, in chunks
        # between checks for Ctrl-C. The bands' mirror writes reach every row
        # from the first band on, so with transparent huge pages the first
        # band would otherwise fault in (and the system zero) the whole image
        # in one stretch: measured, 7 s at n = 16000 before Ctrl-C was seen.
        flat = &out[0, 0]
        total = <intp_t> n * n
        k0 = 0
        while k0 < total:
            k1 = min(k0 + PREFAULT_CHUNK, total)
            for k in prange((k1 - k0 + PAGE_DOUBLES - 1) // PAGE_DOUBLES,
                            num_threads=n_threads, schedule="static"):
                flat[k0 + k * PAGE_DOUBLES] = 0.0
            k0 = k1
            with gil:
                PyErr_CheckSignals()
        i0 = 0
        while i0 < n:
            i1 = min(i0 + band, n)
            # Task b: the columns [j0, j1) = [i0 + b IMAGE_BLOCK, ...) of the
            # band's rows up to j1 (the rest of them are lower entries there).
            # Its BLAS call writes only those, and its pass those and their
            # mirrors, rows in [j0, j1) at columns below j1: no two tasks
            # touch one entry.
            n_blocks = (n - i0 + IMAGE_BLOCK - 1) // IMAGE_BLOCK
            for b in prange(n_blocks, num_threads=n_threads, schedule="dynamic"):
                j0 = i0 + b * IMAGE_BLOCK
                j1 = min(j0 + IMAGE_BLOCK, n)
                r1 = min(i1, j1)
                # BLAS is column-major: at &out[i0, j0] (ldc = n) it sees the
                # (j1 - j0) x (r1 - i0) matrix C[r, q] = out[i0 + q, j0 + r],
                # C = A^T B with A, B the d x m column-major views of R's rows
                # j0.. and i0... Where the block meets the diagonal it also
                # fills lower entries, which the pass then overwrites with
                # their mirror. beta = 0: the uninitialised output is never read.
                m_blk = <int> (j1 - j0)
                n_blk = <int> (r1 - i0)
                dgemm(&trans_a, &trans_b, &m_blk, &n_blk, &d, &alpha,
                      <double*> &R[j0, 0], &lda, <double*> &R[i0, 0], &lda,
                      &beta, &out[i0, j0], &ldc)
                _gram_to_distances(X, sq_norms, sq_cut_weights, out, i0, r1, j0, j1,
                                   c, k_rel, squared)
            i0 = i1
            with gil:
                PyErr_CheckSignals()
