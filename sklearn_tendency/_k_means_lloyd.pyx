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
  No extra pass over X either way (doc/user_guide/algorithms.rst, section
  algo-lloyd-objective).

Bit-for-bit agreement with scikit-learn's ``lloyd_iter_chunked_dense``
(1.9.1): each GEMM call covers one of its 256-row chunks, so the distances
are its bits. Its centre sums are sequential over the rows
each OpenMP thread receives from ``prange(n_chunks, schedule="static")`` over
chunks of 256 rows; we give each thread the same rows and add the per-thread
sums in thread order, which for one or two threads is the same floating-point
sum as scikit-learn's lock-protected reduction (a + b == b + a). The centres,
hence the labels and the iteration count, are then the same bits as
scikit-learn's, in float32 as in float64.

A thread that finishes its rows early (another process holds its sibling's
core, say) helps: it assigns the last chunks of another thread's rows that
their owner has not reached (``_help_rows``), and the owner only adds those
rows to its sums, in its order. The split of the sums, hence their bits, is
unchanged; only who computes a chunk's distances changes (doc/user_guide/
algorithms.rst, section on the equivalence with scikit-learn).
"""

import numpy as np

from cython cimport floating
from cython.parallel cimport prange
from libc.string cimport memset

from ._k_means_common cimport (
    SKLEARN_CHUNK,
    gemm_minus_2_x_ct_add,
    padded_rows,
    reduce_threads,
    relocations,
    run_lloyd,
    sq_dist,
    thread_row_starts,
    total_objective,
)
from ._k_means_lloyd_h cimport (
    SKT_CHUNK_HELPED,
    SKT_CHUNK_OWNED,
    SKT_HAVE_HELP,
    SKT_THREAD_CPU_CLOCK,
    SKT_WALL_CLOCK,
    skt_accumulate_d,
    skt_accumulate_f,
    skt_centre_row_d,
    skt_centre_row_f,
    skt_chunk_claim,
    skt_chunk_done,
    skt_chunk_state,
    skt_chunk_wait,
    skt_clock_seconds,
    skt_fill_rows_d,
    skt_fill_rows_f,
    skt_rows_d,
    skt_rows_f,
    skt_use_two_pass_argmin,
)
from ._kernel_checks cimport check_nonempty, check_shape
from ._k_means_hamerly import _HamerlySteps
from ._k_means_lloyd_sparse import sparse_steps

# SKLEARN_CHUNK (_k_means_common.pxd), scikit-learn's CHUNK_SIZE: the unit of
# its static split of rows among threads. Our centre sums follow the same
# split (see the module docstring), and it is also our rows per GEMM call:
# every call then covers exactly one of scikit-learn's chunks, so the
# distances are its bits without relying on BLAS giving the same bits for any
# number of rows (with 1024-row float32 chunks on two threads, one
# 200000-sample run ended on labels different from scikit-learn's), and 256
# rows were as fast as or faster than any larger size for every benchmark
# shape (1M x 8, k = 8, float64: 512 rows took 7% longer).


cdef void _assign_rows(
    const floating *X,               # IN (n_samples, n_features)
    const floating *sample_weight,   # IN (n_samples,)
    const floating *centers,         # IN (n_clusters, n_features)
    const floating *centers_sq,      # IN (n_clusters,) squared norms of centers
    int *labels,                     # INOUT (n_samples,) previous labels in, new out
    Py_ssize_t start,                # IN first row
    Py_ssize_t end,                  # IN one past the last row
    int n_clusters,
    int n_features,
    floating *dist,                  # SCRATCH (SKLEARN_CHUNK, n_clusters)
    floating *sums,                  # OUT (n_clusters, n_features) weighted sums
    floating *weights,               # OUT (n_clusters,) weight per cluster
    double *objective,               # OUT see objective_mode
    Py_ssize_t *n_changed,           # OUT rows whose label changed
    bint update_centers,
    bint unit_weights,
    int objective_mode,              # 0: none; 1: sum w (||c||^2 - 2 x.c); 2: sum w ||x - c||^2
    int *state,                      # INOUT chunk states (see _help_rows), or NULL
    const double *chunk_obj,         # IN a helped chunk's objective term
    const Py_ssize_t *chunk_changed,  # IN a helped chunk's changed labels
) noexcept nogil:
    """Assign rows start..end-1 to their nearest centre, in order, and accumulate.

    A chunk another thread has taken (``state``, see :func:`_help_rows`) is
    only added to the sums, once its labels are written, with its objective
    term and changed count where the row loop would have added them: the
    same bits. Time O((end - start) k d), of which the GEMM is nearly all for
    k d large; no memory beyond the caller's buffers.
    """
    cdef:
        Py_ssize_t c0, ci
        int nr, ii
        const floating *x
        double obj = 0.0
        Py_ssize_t changed = 0
        bint two_pass = skt_use_two_pass_argmin(n_clusters)

    if update_centers:
        memset(sums, 0, n_clusters * n_features * sizeof(floating))
        memset(weights, 0, n_clusters * sizeof(floating))

    c0 = start
    while c0 < end:
        nr = <int> min(<Py_ssize_t> SKLEARN_CHUNK, end - c0)
        ci = c0 // SKLEARN_CHUNK
        if state != NULL and not skt_chunk_claim(&state[ci], SKT_CHUNK_OWNED):
            # Helped: its labels are (being) written by another thread.
            skt_chunk_wait(&state[ci])
            obj += chunk_obj[ci]
            changed += chunk_changed[ci]
            if update_centers:
                if floating is float:
                    skt_accumulate_f(nr, n_features, X + c0 * n_features, sample_weight + c0,
                                     labels + c0, sums, weights, unit_weights)
                else:
                    skt_accumulate_d(nr, n_features, X + c0 * n_features, sample_weight + c0,
                                     labels + c0, sums, weights, unit_weights)
            if objective_mode == 2:
                for ii in range(nr):
                    x = X + (c0 + ii) * n_features
                    obj += <double> sample_weight[c0 + ii] * <double> sq_dist(
                        x, centers + labels[c0 + ii] * n_features, n_features)
            c0 += nr
            continue
        # ||c||^2 - 2 x.c, as scikit-learn computes it (the same bits): the
        # ||x||^2 term is common to a row's distances, the argmin needs none.
        if floating is float:
            skt_fill_rows_f(dist, centers_sq, nr, n_clusters)
        else:
            skt_fill_rows_d(dist, centers_sq, nr, n_clusters)
        gemm_minus_2_x_ct_add(X + c0 * n_features, centers, dist, nr, n_clusters, n_features)
        # The rest of the step in one pass over the distances while they are in
        # cache. Counting changed labels there spares the strict-convergence
        # test a pass over two label arrays and the copy of one.
        if floating is float:
            skt_rows_f(dist, nr, n_clusters, n_features, X + c0 * n_features,
                       sample_weight + c0, labels + c0, sums, weights, two_pass,
                       update_centers, unit_weights, objective_mode == 1, &obj, &changed)
        else:
            skt_rows_d(dist, nr, n_clusters, n_features, X + c0 * n_features,
                       sample_weight + c0, labels + c0, sums, weights, two_pass,
                       update_centers, unit_weights, objective_mode == 1, &obj, &changed)
        if objective_mode == 2:
            for ii in range(nr):
                x = X + (c0 + ii) * n_features
                obj += <double> sample_weight[c0 + ii] * <double> sq_dist(
                    x, centers + labels[c0 + ii] * n_features, n_features)
        c0 += nr
    objective[0] = obj
    n_changed[0] = changed


cdef void _help_rows(
    const floating *X,               # IN (n_samples, n_features)
    const floating *sample_weight,   # IN (n_samples,)
    const floating *centers,         # IN (n_clusters, n_features)
    const floating *centers_sq,      # IN (n_clusters,)
    int *labels,                     # INOUT (n_samples,) the helped chunks' labels
    Py_ssize_t start,                # IN first row of another thread's share
    Py_ssize_t end,                  # IN one past its last row
    int n_clusters,
    int n_features,
    floating *dist,                  # SCRATCH (SKLEARN_CHUNK, n_clusters)
    bint unit_weights,
    bint want_obj,                   # IN objective mode 1 in the row loop
    int *state,                      # INOUT chunk states
    double *chunk_obj,               # OUT a helped chunk's objective term
    Py_ssize_t *chunk_changed,       # OUT a helped chunk's changed labels
) noexcept nogil:
    """Assign the last chunks of another thread's rows that it has not reached.

    From the share's last chunk backwards, each chunk still free is taken,
    its distances computed and its rows labelled (the row loop without the
    update of the sums, which stays with the owner, in its row order), and
    marked done; the first chunk the owner holds ends the help. On a machine
    where one core is busy, the thread on the free core so takes over part
    of the slow one's assignment work (the GEMM, nearly all of a pass) instead
    of waiting for it at the end of the pass. No memory beyond the scratch.
    """
    cdef:
        Py_ssize_t c0, ci, first = start // SKLEARN_CHUNK
        Py_ssize_t last = (end - 1) // SKLEARN_CHUNK
        int nr
        double o
        Py_ssize_t ch
        bint two_pass = skt_use_two_pass_argmin(n_clusters)
    if end <= start:
        return
    ci = last
    while ci >= first:
        if not skt_chunk_claim(&state[ci], SKT_CHUNK_HELPED):
            if skt_chunk_state(&state[ci]) == SKT_CHUNK_OWNED:
                return
            ci -= 1  # another helper's (three threads and more)
            continue
        c0 = ci * SKLEARN_CHUNK
        nr = <int> min(<Py_ssize_t> SKLEARN_CHUNK, end - c0)
        if floating is float:
            skt_fill_rows_f(dist, centers_sq, nr, n_clusters)
        else:
            skt_fill_rows_d(dist, centers_sq, nr, n_clusters)
        gemm_minus_2_x_ct_add(X + c0 * n_features, centers, dist, nr, n_clusters, n_features)
        o = 0.0
        ch = 0
        if floating is float:
            skt_rows_f(dist, nr, n_clusters, n_features, X + c0 * n_features,
                       sample_weight + c0, labels + c0, NULL, NULL, two_pass,
                       False, unit_weights, want_obj, &o, &ch)
        else:
            skt_rows_d(dist, nr, n_clusters, n_features, X + c0 * n_features,
                       sample_weight + c0, labels + c0, NULL, NULL, two_pass,
                       False, unit_weights, want_obj, &o, &ch)
        chunk_obj[ci] = o
        chunk_changed[ci] = ch
        skt_chunk_done(&state[ci])
        ci -= 1


cdef void _help_others(
    int t,                           # IN the helping thread
    int n_threads,
    const Py_ssize_t *row_start,     # IN (n_threads + 1,) the threads' shares
    const floating *X,               # the rest as for _help_rows
    const floating *sample_weight,
    const floating *centers,
    const floating *centers_sq,
    int *labels,
    int n_clusters,
    int n_features,
    floating *dist,
    bint unit_weights,
    bint want_obj,
    int *state,
    double *chunk_obj,
    Py_ssize_t *chunk_changed,
) noexcept nogil:
    """_help_rows on every other thread's share, the next thread's first."""
    cdef int o, u
    for o in range(1, n_threads):
        u = (t + o) % n_threads
        _help_rows(X, sample_weight, centers, centers_sq, labels, row_start[u],
                   row_start[u + 1], n_clusters, n_features, dist, unit_weights,
                   want_obj, state, chunk_obj, chunk_changed)


# Tests only: each thread helps the others before its own share, so that
# the helped path runs on most chunks whatever the timing.
cdef bint _help_first = False


def _set_help_first(bint flag):
    global _help_first
    _help_first = flag


# Benchmarks only: False turns the help off (the static split alone), to
# measure what it gains, in one run.
cdef bint _help_enabled = True


def _set_help(bint flag):
    global _help_enabled
    _help_enabled = flag


# The choice of one or several threads per pass (see _pass): 1 measures and
# chooses (the default); 0 always runs the threads (benchmarks measure what
# the choice gains); 2 alternates, one pass on the threads, one on the
# calling thread (tests: both kinds of pass in one run).
cdef int _adapt_mode = 1


def _set_adapt(int mode):
    global _adapt_mode
    _adapt_mode = mode


# The choice between the threads and the calling thread alone (_pass), by
# the measured wall times of both kinds of pass: the preferred kind runs, and
# after a hold of _HOLD_MIN passes, doubling up to _HOLD_MAX each time the
# preferred kind wins again, one pass of the other kind probes it; the
# faster of the two is preferred from then on. One thread is probed only
# while the threads show less than _SUSPECT_SPEEDUP over their own CPU time
# (on an idle machine they show about 2, and one thread is never probed).
cdef enum:
    _HOLD_MIN = 4
    _HOLD_MAX = 64
    # A fresh choice probes one thread after the first pass: on a busy
    # machine each pass on the threads may cost a time slice.
    _FIRST_PROBE = 1
cdef double _SUSPECT_SPEEDUP = 4.0 / 3.0

# The choice is the process's, not one run's: the n_init runs of a fit and
# the fits of a search follow each other on the same machine under the same
# load. A run starting more than _HOLD_SECONDS after the last pass starts
# afresh, on the threads.
cdef double _HOLD_SECONDS = 1.0
cdef bint _prefer_threads = True
cdef Py_ssize_t _left = _FIRST_PROBE
cdef Py_ssize_t _hold = _HOLD_MIN
cdef double _last_choice = -1e300


cdef inline void _forget_stale_choice() noexcept:
    global _prefer_threads, _left, _hold
    if skt_clock_seconds(SKT_WALL_CLOCK) - _last_choice > _HOLD_SECONDS:
        _prefer_threads = True
        _left = _FIRST_PROBE
        _hold = _HOLD_MIN


def _thread_choice(state=None):
    """Tests only: the shared choice ``(prefer_threads, passes before the next
    probe, hold, seconds since the last pass)``, set from ``state`` first if
    given."""
    global _prefer_threads, _left, _hold, _last_choice
    if state is not None:
        _prefer_threads, _left, _hold = state[0], state[1], state[2]
        _last_choice = skt_clock_seconds(SKT_WALL_CLOCK) - state[3]
    return _prefer_threads, _left, _hold, skt_clock_seconds(SKT_WALL_CLOCK) - _last_choice


# Below this many flops of GEMM per pass (2 n k d), a pass runs the threads'
# shares of the rows one after the other on the calling thread: waking a
# second thread costs more than it saves, and when another OpenMP runtime's
# threads are still spinning (scikit-learn ships its own libgomp) the wait can
# exceed the whole pass. The sums stay per share, so the bits do not change.
PARALLEL_MIN_FLOPS = 4_000_000


# One pass over fewer entries of X than this is faster on one thread.
SERIAL_MAX_ITEMS = 1_000_000


cdef class _Workspace:
    """Buffers of a pass over X, and scikit-learn's split of the rows among threads."""
    cdef:
        Py_ssize_t n_samples
        int n_features, n_clusters, n_threads
        bint parallel, help
        Py_ssize_t[::1] row_start
        object sums, weights, objectives, changes, dist, states, chunk_obj, chunk_changed
        # The thread-count choice (_pass; the choice itself is shared, above):
        # passes run, the wall times of the last pass on the threads and on
        # one thread, and each thread's CPU time in the last pass.
        Py_ssize_t n_passes
        double threads_wall, serial_wall
        object cpu

    def __init__(self, Py_ssize_t n_samples, int n_features, int n_clusters,
                 int n_threads, dtype):
        self.n_samples = n_samples
        self.n_features = n_features
        self.n_clusters = n_clusters
        self.row_start = thread_row_starts(n_samples, n_threads)
        self.n_threads = <int> self.row_start.shape[0] - 1
        self.parallel = (self.n_threads > 1
                         and 2.0 * n_samples * n_clusters * n_features >= PARALLEL_MIN_FLOPS)
        self.sums = padded_rows(self.n_threads, n_clusters * n_features, dtype)
        self.weights = padded_rows(self.n_threads, n_clusters, dtype)
        self.objectives = np.empty(self.n_threads, dtype=np.float64)
        self.changes = np.empty(self.n_threads, dtype=np.intp)
        self.dist = padded_rows(self.n_threads, SKLEARN_CHUNK * n_clusters, dtype)
        # Threads that finish their share take over the rest of another's
        # (_help_rows): 16 bytes and an int per chunk of 256 rows.
        self.help = self.parallel and SKT_HAVE_HELP and _help_enabled
        n_chunks = max(1, (n_samples + SKLEARN_CHUNK - 1) // SKLEARN_CHUNK)
        self.states = np.zeros(n_chunks, dtype=np.intc)
        self.chunk_obj = np.zeros(n_chunks, dtype=np.float64)
        self.chunk_changed = np.zeros(n_chunks, dtype=np.intp)
        _forget_stale_choice()
        self.n_passes = 0
        self.threads_wall = np.inf
        self.serial_wall = np.inf
        self.cpu = np.zeros(self.n_threads, dtype=np.float64)

    cpdef bint threads_now(self):
        """Whether this pass runs on the threads (see _pass), and count it."""
        global _left
        cdef bint now = self.parallel
        cdef double known
        if self.parallel:
            if _adapt_mode == 2:
                now = self.n_passes % 2 == 0
            elif _adapt_mode == 1:
                now = _prefer_threads
                if _left > 0:
                    _left -= 1
                else:
                    # A probe, once this run has timed the preferred kind
                    # (a probe is compared with it).
                    known = self.threads_wall if _prefer_threads else self.serial_wall
                    if known < np.inf:
                        now = not _prefer_threads
        self.n_passes += 1
        return now

    cpdef void choose(self, bint threads, double wall, double cpu_sum):
        """Update the choice after a pass (see the module's _HOLD_MIN).

        ``threads``: whether the pass ran on the threads; ``wall``: its wall
        time; ``cpu_sum``: the CPU time its threads spent in it.
        """
        global _prefer_threads, _left, _hold, _last_choice
        cdef double preferred
        if not self.parallel or _adapt_mode != 1:
            return
        preferred = self.threads_wall if _prefer_threads else self.serial_wall
        if threads:
            self.threads_wall = wall
        else:
            self.serial_wall = wall
        if threads != _prefer_threads:
            # A probe: the faster kind is preferred; a lost probe waits
            # twice as long for the next.
            if wall < preferred:
                _prefer_threads = threads
                _hold = _HOLD_MIN
            else:
                _hold = min(2 * _hold, <Py_ssize_t> _HOLD_MAX)
            _left = _hold
        elif threads and not (cpu_sum > 0.0 and wall * _SUSPECT_SPEEDUP > cpu_sum):
            # The threads gain clearly (or there is no clock): no probe of
            # one thread while that lasts.
            _left = _hold = _HOLD_MIN
        _last_choice = skt_clock_seconds(SKT_WALL_CLOCK)


def _pass(
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
):
    """One assignment (and update) pass over X on ws.n_threads threads.

    Returns ``(objective, n_changed)``: the pass's part of the objective,
    ``sum_i w_i (||c_l||^2 - 2 x_i.c_l)``, and the rows whose label changed.

    With ``objective_mode`` 1 on float64 data while updating the centres, the
    objective comes from the cluster sums S_j and weights W_j the update
    accumulates anyway: sum_i w_i (||c_l||^2 - 2 x_i.c_l) = sum_j (W_j
    ||c_j||^2 - 2 c_j.S_j), O(k d) after the pass instead of one multiply-add
    per row in it (measured 2.5% of the fit at n = 10^6, d = k = 8). float32
    sums are float32, as scikit-learn's (their bits make its centres), and
    too coarse for it: float32 rows add their terms in double.

    The pass runs on the threads or on the calling thread alone: the same
    shares of rows and sums in the same order, so the same bits either way.
    The kind of pass is chosen by the wall times measured (ws.threads_now,
    ws.choose): the faster kind runs, and the other is probed after 4 passes,
    then 8, ... up to 64 while it keeps losing; one thread is probed only
    while the threads show less than 4/3 speed-up over their own CPU time.
    One thread wins when another process holds a core: the thread there runs
    in its time slices, and every pass on the threads waits for it at the
    region's end (a time slice, milliseconds, can exceed a whole pass). Two
    clock readings per thread and pass.
    """
    cdef:
        floating[:, ::1] sums = ws.sums
        floating[:, ::1] weights = ws.weights
        double[::1] objectives = ws.objectives
        Py_ssize_t[::1] changes = ws.changes
        floating[:, ::1] dist = ws.dist
        Py_ssize_t[::1] row_start = ws.row_start
        int n_threads = ws.n_threads
        bint parallel = ws.threads_now()
        bint help = ws.help and parallel
        int[::1] states = ws.states
        double[::1] chunk_obj = ws.chunk_obj
        Py_ssize_t[::1] chunk_changed = ws.chunk_changed
        double[::1] cpu = ws.cpu
        double wall, cpu_start, cpu_total = 0.0
        int u
        int *state = &states[0] if help else NULL
        int n_clusters = ws.n_clusters
        int n_features = ws.n_features
        int t, j, f
        double obj = 0.0, dot
        Py_ssize_t changed = 0
        bint by_clusters = floating is double and update_centers and objective_mode == 1
        int row_mode = 0 if by_clusters else objective_mode

    with nogil:
        # A pass below PARALLEL_MIN_FLOPS, or held on one thread by
        # ws.choose, runs the same chunks, in order, on the calling thread
        # alone (the region's `if` clause). Same chunks, same bits.
        if help:
            memset(state, 0, states.shape[0] * sizeof(int))
        wall = skt_clock_seconds(SKT_WALL_CLOCK)
        for t in prange(n_threads, schedule="static", num_threads=n_threads,
                        use_threads_if=parallel):
            cpu_start = skt_clock_seconds(SKT_THREAD_CPU_CLOCK)
            if help and _help_first:
                _help_others(
                    t, n_threads, &row_start[0], &X[0, 0], &sample_weight[0], &centers[0, 0],
                    &centers_sq[0], &labels[0], n_clusters, n_features, &dist[t, 0],
                    unit_weights, row_mode == 1, state, &chunk_obj[0], &chunk_changed[0],
                )
            _assign_rows(
                &X[0, 0], &sample_weight[0], &centers[0, 0], &centers_sq[0],
                &labels[0], row_start[t], row_start[t + 1],
                n_clusters, n_features, &dist[t, 0],
                &sums[t, 0], &weights[t, 0],
                &objectives[t], &changes[t], update_centers, unit_weights,
                row_mode, state, &chunk_obj[0], &chunk_changed[0],
            )
            if help:
                _help_others(
                    t, n_threads, &row_start[0], &X[0, 0], &sample_weight[0], &centers[0, 0],
                    &centers_sq[0], &labels[0], n_clusters, n_features, &dist[t, 0],
                    unit_weights, row_mode == 1, state, &chunk_obj[0], &chunk_changed[0],
                )
            cpu[t] = skt_clock_seconds(SKT_THREAD_CPU_CLOCK) - cpu_start
        wall = skt_clock_seconds(SKT_WALL_CLOCK) - wall
        for u in range(n_threads):
            cpu_total += cpu[u]
        reduce_threads(n_threads, n_clusters, n_features, objectives, changes, sums, weights,
                       update_centers, sums_out, weights_out, &obj, &changed)
        if by_clusters:
            for j in range(n_clusters):
                dot = 0.0
                for f in range(n_features):
                    dot += <double> centers[j, f] * <double> sums_out[j, f]
                obj += <double> weights_out[j] * <double> centers_sq[j] - 2.0 * dot
    ws.choose(parallel, wall, cpu_total)
    return obj, changed


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
    for new_id, old_id, far_idx, weight in relocations(distances, empty, labels, sample_weight):
        sums[old_id] -= X[far_idx] * weight
        sums[new_id] = X[far_idx] * weight
        weights[new_id] = weight
        weights[old_id] -= weight


def _centers_sq_norms(centers, out):
    # numpy's einsum, as scikit-learn's row_norms: the same bits of ||c||^2,
    # hence of every distance, and of the labels at ties.
    np.einsum("ij,ij->i", centers, centers, out=out)


def lloyd(
    X,                         # IN (n_samples, n_features) ndarray, or the CSR triple
    sample_weight,             # IN (n_samples,)
    centers_init,              # IN (n_clusters, n_features)
    double x_sq_norms_sum,     # IN sum_i w_i ||x_i||^2
    Py_ssize_t max_iter,
    double tol,                # IN absolute tolerance on the centre shift
    int n_threads,
    bint store_centers=False,
    int verbose=0,
    bint record_objective=True,
    unit_weights=None,
    bint nonnegative=True,
    bounds=None,
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
    X : ndarray of shape (n_samples, n_features), or tuple of three ndarrays
        Data, float32 or float64, C order, best centred (the GEMM formula
        loses digits far from the origin); or a CSR matrix's ``(data,
        indices, indptr)`` arrays (int32 indices, ``n_features`` being the
        width of ``centers_init``; checked by
        :func:`sklearn_tendency._k_means_lloyd_sparse.check_csr`), run by the
        sparse kernel's pass as scikit-learn runs ``lloyd_iter_chunked_sparse``.
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
    unit_weights : bool or None, default=None
        Whether every weight is 1 (the caller may know: no sample_weight
        given); None checks, in one pass over the weights. Dense X only.
    nonnegative : bool, default=True
        Whether every weight is non-negative: the objective is then clamped
        at 0 against rounding (with negative weights it may be negative).
    bounds : {None, "hamerly"}, default=None
        ``"hamerly"``: the assignment skips the samples that Hamerly's bounds
        prove keep their centre (dense X only;
        :mod:`sklearn_tendency._k_means_hamerly`): the same iterations, the
        labels equal up to near-ties within rounding, the objective computed
        from direct distances.

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
    256 x ``n_clusters`` distances and ``n_clusters x (n_features + 1)``
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
    if isinstance(X, tuple):
        if bounds is not None:
            raise ValueError(f"bounds={bounds!r} needs dense X; sparse X runs Lloyd's pass.")
        steps = sparse_steps(*X, sample_weight, centers_init, n_threads)
    elif bounds is not None and bounds != "hamerly":
        raise ValueError(f"bounds must be None or 'hamerly'; got {bounds!r}.")
    else:
        steps = _dense_steps(X, sample_weight, centers_init, n_threads, unit_weights, bounds)
        if bounds == "hamerly":
            # Its objective is the whole J, from direct distances.
            x_sq_norms_sum = 0.0
    # Both step builders type centers_init with X's floating type: its dtype
    # is X's (a mismatch raised there).
    if centers_init.dtype == np.float32:
        return run_lloyd[float](steps, centers_init, x_sq_norms_sum, max_iter, tol,
                                store_centers, verbose, record_objective, nonnegative)
    return run_lloyd[double](steps, centers_init, x_sq_norms_sum, max_iter, tol,
                             store_centers, verbose, record_objective, nonnegative)


def _dense_steps(
    const floating[:, ::1] X,
    const floating[::1] sample_weight,
    const floating[:, ::1] centers_init,
    int n_threads,
    unit_weights,
    bounds=None,
):
    """The dense side of run_lloyd, after checking the shapes it will read:
    Lloyd's pass, or with ``bounds="hamerly"`` Hamerly's."""
    cdef:
        Py_ssize_t n_samples = X.shape[0]
        int n_features = X.shape[1]
        int n_clusters = centers_init.shape[0]
    check_nonempty("lloyd", n_samples, n_features, n_clusters)
    check_shape("sample_weight", (sample_weight.shape[0],), (n_samples,))
    check_shape("centers_init", (centers_init.shape[0], centers_init.shape[1]), (n_clusters, n_features))
    if unit_weights is None:
        unit_weights = bool(np.all(np.asarray(sample_weight) == 1))
    if bounds == "hamerly":
        return _HamerlySteps(np.asarray(X), np.asarray(sample_weight), n_clusters, n_threads,
                             bool(unit_weights), _relocate_empty_clusters, _final_objective_by_pass)
    dtype = np.float32 if floating is float else np.float64
    return _DenseSteps(
        _Workspace(n_samples, n_features, n_clusters, n_threads, dtype),
        np.asarray(X), np.asarray(sample_weight), bool(unit_weights),
        _pass["float" if floating is float else "double"],
    )


class _DenseSteps:
    """The dense kernel's side of run_lloyd (_k_means_common.pxd)."""

    def __init__(self, ws, X, sample_weight, unit, assign_pass):
        self.ws = ws
        self.X = X
        self.sample_weight = sample_weight
        self.unit = unit
        # Bound to X's dtype once: no fused-type dispatch in every iteration.
        self.assign_pass = assign_pass
        self.labels = np.full(X.shape[0], -1, dtype=np.int32)

    def assign(self, centers, centers_sq, sums, weights, want_objective):
        return self.assign_pass(self.ws, self.X, self.sample_weight, centers, centers_sq,
                                self.labels, sums, weights, True, self.unit,
                                1 if want_objective else 0)

    def relocate(self, centers_old, sums, weights):
        _relocate_empty_clusters(self.X, self.sample_weight, centers_old, sums, weights, self.labels)

    def final_objective(self, *args):
        return _final_objective_by_pass(self, *args)


def _final_objective_by_pass(steps, centers, centers_sq, sums, weights, strict, x_sq_norms_sum,
                             nonnegative):
    """``steps.final_objective`` of the dense kernels (Lloyd's and Hamerly's)."""
    # Through a pass, with the sums into the spare buffers (update on): in
    # float64 the objective then comes from them, as every entry of the
    # history does, so one clustering always gets the same bits (n_init
    # compares them). Without strict convergence the pass reassigns the
    # samples to the returned centres.
    held = steps.labels.copy() if strict else None
    objective, n_changed = steps.assign(centers, centers_sq, sums, weights, True)
    if strict and n_changed:
        # scikit-learn does not reassign after strict convergence (a
        # relocation in the last iteration, or no recording, lands here):
        # the labels stay, with their objective on the final centres.
        steps.labels[:] = held
        return _objective_of_labels(steps.X, steps.sample_weight, centers, steps.labels)
    return total_objective(x_sq_norms_sum, objective, nonnegative)


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
    check_shape("sample_weight", (sample_weight.shape[0],), (n_samples,))
    check_shape("centers", (centers.shape[1],), (n_features,))
    if n_clusters < 1:
        raise ValueError("assign needs at least one centre.")
    dtype = np.float32 if floating is float else np.float64
    labels_np = np.full(n_samples, -1, dtype=np.int32)
    if n_samples == 0:
        return labels_np, 0.0
    ws = _Workspace(n_samples, n_features, n_clusters, n_threads, dtype)
    centers_np = np.asarray(centers)
    centers_sq_np = np.empty(n_clusters, dtype=dtype)
    _centers_sq_norms(centers_np, centers_sq_np)
    cdef floating[::1] centers_sq = centers_sq_np
    cdef int[::1] labels = labels_np
    cdef floating[:, ::1] unused_sums = np.empty((1, 1), dtype=dtype)
    cdef floating[::1] unused_weights = np.empty(1, dtype=dtype)
    obj, _ = _pass(ws, X, sample_weight, centers, centers_sq, labels, unused_sums,
                   unused_weights, False, False, 2 if objective else 0)
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
    check_shape("sample_weight", (sample_weight.shape[0],), (n_samples,))
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
        int n_features = X.shape[1]
        double total = 0.0, row
    check_shape("X_mean", (X_mean.shape[0],), (n_features,))
    check_shape("sample_weight", (sample_weight.shape[0],), (n_samples,))
    check_shape("out", (out.shape[0], out.shape[1]), (n_samples, n_features))
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
