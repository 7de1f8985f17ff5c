"""Input checks shared by the estimators and functions of the package."""

import numpy as np
from scipy import sparse
from sklearn.metrics.pairwise import _VALID_METRICS
from sklearn.utils import check_array
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import validate_data

# The metric names every VAT entry point accepts (VAT, IVAT, vat_order, the
# images): one constraint, so that none accepts a name another refuses.
METRIC_CONSTRAINT = [StrOptions(set(_VALID_METRICS) | {"precomputed"}), callable]

# Rows of a precomputed matrix checked at a time: bounds the temporaries of the
# symmetry test to a strip instead of a second n x n matrix.
_CHECK_ROWS = 1024


def check_precomputed_dissimilarity(D):
    """Validate a precomputed dissimilarity matrix.

    Parameters
    ----------
    D : ndarray of shape (n_samples, n_samples)
        Already through ``check_array`` (2-d, finite, floating).

    Raises
    ------
    ValueError
        If ``D`` is not square, has negative entries, a non-zero diagonal
        (a sample's dissimilarity to itself, beyond 1e-8 of the largest
        entry) or is not symmetric (within ``numpy.isclose``'s default
        tolerances).

    Notes
    -----
    Time O(n^2), extra memory O(n) per strip of rows.
    """
    n_rows, n_cols = D.shape
    if n_rows != n_cols:
        raise ValueError(f"A precomputed dissimilarity matrix must be square; got shape {D.shape}.")
    # Rounding noise on the diagonal (1e-16 from a cosine distance) is not a
    # dissimilarity of a sample to itself; anything above 1e-8 of the largest
    # entry is.
    diagonal = np.abs(np.diagonal(D))
    scale = float(np.max(D)) if D.size else 0.0
    if (diagonal > 1e-8 * scale).any():
        i = int(np.flatnonzero(diagonal > 1e-8 * scale)[0])
        raise ValueError(
            "A precomputed dissimilarity matrix must have a zero diagonal (a "
            f"sample's dissimilarity to itself); D[{i}, {i}] = {diagonal[i]}."
        )
    for lo in range(0, n_rows, _CHECK_ROWS):
        hi = min(lo + _CHECK_ROWS, n_rows)
        strip = D[lo:hi]
        if (strip < 0).any():
            i, j = np.argwhere(strip < 0)[0]
            raise ValueError(
                "A precomputed dissimilarity matrix must not have negative "
                f"entries; D[{lo + i}, {j}] = {strip[i, j]}."
            )
        mirror = D[:, lo:hi].T
        if not np.allclose(strip, mirror):
            i, j = np.argwhere(~np.isclose(strip, mirror))[0]
            raise ValueError(
                "A precomputed dissimilarity matrix must be symmetric; "
                f"D[{lo + i}, {j}] = {strip[i, j]} but D[{j}, {lo + i}] = "
                f"{mirror[i, j]}."
            )
    return D


def check_sample_size(sample_size, n_samples, *, name="sample_size"):
    """Resolve a sample size given as a count or as a fraction of ``n_samples``.

    Parameters
    ----------
    sample_size : int or float
        An int in ``[1, n_samples]``, or a float in ``(0, 1]`` taken as a
        fraction of ``n_samples`` (rounded up).
    n_samples : int

    Returns
    -------
    m : int
    """
    if isinstance(sample_size, (bool, np.bool_)):
        raise TypeError(f"{name} must be an int or a float, got a bool.")
    if isinstance(sample_size, (int, np.integer)):
        if not 1 <= sample_size <= n_samples:
            raise ValueError(
                f"{name}={sample_size} is out of range: an int must lie in [1, n_samples] = [1, {n_samples}]."
            )
        return int(sample_size)
    if isinstance(sample_size, (float, np.floating)):
        if not 0.0 < sample_size <= 1.0:
            raise ValueError(f"{name}={sample_size} is out of range: a float must lie in (0, 1].")
        return max(1, int(np.ceil(sample_size * n_samples)))
    raise TypeError(f"{name} must be an int or a float, got {type(sample_size).__name__}.")


def check_vat_input(X, metric, *, estimator=None, reset=True):
    """Validate X for VAT; ``estimator`` routes through ``validate_data``.

    A sparse X comes back in canonical format (sorted indices, no duplicate
    entries), copied first if it was not: scikit-learn's sparse distances
    canonicalise their argument in place, and the caller's matrix must never
    change. A precomputed matrix comes back C-contiguous (a strided view is
    copied; a symmetric column-major one is read through its transpose).
    """
    precomputed = metric == "precomputed"
    params = dict(
        accept_sparse=False if precomputed else "csr",
        # scikit-learn's sparse distance kernels take 32-bit indices only.
        accept_large_sparse=False,
        dtype=[np.float64, np.float32],
        ensure_min_samples=2,
    )
    if estimator is not None and not (precomputed and not reset):
        X = validate_data(estimator, X, reset=reset, **params)
    else:
        X = check_array(X, **params)
    if precomputed:
        check_precomputed_dissimilarity(X)
        # A symmetric matrix stored column-major is its own transpose: read it
        # as rows without copying.
        if not X.flags.c_contiguous and X.flags.f_contiguous:
            X = X.T
        elif not X.flags.c_contiguous:
            X = np.ascontiguousarray(X)
    elif sparse.issparse(X) and not X.has_canonical_format:
        X = X.copy()
        X.sum_duplicates()
    return X


