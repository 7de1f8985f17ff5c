"""Cython kernels of VAT and iVAT.

VAT (Bezdek & Hathaway, 2002) orders the samples by Prim's algorithm from the
sample at one end of the largest dissimilarity; the distance that attached each
sample (its *cut weight*) is an edge of the minimum spanning tree. iVAT (Havens &
Bezdek, 2012) replaces every dissimilarity by the minimax path distance, which in
VAT order is a range maximum of the cut weights::

    iVAT[i, j] = max(cut_weights[i + 1 .. j])    for i < j

so the iVAT image needs the cut weights only.

Ties are broken towards the lowest sample index everywhere
(doc/user_guide/algorithms.rst, section algo-ties), so the order is a
deterministic function of the dissimilarities.
"""

from cpython.exc cimport PyErr_CheckSignals
from cython cimport floating
from cython.parallel cimport prange
from libc.math cimport sqrt, fabs, INFINITY

from ._distances cimport (
    METRIC_CHEBYSHEV, METRIC_MANHATTAN, METRIC_SQEUCLIDEAN, check_metric, intp_t,
    pair_distance,
)
from ._kernel_checks cimport check_index, check_shape

import numpy as np


# The small loops of the float32 filter, and the wall clock of the thread
# policy, in C: see the header.
cdef extern from "_vat_prim.h":
    int SKT_TILE
    void skt_panel_filter(const float *xc, const float *panels, int d,
                          intp_t n_tiles, const float *thr, float far_lo,
                          float *out, unsigned char *undecided) noexcept nogil
    intp_t skt_first_equal(const double *v, intp_t m, double x) noexcept nogil
    double skt_min(const double *v, intp_t m) noexcept nogil
    float skt_f32_up(double x) noexcept nogil
    float skt_f32_down(double x) noexcept nogil
    double omp_get_wtime() noexcept nogil

# Feature-matrix metrics the kernel evaluates itself (codes of _distances.pxd);
# any other metric goes through scikit-learn's pairwise_distances one row at a
# time.
NATIVE_METRICS = {
    "euclidean": METRIC_SQEUCLIDEAN,  # compared squared, square-rooted on output
    "l2": METRIC_SQEUCLIDEAN,
    "sqeuclidean": METRIC_SQEUCLIDEAN,
    "manhattan": METRIC_MANHATTAN,
    "cityblock": METRIC_MANHATTAN,
    "l1": METRIC_MANHATTAN,
    "chebyshev": METRIC_CHEBYSHEV,
    "infinity": METRIC_CHEBYSHEV,
}

# Below this much work (open candidates times features) a step runs on one
# thread: waking a team of threads costs more than the step.
cdef intp_t PARALLEL_MIN_WORK = 1 << 20
# Above it, every step still ends at a barrier, and when another process holds
# a core the whole team waits for the descheduled thread, step after step (2
# threads measured 6x slower than 1 on a busy 2-core machine). So the steps run
# in epochs of EPOCH_STEPS, each timed, and an epoch is parallel only while the
# parallel steps cost less per unit of work than the one-thread steps; every
# PROBE_EVERY epochs the other mode is timed again, so the choice follows the
# load. The result does not depend on the mode.
cdef intp_t EPOCH_STEPS = 64
cdef intp_t PROBE_EVERY = 64


def _set_parallel_min_work(intp_t work):
    """Set the one-thread threshold; returns the previous value. With 0 every
    step runs in parallel, without timing (the tests run the parallel steps on
    small data that way)."""
    global PARALLEL_MIN_WORK
    previous = PARALLEL_MIN_WORK
    PARALLEL_MIN_WORK = work
    return previous


