"""
=======================================================
The clustering seminar: four algorithms, five data sets
=======================================================

The five data sets of the classic clustering seminar (n = 500,
``random_state=12345``): three well-separated classes ("merce"), five
overlapping blobs, two moons, two concentric circles and uniform noise
("none"). Each row shows the iVAT image of the data set next to what
k-means, agglomerative clustering, DBSCAN and a Gaussian mixture make of it.
The iVAT image says beforehand what to expect: dark blocks for the blobs and
classes, two blocks for moons and circles (shapes k-means cannot follow), no
block for the noise, which every algorithm nevertheless cuts into pieces.
"""

# %%
# The data sets
# -------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.cluster import DBSCAN, AgglomerativeClustering
from sklearn.datasets import make_blobs, make_circles, make_classification, make_moons
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

from sklearn_tendency import IVAT, ClusteringAnimation, LloydKMeans, VATDisplay

seed = 12345
datasets = {
    "merce": make_classification(
        n_samples=500,
        n_features=2,
        n_redundant=0,
        n_informative=2,
        n_clusters_per_class=1,
        n_classes=3,
        class_sep=2,
        random_state=seed,
    )[0],
    "blobs": make_blobs(500, n_features=2, centers=5, cluster_std=1.5, random_state=seed)[0],
    "moons": make_moons(500, noise=0.1, random_state=seed)[0],
    "circles": make_circles(500, factor=0.1, noise=0.1, random_state=seed)[0],
    "none": np.random.RandomState(seed).rand(500, 2),
}

# %%
# iVAT, then four clusterings
# ---------------------------
# k-means, agglomerative clustering (single linkage) and the mixture get the
# number of groups the data were generated with (3 for "none", as the
# seminar does); DBSCAN finds its own on standardized data and marks noise in
# gray. Each iVAT title gives the cluster-count estimate read from the image;
# with ``cluster_std=1.5`` some of the five blobs touch, and single linkage,
# hence the estimate, sees fewer groups than were generated.
n_groups = {"merce": 3, "blobs": 5, "moons": 2, "circles": 2, "none": 3}
fig, axes = plt.subplots(5, 5, figsize=(15, 15), layout="constrained")
for row, (name, X) in zip(axes, datasets.items()):
    ivat = IVAT().fit(X)
    k = n_groups[name]
    VATDisplay.from_estimator(ivat, ax=row[0], title=f"{name}: iVAT, estimate {ivat.n_clusters_estimate_}")
    X_std = StandardScaler().fit_transform(X)
    results = {
        f"LloydKMeans(k={k})": LloydKMeans(n_clusters=k, random_state=0).fit_predict(X),
        "Agglomerative (single)": AgglomerativeClustering(k, linkage="single").fit_predict(X),
        "DBSCAN(eps=0.3)": DBSCAN(eps=0.3).fit_predict(X_std),
        f"GaussianMixture({k})": GaussianMixture(k, random_state=0).fit_predict(X),
    }
    for ax, (title, labels) in zip(row[1:], results.items()):
        colors = np.where(
            labels[:, None] < 0, [[0.7, 0.7, 0.7, 1.0]], plt.cm.tab10(np.maximum(labels, 0) % 10)
        )
        ax.scatter(X[:, 0], X[:, 1], c=colors, s=6)
        ax.set_title(title, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
plt.show()

# %%
# The seminar's k-means animation, without refitting
# --------------------------------------------------
# The seminar refits k-means nine times with ``max_iter = 1 .. 9`` from fixed
# initial centres to draw the iterations on "blobs". One fit with
# ``store_centers=True`` records them all.
init = np.array([[2, 2], [1, 1], [3, 3], [4, 4], [5, 5]], dtype=float)
km = LloydKMeans(n_clusters=5, init=init, n_init=1, max_iter=9, store_centers=True).fit(datasets["blobs"])
animation = ClusteringAnimation.from_estimator(km, datasets["blobs"], interval=700).animation_
print(f"{km.n_iter_} iterations, J from {km.inertia_history_[0]:.0f} to {km.inertia_history_[-1]:.0f}")
plt.show()
