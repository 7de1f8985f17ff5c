"""Statistics of cluster tendency: is there cluster structure in X?

Each statistic says what it tests against:

- :func:`hopkins_test`: complete spatial randomness in the bounding box
  (Wright, 2022). Rejects any non-uniform cloud, one Gaussian blob included.
- :func:`gaussian_hopkins_test`: a single Gaussian with the data's mean and
  covariance. Rejects structure a single ellipsoidal cloud cannot explain.
- :func:`rank_hopkins_test`: the Hopkins comparison in ranks against one
  structureless null fitted to the data (box, Gaussian, ellipsoid, t), with a
  p-value simulated at the data's n and d.
- :func:`cluster_tendency_test`: every such null at once, an
  intersection-union test: the verdict of :func:`assess_tendency`.
- :func:`hopkins_both`: Wright's box null and the Gaussian null at once (the
  smaller statistic, the larger p-value), the default tendency score.
- :func:`dip_test`: unimodality of the pairwise distances (Adolfsson,
  Ackerman & Brownstein, 2019). Needs the optional ``diptest`` package.
- :func:`vat_gap`: the largest jump between VAT blocks; its optional p-value
  is against a single Gaussian fitted to the data (simulated).

:func:`assess_tendency` runs them and gives a verdict; :ref:`algo-hopkins`
and ``benchmarks/tendency_table.py`` measure where each works.
"""

import os
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from scipy import stats
from scipy.special import expit, logsumexp
from sklearn.utils import check_array, check_random_state
from sklearn.utils._param_validation import Interval, validate_params
from threadpoolctl import threadpool_limits

from ._cut_weights import block_split, resolve_min_cluster_size
from ._nulls import NULLS, monte_carlo, nearest_distances
from ._openmp_helpers import check_n_jobs, effective_n_threads
from ._ordering import vat_order_validated
from ._validation import (
    METRIC_CONSTRAINT,
    check_precomputed_dissimilarity,
    check_sample_size,
    check_vat_input,
    scale_by_power_of_two,
)

