"""sklearn-tendency against pyclustertend, side by side in one run.

Prints (1) the Hopkins statistic on iris from both packages: pyclustertend's
``hopkins(X, m)`` returns sum(w) / (sum(u) + sum(w)) with exponent 1 (w: data
to its nearest other data point, u: uniform point to its nearest data point),
i.e. 1 - H, near 0 for clustered data; ours returns H with exponent d (Wright,
2022), near 1 for clustered data; (2) the time of the VAT and iVAT images
(pyclustertend: ``compute_ordered_dissimilarity_matrix`` and
``compute_ivat_ordered_dissimilarity_matrix``, what ``vat``/``ivat`` draw; ours:
``vat``/``ivat``, the image without drawing) at several n, median of 3 runs,
after a warm-up call that compiles pyclustertend's numba kernel; (3) the k
chosen by ``assess_tendency_by_metric`` and by KSelectionDisplay on iris.

Needs ``pip install pyclustertend`` (benchmark extra).

Usage: python benchmarks/bench_pyclustertend.py [--sizes 500 1000 2000]
"""

import argparse
import time

import numpy as np
import pyclustertend
from sklearn.datasets import load_iris, make_blobs

from sklearn_tendency import KSelectionDisplay, hopkins, ivat, vat


def median_time(f, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000])
    args = parser.parse_args()

    X = load_iris().data
    # pyclustertend samples with numpy's global generator: seeded there.
    np.random.seed(0)  # noqa: NPY002
    theirs = [pyclustertend.hopkins(X, 150) for _ in range(20)]
    ours = [hopkins(X, sample_size=150, random_state=seed) for seed in range(20)]
    print("Hopkins on iris, m = 150, 20 draws (mean, min, max):")
    print(
        f"  pyclustertend.hopkins (1 - H, exponent 1): {np.mean(theirs):.3f} "
        f"[{min(theirs):.3f}, {max(theirs):.3f}]; so H with exponent 1: "
        f"{1 - np.mean(theirs):.3f}"
    )
    print(
        f"  sklearn_tendency.hopkins (H, exponent d = 4): {np.mean(ours):.3f} "
        f"[{min(ours):.3f}, {max(ours):.3f}]"
    )

    pyclustertend.compute_ordered_dissimilarity_matrix(X)  # numba compilation
    print("\nImage time (s), median of 3; ratio = pyclustertend / sklearn_tendency:")
    print("| n | pyclustertend VAT | ours VAT | ratio | pyclustertend iVAT | ours iVAT | ratio |")
    print("|---|---|---|---|---|---|---|")
    for n in args.sizes:
        Xn, _ = make_blobs(n, centers=5, n_features=4, random_state=0)
        a = median_time(lambda: pyclustertend.compute_ordered_dissimilarity_matrix(Xn))
        b = median_time(lambda: vat(Xn))
        c = median_time(
            lambda: pyclustertend.compute_ivat_ordered_dissimilarity_matrix(Xn), repeats=1 if n > 1000 else 3
        )
        d = median_time(lambda: ivat(Xn))
        print(f"| {n} | {a:.3f} | {b:.3f} | {a / b:.1f} | {c:.3f} | {d:.3f} | {c / d:.1f} |", flush=True)
        np.testing.assert_allclose(
            pyclustertend.compute_ordered_dissimilarity_matrix(Xn)[np.triu_indices(n)].sum(),
            vat(Xn)[np.triu_indices(n)].sum(),
            rtol=1e-9,
        )

    best, scores = pyclustertend.assess_tendency_by_metric(X, n_cluster=10, random_state=0)
    disp = KSelectionDisplay.from_data(X, n_clusters=range(2, 11), random_state=0, plot=False)
    print(
        f"\niris, k = 2..10: pyclustertend.assess_tendency_by_metric -> {best}; "
        f"KSelectionDisplay.best_n_clusters_ -> {disp.best_n_clusters_}"
    )


if __name__ == "__main__":
    main()
