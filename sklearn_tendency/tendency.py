"""Statistics of cluster tendency: is there cluster structure in X?

Each statistic says what it tests against. The Hopkins test here compares the
data with complete spatial randomness in its bounding box (Wright, 2022).
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.special import expit, logsumexp
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_array, check_random_state

from ._validation import check_sample_size

__all__ = ["HopkinsResult", "hopkins", "hopkins_test", "hopkins_samples"]


@dataclass(frozen=True)
class HopkinsResult:
    """Result of :func:`hopkins_test`.

    Unpacks as ``statistic, pvalue = hopkins_test(X)``, like scipy's tests.

    Attributes
    ----------
    statistic : float
        The Hopkins statistic H in [0, 1]: near 1 clustered, near 0.5 random,
        near 0 regular.
    pvalue : float
        Probability under complete spatial randomness, where H ~ Beta(m, m), of
        a statistic at least as extreme as the one observed, in the direction of
        ``alternative``.
    sample_size : int
        m, the number of sampled points.
    dimension : int
        d, the exponent applied to the distances: the number of features with a
        non-zero range.
    alternative : str
        The alternative hypothesis.
    """

    statistic: float
    pvalue: float
    sample_size: int
    dimension: int
    alternative: str = "greater"

    def __iter__(self):
        return iter((self.statistic, self.pvalue))


def _check_hopkins_input(X, metric):
    if metric == "precomputed":
        raise ValueError(
            "The Hopkins statistic needs coordinates to draw uniform points in "
            "the bounding box; metric='precomputed' is not supported."
        )
    X = check_array(X, dtype=[np.float64, np.float32], ensure_min_samples=2)
    return X


def hopkins_samples(X, sample_size, random_state):
    """Draw the two samples of the Hopkins statistic.

    The one place the package draws them: every Hopkins variant calls it, so
    they all see the same points for the same ``random_state``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Validated data.
    sample_size : int or float
        m as a count or a fraction of n_samples.
    random_state : int, RandomState instance or None

    Returns
    -------
    data_idx : ndarray of shape (m,)
        Indices of m data points drawn without replacement.
    rng : numpy.random.RandomState
        The generator, advanced past that draw, for the reference points.
    m : int
    """
    n = X.shape[0]
    m = check_sample_size(sample_size, n)
    rng = check_random_state(random_state)
    data_idx = rng.choice(n, size=m, replace=False)
    return data_idx, rng, m


def _nearest_other_distance(nn, X, data_idx):
    """Distance from each sampled data point to its nearest *other* data point."""
    dist, ind = nn.kneighbors(X[data_idx], n_neighbors=2)
    # With duplicates the sample itself need not come first: any returned
    # neighbour that is not the sample is an "other" point, and the smaller
    # distance of the two is then the right one.
    self_first = ind[:, 0] == data_idx
    return np.where(self_first, dist[:, 1], dist[:, 0])


def _hopkins_from_distances(u, w, d):
    """H = sum(u^d) / (sum(u^d) + sum(w^d)), in logs so large d cannot overflow."""
    with np.errstate(divide="ignore"):
        log_u = logsumexp(d * np.log(u))
        log_w = logsumexp(d * np.log(w))
    if np.isneginf(log_u) and np.isneginf(log_w):
        return 0.5
    # H = 1 / (1 + exp(log_w - log_u)), through expit for both tails.
    return float(expit(log_u - log_w))


def hopkins_test(X, *, sample_size=0.1, metric="euclidean", alternative="greater",
                 random_state=None, n_jobs=None):
    """Hopkins test of complete spatial randomness (Wright, 2022).

    Draws m points uniformly in the bounding box of X and m data points without
    replacement. With ``u`` the distances from the uniform points to their
    nearest data point, ``w`` the distances from the sampled data points to
    their nearest *other* data point, and d the dimension::

        H = sum(u ** d) / (sum(u ** d) + sum(w ** d))

    Under complete spatial randomness H follows Beta(m, m) (Wright, 2022), which
    gives the p-value. H near 1 suggests clusters, near 0.5 randomness, near 0 a
    regular pattern.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data; finite, at least 2 samples.
    sample_size : int or float, default=0.1
        m: a count in [1, n_samples], or a fraction of n_samples in (0, 1]
        (rounded up).
    metric : str or callable, default="euclidean"
        Metric of the nearest-neighbour searches (any metric of
        :class:`~sklearn.neighbors.NearestNeighbors`). The Beta(m, m) null is
        derived for the Euclidean distance.
    alternative : {"greater", "less", "two-sided"}, default="greater"
        ``"greater"`` tests for clustering (H larger than under randomness),
        ``"less"`` for regularity, ``"two-sided"`` for either.
    random_state : int, RandomState instance or None, default=None
        Draws of the data sample and of the uniform points.
    n_jobs : int, default=None
        Parallel jobs of the nearest-neighbour searches.

    Returns
    -------
    result : HopkinsResult
        ``statistic``, ``pvalue``, ``sample_size`` (m), ``dimension`` (d).

    Notes
    -----
    The exponent d is the number of features with a non-zero range: a constant
    feature adds nothing to the volume the uniform points explore. The sums are
    formed in logs, so ``d`` in the hundreds does not overflow. Common errors
    avoided here: exponent 1 instead of d (biased towards 0.5 in high
    dimension), reporting 1 - H, sampling with replacement, counting a point as
    its own neighbour.

    In high dimension any non-uniform cloud, a single Gaussian blob included,
    is far from uniform in its bounding box: a small p-value says "not uniform",
    not "several clusters". Read it next to the VAT image.

    Time: one neighbour index on X plus 2m queries (O(n log n + m log n) with a
    tree in low dimension, O(m n d) by brute force). Memory O(n d + m d).

    References
    ----------
    .. [1] B. Hopkins and J. G. Skellam, "A new method for determining the type
       of distribution of plant individuals", Annals of Botany 18(2), 1954.
    .. [2] K. Wright, "Will the real Hopkins statistic please stand up?", The R
       Journal 14(3), 2022, pp. 282-292.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn_tendency import hopkins_test
    >>> X, _ = make_blobs(n_samples=500, centers=4, cluster_std=0.5, random_state=0)
    >>> result = hopkins_test(X, random_state=0)
    >>> result.statistic > 0.9, result.pvalue < 1e-6
    (True, True)
    """
    if alternative not in ("greater", "less", "two-sided"):
        raise ValueError(
            "alternative must be 'greater', 'less' or 'two-sided'; got "
            f"{alternative!r}."
        )
    X = _check_hopkins_input(X, metric)
    lo, hi = X.min(axis=0), X.max(axis=0)
    spread = hi > lo
    d = int(spread.sum())
    if d == 0:
        raise ValueError(
            "All samples are identical: the Hopkins statistic is undefined "
            "(the bounding box has no volume)."
        )
    data_idx, rng, m = hopkins_samples(X, sample_size, random_state)
    uniform = rng.uniform(lo, hi, size=(m, X.shape[1])).astype(X.dtype, copy=False)

    nn = NearestNeighbors(metric=metric, n_jobs=n_jobs).fit(X)
    u = nn.kneighbors(uniform, n_neighbors=1)[0][:, 0].astype(np.float64)
    w = _nearest_other_distance(nn, X, data_idx).astype(np.float64)
    statistic = _hopkins_from_distances(u, w, d)

    if alternative == "greater":
        pvalue = stats.beta.sf(statistic, m, m)
    elif alternative == "less":
        pvalue = stats.beta.cdf(statistic, m, m)
    else:
        # Beta(m, m) is symmetric about 1/2.
        pvalue = min(1.0, 2 * stats.beta.sf(0.5 + abs(statistic - 0.5), m, m))
    return HopkinsResult(
        statistic=float(statistic), pvalue=float(pvalue), sample_size=m,
        dimension=d, alternative=alternative,
    )


def hopkins(X, *, sample_size=0.1, metric="euclidean", random_state=None,
            n_jobs=None):
    """The Hopkins statistic of X (Wright, 2022); see :func:`hopkins_test`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data.
    sample_size : int or float, default=0.1
        m as a count or a fraction of n_samples.
    metric : str or callable, default="euclidean"
        Metric of the nearest-neighbour searches.
    random_state : int, RandomState instance or None, default=None
        Draws of the samples.
    n_jobs : int, default=None
        Parallel jobs of the nearest-neighbour searches.

    Returns
    -------
    statistic : float
        H in [0, 1]: near 1 clustered, near 0.5 random, near 0 regular.
    """
    return hopkins_test(
        X, sample_size=sample_size, metric=metric, random_state=random_state,
        n_jobs=n_jobs,
    ).statistic
