"""
==========================================================
Digits: from cluster ids to digits, and a grid search
==========================================================

k-means with 10 clusters on the 8 x 8 images of handwritten digits
(1797 samples, 64 features). The clusters come numbered arbitrarily; to read
them as digits they must be matched to the classes. This example compares
the two matchings (Hungarian, one cluster per class; majority, each cluster
to its most frequent class), draws the matched confusion matrix with
scikit-learn's ``ConfusionMatrixDisplay``, and tunes the number of clusters
with ``GridSearchCV`` over a ``LabelMatcher``.
"""

# %%
# Clusters and the contingency matrix
# -----------------------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import ConfusionMatrixDisplay, accuracy_score
from sklearn.metrics.cluster import contingency_matrix
from sklearn.model_selection import GridSearchCV

from sklearn_tendency import (
    LabelMatcher,
    LloydKMeans,
    MatchedConfusionMatrixDisplay,
    match_labels,
)

X, y = load_digits(return_X_y=True)
km = LloydKMeans(n_clusters=10, n_init=10, random_state=12345)
clusters = km.fit_predict(X)

# Rows are digits, columns cluster ids: before matching, the large counts are
# scattered off the diagonal.
fig, ax = plt.subplots(figsize=(6, 5), layout="constrained")
ConfusionMatrixDisplay(contingency_matrix(y, clusters)).plot(ax=ax, colorbar=False)
ax.set(title="Before matching", xlabel="cluster id", ylabel="digit")
plt.show()

# %%
# Hungarian versus majority matching
# ----------------------------------
hungarian = match_labels(y, clusters, method="hungarian")
majority = match_labels(y, clusters, method="majority")
print(f"accuracy after Hungarian matching: {accuracy_score(y, hungarian):.3f}")
print(f"accuracy after majority matching:  {accuracy_score(y, majority):.3f}")
print(f"digits no cluster is mapped to by majority: {sorted(set(np.unique(y)) - set(np.unique(majority)))}")

# %%
# The matched confusion matrix
# ----------------------------
# scikit-learn draws it; the matcher only maps the cluster ids. What remains
# off the diagonal are the digits k-means confuses.
matcher = LabelMatcher(LloydKMeans(n_clusters=10, n_init=10, random_state=12345))
matcher.fit(X, y)
fig, ax = plt.subplots(figsize=(6, 5), layout="constrained")
MatchedConfusionMatrixDisplay.from_matcher(matcher, X, y, ax=ax, colorbar=False)
ax.set(title="After Hungarian matching", ylabel="digit")
plt.show()

# %%
# Tuning the number of clusters against matched accuracy
# ------------------------------------------------------
# A ``LabelMatcher`` is a classifier: ``GridSearchCV`` fits the clusterer on
# each training fold, learns the mapping there, and scores the mapped
# predictions on the held-out fold.
search = GridSearchCV(
    LabelMatcher(LloydKMeans(n_init=4, random_state=0)),
    {"estimator__n_clusters": [8, 10, 12, 16]},
    cv=3,
)
search.fit(X, y)
for k, score in zip(search.cv_results_["param_estimator__n_clusters"], search.cv_results_["mean_test_score"]):
    print(f"n_clusters = {k:2d}: matched accuracy {score:.3f}")
print(f"best: {search.best_params_}")

# %%
# More clusters than digits score better: a digit written in two styles gets
# two clusters, and the matcher maps the clusters the one-to-one match leaves
# over as the ``LabelMatcher`` documents, so the search trades a few extra
# clusters for a cleaner mapping.
