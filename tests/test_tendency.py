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
    cluster_tendency_test,
    dip_test,
    gaussian_hopkins_test,
    hopkins_both,
    hopkins_test,
    make_tendency_scorer,
    rank_hopkins_test,
    vat_gap,
)
from sklearn_tendency.datasets import load_faithful


def _blobs(std=0.3, d=2, seed=0):
    return make_blobs(
        n_samples=400,
        n_features=d,
        centers=[[0] * d, [5] * d, [0] * (d - 1) + [10]],
        cluster_std=std,
        random_state=seed,
    )[0]


GRID = np.arange(1, 21) / 20  # the p-values of 19 simulations


def _grid_counts(pvals):
    counts = np.array([np.sum(np.isclose(pvals, g)) for g in GRID])
    assert counts.sum() == len(pvals)
    return counts


@pytest.mark.slow
def test_gaussian_hopkins_calibrated_on_gaussian_data():
    # Null: one Gaussian, any mean and covariance. The simulated null makes the
    # p-value uniform on the grid {1/20, ..., 1} at any dimension; the Beta(m, m)
    # p-value of the box null, applied to the same statistics, is not.
    pvals, beta_pvals = [], []
    for seed in range(200):
        rng = np.random.RandomState(seed)
        d = (2, 6, 24)[seed % 3]
        X = rng.normal(size=(100, d)) @ rng.normal(size=(d, d)) + rng.normal(size=d)
        res = gaussian_hopkins_test(X, n_simulations=19, random_state=seed, n_jobs=1)
        pvals.append(res.pvalue)
        beta_pvals.append(stats.beta.sf(res.statistic, res.sample_size, res.sample_size))
    # Chi-square goodness of fit to the discrete uniform on the grid (10
    # expected per cell).
    assert stats.chisquare(_grid_counts(pvals)).pvalue > 1e-3
    assert np.mean(np.array(pvals) <= 0.05) < 0.1
    # The broken variant fails the same kind of test by orders of magnitude
    # (measured: KS p ~ 1e-15).
    assert stats.kstest(beta_pvals, "uniform").pvalue < 1e-6


@pytest.mark.slow
def test_box_hopkins_calibration_test_catches_exponent_one():
    # The calibration test of tests/test_hopkins.py (KS of the Beta(m, m)
    # p-values on uniform data) passes for exponent d and fails for exponent 1
    # on the very same distances: it can tell a broken statistic.
    from sklearn.neighbors import NearestNeighbors

    from sklearn_tendency._tendency import _hopkins_from_distances, hopkins_samples

    m, good, broken = 25, [], []
    for seed in range(300):
        X = np.random.RandomState(seed).uniform(size=(500, 2))
        idx, rng, _ = hopkins_samples(X, m, 10_000 + seed)
        ref = rng.uniform(X.min(0), X.max(0), size=(m, 2))
        nn = NearestNeighbors(n_neighbors=2).fit(X)
        u = nn.kneighbors(ref, n_neighbors=1)[0][:, 0]
        w = nn.kneighbors(X[idx])[0][:, 1]
        h = _hopkins_from_distances(u, w, 2)
        assert h == pytest.approx(hopkins_test(X, sample_size=m, random_state=10_000 + seed).statistic)
        good.append(stats.beta.sf(h, m, m))
        broken.append(stats.beta.sf(_hopkins_from_distances(u, w, 1), m, m))
    assert stats.kstest(good, "uniform").pvalue > 1e-3
    # Exponent 1 shrinks the spread of H: its p-values bunch in the middle
    # (measured: KS p ~ 1e-6, no rejection at 5% in 300 runs).
    assert stats.kstest(broken, "uniform").pvalue < 1e-4
    assert np.mean(np.array(broken) < 0.05) < 0.01 < np.mean(np.array(good) < 0.05)


