import csv
from importlib import resources

import numpy as np
from sklearn.utils import Bunch

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
