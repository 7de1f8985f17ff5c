"""Displays: the VAT image, the objective per iteration, k-means in motion,
the matched confusion matrix.

They follow scikit-learn's Display API (see
:class:`sklearn.metrics.ConfusionMatrixDisplay`): the constructor stores what
to draw, ``plot(ax=None, ...)`` draws it and sets ``figure_`` and ``ax_``, and
the classmethods ``from_estimator`` (and ``from_data``) compute what to draw
and call ``plot``. matplotlib is imported inside ``plot`` only.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._image import block_edges, downsampled_ivat_image, downsampled_vat_image
from ._kmeans import LloydKMeans
from ._validation import check_vat_input
from ._vat import IVAT, VAT

__all__ = [
    "ClusteringAnimation",
    "MatchedConfusionMatrixDisplay",
    "ObjectiveHistoryDisplay",
    "VATDisplay",
]


def _label_colors(n_labels, label_cmap):
    """One colour per label: qualitative palettes, so neighbours differ."""
    import matplotlib as mpl

    if label_cmap is not None:
        if isinstance(label_cmap, str):
            cmap = mpl.colormaps[label_cmap]
            if isinstance(cmap, mpl.colors.ListedColormap) and cmap.N >= n_labels:
                return cmap(np.arange(n_labels))
            return cmap(np.linspace(0, 1, n_labels))
        colors = mpl.colors.to_rgba_array(label_cmap)
        return colors[np.arange(n_labels) % len(colors)]
    if n_labels <= 10:
        return mpl.colormaps["tab10"](np.arange(n_labels))
    palette = np.vstack([mpl.colormaps[name](np.arange(20)) for name in ("tab20", "tab20b", "tab20c")])
    if n_labels <= len(palette):
        return palette[:n_labels]
    # Beyond 60 labels: a continuous map visited with a stride co-prime to the
    # count, so labels with consecutive codes get distant hues.
    stride = next(s for s in range(n_labels // 3 + 1, n_labels) if np.gcd(s, n_labels) == 1)
    return mpl.colormaps["turbo"]((np.arange(n_labels) * stride % n_labels) / n_labels)


def _block_modes(codes, edges):
    """Most frequent code of each block of positions (ties: the smallest code).

    Time O(n log n), memory O(n).
    """
    m = edges.shape[0] - 1
    block = np.repeat(np.arange(m), np.diff(edges))
    n_codes = int(codes.max()) + 1
    keys, counts = np.unique(block * n_codes + codes, return_counts=True)
    key_block = keys // n_codes
    # Sort by block, then by decreasing count, then by code: the first entry of
    # each block is its mode.
    best = np.lexsort((keys % n_codes, -counts, key_block))
    first = np.ones(best.shape[0], dtype=bool)
    first[1:] = key_block[best][1:] != key_block[best][:-1]
    return (keys[best][first] % n_codes).astype(np.intp)


def plot_ordered_image(image, *, ax=None, cmap="gray", title=None):
    """Draw an ordered dissimilarity image (VAT or iVAT).

    Parameters
    ----------
    image : ndarray of shape (n, n)
        Ordered dissimilarities; small values (dark with ``cmap="gray"``) form
        the diagonal blocks that suggest clusters.
    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure is created if None.
    cmap : str, default="gray"
        Colormap.
    title : str, default=None
        Axes title.

    Returns
    -------
    im : matplotlib.image.AxesImage
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    return _draw_ordered_image(ax, image, cmap, title)


def _draw_ordered_image(ax, image, cmap, title, **imshow_kw):
    """The image without ticks: what plot_ordered_image and VATDisplay share."""
    # "antialiased" averages pixels when the image is larger than its
    # place on screen (a nearest-neighbour pick would drop rows, e.g. turn
    # the zero diagonal into dots) and keeps them sharp otherwise.
    im = ax.imshow(image, cmap=cmap, interpolation="antialiased", **imshow_kw)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return im


