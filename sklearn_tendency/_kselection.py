"""Choosing k: the k-selection display (objective, silhouette,
Calinski-Harabasz, Davies-Bouldin, gap statistic, fit time and the objective
histories over a range of k) and the per-sample silhouette display.

Both follow scikit-learn's Display API (see
:class:`sklearn.metrics.ConfusionMatrixDisplay`): the constructor stores what
to draw, ``plot(ax=None, ...)`` draws it and sets ``figure_`` and ``ax_``, and
classmethods compute what to draw and call ``plot``. matplotlib is imported
inside ``plot`` only.
"""

import time
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.metrics import (
    calinski_harabasz_score,
    davies_bouldin_score,
    pairwise_distances,
    silhouette_samples,
)
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array, check_is_fitted

from ._gap import gap_rule, gap_values, uniform_references
from ._kmeans import LloydKMeans

__all__ = ["KSelectionDisplay", "SilhouetteDisplay", "knee_point"]

# Scores drawn by KSelectionDisplay, in panel order, with the direction in
# which each prefers a k.
_PANELS = (
    ("inertia", "objective J (inertia)"),
    ("silhouette", "silhouette (higher is better)"),
    ("calinski_harabasz", "Calinski-Harabasz (higher is better)"),
    ("davies_bouldin", "Davies-Bouldin (lower is better)"),
    ("gap", "gap statistic (+- s_k)"),
    ("fit_time", "fit time (s)"),
)


