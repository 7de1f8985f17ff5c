"""Every compiled kernel entry rejects mismatched shapes with a ValueError.

The kernels run without bounds checks, so a shape they are not given right
would read or write out of bounds; each entry checks before touching memory.
"""

import numpy as np
import pytest
from scipy import sparse

from sklearn_tendency import _k_means_lloyd, _k_means_lloyd_sparse, _vat_image, _vat_prim, _vat_tree

intp = np.intp


def _lloyd_args(n=6, d=3, k=2):
    X = np.arange(n * d, dtype=np.float64).reshape(n, d)
    return X, np.ones(n), X[:k].copy()


def _csr(n=6, d=3):
    X = sparse.csr_matrix(np.arange(n * d, dtype=np.float64).reshape(n, d))
    return X.data, X.indices, X.indptr


def _prim_features_args(n=5, d=2):
    X = np.arange(n * d, dtype=np.float64).reshape(n, d)
    return dict(
        X=X,
        start=0,
        metric=0,
        order=np.empty(n, intp),
        cut_weights=np.empty(n),
        attached_to=np.empty(n, intp),
        n_threads=1,
    )


def _tree_args(n=4):
    u = np.array([0, 1, 2], dtype=intp)
    v = np.array([1, 2, 3], dtype=intp)
    return dict(u=u, v=v, w=np.ones(3), start=0, order=np.empty(n, intp), cut_weights=np.empty(n))