class VATDisplay:
    """The VAT or iVAT image: dark diagonal blocks are candidate clusters.

    Create it with :meth:`from_estimator` or :meth:`from_data`; the image is
    downsampled to at most ``max_pixels`` per side there (see
    :ref:`the image functions <api>`), so any n can be drawn. All coordinates of
    the drawing are positions in the VAT order (0 to ``n_samples``), whatever
    the image resolution.

    Read more in the :ref:`User Guide <vat_display>`.

    Parameters
    ----------
    image : ndarray of shape (m, m)
        Ordered image: the full n x n image, or a downsampled one whose pixels
        cover the blocks of :func:`~sklearn_tendency.block_edges`.
    n_samples : int, default=None
        Number of samples the image covers; ``None`` means ``m``.
    labels : array-like of shape (n_samples,), default=None
        Labels of the samples *in VAT order*, drawn as a coloured bar left of
        the image (one colour per label; a pixel row shows the most frequent
        label of its block).
    cluster_edges : array-like of int, default=None
        Positions in the VAT order where the outlined blocks start, with
        ``n_samples`` last, e.g. ``[0, 120, 500]`` for two blocks.
    title : str, default=None
        Axes title.

    Attributes
    ----------
    im_ : matplotlib.image.AxesImage
        The image.
    ax_ : matplotlib.axes.Axes
        Axes of the image.
    figure_ : matplotlib.figure.Figure
        Figure holding the axes.
    labels_ax_ : matplotlib.axes.Axes or None
        Axes of the labels bar.
    labels_im_ : matplotlib.image.AxesImage or None
        The labels bar.
    cluster_patches_ : list of matplotlib.patches.Rectangle
        Outlines of the blocks of ``cluster_edges``.
    colorbar_ : matplotlib.colorbar.Colorbar or None
        Colour bar of the dissimilarities, when asked for.

    See Also
    --------
    sklearn_tendency.VAT : The VAT order and image.
    sklearn_tendency.IVAT : The iVAT image, from the cut weights.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn_tendency import VATDisplay
    >>> X, y = make_blobs(n_samples=300, centers=3, cluster_std=0.5, random_state=0)
    >>> disp = VATDisplay.from_data(X, labels=y, show_clusters=True)
    >>> disp.im_.get_array().shape
    (300, 300)
    >>> len(disp.cluster_patches_)
    3
    """

    def __init__(self, image, *, n_samples=None, labels=None, cluster_edges=None, title=None):
        self.image = image
        self.n_samples = n_samples
        self.labels = labels
        self.cluster_edges = cluster_edges
        self.title = title

    def plot(
        self,
        ax=None,
        *,
        cmap="gray",
        vmin=None,
        vmax=None,
        colorbar=False,
        label_cmap=None,
        show_labels=True,
        show_clusters=True,
        cluster_color="tab:red",
    ):
        """Draw the image.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created if None.
        cmap : str or Colormap, default="gray"
            Colormap of the dissimilarities: with ``"gray"`` small ones are
            dark.
        vmin, vmax : float, default=None
            Dissimilarities drawn black and white. ``None``: the smallest
            off-diagonal pixel and the largest pixel, so the gray levels span
            the dissimilarities between distinct samples (the zero diagonal
            would otherwise take the dark end, and in high dimension, where
            all distances are alike, leave every block a similar light gray).
        colorbar : bool, default=False
            Add a colour bar of the dissimilarities.
        label_cmap : str, Colormap or list of colours, default=None
            Colours of the labels bar; ``None`` picks qualitative palettes
            (tab10 up to 10 labels, tab20/tab20b/tab20c up to 60).
        show_labels : bool, default=True
            Draw the labels bar (if ``labels`` were given).
        show_clusters : bool, default=True
            Outline the blocks of ``cluster_edges`` (if given).
        cluster_color : color, default="tab:red"
            Colour of the outlines.

        Returns
        -------
        self : VATDisplay
        """
        import matplotlib.pyplot as plt
        from matplotlib.colors import ListedColormap
        from matplotlib.patches import Rectangle
        from mpl_toolkits.axes_grid1 import make_axes_locatable

        image = np.asarray(self.image)
        if image.ndim != 2 or image.shape[0] != image.shape[1]:
            raise ValueError(f"image must be a square 2-d array; got shape {image.shape}.")
        n = image.shape[0] if self.n_samples is None else int(self.n_samples)
        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 5))
        if vmin is None:
            off_diagonal = ~np.eye(image.shape[0], dtype=bool)
            vmin = image[off_diagonal].min() if off_diagonal.any() else 0.0
        self.im_ = _draw_ordered_image(
            ax,
            image,
            cmap,
            self.title,
            extent=(0, n, n, 0),
            vmin=vmin,
            vmax=vmax,
        )

        self.labels_ax_ = self.labels_im_ = None
        if self.labels is not None and show_labels:
            labels = np.asarray(self.labels)
            if labels.shape != (n,):
                raise ValueError(f"labels must have one entry per sample ({n}); got shape {labels.shape}.")
            classes, codes = np.unique(labels, return_inverse=True)
            edges = block_edges(n, image.shape[0])
            bar = _block_modes(codes.ravel(), edges)
            divider = make_axes_locatable(ax)
            lax = divider.append_axes("left", size="4%", pad=0.04)
            self.labels_im_ = lax.imshow(
                bar[:, None],
                cmap=ListedColormap(_label_colors(len(classes), label_cmap)),
                vmin=-0.5,
                vmax=len(classes) - 0.5,
                interpolation="nearest",
                aspect="auto",
                extent=(0, 1, n, 0),
            )
            lax.set_xticks([])
            lax.set_yticks([])
            self.labels_ax_ = lax

        self.cluster_patches_ = []
        if self.cluster_edges is not None and show_clusters:
            edges = np.asarray(self.cluster_edges)
            for lo, hi in zip(edges[:-1], edges[1:]):
                patch = Rectangle(
                    (lo, lo),
                    hi - lo,
                    hi - lo,
                    fill=False,
                    edgecolor=cluster_color,
                    linewidth=1.5,
                )
                ax.add_patch(patch)
                self.cluster_patches_.append(patch)

        self.colorbar_ = ax.figure.colorbar(self.im_, ax=ax, shrink=0.8) if colorbar else None
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X=None,
        *,
        labels=None,
        max_pixels=1000,
        reduce="mean",
        show_clusters=False,
        ax=None,
        cmap="gray",
        colorbar=False,
        label_cmap=None,
        title=None,
    ):
        """Draw the image of a fitted :class:`~sklearn_tendency.VAT` or :class:`~sklearn_tendency.IVAT`.

        Parameters
        ----------
        estimator : VAT or IVAT
            Fitted estimator. An IVAT is drawn from its ``cut_weights_`` alone;
            a VAT needs the training data to compute its distances.
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, n_samples), default=None
            The training data. Required for VAT; for IVAT it is only checked
            to have ``n_samples`` rows.
        labels : array-like of shape (n_samples,), default=None
            Labels of the training samples (in their original order), e.g.
            from a Gaussian mixture or the ground truth: drawn as a coloured
            bar next to the image so each block can be named.
        max_pixels : int, default=1000
            Largest number of pixels per side: above it, each pixel summarises
            a block of samples (:ref:`the image functions <api>`).
        reduce : {"mean", "min", "max"}, default="mean"
            How a block becomes a pixel; ``"max"`` is for IVAT only.
        show_clusters : bool, default=False
            Outline the blocks of the estimator's ``labels_``
            (``cluster_edges_``): the blocks of ``n_clusters_estimate_``, or of
            its ``n_clusters``.
        ax : matplotlib Axes, default=None
            Axes to draw on.
        cmap : str or Colormap, default="gray"
            Colormap of the dissimilarities.
        colorbar : bool, default=False
            Add a colour bar.
        label_cmap : str, Colormap or list of colours, default=None
            Colours of the labels bar.
        title : str, default=None
            Axes title; ``None`` gives "VAT" or "iVAT".

        Returns
        -------
        display : VATDisplay

        Notes
        -----
        IVAT: time O(n + m^2) (``"min"``, ``"max"``) or O(n m) (``"mean"``),
        memory O(m^2 + n), with m = min(n, max_pixels). VAT: time O(n^2 d),
        memory O(m^2 + strip) (:func:`~sklearn_tendency.downsampled_vat_image`).
        """
        if not isinstance(estimator, VAT):
            raise TypeError(
                "VATDisplay.from_estimator draws a fitted VAT or IVAT; got "
                f"{type(estimator).__name__}. For any data, "
                "VATDisplay.from_data(X) orders and draws it."
            )
        check_is_fitted(estimator, ("order_", "cut_weights_"))
        order = estimator.order_
        n = order.shape[0]
        if X is not None and n < _num_samples(X) == len(estimator.labels_):
            # Sampled VAT (sample_size): the order covers the sample only.
            raise ValueError(
                f"This {type(estimator).__name__} was fitted with sample_size="
                f"{estimator.sample_size!r}: its order_ and cut_weights_ cover "
                f"only the {n} sampled objects (sample_indices_), not the "
                f"{_num_samples(X)} rows of X. Draw the sample's image with "
                "VATDisplay.from_data(X[estimator.sample_indices_], "
                f"method={'ivat' if isinstance(estimator, IVAT) else 'vat'!r}) "
                "(the same order), or fit with sample_size=None for every sample."
            )
        if isinstance(estimator, IVAT):
            if X is not None and _num_samples(X) != n:
                raise ValueError(f"X has {_num_samples(X)} samples but the estimator was fitted on {n}.")
            image = downsampled_ivat_image(
                estimator.cut_weights_, max_pixels, reduce=reduce, n_jobs=estimator.n_jobs
            )
            default_title = "iVAT"
        else:
            if X is None:
                raise ValueError(
                    "A VAT image needs the training data X to compute its "
                    "dissimilarities; pass X (an IVAT is drawn from its cut "
                    "weights alone)."
                )
            X = check_vat_input(X, estimator.metric)
            if X.shape[0] != n:
                raise ValueError(f"X has {X.shape[0]} samples but the estimator was fitted on {n}.")
            image = downsampled_vat_image(
                X,
                order,
                metric=estimator.metric,
                metric_params=estimator.metric_params,
                max_pixels=max_pixels,
                reduce=reduce,
                n_jobs=estimator.n_jobs,
            )
            default_title = "VAT"
        ordered_labels = None
        if labels is not None:
            labels = np.asarray(labels)
            if labels.shape != (n,):
                raise ValueError(
                    f"labels must have one entry per training sample ({n}); got shape {labels.shape}."
                )
            ordered_labels = labels[order]
        # The estimator's own blocks: the outlines, labels_ and the estimate
        # are one partition.
        cluster_edges = estimator.cluster_edges_ if show_clusters else None
        disp = cls(
            image,
            n_samples=n,
            labels=ordered_labels,
            cluster_edges=cluster_edges,
            title=default_title if title is None else title,
        )
        return disp.plot(ax=ax, cmap=cmap, colorbar=colorbar, label_cmap=label_cmap)

    @classmethod
    def from_data(
        cls,
        X,
        *,
        method="ivat",
        metric="euclidean",
        metric_params=None,
        n_jobs=None,
        labels=None,
        max_pixels=1000,
        reduce="mean",
        show_clusters=False,
        ax=None,
        cmap="gray",
        colorbar=False,
        label_cmap=None,
        title=None,
        random_state=None,
    ):
        """Fit VAT or iVAT on X and draw its image.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
                (n_samples, n_samples)
            Data, or a dissimilarity matrix with ``metric="precomputed"``.
        method : {"ivat", "vat"}, default="ivat"
            Which image.
        metric : str or callable, default="euclidean"
            See :class:`~sklearn_tendency.VAT`.
        metric_params : dict, default=None
            Keyword arguments of the metric.
        n_jobs : int, default=None
            Threads.
        labels : array-like of shape (n_samples,), default=None
            Labels of the samples for the side bar.
        max_pixels : int, default=1000
            Largest number of pixels per side.
        reduce : {"mean", "min", "max"}, default="mean"
            How a block becomes a pixel.
        show_clusters : bool, default=False
            Outline the blocks of ``n_clusters_estimate_`` (the estimator's
            ``cluster_edges_``).
        ax : matplotlib Axes, default=None
            Axes to draw on.
        cmap : str or Colormap, default="gray"
            Colormap.
        colorbar : bool, default=False
            Add a colour bar.
        label_cmap : str, Colormap or list of colours, default=None
            Colours of the labels bar.
        title : str, default=None
            Axes title.
        random_state : int, RandomState instance or None, default=None
            Seeds the gap statistic behind the outlined blocks.

        Returns
        -------
        display : VATDisplay

        Notes
        -----
        Fitting costs O(n^2 d) time and O(n) memory; drawing, see
        :meth:`from_estimator`.
        """
        if method not in ("ivat", "vat"):
            raise ValueError(f"method must be 'ivat' or 'vat'; got {method!r}.")
        est_class = IVAT if method == "ivat" else VAT
        estimator = est_class(
            metric=metric, metric_params=metric_params, n_jobs=n_jobs, random_state=random_state
        )
        estimator.fit(X)
        return cls.from_estimator(
            estimator,
            X,
            labels=labels,
            max_pixels=max_pixels,
            reduce=reduce,
            show_clusters=show_clusters,
            ax=ax,
            cmap=cmap,
            colorbar=colorbar,
            label_cmap=label_cmap,
            title=title,
        )


