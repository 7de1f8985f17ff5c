"""scikit-learn's common estimator checks over every public estimator."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_tendency import IVAT, VAT

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


def _expected_failed_checks(estimator):
    return _TRANSDUCTIVE


@parametrize_with_checks(
    [VAT(), IVAT(), VAT(metric="manhattan"), IVAT(metric="cosine")],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
