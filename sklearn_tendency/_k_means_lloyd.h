/* The loops of the Lloyd assignment step that follow each GEMM call
 * (_k_means_lloyd.pyx), in C so that the compiler sees restrict pointers and
 * constant widths.
 *
 * Portability: GCC, clang and MSVC; x86 with SSE2 (every x86-64) gets the
 * vector paths below, any other target the scalar loops, with the same bits
 * (the vector code performs the same IEEE operations per entry, see below).
 */
#ifndef SKT_K_MEANS_LLOYD_H
#define SKT_K_MEANS_LLOYD_H

#include <stddef.h>
#include <string.h>

#if defined(_MSC_VER)
#define SKT_RESTRICT __restrict
#define SKT_INLINE static __forceinline
#define SKT_NOINLINE static __declspec(noinline)
#elif defined(__GNUC__)
#define SKT_RESTRICT __restrict__
#define SKT_INLINE static inline __attribute__((always_inline))
#define SKT_NOINLINE static __attribute__((noinline, unused))
#else
#define SKT_RESTRICT restrict
#define SKT_INLINE static inline
#define SKT_NOINLINE static inline
#endif

/* "#pragma omp simd" inside a macro: OpenMP 4.0 or later (GCC, clang);
 * MSVC's OpenMP 2.0 has no simd construct, and without OpenMP the loop
 * stays sequential. */
#if defined(_OPENMP) && _OPENMP >= 201307
#define SKT_OMP_SIMD_SUM(r) _Pragma("omp simd reduction(+:r)")
#else
#define SKT_OMP_SIMD_SUM(r)
#endif

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#include <emmintrin.h>
#define SKT_HAVE_SSE2 1
#else
#define SKT_HAVE_SSE2 0
#endif

/* The argmin of a row of many distances, two passes over the row in SSE2
   (x86-64's baseline): the minimum, by independent running minima (a scalar
   scan is one long chain of dependent compares), then the first index
   holding it, by a bit mask. The answer is the strict-< scan's, bit for bit:
   the same minimum value (min is exact), and the scan keeps the first index
   reaching it. NaNs are skipped as the scan skips them (_mm_min returns its
   second operand, the running minimum, when the new value is NaN), except a
   NaN first distance, which keeps label 0 in the scan: handled by falling
   back to it.
   From this many clusters on (measured on AMD Zen 5, k = 50: 6% less time
   per fit in float64, 9% in float32; measured again with GCC 12, CPU time of
   10 iterations on one thread, n = 1e5, d = 8, k = 50: 66.5 vs 71.3 ms in
   float64 (7% less), 36.8 vs 50.1 ms in float32 (27% less) than the scalar
   scan); at k = 8 to 16 the scalar scan was as fast, and in float32 the
   threshold 16 made the k = 8 fits slower, for reasons not found (the
   two-pass code was not run there). */
#define SKT_SIMD_MIN_K 32

#if SKT_HAVE_SSE2
SKT_INLINE int skt_ctz64(unsigned long long v) {
#if defined(__GNUC__)
    return __builtin_ctzll(v);
#else
    int n = 0;
    while (!(v & 1)) {
        v >>= 1;
        n++;
    }
    return n;
#endif
}

/* The first index of the row holding m (which it holds: m is its minimum),
   by a bit mask over blocks of 64 entries. */
