"""VAT and iVAT: Visual Assessment of cluster Tendency.

The estimators :class:`VAT` and :class:`IVAT` share one computation, the VAT
order and the cut weights (:func:`~sklearn_tendency.vat_order`). Everything else
(the images, the cluster-count estimate, the single-linkage labels) is derived
from those two arrays.
"""

from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, RealNotInt, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._blocks import gap_block_count
from ._cut_weights import (
    ivat_from_cut_weights,
    labels_from_edges,
    resolve_min_cluster_size,
    significant_cuts,
)
from ._image import vat_image
from ._ordering import ALGORITHMS, EUCLIDEAN_NAMES, vat_order_validated
from ._svat import extend_labels, maximin_sample
from ._validation import (
    METRIC_CONSTRAINT,
    check_sample_size,
    check_vat_input,
    restore_units,
    scale_by_power_of_two,
)

__all__ = ["VAT", "IVAT"]


# Metrics under which the distances of collinear points are proportional to
# their distances along the line (norms), and the squared Euclidean one.
_NORMS = frozenset({"euclidean", "l2", "manhattan", "cityblock", "l1", "chebyshev", "minkowski"})


def _spacings(X, metric):
    """How the cut weights of X relate to the spacings of one-dimensional data.

    ``"distances"`` when X is one-dimensional (one column, or dense columns
    that are multiples of one: a constant column, a copied column) under a
    norm, ``"squared"`` under ``"sqeuclidean"``, else None (more dimensions,
    or a metric that is not a norm: no spacing law, see
    :ref:`algo-uniform-jump`). The rank test costs O(n d^2) for d <= 64 columns.
    """
    if metric == "sqeuclidean":
        kind = "squared"
    elif isinstance(metric, str) and metric in _NORMS:
        kind = "distances"
    else:
        return None
    d = X.shape[1]
    if d == 1:
        return kind
    if sparse.issparse(X) or d > 64:
        return None
    Xc = np.asarray(X, dtype=np.float64) - np.mean(X, axis=0)
    eigenvalues = np.linalg.eigvalsh(Xc.T @ Xc)
    # Rank one: all the spread along one direction, to rounding.
    return kind if eigenvalues[-2] <= 1e-10 * eigenvalues[-1] else None


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
        Number of single-linkage clusters in :attr:`labels_`: the blocks
        between the ``n_clusters - 1`` largest cut weights (a far outlier is a
        cluster of its own). ``None``: the blocks of
        :attr:`n_clusters_estimate_`, each of at least 2% of the samples.
    n_jobs : int, default=None
        Threads of the kernels and of :func:`~sklearn.metrics.pairwise_distances`.
        ``None`` follows ``OMP_NUM_THREADS`` and threadpoolctl limits; ``-1``
        uses every CPU. See :func:`vat_order` for when the ordering uses them.
    algorithm : {"auto", "prim", "delaunay", "boruvka"}, default="auto"
        How the minimum spanning tree behind the order is found; all give the
        same order and cut weights. ``"delaunay"`` (Euclidean, at most 3
        features) and ``"boruvka"`` (Euclidean, low dimension) run in
        O(n log n); see :func:`vat_order`.
    sample_size : int or float, default=None
        ``None`` orders every sample (exact). Otherwise order a sample of about
        this many objects (a float is a fraction of n) drawn as sVAT/siVAT
        draw it: maximin objects, then samples from each of their Voronoi
        groups in proportion to its size (maximin sampling);
        :attr:`labels_` are then extended to every object through its nearest
        sampled object (clusiVAT). An int at least n means exact.
    n_references : int, default=10
        Uniform reference data sets of the gap statistic behind
        :attr:`n_clusters_estimate_` (Euclidean metrics on dense data); 0
        leaves the single-linkage count alone.
    random_state : int, RandomState instance or None, default=None
        Randomness of the sampling and of the gap statistic's reference data:
        pass an int for a reproducible :attr:`n_clusters_estimate_`.
    verbose : int, default=0
        Print the progress of long fits.

    Attributes
    ----------
    order_ : ndarray of shape (n_sampled,)
        Training sample indices in VAT order (n_sampled = n_samples unless
        ``sample_size`` is set).
    cut_weights_ : ndarray of shape (n_sampled,)
        Dissimilarity that attached each sample, in VAT order, 0 for the first:
        the edges of a minimum spanning tree.
    n_clusters_estimate_ : int
        The number of blocks of the VAT order (contiguous runs of samples,
        dark squares on the image's diagonal, each of at least 2% of the
        samples) that stand out: the larger of
        :attr:`n_clusters_single_linkage_` (blocks cut off by a jump of the
        cut weights, clusters of any shape) and :attr:`n_clusters_gap_`
        (blocks of small within-block sum of squares, found even where a chain
        of samples joins them). Its blocks are :attr:`cluster_edges_` and
        :attr:`labels_`, unless ``n_clusters`` is set. Right on 26 of the 33 labelled data sets of
        ``benchmarks/bench_n_clusters.py`` (79%, ``random_state=0``; 25 to
        27 over seeds 0 to 9) where the single-linkage count alone gets 22
        (see the :ref:`user guide <vat_n_clusters>` for where it fails).
    n_clusters_single_linkage_ : int
        :func:`estimate_n_clusters` on the cut weights: top-down splits of the
        VAT order at cut weights at least twice the long edges (90th
        percentile) inside each block they separate, blocks of at least 2% of
        the samples. On one-dimensional data (one column, or columns that are
        multiples of one; a norm or ``"sqeuclidean"``), a cut must also beat
        the ratio the spacings of uniform data exceed 1% of the time
        (:ref:`algo-uniform-jump`; 4.7 at n = 500). See its Notes for the
        limits.
    n_clusters_gap_ : int or None
        The gap statistic (Tibshirani et al., 2001) over contiguous blocks of
        the VAT order: the order is split greedily, block by block, where the
        within-block sum of squares W falls most (blocks of at least 2%), and
        log W is compared with its mean over ``n_references`` uniform data
        sets in the box of the data's principal components, ordered and split
        alike (at most 2000 samples each); the count is the smallest k with
        Gap(k) >= Gap(k+1) - s_(k+1). ``None`` without coordinates
        (precomputed or non-Euclidean metric, sparse X) or with
        ``n_references=0``.
    gap_, gap_se_ : ndarray of shape (n_k,) or None
        The gap and its standard error for k = 1, 2, ... blocks.
    cluster_edges_ : ndarray of shape (n_blocks + 1,)
        Positions in the VAT order where the blocks of :attr:`labels_` start,
        with n_sampled last: the blocks :class:`VATDisplay` outlines.
    labels_ : ndarray of shape (n_samples,)
        Block of each training sample (blocks numbered along the order): the
        blocks of :attr:`n_clusters_estimate_`, or the ``n_clusters``
        single-linkage clusters.
    sample_indices_ : ndarray of shape (n_sampled,)
        Sorted indices of the ordered samples: all of them unless
        ``sample_size`` is set. ``order_`` and ``cut_weights_`` cover these
        samples; ``labels_`` covers every training sample.
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
    ``fit`` costs O(n^2 d) time and O(n d) extra memory with Prim's algorithm
    (O(n log n) with ``algorithm="delaunay"``): no n x n matrix is formed for a
    feature matrix. With ``sample_size=s`` the fit costs O(k n d) for the
    maximin sampling (k distinguished objects), the exact fit of the s sampled
    objects, and one nearest-sample search for the labels (O(n log s) with a
    tree in low dimension); memory O(n + s d). A fit interrupted by Ctrl-C
    (``KeyboardInterrupt``) leaves the estimator unfitted. The image of ``transform`` and ``fit_transform`` is
    n x n (8 n^2 bytes: 80 MB at n = 3 200, 3.2 GB at n = 20 000).

    The gap statistic behind :attr:`n_clusters_estimate_` adds ``n_references``
    VAT orders of uniform data of at most 2000 samples (O(B m^2 d) time with
    m = min(n, 2000)) and B + 1 greedy splittings of an order (O(n d) per
    split, prefix sums of the ordered data: O(n d) memory).
    ``n_references=0`` skips it.

    The order, blocks and labels are invariant to scaling X by a power of two,
    and ``cut_weights_`` and the image scale with it, exactly: data whose
    largest magnitude lies outside [2**-48, 2**48] are rescaled internally
    by one and the results returned in the data's units
    (:ref:`algo-scaling`); a ValueError says so if those exceed the float64
    range although X is finite.

    VAT is transductive: the order belongs to the sample set. ``transform(X)``
    therefore orders X itself (it does not reuse the training order), and
    ``fit_transform(X)`` returns the image of the training data without
    computing the order twice.

    References
    ----------
    .. [1] J. C. Bezdek and R. J. Hathaway, "VAT: a tool for visual assessment
       of (cluster) tendency", Proc. IJCNN 2002, pp. 2225-2230.
    .. [2] R. Tibshirani, G. Walther and T. Hastie, "Estimating the number of
       clusters in a data set via the gap statistic", JRSS B 63(2), 2001,
       pp. 411-423.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn_tendency import VAT
    >>> X, _ = make_blobs(n_samples=300, centers=[[0, 0], [6, 0], [0, 6]],
    ...                   cluster_std=0.5, random_state=0)
    >>> vat = VAT(random_state=0).fit(X)
    >>> vat.n_clusters_estimate_, vat.n_clusters_single_linkage_, vat.n_clusters_gap_
    (3, 3, 3)
    >>> vat.cluster_edges_.tolist()
    [0, 100, 200, 300]
    >>> vat.fit_transform(X).shape
    (300, 300)
    """

    _parameter_constraints: dict = {
        "metric": METRIC_CONSTRAINT,
        "metric_params": [dict, None],
        "n_clusters": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
        "algorithm": [StrOptions(ALGORITHMS)],
        "sample_size": [
            Interval(Integral, 2, None, closed="left"),
            # RealNotInt: a bool is an int, and neither is a size.
            Interval(RealNotInt, 0, 1, closed="right"),
            None,
        ],
        "n_references": [Interval(Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        metric="euclidean",
        *,
        metric_params=None,
        n_clusters=None,
        n_jobs=None,
        algorithm="auto",
        sample_size=None,
        n_references=10,
        random_state=None,
        verbose=0,
    ):
        self.metric = metric
        self.metric_params = metric_params
        self.n_clusters = n_clusters
        self.n_jobs = n_jobs
        self.algorithm = algorithm
        self.sample_size = sample_size
        self.n_references = n_references
        self.random_state = random_state
        self.verbose = verbose

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
        self._fit_validated(X)
        return self

    # validate_data sets the last two before the order is computed.
    _FITTED = (
        "order_",
        "cut_weights_",
        "n_clusters_estimate_",
        "labels_",
        "cluster_edges_",
        "n_clusters_single_linkage_",
        "n_clusters_gap_",
        "gap_",
        "gap_se_",
        "sample_indices_",
        "n_features_in_",
        "feature_names_in_",
    )

    def _fit_validated(self, X):
        """Validate X, then fit; returns the validated X.

        Everything is computed before anything is stored, and a failed or
        interrupted fit (validation included: validate_data resets
        n_features_in_ before the precomputed checks run) drops the
        attributes of an earlier fit: the estimator is either fitted on this
        X or unfitted.
        """
        try:
            X = check_vat_input(X, self.metric, estimator=self, reset=True)
            # Extreme magnitudes: everything runs on X scaled by a power of
            # two, which changes no order, block or label (:ref:`algo-scaling`).
            Xs, exponent = scale_by_power_of_two(X, self.metric)
            sample, local_order, cut_weights = self._order(Xs)
            blocks = self._blocks(Xs, sample, local_order, cut_weights)
            labels = labels_from_edges(local_order, blocks["cluster_edges_"])
            if sample is None:
                sample, order = np.arange(X.shape[0]), local_order
            else:
                order = sample[local_order]
                labels = extend_labels(
                    Xs,
                    sample,
                    labels,
                    metric=self.metric,
                    metric_params=self.metric_params,
                    n_jobs=self.n_jobs,
                )
            cut_weights = restore_units(cut_weights, exponent, self.metric, name="cut weights")
        except BaseException:
            for name in self._FITTED:
                self.__dict__.pop(name, None)
            raise
        self.order_, self.cut_weights_ = order, cut_weights
        self.__dict__.update(blocks)
        self.labels_ = labels
        self.sample_indices_ = sample
        return X

    def _blocks(self, X, sample, local_order, cut_weights):
        """The cluster-count estimates and the blocks of the order behind labels_."""
        n = local_order.shape[0]
        m = resolve_min_cluster_size(None, n)
        max_blocks = max(1, min(50, n // m))
        # The sampled samples' coordinates, taken once for both rules below; a
        # precomputed matrix has none (its rows would be an n_sampled x n copy).
        coords = None if self.metric == "precomputed" else (X if sample is None else X[sample])
        # On a line the cut weights are the spacings, whose largest grows like
        # log n against their quantiles: a cut must also beat that jump.
        spacings = None if coords is None else _spacings(coords, self.metric)
        single_cuts = significant_cuts(cut_weights, m, max_clusters=max_blocks, spacings=spacings)
        n_single = single_cuts.size + 1
        n_gap = gap = gap_se = None
        coordinates = (
            self.metric in EUCLIDEAN_NAMES
            and not self.metric_params
            and not sparse.issparse(X)
            and self.n_references > 0
            and n >= 2 * m
        )
        if coordinates:
            # The gap statistic is a difference of log sums of squares, and
            # the VAT order does not change under scaling by a power of two:
            # always at unit magnitude, its references, sums and logs round
            # alike at every scale of X.
            Xs, _ = scale_by_power_of_two(coords, always=True)
            n_gap, gap_edges, gap, gap_se = gap_block_count(
                Xs,
                local_order,
                lambda R: vat_order_validated(R, "euclidean", None, self.n_jobs)[0],
                min_block_size=m,
                max_blocks=max_blocks,
                n_references=self.n_references,
                random_state=check_random_state(self.random_state),
            )
        estimate = max(n_single, n_gap or 1)
        if self.n_clusters is not None:
            # The single-linkage clusters themselves (:ref:`algo-single-linkage`):
            # a far outlier is then a cluster of its own.
            k = min(self.n_clusters, n)
            cuts = np.sort(np.argsort(-cut_weights[1:], kind="stable")[: k - 1] + 1)
            edges = np.r_[0, cuts, n]
        elif n_gap is not None and n_gap > n_single:
            edges = gap_edges[n_gap - 1]
        else:
            edges = np.r_[0, single_cuts, n]
        return {
            "n_clusters_estimate_": estimate,
            "n_clusters_single_linkage_": n_single,
            "n_clusters_gap_": n_gap,
            "gap_": gap,
            "gap_se_": gap_se,
            "cluster_edges_": np.asarray(edges, dtype=np.intp),
        }

    def _order(self, X):
        """(sample or None, VAT order of the sample, its cut weights)."""
        n = X.shape[0]
        sample = None
        if self.sample_size is not None:
            size = (
                self.sample_size
                if isinstance(self.sample_size, Integral)
                else check_sample_size(self.sample_size, n)
            )
            if size < n:
                sample = maximin_sample(
                    X,
                    max(size, 2),
                    metric=self.metric,
                    metric_params=self.metric_params,
                    random_state=self.random_state,
                )
                X = X[np.ix_(sample, sample)] if self.metric == "precomputed" else X[sample]
        order, cut_weights = vat_order_validated(
            X,
            self.metric,
            self.metric_params,
            self.n_jobs,
            self.algorithm,
            self.verbose,
        )
        return sample, order, cut_weights

    def _image(self, X, order, cut_weights):
        # Distances of data of extreme magnitude: computed scaled, returned in
        # the data's units (:ref:`algo-scaling`); the cut weights that mark
        # the VAT path go to the scaled units with the data (exact: powers of
        # two), so that the path entries still equal cut_weights_ bit for bit.
        Xs, exponent = scale_by_power_of_two(X, self.metric)
        if exponent:
            cut_weights = restore_units(np.array(cut_weights, dtype=np.float64), -exponent, self.metric)
        image = vat_image(Xs, order, self.metric, self.metric_params, self.n_jobs, cut_weights)
        return restore_units(image, exponent, self.metric, name="dissimilarities")

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
        X = check_vat_input(X, self.metric, estimator=self, reset=False)
        Xs, exponent = scale_by_power_of_two(X, self.metric)
        sample, order, cut_weights = self._order(Xs)
        if sample is not None:
            order = sample[order]
        return self._image(X, order, restore_units(cut_weights, exponent, self.metric, name="cut weights"))

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
        X = self._fit_validated(X)
        try:
            return self._image(X, self.order_, self.cut_weights_)
        except BaseException:
            # An image that fails (Ctrl-C in the image kernel, dissimilarities
            # beyond float64) fails the fit: the estimator is left unfitted.
            for name in self._FITTED:
                self.__dict__.pop(name, None)
            raise

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
        Number of single-linkage clusters in :attr:`labels_`: the blocks
        between the ``n_clusters - 1`` largest cut weights (a far outlier is a
        cluster of its own). ``None``: the blocks of
        :attr:`n_clusters_estimate_`, each of at least 2% of the samples.
    n_jobs : int, default=None
        Threads; see :class:`VAT`.
    algorithm : {"auto", "prim", "delaunay", "boruvka"}, default="auto"
        How the minimum spanning tree is found; see :class:`VAT`.
    sample_size : int or float, default=None
        ``None`` orders every sample (exact). Otherwise order a sample of about
        this many objects (a float is a fraction of n) drawn as sVAT/siVAT
        draw it: maximin objects, then samples from each of their Voronoi
        groups in proportion to its size (maximin sampling);
        :attr:`labels_` are then extended to every object through its nearest
        sampled object (clusiVAT). An int at least n means exact.
    n_references : int, default=10
        Uniform reference data sets of the gap statistic behind
        :attr:`n_clusters_estimate_` (Euclidean metrics on dense data); 0
        leaves the single-linkage count alone.
    random_state : int, RandomState instance or None, default=None
        Randomness of the sampling and of the gap statistic's reference data:
        pass an int for a reproducible :attr:`n_clusters_estimate_`.
    verbose : int, default=0
        Print the progress of long fits.

    Attributes
    ----------
    order_ : ndarray of shape (n_samples,)
        Training sample indices in VAT order.
    cut_weights_ : ndarray of shape (n_samples,)
        Dissimilarity that attached each sample, in VAT order, 0 for the first.
    n_clusters_estimate_ : int
        Number of blocks of the VAT order that stand out; see :class:`VAT`.
    n_clusters_single_linkage_ : int
        The count of :func:`estimate_n_clusters`; see :class:`VAT`.
    n_clusters_gap_ : int or None
        The gap statistic's count of blocks; see :class:`VAT`.
    gap_, gap_se_ : ndarray of shape (n_k,) or None
        The gap and its standard error for k = 1, 2, ... blocks.
    cluster_edges_ : ndarray of shape (n_blocks + 1,)
        Positions in the VAT order where the blocks of :attr:`labels_` start.
    labels_ : ndarray of shape (n_samples,)
        Block of each training sample; see :class:`VAT`.
    sample_indices_ : ndarray of shape (n_sampled,)
        Sorted indices of the ordered samples; see :class:`VAT`.
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
    >>> ivat = IVAT(random_state=0).fit(X)
    >>> ivat.n_clusters_estimate_
    2
    """

    def _image(self, X, order, cut_weights):
        return ivat_from_cut_weights(cut_weights, n_jobs=self.n_jobs)
