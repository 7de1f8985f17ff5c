"""Which tendency statistic answers "cluster or continuum?" on the reference data.

Reproduces the 32-d embedding study ("cluster or continuum?") for every
statistic of the package, plus the seminar data sets (merce, blobs, moons,
circles, uniform; n = 500, seed 12345), digits and Old Faithful, next to the ARI
that k-means (k = the true count, n_init = 10) and single linkage reach, and
the verdict of :func:`sklearn_tendency.assess_tendency`. Prints a markdown table.

The verdict (issue 18): "clustered" when the rank Hopkins test rejects every
structureless null (uniform box, Gaussian, uniform ellipsoid, multivariate t)
at 5 %, an intersection-union test of level 5 % (see
``benchmarks/bench_calibration.py`` for its calibration). Wright's box-null
statistic alone calls every Gaussian cloud clustered in 32-d; each null's
column shows what it alone would say. The dip on pairwise distances rejects
only far-apart clusters; the VAT gap only grows for gaps single linkage sees.

Usage: python benchmarks/tendency_table.py [--quick]
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.datasets import load_digits
from sklearn.metrics import adjusted_rand_score

from sklearn_tendency import assess_tendency
from sklearn_tendency.datasets import load_faithful, make_clustering_seminar


def embedding_study(quick):
    rng = np.random.RandomState(0)
    yield "uniform [0,1]^32", rng.uniform(0, 1, (1000, 32)), None, 10
    centres = rng.uniform(0, 1, (10, 32))
    for std in (0.01, 0.3, 0.5) if quick else (0.01, 0.3, 0.5, 0.7, 0.8, 1.0, 3.0):
        X = np.vstack([rng.normal(c, std, (100, 32)) for c in centres])
        yield f"10 centres, std {std}", X, np.repeat(np.arange(10), 100), 10


def seminar():
    for name, data in make_clustering_seminar().items():
        yield name, data.data, data.target, data.n_clusters


def others():
    X, y = load_digits(return_X_y=True)
    yield "digits", X, y, 10
    X = load_faithful().data
    yield "Old Faithful", X, None, 2
    yield "Old Faithful (standardized)", (X - X.mean(0)) / X.std(0), None, 2


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", module="diptest")
    print(
        "| data | n x d | ARI k-means | ARI single linkage | H box (p) | H gaussian (p) "
        "| H ball (p) | H t (p) | verdict p | dip (p) | VAT gap | VAT count | verdict | seconds |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    studies = [embedding_study(args.quick), seminar()] + ([] if args.quick else [others()])
    for study in studies:
        for name, X, y, k in study:
            if y is None:
                ari_km = ari_sl = "-"
            else:
                ari_km = f"{adjusted_rand_score(y, KMeans(k, n_init=10, random_state=0).fit_predict(X)):.2f}"
                ari_sl = f"{adjusted_rand_score(y, AgglomerativeClustering(k, linkage='single').fit_predict(X)):.2f}"
            start = time.perf_counter()
            r = assess_tendency(X, random_state=0)
            seconds = time.perf_counter() - start
            res = r.results
            nulls = " | ".join(
                f"{res['hopkins_' + null].statistic:.2f} ({res['hopkins_' + null].pvalue:.2g})"
                for null in ("box", "gaussian", "ball", "t")
            )
            dip = res.get("dip")
            dip_txt = "-" if dip is None else f"{dip.statistic:.3f} ({dip.pvalue:.2g})"
            print(
                f"| {name} | {X.shape[0]} x {X.shape[1]} | {ari_km} | {ari_sl} | {nulls} "
                f"| {r.pvalue:.2g} | {dip_txt} | {res['vat_gap'].statistic:.2f} | {r.n_clusters_estimate} "
                f"| {r.verdict} | {seconds:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
