"""Structureless null models and the Monte Carlo machinery of the tendency tests.

A *null* is a law with no cluster structure, fitted to the data: uniform in
the data's bounding box, a single Gaussian, uniform in an ellipsoid, a single
multivariate t cloud. Each null here provides, for data ``X``:

- ``prepare(X)``: the coordinates the statistic is computed in (the data
  whitened by their own mean and covariance for the elliptical nulls; as
  given for the box) and the fitted parameters;
- ``reference(rng, Z, m, params)``: m points drawn from the fitted null;
- ``log_density(Z, params)``: the log density of the fitted null at rows of
  ``Z`` up to a constant (0 where it is constant);
- ``simulate(rng, n, k, params)``: a sample of n points in the k prepared
  coordinates from the fitted null,
  which is then *prepared exactly as the data were* (own bounding box, own
  mean and covariance, own degrees of freedom).

The elliptical nulls are affine families and the whitened statistic is affine
invariant, so their simulated law does not depend on the unknown mean and
covariance (exact Monte Carlo tests); the box null's law depends only on the
box's aspect ratios, estimated to O(1/n) by the data's range; the t null's
degrees of freedom are a fitted plug-in (a parametric bootstrap, from a
fit debiased by indirect inference).

:func:`monte_carlo` runs the simulations on threads, each from its own seed,
so the result does not depend on the number of threads, and answers Ctrl-C.
"""

from concurrent.futures import ThreadPoolExecutor, wait

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import gammaln
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_limits

__all__ = [
    "NULLS",
    "monte_carlo",
    "nearest_distances",
    "whiten",
]

# Below this dimension a k-d tree answers a nearest-neighbour query in
# O(log n); above it, it visits most leaves and one GEMM is faster.
_TREE_MAX_DIM = 8
# Data rows per GEMM block: the block of squared distances is m x 2048
# doubles (16 MiB for m = 1000).
_BLOCK = 2048


def nearest_distances(data, queries, exclude=None, metric="euclidean"):
    """Distance from each query to its nearest row of ``data``.

    Parameters
    ----------
    data : ndarray of shape (n, k), float64
    queries : ndarray of shape (q, k), float64
    exclude : ndarray of shape (q,) of int, default=None
        Row of ``data`` that query i must not take as its neighbour (the
        query itself, for a sampled data point's nearest *other* point); -1
        excludes nothing.
    metric : str or callable, default="euclidean"
        Other metrics go through :class:`~sklearn.neighbors.NearestNeighbors`.

    Returns
    -------
    dist : ndarray of shape (q,)

    Notes
    -----
    Euclidean: a k-d tree for k <= 8, else blocks of ``|X|^2 - 2 Q X^T``
    through float32 BLAS (centred data) with a running minimum; the winning
    distance is recomputed in float64 from the coordinates, so neither the
    cancellation of the expanded form nor float32 rounding reaches the result
    (a near tie, within float32 rounding of the squared norms, may pick the
    other of two almost equidistant neighbours). Time O(q n k) (GEMM) or
    O((n + q) log n) (tree); memory O(q * 2048) for the GEMM blocks.
    """
    q = queries.shape[0]
    if exclude is None:
        exclude = np.full(q, -1, dtype=np.intp)
    if metric != "euclidean" or data.shape[1] <= _TREE_MAX_DIM:
        if metric == "euclidean":
            dist, ind = cKDTree(data).query(queries, k=2)
        else:
            dist, ind = NearestNeighbors(metric=metric).fit(data).kneighbors(queries, n_neighbors=2)
        # With duplicates the query itself need not come first: any returned
        # neighbour that is not the query is an "other" point.
        return np.where(ind[:, 0] == exclude, dist[:, 1], dist[:, 0])
    centre = data.mean(axis=0)
    X = data - centre
    Q = queries - centre
    # The search runs in float32 (half the GEMM's time); only the choice of
    # the neighbour depends on it, and its distance is recomputed in float64.
    X32, Q32 = X.astype(np.float32), Q.astype(np.float32)
    best = np.full(q, np.inf, dtype=np.float32)
    arg = np.zeros(q, dtype=np.intp)
    rows = np.arange(q)
    for start in range(0, X.shape[0], _BLOCK):
        block = X32[start : start + _BLOCK]
        # |q|^2 is the same for every candidate of a query: left out.
        d2 = Q32 @ block.T
        d2 *= -2.0
        d2 += np.einsum("ij,ij->i", block, block)
        inside = (exclude >= start) & (exclude < start + len(block))
        d2[rows[inside], exclude[inside] - start] = np.inf
        j = np.argmin(d2, axis=1)
        val = d2[rows, j]
        better = val < best
        best[better] = val[better]
        arg[better] = j[better] + start
    diff = Q - X[arg]
    return np.sqrt(np.einsum("ij,ij->i", diff, diff))


