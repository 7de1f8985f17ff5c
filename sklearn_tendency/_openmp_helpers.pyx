"""How many OpenMP threads a kernel may use, and BLAS kept off their cores.

The same policy as scikit-learn's private ``_openmp_effective_n_threads``:
``omp_get_max_threads()`` already honours ``OMP_NUM_THREADS`` and any limit set
through ``threadpoolctl.threadpool_limits``, so a user who caps the threads of
scikit-learn caps ours too.
"""

import os

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
    """Number of threads for a ``prange`` loop.

    Parameters
    ----------
    n_threads : int or None, default=None
        ``None`` takes ``omp_get_max_threads()`` (itself capped by
        ``OMP_NUM_THREADS`` and threadpoolctl); a positive value is used as
        given; a negative value counts back from the number of CPUs as joblib's
        ``n_jobs`` does (``-1``: all of them).

    Returns
    -------
    n_threads : int
        At least 1; 1 when the extension was built without OpenMP.
    """
    if n_threads == 0:
        raise ValueError("n_threads = 0 is invalid")
    if not SKT_OPENMP_ENABLED:
        return 1
    max_threads = omp_get_max_threads()
    if n_threads is None:
        return max(1, max_threads)
    if n_threads < 0:
        return max(1, (os.cpu_count() or 1) + 1 + n_threads)
    return n_threads


_CONTROLLER = None


def blas_single_threaded():
    """BLAS limited to one thread while our OpenMP threads run beside it.

    A multithreaded GEMM inside each OpenMP thread would oversubscribe the
    cores (scikit-learn limits BLAS the same way around its Lloyd kernel), and
    BLAS threads left spinning after a call slow an OpenMP pass that follows
    it. The controller is built once: scanning the loaded libraries costs
    milliseconds, as much as a whole fit on small data.
    """
    global _CONTROLLER
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")
