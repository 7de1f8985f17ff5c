/* The small loops of the float32 filter of Prim's VAT kernel (_vat_prim.pyx),
 * in C so that `#pragma omp simd` vectorises their reductions, which C's
 * floating-point rules otherwise keep sequential, and so that a tile's
 * accumulators stay in registers across the features.
 *
 * Portability: GCC, clang and MSVC, any target. The AVX2/AVX-512 clones need
 * GCC >= 11 or clang >= 14 on x86-64 with glibc (ifunc); elsewhere the one
 * baseline version is compiled. The simd pragmas need OpenMP 4.0 (GCC,
 * clang); without it (MSVC's OpenMP 2.0, or no OpenMP) the loops are plain C
 * loops. None of this changes a result: the filter only decides which
 * distances to recompute exactly (doc/user_guide/algorithms.rst, section
 * algo-float32-filter).
 */
#ifndef SKT_VAT_PRIM_H
#define SKT_VAT_PRIM_H

#include <math.h>
#include <stddef.h>

#ifdef _OPENMP
#include <omp.h>
#else
/* Wall clock of the thread policy: without OpenMP every step runs on one
   thread and the clock is never read. */
static inline double omp_get_wtime(void) { return 0.0; }
#endif

#if defined(_OPENMP) && _OPENMP >= 201307
#define SKT_PRAGMA(x) _Pragma(#x)
#define SKT_OMP_SIMD SKT_PRAGMA(omp simd)
#define SKT_OMP_SIMD_REDUCTION(op, var) SKT_PRAGMA(omp simd reduction(op:var))
#else
#define SKT_OMP_SIMD
#define SKT_OMP_SIMD_REDUCTION(op, var)
#endif

/* target_clones needs the loader's ifunc support (glibc) and a compiler that
   knows the x86-64 levels (GCC 11, clang 14). */
#if defined(__GNUC__) && defined(__x86_64__) && defined(__GLIBC__) && \
    (defined(__clang__) ? __clang_major__ >= 14 : __GNUC__ >= 11)
#define SKT_X86_64_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define SKT_X86_64_CLONES
#endif

/* Candidates per tile of the panel-major float32 copy: its accumulators fill
   four SSE or two AVX registers. */
#define SKT_TILE 16

/* Squared distances, in float32 arithmetic, from xc to the SKT_TILE * n_tiles
   candidates of consecutive panels (panel q holds features 0..d-1 of its
   SKT_TILE candidates, feature-major), and per tile whether some candidate is
   undecided by the filter: one that might lower (or tie) its distance to the
   tree (d'' <= thr) or reach the largest distance so far (d'' >= far_lo). NaN
   (float32 overflow) counts as undecided. Compiled for AVX2 and AVX-512 too,
   chosen at run time (where the compiler supports it).
   Measured gain (GCC 12, a CPU with AVX-512, ns per candidate at d = 4, 8,
   16, 32): with the clones and `omp simd` 0.3, 0.5, 0.9, 1.8; SSE2 `omp simd`
   alone 0.7, 1.2, 2.0, 4.1; neither (GCC leaves the loops scalar) 2.3, 3.8,
   6.6, 12.9. */
SKT_X86_64_CLONES
static inline void skt_panel_filter(const float *xc, const float *panels, int d, ptrdiff_t n_tiles,
                                    const float *thr, float far_lo, float *out,
                                    unsigned char *undecided) {
    for (ptrdiff_t q = 0; q < n_tiles; q++) {
        const float *tile = panels + q * (ptrdiff_t)d * SKT_TILE;
        const float *th = thr + q * SKT_TILE;
        float a[SKT_TILE];
        int any = 0;
        for (int u = 0; u < SKT_TILE; u++) a[u] = 0.0f;
        for (int k = 0; k < d; k++) {
            const float xk = xc[k];
            const float *row = tile + (ptrdiff_t)k * SKT_TILE;
            SKT_OMP_SIMD
            for (int u = 0; u < SKT_TILE; u++) {
                const float diff = row[u] - xk;
                a[u] += diff * diff;
            }
        }
        SKT_OMP_SIMD_REDUCTION(|, any)
        for (int u = 0; u < SKT_TILE; u++) {
            out[q * SKT_TILE + u] = a[u];
            any |= !((a[u] > th[u]) & (a[u] < far_lo));
        }
        undecided[q] = (unsigned char)any;
    }
}

static inline double skt_min(const double *v, ptrdiff_t m) {
    double r = INFINITY;
    SKT_OMP_SIMD_REDUCTION(min, r)
    for (ptrdiff_t t = 0; t < m; t++) r = v[t] < r ? v[t] : r;
    return r;
}

/* First t with v[t] == x, or m. */
static inline ptrdiff_t skt_first_equal(const double *v, ptrdiff_t m, double x) {
    ptrdiff_t t = 0;
    while (t < m && v[t] != x) t++;
    return t;
}

/* Directed rounding to float32, for thresholds that must stay on the safe side. */
static inline float skt_f32_up(double x) {
    float f = (float)x;
    return (double)f < x ? nextafterf(f, INFINITY) : f;
}
static inline float skt_f32_down(double x) {
    float f = (float)x;
    return (double)f > x ? nextafterf(f, -INFINITY) : f;
}

#endif /* SKT_VAT_PRIM_H */