def _num_samples(X):
    return X.shape[0] if hasattr(X, "shape") else len(X)


class ObjectiveHistoryDisplay:
    """The k-means objective J at every Lloyd iteration.

    J_t = sum_i w_i min_k ||x_i - c_k^(t)||^2 never increases over Lloyd
    iterations (Lloyd, 1982); the curve shows how fast a run converged and,
    with several initialisations, how far apart their end points are.

    Read more in the :ref:`User Guide <objective_history>`.

    Parameters
    ----------
    inertia_history : array-like of shape (n_iter + 1,)
        J of the selected run: entry 0 at the initial centres, entry t after
        the t-th update.
    inertia_histories : list of array-like, default=None
        J of every initialisation (the selected one included), drawn faintly.
    name : str, default=None
        Legend label of the selected run.

    Attributes
    ----------
    line_ : matplotlib.lines.Line2D
        The selected run, in bold.
    lines_ : list of matplotlib.lines.Line2D
        The other runs.
    ax_ : matplotlib.axes.Axes
        Axes of the curves.
    figure_ : matplotlib.figure.Figure
        Figure holding the axes.

    See Also
    --------
    sklearn_tendency.LloydKMeans : Records ``inertia_history_``.

    References
    ----------
    .. [1] S. P. Lloyd, "Least squares quantization in PCM", IEEE Transactions
       on Information Theory 28(2), 1982, pp. 129-137.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn_tendency import ObjectiveHistoryDisplay
    >>> disp = ObjectiveHistoryDisplay([10.0, 4.0, 3.5, 3.5]).plot()
    >>> disp.line_.get_xdata().tolist()
    [0, 1, 2, 3]
    """

    def __init__(self, inertia_history, *, inertia_histories=None, name=None):
        self.inertia_history = inertia_history
        self.inertia_histories = inertia_histories
        self.name = name

    def plot(self, ax=None, *, log_scale=False, show_all_runs=True, name=None, **kwargs):
        """Draw J against the iteration.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created if None.
        log_scale : bool, default=False
            Logarithmic J axis: separates runs whose objectives differ by
            orders of magnitude and shows the late, small decreases.
        show_all_runs : bool, default=True
            Draw every run of ``inertia_histories`` faintly behind the
            selected one.
        name : str, default=None
            Legend label of the selected run; overrides ``name``.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for the selected run.

        Returns
        -------
        self : ObjectiveHistoryDisplay
        """
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator

        history = np.asarray(self.inertia_history, dtype=np.float64)
        if history.ndim != 1 or history.size == 0:
            raise ValueError(f"inertia_history must be a non-empty 1-d array; got shape {history.shape}.")
        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 4))
        self.lines_ = []
        if self.inertia_histories is not None and show_all_runs:
            for run in self.inertia_histories:
                run = np.asarray(run, dtype=np.float64)
                (line,) = ax.plot(
                    np.arange(run.size),
                    run,
                    color="0.5",
                    alpha=0.35,
                    linewidth=1,
                )
                self.lines_.append(line)
        name = self.name if name is None else name
        line_kwargs = {"linewidth": 2.5, "marker": "o", "markersize": 3, "label": name}
        line_kwargs.update(kwargs)
        (self.line_,) = ax.plot(np.arange(history.size), history, **line_kwargs)
        if log_scale:
            ax.set_yscale("log")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("iteration")
        ax.set_ylabel("objective J (inertia)")
        if name is not None:
            ax.legend()
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, log_scale=False, show_all_runs=True, name=None, **kwargs):
        """Draw the objective history of a fitted :class:`~sklearn_tendency.LloydKMeans`.

        Parameters
        ----------
        estimator : LloydKMeans
            Fitted estimator with ``inertia_history_`` (and, if present,
            ``inertia_histories_``, one per initialisation).
        ax : matplotlib Axes, default=None
            Axes to draw on.
        log_scale : bool, default=False
            Logarithmic J axis.
        show_all_runs : bool, default=True
            Draw every initialisation's history faintly.
        name : str, default=None
            Legend label of the selected run.
        **kwargs : dict
            Passed to :meth:`matplotlib.axes.Axes.plot` for the selected run.

        Returns
        -------
        display : ObjectiveHistoryDisplay
        """
        # Any estimator that records a history may be drawn; one that never
        # does (scikit-learn's KMeans) is the wrong estimator, not an unfitted one.
        if not (isinstance(estimator, LloydKMeans) or hasattr(estimator, "inertia_history_")):
            raise TypeError(
                "ObjectiveHistoryDisplay.from_estimator draws the inertia_history_ "
                "of a fitted sklearn_tendency.LloydKMeans (it records the "
                f"objective at every iteration); got {type(estimator).__name__}. "
                "Refit with LloydKMeans, or pass a history to "
                "ObjectiveHistoryDisplay(inertia_history)."
            )
        check_is_fitted(estimator, "inertia_history_")
        disp = cls(
            estimator.inertia_history_,
            inertia_histories=getattr(estimator, "inertia_histories_", None),
            name=name,
        )
        return disp.plot(ax=ax, log_scale=log_scale, show_all_runs=show_all_runs, **kwargs)


