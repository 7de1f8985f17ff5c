"""
=======================================================
The clustering seminar: four algorithms, five data sets
=======================================================

The five data sets of the classic clustering seminar (n = 500,
``random_state=12345``, from
:func:`~sklearn_tendency.datasets.make_clustering_seminar`): three
well-separated classes ("merce"), five overlapping blobs, two moons, two
concentric circles and uniform noise ("uniform"). Each row shows the iVAT image of the data set next to what
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
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

from sklearn_tendency import IVAT, ClusteringAnimation, LloydKMeans, VATDisplay
from sklearn_tendency.datasets import make_clustering_seminar

seminar = make_clustering_seminar()
datasets = {name: data.data for name, data in seminar.items()}

# %%
# iVAT, then four clusterings
# ---------------------------
# k-means, agglomerative clustering (single linkage) and the mixture get the
# number of groups the data were generated with (3 for the uniform noise,
# which has none, as the seminar does); DBSCAN finds its own on standardized data and marks noise in
# gray. Each iVAT title gives the cluster-count estimate read from the image;
# with ``cluster_std=1.5`` some of the five blobs touch, and single linkage,
# hence the estimate, sees fewer groups than were generated.
n_groups = {name: data.n_clusters for name, data in seminar.items()} | {"uniform": 3}
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
