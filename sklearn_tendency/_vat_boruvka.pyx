"""Exact Euclidean minimum spanning tree by Boruvka's algorithm over a k-d tree.

Boruvka's algorithm adds, in each round, the lightest edge leaving every
component; with a k-d tree each sample's nearest sample outside its own
component is a pruned nearest-neighbour search (March, Ram & Gray, 2010). The
search here is single-tree, with four prunings that make the rounds after the
first cheap: a node whose samples all lie in the query's component is skipped;
a node farther than the best edge its component has so far is skipped; a
sample's nearest foreign neighbour from an earlier round stays its nearest
while it is still foreign (the foreign samples only ever shrink), and its
distance bounds the next search from below; and a leaf whose samples all lie
in one component is searched once as a box, and not sample by sample, when no
foreign sample lies within its component's best edge of that box (in the last
rounds, most leaves lie deep inside a few large components). A neighbour tied
with another is not kept: the other one may join the sample's component while
the first stays foreign, and a kept tie would be reported where there is none.

The leaves keep their samples feature-major, so that a query's distances to a
leaf are summed for many samples at once (vector instructions), each still
feature by feature in order: the same bits as one pair at a time.

Distances are the squared Euclidean distances of ``_distances.pair_distance``,
the sum the Prim's kernel and ``_vat_tree.edge_weights`` use, so the tree's
weights are the same bits. The kernel also detects ties: it reports
one whenever a component's lightest leaving edge was not unique (within the
component, or for one sample). When no tie is reported every added edge is the
unique lightest edge of a cut, so it belongs to every MST and the MST is unique
(cut property; doc/user_guide/algorithms.rst, section algo-tree-route, then
gives the VAT order from the tree).
"""

from cpython.exc cimport PyErr_CheckSignals
from cython.parallel cimport prange, threadid
from libc.math cimport INFINITY

import numpy as np

from ._distances cimport intp_t
from ._kernel_checks cimport check_shape

# Box lower bounds are summed in another order than the exact distances: a
# relative slack far above their rounding error (d 2**-52 each) keeps every
# prune safe.
cdef double _SLACK = 1.0 - 1e-9

cdef enum:
    _STACK = 256  # nodes pending in one search; the tree is < 64 levels deep
    _BLOCK = 8192  # samples searched between two checks for Ctrl-C
    _CHUNK = 64  # leaf samples whose distances are summed together


cdef inline double _box_lb(const double* x, intp_t stride, const double* lo,
                           const double* hi, intp_t d) noexcept nogil:
    # Squared distance from the point x (its features ``stride`` apart: 1 in
    # a row, the leaf's size in a feature-major leaf) to the box [lo, hi].
    cdef intp_t k
    cdef double acc = 0.0, g
    for k in range(d):
        if x[k * stride] < lo[k]:
            g = lo[k] - x[k * stride]
            acc += g * g
        elif x[k * stride] > hi[k]:
            g = x[k * stride] - hi[k]
            acc += g * g
    return acc


cdef inline double _box_box_lb(const double* lo_a, const double* hi_a, const double* lo_b,
                               const double* hi_b, intp_t d) noexcept nogil:
    cdef intp_t k
    cdef double acc = 0.0, g
    for k in range(d):
        if hi_a[k] < lo_b[k]:
            g = lo_b[k] - hi_a[k]
            acc += g * g
        elif hi_b[k] < lo_a[k]:
            g = lo_a[k] - hi_b[k]
            acc += g * g
    return acc


