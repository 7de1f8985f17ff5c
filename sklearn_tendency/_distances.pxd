# The dissimilarities the VAT kernels compute themselves, written once: the
# Prim's kernel (_vat_prim) and the tree kernels (_vat_tree) must sum every
# pair identically, since the exactness of the tree routes rests on their
# weights being the same bits as Prim's
# (doc/user_guide/algorithms.rst, section algo-tree-route).

from cython cimport floating
from libc.math cimport fabs

ctypedef Py_ssize_t intp_t

# Feature-matrix metrics the kernels evaluate themselves (the Euclidean one
# compared squared, square-rooted by the caller on output).
cdef enum:
    METRIC_SQEUCLIDEAN = 0
    METRIC_MANHATTAN = 1
    METRIC_CHEBYSHEV = 2


cdef inline double pair_distance(
    const floating[:, ::1] X, intp_t a, intp_t b, int metric,
) noexcept nogil:
    """Dissimilarity of rows a and b, summed over the features in order,
    accumulated in double for float32 input."""
    cdef intp_t k, d = X.shape[1]
    cdef double acc = 0.0, diff
    if metric == METRIC_SQEUCLIDEAN:
        for k in range(d):
            diff = <double> X[a, k] - <double> X[b, k]
            acc += diff * diff
    elif metric == METRIC_MANHATTAN:
        for k in range(d):
            acc += fabs(<double> X[a, k] - <double> X[b, k])
    else:
        for k in range(d):
            diff = fabs(<double> X[a, k] - <double> X[b, k])
            if diff > acc:
                acc = diff
    return acc


cdef inline int check_metric(int metric) except -1:
    """Raise ValueError unless ``metric`` is one of the codes above."""
    if not METRIC_SQEUCLIDEAN <= metric <= METRIC_CHEBYSHEV:
        raise ValueError(
            f"metric must be a code from {METRIC_SQEUCLIDEAN} to {METRIC_CHEBYSHEV}; got {metric}."
        )
    return 0
