"""Downsampled VAT and iVAT images for any number of samples.

An n x n image needs 8 n^2 bytes (80 GB at n = 100 000) and a screen shows at
most a few thousand pixels per side. These functions compute the image at
``max_pixels`` per side directly: each pixel summarises one block of the
ordered image (its minimum, maximum or mean), and no n x n matrix is ever
formed.
"""

from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn import get_config
from sklearn.metrics import pairwise_distances
from sklearn.utils import check_array, gen_batches
from sklearn.utils.extmath import row_norms

from . import _vat_image
from ._openmp_helpers import blas_single_threaded, check_n_jobs, effective_n_threads
from ._ordering import EUCLIDEAN_NAMES
from ._validation import check_vat_input, restore_units, scale_by_power_of_two

__all__ = ["block_edges", "downsampled_ivat_image", "downsampled_vat_image"]


def block_edges(n_samples, max_pixels):
    """Boundaries of the blocks of the VAT order that become one pixel each.

    Parameters
    ----------
    n_samples : int
        Length of the VAT order.
    max_pixels : int
        Largest number of blocks; fewer if ``n_samples`` is smaller.

    Returns
    -------
    edges : ndarray of shape (m + 1,), dtype intp
        ``m = min(n_samples, max_pixels)``; block ``a`` holds the positions
        ``edges[a] .. edges[a + 1] - 1``. Blocks differ in size by at most one
        sample.

    Examples
    --------
    >>> from sklearn_tendency import block_edges
    >>> block_edges(10, 4)
    array([ 0,  2,  5,  7, 10])
    """
    if not isinstance(max_pixels, Integral) or isinstance(max_pixels, bool) or max_pixels < 1:
        raise ValueError(f"max_pixels must be a positive integer; got {max_pixels!r}.")
    if n_samples < 1:
        raise ValueError(f"n_samples must be positive; got {n_samples}.")
    m = int(min(n_samples, max_pixels))
    return (np.arange(m + 1, dtype=np.intp) * n_samples) // m


def _check_reduce(reduce, allowed):
    if reduce not in allowed:
        raise ValueError(f"reduce must be one of {sorted(allowed)}; got {reduce!r}.")


def downsampled_ivat_image(cut_weights, max_pixels=1000, *, reduce="mean", n_jobs=None):
    """The iVAT image at ``max_pixels`` per side, from the cut weights alone.

    In VAT order the iVAT dissimilarity of positions ``i < j`` is
    ``max(cut_weights[i + 1 : j + 1])`` (Havens & Bezdek, 2012; :ref:`algo-ivat`). The
    image is cut into ``m x m`` blocks, ``m = min(n_samples, max_pixels)``
    (see :func:`block_edges`), and each block is reduced to one pixel exactly,
    without forming the n x n image.

    Parameters
    ----------
    cut_weights : array-like of shape (n_samples,)
        Cut weights in VAT order, as returned by :func:`~sklearn_tendency.vat_order`
        or the ``cut_weights_`` of a fitted :class:`~sklearn_tendency.IVAT`.
    max_pixels : int, default=1000
        Largest number of pixels per side.
    reduce : {"mean", "min", "max"}, default="mean"
        Pixel value: the mean of its block (what the eye would average, and
        the exact image when ``m == n``), its minimum (dark whenever some pair
        in the block is close: small clusters stay visible, the diagonal is
        black) or its maximum (a pixel is dark only if the whole block is).
    n_jobs : int, default=None
        Threads; ``None`` follows ``OMP_NUM_THREADS`` and threadpoolctl limits.

    Returns
    -------
    image : ndarray of shape (m, m), dtype float64
        Symmetric downsampled image; pixel ``(a, b)`` summarises positions
        ``edges[a] .. edges[a + 1] - 1`` by ``edges[b] .. edges[b + 1] - 1``.

    See Also
    --------
    sklearn_tendency.ivat_from_cut_weights : The full n x n image.
    downsampled_vat_image : The same for the VAT image, from the data.

    Notes
    -----
    Time O(n + m^2) for ``"min"`` and ``"max"``, O(n m) for ``"mean"`` (each
    pixel's sum is a merge of two monotone sequences). Peak memory O(m^2 + n):
    the output, block maxima and one stack of n indices. Cut weights beyond
    [2**-48, 2**48] are summed scaled by a power of two, so a block's sum
    cannot overflow; the image is returned in their units
    (:ref:`algo-scaling`).

    References
    ----------
    .. [1] T. C. Havens and J. C. Bezdek, "An efficient formulation of the
       improved visual assessment of cluster tendency (iVAT) algorithm", IEEE
       TKDE 24(5), 2012, pp. 813-822.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_tendency import downsampled_ivat_image
    >>> w = np.array([0.0, 1.0, 1.0, 5.0, 1.0, 1.0])  # two blocks of three
    >>> downsampled_ivat_image(w, max_pixels=2, reduce="min")
    array([[0., 5.],
           [5., 0.]])
    """
    _check_reduce(reduce, _vat_image.REDUCE_CODES)
    w = check_array(
        cut_weights,
        ensure_2d=False,
        dtype=np.float64,
        ensure_min_samples=1,
        input_name="cut_weights",
    )
    if w.ndim != 1:
        raise ValueError(f"cut_weights must be 1-d; got an array of shape {w.shape}.")
    if (w < 0).any():
        raise ValueError("cut_weights must be non-negative dissimilarities.")
    # A block's sum of cut weights near 1e308 would overflow: summed scaled
    # by a power of two, returned exactly in their units (:ref:`algo-scaling`).
    w, exponent = scale_by_power_of_two(np.ascontiguousarray(w))
    edges = block_edges(w.shape[0], max_pixels)
    m = edges.shape[0] - 1
    out = np.empty((m, m), dtype=np.float64)
    _vat_image.ivat_block_image(w, edges, _vat_image.REDUCE_CODES[reduce], out, effective_n_threads(n_jobs))
    return restore_units(out, exponent)