def test_dip_test_calibrated_on_independent_uniform_dissimilarities():
    diptest = pytest.importorskip("diptest")
    from scipy.spatial.distance import squareform

    # The dip test's null: independent values from the uniform law (the least
    # favourable unimodal one). Dissimilarities drawn that way are data from
    # it; the p-values must be uniform.
    pvals, doubled = [], []
    for seed in range(200):
        rng = np.random.RandomState(seed)
        D = squareform(rng.uniform(size=40 * 39 // 2))
        pvals.append(dip_test(D, metric="precomputed").pvalue)
        # Broken variant: both triangles, every distance counted twice.
        doubled.append(diptest.diptest(D[~np.eye(40, dtype=bool)])[1])
    assert stats.kstest(pvals, "uniform").pvalue > 1e-3
    assert 0.02 < np.mean(np.array(pvals) < 0.05) < 0.09
    assert stats.kstest(doubled, "uniform").pvalue < 1e-6


def test_gaussian_hopkins_rejects_clusters_and_uniform():
    res = gaussian_hopkins_test(_blobs(), random_state=0)
    assert res.statistic > 0.9 and res.pvalue == pytest.approx(1 / 100)
    uni = gaussian_hopkins_test(np.random.RandomState(0).uniform(size=(1000, 2)), random_state=0)
    assert uni.pvalue <= 0.05  # a box is not a Gaussian
    assert gaussian_hopkins_test(_blobs(), n_simulations=0, random_state=0).pvalue != 0.0


def test_dip_test_calibrated_or_conservative_on_unimodal_data():
    pytest.importorskip("diptest")
    pvals = np.array(
        [dip_test(np.random.RandomState(s).normal(size=(200, 3)), random_state=s).pvalue for s in range(60)]
    )
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


def test_a_pvalue_not_computed_is_nan():
    # One convention everywhere: NaN, a float, as scipy's tests return.
    X = _blobs(0.3)
    assert np.isnan(vat_gap(X).pvalue)
    assert np.isnan(gaussian_hopkins_test(X, n_simulations=0, random_state=0).pvalue)
    # The intersection-union p-value needs both; max() would drop the NaN.
    assert np.isnan(hopkins_both(X, n_simulations=0, random_state=0).pvalue)
    assert not np.isnan(hopkins_both(X, n_simulations=9, random_state=0).pvalue)
    assert np.isnan(rank_hopkins_test(X, n_simulations=0, random_state=0).pvalue)
    assert np.isnan(hopkins_test(X, pvalue="simulated", n_simulations=0, random_state=0).pvalue)


def test_vat_gap():
    assert vat_gap(_blobs(0.3)).statistic > 5
    assert vat_gap(np.random.RandomState(0).uniform(size=(500, 2))).statistic < 2
    assert np.isnan(vat_gap(_blobs(0.3)).pvalue)
    res = vat_gap(_blobs(0.3), n_simulations=19, random_state=0)
    assert res.pvalue == pytest.approx(1 / 20)
    assert res.statistic == vat_gap(_blobs(0.3)).statistic


@pytest.mark.slow
def test_vat_gap_calibrated_on_gaussian_data():
    # The simulated null: a Gaussian with the data's mean and covariance. The
    # broken variant simulates N(0, I), ignoring the covariance, and fails the
    # same test (measured chi-square p ~ 1e-38).
    pvals, identity = [], []
    for seed in range(200):
        rng = np.random.RandomState(seed)
        d = (2, 4)[seed % 2]
        A = rng.normal(size=(d, d))
        A[0] *= 5  # an elongated cloud
        X = rng.normal(size=(100, d)) @ A
        res = vat_gap(X, n_simulations=19, random_state=seed, n_jobs=1)
        pvals.append(res.pvalue)
        sims = [vat_gap(rng.normal(size=(100, d)), n_jobs=1).statistic for _ in range(19)]
        identity.append((1 + np.sum(np.array(sims) >= res.statistic)) / 20)
    assert stats.chisquare(_grid_counts(pvals)).pvalue > 1e-3
    assert stats.chisquare(_grid_counts(identity)).pvalue < 1e-6


def test_assess_tendency_verdicts():
    # The verdict is the intersection-union test of the four structureless
    # nulls (it replaced "both Wright box and Gaussian Hopkins tests reject",
    # whose box test was not calibrated beyond d = 2). 39 simulations: the
    # smallest simulated p-value, 1/40, is below 0.05.
    kw = dict(n_simulations=39, n_jobs=1)
    X = _blobs(0.3, d=4)
    clustered = assess_tendency(X, **kw)
    assert clustered.verdict == "clustered"
    assert clustered.n_clusters_estimate == 3
    assert clustered.nulls == ("box", "gaussian", "ball", "t") and clustered.alpha == 0.05
    for null in clustered.nulls:
        res = clustered.results[f"hopkins_{null}"]
        assert res.pvalue == pytest.approx(1 / 40) and res.null == null
        assert res == rank_hopkins_test(
            X, null=null, sample_size=0.2, n_simulations=39, random_state=0, n_jobs=1
        )
    assert clustered.pvalue == pytest.approx(1 / 40)
    # The VAT gap is descriptive in the report (no simulated p-value).
    gap = clustered.results["vat_gap"]
    assert gap.statistic == vat_gap(X).statistic and np.isnan(gap.pvalue)
    rng = np.random.RandomState(0)
    structureless = {
        "uniform cube": rng.uniform(size=(600, 4)),
        "gaussian": rng.normal(size=(600, 8)),
        "ball": _ball(rng, 600, 3),
        "t, 3 degrees of freedom": rng.normal(size=(600, 5)) / np.sqrt(rng.chisquare(3, size=(600, 1)) / 3),
    }
    for name, Z in structureless.items():
        report = assess_tendency(Z, **kw)
        assert report.verdict == "no evidence of clusters", name
        assert report.pvalue > 0.05 and report.pvalue == max(
            report.results[f"hopkins_{n}"].pvalue for n in report.nulls
        )
    text = str(clustered)
    assert "verdict: clustered" in text and "VAT cluster-count estimate: 3" in text
    assert "level 0.05" in text and "box, gaussian, ball, t" in text
    assert "uniform in the data's bounding box" in text
    assert "alpha=0.05" in repr(clustered) and "'t')" in repr(clustered)


def _ball(rng, n, d):
    g = rng.normal(size=(n, d))
    return g / np.linalg.norm(g, axis=1, keepdims=True) * rng.uniform(size=(n, 1)) ** (1 / d)


def test_faithful_is_clustered():
    assert assess_tendency(load_faithful().data).verdict == "clustered"


def test_scorer_is_deterministic_and_picklable():
    import pickle

    X = _blobs()
    scorer = make_tendency_scorer()
    est = LloydKMeans(3, random_state=0).fit(X)
    assert scorer(est, X) == scorer(est, X) == pickle.loads(pickle.dumps(scorer))(est, X)
    assert scorer(est, X) == hopkins_both(X, n_simulations=0, random_state=0).statistic
    assert "hopkins_both" in repr(scorer)


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
    pipe = Pipeline(
        [
            ("select", FunctionTransformer()),
            ("km", LloydKMeans(2, random_state=0)),
        ]
    )
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
    with pytest.raises(ValueError, match="precomputed"):
        vat_gap(np.zeros((5, 5)), metric="precomputed", n_simulations=9)
    with pytest.raises(ValueError, match="n_simulations"):
        vat_gap(_blobs(), n_simulations=True)
    with pytest.raises(ValueError, match="symmetric"):
        dip_test(np.triu(np.ones((5, 5)), 1), metric="precomputed")


def test_hopkins_both_is_the_weaker_evidence_and_ranks_the_embedding_study():
    # The embedding study: uniform data in [0, 1]^32 against 10 centres
    # with std 0.3 (k-means recovers them). The Gaussian null alone scores the
    # box as high as the clusters; the box null alone scores every Gaussian
    # cloud 1.0; the smaller of the two ranks them right.
    rng = np.random.RandomState(0)
    uniform = rng.uniform(0, 1, (1000, 32))
    centres = rng.uniform(0, 1, (10, 32))
    clusters = np.vstack([rng.normal(c, 0.3, (100, 32)) for c in centres])
    blob = rng.normal(size=(1000, 32))
    kw = dict(random_state=0, n_jobs=1)
    scores = {
        name: hopkins_both(Z, n_simulations=19, **kw)
        for name, Z in [("uniform", uniform), ("clusters", clusters), ("blob", blob)]
    }
    for name, Z in [("uniform", uniform), ("clusters", clusters)]:
        box = hopkins_test(Z, random_state=0)
        gauss = gaussian_hopkins_test(Z, n_simulations=19, **kw)
        assert scores[name].statistic == min(box.statistic, gauss.statistic)
        assert scores[name].pvalue == max(box.pvalue, gauss.pvalue)
    assert gaussian_hopkins_test(uniform, n_simulations=0, **kw).statistic > 0.6
    assert hopkins_test(blob, random_state=0).statistic > 0.99
    assert scores["uniform"].statistic < 0.45 < scores["clusters"].statistic
    assert scores["blob"].statistic < 0.6
    assert scores["clusters"].pvalue == pytest.approx(1 / 20)
    assert scores["uniform"].pvalue > 0.5 and scores["blob"].pvalue > 0.05


def _structureless(family, n, d, seed):
    rng = np.random.default_rng([seed, n, d, len(family)])
    if family == "cube":
        return rng.uniform(size=(n, d))
    if family == "ball":
        return _ball(rng, n, d)
    if family == "gaussian":
        return rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) + rng.normal(size=d)
    return rng.normal(size=(n, d)) / np.sqrt(rng.chisquare(3, size=(n, 1)) / 3)  # t, 3 dof


OWN_NULL = {"cube": "box", "ball": "ball", "gaussian": "gaussian", "t3": "t"}


def _calibration(family, n, ds, seeds, B=19, alpha=0.05):
    """Own-null p-values (jittered to be continuous) and verdicts, as bench_calibration.py.

    The verdict is computed lazily but exactly: when the own null's test does
    not reject, no other null can make it "clustered".
    """
    pvalues, clustered = [], []
    for d in ds:
        for seed in range(seeds):
            X = _structureless(family, n, d, seed)
            kw = dict(n_simulations=B, random_state=seed, n_jobs=1)
            p = rank_hopkins_test(X, null=OWN_NULL[family], **kw).pvalue
            # p - U / (B + 1) is exactly U(0, 1) when p is uniform on its grid.
            pvalues.append(p - np.random.RandomState(seed).uniform() / (B + 1))
            clustered.append(
                p <= alpha
                and all(
                    rank_hopkins_test(X, null=null, **kw).pvalue <= alpha
                    for null in ("box", "gaussian", "ball", "t")
                    if null != OWN_NULL[family]
                )
            )
    return np.array(pvalues), np.array(clustered)


@pytest.mark.parametrize("family", list(OWN_NULL))
def test_own_null_pvalues_uniform_and_verdict_calibrated(family):
    # Issue 18's acceptance in small: each null's simulated p-value is
    # uniform on its own null in 2-d and 32-d, and "clustered" is said at a
    # rate at most alpha (+ 3 Monte Carlo errors) on structureless data.
    p, clustered = _calibration(family, 100, (2, 32), 30)
    assert stats.kstest(p, "uniform").pvalue > 1e-3
    assert np.mean(clustered) <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / len(clustered))


