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
  No extra pass over X either way.

Bit-for-bit agreement with scikit-learn's ``lloyd_iter_chunked_dense``
(1.9.1): each GEMM call covers one of its 256-row chunks (see
:func:`default_chunk_rows`), so the distances are its bits. Its centre sums are sequential over the rows
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

# scikit-learn's CHUNK_SIZE: the unit of its static split of rows among threads.
# Our centre sums follow the same split (see the module docstring).
cdef enum:
    SKLEARN_CHUNK = 256


# The loops of the assignment step that follow each GEMM call, in C so that
# the compiler sees restrict pointers and the constant widths below.
cdef extern from *:
    """
    #include <stddef.h>
    #include <string.h>
    #if defined(__GNUC__)
    #define SKT_INLINE static inline __attribute__((always_inline))
    #else
    #define SKT_INLINE static inline
    #endif
    #if defined(__GNUC__)
    #define SKT_NOINLINE static __attribute__((noinline))
    #else
    #define SKT_NOINLINE static
    #endif
    /* The argmin of a row of many distances, two passes over
       the row in SSE2 (x86-64's baseline): the minimum, by independent
       running minima (a scalar scan is one long chain of dependent compares),
       then the first index holding it, by a bit mask. The answer is the
       strict-< scan's, bit for bit: the same minimum value (min is exact),
       and the scan keeps the first index reaching it. NaNs are skipped as
       the scan skips them (_mm_min returns its second operand, the running
       minimum, when the new value is NaN), except a NaN first distance,
       which keeps label 0 in the scan: handled by falling back to it. */
    /* From this many clusters on (measured on AMD Zen 5, k = 50: 6% less
       time per fit in float64, 9% in float32); at k = 8 to 16 the scalar scan
       was as fast, and in float32 the threshold 16 made the k = 8 fits
       slower, for reasons not found (the two-pass code was not run there). */
    #define SKT_SIMD_MIN_K 32
    #if defined(__SSE2__) || defined(_M_X64)
    #include <emmintrin.h>
    #define SKT_HAVE_SIMD 1
    static inline int skt_ctz64(unsigned long long v) {
    #if defined(__GNUC__)
        return __builtin_ctzll(v);
    #else
        int n = 0; while (!(v & 1)) { v >>= 1; n++; } return n;
    #endif
    }
    /* The first index of the row holding m (which it holds: m is its
       minimum), by a bit mask over blocks of 64 entries. */
    #define SKT_FIRST_INDEX(T, S, V, W, SET1, LOADU, CMPEQ, MOVEMASK)             \\
    static inline int skt_first_index_##S(const T *restrict di, int k, T m) {  \\
        V mm = SET1(m);                                                          \\
        int base = 0, j;                                                         \\
        for (;;) {                                                               \\
            unsigned long long mask = 0;                                         \\
            int end = base + 64 < k ? base + 64 : k;                             \\
            for (j = base; j + W <= end; j += W)                                 \\
                mask |= (unsigned long long)MOVEMASK(                            \\
                    CMPEQ(LOADU(di + j), mm)) << (j - base);                     \\
            for (; j < end; j++)                                                 \\
                if (di[j] == m) mask |= 1ULL << (j - base);                      \\
            if (mask) return base + skt_ctz64(mask);                             \\
            base = end;                                                          \\
        }                                                                        \\
    }
    SKT_FIRST_INDEX(double, d, __m128d, 2, _mm_set1_pd, _mm_loadu_pd, _mm_cmpeq_pd, _mm_movemask_pd)
    SKT_FIRST_INDEX(float, f, __m128, 4, _mm_set1_ps, _mm_loadu_ps, _mm_cmpeq_ps, _mm_movemask_ps)
    static inline int skt_argmin_simd_d(const double *restrict di, int k, double *best) {
        __m128d a0 = _mm_set1_pd(di[0]), a1 = a0;
        int j = 0;
        double m, m1;
        for (; j + 4 <= k; j += 4) {
            a0 = _mm_min_pd(_mm_loadu_pd(di + j), a0);
            a1 = _mm_min_pd(_mm_loadu_pd(di + j + 2), a1);
        }
        a0 = _mm_min_pd(a1, a0);
        m = _mm_cvtsd_f64(a0);
        m1 = _mm_cvtsd_f64(_mm_unpackhi_pd(a0, a0));
        m = m1 < m ? m1 : m;
        for (; j < k; j++) m = di[j] < m ? di[j] : m;
        if (m != m) { *best = di[0]; return 0; }
        *best = m;
        return skt_first_index_d(di, k, m);
    }
    static inline int skt_argmin_simd_f(const float *restrict di, int k, float *best) {
        __m128 a0 = _mm_set1_ps(di[0]), a1 = a0;
        int j = 0;
        float m, t;
        for (; j + 8 <= k; j += 8) {
            a0 = _mm_min_ps(_mm_loadu_ps(di + j), a0);
            a1 = _mm_min_ps(_mm_loadu_ps(di + j + 4), a1);
        }
        a0 = _mm_min_ps(a1, a0);
        a1 = _mm_movehl_ps(a0, a0);
        a0 = _mm_min_ps(a1, a0);
        a1 = _mm_shuffle_ps(a0, a0, 1);
        a0 = _mm_min_ss(a1, a0);
        m = _mm_cvtss_f32(a0);
        for (; j < k; j++) { t = di[j]; m = t < m ? t : m; }
        if (m != m) { *best = di[0]; return 0; }
        *best = m;
        return skt_first_index_f(di, k, m);
    }
    #else
    #define SKT_HAVE_SIMD 0
    static inline int skt_argmin_simd_d(const double *di, int k, double *best) { return 0; }
    static inline int skt_argmin_simd_f(const float *di, int k, float *best) { return 0; }
    #endif
    /* s += x and s += x * w over one row, in SSE2 where it fits: the same
       IEEE operations per entry as the scalar loop (no FMA: the product is
       rounded, then added, as in scikit-learn's loop), so the same bits.
       Written out because GCC 12, given the flags below as constants, left
       the scalar loop unvectorised and spilled registers around it (30%
       slower at d = k = 8). */
    #define SKT_ADD_ROWS(T, S, V, W, LOAD, STORE, ADD, MUL, SET1)                \\
    static inline void skt_add_row_##S(T *restrict s, const T *restrict x, int d) { \\
        int t = 0;                                                               \\
        for (; t + W <= d; t += W) STORE(s + t, ADD(LOAD(s + t), LOAD(x + t)));  \\
        for (; t < d; t++) s[t] += x[t];                                         \\
    }                                                                            \\
    static inline void skt_add_row_w_##S(T *restrict s, const T *restrict x,     \\
                                         T w, int d) {                           \\
        int t = 0;                                                               \\
        V vw = SET1(w);                                                          \\
        for (; t + W <= d; t += W)                                               \\
            STORE(s + t, ADD(LOAD(s + t), MUL(LOAD(x + t), vw)));                \\
        for (; t < d; t++) s[t] += x[t] * w;                                     \\
    }
    #if SKT_HAVE_SIMD
    SKT_ADD_ROWS(float, f, __m128, 4, _mm_loadu_ps, _mm_storeu_ps, _mm_add_ps, _mm_mul_ps, _mm_set1_ps)
    SKT_ADD_ROWS(double, d, __m128d, 2, _mm_loadu_pd, _mm_storeu_pd, _mm_add_pd, _mm_mul_pd, _mm_set1_pd)
    #else
    /* "Vectors" of one entry: the scalar loop. */
    #define SKT_LOAD1(p) (*(p))
    #define SKT_STORE1(p, v) (*(p) = (v))
    #define SKT_ADD1(a, b) ((a) + (b))
    #define SKT_MUL1(a, b) ((a) * (b))
    #define SKT_SET1(a) (a)
    SKT_ADD_ROWS(float, f, float, 1, SKT_LOAD1, SKT_STORE1, SKT_ADD1, SKT_MUL1, SKT_SET1)
    SKT_ADD_ROWS(double, d, double, 1, SKT_LOAD1, SKT_STORE1, SKT_ADD1, SKT_MUL1, SKT_SET1)
    #endif
    /* One pass over a chunk whose distances D (nr x k) are hot in cache:       \\
       per row, the argmin (first of equals, as scikit-learn's strict <),       \\
       the label and whether it changed, the objective term w * min and the     \\
       row added to its cluster's sums. Each cluster's sums stay sequential     \\
       in row order: the same bits as scikit-learn's. ARGMIN sets l and b. */   \\
    #define SKT_ROWS_FN(T, S, QUAL, NAME, ARGMIN)                                \\
    QUAL void NAME(                                                             \\
            const T *restrict D, int nr, int k, int d, const T *restrict X,     \\
            const T *restrict w, int *restrict labels, T *restrict sums,        \\
            T *restrict weights, int update, int unit, int want_obj,            \\
            double *obj, ptrdiff_t *changed) {                                  \\
        double o = 0.0;                                                         \\
        ptrdiff_t ch = 0;                                                       \\
        for (int i = 0; i < nr; i++) {                                          \\
            const T *restrict di = D + (ptrdiff_t)i * k;                        \\
            T b = di[0];                                                        \\
            int l = 0;                                                          \\
            ARGMIN                                                              \\
            ch += labels[i] != l;                                               \\
            labels[i] = l;                                                      \\
            /* (double)1 * b == b: no load of w for unit weights */             \\
            if (want_obj) o += unit ? (double)b : (double)w[i] * (double)b;     \\
            if (update) {                                                       \\
                const T *restrict x = X + (ptrdiff_t)i * d;                     \\
                T *restrict s = sums + (ptrdiff_t)l * d;                        \\
                if (unit) {                                                     \\
                    /* x * 1 == x exactly: the bits of the weighted sum */      \\
                    weights[l] += 1;                                            \\
                    skt_add_row_##S(s, x, d);                                   \\
                } else {                                                        \\
                    T wi = w[i];                                                \\
                    weights[l] += wi;                                           \\
                    skt_add_row_w_##S(s, x, wi, d);                             \\
                }                                                               \\
            }                                                                   \\
        }                                                                       \\
        *obj += o;                                                              \\
        *changed += ch;                                                         \\
    }
    #define SKT_WIDTHS(S, UPD, UNIT, OBJ)                                        \\
        switch (d) {                                                             \\
        case 2: skt_rows_body_##S(D, nr, k, 2, X, w, labels, sums, weights,     \\
                    UPD, UNIT, OBJ, obj, changed); break;                        \\
        case 8: skt_rows_body_##S(D, nr, k, 8, X, w, labels, sums, weights,     \\
                    UPD, UNIT, OBJ, obj, changed); break;                        \\
        case 16: skt_rows_body_##S(D, nr, k, 16, X, w, labels, sums, weights,   \\
                    UPD, UNIT, OBJ, obj, changed); break;                        \\
        case 32: skt_rows_body_##S(D, nr, k, 32, X, w, labels, sums, weights,   \\
                    UPD, UNIT, OBJ, obj, changed); break;                        \\
        case 64: skt_rows_body_##S(D, nr, k, 64, X, w, labels, sums, weights,   \\
                    UPD, UNIT, OBJ, obj, changed); break;                        \\
        default: skt_rows_body_##S(D, nr, k, d, X, w, labels, sums, weights,    \\
                    UPD, UNIT, OBJ, obj, changed);                               \\
        }
    #define SKT_DEFINE(T, S)                                                     \\
    /* every row of D (nr x k) = cn: one row, then doubling copies (memcpy    \\
       is much faster than a loop of k stores per row for small k) */        \\
    static void skt_fill_rows_##S(T *D, const T *cn, int nr, int k) {           \\
        size_t row = (size_t)k * sizeof(T), done = 1, total = (size_t)nr;       \\
        if (nr <= 0) return;                                                     \\
        memcpy(D, cn, row);                                                      \\
        while (done < total) {                                                   \\
            size_t m = done < total - done ? done : total - done;                \\
            memcpy((char *)D + done * row, D, m * row);                          \\
            done += m;                                                           \\
        }                                                                        \\
    }                                                                            \\
    /* The scalar scan, and the two-pass argmin for rows of many distances. */  \\
    SKT_ROWS_FN(T, S, SKT_INLINE, skt_rows_body_##S,                               \\
    /* conditional moves: the nearest centre is unpredictable */                \\
        for (int j = 1; j < k; j++) { l = di[j] < b ? j : l; b = di[j] < b ? di[j] : b; })\\
    SKT_ROWS_FN(T, S, SKT_NOINLINE, skt_rows_simd_##S,                             \\
        l = skt_argmin_simd_##S(di, k, &b);)                                    \\
    /* Constant small widths let the compiler unroll the per-row loops, */    \\
    /* whose loop overhead otherwise costs as much as their work.         */  \\
    static void skt_rows_##S(                                                    \\
            const T *D, int nr, int k, int d, const T *X, const T *w,            \\
            int *labels, T *sums, T *weights, int update, int unit,              \\
            int want_obj, double *obj, ptrdiff_t *changed) {                     \\
        /* The flags of a Lloyd pass as constants too: the row loop runs  */  \\
        /* at the rate its instructions issue, and testing the flags per  */  \\
        /* row made recording the objective (two instructions) cost 2-3%  */  \\
        /* of a float32 fit instead of 1% (measured at n = 10^6, d = k = 8). */ \\
        if (!update) SKT_WIDTHS(S, 0, unit, want_obj)                           \\
        else if (unit) {                                                        \\
            if (want_obj) SKT_WIDTHS(S, 1, 1, 1) else SKT_WIDTHS(S, 1, 1, 0)    \\
        } else {                                                                \\
            if (want_obj) SKT_WIDTHS(S, 1, 0, 1) else SKT_WIDTHS(S, 1, 0, 0)    \\
        }                                                                       \\
    }
    SKT_DEFINE(float, f)
    SKT_DEFINE(double, d)
    /* out = x - mean for one row, and ||out||^2 in double. The reduction is
       vectorised (its order is free: only the objective's constant uses it);
       a sequential sum was a chain of d dependent adds per row, the slowest
       part of the pass. The subtraction is numpy's, entry by entry. */
    #define SKT_CENTRE(T, S)                                                     \\
    static double skt_centre_row_##S(const T *restrict x, const T *restrict mean, \\
                                     T *restrict out, int d) {                   \\
        double r = 0.0;                                                          \\
        for (int f = 0; f < d; f++) out[f] = x[f] - mean[f];                     \\
        _Pragma("omp simd reduction(+:r)")                                       \\
        for (int f = 0; f < d; f++) r += (double)out[f] * (double)out[f];        \\
        return r;                                                                \\
    }
    SKT_CENTRE(float, f)
    SKT_CENTRE(double, d)
    /* Whether rows of k distances take the two-pass argmin: decided by the
       caller, once per pass, so that the row loops hold no such test. */
    static int skt_simd_rows_d(int k) { return SKT_HAVE_SIMD && k >= SKT_SIMD_MIN_K; }
    static int skt_simd_rows_f(int k) { return SKT_HAVE_SIMD && k >= SKT_SIMD_MIN_K; }
    """
    void skt_fill_rows_f(float *D, const float *cn, int nr, int k) noexcept nogil
    void skt_fill_rows_d(double *D, const double *cn, int nr, int k) noexcept nogil
    void skt_rows_f(const float *D, int nr, int k, int d, const float *X, const float *w,
                    int *labels, float *sums, float *weights, bint update, bint unit,
                    bint want_obj, double *obj, Py_ssize_t *changed) noexcept nogil
    void skt_rows_d(const double *D, int nr, int k, int d, const double *X, const double *w,
                    int *labels, double *sums, double *weights, bint update, bint unit,
                    bint want_obj, double *obj, Py_ssize_t *changed) noexcept nogil
    void skt_rows_simd_f(const float *D, int nr, int k, int d, const float *X, const float *w,
                         int *labels, float *sums, float *weights, bint update, bint unit,
                         bint want_obj, double *obj, Py_ssize_t *changed) noexcept nogil
    void skt_rows_simd_d(const double *D, int nr, int k, int d, const double *X, const double *w,
                         int *labels, double *sums, double *weights, bint update, bint unit,
                         bint want_obj, double *obj, Py_ssize_t *changed) noexcept nogil
    bint skt_simd_rows_f(int k) noexcept nogil
    double skt_centre_row_f(const float *x, const float *mean, float *out, int d) noexcept nogil
    double skt_centre_row_d(const double *x, const double *mean, double *out, int d) noexcept nogil
    bint skt_simd_rows_d(int k) noexcept nogil

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
        int i
        int n = n_features // 4
        int rem = n_features % 4
        floating result = 0
    for i in range(n):
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
    int chunk_rows,                  # IN rows per GEMM call
    int n_clusters,
    int n_features,
    floating *dist,                  # SCRATCH (chunk_rows, n_clusters)
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
        bint simd = skt_simd_rows_f(n_clusters) if floating is float else skt_simd_rows_d(n_clusters)

    if update_centers:
        memset(sums, 0, n_clusters * n_features * sizeof(floating))
        memset(weights, 0, n_clusters * sizeof(floating))

    c0 = start
    while c0 < end:
        nr = <int> min(<Py_ssize_t> chunk_rows, end - c0)
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
            if simd:
                skt_rows_simd_f(dist, nr, n_clusters, n_features, X + c0 * n_features,
                                sample_weight + c0, labels + c0, sums, weights,
                                update_centers, unit_weights, objective_mode == 1, &obj, &changed)
            else:
                skt_rows_f(dist, nr, n_clusters, n_features, X + c0 * n_features,
                           sample_weight + c0, labels + c0, sums, weights,
                           update_centers, unit_weights, objective_mode == 1, &obj, &changed)
        else:
            if simd:
                skt_rows_simd_d(dist, nr, n_clusters, n_features, X + c0 * n_features,
                                sample_weight + c0, labels + c0, sums, weights,
                                update_centers, unit_weights, objective_mode == 1, &obj, &changed)
            else:
                skt_rows_d(dist, nr, n_clusters, n_features, X + c0 * n_features,
                           sample_weight + c0, labels + c0, sums, weights,
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
        int n_features, n_clusters, n_threads, chunk_rows
        bint parallel
        Py_ssize_t[::1] row_start
        object sums, weights, objectives, changes, dist

    def __init__(self, Py_ssize_t n_samples, int n_features, int n_clusters,
                 int n_threads, int chunk_rows, dtype):
        cdef Py_ssize_t n_chunks = max(1, (n_samples + SKLEARN_CHUNK - 1) // SKLEARN_CHUNK)
        cdef int t, q, r
        self.n_samples = n_samples
        self.n_features = n_features
        self.n_clusters = n_clusters
        self.n_threads = <int> max(1, min(n_threads, n_chunks))
        self.chunk_rows = chunk_rows
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
        self.dist = _padded_rows(self.n_threads, chunk_rows * n_clusters, dtype)


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
        int n_clusters = ws.n_clusters
        int n_features = ws.n_features
        int t, j, f
        double obj = 0.0, dot
        Py_ssize_t changed = 0
        bint by_clusters = floating is double and update_centers and objective_mode == 1
        int row_mode = 0 if by_clusters else objective_mode

    with nogil:
        if ws.parallel:
            for t in prange(n_threads, schedule="static", num_threads=n_threads):
                _assign_rows(
                    &X[0, 0], &sample_weight[0], &centers[0, 0], &centers_sq[0],
                    &labels[0], row_start[t], row_start[t + 1], ws.chunk_rows,
                    n_clusters, n_features, &dist[t, 0],
                    &sums[t, 0], &weights[t, 0],
                    &objectives[t], &changes[t], update_centers, unit_weights,
                    row_mode,
                )
        else:
            for t in range(n_threads):
                _assign_rows(
                    &X[0, 0], &sample_weight[0], &centers[0, 0], &centers_sq[0],
                    &labels[0], row_start[t], row_start[t + 1], ws.chunk_rows,
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


def default_chunk_rows(int n_features, int n_clusters, int itemsize):
    """Rows per GEMM call: scikit-learn's 256, whatever the shape.

    Every GEMM call then covers exactly one of scikit-learn's chunks, so the
    distances are its bits without relying on BLAS giving the same bits for
    any number of rows: with 1024-row float32 chunks (the former default for
    n_features = n_clusters = 8) on two threads, one 200000-sample run ended
    on labels different from scikit-learn's, and 256 rows were as fast as or
    faster than any larger size for every benchmark shape (1M x 8, k = 8,
    float64: 512 rows took 7% longer).
    """
    return SKLEARN_CHUNK


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
    int chunk_rows=0,
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
    chunk_rows : int, default=0
        Rows per GEMM call; 0 picks :func:`default_chunk_rows`.
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
    ``chunk_rows x n_clusters`` distances and ``n_clusters x (n_features + 1)``
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

    dtype = np.float32 if floating is float else np.float64
    _check_shapes(X.shape[0], X.shape[1], sample_weight.shape[0], centers_init.shape[1])
    if chunk_rows <= 0:
        chunk_rows = default_chunk_rows(n_features, n_clusters, np.dtype(dtype).itemsize)
    ws = _Workspace(n_samples, n_features, n_clusters, n_threads, chunk_rows, dtype)
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


def _check_shapes(Py_ssize_t n_samples, Py_ssize_t n_features, Py_ssize_t n_weights,
                  Py_ssize_t n_center_features):
    # The kernels read rows of X and of the centres by these widths.
    if n_weights != n_samples:
        raise ValueError(f"sample_weight has {n_weights} entries for {n_samples} samples.")
    if n_center_features != n_features:
        raise ValueError(
            f"The centres have {n_center_features} features, X has {n_features}."
        )


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
    dtype = np.float32 if floating is float else np.float64
    _check_shapes(X.shape[0], X.shape[1], sample_weight.shape[0], centers.shape[1])
    labels_np = np.full(n_samples, -1, dtype=np.int32)
    if n_samples == 0:
        return labels_np, 0.0
    ws = _Workspace(n_samples, n_features, n_clusters, n_threads,
                    default_chunk_rows(n_features, n_clusters, np.dtype(dtype).itemsize), dtype)
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
        int n_features = X.shape[1], f
        double total = 0.0, row
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