cdef void _select(intp_t* idx, const double* X, intp_t d, intp_t dim,
                  intp_t lo, intp_t hi, intp_t kth) noexcept nogil:
    """Quickselect on idx[lo:hi] by X[idx, dim]: the kth smallest at kth."""
    cdef intp_t i, j, t, mid
    cdef double pivot, a, b, c
    hi -= 1
    while hi > lo:
        mid = lo + (hi - lo) // 2
        a = X[idx[lo] * d + dim]
        b = X[idx[mid] * d + dim]
        c = X[idx[hi] * d + dim]
        # Median of three as the pivot.
        if (a <= b) == (b <= c):
            pivot = b
        elif (b <= a) == (a <= c):
            pivot = a
        else:
            pivot = c
        i = lo
        j = hi
        while i <= j:
            while X[idx[i] * d + dim] < pivot:
                i += 1
            while X[idx[j] * d + dim] > pivot:
                j -= 1
            if i <= j:
                t = idx[i]
                idx[i] = idx[j]
                idx[j] = t
                i += 1
                j -= 1
        if kth <= j:
            hi = j
        elif kth >= i:
            lo = i
        else:
            return


cdef inline intp_t _find(intp_t* parent, intp_t a) noexcept nogil:
    cdef intp_t r = a, t
    while parent[r] != r:
        r = parent[r]
    while parent[a] != r:
        t = parent[a]
        parent[a] = r
        a = t
    return r


cdef double _nearest_foreign(
    const double* xp,                 # IN the query sample (d features)
    intp_t c,                         # IN its component
    double bound,                     # IN search within this distance (inclusive)
    const double* PT,                 # IN X in tree order, each leaf feature-major
    intp_t d,                         # IN features
    const intp_t[::1] comp,           # IN component of each position
    const intp_t[::1] n_comp,         # IN component of each node, or -1
    const intp_t[::1] n_left,         # IN left child, or -1 for a leaf
    const intp_t[::1] n_start,        # IN first position of each node
    const intp_t[::1] n_end,          # IN end of each node
    const double[:, ::1] n_lo,        # IN node boxes
    const double[:, ::1] n_hi,
    intp_t* best_q,                   # OUT nearest foreign position, or -1
    bint* tie,                        # OUT another foreign sample as near
) noexcept nogil:
    """Distance to the nearest sample of another component within ``bound``.

    A depth-first search of the k-d tree that skips nodes inside component c
    and nodes whose box is farther than the best so far; samples at exactly
    the best distance are still visited, so that ties are seen. Returns the
    best distance (``bound`` when ``best_q`` is -1). Its stack is its own:
    threads search at once.
    """
    cdef:
        intp_t stack[_STACK]
        double stack_lb[_STACK]       # each pending node's box bound
        double acc[_CHUNK]
        intp_t top = 1, node, q, left, m, j, j0, j1, k, s
        const double* col
        double best = bound, dist, lb_l, lb_r, xk, diff
    best_q[0] = -1
    tie[0] = False
    stack[0] = 0
    stack_lb[0] = _box_lb(xp, 1, &n_lo[0, 0], &n_hi[0, 0], d)
    while top > 0:
        top -= 1
        node = stack[top]
        # The bound may have shrunk since the node was pushed.
        if stack_lb[top] * _SLACK > best or n_comp[node] == c:
            continue
        left = n_left[node]
        if left < 0:
            s = n_start[node]
            m = n_end[node] - s
            j0 = 0
            while j0 < m:
                j1 = min(j0 + _CHUNK, m)
                # pair_distance's sum, feature by feature in order (the same
                # bits), for a chunk of the leaf at once: the inner loop runs
                # over samples, contiguous in the leaf's feature-major copy.
                for j in range(j1 - j0):
                    acc[j] = 0.0
                for k in range(d):
                    xk = xp[k]
                    col = PT + s * d + k * m + j0
                    for j in range(j1 - j0):
                        diff = xk - col[j]
                        acc[j] += diff * diff
                for j in range(j1 - j0):
                    q = s + j0 + j
                    if comp[q] == c:
                        continue
                    dist = acc[j]
                    if dist < best:
                        best = dist
                        best_q[0] = q
                        tie[0] = False
                    elif dist == best:
                        if best_q[0] >= 0:
                            tie[0] = True
                            if best == 0.0:
                                return best  # nothing is nearer: a tie for good
                        else:
                            best_q[0] = q
                j0 = j1
        else:
            # Nearer child last, so it is searched first; a child beyond the
            # bound is not pushed.
            lb_l = _box_lb(xp, 1, &n_lo[left, 0], &n_hi[left, 0], d)
            lb_r = _box_lb(xp, 1, &n_lo[left + 1, 0], &n_hi[left + 1, 0], d)
            if lb_l <= lb_r:
                if lb_r * _SLACK <= best:
                    stack[top] = left + 1
                    stack_lb[top] = lb_r
                    top += 1
                if lb_l * _SLACK <= best:
                    stack[top] = left
                    stack_lb[top] = lb_l
                    top += 1
            else:
                if lb_l * _SLACK <= best:
                    stack[top] = left
                    stack_lb[top] = lb_l
                    top += 1
                if lb_r * _SLACK <= best:
                    stack[top] = left + 1
                    stack_lb[top] = lb_r
                    top += 1
    return best