class ClusteringAnimation:
    """Lloyd's k-means in motion: assignments and centres at every iteration.

    Replays a recorded ``center_history_`` (no refitting): frame t colours
    each sample by its nearest centre c^(t) and draws the centres' paths up to
    t. The classic lesson refits k-means with ``max_iter = 1, 2, ...`` to get
    these frames; the history gives them from one fit.

    Read more in the :ref:`User Guide <objective_history>`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data the history was fitted on.
    center_history : array-like of shape (n_frames, n_clusters, n_features)
        Centres at every iteration, entry 0 the initial centres.
    features : tuple of two int, default=(0, 1)
        The two features drawn; assignments use all of them.

    Attributes
    ----------
    animation_ : matplotlib.animation.FuncAnimation or None
        The animation, one frame per entry of ``center_history``.
    scatter_ : matplotlib.collections.PathCollection
        The samples.
    centers_ : matplotlib.collections.PathCollection
        The centres of the drawn frame.
    paths_ : list of matplotlib.lines.Line2D
        The path of each centre up to the drawn frame.
    ax_ : matplotlib.axes.Axes
        Axes of the drawing.
    figure_ : matplotlib.figure.Figure
        Figure holding the axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn_tendency import ClusteringAnimation
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [5.0, 0.0], [5.0, 1.0]])
    >>> history = [[[1.0, 0.0], [2.0, 0.0]], [[0.0, 0.5], [5.0, 0.5]]]
    >>> anim = ClusteringAnimation(X, history).plot(frame=0, animate=False)
    >>> anim.scatter_.get_array().tolist()
    [0, 0, 1, 1]
    """

    def __init__(self, X, center_history, *, features=(0, 1)):
        self.X = X
        self.center_history = center_history
        self.features = features

    def _assignments(self, X, centers):
        # Squared distances by the expansion used in k-means itself; ties go
        # to the lowest centre index, like argmin.
        d2 = (X**2).sum(axis=1)[:, None] - 2 * X @ centers.T + (centers**2).sum(axis=1)
        return np.argmin(d2, axis=1)

    def plot(self, ax=None, *, frame=-1, animate=True, interval=500, cmap="tab10", show_paths=True):
        """Draw one frame and build the animation over all frames.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created if None.
        frame : int, default=-1
            Frame drawn (negative counts from the end: -1 is the final state).
        animate : bool, default=True
            Build :attr:`animation_` (a :class:`~matplotlib.animation.FuncAnimation`
            over every frame); show it, save it, or let sphinx-gallery embed
            it.
        interval : int, default=500
            Milliseconds between frames.
        cmap : str or Colormap, default="tab10"
            Colours of the clusters.
        show_paths : bool, default=True
            Draw the path of every centre up to the frame.

        Returns
        -------
        self : ClusteringAnimation

        Notes
        -----
        Each frame costs O(n k d) for the assignments; memory O(n k).
        """
        import matplotlib as mpl
        import matplotlib.pyplot as plt
        from matplotlib.animation import FuncAnimation
        from matplotlib.colors import ListedColormap

        X = np.asarray(self.X, dtype=np.float64)
        history = np.asarray(self.center_history, dtype=np.float64)
        if history.ndim != 3 or history.shape[2] != X.shape[1]:
            raise ValueError(
                "center_history must have shape (n_frames, n_clusters, n_features) "
                f"with n_features = {X.shape[1]}; got {history.shape}."
            )
        n_frames, k, d = history.shape
        features = np.asarray(self.features)
        if (
            features.shape != (2,)
            or features.dtype.kind not in "iu"
            or not ((-d <= features) & (features < d)).all()
        ):
            raise ValueError(f"features must be two feature indices in [0, {d}); got {self.features!r}.")
        if not -n_frames <= frame < n_frames:
            raise ValueError(
                f"frame={frame} is out of range: the history has {n_frames} "
                f"frames (0 .. {n_frames - 1}, or negative from the end)."
            )
        fx, fy = (int(f) % d for f in features)
        if ax is None:
            _, ax = plt.subplots(figsize=(5.5, 5))
        cmap = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
        # A qualitative map gives cluster c its c-th colour; a continuous one
        # spreads the clusters over its range.
        vmax = cmap.N - 1 if isinstance(cmap, ListedColormap) and cmap.N >= k else max(k - 1, 1)
        self.scatter_ = ax.scatter(
            X[:, fx],
            X[:, fy],
            c=np.zeros(X.shape[0], dtype=int),
            cmap=cmap,
            s=12,
            vmin=0,
            vmax=vmax,
            alpha=0.7,
            linewidths=0,
        )
        self.paths_ = [ax.plot([], [], color="black", linewidth=1, alpha=0.8)[0] for _ in range(k)]
        self.centers_ = ax.scatter(
            history[0, :, fx],
            history[0, :, fy],
            marker="X",
            s=160,
            c=np.arange(k),
            cmap=cmap,
            vmin=0,
            vmax=vmax,
            edgecolors="black",
            linewidths=1.5,
            zorder=3,
        )
        ax.set_xlabel(f"feature {fx}")
        ax.set_ylabel(f"feature {fy}")

        def draw(t):
            centers = history[t]
            self.scatter_.set_array(self._assignments(X, centers))
            self.centers_.set_offsets(centers[:, [fx, fy]])
            for c, line in enumerate(self.paths_):
                if show_paths:
                    line.set_data(history[: t + 1, c, fx], history[: t + 1, c, fy])
            ax.set_title(f"iteration {t} of {n_frames - 1}")
            return [self.scatter_, self.centers_, *self.paths_]

        draw(range(n_frames)[frame])
        self.animation_ = (
            FuncAnimation(ax.figure, draw, frames=n_frames, interval=interval, repeat_delay=1000)
            if animate
            else None
        )
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        *,
        features=(0, 1),
        ax=None,
        frame=-1,
        animate=True,
        interval=500,
        cmap="tab10",
        show_paths=True,
    ):
        """Replay the ``center_history_`` of a fitted :class:`~sklearn_tendency.LloydKMeans`.

        Parameters
        ----------
        estimator : LloydKMeans
            Fitted with ``store_centers=True``.
        X : array-like of shape (n_samples, n_features)
            The training data.
        features : tuple of two int, default=(0, 1)
            The two features drawn.
        ax : matplotlib Axes, default=None
            Axes to draw on.
        frame : int, default=-1
            Frame drawn.
        animate : bool, default=True
            Build :attr:`animation_`.
        interval : int, default=500
            Milliseconds between frames.
        cmap : str or Colormap, default="tab10"
            Colours of the clusters.
        show_paths : bool, default=True
            Draw the centres' paths.

        Returns
        -------
        display : ClusteringAnimation
        """
        if not (isinstance(estimator, LloydKMeans) or hasattr(estimator, "center_history_")):
            raise TypeError(
                "ClusteringAnimation.from_estimator replays the center_history_ "
                "of a sklearn_tendency.LloydKMeans fitted with "
                f"store_centers=True; got {type(estimator).__name__}."
            )
        check_is_fitted(estimator)
        if getattr(estimator, "center_history_", None) is None:
            raise ValueError("The estimator has no center_history_: fit it with store_centers=True.")
        return cls(X, estimator.center_history_, features=features).plot(
            ax=ax,
            frame=frame,
            animate=animate,
            interval=interval,
            cmap=cmap,
            show_paths=show_paths,
        )


