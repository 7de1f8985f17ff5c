"""sklearn-tendency: are there clusters here, or a continuum?

Cluster tendency for scikit-learn: VAT and iVAT images and orders, the Hopkins
test, and tools that show how a clustering got where it did.
"""

from .kmeans import LloydKMeans
from .matching import LabelMatcher, match_labels
from .tendency import HopkinsResult, hopkins, hopkins_test
from .vat import IVAT, VAT, estimate_n_clusters, ivat, ivat_from_cut_weights, vat, vat_order

__version__ = "0.1.0.dev0"

__all__ = [
    "HopkinsResult",
    "IVAT",
    "LabelMatcher",
    "LloydKMeans",
    "VAT",
    "estimate_n_clusters",
    "hopkins",
    "hopkins_test",
    "ivat",
    "ivat_from_cut_weights",
    "match_labels",
    "vat",
    "vat_order",
]