__all__ = [
    "ClusterTendencyResult",
    "DEFAULT_NULLS",
    "HopkinsResult",
    "TendencyResult",
    "cluster_tendency_test",
    "dip_test",
    "rank_hopkins_test",
    "gaussian_hopkins_test",
    "hopkins",
    "hopkins_both",
    "hopkins_samples",
    "hopkins_test",
    "vat_gap",
]


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
        ``alternative``; NaN when no p-value is computed
        (:func:`gaussian_hopkins_test` with ``n_simulations=0``).
    sample_size : int
        m, the number of sampled points.
    dimension : int
        d, the exponent applied to the distances: the number of features with a
        non-zero range.
    alternative : str
        The alternative hypothesis.
    null : str
        The null hypothesis: ``"box"`` (uniform in the bounding box),
        ``"gaussian"``, ``"ball"`` (uniform in an ellipsoid) or ``"t"``.
    method : str
        How the p-value was computed: ``"beta"`` (the Beta(m, m) law),
        ``"simulated"`` (Monte Carlo under the null at the data's n and d) or
        ``"none"`` (no p-value: NaN).
    """

    statistic: float
    pvalue: float
    sample_size: int
    dimension: int
    alternative: str = "greater"
    null: str = "box"
    method: str = "beta"

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


def _hopkins_from_distances(u, w, d, log_weight_u=0.0, log_weight_w=0.0):
    """H = sum(a_i u_i^d) / (sum(a_i u_i^d) + sum(b_i w_i^d)), in logs.

    The weights (1 for the box null) are given as logs; logs keep d in the
    hundreds from overflowing.
    """
    with np.errstate(divide="ignore"):
        log_u = logsumexp(d * np.log(u) + log_weight_u)
        log_w = logsumexp(d * np.log(w) + log_weight_w)
    if np.isneginf(log_u) and np.isneginf(log_w):
        return 0.5
    # H = 1 / (1 + exp(log_w - log_u)), through expit for both tails.
    return float(expit(log_u - log_w))


def hopkins_test(
    X,
    *,
    sample_size=0.1,
    metric="euclidean",
    alternative="greater",
    pvalue="auto",
    n_simulations=99,
    random_state=None,
    n_jobs=None,
):
    """Hopkins test of complete spatial randomness (Wright, 2022).

    Draws m points uniformly in the bounding box of X and m data points without
    replacement. With ``u`` the distances from the uniform points to their
    nearest data point, ``w`` the distances from the sampled data points to
    their nearest *other* data point, and d the dimension::

        H = sum(u ** d) / (sum(u ** d) + sum(w ** d))

    Under complete spatial randomness without edges H follows Beta(m, m)
    (Wright, 2022). H near 1 suggests clusters, near 0.5 randomness, near 0 a
    regular pattern. This is the published statistic; it is fragile in high
    dimension (the sums are decided by their largest term, and almost every
    point lies near a face of the box): :func:`rank_hopkins_test` is the
    robust form the verdict of :func:`assess_tendency` uses.

    The p-value: the Beta(m, m) law holds only where the box's edges and the
    dependence of the m sampled distances do not matter. Measured on uniform
    data (m = 0.1 n, ``benchmarks/bench_calibration.py``): d = 1, and d = 2
    up to n = 1000; from d = 3 (and at d = 2, n = 5000) its rejection rate at
    5 % is 0.08-0.13 and it rejects both ways. Elsewhere (``pvalue="auto"``)
    the p-value is simulated: the statistic of ``n_simulations`` samples of n
    points uniform in the data's bounding box, each with its own box and
    sampled as X was, ``p = (1 + #{H_sim >= H}) / (1 + n_simulations)``,
    uniform on its grid at any n and d.

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
    pvalue : {"auto", "beta", "simulated"}, default="auto"
        ``"beta"``: the Beta(m, m) law; ``"simulated"``: Monte Carlo under
        the box null; ``"auto"``: Beta where it was measured to hold
        (Euclidean metric, d = 1, or d = 2 and n <= 1000), else simulated.
    n_simulations : int, default=99
        Simulated samples of a simulated p-value; 0 skips it (NaN).
    random_state : int, RandomState instance or None, default=None
        Draws of the data sample, the uniform points and the simulations.
        Not the seed that drew the data: with ``X`` from
        ``np.random.RandomState(s).uniform`` and ``random_state=s``, the
        uniform points can repeat the data's own draws and H falls near 0
        (0.0 for 300 x 5 uniform data, 0.33 with another seed).
    n_jobs : int, default=None
        Threads running the simulations of the p-value, each with one BLAS thread (held with
        threadpoolctl meanwhile); ``None`` means one, ``-1`` all CPUs (capped
        at their number). Measured: on a busy 2-core machine two threads are
        no faster than one (many small problems, partly bound to the GIL).

    Returns
    -------
    result : HopkinsResult
        ``statistic``, ``pvalue``, ``sample_size`` (m), ``dimension`` (d),
        ``method``.

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

    H and its p-value are invariant to scaling X by a power of two (up to the
    rounding of logarithms); data whose largest magnitude lies outside
    [2**-48, 2**48] are rescaled internally by one (:ref:`algo-scaling`).

    Time: 2m nearest-neighbour queries (O(n log n + m log n) with a k-d tree
    for d <= 8, O(m n d) through BLAS above), times ``1 + n_simulations``
    with a simulated p-value. Memory O(n d + m * 2048).

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
    >>> result.statistic > 0.9, result.pvalue < 1e-6, result.method
    (True, True, 'beta')
    """
    _check_alternative(alternative)
    _check_n_simulations(n_simulations)
    check_n_jobs(n_jobs)
    if pvalue not in ("auto", "beta", "simulated"):
        raise ValueError(f"pvalue must be 'auto', 'beta' or 'simulated'; got {pvalue!r}.")
    X = _check_hopkins_input(X, metric).astype(np.float64)
    X, _ = scale_by_power_of_two(X, metric)
    null = NULLS["box"]
    Z, params = null.prepare(X)
    d = null.dimension(Z, params)
    if d == 0:
        raise ValueError(
            "All samples are identical: the Hopkins statistic is undefined (the bounding box has no volume)."
        )
    data_idx, rng, m = hopkins_samples(X, sample_size, random_state)
    statistic = _null_hopkins(null, Z, params, data_idx, rng, "arithmetic", metric)
    n = X.shape[0]
    if pvalue == "auto":
        pvalue = "beta" if _beta_holds(n, d, metric) else "simulated"
    if pvalue == "beta":
        p = _beta_pvalue(statistic, m, alternative)
    else:
        p = _monte_carlo_pvalue(
            statistic,
            null,
            Z,
            params,
            m,
            "arithmetic",
            metric,
            n_simulations,
            rng,
            n_jobs,
            alternative,
        )
        pvalue = "simulated" if n_simulations else "none"
    return HopkinsResult(
        statistic=float(statistic),
        pvalue=float(p),
        sample_size=m,
        dimension=d,
        alternative=alternative,
        null="box",
        method=pvalue,
    )


# Where the Beta(m, m) p-value of the box null was measured to be uniform on
# uniform data in the unit cube (m = 0.1 n, 300 data sets per cell, KS test and
# the rate below 0.05): d = 1 up to n = 5000, d = 2 up to n = 1000. From
# d = 2, n = 5000 (rate 0.10) and d >= 3 the bounding box's edges and the
# dependence between the m sampled distances bias it both ways
# (benchmarks/bench_calibration.py).
def _beta_holds(n, d, metric):
    return metric == "euclidean" and (d == 1 or (d == 2 and n <= 1000))


def _null_hopkins(null, Z, params, data_idx, rng, mean, metric="euclidean"):
    """The Hopkins statistic of prepared data Z against a fitted null.

    Reference points are drawn from the fitted null; each distance r to the
    power d is weighted by the null density f at its point (``n f r^d`` is
    then close to Exp(1) for reference and data points alike under the
    null). ``mean="arithmetic"``: the weighted sums (Wright, 2022);
    ``mean="rank"``: the Mann-Whitney estimate of P(f_u u^d > f_w w^d).
    """
    m = len(data_idx)
    reference = null.reference(rng, Z, m, params)
    # One search for both samples: the data are indexed (or streamed) once.
    r = nearest_distances(
        Z,
        np.vstack([reference, Z[data_idx]]),
        metric=metric,
        exclude=np.concatenate([np.full(m, -1, dtype=np.intp), data_idx]),
    )
    u, w = r[:m], r[m:]
    d = null.dimension(Z, params)
    log_f_u = null.log_density(reference, params)
    log_f_w = null.log_density(Z[data_idx], params)
    if mean == "arithmetic":
        return _hopkins_from_distances(u, w, d, log_f_u, log_f_w)
    with np.errstate(divide="ignore"):
        # A duplicated point (w = 0) gives -inf: the lowest rank, no more.
        scores = np.concatenate([d * np.log(u) + log_f_u, d * np.log(w) + log_f_w])
    ranks = stats.rankdata(scores)
    return float((ranks[:m].sum() - m * (m + 1) / 2) / (m * m))


def _monte_carlo_pvalue(
    statistic, null, Z, params, m, mean, metric, n_simulations, rng, n_jobs, alternative="greater"
):
    """Monte Carlo p-value of a Hopkins statistic under a fitted null.

    Each simulated sample has the data's n, is drawn from the null fitted to
    the data and is prepared as the data were (own box, own whitening, own
    fit), then sampled as they were: ``(1 + #{H_sim >= H}) / (1 + B)``
    ("greater"; "less" counts ``<=``; "two-sided" doubles the smaller). Under
    the null the observed and the B simulated statistics are exchangeable, so
    it is uniform on ``{1, ..., B + 1} / (B + 1)``. NaN when B = 0.
    """
    if n_simulations == 0:
        return float("nan")
    n, k = Z.shape
    seed = np.random.SeedSequence(rng.randint(0, 2**31 - 1, size=4).tolist())
    seed, fit_seed = seed.spawn(2)
    # Small products: BLAS threads would only spin on a busy machine (the t
    # null's debiasing was measured 10x slower with them on 2 loaded cores).
    with threadpool_limits(limits=1):
        sim_params = null.simulation_params(Z, params, np.random.default_rng(fit_seed))

    def simulate(sim_rng):
        sample = null.simulate(sim_rng, n, k, sim_params)
        Zs, ps = null.prepare(sample)
        idx = sim_rng.choice(n, size=m, replace=False)
        return _null_hopkins(null, Zs, ps, idx, sim_rng, mean, metric)

    # None: one thread. The simulations are many small problems, partly
    # bound to the GIL: on a busy 2-core machine two threads were measured no
    # faster than one (benchmarks/bench_calibration.py --timing).
    n_threads = 1 if n_jobs is None else min(effective_n_threads(n_jobs), os.cpu_count() or 1)
    simulated = monte_carlo(simulate, n_simulations, seed, n_threads)
    greater = (1 + np.sum(simulated >= statistic)) / (1 + n_simulations)
    if alternative == "greater":
        return float(greater)
    less = (1 + np.sum(simulated <= statistic)) / (1 + n_simulations)
    if alternative == "less":
        return float(less)
    return float(min(1.0, 2 * min(greater, less)))


def _simulated_hopkins_result(statistic, null, Z, params, m, d, mean, n_simulations, rng, n_jobs):
    """The one-sided Hopkins result of ``statistic``, its p-value simulated under
    ``NULLS[null]`` fitted to the prepared data ``Z`` (see _monte_carlo_pvalue)."""
    pvalue = _monte_carlo_pvalue(
        statistic, NULLS[null], Z, params, m, mean, "euclidean", n_simulations, rng, n_jobs
    )
    return HopkinsResult(
        statistic=float(statistic),
        pvalue=float(pvalue),
        sample_size=m,
        dimension=d,
        alternative="greater",
        null=null,
        method="simulated" if n_simulations else "none",
    )


def _beta_pvalue(statistic, m, alternative):
    if alternative == "greater":
        return float(stats.beta.sf(statistic, m, m))
    if alternative == "less":
        return float(stats.beta.cdf(statistic, m, m))
    # Beta(m, m) is symmetric about 1/2.
    return float(min(1.0, 2 * stats.beta.sf(0.5 + abs(statistic - 0.5), m, m)))


def _check_alternative(alternative):
    if alternative not in ("greater", "less", "two-sided"):
        raise ValueError(f"alternative must be 'greater', 'less' or 'two-sided'; got {alternative!r}.")


def hopkins(X, *, sample_size=0.1, metric="euclidean", random_state=None, n_jobs=None):
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
        X,
        sample_size=sample_size,
        metric=metric,
        random_state=random_state,
        n_jobs=n_jobs,
    ).statistic


@dataclass(frozen=True)
class TendencyResult:
    """Result of a tendency statistic without a Hopkins sample size.

    Unpacks as ``statistic, pvalue``.

    Attributes
    ----------
    statistic : float
        Larger means more cluster structure.
    pvalue : float
        Probability of a statistic at least as large under the statistic's
        null; NaN when no p-value is computed (as scipy's tests return).
    """

    statistic: float
    pvalue: float

    def __iter__(self):
        return iter((self.statistic, self.pvalue))


def gaussian_hopkins_test(X, *, sample_size=0.3, n_simulations=99, random_state=None, n_jobs=None):
    """Hopkins test against a single Gaussian fitted to the data.

    The box null of :func:`hopkins_test` calls every Gaussian cloud
    "clustered" in high dimension (:ref:`algo-hopkins`). Here the reference points come
    from N(mean, covariance) of X instead: the data are whitened with their
    covariance (constant directions dropped), m reference points are drawn from
    N(0, I), and each distance to the power d is weighted by the reference
    density phi at its point::

        H = sum(phi(z_u) u^d) / (sum(phi(z_u) u^d) + sum(phi(z_w) w^d))

    (``n phi r^d`` is close to Exp(1) for data and reference points alike when
    X is Gaussian; unweighted, the sums would be ruled by the few points in the
    sparse tails). H near 1: structure a single Gaussian cannot explain
    (several clusters, or a non-Gaussian shape such as a uniform box).

    The approximation is good in low dimension only, so H is not taken to be
    Beta(m, m) (that p-value is far from uniform on Gaussian data, tested): the
    p-value is a parametric bootstrap: the statistic of ``n_simulations``
    Gaussian samples of the same size and dimension, each whitened with its
    own mean and covariance as X is,
    ``p = (1 + #{H_sim >= H}) / (1 + n_simulations)``. Whitened, a Gaussian
    sample's statistic does not depend on its mean and covariance, so the
    p-value is exact (uniform on its grid) at every dimension, not only for
    large n.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data; finite, at least 2 samples.
    sample_size : int or float, default=0.3
        m as a count or a fraction of n_samples. Larger than the 0.1 of
        :func:`hopkins_test`: the simulated null does not rest on the sampled
        distances being independent, and a larger m cuts the spread of H (on
        the 32-d embedding study, m = 0.3 n detects std 0.3 clusters that
        m = 0.1 n misses).
    n_simulations : int, default=99
        Gaussian samples simulated for the p-value; 0 skips it (p-value NaN).
    random_state : int, RandomState instance or None, default=None
        Draws of the data sample, the reference points and the simulations.
    n_jobs : int, default=None
        Threads running the simulations, each with one BLAS thread (held with
        threadpoolctl meanwhile); ``None`` means one, ``-1`` all CPUs (capped
        at their number). Measured: on a busy 2-core machine two threads are
        no faster than one (many small problems, partly bound to the GIL).

    Returns
    -------
    result : HopkinsResult

    Notes
    -----
    H and its p-value are invariant to scaling X by a power of two (up to
    rounding); data whose largest magnitude lies outside [2**-48, 2**48] are
    rescaled internally by one (:ref:`algo-scaling`).

    Time: an eigendecomposition of the d x d covariance (O(n d^2 + d^3)) and
    ``1 + n_simulations`` times a neighbour index of n points with 2m queries.
    Memory O(n d + d^2).

    References
    ----------
    .. [1] K. Wright, "Will the real Hopkins statistic please stand up?", The R
       Journal 14(3), 2022.
    .. [2] A. Adolfsson, M. Ackerman and N. C. Brownstein, "To cluster, or not to
       cluster: an analysis of clusterability methods", Pattern Recognition 88,
       2019 (why a uniform null is not enough).
    """
    _check_n_simulations(n_simulations)
    check_n_jobs(n_jobs)
    X = _check_hopkins_input(X, "euclidean").astype(np.float64)
    X, _ = scale_by_power_of_two(X)
    null = NULLS["gaussian"]
    Z, params = null.prepare(X)
    n, d = Z.shape
    data_idx, rng, m = hopkins_samples(Z, sample_size, random_state)
    statistic = _null_hopkins(null, Z, params, data_idx, rng, "arithmetic")
    # Each simulated sample is whitened with its own fitted Gaussian, as the
    # data were: whitened coordinates of a Gaussian sample do not depend on
    # its mean and covariance (up to a rotation, which changes no distance
    # and no weight), so the simulated null is exact, not a plug-in of the
    # estimated covariance.
    return _simulated_hopkins_result(
        statistic, "gaussian", Z, params, m, d, "arithmetic", n_simulations, rng, n_jobs
    )


def hopkins_both(X, *, sample_size=0.1, n_simulations=99, random_state=None, n_jobs=None):
    """Evidence against both Wright's box null and the Gaussian null, as a score.

    The default statistic of :func:`~sklearn_tendency.make_tendency_scorer`.
    The verdict of :func:`assess_tendency` is :func:`cluster_tendency_test`,
    which also tests a uniform ellipsoid and a heavy-tailed cloud, in ranks.

    ``statistic`` is the smaller of the box-null and Gaussian-null Hopkins
    statistics, ``pvalue`` the larger of their p-values: the
    intersection-union test of "neither a uniform box nor a single Gaussian",
    of level alpha when each test is (Berger, 1982).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data.
    sample_size : int or float, default=0.1
        m of the box-null test (the Gaussian-null test uses its default, 0.3).
    n_simulations : int, default=99
        Simulations of the Gaussian-null test; 0 skips its p-value, and the
        combined p-value is then NaN.
    random_state : int, RandomState instance or None, default=None
        Draws of both tests.
    n_jobs : int, default=None
        Threads of the Gaussian-null test.

    Returns
    -------
    result : TendencyResult

    Notes
    -----
    Time and memory: the sum of the two tests'. Invariant to scaling X by a
    power of two, as both tests are (:ref:`algo-scaling`).

    References
    ----------
    .. [1] R. L. Berger, "Multiparameter hypothesis testing and acceptance
       sampling", Technometrics 24(4), 1982, pp. 295-300.
    """
    box = hopkins_test(X, sample_size=sample_size, random_state=random_state)
    gauss = gaussian_hopkins_test(X, n_simulations=n_simulations, random_state=random_state, n_jobs=n_jobs)
    return TendencyResult(
        statistic=min(box.statistic, gauss.statistic),
        pvalue=float(np.maximum(box.pvalue, gauss.pvalue)),
    )


def rank_hopkins_test(
    X, *, null="box", sample_size=0.1, max_samples=2000, n_simulations=99, random_state=None, n_jobs=None
):
    """Hopkins test in ranks against one structureless null, with a simulated p-value.

    The null is fitted to the data: ``"box"``, uniform in the bounding box;
    ``"gaussian"``, a single Gaussian with the data's mean and covariance;
    ``"ball"``, uniform in the ellipsoid with that mean and covariance;
    ``"t"``, a single multivariate t cloud with that mean and covariance and
    fitted degrees of freedom (heavy tails). m reference points are drawn from
    the fitted null and m data points without replacement; with ``u`` and ``w``
    their distances to the nearest (other) data point, d the dimension and f
    the null's density (constant for the box and the ball), the statistic is
    the Mann-Whitney estimate of::

        H = P(f(x_u) u^d > f(x_w) w^d)

    over the m x m pairs (ties count one half): Hopkins' comparison of
    reference and data nearest-neighbour distances (Hopkins & Skellam, 1954;
    Wright, 2022) in ranks instead of sums. Under the null each ``n f r^d`` is
    close to Exp(1) for reference and data points alike, so H is near 0.5;
    clusters make data points' neighbours near and reference points' far, H
    near 1. Wright's sums are decided by their largest term once d is large
    (on uniform data in [0, 1]^32 his H ranges from 0.30 to 0.63 over seeds),
    and a duplicated point (w = 0) would decide a geometric mean; in ranks each
    pair weighs 1 / m^2. For the box null H does not depend on the exponent.
    Derivation and the nulls' exactness: :ref:`algo-hopkins`.

    The p-value is a Monte Carlo test at the data's own n and dimension: the
    same statistic on ``n_simulations`` samples of n points from the fitted
    null, each prepared as the data were (its own bounding box, its own
    whitening, its own degrees of freedom) and sampled as they were;
    ``p = (1 + #{H_sim >= H}) / (1 + n_simulations)``. Exact for the
    Gaussian and ball nulls (affine families; the whitened statistic does not
    depend on their parameters), exact up to the O(1/n) error of the
    estimated box for the box null, a parametric bootstrap for the t null's
    degrees of freedom (tested: uniform p-values in
    ``benchmarks/bench_calibration.py``).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data; finite, at least 3 samples.
    null : {"box", "gaussian", "ball", "t"}, default="box"
        The structureless law tested against.
    sample_size : int or float, default=0.1
        m as a count or a fraction of the samples used (after
        ``max_samples``).
    max_samples : int, default=2000
        The test runs on a random subsample of at most this many samples; a
        subsample of null data is null data of that size, so the level holds
        at any value; the power grows with it, and so does the time.
    n_simulations : int, default=99
        Simulated samples; 0 skips the p-value (NaN).
    random_state : int, RandomState instance or None, default=None
        Draws of the subsample, the samples and the simulations.
    n_jobs : int, default=None
        Threads running the simulations, each with one BLAS thread (held with
        threadpoolctl meanwhile); ``None`` means one, ``-1`` all CPUs (capped
        at their number). Measured: on a busy 2-core machine two threads are
        no faster than one (many small problems, partly bound to the GIL).

    Returns
    -------
    result : HopkinsResult
        With ``null`` and ``method="simulated"``.

    Notes
    -----
    H and its p-value are invariant to scaling X by a power of two (up to
    rounding); data whose largest magnitude lies outside [2**-48, 2**48] are
    rescaled internally by one (:ref:`algo-scaling`).

    Time: ``1 + n_simulations`` statistics, each a sample of n' = min(n,
    max_samples) points (plus its whitening, O(n' p^2 + p^3), for the
    elliptical nulls) and 2m nearest-neighbour queries, O(m n' p) through
    BLAS (O(m log n') with a k-d tree for p <= 8). Memory O(n' p + m * 2048)
    per thread.

    References
    ----------
    .. [1] B. Hopkins and J. G. Skellam, "A new method for determining the type
       of distribution of plant individuals", Annals of Botany 18(2), 1954.
    .. [2] K. Wright, "Will the real Hopkins statistic please stand up?", The R
       Journal 14(3), 2022, pp. 282-292.
    .. [3] J. Besag and P. J. Diggle, "Simple Monte Carlo tests for spatial
       pattern", Applied Statistics 26(3), 1977, pp. 327-333.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn_tendency import rank_hopkins_test
    >>> X, _ = make_blobs(n_samples=300, centers=3, cluster_std=0.5, random_state=0)
    >>> result = rank_hopkins_test(X, null="gaussian", random_state=0)
    >>> result.statistic > 0.7, result.pvalue
    (True, 0.01)
    """
    if null not in NULLS:
        raise ValueError(f"null must be one of {sorted(NULLS)}; got {null!r}.")
    _check_n_simulations(n_simulations)
    check_n_jobs(n_jobs)
    if isinstance(max_samples, (bool, np.bool_)) or not (
        isinstance(max_samples, (int, np.integer)) and max_samples >= 3
    ):
        raise ValueError(f"max_samples must be an int >= 3; got {max_samples!r}.")
    X = check_array(X, dtype=[np.float64, np.float32], ensure_min_samples=3)
    rng = check_random_state(random_state)
    if X.shape[0] > max_samples:
        X = X[np.sort(rng.choice(X.shape[0], size=max_samples, replace=False))]
    X, _ = scale_by_power_of_two(X.astype(np.float64))
    model = NULLS[null]
    with threadpool_limits(limits=1):
        Z, params = model.prepare(X)
    d = model.dimension(Z, params)
    if d == 0:
        raise ValueError("All samples are identical: the Hopkins statistic is undefined.")
    data_idx, rng, m = hopkins_samples(Z, sample_size, rng)
    with threadpool_limits(limits=1):
        statistic = _null_hopkins(model, Z, params, data_idx, rng, "rank")
    return _simulated_hopkins_result(statistic, null, Z, params, m, d, "rank", n_simulations, rng, n_jobs)


@dataclass(frozen=True)
class ClusterTendencyResult:
    """Result of :func:`cluster_tendency_test`.

    Unpacks as ``statistic, pvalue``.

    Attributes
    ----------
    statistic : float
        The smallest of the per-null statistics: the weakest evidence.
    pvalue : float
        The largest of the per-null p-values: the p-value of the
        intersection-union test.
    results : dict
        Null name -> :class:`HopkinsResult`.
    """

    statistic: float
    pvalue: float
    results: dict

    def __iter__(self):
        return iter((self.statistic, self.pvalue))

    @property
    def nulls(self):
        """The nulls tested, in order."""
        return tuple(self.results)


#: The structureless nulls of the verdict, in the order they are tested.
DEFAULT_NULLS = ("box", "gaussian", "ball", "t")


def cluster_tendency_test(
    X,
    *,
    nulls=DEFAULT_NULLS,
    sample_size=0.1,
    max_samples=2000,
    n_simulations=99,
    random_state=None,
    n_jobs=None,
):
    """Evidence against every structureless null: an intersection-union test.

    Runs :func:`rank_hopkins_test` against each null and returns the
    largest p-value. "No clusters" is the union of the nulls (the data are
    uniform in a box, *or* a single Gaussian, *or* uniform in an ellipsoid,
    *or* a single t cloud); rejecting it means rejecting each of them. If
    each test has level alpha on its own null, rejecting when every p-value is
    at most alpha has level alpha on the union: whichever null holds, its own
    test must have rejected (Berger, 1982). No multiplicity correction is
    needed, and none would be right: a correction controls the chance of
    rejecting *any* true null, here the verdict needs *all* rejected. Proof:
    :ref:`algo-hopkins`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data; finite, at least 3 samples.
    nulls : tuple of str, default=("box", "gaussian", "ball", "t")
        The nulls; see :func:`rank_hopkins_test`.
    sample_size, max_samples, n_simulations, n_jobs
        As in :func:`rank_hopkins_test`, for every null.
    random_state : int, RandomState instance or None, default=None
        Given to every null's test (an int gives each the same draws as a
        call of :func:`rank_hopkins_test` with it).

    Returns
    -------
    result : ClusterTendencyResult

    Notes
    -----
    Time and memory: the sum of the per-null tests'. Invariant to scaling X by
    a power of two, as each test is (:ref:`algo-scaling`).

    References
    ----------
    .. [1] R. L. Berger, "Multiparameter hypothesis testing and acceptance
       sampling", Technometrics 24(4), 1982, pp. 295-300.
    """
    if isinstance(nulls, str) or not len(nulls) or any(n not in NULLS for n in nulls):
        raise ValueError(f"nulls must be a non-empty tuple of {sorted(NULLS)}; got {nulls!r}.")
    results = {
        null: rank_hopkins_test(
            X,
            null=null,
            sample_size=sample_size,
            max_samples=max_samples,
            n_simulations=n_simulations,
            random_state=random_state,
            n_jobs=n_jobs,
        )
        for null in dict.fromkeys(nulls)
    }
    pvalues = [r.pvalue for r in results.values()]
    return ClusterTendencyResult(
        statistic=min(r.statistic for r in results.values()),
        # max() would drop a NaN (a p-value not computed): the union needs all.
        pvalue=max(pvalues) if not np.isnan(pvalues).any() else float("nan"),
        results=results,
    )


def _check_n_simulations(n_simulations):
    if isinstance(n_simulations, (bool, np.bool_)) or not (
        isinstance(n_simulations, (int, np.integer)) and n_simulations >= 0
    ):
        raise ValueError(f"n_simulations must be a non-negative int; got {n_simulations!r}.")


def _simulated_pvalue(statistic, simulate, n_simulations):
    """Monte Carlo p-value ``(1 + #{T_sim >= T}) / (1 + B)``; NaN when B = 0.

    Under the null the observed and the B simulated statistics are
    exchangeable, so the p-value is uniform on ``{1, ..., B + 1} / (B + 1)``
    (exactly when the null is fully specified; with fitted parameters up to
    their estimation error). The one implementation every simulated null calls.
    """
    if n_simulations == 0:
        return float("nan")
    simulated = np.array([simulate() for _ in range(n_simulations)])
    return float((1 + np.sum(simulated >= statistic)) / (1 + n_simulations))


def _fit_gaussian(X):
    """The Gaussian N(mean, cov) of X, as whitening and colouring maps.

    Returns ``Z``, the centred data in coordinates where the fitted Gaussian is
    N(0, I) (flat directions dropped), and ``colour`` of shape (k, d): a draw
    ``rng.standard_normal((n, k)) @ colour`` is a centred sample of the fitted
    Gaussian in the original coordinates.
    """
    centred = X - X.mean(axis=0)
    cov = np.atleast_2d(np.cov(centred, rowvar=False))
    eigval, eigvec = np.linalg.eigh(cov)
    keep = eigval > eigval.max() * 1e-12 if eigval.max() > 0 else np.zeros(len(eigval), bool)
    if not keep.any():
        raise ValueError("All samples are identical: a Gaussian reference has no spread.")
    scale = np.sqrt(eigval[keep])
    return centred @ (eigvec[:, keep] / scale), (eigvec[:, keep] * scale).T


# diptest tabulates its null up to 72 000 values: 379 samples give 71 631
# distances, the most the table covers.
_DIP_MAX_SAMPLES = 379


def dip_test(X, *, metric="euclidean", sample_size=None, random_state=None):
    """Dip test of unimodality on the pairwise distances (Adolfsson et al., 2019).

    One cluster gives a unimodal distribution of pairwise distances; well
    separated clusters add modes (within- and between-cluster distances).
    Hartigan's dip measures the departure from unimodality. The values tested
    are the distances of every pair of (sampled) samples, each pair once.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features) or (n_samples, n_samples)
        Data, or a dissimilarity matrix with ``metric="precomputed"``
        (square, symmetric, non-negative); finite, at least 3 samples.
    metric : str or callable, default="euclidean"
        Any metric of :func:`sklearn.metrics.pairwise_distances`, or
        ``"precomputed"``.
    sample_size : int or float, default=None
        Samples whose pairwise distances are tested (without replacement);
        None uses at most 379 samples (71 631 distances, the largest sample
        the tabulated null of ``diptest`` covers).
    random_state : int, RandomState instance or None, default=None
        Draw of the subsample.

    Returns
    -------
    result : TendencyResult
        ``statistic``: the dip (larger: more multimodal); ``pvalue`` from the
        tabulated null of the ``diptest`` package.

    Notes
    -----
    What it tests against: independent distances from a unimodal law. The
    p-value is exact for uniformly distributed values, the least favourable
    unimodal law (tested: on dissimilarities drawn independently from U(0, 1)
    the p-values are uniform), and conservative for other unimodal laws.
    Pairwise distances of points are not independent, which the tables ignore
    (Adolfsson et al. use it the same way): on point data the p-value is close
    to 1 unless the clusters are far apart relative to their spread
    (``benchmarks/tendency_table.py``). It needs the optional ``diptest``
    package (``pip install diptest``).

    The dip and its p-value are invariant to scaling X by a power of two (up
    to rounding); data (or dissimilarities) whose largest magnitude lies
    outside [2**-48, 2**48] are rescaled internally by one
    (:ref:`algo-scaling`).

    Time O(s^2 d) for s sampled samples, memory O(s^2).

    References
    ----------
    .. [1] J. A. Hartigan and P. M. Hartigan, "The dip test of unimodality",
       Annals of Statistics 13(1), 1985, pp. 70-84.
    .. [2] A. Adolfsson, M. Ackerman and N. C. Brownstein, "To cluster, or not to
       cluster: an analysis of clusterability methods", Pattern Recognition 88,
       2019, pp. 13-26.
    """
    try:
        import diptest
    except ImportError as exc:  # pragma: no cover - depends on the env
        raise ImportError(
            "dip_test needs the diptest package: pip install diptest "
            "(or pip install 'sklearn-tendency[dip]')."
        ) from exc
    from scipy.spatial.distance import squareform
    from sklearn.metrics import pairwise_distances

    X = check_array(X, dtype=[np.float64, np.float32], ensure_min_samples=3)
    if metric == "precomputed":
        check_precomputed_dissimilarity(X)
    X, _ = scale_by_power_of_two(X, metric)
    n = X.shape[0]
    m = min(n, _DIP_MAX_SAMPLES) if sample_size is None else check_sample_size(sample_size, n)
    if m < 3:
        raise ValueError(f"dip_test needs at least 3 sampled samples; got {m}.")
    idx = np.arange(n)
    if m < n:
        idx = check_random_state(random_state).choice(n, size=m, replace=False)
    if metric == "precomputed":
        D = X[np.ix_(idx, idx)]
    else:
        D = pairwise_distances(X[idx], metric=metric)
    # The upper triangle: each pair once. Both triangles would count every
    # distance twice and make the tables' sample size twice too large.
    distances = squareform(D, checks=False).astype(np.float64)
    dip, pvalue = diptest.diptest(distances)
    return TendencyResult(statistic=float(dip), pvalue=float(pvalue))


@validate_params(
    {
        "X": ["array-like", "sparse matrix"],
        "metric": METRIC_CONSTRAINT,
        "min_cluster_size": [Interval(Integral, 1, None, closed="left"), None],
        "quantile": [Interval(Real, 0, 1, closed="both")],
        "n_simulations": [Interval(Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    },
    prefer_skip_nested_validation=True,
)
def vat_gap(
    X,
    *,
    metric="euclidean",
    min_cluster_size=None,
    quantile=0.9,
    n_simulations=0,
    random_state=None,
    n_jobs=None,
):
    """The largest jump between two VAT blocks, relative to the blocks' own edges.

    Of the cut weights that split the VAT order into two blocks of at least
    ``min_cluster_size`` samples, the largest, divided by the ``quantile`` of
    the cut weights inside the sparser of the two blocks: the first split of
    :func:`~sklearn_tendency.estimate_n_clusters`. About 1 for a continuum,
    large for clusters single linkage separates. Defined values at the edges:
    1.0 when no cut leaves ``min_cluster_size`` samples on both sides or the
    largest such cut is 0 (all samples identical, an all-zero precomputed
    matrix); ``inf`` when the cut is positive but the edges inside the blocks
    are all 0 (blocks of exactly duplicated samples, perfectly separated).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data, or a dissimilarity matrix with ``metric="precomputed"``.
    metric : str or callable, default="euclidean"
        See :class:`~sklearn_tendency.VAT`.
    min_cluster_size : int, default=None
        ``None``: ``max(2, ceil(0.02 n))``.
    quantile : float, default=0.9
        Quantile of the within-block cut weights taken as their scale.
    n_simulations : int, default=0
        Samples simulated from the Gaussian with the data's mean and
        covariance for a p-value (what it tests against: a single Gaussian
        cloud); 0 gives the statistic alone (p-value NaN).
    random_state : int, RandomState instance or None, default=None
        Draws of the simulations.
    n_jobs : int, default=None
        Threads of the VAT kernel; see :func:`~sklearn_tendency.vat_order`.

    Returns
    -------
    result : TendencyResult
        ``statistic`` as above; ``pvalue``
        ``(1 + #{G_sim >= G}) / (1 + n_simulations)``, or NaN without
        simulations.

    Notes
    -----
    Single linkage has no tractable null distribution; the simulated one
    makes the p-value uniform on Gaussian data (tested), up to the Monte Carlo
    resolution ``1 / (1 + n_simulations)``. It sees only gaps single linkage
    sees: in high dimension, clusters whose spread is comparable to their
    separation leave no gap (``benchmarks/tendency_table.py``).

    The statistic, a ratio of cut weights, is exactly invariant to scaling X
    by a power of two; data whose largest magnitude lies outside
    [2**-48, 2**48] are rescaled internally by one (:ref:`algo-scaling`).

    Time O((1 + n_simulations) n^2 d), memory O(n d) (the VAT order and cut
    weights; one simulated sample at a time).
    """
    _check_n_simulations(n_simulations)
    if n_simulations and metric == "precomputed":
        raise ValueError(
            "vat_gap simulates a Gaussian in feature space for its p-value; "
            "metric='precomputed' supports n_simulations=0 only."
        )
    X, _ = scale_by_power_of_two(check_vat_input(X, metric), metric)

    def gap(data):
        _, cut_weights = vat_order_validated(data, metric, None, n_jobs)
        n = len(cut_weights)
        size = resolve_min_cluster_size(min_cluster_size, n)
        split = block_split(cut_weights, 0, n, size, quantile)
        # No admissible cut, or only cuts of length 0 (duplicates, an all-zero
        # matrix): no jump, the value of a continuum.
        return 1.0 if split is None or split[0] == 0.0 else float(split[0])

    statistic = gap(X)
    pvalue = float("nan")
    if n_simulations:
        dense = X.toarray() if hasattr(X, "toarray") else X
        _, colour = _fit_gaussian(np.asarray(dense, dtype=np.float64))
        rng = check_random_state(random_state)
        n = X.shape[0]
        pvalue = _simulated_pvalue(
            statistic,
            lambda: gap(rng.standard_normal((n, colour.shape[0])) @ colour),
            n_simulations,
        )
    return TendencyResult(statistic=float(statistic), pvalue=pvalue)
