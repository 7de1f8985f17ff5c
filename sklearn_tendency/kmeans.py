"""Lloyd's k-means that records its objective at every iteration."""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, ClusterMixin, TransformerMixin, _fit_context
from sklearn.cluster import kmeans_plusplus
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.utils import check_array, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data
from threadpoolctl import ThreadpoolController

from . import _lloyd
from ._openmp_helpers import _openmp_effective_n_threads

__all__ = ["LloydKMeans"]

# Above this many multiply-adds per sample (n_features * n_clusters) a BLAS
# GEMM per chunk beats computing ||x - c||^2 in registers (measured in
# benchmarks/bench_kmeans.py).
_GEMM_MIN_WORK = 64


_CONTROLLER = None


def _blas_single_threaded():
    """BLAS limited to one thread while OpenMP threads call it (oversubscription).

    The controller is built once: scanning the loaded libraries costs
    milliseconds, as much as a whole fit on small data.
    """
    global _CONTROLLER
    if _CONTROLLER is None:
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")


def _sparse_error():
    return TypeError(
        "LloydKMeans does not support sparse input; convert it with "
        "X.toarray() or use sklearn.cluster.KMeans, which does."
    )


def _is_array_like(init):
    return hasattr(init, "__array__") or isinstance(init, (list, tuple))


class _LloydRun:
    """The kernel's buffers and policy for one data set (shared by all inits)."""

    def __init__(self, X, sample_weight, x_squared_norms, n_clusters, n_threads):
        self.X = X
        self.sample_weight = sample_weight
        self.n_threads = n_threads
        self.use_gemm = X.shape[1] * n_clusters >= _GEMM_MIN_WORK
        self.x_squared_norms = x_squared_norms
        self.labels = np.empty(X.shape[0], dtype=np.int32)
        self.sums = np.empty((n_clusters, X.shape[1]), dtype=X.dtype)
        self.weights = np.empty(n_clusters, dtype=X.dtype)

    def assign(self, centers, labels=None, update=False):
        labels = self.labels if labels is None else labels
        return _lloyd.lloyd_iter(
            self.X, self.sample_weight, self.x_squared_norms, centers, self.sums,
            self.weights, labels, self.use_gemm, update, self.n_threads,
        )

    def _relocate_empty_clusters(self, centers):
        """Move each empty cluster to one of the samples farthest from its centre.

        scikit-learn's rule (``_relocate_empty_clusters_dense``): the samples
        with the largest distance to their own centre, largest first, each
        taken out of its cluster's sums.
        """
        empty = np.flatnonzero(self.weights == 0)
        if empty.size == 0:
            return
        X, w, labels = self.X, self.sample_weight, self.labels
        distances = ((X - centers[labels]) ** 2).sum(axis=1)
        if distances.max() == 0:
            # More clusters than distinct samples: nothing to move to.
            return
        far = np.argpartition(distances, -empty.size)[: -empty.size - 1 : -1]
        for new_id, idx in zip(empty, far):
            old_id = labels[idx]
            self.sums[old_id] -= X[idx] * w[idx]
            self.sums[new_id] = X[idx] * w[idx]
            self.weights[new_id] = w[idx]
            self.weights[old_id] -= w[idx]

    def run(self, centers_init, max_iter, tol, verbose, store_centers):
        """One Lloyd run from ``centers_init``, as scikit-learn's ``_kmeans_single_lloyd``."""
        centers = np.array(centers_init, dtype=self.X.dtype, order="C")
        labels_old = np.full(self.X.shape[0], -1, dtype=np.int32)
        history = np.empty(max_iter + 1)
        center_history = [centers.copy()] if store_centers else None
        strict_convergence = False
        for i in range(max_iter):
            history[i] = self.assign(centers, update=True)
            if verbose:
                print(f"Iteration {i}, inertia {history[i]}.")
            self._relocate_empty_clusters(centers)
            new_centers = self._average(self.sums, self.weights)
            center_shift_tot = ((new_centers - centers) ** 2).sum()
            centers = new_centers
            if store_centers:
                center_history.append(centers.copy())
            if np.array_equal(self.labels, labels_old):
                if verbose:
                    print(f"Converged at iteration {i}: strict convergence.")
                strict_convergence = True
                break
            if center_shift_tot <= tol:
                if verbose:
                    print(
                        f"Converged at iteration {i}: center shift "
                        f"{center_shift_tot} within tolerance {tol}."
                    )
                break
            labels_old[:] = self.labels
        n_iter = i + 1
        if strict_convergence:
            # Same labels, same sums: the new centres equal the old ones, and
            # the last assignment is already the nearest-centre one.
            history[n_iter] = history[i]
        else:
            # Assign once more so that labels match the returned centres.
            history[n_iter] = self.assign(centers)
        return (
            self.labels.copy(), history[: n_iter + 1].copy(), centers, n_iter,
            np.stack(center_history) if store_centers else None,
        )

    @staticmethod
    def _average(sums, weights):
        centers = np.empty_like(sums)
        nonempty = weights > 0
        centers[nonempty] = sums[nonempty] / weights[nonempty, None]
        # An empty cluster that could not be relocated sits on the heaviest
        # centre rather than at the origin (scikit-learn's convention).
        centers[~nonempty] = centers[np.argmax(weights)]
        return centers


