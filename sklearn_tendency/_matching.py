"""Map cluster ids to class labels, so clusterers can be scored against classes."""

from numbers import Integral

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, _fit_context, clone
from sklearn.metrics import confusion_matrix
from sklearn.metrics.cluster import contingency_matrix
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import HasMethods, StrOptions, validate_params
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_consistent_length, check_is_fitted, column_or_1d, validate_data

__all__ = ["match_labels", "LabelMatcher"]


def _mapping(y_true, y_pred, method, noise_label):
    """Cluster -> class mapping; the one implementation both APIs call."""
    y_true = column_or_1d(y_true, warn=True)
    y_pred = column_or_1d(y_pred, warn=True)
    check_consistent_length(y_true, y_pred)
    if y_true.shape[0] == 0:
        raise ValueError("match_labels needs at least one sample; got empty y_true and y_pred.")
    classes, class_idx = np.unique(y_true, return_inverse=True)
    clusters, first_seen, cluster_idx = np.unique(y_pred, return_index=True, return_inverse=True)
    # Rows: clusters in order of first appearance in y_pred; columns: classes
    # in sorted order. Cluster ids are arbitrary names, so the matrix, hence
    # every choice made from it, must not depend on them: only on the
    # partition of the samples.
    by_appearance = np.argsort(first_seen, kind="stable")
    rank = np.empty_like(by_appearance)
    rank[by_appearance] = np.arange(len(clusters))
    C = contingency_matrix(rank[cluster_idx.ravel()], class_idx.ravel())
    # Majority: each cluster's most frequent class, ties to the first class in
    # sorted order (what scipy.stats.mode returns).
    majority = np.argmax(C, axis=1)
    target = majority.copy()
    if method == "hungarian":
        is_noise = np.zeros(len(clusters), dtype=bool)
        if noise_label is not None:
            is_noise = clusters[by_appearance] == noise_label
        rows = np.flatnonzero(~is_noise)
        matched_rows, matched_cols = linear_sum_assignment(_lexicographic_gain(C[rows]), maximize=True)
        # Clusters left over (more clusters than classes) and noise keep their
        # majority class: every sample gets a class, and the one-to-one part is
        # an optimal matching.
        target[rows[matched_rows]] = matched_cols
    return {c: classes[t] for c, t in zip(clusters[by_appearance].tolist(), target)}, classes


def _lexicographic_gain(C):
    """Gains whose best assignment is the best of C, then the best final one.

    Among the one-to-one assignments that agree with the most samples (the
    optimum of C), the final predictions also count the clusters left over,
    which take their majority class: leaving over the clusters with the largest
    majorities gets the most predictions right. With integer counts summing to
    n, a gain of ``C * (n + 1)`` plus ``C - max(C row)`` (in ``[-n, 0]`` over
    any assignment) ranks assignments by the first criterion, then by the
    second; both stay exact in float64 for n below 2**26.
    """
    n = int(C.sum())
    return C * (n + 1.0) + (C - C.max(axis=1, keepdims=True))