#define SKT_FIRST_INDEX(T, S, V, W, SET1, LOADU, CMPEQ, MOVEMASK)                   \
    SKT_INLINE int skt_first_index_##S(const T *SKT_RESTRICT di, int k, T m) {      \
        V mm = SET1(m);                                                             \
        int base = 0, j;                                                            \
        for (;;) {                                                                  \
            unsigned long long mask = 0;                                            \
            int end = base + 64 < k ? base + 64 : k;                                \
            for (j = base; j + W <= end; j += W)                                    \
                mask |= (unsigned long long)MOVEMASK(CMPEQ(LOADU(di + j), mm))      \
                        << (j - base);                                              \
            for (; j < end; j++)                                                    \
                if (di[j] == m) mask |= 1ULL << (j - base);                         \
            if (mask) return base + skt_ctz64(mask);                                \
            base = end;                                                             \
        }                                                                           \
    }                                                                               \
    /* The minimum's scalar tail from column j, then its first index; a row */     \
    /* with a NaN answers column 0, as the scalar argmin does. */                   \
    SKT_INLINE int skt_argmin_tail_##S(const T *SKT_RESTRICT di, int j, int k,      \
                                       T m, T *best) {                              \
        for (; j < k; j++) m = di[j] < m ? di[j] : m;                               \
        if (m != m) {                                                               \
            *best = di[0];                                                          \
            return 0;                                                               \
        }                                                                           \
        *best = m;                                                                  \
        return skt_first_index_##S(di, k, m);                                       \
    }
SKT_FIRST_INDEX(double, d, __m128d, 2, _mm_set1_pd, _mm_loadu_pd, _mm_cmpeq_pd, _mm_movemask_pd)
SKT_FIRST_INDEX(float, f, __m128, 4, _mm_set1_ps, _mm_loadu_ps, _mm_cmpeq_ps, _mm_movemask_ps)

SKT_INLINE int skt_argmin_simd_d(const double *SKT_RESTRICT di, int k, double *best) {
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
    return skt_argmin_tail_d(di, j, k, m, best);
}

SKT_INLINE int skt_argmin_simd_f(const float *SKT_RESTRICT di, int k, float *best) {
    __m128 a0 = _mm_set1_ps(di[0]), a1 = a0;
    int j = 0;
    float m;
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
    return skt_argmin_tail_f(di, j, k, m, best);
}
#endif /* SKT_HAVE_SSE2 */

/* s += x and s += x * w over one row: the product rounded, then added (no
   FMA in x86-64's baseline), as in scikit-learn's loop, so the same bits.
   Plain loops: an SSE2 version of them measured no faster, so it was
   removed (CPU time of 10 Lloyd iterations on one thread, best of 15, GCC 12,
   SSE2 vs plain: n = 2e5, d = k = 8: 34.9 vs 33.7 ms in float64, 21.2 vs
   21.4 ms in float32; n = 1e5, d = 8, k = 50: 66.5 vs 66.4 and 36.8 vs
   36.4 ms; d = 2, k = 3: 6.9 vs 7.0 and 6.0 vs 5.8 ms). */
#define SKT_ADD_ROWS(T, S)                                                           \
    SKT_INLINE void skt_add_row_##S(T *SKT_RESTRICT s, const T *SKT_RESTRICT x,     \
                                    int d) {                                        \
        for (int t = 0; t < d; t++) s[t] += x[t];                                   \
    }                                                                               \
    SKT_INLINE void skt_add_row_w_##S(T *SKT_RESTRICT s, const T *SKT_RESTRICT x,   \
                                      T w, int d) {                                 \
        for (int t = 0; t < d; t++) s[t] += x[t] * w;                               \
    }
SKT_ADD_ROWS(float, f)
SKT_ADD_ROWS(double, d)

/* Row x (weight w, or 1 when unit) added to cluster l's sums and weight: the
   update of the row loop below and of skt_accumulate, written once. */
#define SKT_ADD_TO_CLUSTER(T, S)                                                    \
    SKT_INLINE void skt_add_to_cluster_##S(const T *SKT_RESTRICT x, int l, T w,     \
                                           int unit, T *SKT_RESTRICT sums,          \
                                           T *SKT_RESTRICT weights, int d) {        \
        T *SKT_RESTRICT s = sums + (ptrdiff_t)l * d;                                \
        if (unit) {                                                                 \
            /* x * 1 == x exactly: the bits of the weighted sum */                  \
            weights[l] += 1;                                                        \
            skt_add_row_##S(s, x, d);                                               \
        } else {                                                                    \
            weights[l] += w;                                                        \
            skt_add_row_w_##S(s, x, w, d);                                          \
        }                                                                           \
    }
