"""VAT / iVAT: time and peak memory against pyclustertend and a numpy Prim's.

Usage::

    python setup.py build_ext --inplace
    PYTHONPATH=$PWD python benchmarks/bench_vat.py            # n in 1000, 2000, 5000, 20000
    PYTHONPATH=$PWD python benchmarks/bench_vat.py --quick    # n in 1000, 2000
    PYTHONPATH=$PWD python benchmarks/bench_vat.py --n 5000 20000 --d 10 \
        --methods ours_vat_ft --baseline /tmp/skt-base    # a change against a build of main

Every (method, n, threads) cell runs in a fresh subprocess, so that its peak
memory is its own: peak RSS (``ru_maxrss``) minus the RSS after imports and
data loading, and for sklearn-tendency also the ``tracemalloc`` peak of a
separate, untimed call (Python and numpy allocations only). Times are the best
of 2 to 5 calls (2 when a call is long): the first call of a fresh process pays
the first touch of its memory, which on a virtual machine can cost more than
the computation (measured here: 5.9 s for the first 3.2 GB n = 20000 image,
0.5 s for the next), for every method alike. Threads (1, 2) are set with
``threadpoolctl.threadpool_limits`` (OpenMP and BLAS) and ``OMP_NUM_THREADS``.

Peers
-----
pyclustertend
    ``compute_ordered_dissimilarity_matrix`` (what ``vat`` computes before
    drawing) and ``compute_ivat_ordered_dissimilarity_matrix`` (``ivat``
    without the figure), after a warm-up call on 10 samples for numba's JIT.
    Both return the n x n image, so the like-for-like comparison is against our
    ``fit_transform``. pyclustertend pins ``pandas<3`` and ``pytest<9``, which
    would downgrade the main environment, so it lives in its own virtual
    environment (``--pct-python``, default ``/work/venv-pct/bin/python``) and
    runs there on the same data, saved as ``.npy``. Its VAT search is O(n^3):
    an n is skipped once the previous n took more than ``--pct-cap`` seconds.
numpy
    ``D = pairwise_distances(X)`` then Prim's with vectorized numpy (a running
    ``np.minimum`` of the distance to the ordered set, ``argmin`` over the
    unvisited samples), started at the row of the first maximum of D. "fit" is
    D + order + cut weights; the VAT image is ``D[order][:, order]`` and the
    iVAT image is the minimax image of the cut weights (running maxima, one row
    at a time). The script checks that its order equals ours (OK/MISMATCH).
sklearn-tendency
    ``VAT().fit`` / ``IVAT().fit`` (order + cut weights, O(n) memory) and
    ``fit_transform`` (plus the n x n image), timed separately.
baseline
    With ``--baseline DIR``: ``VAT().fit_transform`` of another build of
    sklearn-tendency (e.g. ``git archive main`` built in place in DIR with
    ``python setup.py build_ext --inplace``), imported through ``PYTHONPATH``,
    to measure a change side by side in one run.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

D_FEATURES = 32  # default of --d
FULL_N = (1000, 2000, 5000, 20000)
QUICK_N = (1000, 2000)
THREADS = (1, 2)
DEFAULT_PCT_PYTHON = "/work/venv-pct/bin/python"

# Column order of the tables; "fit" cells of ours and numpy also save the order
# so that the driver can check they agree.
METHODS = (
    "ours_vat_fit",
    "ours_ivat_fit",
    "ours_vat_ft",
    "ours_ivat_ft",
    "numpy_fit",
    "numpy_vat_ft",
    "numpy_ivat_ft",
    "pct_vat",
    "pct_ivat",
    "base_vat_ft",
)


# --------------------------------------------------------------------------
# numpy baseline (also importable by the worker in either environment)
# --------------------------------------------------------------------------


def numpy_prim(X):
    """Dense VAT order and cut weights: O(n^2) memory for D."""
    from sklearn.metrics import pairwise_distances

    D = pairwise_distances(X)
    n = D.shape[0]
    start = int(np.argmax(D)) // n
    order = np.empty(n, dtype=np.intp)
    cut = np.zeros(n)
    visited = np.zeros(n, dtype=bool)
    order[0] = start
    visited[start] = True
    dist = D[start].copy()
    for k in range(1, n):
        # argmin of a masked copy: ties go to the lowest index (doc/user_guide/algorithms.rst,
        # section algo-ties).
        j = int(np.argmin(np.where(visited, np.inf, dist)))
        order[k] = j
        cut[k] = dist[j]
        visited[j] = True
        np.minimum(dist, D[j], out=dist)
    return D, order, cut


def numpy_ivat_image(cut):
    """Minimax image in VAT order: image[i, j] = max(cut[i+1 .. j]) for i < j."""
    n = cut.shape[0]
    image = np.zeros((n, n))
    for i in range(n - 1):
        row = np.maximum.accumulate(cut[i + 1 :])
        image[i, i + 1 :] = row
        image[i + 1 :, i] = row
    return image


# --------------------------------------------------------------------------
# worker: one (method, n, threads) cell in a fresh process
# --------------------------------------------------------------------------


def _rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def _worker(method, data_path, threads, out_dir, min_calls=2):
    import resource
    import tracemalloc

    from threadpoolctl import threadpool_limits

    X = np.load(data_path)
    n = X.shape[0]

    if method.startswith(("ours", "base")):
        from sklearn_tendency import IVAT, VAT

        est = VAT if "_vat_" in method else IVAT
        if method.endswith("_fit"):

            def call():
                return est().fit(X)
        else:

            def call():
                return est().fit_transform(X)
    elif method.startswith("numpy"):
        from sklearn.metrics import pairwise_distances  # noqa: F401  (import cost)

        if method == "numpy_fit":

            def call():
                return numpy_prim(X)
        elif method == "numpy_vat_ft":

            def call():
                D, order, _ = numpy_prim(X)
                return D[order][:, order]
        else:

            def call():
                _, _, cut = numpy_prim(X)
                return numpy_ivat_image(cut)
    else:
        from pyclustertend import visual_assessment_of_tendency as pct

        fn = (
            pct.compute_ordered_dissimilarity_matrix
            if method == "pct_vat"
            else pct.compute_ivat_ordered_dissimilarity_matrix
        )
        fn(X[:10])  # numba JIT warm-up, outside the timing and the memory baseline

        def call():
            return fn(X)

    with threadpool_limits(limits=threads):
        base_kb = _rss_kb()
        times = []
        result = None
        while True:
            t0 = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - t0)
            # At least two calls: the first in a fresh process pays the first
            # touch of its memory, which on a VM can cost more than the work.
            if len(times) >= max(5, min_calls) or (len(times) >= min_calls and sum(times) > 2.0):
                break
            del result
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out = {"time": min(times), "calls": len(times), "rss_mb": (peak_kb - base_kb) / 1024}
        if method in ("ours_vat_fit", "numpy_fit"):
            order = result.order_ if method.startswith("ours") else result[1]
            np.save(os.path.join(out_dir, f"order_{method}_{n}_{threads}.npy"), order)
        del result
        if method.startswith(("ours", "base")):
            tracemalloc.start()
            call()
            out["tracemalloc_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    print(json.dumps(out))


# --------------------------------------------------------------------------
# driver
# --------------------------------------------------------------------------


def _run_cell(python, method, data_path, threads, out_dir, timeout, pythonpath=None, min_calls=2):
    env = dict(
        os.environ,
        OMP_NUM_THREADS=str(threads),
        OPENBLAS_NUM_THREADS=str(threads),
        MKL_NUM_THREADS=str(threads),
    )
    cwd = None
    if pythonpath is not None:
        # The baseline build first on the path, and a working directory that
        # does not hold another sklearn_tendency.
        env["PYTHONPATH"] = pythonpath
        cwd = pythonpath
    cmd = [
        python,
        os.path.abspath(__file__),
        "--worker",
        method,
        data_path,
        str(threads),
        out_dir,
        str(min_calls),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout (>{timeout:.0f}s)"}
    if proc.returncode != 0:
        return {"error": "failed: " + proc.stderr.strip().splitlines()[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _fmt_t(cell):
    return cell["error"] if "error" in cell else f"{cell['time']:.3g}"


def _fmt_m(cell):
    return "-" if "error" in cell else f"{cell['rss_mb']:.0f}"


def _ratio(peer, ours):
    if "error" in peer or "error" in ours:
        return "-"
    return f"{peer['time'] / ours['time']:.1f}x"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: n in 1000, 2000")
    parser.add_argument("--n", type=int, nargs="+", default=None, help="sample sizes (overrides --quick)")
    parser.add_argument(
        "--pct-python", default=DEFAULT_PCT_PYTHON, help="python of the environment that has pyclustertend"
    )
    parser.add_argument(
        "--pct-cap", type=float, default=120.0, help="skip pyclustertend at larger n once a call took longer"
    )
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds per cell before it is reported as a timeout"
    )
    parser.add_argument("--d", type=int, default=D_FEATURES, help="number of features")
    parser.add_argument(
        "--min-calls", type=int, default=2, help="timed calls per cell at least (more on a noisy machine)"
    )
    parser.add_argument(
        "--baseline",
        default=None,
        help="folder of another sklearn-tendency build (in place) for the baseline VAT fit_transform",
    )
    parser.add_argument(
        "--methods", nargs="+", choices=METHODS, default=None, help="run only these (and the baseline)"
    )
    args = parser.parse_args(argv)
    sizes = args.n or (QUICK_N if args.quick else FULL_N)
    have_pct = os.path.exists(args.pct_python)

    from sklearn.datasets import make_blobs

    print(f"# VAT / iVAT benchmark: d = {args.d}, threads {THREADS}, n = {list(sizes)}")
    if not have_pct:
        print(f"# pyclustertend skipped: {args.pct_python} not found")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for threads in THREADS:
            pct_slow = {}  # method -> seconds of the call that triggered the skip
            for n in sizes:
                X, _ = make_blobs(n_samples=n, n_features=args.d, centers=5, cluster_std=2.0, random_state=0)
                path = os.path.join(tmp, f"X_{n}.npy")
                np.save(path, X)
                for method in METHODS:
                    if args.methods is not None and method not in args.methods and method != "base_vat_ft":
                        cell = {"error": "not run"}
                    elif method == "base_vat_ft":
                        if args.baseline is None:
                            cell = {"error": "no --baseline"}
                        else:
                            cell = _run_cell(
                                sys.executable,
                                method,
                                path,
                                threads,
                                tmp,
                                args.timeout,
                                pythonpath=os.path.abspath(args.baseline),
                                min_calls=args.min_calls,
                            )
                    elif method.startswith("pct"):
                        if not have_pct:
                            cell = {"error": "not installed"}
                        elif method in pct_slow:
                            cell = {"error": f"skipped (>{args.pct_cap:.0f}s)"}
                        else:
                            cell = _run_cell(
                                args.pct_python,
                                method,
                                path,
                                threads,
                                tmp,
                                args.timeout,
                                min_calls=args.min_calls,
                            )
                            if "error" in cell or cell["time"] > args.pct_cap:
                                pct_slow[method] = True
                    else:
                        cell = _run_cell(
                            sys.executable, method, path, threads, tmp, args.timeout, min_calls=args.min_calls
                        )
                    results[method, n, threads] = cell
                    print(f"#   threads={threads} n={n} {method}: {cell}", flush=True)
                orders = [
                    os.path.join(tmp, f"order_{m}_{n}_{threads}.npy") for m in ("ours_vat_fit", "numpy_fit")
                ]
                if all(os.path.exists(p) for p in orders):
                    same = np.array_equal(np.load(orders[0]), np.load(orders[1]))
                    results["check", n, threads] = "OK" if same else "MISMATCH"
                else:
                    results["check", n, threads] = "n/a"

    _print_tables(results, sizes)


def _print_tables(results, sizes):
    r = results
    print("\n## Time (s, best of up to 5 calls)\n")
    print(
        "| threads | n | ours VAT fit | ours iVAT fit | ours VAT fit_transform "
        "| ours iVAT fit_transform | numpy fit | numpy VAT image | numpy iVAT image "
        "| pyclustertend vat | pyclustertend ivat | baseline VAT fit_transform | order == numpy |"
    )
    print("|---" * 13 + "|")
    for t in THREADS:
        for n in sizes:
            cols = [_fmt_t(r[m, n, t]) for m in METHODS]
            print(f"| {t} | {n} | " + " | ".join(cols) + f" | {r['check', n, t]} |")

    print("\n## Speed-up of sklearn-tendency (peer time / our time)\n")
    print(
        "| threads | n | numpy fit / ours iVAT fit | numpy iVAT image / ours iVAT "
        "fit_transform | numpy VAT image / ours VAT fit_transform "
        "| pct ivat / ours iVAT fit_transform | pct ivat / ours iVAT fit "
        "| pct vat / ours VAT fit_transform | baseline VAT fit_transform / ours |"
    )
    print("|---" * 9 + "|")
    for t in THREADS:
        for n in sizes:
            c = {m: r[m, n, t] for m in METHODS}
            cols = [
                _ratio(c["numpy_fit"], c["ours_ivat_fit"]),
                _ratio(c["numpy_ivat_ft"], c["ours_ivat_ft"]),
                _ratio(c["numpy_vat_ft"], c["ours_vat_ft"]),
                _ratio(c["pct_ivat"], c["ours_ivat_ft"]),
                _ratio(c["pct_ivat"], c["ours_ivat_fit"]),
                _ratio(c["pct_vat"], c["ours_vat_ft"]),
                _ratio(c["base_vat_ft"], c["ours_vat_ft"]),
            ]
            print(f"| {t} | {n} | " + " | ".join(cols) + " |")

    print(
        "\n## Peak memory (MB above the RSS after imports and data; tracemalloc peak of ours in brackets)\n"
    )
    print(
        "| threads | n | ours VAT fit | ours iVAT fit | ours VAT fit_transform "
        "| ours iVAT fit_transform | numpy fit | numpy VAT image | numpy iVAT image "
        "| pyclustertend vat | pyclustertend ivat | baseline VAT fit_transform |"
    )
    print("|---" * 12 + "|")
    for t in THREADS:
        for n in sizes:
            cols = []
            for m in METHODS:
                cell = r[m, n, t]
                s = _fmt_m(cell)
                if "tracemalloc_mb" in cell:
                    s += f" [{cell['tracemalloc_mb']:.1f}]"
                cols.append(s)
            print(f"| {t} | {n} | " + " | ".join(cols) + " |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _worker(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], int(sys.argv[6]))
    else:
        main()
