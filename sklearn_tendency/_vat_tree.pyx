"""Cython kernels for VAT through a minimum spanning tree.

VAT's order is Prim's algorithm on the complete graph from the start sample.
When the minimum spanning tree (MST) is unique, Prim's algorithm run on the
tree alone visits the samples in the same order with the same cut weights
(doc/user_guide/algorithms.rst, section algo-tree-route): at every step the
lightest edge leaving the ordered samples is a tree edge. These kernels
traverse a tree given as an edge list, and compute the exact weights of
candidate edges.
"""

import numpy as np

from ._distances cimport check_metric, intp_t, pair_distance
from ._kernel_checks cimport check_index, check_indices, check_shape


def edge_weights(
    const double[:, ::1] X,     # IN (n_samples, n_features)
    const intp_t[::1] u,        # IN (n_edges,)
    const intp_t[::1] v,        # IN (n_edges,)
    int metric,                 # IN one of the METRIC_* codes of _distances.pxd
    double[::1] out,            # OUT (n_edges,)
):
    """Dissimilarity of each pair (u[e], v[e]): ``pair_distance``, the
    arithmetic of the Prim's kernel (``_vat_prim``), so the same bits.

    Time O(n_edges d), no extra memory.
    """
    cdef intp_t e
    check_metric(metric)
    check_shape("v", (v.shape[0],), (u.shape[0],))
    check_shape("out", (out.shape[0],), (u.shape[0],))
    check_indices("u", u, X.shape[0])
    check_indices("v", v, X.shape[0])
    with nogil:
        for e in range(u.shape[0]):
            out[e] = pair_distance(X, u[e], v[e], metric)


cdef inline bint _before(double wa, intp_t ja, double wb, intp_t jb) noexcept nogil:
    return wa < wb or (wa == wb and ja < jb)


def prim_on_tree(
    const intp_t[::1] u,            # IN (n - 1,) tree edges
    const intp_t[::1] v,            # IN (n - 1,)
    const double[::1] w,            # IN (n - 1,) their weights
    intp_t start,                   # IN first sample of the order
    intp_t[::1] order,              # OUT (n,) Prim's order on the tree
    double[::1] cut_weights,        # OUT (n,) weight of the attaching edge, 0 first
):
    """Prim's algorithm on a spanning tree, ties to the lowest sample index.

    A binary heap of (weight, index) holds the open samples adjacent to the
    ordered ones; each sample enters it once (a tree has one edge into each
    sample from the side of ``start``).

    Time O(n log n); extra memory O(n) (adjacency lists and the heap).

    Returns
    -------
    n_reached : int
        Samples ordered; ``n`` when the edges span the samples.
    """
    cdef:
        intp_t n = order.shape[0], m = u.shape[0]
        intp_t e, a, b, i, pos, child, size = 0, step, j, nb, q
        double wj
        intp_t[::1] deg = np.zeros(n + 1, dtype=np.intp)
        intp_t[::1] nbr = np.empty(2 * m, dtype=np.intp)
        double[::1] nbr_w = np.empty(2 * m, dtype=np.float64)
        intp_t[::1] fill
        unsigned char[::1] seen = np.zeros(n, dtype=np.uint8)
        intp_t[::1] heap_j = np.empty(n, dtype=np.intp)
        double[::1] heap_w = np.empty(n, dtype=np.float64)

    check_shape("v", (v.shape[0],), (m,))
    check_shape("w", (w.shape[0],), (m,))
    check_shape("cut_weights", (cut_weights.shape[0],), (n,))
    check_index("start", start, n)
    check_indices("u", u, n)
    check_indices("v", v, n)
    with nogil:
        for e in range(m):
            deg[u[e] + 1] += 1
            deg[v[e] + 1] += 1
        for i in range(n):
            deg[i + 1] += deg[i]
    fill = np.array(deg[:n], dtype=np.intp)
    with nogil:
        for e in range(m):
            a = u[e]
            b = v[e]
            nbr[fill[a]] = b
            nbr_w[fill[a]] = w[e]
            fill[a] += 1
            nbr[fill[b]] = a
            nbr_w[fill[b]] = w[e]
            fill[b] += 1

        heap_j[0] = start
        heap_w[0] = 0.0
        size = 1
        seen[start] = 1
        step = 0
        while size > 0:
            j = heap_j[0]
            wj = heap_w[0]
            size -= 1
            # Sift the last entry down from the root.
            if size > 0:
                pos = 0
                while True:
                    child = 2 * pos + 1
                    if child >= size:
                        break
                    if child + 1 < size and _before(
                        heap_w[child + 1], heap_j[child + 1], heap_w[child], heap_j[child]
                    ):
                        child += 1
                    if _before(heap_w[child], heap_j[child], heap_w[size], heap_j[size]):
                        heap_w[pos] = heap_w[child]
                        heap_j[pos] = heap_j[child]
                        pos = child
                    else:
                        break
                heap_w[pos] = heap_w[size]
                heap_j[pos] = heap_j[size]
            order[step] = j
            cut_weights[step] = wj
            step += 1
            for q in range(deg[j], deg[j + 1]):
                nb = nbr[q]
                if seen[nb]:
                    continue
                seen[nb] = 1
                # Sift up.
                pos = size
                size += 1
                while pos > 0 and _before(
                    nbr_w[q], nb, heap_w[(pos - 1) // 2], heap_j[(pos - 1) // 2]
                ):
                    heap_w[pos] = heap_w[(pos - 1) // 2]
                    heap_j[pos] = heap_j[(pos - 1) // 2]
                    pos = (pos - 1) // 2
                heap_w[pos] = nbr_w[q]
                heap_j[pos] = nb
    return int(step)
