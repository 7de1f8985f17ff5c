"""
==================================================
Many clusters in embeddings: naming the VAT blocks
==================================================

Embeddings of real objects (words, images, users) often hold dozens of
groups. With that many, the iVAT image shows many blocks, and the question
becomes *which* block is which group. Here 60 groups in 16 dimensions are
modelled by a Gaussian mixture with 60 components; the labels bar beside the
iVAT image shows, in VAT order, which component each sample belongs to.
"""

# %%
# Data: 60 groups of different sizes
# ----------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture

from sklearn_tendency import IVAT, VATDisplay

rng = np.random.default_rng(0)
sizes = rng.integers(20, 80, size=60)
X, y = make_blobs(n_samples=sizes, n_features=16, cluster_std=1.0, center_box=(-15, 15), random_state=0)
print(f"{X.shape[0]} samples, {X.shape[1]} features, 60 groups")

# %%
# A Gaussian mixture with 60 components
# -------------------------------------
gmm = GaussianMixture(60, covariance_type="diag", n_init=2, random_state=0)
gmm_labels = gmm.fit_predict(X)
print(f"ARI of the mixture against the groups: {adjusted_rand_score(y, gmm_labels):.3f}")

# %%
# The iVAT image with the mixture's labels
# ----------------------------------------
# Each dark block carries one colour in the bar when a component matches a
# group; a block with two colours is a group the mixture split, two blocks
# with one colour are groups it merged. The image is downsampled to 600
# pixels per side (block means of the iVAT image, from the cut weights).
ivat = IVAT().fit(X)
fig, axes = plt.subplots(1, 2, figsize=(12, 6), layout="constrained")
VATDisplay.from_estimator(
    ivat, labels=gmm_labels, max_pixels=600, ax=axes[0], title="iVAT, Gaussian mixture labels"
)
VATDisplay.from_estimator(
    ivat,
    labels=y,
    max_pixels=600,
    show_clusters=True,
    ax=axes[1],
    title="iVAT, true groups and estimated blocks",
)
plt.show()

# %%
# How many blocks does the order itself suggest?
print(f"iVAT cluster-count estimate: {ivat.n_clusters_estimate_}")
