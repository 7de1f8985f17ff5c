"""The notebook functions :func:`vat` and :func:`ivat`: the image, drawn on request.

They fit a :class:`~sklearn_tendency.VAT` or :class:`~sklearn_tendency.IVAT`
and return its image, as ``pyclustertend``'s functions do; the drawing module
(and matplotlib) is imported only when they draw.
"""

from ._vat import IVAT, VAT

__all__ = ["vat", "ivat"]


def _fit_image(estimator, X, plot, ax, cmap, title):
    """The image of X from a VAT-family estimator, drawn on request."""
    image = estimator.fit_transform(X)
    if plot or ax is not None:
        from ._display import plot_ordered_image

        plot_ordered_image(image, ax=ax, cmap=cmap, title=title)
    return image


def vat(X, *, metric="euclidean", metric_params=None, n_jobs=None, plot=False, ax=None, cmap="gray"):
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
    return _fit_image(est, X, plot, ax, cmap, "VAT")


def ivat(X, *, metric="euclidean", metric_params=None, n_jobs=None, plot=False, ax=None, cmap="gray"):
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
    return _fit_image(est, X, plot, ax, cmap, "iVAT")