def whiten(X):
    """Centre X and map its sample covariance to the identity.

    Directions of (relative) variance below 1e-12 are dropped, so the result
    has k = rank columns. Raises ValueError when all samples are identical.
    Time O(n p^2 + p^3), memory O(n p).
    """
    centred = X - X.mean(axis=0)
    cov = np.atleast_2d(np.cov(centred, rowvar=False))
    eigval, eigvec = np.linalg.eigh(cov)
    top = eigval.max()
    if not top > 0:
        raise ValueError("All samples are identical: a Gaussian reference has no spread.")
    keep = eigval > top * 1e-12
    return np.ascontiguousarray(centred @ (eigvec[:, keep] / np.sqrt(eigval[keep])))


def _unit_ball(rng, n, k):
    g = rng.standard_normal(size=(n, k))
    g /= np.linalg.norm(g, axis=1, keepdims=True)
    return g * rng.uniform(size=(n, 1)) ** (1.0 / k)


# Degrees of freedom searched for the t null: from close to 2 (the variance,
# hence the whitening, must exist) to practically Gaussian.
_NU_GRID = 2.0 + np.geomspace(0.25, 1000.0, 48)


def _fit_nu(Z):
    """Maximum-likelihood degrees of freedom of a unit-covariance t on the grid.

    The unit-covariance t with nu degrees of freedom has density proportional
    to ``(1 + |z|^2 / (nu - 2)) ** (-(nu + k) / 2)``; Z is already whitened,
    so only nu is fitted.
    """
    n, k = Z.shape
    r2 = np.einsum("ij,ij->i", Z, Z)
    nu = _NU_GRID[:, None]
    loglik = n * (gammaln((_NU_GRID + k) / 2) - gammaln(_NU_GRID / 2) - k / 2 * np.log(_NU_GRID - 2)) - (
        _NU_GRID + k
    ) / 2 * np.log1p(r2[None, :] / (nu - 2)).sum(axis=1)
    return float(_NU_GRID[np.argmax(loglik)])


def _debiased_nu(nu_hat, n, k, rng, repeats=8):
    """The degrees of freedom whose fitted value, at this n and k, is nu_hat.

    Whitened by their own sample covariance, a few points in many dimensions
    have radii far less variable than the law's (their squares sum to
    k (n - 1)), so the fitted nu is biased upwards (measured: t with 3 degrees
    of freedom, n = 100 in 32-d, gives a median fit of 6.6). A parametric
    bootstrap from the fitted value would simulate lighter tails than the data
    have and reject too often. Indirect inference removes the bias: the
    median fit of ``repeats`` simulated samples on a coarse grid of nu, made
    monotone, inverted at nu_hat. Time O(16 repeats n k^2).
    """
    grid = _NU_GRID[::3]
    medians = np.array(
        [np.median([_fit_nu(whiten(_t_sample(rng, n, k, nu))) for _ in range(repeats)]) for nu in grid]
    )
    medians = np.maximum.accumulate(medians)
    # Strictly increasing abscissae for the interpolation (plateaus at the
    # grid's ends keep their first point).
    x = np.log(medians - 2) + 1e-9 * np.arange(len(grid))
    return float(2 + np.exp(np.interp(np.log(nu_hat - 2), x, np.log(grid - 2))))


def _t_sample(rng, n, k, nu):
    scale = np.sqrt((nu - 2) / rng.chisquare(nu, size=(n, 1)))
    return rng.standard_normal(size=(n, k)) * scale


class _Null:
    def simulation_params(self, Z, params, rng):
        """The parameters of the law to simulate: those fitted, by default."""
        return params