SKT_ADD_TO_CLUSTER(float, f)
SKT_ADD_TO_CLUSTER(double, d)

/* One pass over a chunk whose distances D (nr x k) are hot in cache: per
   row, the argmin (first of equals, as scikit-learn's strict <), the label
   and whether it changed, the objective term w * min and the row added to its
   cluster's sums. Each cluster's sums stay sequential in row order: the same
   bits as scikit-learn's. ARGMIN sets l and b. */
#define SKT_ROWS_FN(T, S, QUAL, NAME, ARGMIN)                                       \
    QUAL void NAME(const T *SKT_RESTRICT D, int nr, int k, int d,                   \
                   const T *SKT_RESTRICT X, const T *SKT_RESTRICT w,                \
                   int *SKT_RESTRICT labels, T *SKT_RESTRICT sums,                  \
                   T *SKT_RESTRICT weights, int update, int unit, int want_obj,     \
                   double *obj, ptrdiff_t *changed) {                               \
        double o = 0.0;                                                             \
        ptrdiff_t ch = 0;                                                           \
        for (int i = 0; i < nr; i++) {                                              \
            const T *SKT_RESTRICT di = D + (ptrdiff_t)i * k;                        \
            T b = di[0];                                                            \
            int l = 0;                                                              \
            ARGMIN                                                                  \
            ch += labels[i] != l;                                                   \
            labels[i] = l;                                                          \
            /* (double)1 * b == b: no load of w for unit weights */                 \
            if (want_obj) o += unit ? (double)b : (double)w[i] * (double)b;         \
            if (update)                                                             \
                skt_add_to_cluster_##S(X + (ptrdiff_t)i * d, l, unit ? (T)1 : w[i], \
                                       unit, sums, weights, d);                     \
        }                                                                           \
        *obj += o;                                                                  \
        *changed += ch;                                                             \
    }

/* Constant small widths let the compiler unroll the per-row loops, whose loop
   overhead otherwise costs as much as their work. */
#define SKT_WIDTHS(BODY, UPD, UNIT, OBJ)                                            \
    switch (d) {                                                                    \
    case 2: BODY(D, nr, k, 2, X, w, labels, sums, weights, UPD, UNIT, OBJ, obj, changed); break;   \
    case 8: BODY(D, nr, k, 8, X, w, labels, sums, weights, UPD, UNIT, OBJ, obj, changed); break;   \
    case 16: BODY(D, nr, k, 16, X, w, labels, sums, weights, UPD, UNIT, OBJ, obj, changed); break; \
    case 32: BODY(D, nr, k, 32, X, w, labels, sums, weights, UPD, UNIT, OBJ, obj, changed); break; \
    case 64: BODY(D, nr, k, 64, X, w, labels, sums, weights, UPD, UNIT, OBJ, obj, changed); break; \
    default: BODY(D, nr, k, d, X, w, labels, sums, weights, UPD, UNIT, OBJ, obj, changed);         \
    }

/* The flags of a Lloyd pass as constants too: the row loop runs at the rate
   its instructions issue, and testing the flags per row made recording the
   objective (two instructions) cost 2-3% of a float32 fit instead of 1%
   (measured at n = 10^6, d = k = 8). */
#define SKT_DISPATCH(T, NAME, BODY)                                                 \
    static inline void NAME(const T *D, int nr, int k, int d, const T *X,           \
                            const T *w, int *labels, T *sums, T *weights,           \
                            int update, int unit, int want_obj, double *obj,        \
                            ptrdiff_t *changed) {                                   \
        if (!update) {                                                              \
            SKT_WIDTHS(BODY, 0, unit, want_obj)                                     \
        } else if (unit) {                                                          \
            if (want_obj) {                                                         \
                SKT_WIDTHS(BODY, 1, 1, 1)                                           \
            } else {                                                                \
                SKT_WIDTHS(BODY, 1, 1, 0)                                           \
            }                                                                       \
        } else {                                                                    \
            if (want_obj) {                                                         \
                SKT_WIDTHS(BODY, 1, 0, 1)                                           \
            } else {                                                                \
                SKT_WIDTHS(BODY, 1, 0, 0)                                           \
            }                                                                       \
        }                                                                           \
    }

