"""Large-n VAT: time and peak memory of the exact paths, against named peers.

Each configuration runs in a fresh subprocess, so its peak memory is its own:
``ru_maxrss`` after the run minus ``ru_maxrss`` after the imports and the data
(the data itself is not counted). Threads are set with threadpoolctl (which
also limits the OpenMP kernels).

Peers:
- ``numpy_prim``: the vectorized numpy Prim's over a ``pairwise_distances``
  matrix (issue 3's reference): n x n memory.
- ``prim``: our O(n d) memory Prim's kernel (``algorithm="prim"``).
- ``delaunay``: our Delaunay MST + tree traversal (``algorithm="delaunay"``).

Usage::

    python benchmarks/bench_vat_large.py            # the issue's table
    python benchmarks/bench_vat_large.py --quick    # smoke run (seconds)
    python benchmarks/bench_vat_large.py --only large
    python benchmarks/bench_vat_large.py --only peers [--quick]   # issue 19's table
"""

import argparse
import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
import numpy as np
from threadpoolctl import threadpool_limits
from sklearn.metrics import pairwise_distances
from sklearn_tendency import vat_order

method, n, d, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = np.random.RandomState(0)
# Gaussian blobs: 10 centres, the clustered data VAT is for.
centres = rng.uniform(-10, 10, size=(10, d))
X = centres[rng.randint(10, size=n)] + rng.normal(size=(n, d))

def numpy_prim(X):
    D = pairwise_distances(X)
    n = len(X)
    start = int(np.argmax(D)) // n
    to_tree = D[start].copy()
    closed = np.zeros(n, bool)
    closed[start] = True
    order = [start]
    for _ in range(n - 1):
        masked = np.where(closed, np.inf, to_tree)
        j = int(np.argmin(masked))
        order.append(j)
        closed[j] = True
        np.minimum(to_tree, D[j], out=to_tree)
    return np.array(order)

r0 = resource.getrusage(resource.RUSAGE_SELF)
base = r0.ru_maxrss
with threadpool_limits(threads):
    t0 = time.perf_counter()
    if method == "numpy_prim":
        order = numpy_prim(X)
    else:
        order, _ = vat_order(X, algorithm=method, n_jobs=threads)
    elapsed = time.perf_counter() - t0
r1 = resource.getrusage(resource.RUSAGE_SELF)
peak = r1.ru_maxrss
cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
print(json.dumps({"time": elapsed, "cpu": cpu, "peak_mb": (peak - base) / 1024,
                  "head": [int(i) for i in order[:5]]}))
