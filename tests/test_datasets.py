import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_circles, make_classification, make_moons

from sklearn_tendency.datasets import load_faithful, make_clustering_seminar


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


def test_make_clustering_seminar_is_the_seminars_data():
    # The seminar's own definitions (n = 500, every generator seeded 12345),
    # written out independently of the function.
    rs = 12345
    expected = {
        "merce": make_classification(
            n_samples=500,
            n_features=2,
            n_redundant=0,
            n_informative=2,
            n_clusters_per_class=1,
            n_classes=3,
            class_sep=2,
            random_state=rs,
        ),
        "blobs": make_blobs(500, n_features=2, centers=5, cluster_std=1.5, random_state=rs),
        "moons": make_moons(500, noise=0.1, random_state=rs),
        "circles": make_circles(500, factor=0.1, noise=0.1, random_state=rs),
        "uniform": (np.random.RandomState(rs).rand(500, 2), None),
    }
    seminar = make_clustering_seminar()
    assert list(seminar) == list(expected)
    for name, (X, y) in expected.items():
        np.testing.assert_array_equal(seminar[name].data, X)
        assert seminar[name].data.dtype == np.float64
        if y is None:
            assert seminar[name].target is None
            assert seminar[name].n_clusters == 1
        else:
            np.testing.assert_array_equal(seminar[name].target, y)
            assert seminar[name].n_clusters == np.unique(y).size
    assert [seminar[name].n_clusters for name in seminar] == [3, 5, 2, 2, 1]
    assert seminar.moons is seminar["moons"]


def test_make_clustering_seminar_parameters():
    seminar = make_clustering_seminar(37, random_state=0)
    for data in seminar.values():
        assert data.data.shape == (37, 2)
        assert data.target is None or data.target.shape == (37,)
    np.testing.assert_array_equal(seminar.uniform.data, np.random.RandomState(0).rand(37, 2))
    default = make_clustering_seminar()
    assert not np.array_equal(make_clustering_seminar(random_state=0).moons.data, default.moons.data)
    # A RandomState instance is drawn from in turn: reproducible from its seed.
    a = make_clustering_seminar(random_state=np.random.RandomState(1))
    b = make_clustering_seminar(random_state=np.random.RandomState(1))
    for name in a:
        np.testing.assert_array_equal(a[name].data, b[name].data)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_samples": 0}, "n_samples"),
        ({"n_samples": 2.5}, "n_samples"),
        ({"random_state": "seed"}, "random_state"),
    ],
)
def test_make_clustering_seminar_rejects_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        make_clustering_seminar(**params)
