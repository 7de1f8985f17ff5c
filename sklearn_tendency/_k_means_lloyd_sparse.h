/* The assignment step of Lloyd's k-means on CSR rows (float and double).

   For each row x: the products x.c_j for every centre by one pass over the
   row's stored entries, each entry adding v * CT[index, 0:k] to k running
   dot products (CT: the centres transposed, n_features x k, so that the k
   values an entry needs are contiguous and the loop over j vectorises).
   Each dot product is still the sequential sum over the row's entries in
   storage order, starting at 0, of the products c_j[index] * v: the same
   operations in the same order as scikit-learn's _update_chunk_sparse
   (which walks the entries once per centre, reading k rows of the centres
   at random), hence the same bits. No FMA contraction: x86-64's baseline
   has no FMA instruction, and a build with one would round differently
   from scikit-learn's wheels.

   Then, as there: d_j = ||c_j||^2 - 2 x.c_j, the first j with the smallest
   d_j (strict <, from the largest finite value, so a row of NaN gets label
   0), the weighted row added to its cluster's sums in storage order. The
   objective term w * d_label is accumulated in double.
   (doc/user_guide/algorithms.rst, section algo-lloyd-objective.) */
#ifndef SKT_K_MEANS_LLOYD_SPARSE_H
#define SKT_K_MEANS_LLOYD_SPARSE_H

#include <float.h>
#include <stddef.h>
#include <string.h>

#define SKT_SPARSE_ROWS(T, S, TMAX)                                           \
static void skt_sparse_rows_##S(                                              \
        const T *restrict data, const int *restrict indices,                 \
        const int *restrict indptr, ptrdiff_t start, ptrdiff_t end,          \
        int k, int d, const T *restrict ct, const T *restrict csq,           \
        const T *restrict w, int *restrict labels, T *restrict dot,          \
        T *restrict sums, T *restrict weights, int update, int want_obj,     \
        double *obj, ptrdiff_t *changed) {                                    \
    double o = 0.0;                                                           \
    ptrdiff_t ch = 0;                                                         \
    for (ptrdiff_t i = start; i < end; i++) {                                 \
        const int p0 = indptr[i], p1 = indptr[i + 1];                         \
        memset(dot, 0, (size_t)k * sizeof(T));                                \
        for (int p = p0; p < p1; p++) {                                       \
            const T *restrict c = ct + (ptrdiff_t)indices[p] * k;             \
            const T v = data[p];                                              \
            for (int j = 0; j < k; j++) dot[j] += c[j] * v;                   \
        }                                                                     \
        T b = TMAX;                                                           \
        int l = 0;                                                            \
        for (int j = 0; j < k; j++) {                                         \
            const T dj = csq[j] - 2 * dot[j];                                 \
            l = dj < b ? j : l;                                               \
            b = dj < b ? dj : b;                                              \
        }                                                                     \
        ch += labels[i] != l;                                                 \
        labels[i] = l;                                                        \
        if (want_obj) o += (double)w[i] * (double)b;                          \
        if (update) {                                                         \
            const T wi = w[i];                                                \
            T *restrict s = sums + (ptrdiff_t)l * d;                          \
            weights[l] += wi;                                                 \
            for (int p = p0; p < p1; p++) s[indices[p]] += data[p] * wi;      \
        }                                                                     \
    }                                                                         \
    *obj += o;                                                                \
    *changed += ch;                                                           \
}

SKT_SPARSE_ROWS(float, f, FLT_MAX)
SKT_SPARSE_ROWS(double, d, DBL_MAX)

/* scikit-learn's _euclidean_sparse_dense (squared): sum over the stored
   entries of (a - b)^2 - b^2, plus ||b||^2, clamped at 0, in T. Its bits
   choose the samples that empty clusters move to, and the objective of
   predict and score. */
#define SKT_SPARSE_DENSE_SQ(T, S)                                             \
static inline T skt_sparse_dense_sq_##S(                                      \
        const T *restrict a, const int *restrict idx, int nnz,               \
        const T *restrict b, T b_sq) {                                        \
    T r = 0;                                                                  \
    for (int p = 0; p < nnz; p++) {                                           \
        const T bi = b[idx[p]];                                               \
        const T t = a[p] - bi;                                                \
        r += t * t - bi * bi;                                                 \
    }                                                                         \
    r += b_sq;                                                                \
    return r < 0 ? 0 : r;                                                     \
}

SKT_SPARSE_DENSE_SQ(float, f)
SKT_SPARSE_DENSE_SQ(double, d)

#endif
