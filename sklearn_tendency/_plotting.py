"""Drawing helpers. matplotlib is imported inside each function, so the
estimators import and run without it and without a display."""


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
    im = ax.imshow(image, cmap=cmap, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return im