def downsampled_vat_image(
    X,
    order,
    *,
    metric="euclidean",
    metric_params=None,
    max_pixels=1000,
    reduce="mean",
    n_jobs=None,
    working_memory=None,
):
    """The VAT image at ``max_pixels`` per side, computed in strips of rows.

    The VAT image is the dissimilarity matrix with rows and columns in VAT
    order (Bezdek & Hathaway, 2002). Here it is cut into ``m x m`` blocks,
    ``m = min(n_samples, max_pixels)`` (see :func:`block_edges`), and each block
    is reduced to one pixel while the distances are computed strip by strip.

    Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features) or \
            (n_samples, n_samples)
        Data, or a dissimilarity matrix with ``metric="precomputed"``.
    order : array-like of shape (n_samples,)
        A permutation of the samples, e.g. the ``order_`` of a fitted
        :class:`~sklearn_tendency.VAT`.
    metric : str or callable, default="euclidean"
        Any metric :func:`sklearn.metrics.pairwise_distances` accepts, or
        ``"precomputed"``.
    metric_params : dict, default=None
        Keyword arguments of the metric.
    max_pixels : int, default=1000
        Largest number of pixels per side.
    reduce : {"mean", "min"}, default="mean"
        Pixel value: the mean of its block's dissimilarities, or their minimum
        (small clusters stay visible; the diagonal is black).
    n_jobs : int, default=None
        Parallel jobs of :func:`~sklearn.metrics.pairwise_distances`.
    working_memory : int, default=None
        Megabytes of one strip of distances; ``None`` uses scikit-learn's
        ``working_memory`` setting (1024 by default).

    Returns
    -------
    image : ndarray of shape (m, m), dtype float64
        Downsampled VAT image in the given order.

    See Also
    --------
    downsampled_ivat_image : The iVAT image from the cut weights alone.

    Notes
    -----
    Time O(n^2 d): every pair is computed once per side (a strip holds whole
    rows). Peak memory O(m^2 + s n), with ``s`` rows per strip chosen so that a
    strip fits in ``working_memory``: the n x n matrix is never formed. The
    image scales with X by a power of two, exactly: data whose largest
    magnitude lies outside [2**-48, 2**48] are rescaled internally by one and
    the image returned in their units (:ref:`algo-scaling`).

    References
    ----------
    .. [1] J. C. Bezdek and R. J. Hathaway, "VAT: a tool for visual assessment
       of (cluster) tendency", Proc. IJCNN 2002, pp. 2225-2230.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_tendency import downsampled_vat_image
    >>> X = np.array([[0.0], [0.1], [5.0], [5.1]])
    >>> downsampled_vat_image(X, [0, 1, 2, 3], max_pixels=2, reduce="min")
    array([[0. , 4.9],
           [4.9, 0. ]])
    """
    _check_reduce(reduce, {"mean", "min"})
    n_jobs = check_n_jobs(n_jobs)
    X = check_vat_input(X, metric)
    # Distances of data of extreme magnitude, and their block sums: computed
    # scaled by a power of two, returned in the data's units (:ref:`algo-scaling`).
    X, exponent = scale_by_power_of_two(X, metric)
    n = X.shape[0]
    order = np.asarray(order)
    if order.shape != (n,) or not np.array_equal(np.sort(order), np.arange(n)):
        raise ValueError(
            f"order must be a permutation of the {n} samples; got an array of shape {order.shape}."
        )
    edges = block_edges(n, max_pixels)
    m = edges.shape[0] - 1
    block_of_position = np.repeat(np.arange(m), np.diff(edges))
    if reduce == "mean":
        out = np.zeros((m, m))
    else:
        out = np.full((m, m), np.inf)
    columns = X if metric == "precomputed" else X[order]
    if working_memory is None:
        working_memory = get_config()["working_memory"]
    # Two strips of s x n doubles live at once (the distances and their column
    # reduction's input copy at worst).
    # At most 2**22 distances a strip, too: Ctrl-C is answered between strips.
    chunk_rows = int(min(n, max(1, working_memory * 2**20 // (16 * n)), max(1, 2**22 // n)))
    for rows in gen_batches(n, chunk_rows):
        if metric == "precomputed":
            strip = np.asarray(X[order[rows]][:, order], dtype=np.float64)
        else:
            strip = pairwise_distances(
                columns[rows], columns, metric=metric, n_jobs=n_jobs, **(metric_params or {})
            )
            # The GEMM-based Euclidean distance of a row to itself is rounding
            # noise, not 0, when the two arguments are different arrays.
            own = np.arange(strip.shape[0])
            strip[own, rows.start + own] = 0.0
        # Reduce the columns by block first (s x m), then fold each row into
        # its row block; a block may span two strips.
        if reduce == "mean":
            by_column = np.add.reduceat(strip, edges[:-1], axis=1)
            np.add.at(out, block_of_position[rows], by_column)
        else:
            by_column = np.minimum.reduceat(strip, edges[:-1], axis=1)
            np.minimum.at(out, block_of_position[rows], by_column)
    if reduce == "mean":
        sizes = np.diff(edges).astype(np.float64)
        out /= np.outer(sizes, sizes)
    return restore_units(out, exponent, metric)


def vat_image(X, order, metric, metric_params, n_jobs, cut_weights):
    """The VAT image: the dissimilarity matrix with rows and columns in VAT order.

    Dense float64 Euclidean data go through the package's kernel: the rows are
    translated by their coordinate-wise (lower) median before the Gram product (the
    cancellation of ``|a|^2 + |b|^2 - 2 ab`` grows with the norms, not with
    the distances), and entries whose error bound is not small, or that could
    be the ``cut_weights`` of the order, are recomputed from differences:
    every entry is within a relative 2**-30 of the exact distance and the
    image agrees with ``cut_weights`` bit for bit along the VAT path
    (:ref:`algo-vat-image`). Peak memory 8 n^2 bytes (the image) plus
    three copies of the data, 24 n d bytes. Everything else goes through
    ``pairwise_distances``.
    """
    if metric == "precomputed":
        return X[np.ix_(order, order)]
    if metric in EUCLIDEAN_NAMES and not metric_params and not sparse.issparse(X) and X.dtype == np.float64:
        rows = np.ascontiguousarray(X[order])
        # Any reference point keeps the differences; the median keeps the
        # norms small for most rows (a far outlier does not move it), and the
        # lower median is a data value (no overflow averaging two). Data
        # spread over more than the float range overflow here: their norms are
        # infinite, and the kernel then recomputes every entry from X.
        with np.errstate(over="ignore", invalid="ignore"):
            translated = rows - np.quantile(rows, 0.5, axis=0, method="lower")
            sq_norms = row_norms(translated, squared=True)
        sq_cut_weights = np.asarray(cut_weights, dtype=np.float64)
        if metric != "sqeuclidean":
            sq_cut_weights = sq_cut_weights * sq_cut_weights
        image = np.empty((rows.shape[0], rows.shape[0]))
        # BLAS on one thread: the kernel calls it from each of its OpenMP
        # threads, and BLAS pthreads left spinning after a call slow the
        # OpenMP pass (on 2 cores, 2 threads ran 3x slower than 1, measured).
        with blas_single_threaded():
            _vat_image.euclidean_image(
                rows,
                translated,
                sq_norms,
                np.ascontiguousarray(sq_cut_weights),
                image,
                metric == "sqeuclidean",
                effective_n_threads(n_jobs),
            )
        return image
    return pairwise_distances(X[order], metric=metric, n_jobs=n_jobs, **(metric_params or {}))