"""


def run(method, n, d, threads, timeout):
    try:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, method, str(n), str(d), str(threads)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        return None


def row(*cells):
    print(" | ".join(f"{str(c):>12}" for c in cells), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--only", choices=["issue3", "large", "sampled", "peers"], default=None)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument(
        "--peer-n", type=int, nargs="+", default=None, help="sample sizes of the peers section"
    )
    parser.add_argument("--peer-d", type=int, nargs="+", default=None, help="dimensions of the peers section")
    parser.add_argument(
        "--peer-timeout",
        type=float,
        default=300,
        help="seconds after which a peers-section contender is skipped",
    )
    args = parser.parse_args()

    if args.only in (None, "issue3"):
        print("\n## Exact VAT order, d = 32: our Prim's vs numpy Prim's over pairwise_distances")
        row("n", "threads", "prim s", "numpy s", "ratio", "prim MB", "numpy MB", "same")
        sizes = [500, 1000] if args.quick else [1000, 2000, 5000, 20000]
        for n in sizes:
            for threads in (1, 2):
                ours = run("prim", n, 32, threads, args.timeout)
                peer = run("numpy_prim", n, 32, threads, args.timeout)
                row(
                    n,
                    threads,
                    f"{ours['time']:.2f}",
                    f"{peer['time']:.2f}",
                    f"{peer['time'] / ours['time']:.2f}x",
                    f"{ours['peak_mb']:.0f}",
                    f"{peer['peak_mb']:.0f}",
                    ours["head"] == peer["head"],
                )

    if args.only in (None, "large"):
        print("\n## Large n (targets: n = 100 000 d = 2 < 10 s; d = 32 < 120 s at 2 threads; < 500 MB)")
        # CPU seconds next to wall seconds: on a shared machine the wall time
        # of a run depends on the other loads, its CPU time much less.
        row("n", "d", "method", "threads", "time s", "cpu s", "peak MB")
        if args.quick:
            configs = [(20000, 2, "delaunay", 1), (5000, 32, "prim", 2)]
        else:
            configs = [
                (100000, 2, "delaunay", 1),
                (100000, 2, "delaunay", 2),
                (1000000, 2, "delaunay", 1),
                (100000, 3, "delaunay", 1),
                (100000, 8, "prim", 1),
                (100000, 8, "prim", 2),
                (50000, 32, "prim", 1),
                (100000, 32, "prim", 2),
                (100000, 32, "prim", 1),
                (300000, 32, "prim", 2),
            ]
        for n, d, method, threads in configs:
            res = run(method, n, d, threads, args.timeout)
            if res is None:
                row(n, d, method, threads, f"> {args.timeout:.0f}", "-", "-")
            else:
                row(n, d, method, threads, f"{res['time']:.2f}", f"{res['cpu']:.1f}", f"{res['peak_mb']:.0f}")

    if args.only in (None, "sampled"):
        sampled(args.quick)

    if args.only in (None, "peers"):
        peers(args.quick, timeout=args.peer_timeout, sizes=args.peer_n, dims=args.peer_d)


def sampled(quick):
    """ARI of sampled (siVAT/clusiVAT) against exact single-linkage labels.

    Both cut the order into k blocks, k = the exact fit's cluster estimate;
    the mean and the minimum ARI over 10 random states.
    """
    import time

    import numpy as np
    from sklearn.datasets import make_blobs
    from sklearn.metrics import adjusted_rand_score

    from sklearn_tendency import VAT
    from sklearn_tendency.datasets import make_clustering_seminar

    print("\n## Sampled VAT: ARI against exact single linkage (k = exact estimate), 10 seeds")
    row("data", "n", "k", "sample", "mean ARI", "min ARI", "exact s", "sampled s")
    seeds = range(3 if quick else 10)
    for name, data in make_clustering_seminar().items():
        X = data.data
        t0 = time.perf_counter()
        k = VAT().fit(X).n_clusters_estimate_
        exact = VAT(n_clusters=k).fit(X)
        t_exact = time.perf_counter() - t0
        for size in (50, 100, 200):
            aris, t0 = [], time.perf_counter()
            for seed in seeds:
                est = VAT(n_clusters=k, sample_size=size, random_state=seed).fit(X)
                aris.append(adjusted_rand_score(exact.labels_, est.labels_))
            t_s = (time.perf_counter() - t0) / len(seeds)
            row(
                name,
                len(X),
                k,
                size,
                f"{np.mean(aris):.3f}",
                f"{np.min(aris):.3f}",
                f"{t_exact:.3f}",
                f"{t_s:.3f}",
            )

    n = 20000 if quick else 1_000_000
    centres = [[0, 0], [10, 0], [0, 10], [10, 10], [5, 5]]
    # Separated enough (14 sd between centres) that exact single linkage finds
    # the blobs rather than outliers of their tails.
    X, _ = make_blobs(n_samples=n, centers=centres, cluster_std=0.4, random_state=0)
    t0 = time.perf_counter()
    exact = VAT(n_clusters=5).fit(X)  # Delaunay route in 2-d
    t_exact = time.perf_counter() - t0
    for size in (1000, 5000):
        aris, times = [], []
        for seed in range(3):
            t0 = time.perf_counter()
            est = VAT(n_clusters=5, sample_size=size, random_state=seed).fit(X)
            times.append(time.perf_counter() - t0)
            aris.append(adjusted_rand_score(exact.labels_, est.labels_))
        row(
            "5 blobs 2-d",
            n,
            5,
            size,
            f"{np.mean(aris):.3f}",
            f"{np.min(aris):.3f}",
            f"{t_exact:.1f}",
            f"{np.mean(times):.1f}",
        )


# --- Peers: exact Euclidean MST libraries (issue 19) -------------------------
# Each contender computes an exact Euclidean minimum spanning tree (ours: the
# whole VAT order, vat_order with algorithm="auto"); the total tree weights
# must agree. Peers time only their MST; numba's compilation (fast-hdbscan) is
# done on a small warm-up set first and not timed.
CHILD_PEER = r"""
import json, resource, sys, time
import numpy as np
from threadpoolctl import threadpool_limits

method, n, d, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = np.random.RandomState(0)
centres = rng.uniform(-10, 10, size=(10, d))
X = centres[rng.randint(10, size=n)] + rng.normal(size=(n, d))

def ours(X):
    from sklearn_tendency import vat_order
    order, cuts = vat_order(X, n_jobs=threads)
    return float(cuts.sum())

def mlpack_emst(X):
    import mlpack
    return float(mlpack.emst(input_=X)["output"][:, 2].sum())

def fastcluster_single(X):
    import fastcluster
    return float(fastcluster.linkage_vector(X, method="single")[:, 2].sum())

def hdbscan_boruvka(X):
    # hdbscan's dual-tree Boruvka on a k-d tree; with min_samples=1 the mutual
    # reachability distance is the Euclidean distance (a core distance is at
    # most the length of any edge at its sample).
    from hdbscan._hdbscan_boruvka import KDTreeBoruvkaAlgorithm
    from sklearn.neighbors import KDTree
    alg = KDTreeBoruvkaAlgorithm(KDTree(X, leaf_size=40), min_samples=1,
                                 leaf_size=20, approx_min_span_tree=False,
                                 n_jobs=threads)
    return float(np.asarray(alg.spanning_tree())[:, 2].sum())

def fast_hdbscan_mst(X):
    import numba
    from fast_hdbscan.hdbscan import compute_minimum_spanning_tree
    numba.set_num_threads(threads)
    edges = compute_minimum_spanning_tree(X, min_samples=1)[0]
    return float(np.asarray(edges)[:, 2].sum())

