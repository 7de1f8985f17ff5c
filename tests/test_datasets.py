import numpy as np
import pytest

from sklearn_tendency.datasets import load_faithful


def test_load_faithful():
    data = load_faithful()
    assert data.data.shape == (272, 2)
    assert data.feature_names == ["eruptions", "waiting"]
    assert data.target is None
    # First and last rows of R's faithful.
    np.testing.assert_allclose(data.data[0], [3.6, 79])
    np.testing.assert_allclose(data.data[-1], [4.467, 74])
    np.testing.assert_allclose(data.data.mean(axis=0), [3.4877831, 70.8970588], rtol=1e-6)
    assert "Old Faithful" in data.DESCR
    X, y = load_faithful(return_X_y=True)
    assert y is None and X.shape == (272, 2)


def test_load_faithful_as_frame():
    pd = pytest.importorskip("pandas")
    data = load_faithful(as_frame=True)
    assert isinstance(data.frame, pd.DataFrame)
    assert list(data.data.columns) == ["eruptions", "waiting"]
    X, _ = load_faithful(as_frame=True, return_X_y=True)
    assert X.shape == (272, 2)
