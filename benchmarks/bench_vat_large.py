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
from sklearn_tendency.vat import vat_order

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

base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with threadpool_limits(threads):
    t0 = time.perf_counter()
    if method == "numpy_prim":
        order = numpy_prim(X)
    else:
        order, _ = vat_order(X, algorithm=method, n_jobs=threads)
    elapsed = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"time": elapsed, "peak_mb": (peak - base) / 1024,
                  "head": [int(i) for i in order[:5]]}))
"""


def run(method, n, d, threads, timeout):
    try:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, method, str(n), str(d), str(threads)],
            capture_output=True, text=True, timeout=timeout, check=True,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        return None


def row(*cells):
    print(" | ".join(f"{str(c):>12}" for c in cells), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--only", choices=["issue3", "large"], default=None)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()

    if args.only in (None, "issue3"):
        print("\n## Exact VAT order, d = 32: our Prim's vs numpy Prim's over pairwise_distances")
        row("n", "threads", "prim s", "numpy s", "ratio", "prim MB", "numpy MB", "same")
        sizes = [500, 1000] if args.quick else [1000, 2000, 5000, 20000]
        for n in sizes:
            for threads in (1, 2):
                ours = run("prim", n, 32, threads, args.timeout)
                peer = run("numpy_prim", n, 32, threads, args.timeout)
                row(n, threads, f"{ours['time']:.2f}", f"{peer['time']:.2f}",
                    f"{peer['time'] / ours['time']:.2f}x", f"{ours['peak_mb']:.0f}",
                    f"{peer['peak_mb']:.0f}", ours["head"] == peer["head"])

    if args.only in (None, "large"):
        print("\n## Large n (targets: n = 100 000 d = 2 < 10 s; d = 32 < 120 s at 2 threads; < 500 MB)")
        row("n", "d", "method", "threads", "time s", "peak MB")
        if args.quick:
            configs = [(20000, 2, "delaunay", 1), (5000, 32, "prim", 2)]
        else:
            configs = [(100000, 2, "delaunay", 1), (100000, 2, "delaunay", 2),
                       (1000000, 2, "delaunay", 1), (100000, 3, "delaunay", 1),
                       (100000, 32, "prim", 2), (100000, 32, "prim", 1)]
        for n, d, method, threads in configs:
            res = run(method, n, d, threads, args.timeout)
            if res is None:
                row(n, d, method, threads, f"> {args.timeout:.0f}", "-")
            else:
                row(n, d, method, threads, f"{res['time']:.2f}", f"{res['peak_mb']:.0f}")


if __name__ == "__main__":
    main()