/* Every row of D (nr x k) = cn: one row, then doubling copies (memcpy is much
   faster than a loop of k stores per row for small k). */
#define SKT_FILL_ROWS(T, S)                                                         \
    static inline void skt_fill_rows_##S(T *D, const T *cn, int nr, int k) {        \
        size_t row = (size_t)k * sizeof(T), done = 1, total = (size_t)nr;           \
        if (nr <= 0) return;                                                        \
        memcpy(D, cn, row);                                                         \
        while (done < total) {                                                      \
            size_t m = done < total - done ? done : total - done;                   \
            memcpy((char *)D + done * row, D, m * row);                             \
            done += m;                                                              \
        }                                                                           \
    }

/* The scalar scan: conditional moves, the nearest centre is unpredictable. */
#define SKT_ARGMIN_SCAN                                                             \
    for (int j = 1; j < k; j++) {                                                   \
        l = di[j] < b ? j : l;                                                      \
        b = di[j] < b ? di[j] : b;                                                  \
    }

#if SKT_HAVE_SSE2
#define SKT_ARGMIN_TWO_PASS(S) l = skt_argmin_simd_##S(di, k, &b);
#else
/* No vector unit: the caller never takes this path (skt_use_two_pass_argmin
   is 0), which is the scalar scan all the same. */
#define SKT_ARGMIN_TWO_PASS(S) SKT_ARGMIN_SCAN
#endif

/* The entry point: the scalar scan at constant widths and flags, or the
   two-pass argmin (which the row loop's dispatch would not speed up: its
   rows are long). */
#define SKT_DEFINE(T, S)                                                            \
    SKT_FILL_ROWS(T, S)                                                             \
    SKT_ROWS_FN(T, S, SKT_INLINE, skt_rows_body_##S, SKT_ARGMIN_SCAN)               \
    SKT_DISPATCH(T, skt_rows_scan_##S, skt_rows_body_##S)                           \
    SKT_ROWS_FN(T, S, SKT_NOINLINE, skt_rows_two_pass_##S, SKT_ARGMIN_TWO_PASS(S))  \
    static inline void skt_rows_##S(const T *D, int nr, int k, int d, const T *X,   \
                                    const T *w, int *labels, T *sums, T *weights,   \
                                    int two_pass, int update, int unit,             \
                                    int want_obj, double *obj, ptrdiff_t *changed) { \
        if (two_pass)                                                               \
            skt_rows_two_pass_##S(D, nr, k, d, X, w, labels, sums, weights, update, \
                                  unit, want_obj, obj, changed);                    \
        else                                                                        \
            skt_rows_scan_##S(D, nr, k, d, X, w, labels, sums, weights, update,     \
                              unit, want_obj, obj, changed);                        \
    }
SKT_DEFINE(float, f)
SKT_DEFINE(double, d)

/* The update of the sums for rows whose labels are known (a chunk whose
   assignment another thread did, see skt_chunk_*): the same operations in
   the same order as the update in the row loop above, so the same bits. */
#define SKT_ACCUMULATE(T, S)                                                        \
    static inline void skt_accumulate_##S(int nr, int d, const T *SKT_RESTRICT X,   \
                                          const T *SKT_RESTRICT w,                  \
                                          const int *SKT_RESTRICT labels,           \
                                          T *SKT_RESTRICT sums,                     \
                                          T *SKT_RESTRICT weights, int unit) {      \
        for (int i = 0; i < nr; i++)                                                \
            skt_add_to_cluster_##S(X + (ptrdiff_t)i * d, labels[i], unit ? (T)1 : w[i], \
                                   unit, sums, weights, d);                         \
    }
SKT_ACCUMULATE(float, f)
SKT_ACCUMULATE(double, d)