cdef bint _foreign_near_box(
    const double* lo,                 # IN the query box
    const double* hi,
    intp_t c,                         # IN the component of every sample in it
    double bound,                     # IN within this distance (inclusive)
    const double* PT,                 # IN as for _nearest_foreign
    intp_t d,
    const intp_t[::1] comp,
    const intp_t[::1] n_comp,
    const intp_t[::1] n_left,
    const intp_t[::1] n_start,
    const intp_t[::1] n_end,
    const double[:, ::1] n_lo,
    const double[:, ::1] n_hi,
) noexcept nogil:
    """Whether some sample outside component c may lie within ``bound`` of
    some point of the box: False proves that no sample of a leaf inside c
    has a foreign sample within the bound, so none needs a search."""
    cdef:
        intp_t stack[_STACK]
        intp_t top = 1, node, q, left, m, s
    stack[0] = 0
    while top > 0:
        top -= 1
        node = stack[top]
        if n_comp[node] == c:
            continue
        if _box_box_lb(lo, hi, &n_lo[node, 0], &n_hi[node, 0], d) * _SLACK > bound:
            continue
        left = n_left[node]
        if left >= 0:
            stack[top] = left
            stack[top + 1] = left + 1
            top += 2
            continue
        s = n_start[node]
        m = n_end[node] - s
        for q in range(m):
            if comp[s + q] == c:
                continue
            if _box_lb(&PT[s * d + q], m, lo, hi, d) * _SLACK <= bound:
                return True
    return False


cdef inline bint _leaf_needs_search(
    intp_t s, intp_t e, intp_t c, double bound, const intp_t[::1] comp,
    const intp_t[::1] nn, const double[::1] nn_d,
) noexcept nogil:
    """Whether a sample of positions s..e-1, all in component c, needs a
    search: its cached neighbour is not foreign any more, and its lower
    bound does not exceed c's best edge so far (as the per-sample loop asks)."""
    cdef intp_t p
    for p in range(s, e):
        if (nn[p] < 0 or comp[nn[p]] == c) and nn_d[p] <= bound:
            return True
    return False


