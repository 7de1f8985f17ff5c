"""Calibration of the tendency verdict and of each null's p-value (issue 18).

For every (n, d) in n in {100, 1000, 5000} x d in {2, 8, 32, 64} and every
structureless family (uniform in the unit cube, uniform in the unit ball, a
Gaussian with a random covariance, a multivariate t with 3 degrees of freedom)
it draws ``--seeds`` data sets and records

- the p-value of the family's *own* null test (:func:`rank_hopkins_test` with
  ``null`` = box, ball, gaussian, t), whose law must be uniform on the grid
  ``{1, ..., B + 1} / (B + 1)``: a chi-square goodness-of-fit p-value is
  printed (``chi2 p``);
- the verdict of :func:`cluster_tendency_test` (``clustered`` when every
  null's p-value is at most alpha): its rate must be at most alpha plus its
  Monte Carlo error ``sqrt(alpha (1 - alpha) / seeds)``. The verdict is
  computed exactly but lazily: the other nulls are tested only when the own
  null rejected (otherwise the verdict is "no evidence" whatever they say),
  each with the same ``random_state`` as :func:`cluster_tendency_test` uses.

A deliberately wrong variant must fail the same uniformity test: the Beta(m, m)
p-value of Wright's statistic (:func:`hopkins_test` with ``pvalue="beta"``) on
uniform data in 32-d (KS test against U(0, 1), the Beta p-value being
continuous).

``--timing`` times :func:`assess_tendency` on 1000 x 32 and 20 000 x 32
(uniform data and ten clusters), at n_jobs = 1 and 2, side by side.

What it showed: see the closing note of issue 18 and
doc/user_guide/tendency.rst.

Usage::

    python benchmarks/bench_calibration.py                 # the full table (long)
    python benchmarks/bench_calibration.py --quick         # n in {100, 1000}, d in {2, 32}
    python benchmarks/bench_calibration.py --n 5000 --seeds 50   # one part of the table
    python benchmarks/bench_calibration.py --timing
"""

import argparse
import time

import numpy as np
from scipy import stats

from sklearn_tendency import assess_tendency, hopkins_test, rank_hopkins_test

OWN_NULL = {"cube": "box", "ball": "ball", "gaussian": "gaussian", "t3": "t"}
NULLS = ("box", "gaussian", "ball", "t")


def draw(family, n, d, rng):
    """n points of a structureless family in d dimensions."""
    if family == "cube":
        return rng.uniform(size=(n, d))
    if family == "ball":
        g = rng.normal(size=(n, d))
        return g / np.linalg.norm(g, axis=1, keepdims=True) * rng.uniform(size=(n, 1)) ** (1 / d)
    if family == "gaussian":
        return rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) + rng.normal(size=d)
    if family == "t3":
        return rng.normal(size=(n, d)) / np.sqrt(rng.chisquare(3, size=(n, 1)) / 3)
    raise ValueError(family)


def calibration_cell(family, n, d, seeds, n_simulations=19, alpha=0.05, first_seed=0, **kw):
    """Own-null p-values and verdicts of ``seeds`` data sets of one family.

    Returns (pvalues, clustered): arrays of length ``seeds``.
    """
    own = OWN_NULL[family]
    pvalues, clustered = [], []
    for seed in range(first_seed, first_seed + seeds):
        X = draw(family, n, d, np.random.default_rng([seed, n, d, len(family)]))
        test = dict(n_simulations=n_simulations, random_state=seed, n_jobs=1, **kw)
        p = rank_hopkins_test(X, null=own, **test).pvalue
        pvalues.append(p)
        verdict = p <= alpha and all(
            rank_hopkins_test(X, null=null, **test).pvalue <= alpha for null in NULLS if null != own
        )
        clustered.append(verdict)
    return np.array(pvalues), np.array(clustered)


