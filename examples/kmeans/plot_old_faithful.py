"""
====================================================
Old Faithful: k-means from the first iteration
====================================================

The classic k-means lesson on the Old Faithful geyser (272 eruptions:
duration and waiting time, in minutes). :class:`~sklearn_tendency.LloydKMeans`
records the objective J at every iteration (``inertia_history_``) and, with
``store_centers=True``, the centres themselves (``center_history_``), so the
lesson's pictures come from one fit each.
"""

# %%
# The data and its iVAT image
# ---------------------------
# Two groups: short eruptions after short waits, long ones after long waits.
# Waiting time (about 50-95 min) dwarfs duration (2-5 min), so on the raw
# data every distance, and every k-means decision, is about waiting time.
import matplotlib.pyplot as plt
from sklearn.preprocessing import StandardScaler

from sklearn_tendency import (
    ClusteringAnimation,
    LloydKMeans,
    ObjectiveHistoryDisplay,
    VATDisplay,
)
from sklearn_tendency.datasets import load_faithful

X = load_faithful().data
X_std = StandardScaler().fit_transform(X)

fig, axes = plt.subplots(1, 2, figsize=(9, 4.5), layout="constrained")
VATDisplay.from_data(X, ax=axes[0], title="iVAT, raw data")
VATDisplay.from_data(X_std, ax=axes[1], title="iVAT, standardized")
plt.show()

# %%
# J per iteration for k = 2, 3, 4, 6
# ----------------------------------
# Each panel draws the selected run in bold and the other initialisations
# faintly. J falls steeply in the first iterations and then flattens: most of
# the work is done in two or three steps. Standardizing changes the scale of
# J (variance units instead of squared minutes) and the iterations it takes.
ks = (2, 3, 4, 6)
fig, axes = plt.subplots(2, 4, figsize=(14, 6), layout="constrained")
models = {}
for row, (data, name) in enumerate(((X, "raw"), (X_std, "standardized"))):
    for ax, k in zip(axes[row], ks):
        km = LloydKMeans(n_clusters=k, init="random", n_init=5, random_state=0, store_centers=True).fit(data)
        models[name, k] = km
        ObjectiveHistoryDisplay.from_estimator(km, ax=ax)
        ax.set_title(f"{name}, k={k}: J={km.inertia_:.4g}, {km.n_iter_} iter.", fontsize=10)
plt.show()

# %%
# The published number: k = 2 on the raw data converges to J = 8901.77.
print(f"J for k = 2, raw data: {models['raw', 2].inertia_:.5f}")

# %%
# The centres' paths on the scatter plot
# --------------------------------------
# ``center_history_`` drawn on the data: each cross is a final centre, the
# line behind it the path it took from its random start. On the raw data the
# split for k = 2 is horizontal-ish in waiting time; standardized, the two
# features weigh equally.
fig, axes = plt.subplots(2, 4, figsize=(14, 6.5), layout="constrained")
for row, (data, name) in enumerate(((X, "raw"), (X_std, "standardized"))):
    for ax, k in zip(axes[row], ks):
        ClusteringAnimation.from_estimator(models[name, k], data, ax=ax, animate=False)
        ax.set_title(f"{name}, k = {k}")
        ax.set_xlabel("eruption (min)" if name == "raw" else "eruption (std)")
        ax.set_ylabel("waiting (min)" if name == "raw" else "waiting (std)")
plt.show()

# %%
# The iterations, one frame each
# ------------------------------
# The same history as an animation: frame t colours each eruption by its
# nearest centre at iteration t.
km = LloydKMeans(n_clusters=3, init="random", n_init=1, random_state=3, store_centers=True).fit(X_std)
animation = ClusteringAnimation.from_estimator(km, X_std, interval=700).animation_
plt.show()
