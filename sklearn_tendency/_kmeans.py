"""Lloyd's k-means that records its objective at every iteration."""

import functools
import warnings
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    ClusterMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.cluster import kmeans_plusplus
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.utils import check_array, check_random_state
from sklearn.utils._param_validation import Interval, InvalidParameterError, StrOptions
from sklearn.utils.extmath import row_norms
from sklearn.utils.sparsefuncs import mean_variance_axis
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from . import _k_means_lloyd, _k_means_lloyd_sparse
from ._openmp_helpers import blas_single_threaded, effective_n_threads

__all__ = ["LloydKMeans"]


def _is_array_like(init):
    return not isinstance(init, str) and not callable(init)


class LloydKMeans(ClassNamePrefixFeaturesOutMixin, ClusterMixin, TransformerMixin, BaseEstimator):
    """K-means by Lloyd's algorithm, with the objective at every iteration.

    A drop-in for ``sklearn.cluster.KMeans(algorithm="lloyd")`` on dense and
    sparse data: the same parameters, defaults and, from the same initial
    centres, the same labels, centres, objective and iteration count, plus the
    learning curve
    every k-means lesson draws, ``inertia_history_``, a by-product of the
    assignment step (no extra pass over the data), and optionally the centres
    of every iteration (``center_history_``), enough to animate the algorithm
    without refitting.

    Read more in the :ref:`User Guide <kmeans>`.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters.
    init : {"k-means++", "random"}, callable or array-like of shape \
            (n_clusters, n_features), default="k-means++"
        Initialisation, as in :class:`sklearn.cluster.KMeans`: greedy
        k-means++ [2]_, ``n_clusters`` samples drawn at random (weighted by
        ``sample_weight``), a callable ``init(X, n_clusters, random_state)``
        returning the centres, or the initial centres themselves.
    n_init : "auto" or int, default="auto"
        Number of runs from different initial centres; the run with the lowest
        final objective is kept. ``"auto"``: 1 for "k-means++" or an array, 10
        for "random" or a callable.
    max_iter : int, default=300
        Maximum number of iterations of a run.
    tol : float, default=1e-4
        A run stops when the squared Frobenius norm of the centre shift of an
        iteration is at most ``tol`` times the mean variance of the features,
        unless it stopped before on unchanged labels (strict convergence).
    verbose : int, default=0
        Print the objective at every iteration and why a run stopped.
    random_state : int, RandomState instance or None, default=None
        Randomness of the initialisation (the only randomness).
    copy_x : bool, default=True
        Dense X is centred, as scikit-learn centres it, which keeps the GEMM
        distance formula ``||x||^2 - 2 x.c + ||c||^2`` accurate for data far
        from the origin. True: in a copy; X is not modified. False: in place,
        X being restored (``X += mean``) when the fit ends, fails or is
        interrupted, as scikit-learn does: X then equals the input up to
        rounding; a read-only X is copied. Both give the same labels, centres
        and iteration count, and a callable ``init`` receives the centred X
        either way. Sparse X is neither centred nor modified.
    algorithm : {"lloyd"}, default="lloyd"
        Accepted so that ``KMeans`` parameters transfer; this class runs
        Lloyd's algorithm only (``"elkan"`` raises a ``ValueError``).
    store_centers : bool, default=False
        Record the centres of every iteration of the selected run in
        ``center_history_``: ``(n_iter_ + 1) * n_clusters * n_features``
        floats.
    bounds : {None, "hamerly"}, default=None
        None: every iteration computes every distance, and the results are
        the bits of ``KMeans(algorithm="lloyd")``. ``"hamerly"``: Hamerly's
        bounds [3]_ skip the samples whose nearest centre provably has not
        changed, so that an iteration costs O(n d) plus the GEMM of the
        samples near a boundary: the same Lloyd iterations, with the same
        labels and centres except at a near-tie within rounding, and the
        objective history from direct distances. Faster when k is large and
        the data have clusters (20 iterations on blobs: 1.9 times as fast at
        200 000 x 64 with k = 50, 1.7-2.1 times at 100 000 x 384 with k =
        100); slower on data without clusters (0.6-0.9 times) and at small
        k (``benchmarks/bench_kmeans_bounds.py``). Dense X only; one float64
        bound per sample.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        Centres at the end of the selected run; float32 for float32 data.
    labels_ : ndarray of shape (n_samples,)
        Nearest final centre of each training sample.
    inertia_ : float
        The objective J of the selected run at its end: the sum of the
        (weighted) squared distances of the samples to their nearest centre.
    n_iter_ : int
        Iterations of the selected run.
    inertia_history_ : ndarray of shape (n_iter_ + 1,)
        Entry t is the objective of the nearest-centre assignment to the
        centres at the start of iteration t (entry 0: the initial centres);
        the last entry equals ``inertia_``. Lloyd's iterations never increase
        it.
    inertia_histories_ : list of ndarray
        One such history per initialisation (``n_init`` of them), in the order
        they were run: the spread of their last entries is why ``n_init``
        matters.
    center_history_ : ndarray of shape (n_iter_ + 1, n_clusters, n_features)
        Only with ``store_centers=True``: entry t holds the centres at the
        start of iteration t, the last entry ``cluster_centers_``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklearn.cluster.KMeans : The reference implementation, which also offers
        Elkan's algorithm.

    Notes
    -----
    Each iteration costs ``2 n k d`` flops of GEMM plus O(n (k + d)) on dense
    data (the kernel is :func:`sklearn_tendency._k_means_lloyd.lloyd`), ``nnz
    k`` multiply-adds plus O(T k d) for T threads on sparse data
    (the same kernel's sparse pass, :func:`sklearn_tendency._k_means_lloyd_sparse.sparse_steps`,
    which reads the centres transposed); the objective adds
    O(k d) per iteration in float64 (from the cluster sums the update makes
    anyway), one multiply-add per sample in float32. Memory beyond X: its
    centred copy when ``copy_x=True`` (dense), the labels (n int32), per
    thread a block of distances (256 x n_clusters, dense) and the partial sums
    of the centres (n_clusters x n_features), the transposed centres
    (sparse), the histories (grown by doubling as the run goes and trimmed
    in place: no copy of the frames).

    A fit that fails or is interrupted leaves the estimator unfitted, even if
    it was fitted before.

    References
    ----------
    .. [1] S. Lloyd, "Least squares quantization in PCM", IEEE Transactions on
       Information Theory 28(2), 1982, pp. 129-137.
    .. [2] D. Arthur and S. Vassilvitskii, "k-means++: the advantages of
       careful seeding", Proceedings of the 18th ACM-SIAM Symposium on
       Discrete Algorithms (SODA), 2007, pp. 1027-1035.
    .. [3] G. Hamerly, "Making k-means even faster", Proceedings of the 2010
       SIAM International Conference on Data Mining, pp. 130-140.

    Examples
    --------
    >>> from sklearn_tendency import LloydKMeans
    >>> from sklearn_tendency.datasets import load_faithful
    >>> X = load_faithful().data
    >>> km = LloydKMeans(n_clusters=2, init=X[[0, 1]]).fit(X)
    >>> round(km.inertia_, 4)
    8901.7687
    >>> bool((km.inertia_history_[:-1] >= km.inertia_history_[1:]).all())
    True
    """

    _parameter_constraints: dict = {
        "n_clusters": [Interval(Integral, 1, None, closed="left")],
        "init": [StrOptions({"k-means++", "random"}), callable, "array-like"],
        "n_init": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "random_state": ["random_state"],
        "copy_x": ["boolean"],
        # Only "lloyd"; _validate_params says why anything else is refused.
        "algorithm": [StrOptions({"lloyd"})],
        "store_centers": ["boolean"],
        "bounds": [StrOptions({"hamerly"}), None],
    }

    # Every attribute a fit sets: dropped when a fit starts and when it fails,
    # so that the estimator is either fitted on the last X or unfitted.
    _FITTED = (
        "cluster_centers_",
        "labels_",
        "inertia_",
        "n_iter_",
        "inertia_history_",
        "inertia_histories_",
        "center_history_",
        "n_features_in_",
        "feature_names_in_",
        "_n_features_out",
        "_n_threads",
    )

    def __init__(
        self,
        n_clusters=8,
        *,
        init="k-means++",
        n_init="auto",
        max_iter=300,
        tol=1e-4,
        verbose=0,
        random_state=None,
        copy_x=True,
        algorithm="lloyd",
        store_centers=False,
        bounds=None,
    ):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state
        self.copy_x = copy_x
        self.algorithm = algorithm
        self.store_centers = store_centers
        self.bounds = bounds

    def _validate_params(self):
        # scikit-learn's generic message would list {'lloyd'} without saying
        # why "elkan", which KMeans accepts, is refused here.
        if not (isinstance(self.algorithm, str) and self.algorithm == "lloyd"):
            raise InvalidParameterError(
                f"The 'algorithm' parameter of {self.__class__.__name__} must be "
                f"'lloyd': this class runs Lloyd's algorithm only. Got "
                f"{self.algorithm!r} instead; for Elkan's algorithm use "
                "sklearn.cluster.KMeans(algorithm='elkan')."
            )
        super()._validate_params()

    def _check_X(self, X, reset, copy=False):
        # scikit-learn's checks: CSR (CSC and COO converted), 32-bit indices.
        return validate_data(
            self,
            X,
            reset=reset,
            accept_sparse="csr",
            dtype=[np.float64, np.float32],
            order="C",
            copy=copy,
            accept_large_sparse=False,
        )

    def _n_init_for(self, init):
        # scikit-learn's rule for n_init="auto", and its warning.
        if self.n_init != "auto":
            n_init = self.n_init
        elif _is_array_like(init) or init == "k-means++":
            n_init = 1
        else:
            n_init = 10
        if _is_array_like(init) and n_init != 1:
            warnings.warn(
                "Explicit initial center position passed: performing only one "
                f"init in {self.__class__.__name__} instead of n_init={n_init}.",
                RuntimeWarning,
                stacklevel=3,
            )
            n_init = 1
        return n_init

    def _check_centers(self, centers, X):
        # scikit-learn's messages, which its tests match, for an array init
        # and for what a callable init returned alike.
        centers = check_array(centers, dtype=X.dtype, copy=True, order="C")
        if centers.shape[0] != self.n_clusters:
            raise ValueError(
                f"The shape of the initial centers {centers.shape} does not match "
                f"the number of clusters {self.n_clusters}."
            )
        if centers.shape[1] != X.shape[1]:
            raise ValueError(
                f"The shape of the initial centers {centers.shape} does not match "
                f"the number of features of the data {X.shape[1]}."
            )
        return centers

    def _initial_centers(self, X, init, random_state, sample_weight, x_squared_norms):
        # scikit-learn's _init_centroids: the same draws from random_state.
        if _is_array_like(init):
            return init
        if callable(init):
            centers = init(X, self.n_clusters, random_state=random_state)
            return self._check_centers(centers, X)
        if init == "k-means++":
            centers, _ = kmeans_plusplus(
                X,
                self.n_clusters,
                x_squared_norms=x_squared_norms,
                random_state=random_state,
                sample_weight=sample_weight,
            )
            return centers
        seeds = random_state.choice(
            X.shape[0],
            size=self.n_clusters,
            replace=False,
            p=sample_weight / sample_weight.sum(),
        )
        centers = X[seeds]
        return centers.toarray() if sparse.issparse(centers) else centers

    def fit(self, X, y=None, sample_weight=None):
        """Compute k-means clustering, recording the objective at every iteration.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; sparse input is used as CSR (CSC and COO are
            converted, as scikit-learn does). float32 data stay float32. With
            ``copy_x=False``, dense X is centred in place and restored at the
            end, as scikit-learn does (even when the fit fails or is
            interrupted); otherwise X is never modified.
        y : Ignored
            Not used, present for API consistency by convention.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples; None gives weight 1 to all. Negative
            weights are accepted as scikit-learn accepts them, with an array
            or callable ``init`` (which do not use the weights); the random
            initialisations draw samples with probabilities proportional to
            the weights, which must then be non-negative with a positive sum.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        # A refit starts unfitted, and a failed or interrupted fit (the
        # parameters, X or the run) leaves it so: never centres of one fit
        # beside n_features_in_ of another.
        self._drop_fitted()
        try:
            self._fit(X, sample_weight)
        except BaseException:
            self._drop_fitted()
            raise
        return self

    def _drop_fitted(self):
        for name in self._FITTED:
            self.__dict__.pop(name, None)

    @_fit_context(prefer_skip_nested_validation=True)
    def _fit(self, X, sample_weight):
        # Dense X: centred in a copy (copy_x) or in place and restored, as
        # scikit-learn does; sparse X: neither (scikit-learn does not centre it).
        X = self._check_X(X, reset=True, copy=False)
        if X.shape[0] < self.n_clusters:
            raise ValueError(f"n_samples={X.shape[0]} should be >= n_clusters={self.n_clusters}.")
        is_sparse = sparse.issparse(X)
        if is_sparse and self.bounds is not None:
            raise ValueError(
                f"bounds={self.bounds!r} needs dense X: sparse X runs Lloyd's "
                "pass (bounds=None), or pass X.toarray()."
            )
        unit_weights = sample_weight is None
        sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        nonnegative = unit_weights or bool(np.all(sample_weight >= 0))
        init = self.init
        if isinstance(init, str) and not (nonnegative and sample_weight.sum() > 0):
            raise ValueError(
                f"init={init!r} draws samples with probabilities proportional to "
                "sample_weight, which must then be non-negative with a positive "
                "sum; pass the initial centres (an array or a callable) to use "
                "other weights."
            )
        if _is_array_like(init):
            init = self._check_centers(init, X)
        n_init = self._n_init_for(init)
        # scikit-learn's _tolerance, computed in X's dtype as there.
        if self.tol == 0:
            tol = 0.0
        elif is_sparse:
            tol = float(np.mean(mean_variance_axis(X, axis=0)[1]) * self.tol)
        else:
            tol = float(np.mean(np.var(X, axis=0)) * self.tol)
        n_threads = effective_n_threads()

        X_mean = None
        restore = None
        try:
            if is_sparse:
                X = self._csr_parts(X)
                sq_norms_sum = _k_means_lloyd_sparse.weighted_sq_norms_sum_sparse(
                    X.data, X.indptr, sample_weight
                )
            elif self.copy_x or not X.flags.writeable:
                # Centring keeps ||x||^2 - 2 x.c + ||c||^2 accurate, and it is
                # what scikit-learn does: the same centred data give the same
                # bits. The centred copy and sum_i w_i ||x_i||^2 come out of
                # one pass over X.
                X_mean = X.mean(axis=0)
                Xc = np.empty_like(X)
                sq_norms_sum = _k_means_lloyd.centre(X, X_mean, sample_weight, Xc, n_threads)
                X = Xc
            else:
                # scikit-learn's copy_x=False: X -= X_mean in place (the same
                # subtraction as the copy's, so the same bits), X += X_mean at
                # the end, which restores X up to rounding.
                X_mean = X.mean(axis=0)
                X -= X_mean
                restore = X
                sq_norms_sum = _k_means_lloyd.weighted_sq_norms_sum(X, sample_weight, n_threads)
            if not np.isfinite(sq_norms_sum):
                # Finite X whose squared norms overflow (|x| near 1e154 or
                # more): every distance would be inf and the clustering noise.
                raise ValueError(
                    "The squared norms of X exceed the float64 range (1.8e308) "
                    "although X is finite, so k-means' squared distances would "
                    "overflow. Scale X down first (e.g. X / 2**k): the clusters "
                    "do not change when X is scaled."
                )
            if X_mean is not None and _is_array_like(init):
                init -= X_mean
            # The kernel with all but the initial centres bound: one per fit.
            lloyd = functools.partial(
                _k_means_lloyd.lloyd,
                (X.data, X.indices, X.indptr) if is_sparse else X,
                sample_weight,
                x_sq_norms_sum=sq_norms_sum,
                max_iter=self.max_iter,
                tol=tol,
                n_threads=n_threads,
                store_centers=self.store_centers,
                verbose=int(self.verbose),
                unit_weights=unit_weights or None,
                nonnegative=nonnegative,
                bounds=self.bounds,
            )
            best, histories = self._runs(X, init, n_init, sample_weight, lloyd)
        finally:
            if restore is not None:
                restore += X_mean

        labels, centers, inertia, n_iter, history, center_history = best
        if X_mean is not None:
            centers += X_mean
            if center_history is not None:
                center_history += X_mean
        # A count per cluster: O(n), where a sort or set of the labels is not.
        distinct_clusters = np.count_nonzero(np.bincount(labels, minlength=self.n_clusters))
        if distinct_clusters < self.n_clusters:
            warnings.warn(
                f"Number of distinct clusters ({distinct_clusters}) found smaller "
                f"than n_clusters ({self.n_clusters}). Possibly due to duplicate "
                "points in X.",
                ConvergenceWarning,
                stacklevel=3,
            )
        # Everything computed: only now is the estimator fitted.
        self._n_threads = n_threads
        self.cluster_centers_ = centers
        self._n_features_out = centers.shape[0]
        self.labels_ = labels
        self.inertia_ = float(inertia)
        self.n_iter_ = int(n_iter)
        self.inertia_history_ = history
        self.inertia_histories_ = histories
        if self.store_centers:
            self.center_history_ = center_history

    @staticmethod
    def _csr_parts(X):
        # The kernels take int32 indices (accept_large_sparse=False guarantees
        # they fit) and contiguous arrays; the entries' order is kept: it is
        # the order of scikit-learn's sums.
        return sparse.csr_matrix(
            (
                np.ascontiguousarray(X.data),
                np.ascontiguousarray(X.indices, dtype=np.int32),
                np.ascontiguousarray(X.indptr, dtype=np.int32),
            ),
            shape=X.shape,
            copy=False,
        )

    def _runs(self, X, init, n_init, sample_weight, lloyd):
        # n_init runs of ``lloyd`` (the kernel bound to this fit's data,
        # weights and settings) from initial centres drawn on X; the best
        # run by scikit-learn's rule, and every run's objective history.
        random_state = check_random_state(self.random_state)
        x_squared_norms = None
        if isinstance(init, str) and init == "k-means++":
            x_squared_norms = row_norms(X, squared=True)
        best = None
        histories = []
        for _ in range(n_init):
            centers_init = self._initial_centers(X, init, random_state, sample_weight, x_squared_norms)
            if self.verbose:
                print("Initialization complete")
            # BLAS at one thread beside the kernel's OpenMP threads, as
            # scikit-learn's fit holds it (the sparse pass calls no BLAS).
            with blas_single_threaded():
                run = lloyd(centers_init=centers_init)
            labels, centers, inertia, n_iter, history, center_history = run
            histories.append(history)
            # scikit-learn's rule: a lower objective wins unless it is the same
            # clustering (then the difference is rounding).
            if best is None or (inertia < best[2] and not _same_clustering(labels, best[0])):
                best = run
        return best, histories

    def fit_predict(self, X, y=None, sample_weight=None):
        """Fit and return the cluster of each training sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : Ignored
            Not used, present for API consistency by convention.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            ``labels_``.
        """
        return self.fit(X, sample_weight=sample_weight).labels_

    def predict(self, X, sample_weight=None):
        """Nearest centre of each sample.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            New data.
        sample_weight : array-like of shape (n_samples,), default=None
            Checked (shape, finite) but without effect: the
            nearest centre of a sample does not depend on its weight.
            Accepted so that code passing weights to every method runs;
            scikit-learn's ``KMeans.predict`` has no such parameter since 1.5.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Index of the nearest centre (the first of equal ones).
        """
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        if sample_weight is not None:
            _check_sample_weight(sample_weight, X, dtype=X.dtype)
        return self._labels_inertia(X, None, objective=False)[0]

    def fit_transform(self, X, y=None, sample_weight=None):
        """Fit and return the distances of the training samples to the centres.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : Ignored
            Not used, present for API consistency by convention.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.

        Returns
        -------
        distances : ndarray of shape (n_samples, n_clusters)
            Euclidean distances to ``cluster_centers_``.
        """
        return self.fit(X, sample_weight=sample_weight)._transform(self._check_X(X, reset=False))

    def transform(self, X):
        """Euclidean distances of the samples to the centres.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            New data.

        Returns
        -------
        distances : ndarray of shape (n_samples, n_clusters)
            Euclidean distances to ``cluster_centers_``, in X's float dtype.
        """
        check_is_fitted(self)
        return self._transform(self._check_X(X, reset=False))

    def _transform(self, X):
        return euclidean_distances(X, self.cluster_centers_)

    def score(self, X, y=None, sample_weight=None):
        """Opposite of the objective of X on the fitted centres.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            New data.
        y : Ignored
            Not used, present for API consistency by convention.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples; None gives weight 1 to all.

        Returns
        -------
        score : float
            ``-sum_i w_i min_k ||x_i - c_k||^2``, from direct squared distances.
        """
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        return -self._labels_inertia(X, sample_weight, objective=True)[1]

    def _labels_inertia(self, X, sample_weight, objective):
        if sample_weight is None:
            sample_weight = np.ones(X.shape[0], dtype=X.dtype)
        centers = np.ascontiguousarray(self.cluster_centers_, dtype=X.dtype)
        n_threads = effective_n_threads()
        if sparse.issparse(X):
            X = self._csr_parts(X)
            return _k_means_lloyd_sparse.assign_sparse(
                X.data, X.indices, X.indptr, sample_weight, centers, n_threads, objective
            )
        with blas_single_threaded():
            return _k_means_lloyd.assign(X, sample_weight, centers, n_threads, objective)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Hamerly's bounds run on dense X only.
        tags.input_tags.sparse = self.bounds is None
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def _same_clustering(labels1, labels2):
    """scikit-learn's ``_is_same_clustering``: labels1 maps to labels2 by a function."""
    pairs = np.unique(np.column_stack([labels1, labels2]), axis=0)
    if len(np.unique(pairs[:, 0])) != len(pairs):
        return False
    return True