@validate_params(
    {
        "y_true": ["array-like"],
        "y_pred": ["array-like"],
        "method": [StrOptions({"hungarian", "majority"})],
        "noise_label": [None, Integral],
        "return_mapping": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def match_labels(y_true, y_pred, *, method="hungarian", noise_label=-1, return_mapping=False):
    """Relabel cluster ids with the class labels they best match.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Class labels (any hashable, sortable labels: ints, strings, ...).
    y_pred : array-like of shape (n_samples,)
        Cluster ids from a clusterer.
    method : {"hungarian", "majority"}, default="hungarian"
        ``"hungarian"``: the one-to-one assignment of clusters to classes that
        maximizes the number of agreeing samples (Kuhn's Hungarian method via
        :func:`scipy.optimize.linear_sum_assignment` on the contingency matrix;
        rectangular allowed). Clusters left over when there are more clusters
        than classes take their majority class; classes no cluster gets are
        simply never predicted. Among optimal assignments, the one whose final
        predictions (leftover clusters included) are right most often; any tie
        left is broken by the order in which clusters first appear in
        ``y_pred``, so the result depends on the clustering, never on how its
        clusters are numbered.
        ``"majority"``: each cluster takes its most frequent class (ties: the
        smallest class, as ``scipy.stats.mode``), so several clusters may map to
        one class.
    noise_label : int or None, default=-1
        Cluster id of noise (DBSCAN, HDBSCAN). With ``"hungarian"`` noise never
        takes part in the one-to-one match; its samples get the majority class
        of the noise. ``None``: treat every id as a cluster.
    return_mapping : bool, default=False
        Also return the dict cluster id -> class label.

    Returns
    -------
    y_matched : ndarray of shape (n_samples,)
        Class label of each sample's cluster, with the dtype of the classes.
    mapping : dict
        Only if ``return_mapping``.

    Notes
    -----
    Time O(n + c^3) for c clusters and classes (the assignment), memory
    O(n + c^2).

    References
    ----------
    .. [1] H. W. Kuhn, "The Hungarian method for the assignment problem", Naval
       Research Logistics Quarterly 2, 1955, pp. 83-97.

    Examples
    --------
    >>> from sklearn_tendency import match_labels
    >>> match_labels(["a", "a", "b", "b", "c"], [1, 1, 0, 0, 0])
    array(['a', 'a', 'b', 'b', 'b'], dtype='<U1')
    """
    mapping, classes = _mapping(y_true, y_pred, method, noise_label)
    y_pred = column_or_1d(y_pred)
    matched = np.array([mapping[c] for c in y_pred.tolist()], dtype=classes.dtype)
    return (matched, mapping) if return_mapping else matched


class LabelMatcher(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A clusterer that predicts class labels: cluster, then match the clusters.

    Fits a clone of ``estimator`` on X (without y), learns from y which class
    each cluster stands for (:func:`match_labels`), and predicts class labels.
    Any clusterer can then be scored against known classes with scikit-learn's
    classification metrics, in Pipelines, ``cross_val_score`` and
    ``GridSearchCV`` (e.g. tuning ``estimator__n_clusters`` against accuracy).

    Read more in the :ref:`User Guide <matching>`.

    Parameters
    ----------
    estimator : clusterer
        Any estimator with ``fit`` that sets ``labels_`` (KMeans, DBSCAN,
        AgglomerativeClustering, GaussianMixture through ``fit_predict``,
        :class:`~sklearn_tendency.VAT`...).
    method : {"hungarian", "majority"}, default="hungarian"
        How clusters are matched to classes; see :func:`match_labels`.
    noise_label : int or None, default=-1
        Cluster id of noise; see :func:`match_labels`.

    Attributes
    ----------
    estimator_ : estimator
        The fitted clone of ``estimator``.
    classes_ : ndarray of shape (n_classes,)
        Class labels seen in fit.
    mapping_ : dict
        Cluster id -> class label.
    confusion_matrix_ : ndarray of shape (n_classes, n_classes)
        Confusion matrix of the matched training predictions (rows: true
        classes, columns: predicted, in the order of ``classes_``).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    match_labels : The function behind the mapping.

    Notes
    -----
    New samples are assigned with ``estimator_.predict`` when the clusterer
    has it; otherwise (DBSCAN, AgglomerativeClustering, VAT) with the cluster
    of their nearest training sample, which keeps a copy of the training data
    and a neighbour index (O(n d) memory). A cluster id never seen in fit (e.g.
    from a GaussianMixture component with no training sample) predicts the
    most frequent training class.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn_tendency import LabelMatcher, LloydKMeans
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = LabelMatcher(LloydKMeans(n_clusters=3, random_state=0)).fit(X, y)
    >>> round(clf.score(X, y), 2)
    0.89
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"])],
        "method": [StrOptions({"hungarian", "majority"})],
        "noise_label": [None, Integral],
    }

    def __init__(self, estimator, *, method="hungarian", noise_label=-1):
        self.estimator = estimator
        self.method = method
        self.noise_label = noise_label

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the clusterer on X and match its clusters to the classes of y.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        # A fit that raises or is interrupted leaves the matcher unfitted,
        # never half-refitted (validate_data alone resets n_features_in_).
        try:
            return self._fit(X, y)
        except BaseException:
            for name in [k for k in vars(self) if k.endswith("_") and not k.startswith("__")]:
                delattr(self, name)
            for name in ("_fallback_class", "_nn", "_train_clusters"):
                self.__dict__.pop(name, None)
            raise

    def _fit(self, X, y):
        # The neighbour index of an earlier fit must not outlive it.
        for name in ("_nn", "_train_clusters"):
            self.__dict__.pop(name, None)
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], dtype=None, ensure_all_finite=False)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(
                "LabelMatcher needs at least 2 classes in y to match clusters "
                f"to; got 1 class ({self.classes_[0]!r})."
            )
        self.estimator_ = clone(self.estimator)
        clusters = self._fit_clusters(X)
        if len(np.unique(clusters)) < 2:
            raise ValueError(
                f"The clusterer {type(self.estimator_).__name__} found a single "
                "cluster: no class can be told from another. Check its "
                "parameters (e.g. n_clusters, eps)."
            )
        y_matched, self.mapping_ = match_labels(
            y,
            clusters,
            method=self.method,
            noise_label=self.noise_label,
            return_mapping=True,
        )
        values, counts = np.unique(y, return_counts=True)
        self._fallback_class = values[np.argmax(counts)]
        if not hasattr(self.estimator_, "predict"):
            self._nn = NearestNeighbors(n_neighbors=1).fit(X)
            self._train_clusters = clusters
        self.confusion_matrix_ = confusion_matrix(y, y_matched, labels=self.classes_)
        return self

    def _fit_clusters(self, X):
        est = self.estimator_
        if hasattr(est, "fit_predict"):
            return np.asarray(est.fit_predict(X))
        est.fit(X)
        if not hasattr(est, "labels_"):
            raise TypeError(
                f"{type(est).__name__} sets no labels_ after fit and has no "
                "fit_predict: it is not a clusterer LabelMatcher can use."
            )
        return np.asarray(est.labels_)

    def _clusters(self, X):
        if hasattr(self.estimator_, "predict"):
            return np.asarray(self.estimator_.predict(X))
        nearest = self._nn.kneighbors(X, return_distance=False)[:, 0]
        return self._train_clusters[nearest]

    def predict(self, X):
        """Class label of each sample, through its cluster.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = validate_data(
            self, X, reset=False, accept_sparse=["csr", "csc"], dtype=None, ensure_all_finite=False
        )
        clusters = self._clusters(X)
        fallback = self._fallback_class
        return np.array(
            [self.mapping_.get(c, fallback) for c in clusters.tolist()],
            dtype=self.classes_.dtype,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        from sklearn.utils import get_tags

        inner = get_tags(self.estimator)
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        return tags
