"""The command line end to end on generated CSV files of 10 features and a
label column: wall time and peak memory (maximum resident set size of the
process, from ``/usr/bin/time -v``, or ``getrusage`` of the children without
it), the time of each step, and the CSV reading against pandas.read_csv as
the named peer (same file, same process).

    python benchmarks/bench_cli.py                       # n = 20 000, 100 000, 1 000 000
    python benchmarks/bench_cli.py --n 20000 --keep /tmp  # chosen sizes; keep the files

Issue 15's targets: 100 000 x 10 read, assessed and drawn (both images) in
under 60 s and 1 GB; 1 000 000 x 10 in under 60 s with the sampled VAT.
Timings on a shared machine are noisy: the load average is printed with them.
"""

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def write_csv(path, n, d=10, n_clusters=5, seed=0):
    rng = np.random.RandomState(seed)
    centers = rng.uniform(-10, 10, (n_clusters, d))
    with open(path, "w") as f:
        f.write(",".join([f"x{j}" for j in range(d)] + ["species"]) + "\n")
        for start in range(0, n, 100_000):
            m = min(100_000, n - start)
            y = rng.randint(0, n_clusters, m)
            X = centers[y] + rng.normal(size=(m, d))
            f.write(
                "\n".join(",".join(f"{v:.6g}" for v in row) + f",c{label}" for row, label in zip(X, y)) + "\n"
            )


def run_cli(path, out):
    cmd = [sys.executable, "-m", "sklearn_tendency", str(path), "--label", "species", "--out", str(out)]
    timer = shutil.which("time") and Path("/usr/bin/time").exists()
    if timer:
        cmd = ["/usr/bin/time", "-v", *cmd]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}):\n{proc.stderr}")
    if timer:
        rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)[1])
    else:
        rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if rss_kb <= before:
            rss_kb = float("nan")
    steps = re.findall(r"^(\S.*?) \.\.\.\n(?:.*\n)*?  done in ([\d.]+) s", proc.stderr, re.MULTILINE)
    return wall, rss_kb / 1024, steps, proc.stdout


def read_times(path):
    from sklearn_tendency._io import read_table

    t0 = time.perf_counter()
    read_table(path, label="species")
    ours = time.perf_counter() - t0
    try:
        import pandas as pd
    except ImportError:
        return ours, float("nan")
    t0 = time.perf_counter()
    pd.read_csv(path)
    return ours, time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[20_000, 100_000, 1_000_000])
    parser.add_argument("--keep", default=None, help="folder for the CSV files (kept)")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="bench_cli_"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"{'n':>9} {'MB':>6} {'wall s':>7} {'peak MB':>8} {'read s':>7} "
        f"{'pandas s':>8} {'ratio':>6}  steps (s)"
    )
    for n in args.n:
        path = folder / f"bench_{n}.csv"
        if not path.exists():
            write_csv(path, n)
        wall, peak, steps, _ = run_cli(path, folder / f"out_{n}")
        ours, pandas = read_times(path)
        step_text = "; ".join(f"{what.split(' (')[0]}: {t}" for what, t in steps)
        print(
            f"{n:>9} {path.stat().st_size / 2**20:6.1f} {wall:7.1f} {peak:8.0f} "
            f"{ours:7.2f} {pandas:8.2f} {ours / pandas:6.2f}  {step_text}",
            flush=True,
        )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    if args.keep is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