# --- Extreme magnitudes (doc/user_guide/algorithms.rst, section algo-scaling)

# Data whose largest magnitude M = max |x| lies in [2**-48, 2**48] are used as
# given. There, squared distances and covariances are finite float64 numbers,
# and so are the float32 copies of the kernels (the Prim's filter, the Hopkins
# neighbour search) with their squared distances and inner products, up to
# 2**28 features: 8 d M**2 < 2**127, and M**2 >= 2**-96 stays normal.
# Outside it, the data are multiplied by 2**-e, e the binary exponent of M,
# which brings M into [0.5, 1).
SAFE_MAGNITUDE = (2.0**-48, 2.0**48)

# d(2**k x, 2**k y) = 2**(degree k) d(x, y) for these metrics: the sums,
# products, square roots and comparisons they are made of commute exactly with
# a power of two while no number leaves the normal range (minkowski's p-th
# powers and roots are rounded, so it commutes up to rounding). A precomputed
# matrix is dissimilarities: degree 1. Other metrics (callables, haversine,
# the boolean ones) are computed on the data as given.
METRIC_DEGREE = {
    "euclidean": 1,
    "l2": 1,
    "sqeuclidean": 2,
    "manhattan": 1,
    "l1": 1,
    "cityblock": 1,
    "chebyshev": 1,
    "minkowski": 1,
    "cosine": 0,
    "precomputed": 1,
}


def scale_by_power_of_two(X, metric="euclidean", *, always=False):
    """X scaled by a power of two to unit magnitude when its magnitude is extreme.

    The one rescaling of the package: every entry point whose arithmetic
    could overflow or underflow on finite data (squared distances beyond
    1.8e308 from |x| ~ 1e154, or below the smallest normal number from
    |x| ~ 1e-170, float32 copies beyond 3.4e38) calls it first. Multiplying by
    a power of two is exact for normal numbers, so the scaled data give the
    same order and the same dimensionless statistics, and results in the
    data's units come back exactly through :func:`restore_units`.

    Parameters
    ----------
    X : ndarray or sparse matrix
        Validated data (finite), or a precomputed dissimilarity matrix.
    metric : str or callable, default="euclidean"
        Only the metrics of ``METRIC_DEGREE`` are rescaled: for any other the
        scaled data would not give the same dissimilarities up to a known
        factor.
    always : bool, default=False
        Scale whenever X is not all zero, not only outside ``SAFE_MAGNITUDE``.

    Returns
    -------
    X_scaled : ndarray or sparse matrix
        ``X * 2**-exponent`` (a new array), or X itself when ``exponent`` is 0;
        X is never modified.
    exponent : int
        e with ``X = X_scaled * 2**e``: the binary exponent of max |x|, so
        that max |x_scaled| lies in [0.5, 1); 0 when X is used as given.

    Notes
    -----
    Time O(nnz) for the maximum (two reductions, no temporary); memory that
    of a copy of X when it is scaled, none otherwise. Entries smaller than
    max |x| * 2**-1074 become 0 when huge data are scaled down: they are
    below the resolution of every distance the data define.
    """
    if not isinstance(metric, str) or metric not in METRIC_DEGREE:
        return X, 0
    values = X.data if sparse.issparse(X) else X
    if values.size == 0:
        return X, 0
    top = max(abs(float(values.max())), abs(float(values.min())))
    if top == 0 or (not always and SAFE_MAGNITUDE[0] <= top <= SAFE_MAGNITUDE[1]):
        return X, 0
    exponent = int(np.frexp(top)[1])
    if sparse.issparse(X):
        X = X.copy()
        X.data = np.ldexp(X.data, -exponent)
        return X, exponent
    return np.ldexp(X, -exponent), exponent


def restore_units(values, exponent, metric="euclidean", *, name="dissimilarities"):
    """Dissimilarities of data scaled by :func:`scale_by_power_of_two`, in the data's units.

    Parameters
    ----------
    values : ndarray
        Non-negative dissimilarities (cut weights, an image) of the scaled
        data; changed in place when they are rescaled.
    exponent : int
        The exponent :func:`scale_by_power_of_two` returned.
    metric : str or callable, default="euclidean"
        The metric; its degree (``METRIC_DEGREE``) says which power of two
        the values are multiplied by.
    name : str, default="dissimilarities"
        What the values are, for the error message.

    Returns
    -------
    values : ndarray
        ``values * 2**(degree * exponent)``, exact.

    Raises
    ------
    ValueError
        If a value exceeds the float64 range in the data's units (finite data
        of magnitude near 1e308 can be farther apart than 1.8e308): rather than
        an infinite dissimilarity, which no order, image or statistic could
        tell from another.
    """
    degree = METRIC_DEGREE.get(metric, 0) if isinstance(metric, str) else 0
    shift = degree * exponent
    if shift == 0 or values.size == 0:
        return values
    top = int(np.frexp(np.max(values))[1])
    if top + shift > 1024:
        # X / 2**k brings the largest value below 2**1000.
        k = exponent - (1000 - top) // degree
        raise ValueError(
            f"The {name} of X exceed the float64 range (1.8e308) although X is "
            f"finite; divide X by a power of two (e.g. X / 2**{k}) to have them "
            "in range: the VAT order and the statistics do not change."
        )
    return np.ldexp(values, shift, out=values)
