"""Time of the k-selection displays at n = 10 000, k = 1..12.

Prints, for make_blobs data (10 000 samples, 5 centres) in 2 and 16
dimensions: the time of ``KSelectionDisplay.from_data(..., plot=False)`` (the
fits and the scores), of its drawing (``plot`` and a canvas draw), the split
of the first between the k-means fits, the gap's reference fits and the scores,
and the time of ``SilhouetteDisplay.from_estimator`` with its default sample
(2000) and with every sample; one thread and two (threadpoolctl).

Usage: python benchmarks/bench_kselection.py
"""

import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from sklearn_tendency import KSelectionDisplay, LloydKMeans, SilhouetteDisplay  # noqa: E402


def timed(f):
    start = time.perf_counter()
    value = f()
    return value, time.perf_counter() - start


def main():
    print(
        "| d | threads | from_data (s) | of which fits | gap references | draw (s) "
        "| silhouette, 2000 sampled (s) | silhouette, all 10 000 (s) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for d in (2, 16):
        X, _ = make_blobs(10_000, centers=5, n_features=d, random_state=0)
        for threads in (1, 2):
            with threadpool_limits(threads):
                disp, t_all = timed(
                    lambda: KSelectionDisplay.from_data(
                        X, n_clusters=range(1, 13), random_state=0, plot=False
                    )
                )
                _, t_noref = timed(
                    lambda: KSelectionDisplay.from_data(
                        X, n_clusters=range(1, 13), random_state=0, plot=False, n_references=0
                    )
                )
                fits = disp.scores_["fit_time"].sum()

                def draw():
                    disp.plot()
                    disp.figure_.canvas.draw()

                _, t_draw = timed(draw)
                plt.close("all")
                km = LloydKMeans(5, random_state=0).fit(X)

                def silhouette(sample_size):
                    s = SilhouetteDisplay.from_estimator(km, X, sample_size=sample_size, random_state=0)
                    s.figure_.canvas.draw()

                _, t_sil = timed(lambda: silhouette(2000))
                _, t_sil_all = timed(lambda: silhouette(None))
                plt.close("all")
            print(
                f"| {d} | {threads} | {t_all:.2f} | {fits:.2f} | {t_all - t_noref:.2f} "
                f"| {t_draw:.2f} | {t_sil:.2f} | {t_sil_all:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
