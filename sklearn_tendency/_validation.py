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