def boruvka_mst(
    const double[:, ::1] X,     # IN (n_samples, n_features), n_samples >= 2
    intp_t leaf_size,           # IN samples per leaf of the k-d tree, >= 1
    intp_t[::1] u_out,          # OUT (n_samples - 1,) tree edges, sample indices
    intp_t[::1] v_out,          # OUT (n_samples - 1,)
    double[::1] w_out,          # OUT (n_samples - 1,) squared Euclidean lengths
    int n_threads=1,            # IN OpenMP threads of the searches, >= 1
):
    """Exact Euclidean MST, or a report that a tie made it possibly not unique.

    Time O(n log n) per round in low dimension for well-spread data, at most
    log2(n) rounds (each round at least halves the components), in practice
    the first round dominates; it degrades towards O(n^2 d) as d grows (the
    k-d tree stops pruning). The searches of a round run on ``n_threads``
    threads. Each starts from the edges of the samples whose earlier neighbour
    is still foreign and keeps the best edge of every component among the
    samples it searches; the merge takes the lightest and flags a tie when
    two threads hold different edges of equal weight or one thread saw a tie.
    The tree, its edge order and the tie report are therefore those of one
    thread: the lightest edge leaving a component, and whether it is unique,
    do not depend on who found it. Peak memory: a copy of X in tree order
    (8 n d bytes), the nodes (about (16 d + 40) (4 n / leaf_size) bytes:
    boxes and indices), nine arrays of n entries (about 65 n bytes) and, per
    thread, the best edge of each component (25 n bytes). Checks for Ctrl-C
    between rounds and every 8192 // leaf_size leaves (and raises
    ``KeyboardInterrupt``).

    Returns
    -------
    tied : bool
        True when some component's lightest leaving edge was not unique: the
        edges written are then an MST but maybe not the one VAT's tie rule
        follows, and the caller must use another route. Returns at once.
    """
    cdef:
        intp_t n = X.shape[0], d = X.shape[1]
        intp_t max_nodes, n_nodes, node, s, e, m, dim, k, i, p, q, c, t
        intp_t n_edges = 0, best_q, round_ = 0
        double spread, best_spread, v, best
        bint tie, tied = False
    if n < 2 or d < 1 or leaf_size < 1 or n_threads < 1:
        raise ValueError(
            f"need n >= 2, d >= 1, leaf_size >= 1, n_threads >= 1; got {n}, {d}, "
            f"{leaf_size}, {n_threads}."
        )
    check_shape("u_out", (u_out.shape[0],), (n - 1,))
    check_shape("v_out", (v_out.shape[0],), (n - 1,))
    check_shape("w_out", (w_out.shape[0],), (n - 1,))
    # Median splits: at most 2 n / leaf_size leaves, twice that in nodes.
    max_nodes = 4 * (n // leaf_size + 1) + 1
    cdef:
        intp_t[::1] idx = np.arange(n, dtype=np.intp)
        intp_t[::1] n_start = np.empty(max_nodes, dtype=np.intp)
        intp_t[::1] n_end = np.empty(max_nodes, dtype=np.intp)
        intp_t[::1] n_left = np.full(max_nodes, -1, dtype=np.intp)
        intp_t[::1] n_comp = np.empty(max_nodes, dtype=np.intp)
        double[:, ::1] n_lo = np.empty((max_nodes, d))
        double[:, ::1] n_hi = np.empty((max_nodes, d))
        double[::1] PT = np.empty(n * d)     # X in tree order, leaves feature-major
        intp_t[::1] comp = np.arange(n, dtype=np.intp)     # root of each position
        intp_t[::1] parent = np.arange(n, dtype=np.intp)   # union-find
        intp_t[::1] nn = np.full(n, -1, dtype=np.intp)     # cached foreign neighbour
        double[::1] nn_d = np.zeros(n)      # its distance, or a lower bound
        # The best edge leaving each component (indexed by its root): merged
        # (c_*) and as each thread found it (t_*).
        double[::1] c_best = np.empty(n)
        intp_t[::1] c_u = np.empty(n, dtype=np.intp)
        intp_t[::1] c_v = np.empty(n, dtype=np.intp)
        unsigned char[::1] c_tie = np.empty(n, dtype=np.uint8)
        double[:, ::1] t_best = np.empty((n_threads, n))
        intp_t[:, ::1] t_u = np.empty((n_threads, n), dtype=np.intp)
        intp_t[:, ::1] t_v = np.empty((n_threads, n), dtype=np.intp)
        unsigned char[:, ::1] t_tie = np.empty((n_threads, n), dtype=np.uint8)
        const double* Xd = &X[0, 0]

    with nogil:
        # Build: node 0 holds every sample; a node splits at the median of
        # its widest feature; children are stored as a pair (left, left + 1).
        n_start[0] = 0
        n_end[0] = n
        n_nodes = 1
        node = 0
        while node < n_nodes:
            s = n_start[node]
            e = n_end[node]
            for k in range(d):
                n_lo[node, k] = INFINITY
                n_hi[node, k] = -INFINITY
            for i in range(s, e):
                for k in range(d):
                    v = Xd[idx[i] * d + k]
                    if v < n_lo[node, k]:
                        n_lo[node, k] = v
                    if v > n_hi[node, k]:
                        n_hi[node, k] = v
            if e - s > leaf_size and n_nodes + 2 <= max_nodes:
                dim = 0
                best_spread = -1.0
                for k in range(d):
                    spread = n_hi[node, k] - n_lo[node, k]
                    if spread > best_spread:
                        best_spread = spread
                        dim = k
                # A node of identical samples is split too (any split of it
                # is a median split), so that no leaf exceeds leaf_size and
                # a search's work stays between two checks for Ctrl-C.
                m = s + (e - s) // 2
                if best_spread > 0:
                    _select(&idx[0], Xd, d, dim, s, e, m)
                n_left[node] = n_nodes
                n_start[n_nodes] = s
                n_end[n_nodes] = m
                n_start[n_nodes + 1] = m
                n_end[n_nodes + 1] = e
                n_nodes += 2
            node += 1
    leaves_np = np.flatnonzero(np.asarray(n_left)[:n_nodes] < 0)
    leaves_np = leaves_np[np.argsort(np.asarray(n_start)[leaves_np])]
    cdef intp_t[::1] leaves = leaves_np.astype(np.intp)
    cdef intp_t n_leaves = leaves.shape[0], li, l0, l1, lblock = max(1, _BLOCK // leaf_size)
    with nogil:
        for node in range(n_nodes):
            if n_left[node] < 0:
                s = n_start[node]
                m = n_end[node] - s
                for i in range(m):
                    for k in range(d):
                        PT[s * d + k * m + i] = Xd[idx[s + i] * d + k]
    with nogil:
        while n_edges < n - 1:
            # Which nodes lie in one component (children come after parents).
            for node in range(n_nodes - 1, -1, -1):
                if n_left[node] < 0:
                    c = comp[n_start[node]]
                    for i in range(n_start[node] + 1, n_end[node]):
                        if comp[i] != c:
                            c = -1
                            break
                    n_comp[node] = c
                elif n_comp[n_left[node]] == n_comp[n_left[node] + 1]:
                    n_comp[node] = n_comp[n_left[node]]
                else:
                    n_comp[node] = -1
            for i in range(n):
                if comp[i] == i:
                    c_best[i] = INFINITY
                    c_u[i] = -1
                    c_tie[i] = 0
            # First the samples whose cached neighbour is still foreign (no
            # search): their edges bound every component's searches below.
            for p in range(n):
                c = comp[p]
                if nn[p] >= 0 and comp[nn[p]] != c:
                    if nn_d[p] < c_best[c]:
                        c_best[c] = nn_d[p]
                        c_u[c] = p
                        c_v[c] = nn[p]
                        c_tie[c] = False  # a tied neighbour is not kept
                    elif nn_d[p] == c_best[c]:
                        c_tie[c] = True
            for t in range(n_threads):
                for i in range(n):
                    if comp[i] == i:
                        t_best[t, i] = c_best[i]
                        t_u[t, i] = c_u[i]
                        t_v[t, i] = c_v[i]
                        t_tie[t, i] = c_tie[i]
            l0 = 0
            while l0 < n_leaves:
                l1 = min(l0 + lblock, n_leaves)
                # Leaves dealt round-robin in tree order: neighbours (close in
                # space, so of similar cost) spread over the threads, and
                # which thread searches a sample is fixed.
                for li in prange(l0, l1, num_threads=n_threads, schedule="static", chunksize=1):
                    t = threadid()
                    node = leaves[li]
                    c = n_comp[node]
                    # A leaf inside one component with no foreign sample
                    # within its best edge so far: none of its samples can
                    # give a lighter edge.
                    if c >= 0 and t_best[t, c] < INFINITY and _leaf_needs_search(
                            n_start[node], n_end[node], c, t_best[t, c], comp, nn, nn_d
                    ) and not _foreign_near_box(
                            &n_lo[node, 0], &n_hi[node, 0], c, t_best[t, c], &PT[0], d, comp,
                            n_comp, n_left, n_start, n_end, n_lo, n_hi):
                        for p in range(n_start[node], n_end[node]):
                            if nn[p] < 0 or comp[nn[p]] == c:
                                nn[p] = -1
                                if t_best[t, c] > nn_d[p]:
                                    nn_d[p] = t_best[t, c]
                        continue
                    for p in range(n_start[node], n_end[node]):
                        c = comp[p]
                        if nn[p] >= 0 and comp[nn[p]] != c:
                            continue  # counted above
                        if nn_d[p] > t_best[t, c]:
                            continue  # its nearest foreign sample is farther than c's best
                        # Search with the component's best as the bound:
                        # samples at exactly that distance are still visited
                        # (ties). (Assigned here so that prange makes them
                        # thread-private.)
                        best_q = -1
                        tie = False
                        best = _nearest_foreign(&Xd[idx[p] * d], c, t_best[t, c], &PT[0], d, comp,
                                                n_comp, n_left, n_start, n_end, n_lo, n_hi,
                                                &best_q, &tie)
                        if best_q < 0:
                            # Nothing within the bound: the bound is a lower bound.
                            nn[p] = -1
                            if best > nn_d[p]:
                                nn_d[p] = best
                            continue
                        # A tied neighbour is not kept (see the module's
                        # docstring); its distance still bounds the next
                        # search from below.
                        nn[p] = -1 if tie else best_q
                        nn_d[p] = best
                        if best < t_best[t, c]:
                            t_best[t, c] = best
                            t_u[t, c] = p
                            t_v[t, c] = best_q
                            t_tie[t, c] = tie
                        elif best == t_best[t, c]:
                            t_tie[t, c] = True
                # A round can take seconds (the first one in 10-d and up).
                with gil:
                    PyErr_CheckSignals()
                l0 = l1
            # Every thread started from the cached edges: a thread's edge is
            # new when lighter, a tie when as light but another edge.
            for t in range(n_threads):
                for i in range(n):
                    if comp[i] != i or t_u[t, i] < 0:
                        continue
                    if t_best[t, i] < c_best[i]:
                        c_best[i] = t_best[t, i]
                        c_u[i] = t_u[t, i]
                        c_v[i] = t_v[t, i]
                        c_tie[i] = t_tie[t, i]
                    elif t_best[t, i] == c_best[i]:
                        if t_u[t, i] != c_u[i] or t_v[t, i] != c_v[i]:
                            c_tie[i] = True
                        elif t_tie[t, i]:
                            c_tie[i] = True
            for i in range(n):
                if comp[i] == i and c_u[i] >= 0 and c_tie[i]:
                    tied = True
            if tied:
                break
            for i in range(n):
                if comp[i] == i and c_u[i] >= 0:
                    p = _find(&parent[0], c_u[i])
                    q = _find(&parent[0], c_v[i])
                    if p != q:
                        parent[p] = q
                        u_out[n_edges] = idx[c_u[i]]
                        v_out[n_edges] = idx[c_v[i]]
                        w_out[n_edges] = c_best[i]
                        n_edges += 1
            for i in range(n):
                comp[i] = _find(&parent[0], i)
            round_ += 1
            with gil:
                PyErr_CheckSignals()
    return bool(tied)