@pytest.mark.slow
@pytest.mark.parametrize("family", list(OWN_NULL))
def test_own_null_pvalues_uniform_at_larger_n_and_d(family):
    p, clustered = _calibration(family, 1000, (64,), 40)
    assert stats.kstest(p, "uniform").pvalue > 1e-3
    assert np.mean(clustered) <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / len(clustered))


def test_beta_pvalue_in_32_d_fails_the_same_uniformity_test():
    # The deliberately wrong variant: Wright's statistic with its Beta(m, m)
    # p-value on uniform data in 32-d (measured KS p ~ 1e-7 at n = 100, with
    # 15 % below 0.05 and 40 % above 0.95), against the simulated p-value of
    # the same statistic, uniform on its grid.
    beta, simulated = [], []
    for seed in range(60):
        X = np.random.default_rng([seed, 100, 32]).uniform(size=(100, 32))
        beta.append(hopkins_test(X, pvalue="beta", random_state=seed).pvalue)
        p = hopkins_test(X, n_simulations=19, random_state=seed, n_jobs=1).pvalue
        simulated.append(p - np.random.RandomState(seed).uniform() / 20)
    assert stats.kstest(beta, "uniform").pvalue < 1e-4
    assert stats.kstest(simulated, "uniform").pvalue > 1e-3


