"""The cut-weight rules: what the cut weights of the VAT order say.

In VAT order, the cut weights are the edges of a minimum spanning tree: the
largest of them split the order into the single-linkage clusters, their range
maxima are the iVAT image, and the jumps among them estimate the number of
clusters.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from ._image import downsampled_ivat_image

__all__ = [
    "block_split",
    "estimate_n_clusters",
    "ivat_from_cut_weights",
    "labels_from_edges",
    "resolve_min_cluster_size",
    "significant_cuts",
    "single_linkage_labels",
    "uniform_jump_ratio",
]


def ivat_from_cut_weights(cut_weights, *, dtype=np.float64, n_jobs=None):
    """The iVAT image, in VAT order, from the cut weights alone.

    In VAT order the minimax path distance of Havens & Bezdek (2012) between
    positions ``i < j`` is ``max(cut_weights[i + 1 : j + 1])`` (:ref:`algo-ivat`), so
    the whole image follows from the n cut weights.

    Parameters
    ----------
    cut_weights : array-like of shape (n_samples,)
        Cut weights in VAT order, as returned by :func:`vat_order`.
    dtype : {np.float64, np.float32}, default=np.float64
        dtype of the image; float32 halves its memory.
    n_jobs : int, default=None
        Threads; see :func:`vat_order`.

    Returns
    -------
    image : ndarray of shape (n_samples, n_samples)
        ``image[i, j]`` is the iVAT dissimilarity between ``order[i]`` and
        ``order[j]``.

    Notes
    -----
    The full-resolution case of
    :func:`~sklearn_tendency.downsampled_ivat_image` (one sample per
    pixel): the package has one range-maximum kernel. Time O(n^2); memory: the
    n x n output, 8 n^2 bytes (float32: computed in float64, then cast, 12 n^2
    bytes at the peak).

    References
    ----------
    .. [1] T. C. Havens and J. C. Bezdek, "An efficient formulation of the
       improved visual assessment of cluster tendency (iVAT) algorithm", IEEE
       TKDE 24(5), 2012, pp. 813-822.
    """
    cut_weights = np.asarray(cut_weights, dtype=np.float64)
    if cut_weights.ndim != 1:
        raise ValueError(f"cut_weights must be 1-d; got an array of shape {cut_weights.shape}.")
    n = cut_weights.shape[0]
    image = downsampled_ivat_image(cut_weights, max_pixels=n, reduce="min", n_jobs=n_jobs)
    return image.astype(dtype, copy=False)


@validate_params(
    {
        "cut_weights": ["array-like"],
        "min_cluster_size": [Interval(Integral, 1, None, closed="left"), None],
        "ratio": [Interval(Real, 0, None, closed="left")],
        "quantile": [Interval(Real, 0, 1, closed="both")],
        "max_clusters": [Interval(Integral, 1, None, closed="left")],
        "spacings": [StrOptions({"distances", "squared"}), None],
    },
    prefer_skip_nested_validation=True,
)
def estimate_n_clusters(
    cut_weights, *, min_cluster_size=None, ratio=2.0, quantile=0.9, max_clusters=50, spacings=None
):
    """Cluster count from the cut weights: splits of the VAT order that stand out.

    The k - 1 largest cut weights split the VAT order into k contiguous blocks,
    the single-linkage clusters (:ref:`algo-single-linkage`). The rule splits
    the order top-down: at each step it takes the largest cut weight whose two
    sides both keep at least ``min_cluster_size`` samples (so a far outlier,
    which makes a large cut weight but a block of one sample, is never a
    split), and accepts it if

        cut weight >= ratio * max(q_left, q_right)

    with ``q_left`` and ``q_right`` the ``quantile`` of the cut weights inside
    each of the two blocks it separates,

    i.e. if the jump between the blocks is clearly larger than the long edges
    within them. Splitting stops at the first cut that fails; the estimate is
    one more than the number of accepted cuts.

    On one-dimensional data the cut weights are the spacings of the sorted
    values, and the largest of n spacings of uniform data grows like log n
    against their quantiles: a fixed ratio of 2 cut one column of 2000 uniform
    samples into 7 to 18 blocks. With ``spacings`` given, a cut of a block of
    n samples must also beat the ratio that uniform data exceed with
    probability 1%, ``(log n + 4.6) / -log(1 - quantile)`` (4.7 at n = 500,
    5.3 at n = 2000), squared for squared distances
    (:ref:`algo-uniform-jump`). In two or more dimensions the fixed ratio
    already holds on uniform data, and ``spacings`` must be left out.

    Parameters
    ----------
    cut_weights : array-like of shape (n_samples,)
        Cut weights in VAT order (the first entry is ignored).
    min_cluster_size : int, default=None
        Smallest block a split may leave; ``None`` means
        ``max(2, ceil(0.02 * n_samples))``.
    ratio : float, default=2.0
        How many times the within-block scale a cut must reach.
    quantile : float, default=0.9
        Quantile of the within-block cut weights taken as their scale.
    max_clusters : int, default=50
        Largest count returned.
    spacings : {"distances", "squared"}, default=None
        The cut weights are the spacings of one-dimensional data (one column,
        or columns that are multiples of one), as distances of a norm
        (``"distances"``: Euclidean, Manhattan, Chebyshev, Minkowski) or as
        squared Euclidean distances (``"squared"``); the bound above then
        applies. ``None``: ``ratio`` alone.

    Returns
    -------
    n_clusters : int
        At least 1.

    Notes
    -----
    Limits: it sees only what single linkage sees. Clusters joined by a chain
    of close samples (a bridge, overlapping Gaussians, or clusters whose spread
    is comparable to their separation, common in high dimension) show no jump
    and count as one; the estimate then says "no gap", not "no clusters".
    Clusters of very different densities may be split where the sparse one is
    thin. Read it next to the iVAT image, not as a test. The defaults give 1 on
    uniform and Gaussian data and the visible count on the seminar data sets
    (see the tests).

    Time O(max_clusters * n), memory O(n).
    """
    w = np.asarray(cut_weights, dtype=np.float64)
    m = resolve_min_cluster_size(min_cluster_size, w.shape[0])
    return (
        significant_cuts(
            w, m, ratio=ratio, quantile=quantile, max_clusters=max_clusters, spacings=spacings
        ).size
        + 1
    )


def uniform_jump_ratio(n_samples, quantile=0.9, alpha=0.01):
    """The jump ratio the spacings of uniform one-dimensional data exceed with
    probability ~alpha.

    For n samples uniform on an interval, the largest of the spacings over
    their ``quantile`` exceeds ``(log n + beta) / -log(1 - quantile)``, with
    ``beta = -log(-log(1 - alpha))``, with probability tending to alpha
    (Rényi's representation of the spacings and the Gumbel law of the
    largest of n exponentials; :ref:`algo-uniform-jump` has the derivation).

    Parameters
    ----------
    n_samples : int
        Samples in the block.
    quantile : float, default=0.9
        Quantile of the spacings taken as the block's scale. At 0 (the
        shortest spacing) no bound holds, and the result is infinite; at 1
        (the longest) it is 1.
    alpha : float, default=0.01
        Chance that a uniform block exceeds the bound.

    Returns
    -------
    ratio : float
    """
    if quantile >= 1:
        return 1.0
    tail = -np.log1p(-quantile)
    if not tail > 0:
        return np.inf
    beta = -np.log(-np.log1p(-alpha))
    return float((np.log(n_samples) + beta) / tail)


def significant_cuts(w, min_cluster_size, *, ratio=2.0, quantile=0.9, max_clusters=50, spacings=None):
    """Positions of the cuts :func:`estimate_n_clusters` accepts, sorted.

    The blocks between them (and 0 and n) are the estimate's blocks, each of
    at least ``min_cluster_size`` samples: a split is only ever made with that
    many samples on both sides, and later splits cut blocks, never join them.
    ``ratio=0`` accepts every admissible cut: the ``max_clusters`` blocks of
    at least ``min_cluster_size`` samples that the largest cut weights make
    (``spacings=None``); with ``spacings``, a block of n samples needs at
    least ``max(ratio, uniform_jump_ratio(n, quantile))``, squared for
    ``spacings="squared"``.

    Time O(max_clusters * n), memory O(n).
    """
    n = w.shape[0]
    m = int(min_cluster_size)
    # A block's best cut depends on the block alone: computed once, when the
    # block is made (two quantiles each), not again at every round.
    splits = {(0, n): block_split(w, 0, n, m, quantile)}
    cuts = []
    while len(cuts) + 1 < max_clusters:
        best = None
        for (a, b), split in splits.items():
            if split is not None and (best is None or w[split[1]] > w[best[1]]):
                best = (*split, a, b)
        if best is None:
            break
        jump, p, a, b = best
        needed = ratio
        if spacings is not None:
            needed = max(ratio, uniform_jump_ratio(b - a, quantile) ** (2 if spacings == "squared" else 1))
        if not jump >= needed:
            break
        del splits[a, b]
        splits[a, p] = block_split(w, a, p, m, quantile)
        splits[p, b] = block_split(w, p, b, m, quantile)
        cuts.append(p)
    return np.sort(np.asarray(cuts, dtype=np.intp))


def labels_from_edges(order, edges):
    """Labels, in sample order, of the contiguous blocks of the VAT order
    whose boundaries are ``edges`` (0 first, n last); blocks are numbered by
    their position in the order. Time and memory O(n)."""
    labels = np.empty(order.shape[0], dtype=np.intp)
    labels[order] = np.repeat(np.arange(len(edges) - 1), np.diff(edges))
    return labels


def resolve_min_cluster_size(min_cluster_size, n_samples):
    """The smallest block a split may leave: ``max(2, ceil(0.02 * n_samples))``
    for None, else ``min_cluster_size`` as an int."""
    if min_cluster_size is None:
        return max(2, int(np.ceil(0.02 * n_samples)))
    return int(min_cluster_size)


def block_split(w, a, b, m, quantile):
    """The largest admissible cut of block [a, b) and its jump ratio.

    A block is [a, b) in VAT positions; a cut at position p (a + m <= p <= b - m)
    makes [a, p) and [p, b). cut_weights[p] joined position p to the positions
    before it, so the edges inside [a, p) are w[a + 1 : p].

    Returns (ratio, p), or None when no cut leaves m samples on both sides.
    """
    if b - a < 2 * m:
        return None
    p = a + m + int(np.argmax(w[a + m : b - m + 1]))
    # The sparser block sets the scale: a sparse tail of a single Gaussian
    # has long edges of its own, and must not pass as a cluster next to a
    # dense core.
    scale = max(_quantile(side, quantile) if side.size else 0.0 for side in (w[a + 1 : p], w[p + 1 : b]))
    if w[p] <= 0:
        return 0.0, p
    return (w[p] / scale if scale > 0 else np.inf), p


def _quantile(x, q):
    """``np.quantile(x, q)`` (linear interpolation) of a 1-d array, by one
    partial sort: the call overhead of np.quantile (~20 us) was most of
    estimate_n_clusters, hence a tenth of a VAT fit at n = 1000."""
    h = (x.shape[0] - 1) * q
    lo = int(h)
    hi = min(lo + 1, x.shape[0] - 1)
    part = np.partition(x, (lo, hi))
    return part[lo] + (h - lo) * (part[hi] - part[lo])


def single_linkage_labels(order, cut_weights, n_clusters):
    """Labels of the ``n_clusters`` single-linkage clusters, in sample order.

    Cutting the VAT order at its ``n_clusters - 1`` largest cut weights (ties to
    the earliest position) gives the single-linkage clusters
    (:ref:`algo-single-linkage`). Blocks are numbered by their position in the
    VAT order.

    Time O(n log n), memory O(n).
    """
    n = order.shape[0]
    n_clusters = int(min(max(n_clusters, 1), n))
    cuts = np.sort(np.argsort(-cut_weights[1:], kind="stable")[: n_clusters - 1] + 1)
    block_of_position = np.zeros(n, dtype=np.intp)
    block_of_position[cuts] = 1
    block_of_position = np.cumsum(block_of_position)
    labels = np.empty(n, dtype=np.intp)
    labels[order] = block_of_position
    return labels