CASES = {
    # sparse k-means: the CSR arrays, sample_weight (n,), centres (k, d)
    "lloyd_sparse sample_weight": lambda: _k_means_lloyd.lloyd(
        _csr(), np.ones(5), np.zeros((2, 3)), 0.0, 3, 0.0, 1
    ),
    "lloyd_sparse no centres": lambda: _k_means_lloyd.lloyd(
        _csr(), np.ones(6), np.zeros((0, 3)), 0.0, 3, 0.0, 1
    ),
    "lloyd_sparse centres d": lambda: _k_means_lloyd.lloyd(
        _csr(), np.ones(6), np.zeros((2, 2)), 0.0, 3, 0.0, 1
    ),
    "lloyd_sparse indptr": lambda: _k_means_lloyd.lloyd(
        (_csr()[0], _csr()[1], _csr()[2][:-1]), np.ones(6), np.zeros((2, 3)), 0.0, 3, 0.0, 1
    ),
    "lloyd_sparse indices": lambda: _k_means_lloyd.lloyd(
        (_csr()[0], _csr()[1][::-1] * 2, _csr()[2]), np.ones(6), np.zeros((2, 3)), 0.0, 3, 0.0, 1
    ),
    "assign_sparse sample_weight": lambda: _k_means_lloyd_sparse.assign_sparse(
        *_csr(), np.ones(7), np.zeros((2, 3)), 1
    ),
    "assign_sparse no centres": lambda: _k_means_lloyd_sparse.assign_sparse(
        *_csr(), np.ones(6), np.zeros((0, 3)), 1
    ),
    "weighted_sq_norms_sum_sparse sample_weight": (
        lambda: _k_means_lloyd_sparse.weighted_sq_norms_sum_sparse(_csr()[0], _csr()[2], np.ones(5))
    ),
    "weighted_sq_norms_sum_sparse indptr": (
        lambda: _k_means_lloyd_sparse.weighted_sq_norms_sum_sparse(_csr()[0][:-2], _csr()[2], np.ones(6))
    ),
    # k-means: sample_weight (n,), centres (k, d), out (n, d), X_mean (d,)
    "lloyd sample_weight": lambda: _k_means_lloyd.lloyd(
        _lloyd_args()[0], np.ones(5), _lloyd_args()[2], 0.0, 3, 0.0, 1
    ),
    "lloyd centres d": lambda: _k_means_lloyd.lloyd(
        _lloyd_args()[0], np.ones(6), np.zeros((2, 4)), 0.0, 3, 0.0, 1
    ),
    "lloyd no centres": lambda: _k_means_lloyd.lloyd(
        _lloyd_args()[0], np.ones(6), np.zeros((0, 3)), 0.0, 3, 0.0, 1
    ),
    "assign sample_weight": lambda: _k_means_lloyd.assign(_lloyd_args()[0], np.ones(7), _lloyd_args()[2], 1),
    "assign centres d": lambda: _k_means_lloyd.assign(_lloyd_args()[0], np.ones(6), np.zeros((2, 2)), 1),
    "weighted_sq_norms_sum": lambda: _k_means_lloyd.weighted_sq_norms_sum(_lloyd_args()[0], np.ones(5), 1),
    "centre X_mean": lambda: _k_means_lloyd.centre(
        _lloyd_args()[0], np.zeros(2), np.ones(6), np.empty((6, 3)), 1
    ),
    "centre out": lambda: _k_means_lloyd.centre(
        _lloyd_args()[0], np.zeros(3), np.ones(6), np.empty((5, 3)), 1
    ),
    "centre sample_weight": lambda: _k_means_lloyd.centre(
        _lloyd_args()[0], np.zeros(3), np.ones(4), np.empty((6, 3)), 1
    ),
    # Prim's kernels: out arrays of length n, start in range, valid metric code
    "farthest_pair_start metric": lambda: _vat_prim.farthest_pair_start(np.zeros((4, 2)), 7, 1),
    "prim_features order": lambda: _vat_prim.prim_features(
        **{**_prim_features_args(), "order": np.empty(4, intp)}
    ),
    "prim_features cut_weights": lambda: _vat_prim.prim_features(
        **{**_prim_features_args(), "cut_weights": np.empty(6)}
    ),
    "prim_features attached_to": lambda: _vat_prim.prim_features(
        **{**_prim_features_args(), "attached_to": np.empty(3, intp)}
    ),
    "prim_features start": lambda: _vat_prim.prim_features(**{**_prim_features_args(), "start": 5}),
    "prim_features metric": lambda: _vat_prim.prim_features(**{**_prim_features_args(), "metric": -1}),
    "prim_features shadow": lambda: _vat_prim.prim_features(
        **_prim_features_args(), shadow=np.zeros((4, 2), np.float32), eps=np.zeros(5)
    ),
    "prim_features eps": lambda: _vat_prim.prim_features(
        **_prim_features_args(), shadow=np.zeros((5, 2), np.float32), eps=np.zeros(4)
    ),
    "prim_features no eps": lambda: _vat_prim.prim_features(
        **_prim_features_args(), shadow=np.zeros((5, 2), np.float32)
    ),
    "prim_precomputed not square": lambda: _vat_prim.prim_precomputed(
        np.zeros((4, 3)), 0, np.empty(4, intp), np.empty(4)
    ),
    "prim_precomputed order": lambda: _vat_prim.prim_precomputed(
        np.zeros((4, 4)), 0, np.empty(3, intp), np.empty(4)
    ),
    "prim_precomputed cut_weights": lambda: _vat_prim.prim_precomputed(
        np.zeros((4, 4)), 0, np.empty(4, intp), np.empty(5)
    ),
    "prim_precomputed start": lambda: _vat_prim.prim_precomputed(
        np.zeros((4, 4)), 4, np.empty(4, intp), np.empty(4)
    ),
    # tree kernels: edge arrays of one length, indices in range
    "edge_weights v": lambda: _vat_tree.edge_weights(
        np.zeros((4, 2)), np.array([0, 1], intp), np.array([1], intp), 0, np.empty(2)
    ),
    "edge_weights out": lambda: _vat_tree.edge_weights(
        np.zeros((4, 2)), np.array([0, 1], intp), np.array([1, 2], intp), 0, np.empty(3)
    ),
    "edge_weights index": lambda: _vat_tree.edge_weights(
        np.zeros((4, 2)), np.array([0, 4], intp), np.array([1, 2], intp), 0, np.empty(2)
    ),
    "edge_weights metric": lambda: _vat_tree.edge_weights(
        np.zeros((4, 2)), np.array([0, 1], intp), np.array([1, 2], intp), 3, np.empty(2)
    ),
    "prim_on_tree v": lambda: _vat_tree.prim_on_tree(**{**_tree_args(), "v": np.array([1, 2], intp)}),
    "prim_on_tree w": lambda: _vat_tree.prim_on_tree(**{**_tree_args(), "w": np.ones(4)}),
    "prim_on_tree cut_weights": lambda: _vat_tree.prim_on_tree(
        **{**_tree_args(), "cut_weights": np.empty(3)}
    ),
    "prim_on_tree start": lambda: _vat_tree.prim_on_tree(**{**_tree_args(), "start": -1}),
    "prim_on_tree index": lambda: _vat_tree.prim_on_tree(**{**_tree_args(), "u": np.array([0, 1, 9], intp)}),
    # image kernels: out (m, m) or (n, n), edges 0 .. n strictly increasing
    "ivat_block_image out": lambda: _vat_image.ivat_block_image(
        np.ones(6), np.array([0, 3, 6], intp), 0, np.empty((3, 3)), 1
    ),
    "ivat_block_image edges end": lambda: _vat_image.ivat_block_image(
        np.ones(6), np.array([0, 3, 7], intp), 0, np.empty((2, 2)), 1
    ),
    "ivat_block_image empty block": lambda: _vat_image.ivat_block_image(
        np.ones(6), np.array([0, 3, 3, 6], intp), 2, np.empty((3, 3)), 1
    ),
    "ivat_block_image reduce": lambda: _vat_image.ivat_block_image(
        np.ones(6), np.array([0, 3, 6], intp), 5, np.empty((2, 2)), 1
    ),
    "euclidean_image R": lambda: _vat_image.euclidean_image(
        np.zeros((4, 2)), np.zeros((3, 2)), np.zeros(4), np.zeros(4), np.empty((4, 4)), False, 1
    ),
    "euclidean_image sq_norms": lambda: _vat_image.euclidean_image(
        np.zeros((4, 2)), np.zeros((4, 2)), np.zeros(3), np.zeros(4), np.empty((4, 4)), False, 1
    ),
    "euclidean_image sq_cut_weights": lambda: _vat_image.euclidean_image(
        np.zeros((4, 2)), np.zeros((4, 2)), np.zeros(4), np.zeros(5), np.empty((4, 4)), False, 1
    ),
    "euclidean_image out": lambda: _vat_image.euclidean_image(
        np.zeros((4, 2)), np.zeros((4, 2)), np.zeros(4), np.zeros(4), np.empty((4, 3)), False, 1
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_kernel_rejects_mismatched_shapes(case):
    with pytest.raises(ValueError):
        CASES[case]()


def test_kernel_shape_checks_accept_matching_shapes():
    # The same calls with matching shapes run (the checks are not always-raise).
    X, w, c = _lloyd_args()
    assert _k_means_lloyd.lloyd(X, w, c, 0.0, 3, 0.0, 1)[3] >= 1
    _k_means_lloyd.assign(X, w, c, 1)
    _k_means_lloyd.centre(X, X.mean(axis=0), w, np.empty_like(X), 1)
    assert _k_means_lloyd.lloyd(_csr(), w, c, 0.0, 3, 0.0, 1)[3] >= 1
    _k_means_lloyd_sparse.assign_sparse(*_csr(), w, c, 1)
    _k_means_lloyd_sparse.weighted_sq_norms_sum_sparse(_csr()[0], _csr()[2], w)
    _vat_prim.prim_features(**_prim_features_args())
    _vat_prim.prim_precomputed(np.zeros((4, 4)), 0, np.empty(4, intp), np.empty(4))
    _vat_tree.edge_weights(np.zeros((4, 2)), np.array([0, 1], intp), np.array([1, 2], intp), 0, np.empty(2))
    assert _vat_tree.prim_on_tree(**_tree_args()) == 4
    _vat_image.ivat_block_image(np.ones(6), np.array([0, 3, 6], intp), 2, np.empty((2, 2)), 1)
    _vat_image.euclidean_image(
        np.zeros((4, 2)), np.zeros((4, 2)), np.zeros(4), np.zeros(4), np.empty((4, 4)), False, 1
    )
