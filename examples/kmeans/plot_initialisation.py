"""
======================================================
Random versus k-means++ initialisation, one run each
======================================================

Seven blobs in three dimensions, k-means with k = 7 and a single
initialisation (``n_init=1``), repeated with different seeds. With random
initial centres, Lloyd's algorithm often stops in a local minimum where two
blobs share a centre and another blob is split; k-means++ (Arthur &
Vassilvitskii, 2007) spreads the initial centres and usually starts below
where random initialisations end.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_blobs

from sklearn_tendency import LloydKMeans, ObjectiveHistoryDisplay

X, y = make_blobs(300, n_features=3, centers=7, cluster_std=0.5, random_state=0)

# %%
# Objective histories side by side
# --------------------------------
# Twenty seeds for each initialisation, all drawn on a log scale, the first
# seed in bold.
seeds = range(20)
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True, layout="constrained")
final = {}
for ax, init in zip(axes, ("random", "k-means++")):
    runs = [
        LloydKMeans(n_clusters=7, init=init, n_init=1, max_iter=100, random_state=seed).fit(X)
        for seed in seeds
    ]
    final[init] = np.array([km.inertia_ for km in runs])
    ObjectiveHistoryDisplay(
        runs[0].inertia_history_,
        inertia_histories=[km.inertia_history_ for km in runs],
    ).plot(ax=ax, log_scale=True)
    iters = np.mean([km.n_iter_ for km in runs])
    ax.set_title(f'init="{init}": {iters:.1f} iterations on average')
plt.show()

# %%
# Where the runs end
# ------------------
best = min(final["random"].min(), final["k-means++"].min())
for init, values in final.items():
    n_best = np.sum(np.isclose(values, best, rtol=1e-6))
    print(
        f"{init:>10}: final J from {values.min():.1f} to {values.max():.1f}, "
        f"{n_best} of {len(values)} runs reach the best J = {best:.1f}"
    )
