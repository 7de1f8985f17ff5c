"""Dark blocks of the VAT image: contiguous blocks of the VAT order with a
small within-block sum of squares, counted by the gap statistic.

Single linkage (the cut weights) sees a cluster only when a gap separates it
from everything else; a chain of close samples between two clusters hides it.
The VAT order still visits such clusters one after the other (Prim's algorithm
finishes a dense region before it crosses a sparse one), so they remain dark
diagonal blocks of the VAT image. This module finds those blocks: it splits
the order into contiguous blocks that minimise the within-block sum of
squares, and the gap statistic says how many of them stand out against
uniform data.
"""

from bisect import insort

import numpy as np

from ._gap import gap_rule, gap_values, uniform_references


class _PrefixSums:
    """Within-block sums of squares of contiguous blocks of rows, each in O(d).

    For rows a..b-1 of ``Xo``, SSE = sum ||x||^2 - ||sum x||^2 / (b - a). The
    data are centred first: the cancellation in that difference grows with
    ||mean||^2 / variance.
    """

    def __init__(self, Xo):
        Xo = Xo - Xo.mean(axis=0)
        n, d = Xo.shape
        self.s1 = np.zeros((n + 1, d))
        np.cumsum(Xo, axis=0, out=self.s1[1:])
        self.s2 = np.zeros(n + 1)
        np.cumsum(np.einsum("ij,ij->i", Xo, Xo), out=self.s2[1:])

    def sse(self, a, b):
        s = self.s1[b] - self.s1[a]
        return max(self.s2[b] - self.s2[a] - (s @ s) / (b - a), 0.0)

    def best_split(self, a, b, m):
        """(decrease of the SSE, position) of the best split of [a, b) into two
        blocks of at least m rows, or None if there is none."""
        if b - a < 2 * m:
            return None
        p = np.arange(a + m, b - m + 1)
        left = self.s1[p] - self.s1[a]
        right = self.s1[b] - self.s1[p]
        total = self.s1[b] - self.s1[a]
        decrease = (
            np.einsum("ij,ij->i", left, left) / (p - a)
            + np.einsum("ij,ij->i", right, right) / (b - p)
            - (total @ total) / (b - a)
        )
        i = int(np.argmax(decrease))
        return float(decrease[i]), int(p[i])


def block_bisection(X, order, max_blocks, min_block_size):
    """Nested partitions of the VAT order into contiguous blocks.

    Starting from one block, each step splits the block whose best split into
    two contiguous blocks of at least ``min_block_size`` samples lowers the
    within-block sum of squares W most (greedy binary segmentation).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Dense data.
    order : ndarray of shape (n_samples,)
        VAT order of X.
    max_blocks : int
        Largest number of blocks.
    min_block_size : int
        Smallest block.

    Returns
    -------
    edges : list of ndarray
        ``edges[k - 1]`` are the block boundaries (positions in the order,
        0 first and n last) of the partition into k blocks; fewer than
        ``max_blocks`` entries when no block can be split further.
    log_w : ndarray of shape (len(edges),)
        log W of each partition.

    Notes
    -----
    Time O(max_blocks n d), memory O(n d) (prefix sums of the ordered data).
    """
    sums = _PrefixSums(np.asarray(X, dtype=np.float64)[order])
    n = order.shape[0]
    splits = {(0, n): sums.best_split(0, n, min_block_size)}
    sse = {(0, n): sums.sse(0, n)}
    current = [0, n]
    edges = [np.array(current)]
    w = [sse[0, n]]
    while len(splits) < max_blocks:
        candidates = [(s[0], ab) for ab, s in splits.items() if s is not None]
        if not candidates:
            break
        _, (a, b) = max(candidates)
        p = splits.pop((a, b))[1]
        del sse[a, b]
        for block in ((a, p), (p, b)):
            splits[block] = sums.best_split(*block, min_block_size)
            sse[block] = sums.sse(*block)
        insort(current, p)
        edges.append(np.array(current))
        w.append(sum(sse.values()))
    # W = 0 only for duplicated points; the floor keeps the logarithm finite.
    return edges, np.log(np.maximum(w, np.finfo(np.float64).tiny))


def gap_block_count(
    X,
    order,
    vat_order_fn,
    *,
    min_block_size,
    max_blocks,
    n_references,
    random_state,
    max_reference_samples=2000,
):
    """Number of dark blocks of the VAT image by the gap statistic.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Dense data (Euclidean geometry).
    order : ndarray of shape (n_samples,)
        VAT order of X.
    vat_order_fn : callable
        ``vat_order_fn(R)`` returns the VAT order of a reference set R.
    min_block_size, max_blocks : int
        See :func:`block_bisection`.
    n_references : int
        Reference data sets B.
    random_state : RandomState instance
        Source of the references.
    max_reference_samples : int, default=2000
        Largest reference set: above it, each reference holds this many
        uniform samples and its log W is shifted by log(n / m), which W's
        proportionality to n makes exact in expectation; its SE, from fewer
        samples, is then conservative.

    Returns
    -------
    n_blocks : int
        Tibshirani et al.'s choice (:func:`gap_rule`).
    edges : list of ndarray
        The nested partitions of :func:`block_bisection` (``edges[k - 1]``
        has k blocks).
    gap, se : ndarray of shape (len(edges),)
        The gap and its standard error for k = 1, 2, ...

    Notes
    -----
    Time: B + 1 block bisections and B VAT orders of the references, O(B m^2 d)
    for m = min(n, max_reference_samples) with Prim's algorithm; memory O(n d).
    """
    n = order.shape[0]
    references = []
    for R in uniform_references(X, n_references, random_state, max_reference_samples):
        m = R.shape[0]
        references.append((R, vat_order_fn(R), max(2, int(np.ceil(min_block_size * m / n))), np.log(n / m)))
    # The rule stops at the first k whose successor does not gain a standard
    # error, usually a small k: bisect a few levels first and go deeper only
    # when the rule asks for it (the partitions are nested, so a deeper run
    # repeats the shallower one).
    depth = min(8, max_blocks)
    while True:
        edges, log_w = block_bisection(X, order, depth, min_block_size)
        n_k = log_w.shape[0]
        reference_log_w = np.empty((len(references), n_k))
        for b, (R, ref_order, ref_min_block, shift) in enumerate(references):
            _, ref_log_w = block_bisection(R, ref_order, n_k, ref_min_block)
            # A reference that cannot be split as often keeps its last W.
            ref_log_w = np.r_[ref_log_w, np.full(n_k - ref_log_w.shape[0], ref_log_w[-1])]
            reference_log_w[b] = ref_log_w + shift
        gap, se = gap_values(log_w, reference_log_w)
        index = gap_rule(gap, se)
        if index < n_k - 1 or n_k < depth or depth >= max_blocks:
            return index + 1, edges, gap, se
        depth = min(2 * depth, max_blocks)