class LloydKMeans(ClassNamePrefixFeaturesOutMixin, ClusterMixin, TransformerMixin, BaseEstimator):
    """K-means by Lloyd's algorithm, with the objective at every iteration.

    A drop-in for ``sklearn.cluster.KMeans(algorithm="lloyd")`` on dense data:
    the same parameters, defaults and results given the same initial centres,
    plus the learning curve every k-means lesson draws, ``inertia_history_``,
    recorded at no extra pass over the data, and optionally every centre on the
    way (``center_history_``) to animate the algorithm without refitting.

    Read more in the :ref:`User Guide <kmeans>`.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters.
    init : {"k-means++", "random"}, callable or array-like of shape \
            (n_clusters, n_features), default="k-means++"
        Initialisation, as in :class:`sklearn.cluster.KMeans`: greedy
        k-means++ (Arthur & Vassilvitskii, 2007), ``n_clusters`` samples drawn
        at random (weighted by ``sample_weight``), a callable
        ``init(X, n_clusters, random_state)``, or the initial centres.
    n_init : "auto" or int, default="auto"
        Number of runs from different initial centres; the run with the lowest
        objective is kept. ``"auto"``: 1 for "k-means++" or an array, 10 for
        "random" or a callable.
    max_iter : int, default=300
        Maximum number of iterations of a run.
    tol : float, default=1e-4
        Stop when the squared Frobenius norm of the centre shift falls under
        ``tol`` times the mean variance of the features; a run also stops as
        soon as no label changes (strict convergence).
    verbose : int, default=0
        Print the objective at every iteration.
    random_state : int, RandomState instance or None, default=None
        Randomness of the initialisation.
    copy_x : bool, default=True
        With True, distances are computed on a centred copy of X, which keeps
        the GEMM distance formula accurate (scikit-learn's choice). With False,
        no copy is made and X is used as given. X is never modified.
    store_centers : bool, default=False
        Record the centres before each iteration in ``center_history_``
        (n_iter_ + 1) x n_clusters x n_features numbers.

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        Centres at the end of the selected run.
    labels_ : ndarray of shape (n_samples,)
        Nearest centre of each training sample.
    inertia_ : float
        Sum of (weighted) squared distances of the samples to their nearest
        centre: the objective J of the selected run at its end.
    n_iter_ : int
        Iterations of the selected run.
    inertia_history_ : ndarray of shape (n_iter_ + 1,)
        Entry t is the objective of the nearest-centre assignment to the
        centres at the start of iteration t (entry 0: the initial centres);
        the last entry equals ``inertia_``. Non-increasing (up to rounding).
    inertia_histories_ : list of ndarray
        One such history per initialisation, in the order they were run.
    center_history_ : ndarray of shape (n_iter_ + 1, n_clusters, n_features)
        Only with ``store_centers=True``: entry t holds the centres at the
        start of iteration t, the last entry ``cluster_centers_``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklearn.cluster.KMeans : The reference implementation, also sparse input
        and Elkan's algorithm.

    Notes
    -----
    Each iteration costs O(n k d) time; memory beyond X (and its centred copy
    when ``copy_x=True``) is O(n) for labels and norms plus
    O(n_threads k d) for the per-thread partial sums. The objective of each
    iteration is a by-product of the assignment step. Sparse input raises a
    ``TypeError``: use :class:`sklearn.cluster.KMeans` for it.

    References
    ----------
    .. [1] S. Lloyd, "Least squares quantization in PCM", IEEE Transactions on
       Information Theory 28(2), 1982, pp. 129-137.
    .. [2] D. Arthur and S. Vassilvitskii, "k-means++: the advantages of careful
       seeding", SODA 2007.

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
        "store_centers": ["boolean"],
    }

    def __init__(self, n_clusters=8, *, init="k-means++", n_init="auto", max_iter=300,
                 tol=1e-4, verbose=0, random_state=None, copy_x=True,
                 store_centers=False):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state
        self.copy_x = copy_x
        self.store_centers = store_centers

    def _check_X(self, X, reset):
        if sparse.issparse(X):
            raise _sparse_error()
        return validate_data(self, X, reset=reset, dtype=[np.float64, np.float32], order="C")

    def _n_init_for(self, init):
        if self.n_init != "auto":
            n_init = self.n_init
        elif isinstance(init, str) and init == "k-means++":
            n_init = 1
        elif isinstance(init, str) or callable(init):
            n_init = 10
        else:
            n_init = 1
        if _is_array_like(init) and not isinstance(init, str) and n_init != 1:
            warnings.warn(
                "Explicit initial center position passed: performing only one "
                f"init in {self.__class__.__name__} instead of n_init={n_init}.",
                RuntimeWarning,
                stacklevel=3,
            )
            n_init = 1
        return n_init

    def _check_centers(self, centers, X, what):
        centers = check_array(centers, dtype=X.dtype, copy=True, order="C")
        if centers.shape[0] != self.n_clusters:
            raise ValueError(
                f"The shape of the {what} {centers.shape} does not match the "
                f"number of clusters {self.n_clusters}."
            )
        if centers.shape[1] != X.shape[1]:
            raise ValueError(
                f"The shape of the {what} {centers.shape} does not match the "
                f"number of features of the data {X.shape[1]}."
            )
        return centers

    def _initial_centers(self, X, x_squared_norms, init, random_state, sample_weight):
        if isinstance(init, str) and init == "k-means++":
            centers, _ = kmeans_plusplus(
                X, self.n_clusters, x_squared_norms=x_squared_norms,
                random_state=random_state, sample_weight=sample_weight,
            )
            return centers
        if isinstance(init, str) and init == "random":
            seeds = random_state.choice(
                X.shape[0], size=self.n_clusters, replace=False,
                p=sample_weight / sample_weight.sum(),
            )
            return X[seeds]
        if callable(init):
            centers = init(X, self.n_clusters, random_state=random_state)
            return self._check_centers(centers, X, "centers returned by init")
        return init

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Compute k-means clustering, recording the objective at every iteration.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; dense (sparse input raises a TypeError).
        y : Ignored
            Not used, present for API consistency by convention.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples; None gives weight 1 to all.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        X = self._check_X(X, reset=True)
        if X.shape[0] < self.n_clusters:
            raise ValueError(
                f"n_samples={X.shape[0]} should be >= n_clusters={self.n_clusters}."
            )
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True
        )
        if not sample_weight.sum() > 0:
            raise ValueError("sample_weight must have a positive sum.")
        random_state = check_random_state(self.random_state)
        init = self.init
        if _is_array_like(init) and not isinstance(init, str):
            init = self._check_centers(init, X, "initial centers")
        n_init = self._n_init_for(init)
        tol = 0.0 if self.tol == 0 else float(np.mean(np.var(X, axis=0)) * self.tol)

        # Distances on centred data: ||x||^2 - 2 x.c + ||c||^2 loses digits
        # when the data sit far from the origin (scikit-learn does the same).
        X_mean = None
        if self.copy_x:
            X_mean = X.mean(axis=0)
            X = X - X_mean
            if not isinstance(init, str) and not callable(init):
                init = init - X_mean
        x_squared_norms = np.einsum("ij,ij->i", X, X)

        self._n_threads = _openmp_effective_n_threads()
        run = _LloydRun(X, sample_weight, x_squared_norms, self.n_clusters, self._n_threads)
        best = None
        histories = []
        with _blas_single_threaded():
            for _ in range(n_init):
                centers_init = self._initial_centers(
                    X, x_squared_norms, init, random_state, sample_weight
                )
                if self.verbose:
                    print("Initialization complete")
                labels, history, centers, n_iter, center_history = run.run(
                    centers_init, self.max_iter, tol, self.verbose, self.store_centers
                )
                histories.append(history)
                inertia = history[-1]
                if best is None or (
                    inertia < best[1] and not _same_clustering(labels, best[0], self.n_clusters)
                ):
                    best = (labels, inertia, centers, n_iter, history, center_history)

        labels, inertia, centers, n_iter, history, center_history = best
        if X_mean is not None:
            centers = centers + X_mean
            if center_history is not None:
                center_history = center_history + X_mean
        if len(set(labels.tolist())) < self.n_clusters:
            warnings.warn(
                f"Number of distinct clusters ({len(set(labels.tolist()))}) found "
                f"smaller than n_clusters ({self.n_clusters}). Possibly due to "
                "duplicate points in X.",
                ConvergenceWarning,
                stacklevel=2,
            )
        self.cluster_centers_ = centers
        self._n_features_out = centers.shape[0]
        self.labels_ = labels
        self.inertia_ = float(inertia)
        self.n_iter_ = n_iter
        self.inertia_history_ = history
        self.inertia_histories_ = histories
        if self.store_centers:
            self.center_history_ = center_history
        elif hasattr(self, "center_history_"):
            del self.center_history_
        return self

    def _check_test_data(self, X):
        X = self._check_X(X, reset=False)
        return X

    def fit_predict(self, X, y=None, sample_weight=None):
        """Fit and return the cluster of each training sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : Ignored
            Not used, present for API consistency by convention.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self.fit(X, sample_weight=sample_weight).labels_

    def predict(self, X):
        """Nearest centre of each sample.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New data.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = self._check_test_data(X)
        return self._labels_inertia(X, None)[0]

    def fit_transform(self, X, y=None, sample_weight=None):
        """Fit and return the distances of the training samples to the centres.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : Ignored
            Not used, present for API consistency by convention.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.

        Returns
        -------
        distances : ndarray of shape (n_samples, n_clusters)
        """
        return self.fit(X, sample_weight=sample_weight)._transform(self._check_test_data(X))

    def transform(self, X):
        """Euclidean distances of the samples to the centres.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New data.

        Returns
        -------
        distances : ndarray of shape (n_samples, n_clusters)
        """
        check_is_fitted(self)
        return self._transform(self._check_test_data(X))

    def _transform(self, X):
        return euclidean_distances(X, self.cluster_centers_)

    def score(self, X, y=None, sample_weight=None):
        """Opposite of the objective of X on the fitted centres.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New data.
        y : Ignored
            Not used, present for API consistency by convention.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.

        Returns
        -------
        score : float
            ``-sum_i w_i min_k ||x_i - c_k||^2``.
        """
        check_is_fitted(self)
        X = self._check_test_data(X)
        return -self._labels_inertia(X, sample_weight)[1]

    def _labels_inertia(self, X, sample_weight):
        sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        centers = np.ascontiguousarray(self.cluster_centers_, dtype=X.dtype)
        # The direct path: exact ||x - c||^2, no centring or norms needed.
        n_threads = _openmp_effective_n_threads()
        labels = np.empty(X.shape[0], dtype=np.int32)
        dummy_sums = np.empty((1, 1), dtype=X.dtype)
        dummy_w = np.empty(1, dtype=X.dtype)
        objective = _lloyd.lloyd_iter(
            X, sample_weight, np.empty(0, X.dtype), centers, dummy_sums, dummy_w,
            labels, False, False, n_threads,
        )
        return labels, float(objective)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags


def _same_clustering(labels1, labels2, n_clusters):
    """Whether two labelings are equal up to a permutation of the labels."""
    mapping = np.full(n_clusters, -1, dtype=np.int64)
    pairs = np.unique(np.column_stack([labels1, labels2]), axis=0)
    if len(np.unique(pairs[:, 0])) != len(pairs):
        return False
    mapping[pairs[:, 0]] = pairs[:, 1]
    return True
