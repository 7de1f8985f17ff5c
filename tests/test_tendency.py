import numpy as np
import pytest
from scipy import stats
from sklearn.datasets import make_blobs
from sklearn.decomposition import PCA
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from sklearn_tendency import (
    LabelMatcher,
    LloydKMeans,
    assess_tendency,
    dip_test,
    gaussian_hopkins_test,
    make_tendency_scorer,
    vat_gap,
)
from sklearn_tendency.datasets import load_faithful


def _blobs(std=0.3, d=2, seed=0):
    return make_blobs(n_samples=400, n_features=d, centers=[[0] * d, [5] * d, [0] * (d - 1) + [10]],
                      cluster_std=std, random_state=seed)[0]


def test_gaussian_hopkins_calibrated_on_gaussian_data():
    # Null: one Gaussian, any covariance. The parametric bootstrap makes the
    # p-value uniform on the grid {1/20, 2/20, ...} at any dimension; a
    # Beta(m, m) p-value (what the box null uses) rejects 16% at 5% in 32-d.
    pvals = []
    for seed in range(200):
        rng = np.random.RandomState(seed)
        d = (2, 8, 32)[seed % 3]
        X = rng.normal(size=(150, d)) @ rng.normal(size=(d, d))
        pvals.append(gaussian_hopkins_test(X, n_simulations=19, random_state=seed).pvalue)
    pvals = np.array(pvals)
    grid = np.arange(1, 21) / 20
    counts = np.array([np.sum(np.isclose(pvals, g)) for g in grid])
    assert counts.sum() == 200
    # Chi-square goodness of fit to the discrete uniform on the grid.
    assert stats.chisquare(counts).pvalue > 1e-3
    assert np.mean(pvals <= 0.05) < 0.1


def test_gaussian_hopkins_rejects_clusters_and_uniform():
    res = gaussian_hopkins_test(_blobs(), random_state=0)
    assert res.statistic > 0.9 and res.pvalue == pytest.approx(1 / 100)
    uni = gaussian_hopkins_test(np.random.RandomState(0).uniform(size=(1000, 2)), random_state=0)
    assert uni.pvalue <= 0.05  # a box is not a Gaussian
    assert gaussian_hopkins_test(_blobs(), n_simulations=0, random_state=0).pvalue != 0.0


def test_dip_test_calibrated_or_conservative_on_unimodal_data():
    pytest.importorskip("diptest")
    pvals = np.array([
        dip_test(np.random.RandomState(s).normal(size=(200, 3)), random_state=s).pvalue
        for s in range(60)
    ])
    # The dip test's table is for the uniform law, the least favourable
    # unimodal one: on other unimodal laws it is conservative.
    assert np.mean(pvals < 0.05) <= 0.05
    sep = dip_test(_blobs(0.1), random_state=0)
    assert sep.pvalue < 1e-3 and sep.statistic > 0.02


def test_dip_statistic_equals_diptest_on_all_distances():
    diptest = pytest.importorskip("diptest")
    from scipy.spatial.distance import pdist

    X = np.random.RandomState(0).normal(size=(100, 2))
    assert dip_test(X).statistic == pytest.approx(diptest.dipstat(pdist(X)))


def test_vat_gap():
    assert vat_gap(_blobs(0.3)).statistic > 5
    assert vat_gap(np.random.RandomState(0).uniform(size=(500, 2))).statistic < 2
    assert vat_gap(_blobs(0.3)).pvalue is None


def test_assess_tendency_verdicts():
    clustered = assess_tendency(_blobs(0.3, d=4))
    assert clustered.verdict == "clustered"
    assert clustered.n_clusters_estimate == 3
    uniform = assess_tendency(np.random.RandomState(0).uniform(size=(600, 4)))
    assert uniform.verdict == "no evidence of clusters"
    gaussian = assess_tendency(np.random.RandomState(0).normal(size=(600, 8)))
    assert gaussian.verdict == "no evidence of clusters"
    text = str(clustered)
    assert "verdict: clustered" in text and "hopkins" in text and "VAT cluster-count estimate: 3" in text
    assert set(clustered.results) >= {"hopkins", "gaussian_hopkins", "vat_gap"}


