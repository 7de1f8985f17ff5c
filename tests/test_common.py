"""scikit-learn's common estimator checks over every public estimator."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_tendency import IVAT, VAT, LabelMatcher, LloydKMeans

# VAT is transductive: transform(X) returns the n x n image of the sample set X
# in X's own VAT order, so its rows depend on which other samples are in X.
_TRANSDUCTIVE = {
    "check_methods_subset_invariance": (
        "transform returns the n x n image of the whole sample set: a batch of "
        "samples has its own order and image"
    ),
    "check_methods_sample_order_invariance": (
        "transform returns the image in the VAT order of X, which does not "
        "follow the order in which the samples are given"
    ),
}


# The same expected failures scikit-learn 1.9 declares for its own KMeans (on
# dense and sparse data), and no other: k-means++ draws its seeds at random, so
# a weight of 2 and a repeated sample lead to different seeds and runs.
_KMEANS = {
    f"check_sample_weight_equivalence_on_{kind}_data": (
        "sample_weight is not equivalent to removing/repeating samples: the "
        "random initialisation sees different data (as for sklearn's KMeans)"
    )
    for kind in ("dense", "sparse")
}


# Sampled VAT orders and images only the sampled objects: the image has
# sample_size rows whatever the number of samples.
_SAMPLED = {
    **_TRANSDUCTIVE,
    "check_transformer_general": (
        "sampled VAT: the image covers the sample_size sampled objects, not every sample"
    ),
    "check_transformer_data_not_an_array": (
        "sampled VAT: the image covers the sample_size sampled objects, not every sample"
    ),
}


def _expected_failed_checks(estimator):
    if isinstance(estimator, VAT) and estimator.sample_size is not None:
        return _SAMPLED
    if isinstance(estimator, LloydKMeans):
        return _KMEANS
    if isinstance(estimator, LabelMatcher):
        return {}
    return _TRANSDUCTIVE


@parametrize_with_checks(
    [
        VAT(),
        IVAT(),
        VAT(metric="manhattan"),
        IVAT(metric="cosine"),
        IVAT(sample_size=10, random_state=0),
        # The settings scikit-learn's common checks give its KMeans.
        LloydKMeans(n_clusters=2, max_iter=5, n_init=2),
        LloydKMeans(n_clusters=2, max_iter=5, n_init=2, bounds="hamerly"),
        LabelMatcher(LloydKMeans(n_clusters=3, random_state=0)),
    ],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
