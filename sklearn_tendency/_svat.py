"""Sampled VAT: the sampling of sVAT/siVAT and the label extension of clusiVAT.

sVAT (Hathaway, Bezdek & Huband, 2006) and its iVAT and clustering successors
siVAT and clusiVAT (Kumar, Bezdek et al., 2016) look at a sample that keeps
every cluster: ``n_distinguished`` objects picked by maximin (each the object
farthest from those already picked) split the data into Voronoi groups, and
each group contributes samples in proportion to its size. VAT/iVAT of the
sample then shows the cluster structure of the whole set, and clusiVAT labels
every object by its nearest sampled object.

:class:`~sklearn_tendency.VAT` and :class:`~sklearn_tendency.IVAT` use these
functions when ``sample_size`` is set.
"""

import numpy as np
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state

from ._openmp_helpers import check_n_jobs

__all__ = ["maximin_sample", "extend_labels"]


def _distances_from(X, i, metric, metric_params):
    """Row i of the dissimilarity matrix, computed on its own."""
    if metric == "precomputed":
        # A copy: the caller updates it in place.
        return np.array(X[i], dtype=np.float64).ravel()
    return pairwise_distances(X[i : i + 1], X, metric=metric, **(metric_params or {})).ravel()


def default_n_distinguished(sample_size):
    """The number of maximin objects when none is given: an overestimate of
    the cluster count, as sVAT asks, without exceeding a tenth of the sample."""
    return int(max(2, min(50, sample_size // 10)))


def maximin_sample(
    X, sample_size, *, n_distinguished=None, metric="euclidean", metric_params=None, random_state=None
):
    """Maximin plus near-neighbour sampling of sVAT/siVAT.

    1. The first distinguished object is drawn at random; each next one is the
       object farthest from those already distinguished (maximin).
    2. Every object joins the group of its nearest distinguished object.
    3. Each group contributes ``ceil(sample_size * group size / n)`` objects
       drawn at random without replacement (so the sample may exceed
       ``sample_size`` by less than ``n_distinguished``).

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features) or \
            (n_samples, n_samples)
        Validated data, or a dissimilarity matrix with ``metric="precomputed"``.
    sample_size : int
        Approximate number of sampled objects, at least 2.
    n_distinguished : int, default=None
        Number of maximin objects (an overestimate of the number of clusters);
        ``None`` uses ``max(2, min(50, sample_size // 10))``.
    metric : str or callable, default="euclidean"
    metric_params : dict, default=None
    random_state : int, RandomState instance or None, default=None
        Draws the first distinguished object and the samples of each group.

    Returns
    -------
    sample : ndarray of shape (n_sampled,)
        Sorted indices of the sampled objects.

    Notes
    -----
    Time O(n_distinguished n d) (one row of distances per distinguished
    object), memory O(n).

    References
    ----------
    .. [1] R. J. Hathaway, J. C. Bezdek and J. M. Huband, "Scalable visual
       assessment of cluster tendency for large data sets", Pattern
       Recognition 39(7), 2006, pp. 1315-1324.
    .. [2] D. Kumar, J. C. Bezdek, M. Palaniswami, S. Rajasegarar, C. Leckie
       and T. C. Havens, "A hybrid approach to clustering in big data", IEEE
       Trans. Cybernetics 46(10), 2016, pp. 2372-2385.
    """
    rng = check_random_state(random_state)
    n = X.shape[0]
    if n_distinguished is None:
        n_distinguished = default_n_distinguished(sample_size)
    n_distinguished = int(min(n_distinguished, n))
    current = int(rng.randint(n))
    nearest = np.zeros(n, dtype=np.intp)
    to_set = _distances_from(X, current, metric, metric_params)
    for t in range(1, n_distinguished):
        current = int(np.argmax(to_set))
        if to_set[current] == 0:
            break  # every object coincides with a distinguished one
        row = _distances_from(X, current, metric, metric_params)
        closer = row < to_set
        nearest[closer] = t
        np.minimum(to_set, row, out=to_set)
    groups = np.bincount(nearest)
    chosen = []
    for t in np.flatnonzero(groups):
        members = np.flatnonzero(nearest == t)
        size = min(len(members), int(np.ceil(sample_size * len(members) / n)))
        chosen.append(rng.choice(members, size=size, replace=False))
    return np.sort(np.concatenate(chosen))


def extend_labels(X, sample, sample_labels, *, metric="euclidean", metric_params=None, n_jobs=None):
    """Label every object by its nearest sampled object (clusiVAT).

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features) or \
            (n_samples, n_samples)
        The data, or the dissimilarity matrix with ``metric="precomputed"``.
    sample : ndarray of shape (n_sampled,)
        Indices of the sampled objects.
    sample_labels : ndarray of shape (n_sampled,)
        Their labels.
    metric, metric_params, n_jobs :
        As for :class:`~sklearn.neighbors.NearestNeighbors`.

    Returns
    -------
    labels : ndarray of shape (n_samples,)
        Sampled objects keep their own label (ties to the lowest sample
        position otherwise).

    Notes
    -----
    Time O(n log s) with a tree index in low dimension, O(n s d) otherwise;
    memory O(n) plus scikit-learn's chunked neighbour search.
    """
    if metric == "precomputed":
        nearest = np.asarray(X[:, sample]).argmin(axis=1)
    else:
        nn = NearestNeighbors(
            n_neighbors=1, metric=metric, metric_params=metric_params, n_jobs=check_n_jobs(n_jobs)
        ).fit(X[sample])
        nearest = nn.kneighbors(X, return_distance=False).ravel()
    labels = np.asarray(sample_labels)[nearest]
    labels[sample] = sample_labels
    return labels
