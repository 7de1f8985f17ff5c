"""VAT and iVAT: Visual Assessment of cluster Tendency.

The estimators :class:`VAT` and :class:`IVAT` and the notebook functions
:func:`vat` and :func:`ivat` share one computation, :func:`vat_order`: the VAT
order and the cut weights. Everything else (the images, the cluster-count
estimate, the single-linkage labels) is derived from those two arrays.
"""

from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.metrics import pairwise_distances, pairwise_distances_chunked
from sklearn.metrics.pairwise import _VALID_METRICS
from sklearn.utils import check_array
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _vat
from ._openmp_helpers import _openmp_effective_n_threads
from ._validation import check_precomputed_dissimilarity

__all__ = ["VAT", "IVAT", "vat", "ivat", "vat_order", "ivat_from_cut_weights"]


def _as_c_rows(X):
    """A C-contiguous view of a dense array, without copying a symmetric F one."""
    if X.flags.c_contiguous:
        return X
    return np.ascontiguousarray(X)


def _check_vat_input(X, metric, *, estimator=None, reset=True):
    """Validate X for VAT; ``estimator`` routes through ``validate_data``."""
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
    return X


def _first_max_row(X, metric, n_threads, metric_params):
    """Row of the first maximum of the dissimilarity matrix (row-major order)."""
    if metric == "precomputed":
        return int(np.argmax(X) // X.shape[1])
    if metric in _vat.NATIVE_METRICS and not sparse.issparse(X) and not metric_params:
        start, _ = _vat.farthest_pair_start(
            _as_c_rows(X), _vat.NATIVE_METRICS[metric], n_threads
        )
        return int(start)
    # Any other metric: strips of rows through scikit-learn, memory bounded by
    # its working_memory setting.
    best, start, offset = -np.inf, 0, 0
    for strip in pairwise_distances_chunked(
        X, metric=metric, n_jobs=n_threads, **(metric_params or {})
    ):
        row_max = strip.max(axis=1)
        i = int(np.argmax(row_max))
        if row_max[i] > best:
            best, start = row_max[i], offset + i
        offset += strip.shape[0]
    return start


def _prim_rowwise(X, start, metric, n_threads, metric_params):
    """Prim's algorithm with one row of distances from scikit-learn per step."""
    n = X.shape[0]
    to_tree = np.full(n, np.inf)
    closed = np.zeros(n, dtype=bool)
    order = np.empty(n, dtype=np.intp)
    cut_weights = np.zeros(n)
    current = order[0] = start
    closed[start] = True
    for step in range(1, n):
        row = pairwise_distances(
            X[current : current + 1], X, metric=metric, **(metric_params or {})
        ).ravel()
        np.minimum(to_tree, row, out=to_tree)
        to_tree[closed] = np.inf
        # argmin returns the first minimum: ties go to the lowest index.
        current = int(np.argmin(to_tree))
        order[step] = current
        cut_weights[step] = to_tree[current]
        closed[current] = True
    return order, cut_weights


def vat_order(X, *, metric="euclidean", metric_params=None, n_jobs=None):
    """VAT order and cut weights of a data set (Bezdek & Hathaway, 2002).

    Prim's algorithm started at the sample holding the largest dissimilarity
    (the first maximum in row-major order), appending at each step the open
    sample nearest to the ordered ones, ties to the lowest index.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
            (n_samples, n_samples)
        Feature matrix, or a dissimilarity matrix with ``metric="precomputed"``.
        Must be finite, with at least 2 samples.
    metric : str or callable, default="euclidean"
        Any metric :func:`sklearn.metrics.pairwise_distances` accepts.
        ``"euclidean"``, ``"sqeuclidean"``, ``"manhattan"`` and ``"chebyshev"``
        (and their aliases) on dense data are computed by the compiled kernel;
        other metrics and sparse input get one row of distances per step from
        scikit-learn.
    metric_params : dict, default=None
        Keyword arguments of the metric.
    n_jobs : int, default=None
        Threads of the kernel; ``None`` follows ``OMP_NUM_THREADS`` and
        threadpoolctl limits, ``-1`` uses every CPU.

    Returns
    -------
    order : ndarray of shape (n_samples,)
        Sample indices in VAT order.
    cut_weights : ndarray of shape (n_samples,), dtype float64
        ``cut_weights[k]`` is the dissimilarity that attached ``order[k]`` to
        the samples before it (0 for the first): the edges of a minimum
        spanning tree.

    Notes
    -----
    Time O(n^2 d) for a feature matrix (two passes over the pairs: one for the
    farthest pair, one for Prim's algorithm) and O(n^2) for a precomputed
    matrix. Extra memory O(n) on top of the input: distances are computed on
    the fly, row by row, never as an n x n matrix.

    References
    ----------
    .. [1] J. C. Bezdek and R. J. Hathaway, "VAT: a tool for visual assessment
       of (cluster) tendency", Proc. IJCNN 2002, pp. 2225-2230.
    """
    X = _check_vat_input(X, metric)
    return _vat_order_validated(X, metric, metric_params, n_jobs)


def _vat_order_validated(X, metric, metric_params, n_jobs):
    n_threads = _openmp_effective_n_threads(n_jobs)
    n = X.shape[0]
    start = _first_max_row(X, metric, n_threads, metric_params)
    if metric == "precomputed":
        order = np.empty(n, dtype=np.intp)
        cut_weights = np.empty(n)
        _vat.prim_precomputed(X, start, order, cut_weights)
    elif metric in _vat.NATIVE_METRICS and not sparse.issparse(X) and not metric_params:
        order = np.empty(n, dtype=np.intp)
        cut_weights = np.empty(n)
        _vat.prim_features(
            _as_c_rows(X), start, _vat.NATIVE_METRICS[metric], order, cut_weights,
            n_threads,
        )
        if metric in ("euclidean", "l2"):
            # The kernel compares squared distances (same order, no sqrt per pair).
            np.sqrt(cut_weights, out=cut_weights)
    else:
        order, cut_weights = _prim_rowwise(X, start, metric, n_threads, metric_params)
    return order, cut_weights


def ivat_from_cut_weights(cut_weights, *, dtype=np.float64, n_jobs=None):
    """The iVAT image, in VAT order, from the cut weights alone.

    In VAT order the minimax path distance of Havens & Bezdek (2012) between
    positions ``i < j`` is ``max(cut_weights[i + 1 : j + 1])`` (NOTES.md), so
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
    Time O(n^2); memory: the n x n output only (8 n^2 bytes in float64).

    References
    ----------
    .. [1] T. C. Havens and J. C. Bezdek, "An efficient formulation of the
       improved visual assessment of cluster tendency (iVAT) algorithm", IEEE
       TKDE 24(5), 2012, pp. 813-822.
    """
    cut_weights = np.ascontiguousarray(cut_weights, dtype=np.float64)
    if cut_weights.ndim != 1:
        raise ValueError(
            f"cut_weights must be 1-d; got an array of shape {cut_weights.shape}."
        )
    n = cut_weights.shape[0]
    image = np.empty((n, n), dtype=dtype)
    _vat.ivat_image(cut_weights, image, _openmp_effective_n_threads(n_jobs))
    return image


def _vat_image(X, order, metric, metric_params, n_jobs):
    """The VAT image: the dissimilarity matrix with rows and columns in VAT order."""
    if metric == "precomputed":
        return X[np.ix_(order, order)]
    return pairwise_distances(
        X[order], metric=metric, n_jobs=n_jobs, **(metric_params or {})
    )


def estimate_n_clusters(cut_weights, *, min_cluster_size=None, ratio=2.0,
                        quantile=0.9, max_clusters=50):
    """Cluster count from the cut weights: splits of the VAT order that stand out.

    The k - 1 largest cut weights split the VAT order into k contiguous blocks,
    the single-linkage clusters (NOTES.md). The rule splits the order top-down:
    at each step it takes the largest cut weight whose two sides both keep at
    least ``min_cluster_size`` samples (so a far outlier, which makes a large
    cut weight but a block of one sample, is never a split), and accepts it if

        cut weight >= ratio * max(q_left, q_right)

    with ``q_left`` and ``q_right`` the ``quantile`` of the cut weights inside
    each of the two blocks it separates,

    i.e. if the jump between the blocks is clearly larger than the long edges
    within them. Splitting stops at the first cut that fails; the estimate is
    one more than the number of accepted cuts.

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
    n = w.shape[0]
    if min_cluster_size is None:
        min_cluster_size = max(2, int(np.ceil(0.02 * n)))
    m = int(min_cluster_size)
    blocks = [(0, n)]
    n_clusters = 1
    while n_clusters < max_clusters:
        best = None
        for a, b in blocks:
            split = _block_split(w, a, b, m, quantile)
            if split is not None and (best is None or w[split[1]] > w[best[1]]):
                best = (*split, a, b)
        if best is None or not best[0] >= ratio:
            break
        _, p, a, b = best
        blocks.remove((a, b))
        blocks.extend([(a, p), (p, b)])
        n_clusters += 1
    return n_clusters


def _block_split(w, a, b, m, quantile):
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
    scale = max(
        np.quantile(side, quantile) if side.size else 0.0
        for side in (w[a + 1 : p], w[p + 1 : b])
    )
    if w[p] <= 0:
        return 0.0, p
    return (w[p] / scale if scale > 0 else np.inf), p


def single_linkage_labels(order, cut_weights, n_clusters):
    """Labels of the ``n_clusters`` single-linkage clusters, in sample order.

    Cutting the VAT order at its ``n_clusters - 1`` largest cut weights (ties to
    the earliest position) gives the single-linkage clusters (NOTES.md). Blocks
    are numbered by their position in the VAT order.

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


class VAT(TransformerMixin, BaseEstimator):
    """Visual Assessment of cluster Tendency (Bezdek & Hathaway, 2002).

    Orders the samples so that clusters become dark blocks on the diagonal of
    the reordered dissimilarity matrix (the *VAT image*): Prim's algorithm from
    the sample at one end of the largest dissimilarity, appending at each step
    the sample nearest to those already ordered.

    Read more in the :ref:`User Guide <vat>`.

    Parameters
    ----------
    metric : str or callable, default="euclidean"
        Any metric :func:`sklearn.metrics.pairwise_distances` accepts, or
        ``"precomputed"`` for a dissimilarity matrix (square, symmetric,
        non-negative). See :func:`vat_order` for which metrics run in the
        compiled kernel.
    metric_params : dict, default=None
        Keyword arguments of the metric.
    n_clusters : int, default=None
        Number of single-linkage clusters in :attr:`labels_`; ``None`` uses
        :attr:`n_clusters_estimate_`.
    n_jobs : int, default=None
        Threads of the kernel and of :func:`~sklearn.metrics.pairwise_distances`.
        ``None`` follows ``OMP_NUM_THREADS`` and threadpoolctl limits; ``-1``
        uses every CPU.

    Attributes
    ----------
    order_ : ndarray of shape (n_samples,)
        Training sample indices in VAT order.
    cut_weights_ : ndarray of shape (n_samples,)
        Dissimilarity that attached each sample, in VAT order, 0 for the first:
        the edges of a minimum spanning tree.
    n_clusters_estimate_ : int
        Cluster count read from the cut weights by :func:`estimate_n_clusters`:
        top-down splits of the VAT order at cut weights at least twice the long
        edges (90th percentile) inside each block they separate, blocks of at
        least 2% of the samples. See its Notes for the limits.
    labels_ : ndarray of shape (n_samples,)
        Single-linkage cluster of each training sample for ``n_clusters`` (or the
        estimate) clusters: the blocks between the largest cut weights.
    n_features_in_ : int
        Number of features seen during fit (``n_samples`` when precomputed).
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    IVAT : The same order, with the minimax-path (iVAT) image.
    vat : Function that returns (and draws) the VAT image.

    Notes
    -----
    ``fit`` costs O(n^2 d) time and O(n) extra memory: no n x n matrix is formed
    for a feature matrix. The image of ``transform`` and ``fit_transform`` is
    n x n (8 n^2 bytes: 80 MB at n = 3 200, 3.2 GB at n = 20 000).

    VAT is transductive: the order belongs to the sample set. ``transform(X)``
    therefore orders X itself (it does not reuse the training order), and
    ``fit_transform(X)`` returns the image of the training data without
    computing the order twice.

    References
    ----------
    .. [1] J. C. Bezdek and R. J. Hathaway, "VAT: a tool for visual assessment
       of (cluster) tendency", Proc. IJCNN 2002, pp. 2225-2230.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn_tendency import VAT
    >>> X, _ = make_blobs(n_samples=300, centers=[[0, 0], [6, 0], [0, 6]],
    ...                   cluster_std=0.5, random_state=0)
    >>> vat = VAT().fit(X)
    >>> vat.n_clusters_estimate_
    3
    >>> vat.fit_transform(X).shape
    (300, 300)
    """

    _parameter_constraints: dict = {
        "metric": [StrOptions(set(_VALID_METRICS) | {"precomputed"}), callable],
        "metric_params": [dict, None],
        "n_clusters": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
    }

    def __init__(self, metric="euclidean", *, metric_params=None, n_clusters=None,
                 n_jobs=None):
        self.metric = metric
        self.metric_params = metric_params
        self.n_clusters = n_clusters
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Compute the VAT order and cut weights of X.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, n_samples)
            Training data, or a dissimilarity matrix if ``metric="precomputed"``.
        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        X = _check_vat_input(X, self.metric, estimator=self, reset=True)
        self._fit_validated(X)
        return self

    def _fit_validated(self, X):
        self.order_, self.cut_weights_ = _vat_order_validated(
            X, self.metric, self.metric_params, self.n_jobs
        )
        self.n_clusters_estimate_ = estimate_n_clusters(self.cut_weights_)
        k = self.n_clusters if self.n_clusters is not None else self.n_clusters_estimate_
        self.labels_ = single_linkage_labels(self.order_, self.cut_weights_, k)

    def _image(self, X, order, cut_weights):
        return _vat_image(X, order, self.metric, self.metric_params, self.n_jobs)

    def transform(self, X):
        """Return the VAT image of X: its dissimilarities in its own VAT order.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, n_samples)
            Data with the features seen in fit, or a dissimilarity matrix if
            ``metric="precomputed"``.

        Returns
        -------
        image : ndarray of shape (n_samples, n_samples)
            ``image[i, j]`` is the dissimilarity of the i-th and j-th samples in
            the VAT order of X. Memory: 8 n^2 bytes.
        """
        check_is_fitted(self)
        X = _check_vat_input(X, self.metric, estimator=self, reset=False)
        order, cut_weights = _vat_order_validated(
            X, self.metric, self.metric_params, self.n_jobs
        )
        return self._image(X, order, cut_weights)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, X, y=None):
        """Fit to X and return its image (no second ordering pass).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, n_samples)
            Training data, or a dissimilarity matrix if ``metric="precomputed"``.
        y : Ignored
            Not used, present for API consistency by convention.

        Returns
        -------
        image : ndarray of shape (n_samples, n_samples)
            The image of the training data in :attr:`order_`.
        """
        X = _check_vat_input(X, self.metric, estimator=self, reset=True)
        self._fit_validated(X)
        return self._image(X, self.order_, self.cut_weights_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.metric == "precomputed"
        tags.input_tags.sparse = self.metric != "precomputed"
        tags.transformer_tags.preserves_dtype = []
        return tags


class IVAT(VAT):
    """Improved VAT: the VAT order with minimax path distances (Havens & Bezdek, 2012).

    iVAT replaces each dissimilarity by the largest step of the best path
    between the two samples, which sharpens the dark blocks of the VAT image
    for clusters of any shape. In VAT order the image is a range maximum of the
    cut weights, so fitting costs exactly what :class:`VAT` costs.

    Read more in the :ref:`User Guide <vat>`.

    Parameters
    ----------
    metric : str or callable, default="euclidean"
        Any metric :func:`sklearn.metrics.pairwise_distances` accepts, or
        ``"precomputed"``.
    metric_params : dict, default=None
        Keyword arguments of the metric.
    n_clusters : int, default=None
        Number of single-linkage clusters in :attr:`labels_`; ``None`` uses
        :attr:`n_clusters_estimate_`.
    n_jobs : int, default=None
        Threads; see :class:`VAT`.

    Attributes
    ----------
    order_ : ndarray of shape (n_samples,)
        Training sample indices in VAT order.
    cut_weights_ : ndarray of shape (n_samples,)
        Dissimilarity that attached each sample, in VAT order, 0 for the first.
    n_clusters_estimate_ : int
        Cluster count from :func:`estimate_n_clusters`.
    labels_ : ndarray of shape (n_samples,)
        Single-linkage cluster of each training sample.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    VAT : The plain VAT image.
    ivat : Function that returns (and draws) the iVAT image.
    ivat_from_cut_weights : The image from the cut weights alone.

    Notes
    -----
    ``fit`` costs O(n^2 d) time and O(n) extra memory; the image costs O(n^2)
    time and its own 8 n^2 bytes, and needs no distance beyond the cut weights.

    References
    ----------
    .. [1] T. C. Havens and J. C. Bezdek, "An efficient formulation of the
       improved visual assessment of cluster tendency (iVAT) algorithm", IEEE
       TKDE 24(5), 2012, pp. 813-822.

    Examples
    --------
    >>> from sklearn.datasets import make_moons
    >>> from sklearn_tendency import IVAT
    >>> X, _ = make_moons(n_samples=200, noise=0.05, random_state=0)
    >>> ivat = IVAT().fit(X)
    >>> ivat.n_clusters_estimate_
    2
    """

    def _image(self, X, order, cut_weights):
        return ivat_from_cut_weights(cut_weights, n_jobs=self.n_jobs)


def vat(X, *, metric="euclidean", metric_params=None, n_jobs=None, plot=False,
        ax=None, cmap="gray"):
    """VAT image of X, optionally drawn: the function for notebooks.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
            (n_samples, n_samples)
        Data, or a dissimilarity matrix with ``metric="precomputed"``.
    metric : str or callable, default="euclidean"
        See :class:`VAT`.
    metric_params : dict, default=None
        Keyword arguments of the metric.
    n_jobs : int, default=None
        Threads; see :class:`VAT`.
    plot : bool, default=False
        Draw the image (on a new figure unless ``ax`` is given).
    ax : matplotlib Axes, default=None
        Axes to draw on; implies ``plot=True``.
    cmap : str, default="gray"
        Colormap: with ``"gray"``, small dissimilarities are dark.

    Returns
    -------
    image : ndarray of shape (n_samples, n_samples)
        The ordered dissimilarity matrix, what ``pyclustertend.vat(X,
        return_odm=True)`` returns.

    See Also
    --------
    VAT : The estimator, with ``order_`` and ``cut_weights_``.
    """
    est = VAT(metric=metric, metric_params=metric_params, n_jobs=n_jobs)
    image = est.fit_transform(X)
    if plot or ax is not None:
        from .plotting import plot_ordered_image

        plot_ordered_image(image, ax=ax, cmap=cmap, title="VAT")
    return image


def ivat(X, *, metric="euclidean", metric_params=None, n_jobs=None, plot=False,
         ax=None, cmap="gray"):
    """iVAT image of X, optionally drawn: the function for notebooks.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
            (n_samples, n_samples)
        Data, or a dissimilarity matrix with ``metric="precomputed"``.
    metric : str or callable, default="euclidean"
        See :class:`IVAT`.
    metric_params : dict, default=None
        Keyword arguments of the metric.
    n_jobs : int, default=None
        Threads; see :class:`VAT`.
    plot : bool, default=False
        Draw the image (on a new figure unless ``ax`` is given).
    ax : matplotlib Axes, default=None
        Axes to draw on; implies ``plot=True``.
    cmap : str, default="gray"
        Colormap.

    Returns
    -------
    image : ndarray of shape (n_samples, n_samples)
        The iVAT image, what ``pyclustertend.ivat(X, return_odm=True)`` returns.

    See Also
    --------
    IVAT : The estimator.
    """
    est = IVAT(metric=metric, metric_params=metric_params, n_jobs=n_jobs)
    image = est.fit_transform(X)
    if plot or ax is not None:
        from .plotting import plot_ordered_image

        plot_ordered_image(image, ax=ax, cmap=cmap, title="iVAT")
    return image