def farthest_pair_start(
    const floating[:, ::1] X,   # IN (n_samples, n_features)
    int metric,                 # IN one of the METRIC_* codes
    int n_threads,              # IN
):
    """Row of the first maximum of the dissimilarity matrix, in row-major order.

    Scans every pair once, computing distances on the fly.

    Time O(n^2 d), extra memory O(n_threads).

    Returns
    -------
    start : int
        The smallest row index i such that some j has d(i, j) equal to the
        largest dissimilarity.
    max_dissimilarity : float
        That dissimilarity (squared for the Euclidean code).
    """
    cdef:
        intp_t n = X.shape[0]
        intp_t i, j
        double dij, row_max
        double[::1] row_best = np.zeros(n, dtype=np.float64)
        intp_t start = 0
        double best = -1.0

    check_metric(metric)
    with nogil:
        # Each row's maximum over the columns after it (each pair once).
        for i in prange(n, num_threads=n_threads, schedule="dynamic", chunksize=16):
            row_max = 0.0
            for j in range(i + 1, n):
                dij = pair_distance(X, i, j, metric)
                if dij > row_max:
                    row_max = dij
            row_best[i] = row_max
        # The first maximum in row-major order lies in the smallest row that is
        # an endpoint of a maximal pair: that row attains the maximum with a
        # later column, so the first strict maximum of row_best is that row.
        for i in range(n):
            if row_best[i] > best:
                best = row_best[i]
                start = i
    return start, best


# Candidates per block of the distance loop: the block's accumulators stay in
# L1 while the feature-major rows stream past them. A multiple of SKT_TILE, so
# that every block of the float32 filter starts a panel.
cdef intp_t BLOCK = 256


cdef inline void _block_distances(
    const double* xc,           # IN (d,) the sample just attached
    floating* XT,               # IN (d, stride) open samples, feature-major
    intp_t stride, intp_t d, intp_t b0, intp_t m, int metric,
    double* acc,                # OUT (m,)
) noexcept nogil:
    """Distances from xc to m consecutive columns of XT.

    Each pair is summed over the features in order, exactly as
    ``pair_distance`` sums it (the same rounding), but the loop runs across
    candidates, so it vectorizes without reassociating any sum.
    """
    cdef intp_t k, t
    cdef double xk, diff
    cdef floating* row
    for t in range(m):
        acc[t] = 0.0
    for k in range(d):
        xk = xc[k]
        row = XT + k * stride + b0
        if metric == METRIC_SQEUCLIDEAN:
            for t in range(m):
                diff = <double> row[t] - xk
                acc[t] += diff * diff
        elif metric == METRIC_MANHATTAN:
            for t in range(m):
                acc[t] += fabs(<double> row[t] - xk)
        else:
            for t in range(m):
                diff = fabs(<double> row[t] - xk)
                if diff > acc[t]:
                    acc[t] = diff


cdef inline bint _offer(
    double dj, intp_t current, intp_t j, intp_t p,
    double* to_tree, intp_t* source,    # INOUT (n_open,)
    double* far_d, intp_t* far_row,     # INOUT the farthest pair so far
    int* tie,                           # INOUT bit 1: a tie with to_tree
) noexcept nogil:
    """An exact distance d(current, j) meets a step's bookkeeping.

    It may become the farthest pair (first row on ties) and lower the open
    column p's distance to the tree; an equal distance is a tie. Returns
    whether the distance to the tree decreased.
    """
    cdef intp_t row_min = current if current < j else j
    if dj > far_d[0] or (dj == far_d[0] and row_min < far_row[0]):
        far_d[0] = dj
        far_row[0] = row_min
    if dj < to_tree[p]:
        to_tree[p] = dj
        source[p] = current
        return True
    if dj == to_tree[p]:
        tie[0] = tie[0] | 1
    return False


cdef inline void _chunk_result(
    double l_best_d, intp_t l_best_p, double l_far_d, intp_t l_far_row, int l_tie,
    double* best_d, intp_t* best_p, double* far_d, intp_t* far_row,
    unsigned char* tie,         # OUT a chunk scan's results (see _scan_exact)
) noexcept nogil:
    best_d[0] = l_best_d
    best_p[0] = l_best_p
    far_d[0] = l_far_d
    far_row[0] = l_far_row
    tie[0] = <unsigned char> l_tie


cdef inline intp_t _first_open(const unsigned char* closed, intp_t n) noexcept nogil:
    # A step that found no minimum is only reachable with NaN distances, which
    # the callers reject; attaching the lowest open index beats looping forever.
    cdef intp_t p
    for p in range(n):
        if not closed[p]:
            return p
    return n