/* Chunk states of a pass whose threads help each other: a thread that has
   finished its own rows takes the assignment (GEMM and argmin) of the last
   untaken chunks of another thread's rows; the owner, reaching such a chunk
   in order, only adds its rows to the sums. Who computes a chunk's distances
   and labels does not change their bits (the same BLAS call on the same
   rows), and the sums stay sequential in the owner's row order, so the pass
   gives the bits of the static split. GCC and clang atomics; elsewhere no
   thread helps (skt_chunk_claim always succeeds for the owner). */
enum { SKT_CHUNK_FREE = 0, SKT_CHUNK_HELPED = 1, SKT_CHUNK_DONE = 2, SKT_CHUNK_OWNED = 3 };
#if defined(__GNUC__)
#define SKT_HAVE_HELP 1
static inline int skt_chunk_claim(int *state, int as) {
    int expected = SKT_CHUNK_FREE;
    return __atomic_compare_exchange_n(state, &expected, as, 0, __ATOMIC_ACQ_REL,
                                       __ATOMIC_ACQUIRE);
}
static inline int skt_chunk_state(int *state) { return __atomic_load_n(state, __ATOMIC_ACQUIRE); }
static inline void skt_chunk_done(int *state) { __atomic_store_n(state, SKT_CHUNK_DONE, __ATOMIC_RELEASE); }
static inline void skt_chunk_wait(int *state) {
    while (__atomic_load_n(state, __ATOMIC_ACQUIRE) != SKT_CHUNK_DONE) {
#if SKT_HAVE_SSE2
        _mm_pause();
#endif
    }
}
#else
#define SKT_HAVE_HELP 0
static inline int skt_chunk_claim(int *state, int as) { *state = as; return 1; }
static inline int skt_chunk_state(int *state) { return *state; }
static inline void skt_chunk_done(int *state) { *state = SKT_CHUNK_DONE; }
static inline void skt_chunk_wait(int *state) { (void)state; }
#endif

/* Whether rows of k distances take the two-pass argmin: decided by the caller,
   once per pass, so that the row loops hold no such test. */
static inline int skt_use_two_pass_argmin(int k) { return SKT_HAVE_SSE2 && k >= SKT_SIMD_MIN_K; }

/* out = x - mean for one row, and ||out||^2 in double. The reduction is
   vectorised (its order is free: only the objective's constant uses it); a
   sequential sum was a chain of d dependent adds per row, the slowest part of
   the pass. The subtraction is numpy's, entry by entry. */
#define SKT_CENTRE(T, S)                                                            \
    static inline double skt_centre_row_##S(const T *SKT_RESTRICT x,                \
                                            const T *SKT_RESTRICT mean,             \
                                            T *SKT_RESTRICT out, int d) {           \
        double r = 0.0;                                                             \
        for (int f = 0; f < d; f++) out[f] = x[f] - mean[f];                        \
        SKT_OMP_SIMD_SUM(r)                                                         \
        for (int f = 0; f < d; f++) r += (double)out[f] * (double)out[f];           \
        return r;                                                                   \
    }
SKT_CENTRE(float, f)
SKT_CENTRE(double, d)

/* Clocks of the pass's thread-count choice (see _pass): the CPU time the
   calling thread has run, and a monotonic wall clock, in seconds; -1 where
   the platform has no such clock (the choice then stays with the threads).
   The pass compares its wall time with the CPU time its threads spent: on
   an idle machine two threads take about half of it, but when another
   process holds one core the thread there runs in its time slices and the
   pass waits for it at the region's end. */
#include <time.h>
enum { SKT_THREAD_CPU_CLOCK, SKT_WALL_CLOCK };
static inline double skt_clock_seconds(int which) {
    struct timespec ts;
    int failed = 1;
#if defined(CLOCK_THREAD_CPUTIME_ID)
    if (which == SKT_THREAD_CPU_CLOCK)
        failed = clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
#endif
#if defined(CLOCK_MONOTONIC)
    if (which == SKT_WALL_CLOCK)
        failed = clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
    return failed ? -1.0 : (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#endif /* SKT_K_MEANS_LLOYD_H */