class MatchedConfusionMatrixDisplay:
    """The confusion matrix of a clustering after matching clusters to classes.

    A thin entry point to :class:`sklearn.metrics.ConfusionMatrixDisplay`,
    which does all the drawing: :meth:`from_matcher` predicts with a fitted
    label matcher (cluster ids mapped to class labels) and passes the mapped
    predictions to ``ConfusionMatrixDisplay.from_predictions``. The recipe it
    implements is two lines::

        y_mapped = label_matcher.predict(X)
        ConfusionMatrixDisplay.from_predictions(y, y_mapped, labels=label_matcher.classes_)

    Read more in the :ref:`User Guide <matching>`.

    See Also
    --------
    sklearn.metrics.ConfusionMatrixDisplay : What is returned and drawn.
    """

    @staticmethod
    def from_matcher(label_matcher, X, y, *, labels=None, ax=None, **kwargs):
        """Draw the matched confusion matrix of a fitted label matcher on (X, y).

        Parameters
        ----------
        label_matcher : LabelMatcher
            Fitted matcher: its ``predict`` returns class labels.
        X : array-like of shape (n_samples, n_features)
            Samples to cluster and map.
        y : array-like of shape (n_samples,)
            True class labels.
        labels : array-like, default=None
            Classes to index the matrix; ``None`` uses the matcher's
            ``classes_`` (so a class no cluster maps to still gets its row).
        ax : matplotlib Axes, default=None
            Axes to draw on.
        **kwargs : dict
            Passed to :meth:`sklearn.metrics.ConfusionMatrixDisplay.from_predictions`
            (``normalize``, ``cmap``, ``colorbar``, ...).

        Returns
        -------
        display : sklearn.metrics.ConfusionMatrixDisplay
            With ``confusion_matrix``, ``figure_``, ``ax_``, ``im_``.

        Notes
        -----
        Time: one ``predict`` of the matcher plus O(n) for the matrix.
        """
        from sklearn.metrics import ConfusionMatrixDisplay

        check_is_fitted(label_matcher)
        if labels is None:
            labels = getattr(label_matcher, "classes_", None)
        y_mapped = label_matcher.predict(X)
        return ConfusionMatrixDisplay.from_predictions(y, y_mapped, labels=labels, ax=ax, **kwargs)