def test_faithful_is_clustered():
    assert assess_tendency(load_faithful().data).verdict == "clustered"


def test_scorer_is_deterministic_and_picklable():
    import pickle

    X = _blobs()
    scorer = make_tendency_scorer()
    est = LloydKMeans(3, random_state=0).fit(X)
    assert scorer(est, X) == scorer(est, X) == pickle.loads(pickle.dumps(scorer))(est, X)
    assert scorer(est, X) == gaussian_hopkins_test(X, random_state=0).statistic
    assert "gaussian_hopkins" in repr(scorer)


def test_scorer_scores_what_each_estimator_sees():
    X = _blobs()
    scale = FunctionTransformer(lambda Z: Z * 2.0)
    scorer = make_tendency_scorer("hopkins", sample_size=40)
    # Pipeline: everything before the final step.
    pipe = Pipeline([("scale", scale), ("km", LloydKMeans(3, random_state=0))]).fit(X)
    from sklearn_tendency import hopkins

    assert scorer(pipe, X) == hopkins(X * 2.0, sample_size=40, random_state=0)
    # Transformer: its transform.
    pca = PCA(1).fit(X)
    assert scorer(pca, X) == hopkins(pca.transform(X), sample_size=40, random_state=0)
    # Clusterer and classifier-wrapped clusterer: the input.
    km = LloydKMeans(3, random_state=0).fit(X)
    assert scorer(km, X) == hopkins(X, sample_size=40, random_state=0)
    y = np.repeat([0, 1, 2], [134, 133, 133])
    lm = LabelMatcher(LloydKMeans(3, random_state=0)).fit(X, y)
    assert scorer(lm, X, y) == hopkins(X, sample_size=40, random_state=0)


def test_scorer_in_grid_search_picks_the_representation_with_clusters():
    # Two clusters live in feature 0; features 1-5 are one Gaussian with a far
    # larger scale. Selecting the columns that hold the clusters must win.
    rng = np.random.RandomState(0)
    n = 400
    signal = np.r_[rng.normal(-3, 0.3, n // 2), rng.normal(3, 0.3, n // 2)]
    noise = rng.normal(0, 10, size=(n, 5))
    X = np.column_stack([signal, noise])
    pick = {
        "signal": [0],
        "noise": [1, 2, 3, 4, 5],
        "all": [0, 1, 2, 3, 4, 5],
    }
    pipe = Pipeline([
        ("select", FunctionTransformer()),
        ("km", LloydKMeans(2, random_state=0)),
    ])
    grid = {"select__func": [lambda Z, c=c: Z[:, c] for c in pick.values()]}
    cv = KFold(2, shuffle=True, random_state=0)  # both clusters in every fold
    search = GridSearchCV(pipe, grid, scoring=make_tendency_scorer(), cv=cv).fit(X)
    scores = search.cv_results_["mean_test_score"]
    # signal alone > signal diluted in noise (whitening keeps it visible) >
    # noise alone.
    assert scores[0] > scores[2] > scores[1], scores
    assert scores[0] > 0.9 and scores[1] < 0.7
    assert search.best_params_["select__func"] is grid["select__func"][0]


def test_bad_input():
    with pytest.raises(ValueError, match="Unknown tendency statistic"):
        make_tendency_scorer("silhouette")
    with pytest.raises(ValueError, match="identical"):
        gaussian_hopkins_test(np.ones((10, 2)))
    with pytest.raises(ValueError, match="n_simulations"):
        gaussian_hopkins_test(_blobs(), n_simulations=-1)
    with pytest.raises(ValueError, match="NaN"):
        assess_tendency(np.array([[0, np.nan], [1, 2], [3, 4]]))
    with pytest.raises(ValueError, match="minimum of 3"):
        dip_test(np.ones((2, 2)))