class _Box(_Null):
    name = "box"
    description = "uniform in the data's bounding box"

    def prepare(self, X):
        lo, hi = X.min(axis=0), X.max(axis=0)
        return X, (lo, hi)

    def reference(self, rng, Z, m, params):
        lo, hi = params
        return rng.uniform(lo, hi, size=(m, Z.shape[1]))

    def log_density(self, Z, params):
        return 0.0

    def dimension(self, Z, params):
        lo, hi = params
        return int(np.sum(hi > lo))

    def simulate(self, rng, n, k, params):
        lo, hi = params
        return rng.uniform(lo, hi, size=(n, k))


class _Elliptical(_Null):
    def prepare(self, X):
        return whiten(X), None

    def dimension(self, Z, params):
        return Z.shape[1]


class _Gaussian(_Elliptical):
    name = "gaussian"
    description = "a single Gaussian with the data's mean and covariance"

    def reference(self, rng, Z, m, params):
        return rng.standard_normal(size=(m, Z.shape[1]))

    def log_density(self, Z, params):
        return -0.5 * np.einsum("ij,ij->i", Z, Z)

    def simulate(self, rng, n, k, params):
        return rng.standard_normal(size=(n, k))


class _Ball(_Elliptical):
    name = "ball"
    description = "uniform in the ellipsoid of the data's mean and covariance"

    def reference(self, rng, Z, m, params):
        # Uniform in the ball of radius R has covariance R^2 / (k + 2) I.
        k = Z.shape[1]
        return _unit_ball(rng, m, k) * np.sqrt(k + 2.0)

    def log_density(self, Z, params):
        return 0.0

    def simulate(self, rng, n, k, params):
        return _unit_ball(rng, n, k)


class _StudentT(_Elliptical):
    name = "t"
    description = "a single multivariate t cloud (heavy tails; degrees of freedom fitted)"

    def prepare(self, X):
        Z = whiten(X)
        return Z, _fit_nu(Z)

    def reference(self, rng, Z, m, nu):
        return _t_sample(rng, m, Z.shape[1], nu)

    def simulation_params(self, Z, nu, rng):
        # The statistic uses the plain fit (cheap, the same in every
        # simulation); the simulated law uses the debiased one.
        return _debiased_nu(nu, Z.shape[0], Z.shape[1], rng)

    def log_density(self, Z, nu):
        return -(nu + Z.shape[1]) / 2 * np.log1p(np.einsum("ij,ij->i", Z, Z) / (nu - 2))

    def simulate(self, rng, n, k, nu):
        return _t_sample(rng, n, k, nu)


NULLS = {null.name: null for null in (_Box(), _Gaussian(), _Ball(), _StudentT())}


def monte_carlo(simulate_statistic, n_simulations, seed, n_jobs):
    """The statistics of ``n_simulations`` simulated samples.

    Parameters
    ----------
    simulate_statistic : callable
        ``simulate_statistic(rng) -> float`` for a numpy Generator ``rng``.
    n_simulations : int
    seed : numpy.random.SeedSequence
        Simulation i draws from the i-th spawned child: the result does not
        depend on ``n_jobs`` or on the order the threads finish in.
    n_jobs : int
        Threads; BLAS is held to one thread per simulation meanwhile (many
        small products: nested threads would only contend).

    Returns
    -------
    statistics : ndarray of shape (n_simulations,)

    Notes
    -----
    Ctrl-C is answered between simulations (one thread) or within a tenth of
    a second (threads: the pending simulations are cancelled, the running ones
    finish their current sample).
    """
    seeds = seed.spawn(n_simulations)
    out = np.empty(n_simulations)
    n_jobs = max(1, min(int(n_jobs), n_simulations))
    with threadpool_limits(limits=1):
        if n_jobs == 1:
            for i, s in enumerate(seeds):
                out[i] = simulate_statistic(np.random.default_rng(s))
            return out
        executor = ThreadPoolExecutor(max_workers=n_jobs)
        futures = []
        try:
            futures = [executor.submit(simulate_statistic, np.random.default_rng(s)) for s in seeds]
            pending = set(futures)
            while pending:
                # A timed wait keeps the main thread able to take Ctrl-C.
                _, pending = wait(pending, timeout=0.1)
            for i, f in enumerate(futures):
                out[i] = f.result()
        finally:
            for f in futures:
                f.cancel()
            executor.shutdown(wait=True)
    return out
