import csv
from importlib import resources
from numbers import Integral

import numpy as np
from sklearn.datasets import make_blobs, make_circles, make_classification, make_moons
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, validate_params

_PACKAGE = "sklearn_tendency.datasets"


def load_faithful(*, as_frame=False, return_X_y=False):
    """Load the Old Faithful geyser data (272 eruptions, 2 features).

    Eruption duration and waiting time to the next eruption, both in minutes,
    of the Old Faithful geyser in Yellowstone National Park: two clear groups
    (short eruptions after short waits, long after long), the teaching data set
    of k-means lessons.

    =================   ==============
    Samples total       272
    Dimensionality      2
    Features            real, positive
    Targets             none
    =================   ==============

    Parameters
    ----------
    as_frame : bool, default=False
        Return ``data`` (and ``frame``) as a pandas DataFrame with columns
        ``eruptions`` and ``waiting``; needs pandas.
    return_X_y : bool, default=False
        Return ``(data, None)`` instead of a Bunch: the data set has no target,
        and the pair keeps the ``X, y = load_...(return_X_y=True)`` idiom.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (ndarray of shape (272, 2) or DataFrame), ``target`` (None),
        ``feature_names`` (``["eruptions", "waiting"]``), ``frame`` (DataFrame
        if ``as_frame`` else None), ``DESCR`` and ``filename``.
    (data, None) : tuple if ``return_X_y`` is True

    References
    ----------
    .. [1] A. Azzalini and A. W. Bowman, "A look at some data on the Old
       Faithful geyser", Applied Statistics 39(3), 1990, pp. 357-365.
    .. [2] W. Härdle, "Smoothing Techniques with Implementation in S",
       Springer, 1991 (the 272-eruption version shipped with R as ``faithful``).

    Examples
    --------
    >>> from sklearn_tendency.datasets import load_faithful
    >>> faithful = load_faithful()
    >>> faithful.data.shape
    (272, 2)
    >>> faithful.feature_names
    ['eruptions', 'waiting']
    """
    data_file = resources.files(_PACKAGE).joinpath("data", "faithful.csv")
    with data_file.open("r", encoding="utf-8") as f:
        reader = csv.reader(f)
        feature_names = next(reader)
        data = np.array([[float(v) for v in row] for row in reader if row])
    descr = resources.files(_PACKAGE).joinpath("descr", "faithful.rst").read_text(encoding="utf-8")

    frame = None
    if as_frame:
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the env
            raise ImportError(
                "load_faithful(as_frame=True) needs pandas; install it with 'pip install pandas'."
            ) from exc
        frame = pd.DataFrame(data, columns=feature_names)
        data = frame
    if return_X_y:
        return data, None
    return Bunch(
        data=data,
        target=None,
        feature_names=feature_names,
        frame=frame,
        DESCR=descr,
        filename=str(data_file),
    )


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_clustering_seminar(n_samples=500, *, random_state=12345):
    """Make the five 2-d data sets of the clustering seminar.

    The classic teaching set of a clustering lesson, one data set per
    question a clustering algorithm meets: compact classes, overlapping
    groups, shapes k-means cannot follow, and no groups at all.

    ===========  =============  =================================================
    Name         True groups    What it is
    ===========  =============  =================================================
    ``merce``    3              three well-separated classes:
                                :func:`~sklearn.datasets.make_classification`
                                with one cluster per class, ``class_sep=2``
    ``blobs``    5              five isotropic Gaussian blobs,
                                :func:`~sklearn.datasets.make_blobs` with
                                ``cluster_std=1.5``; some of them touch
    ``moons``    2              two interleaving half circles,
                                :func:`~sklearn.datasets.make_moons` with
                                ``noise=0.1``
    ``circles``  2              a small circle inside a large one,
                                :func:`~sklearn.datasets.make_circles` with
                                ``factor=0.1``, ``noise=0.1``
    ``uniform``  1              uniform noise on the unit square: no groups
                                (the seminar's "none")
    ===========  =============  =================================================

    Parameters
    ----------
    n_samples : int, default=500
        The number of samples of each data set.
    random_state : int, RandomState instance or None, default=12345
        An int seeds each of the five generators with that same value, as the
        seminar does (the default gives the seminar's data); a RandomState
        instance is drawn from by the five generators in turn; None draws
        fresh data (scikit-learn's ``random_state`` convention).

    Returns
    -------
    datasets : :class:`~sklearn.utils.Bunch`
        The five data sets in the order of the table above (``merce``,
        ``blobs``, ``moons``, ``circles``, ``uniform``), each a
        :class:`~sklearn.utils.Bunch` with ``data`` (ndarray of shape
        (n_samples, 2), float64), ``target`` (ndarray of shape (n_samples,)
        of the generator's labels; None for ``uniform``, which has no groups)
        and ``n_clusters`` (the true number of groups).

    See Also
    --------
    load_faithful : Real two-group data, the Old Faithful geyser.

    Notes
    -----
    Time and peak memory O(n_samples), for the five arrays returned.

    References
    ----------
    .. [1] I. Guyon, "Design of experiments for the NIPS 2003 variable
       selection benchmark", 2003 (the design of
       :func:`~sklearn.datasets.make_classification`).

    Examples
    --------
    >>> from sklearn_tendency.datasets import make_clustering_seminar
    >>> seminar = make_clustering_seminar()
    >>> list(seminar)
    ['merce', 'blobs', 'moons', 'circles', 'uniform']
    >>> seminar.moons.data.shape, seminar.moons.n_clusters
    ((500, 2), 2)
    >>> seminar.uniform.target is None
    True
    """
    merce = make_classification(
        n_samples=n_samples,
        n_features=2,
        n_redundant=0,
        n_informative=2,
        n_clusters_per_class=1,
        n_classes=3,
        class_sep=2,
        random_state=random_state,
    )
    blobs = make_blobs(n_samples, n_features=2, centers=5, cluster_std=1.5, random_state=random_state)
    moons = make_moons(n_samples, noise=0.1, random_state=random_state)
    circles = make_circles(n_samples, factor=0.1, noise=0.1, random_state=random_state)
    uniform = (check_random_state(random_state).rand(n_samples, 2), None)
    return Bunch(
        **{
            name: Bunch(data=X, target=y, n_clusters=k)
            for name, (X, y), k in zip(
                ("merce", "blobs", "moons", "circles", "uniform"),
                (merce, blobs, moons, circles, uniform),
                (3, 5, 2, 2, 1),
            )
        }
    )
