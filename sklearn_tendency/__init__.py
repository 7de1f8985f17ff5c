"""sklearn-tendency: are there clusters here, or a continuum?

Cluster tendency for scikit-learn: VAT and iVAT images and orders, the Hopkins
test, and tools that show how a clustering got where it did.
"""

from .display import ClusteringAnimation, MatchedConfusionMatrixDisplay, ObjectiveHistoryDisplay, VATDisplay
from .tendency import HopkinsResult, hopkins, hopkins_test
from .vat import IVAT, VAT, estimate_n_clusters, ivat, ivat_from_cut_weights, vat, vat_order

__version__ = "0.1.0.dev0"

__all__ = [
    "ClusteringAnimation",
    "MatchedConfusionMatrixDisplay",
    "ObjectiveHistoryDisplay",
    "VATDisplay",
    "HopkinsResult",
    "IVAT",
    "VAT",
    "estimate_n_clusters",
    "hopkins",
    "hopkins_test",
    "ivat",
    "ivat_from_cut_weights",
    "vat",
    "vat_order",
]
