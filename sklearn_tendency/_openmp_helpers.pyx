"""How many OpenMP threads a kernel may use, and BLAS kept off their cores.

The same policy as scikit-learn's private ``_openmp_effective_n_threads``:
``omp_get_max_threads()`` already honours ``OMP_NUM_THREADS`` and any limit set
through ``threadpoolctl.threadpool_limits``, so a user who caps the threads of
scikit-learn caps ours too.
"""

import os
import threading
from numbers import Integral

import numpy as np

cdef extern from *:
    """
    #ifdef _OPENMP
    #include <omp.h>
    #define SKT_OPENMP_ENABLED 1
    #else
    #define SKT_OPENMP_ENABLED 0
    static int omp_get_max_threads(void) { return 1; }
    #endif
    """
    bint SKT_OPENMP_ENABLED
    int omp_get_max_threads() nogil


def effective_n_threads(n_threads=None):
    """Number of threads for a ``prange`` loop, from an ``n_jobs`` value.

    Parameters
    ----------
    n_threads : int or None, default=None
        ``None`` takes ``omp_get_max_threads()`` (itself capped by
        ``OMP_NUM_THREADS`` and threadpoolctl); a positive value is used as
        given up to the number of CPUs; a negative value counts back from the
        number of CPUs as joblib's ``n_jobs`` does (``-1``: all of them).

    Returns
    -------
    n_threads : int
        In ``[1, max(cpu_count, omp_get_max_threads())]``; 1 when the
        extension was built without OpenMP.

    Raises
    ------
    ValueError
        If ``n_threads`` is 0, a bool, or not an integer.

    Notes
    -----
    The cap matters: OpenMP creates the threads it is asked for, so
    ``n_jobs=1000`` ended in "libgomp: Thread creation failed", 100 000 in a
    segmentation fault, and 2**31 overflowed the C ``int`` of ``num_threads``.
    A thread beyond the CPUs only waits for a core.
    """
    n_threads = check_n_jobs(n_threads)
    if not SKT_OPENMP_ENABLED:
        return 1
    max_threads = omp_get_max_threads()
    if n_threads is None:
        return max(1, max_threads)
    cpus = max(os.cpu_count() or 1, max_threads)
    if n_threads < 0:
        return max(1, cpus + 1 + n_threads)
    return min(n_threads, cpus)


def check_n_jobs(n_jobs):
    """``n_jobs`` validated, and capped at the number of CPUs.

    Returns None or a non-zero int (negative values count back from the CPUs,
    as in joblib): what may be passed on to scikit-learn and joblib.

    Raises
    ------
    ValueError
        If ``n_jobs`` is 0, a bool, or not an integer.
    """
    if n_jobs is None:
        return None
    if isinstance(n_jobs, (bool, np.bool_)) or not isinstance(n_jobs, Integral):
        raise ValueError(
            f"n_jobs must be an int or None; got {n_jobs!r} "
            f"({type(n_jobs).__name__})."
        )
    if n_jobs == 0:
        raise ValueError(
            "n_jobs=0 is invalid: give a positive number of threads, a "
            "negative one to count back from the CPUs (-1: all of them), or "
            "None."
        )
    cpus = os.cpu_count() or 1
    return int(max(-cpus, min(n_jobs, cpus)))


_CONTROLLER = None
# One BLAS limit for all the fits running at once: the first to enter sets it,
# the last to leave restores what was there before the first.
_LIMIT_LOCK = threading.Lock()
_LIMIT_COUNT = 0
_LIMITER = None


def _release_openblas_control():
    # threadpoolctl >= 3.6 lets only one "controlling" Python thread change a
    # pthreads OpenBLAS pool, and silently ignores the others until that thread
    # leaves a ``with`` block or dies. Our limit is set by the first fit in and
    # restored by the last one out, often two different threads, so the
    # restore was dropped and BLAS stayed at one thread (about 1 run in 30 of
    # 48 concurrent fits). The lock above already serialises our set and
    # restore; releasing control around them keeps the count authoritative,
    # and leaves the pool free for the user's own threadpool_limits.
    from threadpoolctl import OpenBLASController

    clear = getattr(OpenBLASController, "clear_controlling_thread", None)
    if clear is not None:
        clear(force=True)


class _BlasSingleThreaded:
    def __enter__(self):
        global _CONTROLLER, _LIMIT_COUNT, _LIMITER
        with _LIMIT_LOCK:
            if _LIMIT_COUNT == 0:
                if _CONTROLLER is None:
                    from threadpoolctl import ThreadpoolController

                    _CONTROLLER = ThreadpoolController()
                _release_openblas_control()
                _LIMITER = _CONTROLLER.limit(limits=1, user_api="blas")
                _release_openblas_control()
            _LIMIT_COUNT += 1
        return self

    def __exit__(self, *exc_info):
        global _LIMIT_COUNT, _LIMITER
        with _LIMIT_LOCK:
            _LIMIT_COUNT -= 1
            if _LIMIT_COUNT == 0:
                _release_openblas_control()
                _LIMITER.restore_original_limits()
                _release_openblas_control()
                _LIMITER = None
        return False


def blas_single_threaded():
    """BLAS limited to one thread while our OpenMP threads run beside it.

    A multithreaded GEMM inside each OpenMP thread would oversubscribe the
    cores (scikit-learn limits BLAS the same way around its Lloyd kernel), and
    BLAS threads left spinning after a call slow an OpenMP pass that follows
    it. The controller is built once: scanning the loaded libraries costs
    milliseconds, as much as a whole fit on small data.

    Safe when fits overlap (several Python threads): each threadpoolctl
    context restores the limits it saw on entry, so two overlapping contexts
    would leave BLAS at one thread for good. Here one lock and a count of the
    fits inside share a single limit: the first fit in sets it, the last one
    out restores the limits from before the first.
    """
    return _BlasSingleThreaded()
