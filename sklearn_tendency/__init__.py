"""sklearn-tendency: are there clusters here, or a continuum?

Cluster tendency for scikit-learn: VAT and iVAT images and orders, the Hopkins
test, and tools that show how a clustering got where it did.
"""

from ._cut_weights import estimate_n_clusters, ivat_from_cut_weights
from ._display import ClusteringAnimation, MatchedConfusionMatrixDisplay, ObjectiveHistoryDisplay, VATDisplay
from ._image import block_edges, downsampled_ivat_image, downsampled_vat_image
from ._kmeans import LloydKMeans
from ._kselection import KSelectionDisplay, SilhouetteDisplay, knee_point
from ._matching import LabelMatcher, match_labels
from ._ordering import vat_order
from ._scoring import TendencyReport, assess_tendency, make_tendency_scorer
from ._tendency import (
    ClusterTendencyResult,
    HopkinsResult,
    TendencyResult,
    cluster_tendency_test,
    dip_test,
    gaussian_hopkins_test,
    hopkins,
    hopkins_both,
    hopkins_test,
    rank_hopkins_test,
    vat_gap,
)
from ._vat import IVAT, VAT
from ._vat_functions import ivat, vat
from ._version import __version__ as __version__

__all__ = [
    "ClusterTendencyResult",
    "ClusteringAnimation",
    "MatchedConfusionMatrixDisplay",
    "ObjectiveHistoryDisplay",
    "VATDisplay",
    "HopkinsResult",
    "KSelectionDisplay",
    "SilhouetteDisplay",
    "IVAT",
    "LabelMatcher",
    "LloydKMeans",
    "TendencyReport",
    "TendencyResult",
    "VAT",
    "assess_tendency",
    "block_edges",
    "cluster_tendency_test",
    "dip_test",
    "downsampled_ivat_image",
    "downsampled_vat_image",
    "estimate_n_clusters",
    "gaussian_hopkins_test",
    "rank_hopkins_test",
    "hopkins",
    "hopkins_both",
    "hopkins_test",
    "ivat",
    "ivat_from_cut_weights",
    "knee_point",
    "make_tendency_scorer",
    "match_labels",
    "vat",
    "vat_gap",
    "vat_order",
]
