"""The gap statistic (Tibshirani, Walther & Hastie, 2001), shared by the VAT
cluster-count estimate and the k-selection display.

One implementation of the reference data, of the gap and its standard error,
and of the rule that picks k; each caller brings its own clustering procedure
(contiguous blocks of the VAT order, or k-means), which must be run on the
data and on every reference data set alike.
"""

import numpy as np


def uniform_references(X, n_references, random_state, max_samples=None):
    """Reference data sets: uniform in the box of the principal components.

    Tibshirani et al.'s reference (b): rotate the centred data onto its
    principal axes and draw uniformly in the bounding box there, so the null
    follows the shape of the data and not the accident of its coordinates.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Dense data.
    n_references : int
        Number of reference data sets B.
    random_state : RandomState instance
        Source of the uniform draws.
    max_samples : int, default=None
        Size of each reference set; ``None`` means ``n_samples``.

    Yields
    ------
    reference : ndarray of shape (min(n_samples, max_samples), n_features)
        In principal-axes coordinates: the procedures the gap is computed
        with (Euclidean k-means, the VAT order) are invariant to the rotation.

    Notes
    -----
    Time O(n d^2) for the rotation, then O(B m d) for m samples per set;
    memory O(n d) (the rotated data) plus one reference set at a time.
    """
    Xc = X - X.mean(axis=0)
    # The principal axes from the d x d scatter matrix: O(n d^2 + d^3), where
    # an SVD of the n x d data costs O(n d^2) with a larger constant.
    _, axes = np.linalg.eigh(Xc.T @ Xc)
    Z = Xc @ axes
    low, high = Z.min(axis=0), Z.max(axis=0)
    m = X.shape[0] if max_samples is None else min(X.shape[0], int(max_samples))
    for _ in range(n_references):
        yield random_state.uniform(low, high, size=(m, Z.shape[1]))


def gap_values(log_w, reference_log_w):
    """Gap and its standard error per k.

    Parameters
    ----------
    log_w : ndarray of shape (n_k,)
        log W_k of the data, W_k the pooled within-cluster sum of squares.
    reference_log_w : ndarray of shape (B, n_k)
        log W_k of each reference set, from the same procedure.

    Returns
    -------
    gap : ndarray of shape (n_k,)
        ``mean_b(log W*_kb) - log W_k``.
    se : ndarray of shape (n_k,)
        ``s_k = sd_k * sqrt(1 + 1/B)``, the simulation error of the
        reference mean (Tibshirani et al., 2001, step 3), sd_k the standard
        deviation over the B references (1/B normalisation, as the paper).
    """
    reference_log_w = np.asarray(reference_log_w, dtype=np.float64)
    n_references = reference_log_w.shape[0]
    gap = reference_log_w.mean(axis=0) - np.asarray(log_w, dtype=np.float64)
    se = reference_log_w.std(axis=0) * np.sqrt(1.0 + 1.0 / n_references)
    return gap, se


def gap_rule(gap, se):
    """Tibshirani et al.'s choice: the smallest k with Gap(k) >= Gap(k+1) - s_(k+1).

    Parameters
    ----------
    gap, se : ndarray of shape (n_k,)
        Gap and standard error for k = 1, 2, ... (or any consecutive range;
        the result is then a position in it).

    Returns
    -------
    index : int
        Position in ``gap`` of the chosen k (0 for the first k); the last
        position when no k satisfies the rule.
    """
    for i in range(gap.shape[0] - 1):
        if gap[i] >= gap[i + 1] - se[i + 1]:
            return i
    return gap.shape[0] - 1
