"""Sampled VAT (sVAT/siVAT sampling, clusiVAT label extension)."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from sklearn_tendency import IVAT, VAT, vat_order
from sklearn_tendency._svat import extend_labels, maximin_sample


def _blobs():
    # Ten well-separated clusters, one of them 1% of the data: uniform
    # sampling of 100 objects misses it a third of the time, maximin never.
    centres = np.array([[10 * i, 10 * (i % 3)] for i in range(10)], dtype=float)
    sizes = [20] + [220] * 9
    return make_blobs(n_samples=sizes, centers=centres, cluster_std=0.5, random_state=0)


def test_maximin_sample_keeps_every_cluster():
    X, y = _blobs()
    for seed in range(5):
        sample = maximin_sample(X, 100, n_distinguished=12, random_state=seed)
        assert set(y[sample]) == set(range(10))
        assert np.all(np.diff(sample) > 0)
        assert 100 <= len(sample) < 100 + 12


def test_maximin_sample_is_maximin():
    # With one object per group, the sample is exactly the maximin sequence.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    sample = maximin_sample(X, 5, n_distinguished=5, random_state=3)
    first = np.random.RandomState(3).randint(60)
    D = cdist(X, X)
    chosen = [first]
    for _ in range(4):
        chosen.append(int(np.argmax(D[chosen].min(axis=0))))
    # Each group contributes ceil(5 * size / 60) >= 1 objects: at least one per
    # distinguished object, and the groups are the Voronoi cells of `chosen`.
    cell = np.argmin(D[chosen], axis=0)
    assert set(cell[sample]) == set(range(5))


def test_extend_labels_by_nearest_sampled_object():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(300, 4))
    sample = np.sort(rng.choice(300, 40, replace=False))
    sample_labels = rng.randint(0, 3, size=40)
    labels = extend_labels(X, sample, sample_labels)
    expected = sample_labels[cdist(X, X[sample]).argmin(axis=1)]
    np.testing.assert_array_equal(labels, expected)
    D = cdist(X, X)
    np.testing.assert_array_equal(extend_labels(D, sample, sample_labels, metric="precomputed"), expected)


@pytest.mark.parametrize("Est", [VAT, IVAT])
def test_sampled_fit_orders_the_sample_and_labels_everything(Est):
    X, y = _blobs()
    est = Est(sample_size=150, random_state=0, n_clusters=10).fit(X)
    s = est.sample_indices_
    assert est.order_.shape == est.cut_weights_.shape == s.shape
    assert set(est.order_) == set(s)
    # The order is the exact VAT order of the sample.
    local_order, cuts = vat_order(X[s])
    np.testing.assert_array_equal(est.order_, s[local_order])
    np.testing.assert_array_equal(est.cut_weights_, cuts)
    assert est.labels_.shape == (X.shape[0],)
    assert adjusted_rand_score(y, est.labels_) == 1.0
    assert est.fit_transform(X).shape == (len(s), len(s))


def test_sampled_fit_is_reproducible_and_random_state_matters():
    X, _ = _blobs()
    a = VAT(sample_size=100, random_state=7).fit(X)
    b = VAT(sample_size=100, random_state=7).fit(X)
    c = VAT(sample_size=100, random_state=8).fit(X)
    np.testing.assert_array_equal(a.order_, b.order_)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    assert not np.array_equal(a.sample_indices_, c.sample_indices_)


def test_sample_size_at_least_n_is_exact_and_float_is_a_fraction():
    X, _ = _blobs()
    exact = VAT().fit(X)
    big = VAT(sample_size=len(X), random_state=0).fit(X)
    np.testing.assert_array_equal(big.order_, exact.order_)
    np.testing.assert_array_equal(big.sample_indices_, np.arange(len(X)))
    frac = VAT(sample_size=0.1, random_state=0).fit(X)
    assert 200 <= len(frac.sample_indices_) < 200 + 20


def test_precomputed_sampling_matches_features():
    X, _ = _blobs()
    X = X[:400]
    D = cdist(X, X)
    D0 = D.copy()
    a = VAT(sample_size=80, random_state=0).fit(X)
    b = VAT(metric="precomputed", sample_size=80, random_state=0).fit(D)
    np.testing.assert_array_equal(D, D0)  # the input is not modified
    np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)
    np.testing.assert_array_equal(a.order_, b.order_)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    assert b.fit_transform(D).shape == (len(b.sample_indices_),) * 2


def test_sampled_single_linkage_agrees_with_exact_on_separated_clusters():
    X, y = _blobs()
    exact = VAT(n_clusters=10).fit(X)
    for seed in range(3):
        sampled = VAT(n_clusters=10, sample_size=100, random_state=seed).fit(X)
        assert adjusted_rand_score(exact.labels_, sampled.labels_) == 1.0
