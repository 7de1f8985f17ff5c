"""
=====================================================
Which k? Old Faithful and the digits
=====================================================

The question every k-means lesson ends with. :class:`~sklearn_tendency.KSelectionDisplay`
fits :class:`~sklearn_tendency.LloydKMeans` over a range of k and draws the
criteria people read k from, side by side: the objective J (its elbow, the knee
found by Kneedle), the silhouette, Calinski-Harabasz and Davies-Bouldin scores,
the gap statistic with its standard error, the fit time, and J at every
iteration of each fit. :class:`~sklearn_tendency.SilhouetteDisplay` then shows
the chosen clustering sample by sample.
"""

# %%
# Old Faithful, k = 2..6
# ----------------------
# Standardized first: on the raw data, waiting time (minutes) outweighs
# duration, and every criterion would be about waiting time alone.
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler

from sklearn_tendency import KSelectionDisplay, LloydKMeans, SilhouetteDisplay
from sklearn_tendency.datasets import load_faithful

X = StandardScaler().fit_transform(load_faithful().data)
faithful = KSelectionDisplay.from_data(X, n_clusters=range(2, 7), n_init=5, random_state=0)
plt.show()

# %%
# Every number is an attribute: the preferred k of each criterion, and the
# scores themselves.
print(faithful.best_n_clusters_)
for name, scores in faithful.scores_.items():
    if name != "fit_time":
        print(f"{name:>18}: {scores.round(3).tolist()}")

# %%
# Silhouette, Calinski-Harabasz, Davies-Bouldin and the gap agree on k = 2,
# the two kinds of eruption. The knee of J is at 3: over k = 2..6 the curve
# does not show its steepest drop (from k = 1 to 2), so Kneedle finds the
# bend after it; an elbow is only as good as the range it is read on. The
# knife plot of k = 2 next to k = 3: at k = 3 one of the two groups is cut in
# half, and the samples along the cut have silhouettes near 0.
fig, axes = plt.subplots(1, 2, figsize=(9, 4), layout="constrained")
for ax, k in zip(axes, (2, 3)):
    km = LloydKMeans(k, n_init=5, random_state=0).fit(X)
    SilhouetteDisplay.from_estimator(km, X, ax=ax)
plt.show()

# %%
# Digits, k = 5..15
# -----------------
# Ten classes in 64 dimensions, some of them (1, 8, 9) spread over several
# writing styles. The criteria disagree here, which is the honest answer: no
# single k is clearly best, and the scores say which k are plausible.
digits = load_digits().data
digits_k = KSelectionDisplay.from_data(digits, n_clusters=range(5, 16), random_state=0)
plt.show()

# %%
# Calinski-Harabasz says 7, the elbow, the silhouette and Davies-Bouldin say 9,
# and the gap rises up to k = 15: Tibshirani's rule finds no k in this range,
# so its entry is None and its panel marks none.
print(digits_k.best_n_clusters_)