fn = {"ours": ours, "mlpack": mlpack_emst, "fastcluster": fastcluster_single,
      "hdbscan": hdbscan_boruvka, "fast_hdbscan": fast_hdbscan_mst}[method]
try:
    fn(X[:1000].copy())  # imports, JIT, warm caches
except ImportError as exc:
    print(json.dumps({"missing": str(exc)}))
    sys.exit(0)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with threadpool_limits(threads):
    t0 = time.perf_counter()
    weight = fn(X)
    elapsed = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"time": elapsed, "weight": weight, "peak_mb": (peak - base) / 1024}))
"""

PEER_NAMES = ["mlpack", "fastcluster", "hdbscan", "fast_hdbscan"]


def run_peer(method, n, d, threads, timeout):
    """Result dict, {"missing": ...}, {"skipped": reason}."""
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD_PEER, method, str(n), str(d), str(threads)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"skipped": f"> {timeout:.0f} s"}
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = proc.stderr.strip().splitlines()[-1:] or ["?"]
        return {"skipped": f"failed ({tail[0][:60]})"}
    return json.loads(lines[-1])


def peers(quick, timeout=300, sizes=None, dims=None):
    """Time of each peer / time of our exact VAT order (> 1: we are faster),
    at 1 and 2 threads; a peer is skipped past 5 minutes, and at shapes where
    it would need over 8 GB (fastcluster's and mlpack's memory is O(n), so
    only time limits apply here). No exact MST takes less than linear time, so
    a contender whose time at a smaller n, scaled by the ratio of the sizes,
    already exceeds the limit (or that was skipped there) is not run again
    at the larger n. A skipped peer's cell is a lower bound of its ratio:
    '> r (> 300 s)' past the limit, '> r (predicted)' from the linear
    prediction."""
    import os

    print("\n## Exact MST peers: time of peer / time of ours (> 1: we are faster)")
    print(
        f"# load average at start {os.getloadavg()[0]:.2f}; a peer over "
        f"{timeout:.0f} s is skipped ('> {timeout:.0f} s')"
    )
    sizes = sizes or ([20000] if quick else [20000, 100000, 1000000])
    dims = dims or ([2, 8] if quick else [2, 3, 8, 16, 32])
    print("| n | d | threads | ours (s) | ours MB | " + " | ".join(PEER_NAMES) + " | weights agree |")
    print("|" + "---|" * (6 + len(PEER_NAMES)))
    missing = set()
    seen = {}  # (name, d, threads) -> (n, its seconds, or at least)
    worked = set()  # contenders that ran at some shape

    def timed(name, n, d, threads):
        # A skipped contender took at least "at_least" seconds (the limit, or
        # its smaller-n time scaled linearly): its ratio is a lower bound.
        last = seen.get((name, d, threads))
        if last is not None and last[1] * n / last[0] > timeout:
            seen[name, d, threads] = (n, last[1] * n / last[0])
            return {"skipped": "predicted", "at_least": last[1] * n / last[0]}
        res = run_peer(name, n, d, threads, timeout)
        if "skipped" in res and res["skipped"].startswith(">"):
            res["at_least"] = timeout
        if "time" in res or "at_least" in res:
            seen[name, d, threads] = (n, res.get("time", res.get("at_least")))
        if "time" in res:
            worked.add(name)
        return res

    for n in sizes:
        for d in dims:
            for threads in (1, 2):
                ours = timed("ours", n, d, threads)
                cells, agree = [], True
                for name in PEER_NAMES:
                    if name in missing:
                        cells.append("not installed")
                        continue
                    res = timed(name, n, d, threads)
                    if "missing" in res and name not in worked:
                        missing.add(name)
                        cells.append("not installed")
                    elif "missing" in res:
                        # Installed, but this shape needs more (fast-hdbscan
                        # routes d > 16 or so through pynndescent's kNN graph).
                        cells.append(f"n/a ({res['missing'][:48]})")
                    elif "skipped" in res and "at_least" in res and "time" in ours:
                        cells.append(f"> {res['at_least'] / ours['time']:.2f} ({res['skipped']})")
                    elif "skipped" in res:
                        cells.append(res["skipped"])
                    elif "time" not in ours:
                        cells.append(f"{res['time']:.2f} s")
                    else:
                        cells.append(f"{res['time'] / ours['time']:.2f}")
                        agree &= abs(res["weight"] - ours["weight"]) <= 1e-6 * ours["weight"]
                if "time" in ours:
                    head = f"{ours['time']:.2f} | {ours['peak_mb']:.0f}"
                elif "at_least" in ours:
                    head = f"> {ours['at_least']:.0f} ({ours['skipped']}) | -"
                else:
                    head = f"{ours.get('skipped', '?')} | -"
                print(
                    f"| {n} | {d} | {threads} | {head} | " + " | ".join(cells) + f" | {agree} |", flush=True
                )
    print(f"# load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