cdef void _scan_exact(
    const floating[:, ::1] X,   # IN (n_samples, n_features), for the sentinel n
    const double* xc,           # IN (d,) the sample just attached
    floating* XT,               # IN (d, stride) open samples, feature-major
    intp_t stride, intp_t d, int metric, intp_t current,
    intp_t lo, intp_t hi,       # IN the chunk's columns
    const intp_t* index,        # IN (n_open,) sample of each column
    const unsigned char* closed,  # IN (n_open,)
    double* to_tree,            # INOUT (n_open,) distance to the tree
    intp_t* source,             # INOUT (n_open,) closed sample at that distance
    double* acc,                # scratch (BLOCK,)
    double* best_d, intp_t* best_p, double* far_d, intp_t* far_row,
    unsigned char* tie,         # OUT the chunk's minimum, farthest pair, ties
) noexcept nogil:
    """One chunk of a Prim's step with every distance computed exactly."""
    cdef:
        intp_t n = X.shape[0], b0 = lo, m, t, p
        double v, l_best_d = INFINITY, l_far_d = -1.0
        intp_t l_best_p = n, l_far_row = n
        int l_tie = 0
    while b0 < hi:
        m = min(BLOCK, hi - b0)
        _block_distances(xc, XT, stride, d, b0, m, metric, acc)
        for t in range(m):
            p = b0 + t
            if closed[p]:
                continue
            _offer(acc[t], current, index[p], p, to_tree, source,
                   &l_far_d, &l_far_row, &l_tie)
            # Columns are in index order: the first minimum met in a chunk has
            # the chunk's lowest index.
            v = to_tree[p]
            if v < l_best_d:
                l_best_d = v
                l_best_p = p
                l_tie = l_tie & 1
            elif v == l_best_d:
                l_tie = l_tie | 2
        b0 = b0 + m
    _chunk_result(l_best_d, l_best_p, l_far_d, l_far_row, l_tie,
                  best_d, best_p, far_d, far_row, tie)


cdef void _scan_filtered(
    const floating[:, ::1] X,   # IN (n_samples, n_features) exact data
    const float* xc,            # IN (d,) float32 copy of the sample just attached
    const float* panels,        # IN open samples, float32, panel-major (SKT_TILE)
    intp_t d, int metric, intp_t current,
    intp_t lo, intp_t hi,       # IN the chunk's columns; lo a multiple of SKT_TILE
    const intp_t* index,        # IN (n_open,) sample of each column
    const unsigned char* closed,  # IN (n_open,)
    double* to_tree,            # INOUT (n_open,) distance to the tree; inf if closed
    intp_t* source,             # INOUT (n_open,)
    float* thr,                 # INOUT (n_open,) float32 distance above which a
                                #       candidate cannot lower (or tie) to_tree
    const double* eps,          # IN (n_samples,) the float32 copy's error bounds
    double rho, double slack,   # IN float32 arithmetic: relative and absolute error
    float far_lo,               # IN below it a pair is shorter than the farthest so far
    float* da,                  # scratch (BLOCK,)
    unsigned char* undecided,   # scratch (BLOCK // SKT_TILE,)
    double* best_d, intp_t* best_p, double* far_d, intp_t* far_row,
    unsigned char* tie,         # OUT as in _scan_exact
) noexcept nogil:
    """One chunk of a Prim's step through the float32 filter.

    The float32 distances of a block are computed tile by tile (16
    candidates), each tile with a flag saying whether any of its candidates is
    undecided; few are (about one per decrease of a sample's distance to the
    tree), so the exact recomputation and its bookkeeping run only in flagged
    tiles, and the minimum of the block is one vectorised reduction.
    """
    cdef:
        intp_t n = X.shape[0], b0 = lo, m, t, p, j, q, n_tiles
        double dj, bm, up, l_best_d = INFINITY, l_far_d = -1.0
        intp_t l_best_p = n, l_far_row = n
        int l_tie = 0
    while b0 < hi:
        m = min(BLOCK, hi - b0)
        n_tiles = (m + SKT_TILE - 1) // SKT_TILE
        skt_panel_filter(xc, panels + b0 * d, <int> d, n_tiles, thr + b0, far_lo,
                         da, undecided)
        for q in range(n_tiles):
            if not undecided[q]:
                continue
            for t in range(q * SKT_TILE, min((q + 1) * SKT_TILE, m)):
                p = b0 + t
                if closed[p] or (da[t] > thr[p] and da[t] < far_lo):
                    continue
                j = index[p]
                dj = pair_distance(X, current, j, metric)
                if _offer(dj, current, j, p, to_tree, source,
                          &l_far_d, &l_far_row, &l_tie):
                    # The float32 distance d'' of a pair with exact shadow
                    # distance d' obeys d'' >= (1 - rho) d' - slack, and
                    # sqrt(d') - eps[j] bounds the exact distance from below;
                    # above this threshold the pair is provably longer.
                    up = sqrt(dj) + eps[j]
                    thr[p] = skt_f32_up(((1 + rho) * up * up + slack) * (1 + 1e-12))
        # Closed columns hold +inf, so the block minimum is over open samples;
        # ties are resolved as in _scan_exact's sequential scan.
        bm = skt_min(to_tree + b0, m)
        if bm < l_best_d:
            t = skt_first_equal(to_tree + b0, m, bm)
            l_best_p = b0 + t
            l_best_d = bm
            l_tie = l_tie & 1
            if skt_first_equal(to_tree + b0 + t + 1, m - t - 1, bm) < m - t - 1:
                l_tie = l_tie | 2
        elif bm == l_best_d:
            l_tie = l_tie | 2
        b0 = b0 + m
    _chunk_result(l_best_d, l_best_p, l_far_d, l_far_row, l_tie,
                  best_d, best_p, far_d, far_row, tie)