def grid_chisquare(pvalues, n_simulations):
    """Chi-square p-value of simulated p-values against the uniform law on their grid."""
    grid = np.arange(1, n_simulations + 2) / (n_simulations + 1)
    counts = np.array([np.sum(np.isclose(pvalues, g)) for g in grid])
    assert counts.sum() == len(pvalues)
    return stats.chisquare(counts).pvalue


def beta_variant(n, d, seeds):
    """Beta(m, m) p-values of Wright's statistic on uniform data: the wrong variant."""
    return np.array(
        [
            hopkins_test(
                np.random.default_rng([seed, n, d]).uniform(size=(n, d)), pvalue="beta", random_state=seed
            ).pvalue
            for seed in range(seeds)
        ]
    )


def timing():
    rng = np.random.RandomState(0)
    print("| data | n x d | n_jobs | seconds | verdict | p-value |")
    print("|---|---|---|---|---|---|")
    for n in (1000, 20000):
        centres = rng.uniform(size=(10, 32))
        sets = {
            "uniform": rng.uniform(size=(n, 32)),
            "10 clusters, std 0.3": np.vstack([rng.normal(c, 0.3, (n // 10, 32)) for c in centres]),
        }
        for name, X in sets.items():
            for n_jobs in (1, 2):
                start = time.perf_counter()
                r = assess_tendency(X, n_jobs=n_jobs)
                seconds = time.perf_counter() - start
                print(
                    f"| {name} | {n} x 32 | {n_jobs} | {seconds:.1f} | {r.verdict} | {r.pvalue:.2g} |",
                    flush=True,
                )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--timing", action="store_true")
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--n-simulations", type=int, default=19)
    parser.add_argument("--alpha", type=float, default=0.05)
    parser.add_argument("--n", type=int, nargs="+", help="sample sizes (default 100 1000 5000)")
    parser.add_argument("--d", type=int, nargs="+", help="dimensions (default 2 8 32 64)")
    parser.add_argument("--no-variant", action="store_true", help="skip the wrong variant")
    args = parser.parse_args()
    if args.timing:
        timing()
        return
    ns = args.n or ((100, 1000) if args.quick else (100, 1000, 5000))
    ds = args.d or ((2, 32) if args.quick else (2, 8, 32, 64))
    B, alpha = args.n_simulations, args.alpha
    print(
        f"alpha = {alpha}, {B} simulations per test, {args.seeds} data sets per row; "
        f"Monte Carlo error of a rate: sqrt(alpha (1 - alpha) / seeds) = "
        f"{np.sqrt(alpha * (1 - alpha) / args.seeds):.3f}"
    )
    print(
        "| family | own null | n | d | rate p <= alpha (own null) | chi2 p (own null) "
        "| rate 'clustered' | bound alpha + 2 MC error | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for n in ns:
        for d in ds:
            for family in OWN_NULL:
                start = time.perf_counter()
                p, clustered = calibration_cell(family, n, d, args.seeds, B, alpha)
                bound = alpha + 2 * np.sqrt(alpha * (1 - alpha) / args.seeds)
                print(
                    f"| {family} | {OWN_NULL[family]} | {n} | {d} | {np.mean(p <= alpha):.3f} "
                    f"| {grid_chisquare(p, B):.2g} | {np.mean(clustered):.3f} | {bound:.3f} "
                    f"| {time.perf_counter() - start:.0f} |",
                    flush=True,
                )
    if args.no_variant:
        return
    print()
    print("Wrong variant: Beta(m, m) p-value of Wright's statistic on uniform data")
    print("| n | d | KS p | rate p <= alpha | rate p >= 1 - alpha |")
    print("|---|---|---|---|---|")
    for n in ns:
        for d in (2, 32):
            p = beta_variant(n, d, args.seeds)
            print(
                f"| {n} | {d} | {stats.kstest(p, 'uniform').pvalue:.2g} | {np.mean(p <= alpha):.3f} "
                f"| {np.mean(p >= 1 - alpha):.3f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
