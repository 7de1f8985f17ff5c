"""Displays on the Agg backend: the data they draw and the artists they make."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from sklearn.base import BaseEstimator  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402

from sklearn_tendency import (  # noqa: E402
    IVAT,
    VAT,
    ClusteringAnimation,
    MatchedConfusionMatrixDisplay,
    ObjectiveHistoryDisplay,
    VATDisplay,
    downsampled_ivat_image,  # noqa: E402
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def blobs():
    X, y = make_blobs(n_samples=150, centers=3, cluster_std=0.4, random_state=0)
    return X, y


def test_vat_display_ivat_image_is_the_ivat_image(blobs):
    X, _ = blobs
    est = IVAT().fit(X)
    disp = VATDisplay.from_estimator(est)
    np.testing.assert_allclose(disp.im_.get_array(), est.fit_transform(X))
    assert disp.ax_ is disp.im_.axes and disp.figure_ is disp.ax_.figure
    assert disp.im_.get_cmap().name == "gray"
    assert disp.ax_.get_title() == "iVAT"
    # Coordinates are VAT positions: the extent covers the n samples.
    assert list(disp.im_.get_extent()) == [0, 150, 150, 0]  # a tuple before matplotlib 3.7
    # Gray levels span the smallest and largest dissimilarities between
    # distinct samples: for iVAT, the smallest and largest cut weights.
    w = est.cut_weights_[1:]
    np.testing.assert_allclose(disp.im_.get_clim(), (w.min(), w.max()))
    disp = VATDisplay.from_estimator(est)
    disp.plot(vmin=0, vmax=1)
    assert disp.im_.get_clim() == (0, 1)


def test_vat_display_vat_image_needs_x(blobs):
    X, _ = blobs
    est = VAT().fit(X)
    with pytest.raises(ValueError, match="needs the training data"):
        VATDisplay.from_estimator(est)
    disp = VATDisplay.from_estimator(est, X)
    np.testing.assert_allclose(disp.im_.get_array(), est.fit_transform(X), atol=1e-12)
    with pytest.raises(ValueError, match="fitted on 150"):
        VATDisplay.from_estimator(est, X[:100])


def test_vat_display_three_dark_blocks(blobs):
    """Three separated blobs: three dark diagonal blocks, light elsewhere."""
    X, y = blobs
    disp = VATDisplay.from_data(X, labels=y, show_clusters=True)
    image = np.asarray(disp.im_.get_array())
    est = IVAT().fit(X)
    edges = np.r_[0, np.flatnonzero(np.diff(y[est.order_])) + 1, 150]
    assert len(edges) == 4  # each class is one contiguous block of the order
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = image[lo:hi, lo:hi].max()
        outside = np.r_[image[lo:hi, :lo].ravel(), image[lo:hi, hi:].ravel()].min()
        assert inside < outside / 2
    # The outlined blocks are those classes.
    rects = [(p.get_x(), p.get_width()) for p in disp.cluster_patches_]
    assert rects == [(lo, hi - lo) for lo, hi in zip(edges[:-1], edges[1:])]


def test_vat_display_labels_bar_colours(blobs):
    X, y = blobs
    est = IVAT().fit(X)
    disp = VATDisplay.from_estimator(est, labels=y)
    bar = np.asarray(disp.labels_im_.get_array()).ravel()
    # The bar shows each sample's label code in VAT order at full resolution.
    np.testing.assert_array_equal(bar, y[est.order_])
    assert disp.labels_ax_ is not None and disp.labels_ax_.figure is disp.figure_
    # tab10 colours for 3 labels.
    cmap = disp.labels_im_.get_cmap()
    np.testing.assert_allclose(cmap(1), to_rgba("tab:orange"))


def test_vat_display_downsampled_labels_bar_takes_block_mode():
    X, y = make_blobs(n_samples=400, centers=4, cluster_std=0.3, random_state=3)
    est = IVAT().fit(X)
    disp = VATDisplay.from_estimator(est, labels=y, max_pixels=40)
    assert disp.im_.get_array().shape == (40, 40)
    np.testing.assert_allclose(disp.im_.get_array(), downsampled_ivat_image(est.cut_weights_, 40))
    bar = np.asarray(disp.labels_im_.get_array()).ravel()
    ordered = y[est.order_]
    for a in range(40):
        block = ordered[10 * a : 10 * (a + 1)]
        counts = np.bincount(block, minlength=4)
        assert bar[a] == np.argmax(counts)


def test_vat_display_string_labels_and_many_labels():
    rng = np.random.default_rng(0)
    X = rng.random((300, 2))
    labels = np.array([f"c{i % 70}" for i in range(300)])
    disp = VATDisplay.from_data(X, labels=labels, method="vat")
    colors = disp.labels_im_.get_cmap()(np.arange(70))
    # 70 labels: 70 distinct colours.
    assert len({tuple(c) for c in np.round(colors, 6)}) == 70


def test_vat_display_plot_on_given_axes(blobs):
    X, _ = blobs
    fig, (ax1, ax2) = plt.subplots(1, 2)
    disp = VATDisplay.from_data(X, ax=ax2, colorbar=True, cmap="viridis")
    assert disp.ax_ is ax2 and disp.figure_ is fig
    assert disp.colorbar_ is not None
    assert disp.im_.get_cmap().name == "viridis"
    assert len(ax1.images) == 0


def test_vat_display_constructor_and_bad_input(blobs):
    image = np.array([[0.0, 1.0], [1.0, 0.0]])
    disp = VATDisplay(image, n_samples=10, cluster_edges=[0, 5, 10]).plot()
    assert list(disp.im_.get_extent()) == [0, 10, 10, 0]
    assert len(disp.cluster_patches_) == 2
    with pytest.raises(ValueError, match="square"):
        VATDisplay(np.zeros((2, 3))).plot()
    with pytest.raises(ValueError, match="one entry per"):
        VATDisplay(image, labels=[0, 1, 2]).plot()
    X, y = blobs
    with pytest.raises(ValueError, match="method"):
        VATDisplay.from_data(X, method="pca")
    with pytest.raises(TypeError, match="VAT or IVAT"):
        from sklearn.cluster import KMeans

        km = KMeans(2, n_init=1).fit(X)
        km.order_ = km.cut_weights_ = None
        VATDisplay.from_estimator(km)


def test_objective_history_display():
    histories = [[10.0, 6.0, 5.0, 5.0], [12.0, 7.0, 6.5], [10.0, 6.0, 5.0, 5.0]]
    disp = ObjectiveHistoryDisplay(histories[0], inertia_histories=histories, name="best").plot(
        log_scale=True
    )
    np.testing.assert_array_equal(disp.line_.get_xdata(), [0, 1, 2, 3])
    np.testing.assert_array_equal(disp.line_.get_ydata(), histories[0])
    assert len(disp.lines_) == 3
    np.testing.assert_array_equal(disp.lines_[1].get_ydata(), histories[1])
    assert disp.line_.get_linewidth() > disp.lines_[0].get_linewidth()
    assert disp.ax_.get_yscale() == "log"
    assert disp.ax_.get_legend().get_texts()[0].get_text() == "best"
    fig, ax = plt.subplots()
    disp = ObjectiveHistoryDisplay([3.0, 2.0]).plot(ax=ax, show_all_runs=False)
    assert disp.ax_ is ax and disp.figure_ is fig and disp.lines_ == []
    assert disp.ax_.get_yscale() == "linear"
    with pytest.raises(ValueError, match="1-d"):
        ObjectiveHistoryDisplay([[1.0]]).plot()


class _FakeLloyd(BaseEstimator):
    """Stands for a fitted LloydKMeans: the attributes the displays read."""

    def fit(self, X, y=None):
        return self

    def __sklearn_is_fitted__(self):
        return True


def _fake_lloyd(X, centers):
    est = _FakeLloyd()
    est.center_history_ = np.asarray(centers)
    est.inertia_history_ = np.array(
        [((X[:, None] - c[None]) ** 2).sum(-1).min(1).sum() for c in est.center_history_]
    )
    est.inertia_histories_ = [est.inertia_history_]
    return est


def test_objective_history_from_estimator():
    X = np.array([[0.0], [1.0], [10.0], [11.0]])
    est = _fake_lloyd(X, [[[0.0], [1.0]], [[0.0], [7.0]], [[0.5], [10.5]]])
    disp = ObjectiveHistoryDisplay.from_estimator(est)
    np.testing.assert_allclose(disp.line_.get_ydata(), [181.0, 26.0, 1.0])
    assert len(disp.lines_) == 1


def test_clustering_animation_frames():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [4.0, 0.0], [5.0, 1.0], [6.0, 0.0]])
    history = np.array(
        [
            [[0.0, 0.0], [0.0, 1.0]],  # both centres in the left pair
            [[0.0, 0.0], [3.75, 0.5]],
            [[0.0, 0.5], [5.0, 1 / 3]],
        ]
    )
    anim = ClusteringAnimation(X, history).plot(frame=0)
    # Frame 0: nearest centres by brute force.
    np.testing.assert_array_equal(anim.scatter_.get_array(), [0, 1, 0, 1, 0])
    np.testing.assert_allclose(anim.centers_.get_offsets(), history[0])
    assert anim.ax_.get_title() == "iteration 0 of 2"
    from matplotlib.animation import FuncAnimation

    assert isinstance(anim.animation_, FuncAnimation)
    # Stepping the animation draws the later frames.
    anim.animation_._func(2)
    np.testing.assert_array_equal(anim.scatter_.get_array(), [0, 0, 1, 1, 1])
    np.testing.assert_allclose(anim.paths_[1].get_xydata(), history[:, 1])
    # Rendering gives one frame per entry of the history.
    html = anim.animation_.to_jshtml()
    assert "frames[2]" in html and "frames[3]" not in html


def test_clustering_animation_from_estimator_static():
    X = np.array([[0.0, 0.0, 9.0], [0.0, 1.0, 9.0], [5.0, 0.0, 0.0]])
    est = _fake_lloyd(X, [[[0.0, 0.0, 9.0], [5.0, 0.0, 0.0]]] * 2)
    fig, ax = plt.subplots()
    anim = ClusteringAnimation.from_estimator(est, X, features=(0, 2), ax=ax, animate=False)
    assert anim.animation_ is None and anim.ax_ is ax and anim.figure_ is fig
    np.testing.assert_allclose(anim.scatter_.get_offsets(), X[:, [0, 2]])
    np.testing.assert_array_equal(anim.scatter_.get_array(), [0, 0, 1])
    est.center_history_ = None
    with pytest.raises(ValueError, match="store_centers"):
        ClusteringAnimation.from_estimator(est, X)
    with pytest.raises(ValueError, match="n_features"):
        ClusteringAnimation(X, np.zeros((2, 2, 2))).plot()


class _FakeMatcher(BaseEstimator):
    """A fitted label matcher: clusters by the sign of x, mapped to classes."""

    def fit(self, X, y=None):
        return self

    def __sklearn_is_fitted__(self):
        return True

    classes_ = np.array(["neg", "pos", "zero"])

    def predict(self, X):
        return np.where(np.asarray(X)[:, 0] < 0, "neg", "pos")


def test_matched_confusion_matrix_from_matcher():
    from sklearn.metrics import ConfusionMatrixDisplay

    X = np.array([[-2.0], [-1.0], [1.0], [2.0], [3.0]])
    y = np.array(["neg", "pos", "pos", "pos", "zero"])
    fig, ax = plt.subplots()
    disp = MatchedConfusionMatrixDisplay.from_matcher(_FakeMatcher(), X, y, ax=ax)
    assert isinstance(disp, ConfusionMatrixDisplay)
    assert disp.ax_ is ax and disp.figure_ is fig
    # Rows: true classes, columns: mapped predictions, over the matcher's
    # classes (the class "zero", never predicted, keeps its column).
    np.testing.assert_array_equal(disp.confusion_matrix, [[1, 0, 0], [1, 2, 0], [0, 1, 0]])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["neg", "pos", "zero"]


def test_clustering_animation_colours_follow_cluster_index():
    from matplotlib.colors import to_rgba

    X = np.array([[0.0, 0.0], [10.0, 0.0]])
    anim = ClusteringAnimation(X, [[[0.0, 0.0], [10.0, 0.0]]]).plot(animate=False)
    # Cluster 1 is tab10's second colour, not the end of the map.
    np.testing.assert_allclose(
        anim.scatter_.to_rgba(anim.scatter_.get_array())[1, :3], to_rgba("tab:orange")[:3]
    )


def test_displays_on_real_lloyd_kmeans():
    from sklearn_tendency import LloydKMeans
    from sklearn_tendency.datasets import load_faithful

    X = load_faithful().data
    km = LloydKMeans(n_clusters=2, init="random", n_init=3, random_state=0, store_centers=True).fit(X)
    disp = ObjectiveHistoryDisplay.from_estimator(km)
    np.testing.assert_array_equal(disp.line_.get_ydata(), km.inertia_history_)
    assert len(disp.lines_) == 3
    np.testing.assert_allclose(disp.line_.get_ydata()[-1], 8901.76872094721, rtol=1e-10)
    anim = ClusteringAnimation.from_estimator(km, X, animate=False)
    # The last frame's assignment is the fitted clustering.
    np.testing.assert_array_equal(anim.scatter_.get_array(), km.labels_)
    np.testing.assert_allclose(anim.centers_.get_offsets(), km.cluster_centers_)
    assert len(anim.paths_[0].get_xdata()) == km.n_iter_ + 1


def test_from_matcher_on_real_label_matcher():
    from sklearn.metrics import confusion_matrix

    from sklearn_tendency import LabelMatcher, LloydKMeans

    X, y = make_blobs(n_samples=120, centers=3, cluster_std=0.5, random_state=0)
    matcher = LabelMatcher(LloydKMeans(3, n_init=3, random_state=0)).fit(X, y)
    disp = MatchedConfusionMatrixDisplay.from_matcher(matcher, X, y)
    np.testing.assert_array_equal(disp.confusion_matrix, confusion_matrix(y, matcher.predict(X)))
    # Separated blobs: after matching, everything is on the diagonal.
    np.testing.assert_array_equal(disp.confusion_matrix, np.diag(np.bincount(y)))