def test_monte_carlo_is_reproducible_and_thread_independent():
    X = _blobs(1.0, d=3)
    one = rank_hopkins_test(X, null="t", n_simulations=19, random_state=3, n_jobs=1)
    two = rank_hopkins_test(X, null="t", n_simulations=19, random_state=3, n_jobs=2)
    assert one == two
    X0 = X.copy()
    cluster_tendency_test(X, n_simulations=9, random_state=0, n_jobs=1)
    np.testing.assert_array_equal(X, X0)


def test_cluster_tendency_test_is_the_intersection_union_test():
    X = np.random.RandomState(0).uniform(size=(300, 3))
    res = cluster_tendency_test(X, nulls=("box", "gaussian"), n_simulations=19, random_state=0, n_jobs=1)
    assert res.nulls == ("box", "gaussian")
    parts = [rank_hopkins_test(X, null=n, n_simulations=19, random_state=0, n_jobs=1) for n in res.nulls]
    assert res.pvalue == max(r.pvalue for r in parts)
    assert res.statistic == min(r.statistic for r in parts)
    statistic, pvalue = res
    assert (statistic, pvalue) == (res.statistic, res.pvalue)


def test_subsample_keeps_the_test_defined():
    # max_samples: the test runs on a random subsample; m is a fraction of it.
    X = np.random.RandomState(0).normal(size=(5000, 4))
    res = rank_hopkins_test(
        X, null="gaussian", max_samples=500, sample_size=0.2, n_simulations=9, random_state=0, n_jobs=1
    )
    assert res.sample_size == 100 and res.dimension == 4


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"null": "uniform"}, "null must be"),
        ({"max_samples": 2}, "max_samples"),
        ({"n_simulations": -1}, "n_simulations"),
    ],
)
def test_rank_hopkins_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        rank_hopkins_test(_blobs(), **kwargs)


def test_bad_input_of_the_verdict():
    with pytest.raises(ValueError, match="nulls"):
        cluster_tendency_test(_blobs(), nulls=("box", "cube"))
    with pytest.raises(ValueError, match="nulls"):
        cluster_tendency_test(_blobs(), nulls="box")
    with pytest.raises(ValueError, match="alpha"):
        assess_tendency(_blobs(), alpha=1.5)
    with pytest.raises(ValueError, match="pvalue"):
        hopkins_test(_blobs(), pvalue="exact")