def prim_features(
    const floating[:, ::1] X,       # IN (n_samples, n_features)
    intp_t start,                   # IN first sample of the order
    int metric,                     # IN one of the METRIC_* codes
    intp_t[::1] order,              # OUT (n_samples,) VAT order
    double[::1] cut_weights,        # OUT (n_samples,) attaching distances, 0 first
    intp_t[::1] attached_to,        # OUT (n_samples,) closed sample that attached order[k]
    int n_threads,                  # IN
    object progress=None,           # IN callable(step) or None; may raise
    const float[:, ::1] shadow=None,  # IN (n_samples, n_features) optional float32 filter copy
    const double[::1] eps=None,     # IN (n_samples,) its error bounds (Euclidean)
    double eps_max=0.0,             # IN max(eps)
):
    """Prim's algorithm on a feature matrix with distances computed on the fly.

    At every step the distance from the sample just attached to every open
    sample updates the open samples' distance to the tree; the nearest open
    sample (lowest index on ties) is attached next.

    Every pair is computed exactly once (when the earlier of its two samples is
    attached), so the same pass also returns the largest dissimilarity and the
    first row holding it, and reports whether any tie met the algorithm: two
    equal candidate distances of one open sample, or two open samples at the
    minimum. Without ties the minimum spanning tree is unique (each cut Prim
    closed had a unique lightest edge), which is what lets the caller reorder
    from another start by traversing the tree alone
    (doc/user_guide/algorithms.rst, section algo-tree-route).

    The open samples are kept as a feature-major copy of X, compacted when half
    of its columns are closed, so each step streams contiguous memory and its
    inner loop runs across samples (vectorized, each pair summed in feature
    order like ``pair_distance``).

    With ``shadow`` (Euclidean metric codes only), the per-step stream reads a
    float32 copy of the centred data instead (half the bytes of float64 data),
    laid out in panels of ``SKT_TILE`` samples and summed in float32
    arithmetic (a tile's accumulators stay in registers). Its squared distance
    d'' satisfies ``(1 - rho) d' - slack <= d'' <= (1 + rho) d' + slack`` for
    the exact squared distance d' of the float32 rows, with ``rho = 2 (d + 2)
    2**-24`` (twice the bound of d + 1 roundings of positive terms) and
    ``slack = d 2**-148`` (float32 underflow), and ``|sqrt(d') - sqrt(d)| <=
    eps[j]`` for the exact distance d. So a candidate whose d'' proves it can
    neither lower its distance to the tree (nor tie it) nor reach the largest
    distance so far is skipped, and every other one is recomputed exactly from
    X (doc/user_guide/algorithms.rst, section algo-float32-filter). The result
    is the same, bit for bit; the exact recomputations are few (about the
    number of times a sample's distance to the tree decreases).

    A step whose work is below the parallel threshold runs on the calling
    thread, without entering an OpenMP region (n of them per run); above it,
    epochs of steps run in parallel only while that is measured to be faster
    (see ``EPOCH_STEPS``), so that a busy core does not stall every step.

    Time O(n^2 d); peak extra memory: the feature-major copy of X (n d
    itemsize bytes), or with ``shadow`` its panels (4 d bytes per sample,
    rounded up to a whole panel; the caller's shadow is another 4 n d), plus
    29 n bytes of per-sample state (distance to the tree, its source, the
    column index, the closed flag, the float32 threshold). Cut weights are
    returned as computed by ``metric`` (squared for the Euclidean code; the
    caller takes the square root).
    ``progress(step)`` is called with the GIL every 64 steps: it may raise
    (e.g. KeyboardInterrupt from ``PyErr_CheckSignals``) to abandon the run.

    Returns
    -------
    far_row : int
        The smallest index i such that some j has d(i, j) equal to the
        largest dissimilarity (the first maximum in row-major order).
    far_value : float
        That dissimilarity (as computed by ``metric``).
    tied : bool
        Whether a tie met the algorithm (see above).
    """
    cdef:
        intp_t n = X.shape[0], d = X.shape[1]
        intp_t step, r, p, q, j, n_open, n_live, n_chunks, c, lo, hi, chunk, k
        intp_t n_filled, src, dst
        intp_t current = start, best_j, best_p
        double best_d, far_d = -1.0, s
        intp_t far_row = n
        int nt, tied = 0
        # Thread policy: seconds per unit of work of each mode (< 0: not timed
        # yet), the current epoch's mode, time and work.
        double par_cost = -1.0, seq_cost = -1.0, epoch_time = 0.0, t_step = 0.0
        intp_t epoch = 0, epoch_work = 0, work
        bint epoch_parallel = True, eligible, timed = PARALLEL_MIN_WORK > 0
        bint filtered = shadow is not None
        intp_t n_tiles = (n + SKT_TILE - 1) // SKT_TILE
        floating[:, ::1] XT = np.empty(
            (1 if filtered else d, 1 if filtered else n),
            dtype=np.float32 if floating is float else np.float64,
        )
        # Panel q holds samples q*SKT_TILE.. feature-major; zeros in the lanes
        # past the last sample, which the last tile reads but nobody uses.
        float[::1] panels = np.zeros(
            n_tiles * SKT_TILE * d if filtered else 1, dtype=np.float32
        )
        # One entry per lane of every panel: the last tile reads past n_open.
        float[::1] thr = np.full(
            n_tiles * SKT_TILE if filtered else 1, INFINITY, dtype=np.float32
        )
        float far_lo = -INFINITY
        double rho = 2.0 * (d + 2) * 2.0 ** -24, slack = d * 2.0 ** -148
        float[::1] xcf = np.empty(d if filtered else 1, dtype=np.float32)
        double[::1] xc = np.empty(d, dtype=np.float64)
        double[::1] to_tree = np.full(n, INFINITY, dtype=np.float64)
        intp_t[::1] source = np.empty(n, dtype=np.intp)
        intp_t[::1] index = np.empty(n, dtype=np.intp)
        unsigned char[::1] closed = np.zeros(n, dtype=np.uint8)
        double[::1] chunk_best_d, chunk_far_d, acc
        float[::1] daf
        unsigned char[::1] und
        intp_t[::1] chunk_best_p, chunk_far_row
        unsigned char[::1] chunk_tie

    check_metric(metric)
    check_index("start", start, n)
    for name, out in (("order", order), ("cut_weights", cut_weights),
                      ("attached_to", attached_to)):
        check_shape(name, (out.shape[0],), (n,))
    if filtered:
        check_shape("shadow", (shadow.shape[0], shadow.shape[1]), (n, d))
        if eps is None:
            raise ValueError("eps (the shadow's error bounds) is needed with shadow.")
        check_shape("eps", (eps.shape[0],), (n,))
    n_chunks = max(n_threads, 1) * 4
    chunk_best_d = np.empty(n_chunks, dtype=np.float64)
    chunk_best_p = np.empty(n_chunks, dtype=np.intp)
    chunk_far_d = np.empty(n_chunks, dtype=np.float64)
    chunk_far_row = np.empty(n_chunks, dtype=np.intp)
    chunk_tie = np.empty(n_chunks, dtype=np.uint8)
    acc = np.empty(1 if filtered else n_chunks * BLOCK, dtype=np.float64)
    daf = np.empty(n_chunks * BLOCK if filtered else 1, dtype=np.float32)
    und = np.empty(n_chunks * (BLOCK // SKT_TILE) if filtered else 1, dtype=np.uint8)

    with nogil:
        # Column p (of XT, or lane p % SKT_TILE of panel p // SKT_TILE) holds
        # sample index[p]; columns stay in index order.
        n_open = 0
        for j in range(n):
            if j != start:
                index[n_open] = j
                if filtered:
                    q = (n_open // SKT_TILE) * SKT_TILE * d + n_open % SKT_TILE
                    for k in range(d):
                        panels[q + k * SKT_TILE] = shadow[j, k]
                else:
                    for k in range(d):
                        XT[k, n_open] = X[j, k]
                n_open += 1
        n_live = n_open
        order[0] = start
        cut_weights[0] = 0.0
        attached_to[0] = start

        for step in range(1, n):
            if filtered:
                for k in range(d):
                    xcf[k] = shadow[current, k]
                # Below far_lo a pair is provably shorter than the largest so
                # far: d'' < far_lo gives sqrt(d) <= sqrt((d'' + slack) /
                # (1 - rho)) + eps_max < sqrt(far_d).
                far_lo = -INFINITY
                if far_d >= 0:
                    s = sqrt(far_d) - 2 * eps_max
                    if s > 0:
                        far_lo = skt_f32_down(((1 - rho) * s * s - slack) * (1 - 1e-12))
            else:
                for k in range(d):
                    xc[k] = X[current, k]
            if step % EPOCH_STEPS == 1 and timed:
                if epoch_work > 0:
                    if epoch_parallel:
                        par_cost = epoch_time / epoch_work
                    else:
                        seq_cost = epoch_time / epoch_work
                epoch += 1
                epoch_time = 0.0
                epoch_work = 0
                if par_cost < 0 or seq_cost < 0:
                    epoch_parallel = par_cost < 0
                else:
                    epoch_parallel = (par_cost <= seq_cost) != (epoch % PROBE_EVERY == 0)
            work = n_open * max(d, 1)
            eligible = n_threads > 1 and work >= PARALLEL_MIN_WORK
            nt = n_threads if eligible and epoch_parallel else 1
            if eligible and timed:
                t_step = omp_get_wtime()
            if nt == 1:
                # One chunk on this thread: no OpenMP region to enter.
                if filtered:
                    _scan_filtered(
                        X, &xcf[0], &panels[0], d, metric, current, 0, n_open,
                        &index[0], &closed[0], &to_tree[0], &source[0], &thr[0],
                        &eps[0], rho, slack, far_lo, &daf[0], &und[0],
                        &chunk_best_d[0], &chunk_best_p[0], &chunk_far_d[0],
                        &chunk_far_row[0], &chunk_tie[0],
                    )
                else:
                    _scan_exact(
                        X, &xc[0], &XT[0, 0], n, d, metric, current, 0, n_open,
                        &index[0], &closed[0], &to_tree[0], &source[0], &acc[0],
                        &chunk_best_d[0], &chunk_best_p[0], &chunk_far_d[0],
                        &chunk_far_row[0], &chunk_tie[0],
                    )
                n_filled = 1
            else:
                # Whole tiles per chunk, so that every chunk starts a panel.
                chunk = (n_open + n_chunks - 1) // n_chunks
                chunk = (chunk + SKT_TILE - 1) // SKT_TILE * SKT_TILE
                # Dynamic: a thread that lost its core to another process
                # leaves its chunks to the others.
                for c in prange(n_chunks, num_threads=nt, schedule="dynamic"):
                    lo = min(c * chunk, n_open)
                    hi = min(lo + chunk, n_open)
                    if filtered:
                        _scan_filtered(
                            X, &xcf[0], &panels[0], d, metric, current, lo, hi,
                            &index[0], &closed[0], &to_tree[0], &source[0],
                            &thr[0], &eps[0], rho, slack, far_lo,
                            &daf[c * BLOCK], &und[c * (BLOCK // SKT_TILE)],
                            &chunk_best_d[c], &chunk_best_p[c], &chunk_far_d[c],
                            &chunk_far_row[c], &chunk_tie[c],
                        )
                    else:
                        _scan_exact(
                            X, &xc[0], &XT[0, 0], n, d, metric, current, lo, hi,
                            &index[0], &closed[0], &to_tree[0], &source[0],
                            &acc[c * BLOCK],
                            &chunk_best_d[c], &chunk_best_p[c], &chunk_far_d[c],
                            &chunk_far_row[c], &chunk_tie[c],
                        )
                n_filled = n_chunks
            if eligible and timed:
                epoch_time += omp_get_wtime() - t_step
                epoch_work += work
            best_d = INFINITY
            best_p = n
            for c in range(n_filled):
                if chunk_tie[c] & 1:
                    tied = 1
                if chunk_far_d[c] > far_d or (
                    chunk_far_d[c] == far_d and chunk_far_row[c] < far_row
                ):
                    far_d = chunk_far_d[c]
                    far_row = chunk_far_row[c]
                if chunk_best_d[c] < best_d or (
                    chunk_best_d[c] == best_d and chunk_best_p[c] < best_p
                ):
                    best_d = chunk_best_d[c]
                    best_p = chunk_best_p[c]
            for c in range(n_filled):
                # Two open samples at the minimum: in two chunks, or in one.
                if chunk_best_d[c] == best_d and (
                    chunk_best_p[c] != best_p or chunk_tie[c] & 2
                ):
                    tied = 1
            if best_p == n:
                best_p = _first_open(&closed[0], n_open)
                best_d = to_tree[best_p]
                tied = 1
            best_j = index[best_p]
            closed[best_p] = 1
            # A closed column never wins a minimum again, nor asks the filter
            # for an exact distance.
            to_tree[best_p] = INFINITY
            if filtered:
                thr[best_p] = -INFINITY
            order[step] = best_j
            cut_weights[step] = best_d
            attached_to[step] = source[best_p]
            current = best_j
            n_live -= 1
            if 2 * n_live < n_open:
                r = 0
                for p in range(n_open):
                    if not closed[p]:
                        if r != p:
                            if filtered:
                                src = (p // SKT_TILE) * SKT_TILE * d + p % SKT_TILE
                                dst = (r // SKT_TILE) * SKT_TILE * d + r % SKT_TILE
                                for k in range(d):
                                    panels[dst + k * SKT_TILE] = panels[src + k * SKT_TILE]
                                thr[r] = thr[p]
                            else:
                                for k in range(d):
                                    XT[k, r] = XT[k, p]
                            index[r] = index[p]
                            to_tree[r] = to_tree[p]
                            source[r] = source[p]
                            closed[r] = 0
                        r += 1
                for p in range(r, n_open):
                    closed[p] = 0
                n_open = r
            if step % 64 == 0:
                with gil:
                    PyErr_CheckSignals()
                    if progress is not None:
                        progress(step)
    return int(far_row), float(far_d), bool(tied)


def prim_precomputed(
    const floating[:, ::1] D,       # IN (n_samples, n_samples) dissimilarities
    intp_t start,                   # IN first sample of the order
    intp_t[::1] order,              # OUT (n_samples,) VAT order
    double[::1] cut_weights,        # OUT (n_samples,) attaching distances, 0 first
):
    """Prim's algorithm on a dissimilarity matrix, reading one row per step.

    Time O(n^2); extra memory O(n) beyond the matrix itself.
    """
    cdef:
        intp_t n = D.shape[0]
        intp_t step, j, current = start, best_j
        double dj, best_d
        double[::1] to_tree = np.full(n, INFINITY, dtype=np.float64)
        unsigned char[::1] closed = np.zeros(n, dtype=np.uint8)

    check_shape("D", (D.shape[0], D.shape[1]), (n, n))
    check_index("start", start, n)
    check_shape("order", (order.shape[0],), (n,))
    check_shape("cut_weights", (cut_weights.shape[0],), (n,))
    with nogil:
        closed[start] = 1
        order[0] = start
        cut_weights[0] = 0.0
        for step in range(1, n):
            best_d = INFINITY
            best_j = n
            for j in range(n):
                if closed[j]:
                    continue
                dj = D[current, j]
                if dj < to_tree[j]:
                    to_tree[j] = dj
                if to_tree[j] < best_d:
                    best_d = to_tree[j]
                    best_j = j
            if best_j == n:
                best_j = _first_open(&closed[0], n)
                best_d = to_tree[best_j]
            closed[best_j] = 1
            order[step] = best_j
            cut_weights[step] = best_d
            current = best_j