def knee_point(x, y):
    """The knee of a decreasing convex curve, by Kneedle (Satopaa et al., 2011).

    Both axes are scaled to [0, 1]; the knee is the point farthest below the
    straight line from the first point to the last (the maximum of Kneedle's
    difference curve, its offline form: every point of the curve is known).

    Parameters
    ----------
    x : array-like of shape (n_points,)
        Increasing abscissae (here, k).
    y : array-like of shape (n_points,)
        Values, decreasing and convex for an elbow (here, the objective J).

    Returns
    -------
    knee : element of x or None
        ``None`` when the curve has fewer than three points or is flat.

    References
    ----------
    .. [1] V. Satopaa, J. Albrecht, D. Irwin and B. Raghavan, "Finding a
       'kneedle' in a haystack: detecting knee points in system behavior",
       ICDCS Workshops 2011, pp. 166-171.

    Examples
    --------
    >>> from sklearn_tendency import knee_point
    >>> knee_point([1, 2, 3, 4, 5, 6], [100, 40, 15, 12, 10, 9])
    3
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"x and y must be 1-d of one length; got {x.shape} and {y.shape}.")
    if x.size < 3 or np.ptp(y) == 0 or np.ptp(x) == 0:
        return None
    xn = (x - x.min()) / np.ptp(x)
    yn = (y - y.min()) / np.ptp(y)
    # Decreasing curve: the line from (0, 1) to (1, 0) is 1 - x.
    difference = (1.0 - xn) - yn
    i = int(np.argmax(difference))
    if difference[i] <= 0:
        return None
    value = np.asarray(x)[i]
    return int(value) if float(value).is_integer() else float(value)


def _silhouette_from_distances(D, labels):
    """Per-sample silhouette from a square distance matrix, for one labelling.

    The sums of distances from each sample to each cluster are one product
    ``D @ indicator`` (O(s^2 k), BLAS), so one distance matrix serves every k;
    s(i) = (b - a) / max(a, b) with a the mean distance to the other members
    of its cluster and b the smallest mean distance to another cluster, and
    s(i) = 0 in a cluster of one (Rousseeuw, 1987; as
    :func:`sklearn.metrics.silhouette_samples`).
    """
    _, codes = np.unique(labels, return_inverse=True)
    codes = codes.ravel()
    counts = np.bincount(codes).astype(np.float64)
    indicator = np.zeros((codes.size, counts.size))
    indicator[np.arange(codes.size), codes] = 1.0
    sums = D @ indicator
    rows = np.arange(codes.size)
    own = counts[codes] - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        a = sums[rows, codes] / own
        means = sums / counts
    means[rows, codes] = np.inf
    b = means.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = (b - a) / np.maximum(a, b)
    values[own == 0] = 0.0
    return np.nan_to_num(values)


def _check_n_clusters(n_clusters):
    ks = np.asarray(list(n_clusters))
    if (
        ks.ndim != 1
        or ks.size < 2
        or not all(isinstance(k, Integral) or float(k).is_integer() for k in ks.tolist())
    ):
        raise ValueError(f"n_clusters must be at least two integers; got {list(n_clusters)!r}.")
    ks = ks.astype(np.intp)
    if ks.min() < 1 or np.any(np.diff(ks) <= 0):
        raise ValueError(f"n_clusters must be increasing positive integers; got {ks.tolist()}.")
    return ks


class KSelectionDisplay:
    """Which k? k-means over a range of k and the scores people read k from.

    Side by side: the final objective J per k (the elbow, its knee marked by
    :func:`knee_point`), the silhouette, Calinski-Harabasz and Davies-Bouldin
    scores (scikit-learn's metrics), the gap statistic with its standard error
    (Tibshirani et al., 2001) and the fit time per k, and a companion panel with
    J at every Lloyd iteration for each k (the recorded ``inertia_history_``).
    Each score's preferred k is marked in its panel.

    Create it with :meth:`from_data` or :meth:`from_estimator`; every number is
    also an attribute, so the display answers without drawing
    (``plot=False``).

    Read more in the :ref:`User Guide <k_selection>`.

    Parameters
    ----------
    n_clusters : array-like of shape (n_k,)
        The k values, increasing.
    scores : dict of str to array-like of shape (n_k,)
        Keys among ``"inertia"``, ``"silhouette"``, ``"calinski_harabasz"``,
        ``"davies_bouldin"``, ``"gap"``, ``"fit_time"``; absent keys are not
        drawn. Scores undefined at a k (the silhouette, Calinski-Harabasz and
        Davies-Bouldin at k = 1) are NaN.
    gap_se : array-like of shape (n_k,), default=None
        Standard error s_k of the gap.
    inertia_histories : list of array-like, default=None
        J per iteration of the selected run at each k.

    Attributes
    ----------
    n_clusters_ : ndarray of shape (n_k,)
        The k values.
    scores_ : dict of str to ndarray of shape (n_k,)
        The scores per k.
    gap_se_ : ndarray of shape (n_k,) or None
        Standard error of the gap.
    elbow_value_ : int or None
        The knee of J per k (:func:`knee_point`).
    best_n_clusters_ : dict of str to int or None
        The k each criterion prefers: ``"elbow"`` (knee of J), ``"silhouette"``
        and ``"calinski_harabasz"`` (largest), ``"davies_bouldin"``
        (smallest), ``"gap"`` (the smallest k with Gap(k) >= Gap(k+1) -
        s_(k+1), Tibshirani et al.'s rule, over the given k; ``None`` when no
        k of the range but the last passes it: the gap still rises at the end
        of the range, and the panel marks no k).
    estimators_ : list of estimators or None
        The fitted estimators, one per k (set by the classmethods).
    ax_ : ndarray of matplotlib Axes
        The panels, in the order of :attr:`panels_`.
    panels_ : list of str
        Names of the panels drawn: the score keys, then ``"history"``.
    lines_ : dict of str to matplotlib.lines.Line2D
        The curve of each score.
    figure_ : matplotlib.figure.Figure
        Figure holding the panels.

    See Also
    --------
    SilhouetteDisplay : The per-sample silhouette at one k.
    sklearn_tendency.ObjectiveHistoryDisplay : J per iteration of one fit.

    Notes
    -----
    The scores disagree by design: J always falls with k (its elbow is read by
    eye, here by Kneedle); the silhouette favours well-separated convex
    clusters, Calinski-Harabasz the ratio of between- to within-cluster
    dispersion, Davies-Bouldin small clusters far from each other; the gap
    compares log J with its expectation under uniform data in the box of
    the data's principal components. When they agree, k is well supported.

    References
    ----------
    .. [1] R. Tibshirani, G. Walther and T. Hastie, "Estimating the number of
       clusters in a data set via the gap statistic", JRSS B 63(2), 2001,
       pp. 411-423.
    .. [2] P. J. Rousseeuw, "Silhouettes: a graphical aid to the interpretation
       and validation of cluster analysis", J. Comput. Appl. Math. 20, 1987.
    .. [3] T. Calinski and J. Harabasz, "A dendrite method for cluster
       analysis", Communications in Statistics 3(1), 1974.
    .. [4] D. L. Davies and D. W. Bouldin, "A cluster separation measure",
       IEEE TPAMI 1(2), 1979.
    .. [5] V. Satopaa et al., "Finding a 'kneedle' in a haystack", ICDCS
       Workshops 2011.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn_tendency import KSelectionDisplay
    >>> X, _ = make_blobs(n_samples=300, centers=[[0, 0], [6, 0], [0, 6], [6, 6]],
    ...                   cluster_std=0.8, random_state=0)
    >>> disp = KSelectionDisplay.from_data(X, n_clusters=range(1, 8), random_state=0)
    >>> disp.best_n_clusters_
    {'elbow': 4, 'silhouette': 4, 'calinski_harabasz': 4, 'davies_bouldin': 4, 'gap': 4}
    """

    def __init__(self, n_clusters, scores, *, gap_se=None, inertia_histories=None):
        self.n_clusters = n_clusters
        self.scores = scores
        self.gap_se = gap_se
        self.inertia_histories = inertia_histories
        self.n_clusters_ = np.asarray(n_clusters)
        self.scores_ = {name: np.asarray(v, dtype=np.float64) for name, v in scores.items()}
        self.gap_se_ = None if gap_se is None else np.asarray(gap_se, dtype=np.float64)
        self.estimators_ = None
        self.elbow_value_ = (
            knee_point(self.n_clusters_, self.scores_["inertia"]) if "inertia" in self.scores_ else None
        )
        best = {"elbow": self.elbow_value_}
        for name, pick in (
            ("silhouette", np.nanargmax),
            ("calinski_harabasz", np.nanargmax),
            ("davies_bouldin", np.nanargmin),
        ):
            values = self.scores_.get(name)
            if values is not None and not np.all(np.isnan(values)):
                best[name] = int(self.n_clusters_[pick(values)])
        if "gap" in self.scores_ and self.gap_se_ is not None:
            index = gap_rule(self.scores_["gap"], self.gap_se_)
            # The rule compares k with k + 1: the last k of the range is never
            # its answer, only what gap_rule returns when no k passed.
            best["gap"] = int(self.n_clusters_[index]) if index < self.n_clusters_.shape[0] - 1 else None
        self.best_n_clusters_ = best

    def plot(self, ax=None, *, show_history=True):
        """Draw the panels.

        Parameters
        ----------
        ax : array-like of matplotlib Axes, default=None
            One Axes per panel (the scores present, then the history if
            drawn); ``None`` makes a new figure with a grid of panels.
        show_history : bool, default=True
            Add the panel of J per iteration for each k (when histories are
            known).

        Returns
        -------
        self : KSelectionDisplay
        """
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator

        panels = [name for name, _ in _PANELS if name in self.scores_]
        if show_history and self.inertia_histories is not None:
            panels.append("history")
        if ax is None:
            n_cols = min(4, len(panels))
            n_rows = -(-len(panels) // n_cols)
            _, axes = plt.subplots(
                n_rows,
                n_cols,
                figsize=(3.4 * n_cols, 2.9 * n_rows),
                squeeze=False,
                layout="constrained",
            )
            axes = axes.ravel()
            for extra in axes[len(panels) :]:
                extra.remove()
            axes = axes[: len(panels)]
        else:
            axes = np.asarray(ax, dtype=object).ravel()
            if axes.size != len(panels):
                raise ValueError(
                    f"ax must hold one Axes per panel ({len(panels)}: {panels}); got {axes.size}."
                )
        titles = dict(_PANELS)
        marks = {
            "inertia": "elbow",
            "silhouette": "silhouette",
            "calinski_harabasz": "calinski_harabasz",
            "davies_bouldin": "davies_bouldin",
            "gap": "gap",
        }
        ks = self.n_clusters_
        self.lines_ = {}
        for name, a in zip(panels, axes):
            if name == "history":
                cmap = plt.get_cmap("viridis")
                for j, (k, history) in enumerate(zip(ks, self.inertia_histories)):
                    history = np.asarray(history, dtype=np.float64)
                    a.plot(
                        np.arange(history.size),
                        history,
                        marker=".",
                        markersize=3,
                        color=cmap(j / max(len(ks) - 1, 1)),
                        label=f"k={k}",
                    )
                a.set_yscale("log")
                a.set_xlabel("iteration")
                a.set_title("J per iteration", fontsize="medium")
                a.xaxis.set_major_locator(MaxNLocator(integer=True))
                if len(ks) <= 8:
                    a.legend(fontsize="x-small", ncols=2)
                else:
                    # Too many curves for a legend: the colour scale names k.
                    from matplotlib.cm import ScalarMappable
                    from matplotlib.colors import BoundaryNorm

                    bounds = np.arange(len(ks) + 1) - 0.5
                    mappable = ScalarMappable(norm=BoundaryNorm(bounds, cmap.N), cmap=cmap)
                    colorbar = a.figure.colorbar(mappable, ax=a, ticks=np.arange(len(ks)), fraction=0.08)
                    colorbar.ax.set_yticklabels([str(k) for k in ks], fontsize="x-small")
                    colorbar.set_label("k", fontsize="small")
                continue
            values = self.scores_[name]
            if name == "gap" and self.gap_se_ is not None:
                container = a.errorbar(ks, values, yerr=self.gap_se_, marker="o", markersize=4, capsize=2)
                self.lines_[name] = container.lines[0]
            else:
                (self.lines_[name],) = a.plot(ks, values, marker="o", markersize=4)
            best = self.best_n_clusters_.get(marks.get(name))
            if best is not None:
                a.axvline(best, color="tab:red", linestyle="--", linewidth=1)
                a.annotate(
                    f"k = {best}",
                    (best, 1),
                    xycoords=("data", "axes fraction"),
                    xytext=(3, -12),
                    textcoords="offset points",
                    color="tab:red",
                    fontsize="small",
                )
            a.set_title(titles[name], fontsize="medium")
            a.set_xlabel("k")
            a.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.ax_ = axes
        self.panels_ = panels
        self.figure_ = axes[0].figure
        return self

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        *,
        n_clusters=range(1, 11),
        sample_weight=None,
        n_references=5,
        max_reference_samples=2000,
        silhouette_sample_size=2000,
        random_state=None,
        plot=True,
        ax=None,
        show_history=True,
    ):
        """Fit clones of a k-means estimator over a range of k and draw the scores.

        Parameters
        ----------
        estimator : estimator
            A k-means-like clusterer with an ``n_clusters`` parameter and an
            ``inertia_`` attribute after fit (:class:`~sklearn_tendency.LloydKMeans`,
            :class:`sklearn.cluster.KMeans`); cloned for each k. Its
            ``inertia_history_``, when it records one, feeds the history panel.
        X : array-like of shape (n_samples, n_features)
            Data.
        n_clusters : iterable of int, default=range(1, 11)
            Increasing k values (the gap's rule compares consecutive entries).
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to ``fit``: J (``inertia_``) and the fits are weighted.
            The silhouette, Calinski-Harabasz and Davies-Bouldin scores
            (scikit-learn's, which take no weights) are not, nor are the gap's
            uniform references: the gap then compares a weighted log W with
            unweighted ones, which shifts it by about log(sum(w) / n) and can
            change its shape.
        n_references : int, default=5
            Reference data sets of the gap statistic; 0 skips it.
        max_reference_samples : int, default=2000
            Largest reference set; above it the reference's log J is shifted by
            log(n / m), J being proportional to the number of samples.
        silhouette_sample_size : int or None, default=2000
            Samples drawn (without replacement) for the silhouette at each k;
            ``None`` uses all. The s x s distances of the sample are computed
            once (O(s^2 d) time, 8 s^2 bytes: 32 MB at s = 2000, 800 MB for
            all of n = 10 000) and shared by every k.
        random_state : int, RandomState instance or None, default=None
            Seeds the clones (when they take ``random_state``), the references
            and the silhouette sample.
        plot : bool, default=True
            Draw; with ``False`` only the numbers are computed.
        ax : array-like of matplotlib Axes, default=None
            See :meth:`plot`.
        show_history : bool, default=True
            See :meth:`plot`.

        Returns
        -------
        display : KSelectionDisplay

        Notes
        -----
        Time: one fit per k, plus ``n_references`` fits per k on references
        of at most ``max_reference_samples`` samples, plus the scores:
        O(s^2 d) for the silhouette, O(n d) for the others. Memory: the
        fitted estimators (their labels, O(n) each).
        """
        needs = (
            "KSelectionDisplay.from_estimator needs a k-means estimator: an "
            "n_clusters parameter, and inertia_ and labels_ after fit (LloydKMeans, "
            f"sklearn.cluster.KMeans); got {type(estimator).__name__}."
        )
        if not hasattr(estimator, "get_params") or "n_clusters" not in estimator.get_params():
            raise TypeError(needs)
        ks = _check_n_clusters(n_clusters)
        X = check_array(X, dtype=[np.float64, np.float32])
        rng = check_random_state(random_state)
        seed = rng.randint(np.iinfo(np.int32).max)
        template = clone(estimator)
        if "random_state" in template.get_params():
            template.set_params(random_state=seed)
        n = X.shape[0]
        if ks.max() > n:
            raise ValueError(f"n_clusters goes up to {ks.max()} but X has {n} samples.")
        silhouette_rows = np.arange(n)
        if silhouette_sample_size is not None and silhouette_sample_size < n:
            silhouette_rows = np.sort(rng.choice(n, size=int(silhouette_sample_size), replace=False))
        # The distances of the silhouette sample do not depend on k: computed
        # once (8 s^2 bytes), then every k only sums them per cluster.
        silhouette_distances = pairwise_distances(X[silhouette_rows])
        scores = {name: np.full(ks.size, np.nan) for name, _ in _PANELS}
        estimators, histories = [], []
        fit_kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
        for i, k in enumerate(ks):
            est = clone(template).set_params(n_clusters=int(k))
            start = time.perf_counter()
            est.fit(X, **fit_kwargs)
            scores["fit_time"][i] = time.perf_counter() - start
            if not (hasattr(est, "inertia_") and hasattr(est, "labels_")):
                raise TypeError(needs)
            scores["inertia"][i] = est.inertia_
            estimators.append(est)
            histories.append(getattr(est, "inertia_history_", None))
            labels = est.labels_
            if 2 <= np.unique(labels).size < n:
                sil_labels = labels[silhouette_rows]
                if 2 <= np.unique(sil_labels).size < sil_labels.size:
                    scores["silhouette"][i] = _silhouette_from_distances(
                        silhouette_distances, sil_labels
                    ).mean()
                scores["calinski_harabasz"][i] = calinski_harabasz_score(X, labels)
                scores["davies_bouldin"][i] = davies_bouldin_score(X, labels)
        gap_se = None
        if n_references:
            log_w = np.log(np.maximum(scores["inertia"], np.finfo(np.float64).tiny))
            reference_log_w = np.empty((n_references, ks.size))
            for b, R in enumerate(uniform_references(X, n_references, rng, max_reference_samples)):
                shift = np.log(n / R.shape[0])
                for i, k in enumerate(ks):
                    inertia = clone(template).set_params(n_clusters=int(k)).fit(R).inertia_
                    reference_log_w[b, i] = np.log(max(inertia, np.finfo(np.float64).tiny)) + shift
            scores["gap"], gap_se = gap_values(log_w, reference_log_w)
        else:
            del scores["gap"]
        if any(h is None for h in histories):
            histories = None
        disp = cls(ks, scores, gap_se=gap_se, inertia_histories=histories)
        disp.estimators_ = estimators
        return disp.plot(ax=ax, show_history=show_history) if plot else disp

    @classmethod
    def from_data(
        cls,
        X,
        *,
        n_clusters=range(1, 11),
        n_init="auto",
        max_iter=300,
        sample_weight=None,
        n_references=5,
        max_reference_samples=2000,
        silhouette_sample_size=2000,
        random_state=None,
        plot=True,
        ax=None,
        show_history=True,
    ):
        """Fit :class:`~sklearn_tendency.LloydKMeans` over a range of k and draw the scores.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data.
        n_clusters : iterable of int, default=range(1, 11)
            Increasing k values.
        n_init : "auto" or int, default="auto"
            Initialisations per k (see :class:`~sklearn_tendency.LloydKMeans`).
        max_iter : int, default=300
            Lloyd iterations per run.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights of the fits; see :meth:`from_estimator` for the
            scores that ignore them.
        n_references : int, default=5
            Reference data sets of the gap statistic; 0 skips it.
        max_reference_samples : int, default=2000
            Largest reference set (see :meth:`from_estimator`).
        silhouette_sample_size : int or None, default=2000
            Samples for the silhouette (see :meth:`from_estimator`).
        random_state : int, RandomState instance or None, default=None
            Seeds the fits, the references and the silhouette sample.
        plot : bool, default=True
            Draw; with ``False`` only the numbers are computed.
        ax : array-like of matplotlib Axes, default=None
            See :meth:`plot`.
        show_history : bool, default=True
            See :meth:`plot`.

        Returns
        -------
        display : KSelectionDisplay

        Notes
        -----
        See :meth:`from_estimator` for the cost.
        """
        return cls.from_estimator(
            LloydKMeans(n_init=n_init, max_iter=max_iter),
            X,
            n_clusters=n_clusters,
            sample_weight=sample_weight,
            n_references=n_references,
            max_reference_samples=max_reference_samples,
            silhouette_sample_size=silhouette_sample_size,
            random_state=random_state,
            plot=plot,
            ax=ax,
            show_history=show_history,
        )


class SilhouetteDisplay:
    """The per-sample silhouette, cluster by cluster: the knife plot.

    Each cluster is a band of its samples' silhouette values s(i), sorted; the
    dashed line is their mean (the silhouette score). Values near 1: the
    sample sits well inside its cluster; near 0: between two clusters;
    negative: closer to another cluster than to its own (Rousseeuw, 1987).

    Read more in the :ref:`User Guide <k_selection>`.

    Parameters
    ----------
    silhouette_values : array-like of shape (n_samples,)
        s(i) of each sample.
    labels : array-like of shape (n_samples,)
        Cluster of each sample.

    Attributes
    ----------
    silhouette_values_ : ndarray of shape (n_samples,)
        s(i) of the drawn samples.
    labels_ : ndarray of shape (n_samples,)
        Their clusters.
    silhouette_avg_ : float
        The mean of s(i): :func:`sklearn.metrics.silhouette_score` on the same
        samples.
    cluster_means_ : dict
        Mean s(i) per cluster.
    n_clusters_ : int
        Number of clusters.
    fills_ : list of matplotlib.collections.PolyCollection
        One band per cluster.
    avg_line_ : matplotlib.lines.Line2D
        The mean.
    ax_ : matplotlib.axes.Axes
        Axes of the plot.
    figure_ : matplotlib.figure.Figure
        Figure holding the axes.

    See Also
    --------
    KSelectionDisplay : The silhouette score per k, next to other criteria.

    References
    ----------
    .. [1] P. J. Rousseeuw, "Silhouettes: a graphical aid to the interpretation
       and validation of cluster analysis", J. Comput. Appl. Math. 20, 1987,
       pp. 53-65.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn_tendency import LloydKMeans, SilhouetteDisplay
    >>> X, _ = make_blobs(n_samples=300, centers=3, random_state=0)
    >>> km = LloydKMeans(3, random_state=0).fit(X)
    >>> disp = SilhouetteDisplay.from_estimator(km, X)
    >>> round(disp.silhouette_avg_, 2), len(disp.fills_)
    (0.48, 3)
    """

    def __init__(self, silhouette_values, labels):
        self.silhouette_values = silhouette_values
        self.labels = labels
        self.silhouette_values_ = np.asarray(silhouette_values, dtype=np.float64)
        self.labels_ = np.asarray(labels)
        if self.silhouette_values_.shape != self.labels_.shape or self.labels_.ndim != 1:
            raise ValueError(
                "silhouette_values and labels must be 1-d of one length; got shapes "
                f"{self.silhouette_values_.shape} and {self.labels_.shape}."
            )
        self.silhouette_avg_ = float(self.silhouette_values_.mean())
        clusters = np.unique(self.labels_)
        self.n_clusters_ = int(clusters.size)
        self.cluster_means_ = {
            c.item(): float(self.silhouette_values_[self.labels_ == c].mean()) for c in clusters
        }

    def plot(self, ax=None, *, colors=None, gap=None):
        """Draw the knife plot.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created if None.
        colors : list of colours, default=None
            One per cluster; ``None`` uses tab10 (tab20 beyond ten clusters).
        gap : int, default=None
            Blank rows between clusters; ``None`` is 2% of the samples.

        Returns
        -------
        self : SilhouetteDisplay
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5, 4.5))
        clusters = np.unique(self.labels_)
        if colors is None:
            cmap = plt.get_cmap("tab10" if clusters.size <= 10 else "tab20")
            colors = [cmap(i % cmap.N) for i in range(clusters.size)]
        n = self.labels_.size
        gap = max(1, int(0.02 * n)) if gap is None else int(gap)
        y = gap
        self.fills_ = []
        for c, color in zip(clusters, colors):
            values = np.sort(self.silhouette_values_[self.labels_ == c])
            rows = np.arange(y, y + values.size)
            self.fills_.append(ax.fill_betweenx(rows, 0, values, facecolor=color, edgecolor=color, alpha=0.8))
            ax.text(-0.03, y + values.size / 2, str(c), ha="right", va="center", fontsize="small")
            y += values.size + gap
        self.avg_line_ = ax.axvline(
            self.silhouette_avg_, color="tab:red", linestyle="--", label=f"mean {self.silhouette_avg_:.3f}"
        )
        ax.set_xlim(min(-0.1, self.silhouette_values_.min() - 0.05), 1)
        ax.set_ylim(0, y)
        ax.set_yticks([])
        ax.set_xlabel("silhouette s(i)")
        ax.set_ylabel("cluster")
        ax.set_title(f"Silhouette, {self.n_clusters_} clusters", fontsize="medium")
        ax.legend(loc="lower right", fontsize="small")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(
        cls, estimator, X, *, sample_size=2000, metric="euclidean", random_state=None, ax=None, colors=None
    ):
        """Knife plot of a fitted clusterer on X.

        Parameters
        ----------
        estimator : fitted clusterer
            Its ``predict(X)`` gives the labels; a clusterer without
            ``predict`` (e.g. agglomerative clustering) gives its training
            ``labels_``, so X must then be the training data.
        X : array-like of shape (n_samples, n_features)
            Data.
        sample_size : int or None, default=2000
            Samples drawn (without replacement) when n is larger: the
            silhouette costs O(n^2 d), O(s^2 d) on s samples: 25 times less
            at n = 10 000 (``benchmarks/bench_kselection.py``). ``None`` uses
            all.
        metric : str or callable, default="euclidean"
            Passed to :func:`sklearn.metrics.silhouette_samples`.
        random_state : int, RandomState instance or None, default=None
            Seeds the sample.
        ax : matplotlib Axes, default=None
            Axes to draw on.
        colors : list of colours, default=None
            One per cluster.

        Returns
        -------
        display : SilhouetteDisplay
        """
        check_is_fitted(estimator)
        if hasattr(estimator, "predict"):
            labels = estimator.predict(X)
        elif hasattr(estimator, "labels_"):
            labels = estimator.labels_
        else:
            raise TypeError(f"{type(estimator).__name__} has neither predict nor labels_.")
        return cls.from_predictions(
            X,
            labels,
            sample_size=sample_size,
            metric=metric,
            random_state=random_state,
            ax=ax,
            colors=colors,
        )

    @classmethod
    def from_predictions(
        cls, X, labels, *, sample_size=2000, metric="euclidean", random_state=None, ax=None, colors=None
    ):
        """Knife plot of given cluster labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Data, or a distance matrix with ``metric="precomputed"``.
        labels : array-like of shape (n_samples,)
            Cluster of each sample (at least two clusters).
        sample_size : int or None, default=2000
            See :meth:`from_estimator`.
        metric : str or callable, default="euclidean"
            Passed to :func:`sklearn.metrics.silhouette_samples`.
        random_state : int, RandomState instance or None, default=None
            Seeds the sample.
        ax : matplotlib Axes, default=None
            Axes to draw on.
        colors : list of colours, default=None
            One per cluster.

        Returns
        -------
        display : SilhouetteDisplay

        Notes
        -----
        Time O(s^2 d) for s = min(n, sample_size) samples; memory: scikit-learn
        computes the distances in chunks of rows (its working memory).
        """
        X = check_array(X, accept_sparse=["csr"], dtype=[np.float64, np.float32])
        labels = np.asarray(labels)
        if labels.shape != (X.shape[0],):
            raise ValueError(
                f"labels must have one entry per sample ({X.shape[0]}); got shape {labels.shape}."
            )
        if sample_size is not None and sample_size < X.shape[0]:
            rows = check_random_state(random_state).choice(X.shape[0], size=int(sample_size), replace=False)
            rows.sort()
            X = X[np.ix_(rows, rows)] if metric == "precomputed" else X[rows]
            labels = labels[rows]
        if not 2 <= np.unique(labels).size < labels.size:
            raise ValueError(
                "The silhouette needs between 2 and n_samples - 1 clusters; got "
                f"{np.unique(labels).size} for {labels.size} samples."
            )
        values = silhouette_samples(X, labels, metric=metric)
        return cls(values, labels).plot(ax=ax, colors=colors)
