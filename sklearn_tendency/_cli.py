"""Command line: ``sklearn-tendency [FILE]`` or ``python -m sklearn_tendency [FILE]``.

Runs the cluster-tendency assessment on a data file (default: the bundled
Old Faithful data), prints a report that explains each figure, and writes the
VAT and iVAT images. Any size: the images are always downsampled (at most
1000 pixels a side, no n x n matrix), files with more than ``--sample-size``
rows are VAT-ordered on a maximin sample of that many rows (sVAT), and the
tests run on a uniform random sample of ``--test-size`` rows. Every problem
with the file or the options is one line on stderr and exit status 2, found
before the long computations where it can be.
"""

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from ._io import InputError, read_table
from ._scoring import NULL_DESCRIPTIONS

# Rows above which the VAT order is computed on a maximin sample (sVAT): the
# exact order costs O(n^2 d) and so does the VAT image, about 25 s at 20 000
# x 10 on a busy 2-core machine (benchmarks/bench_cli.py).
DEFAULT_SAMPLE_SIZE = 10_000
# Rows the tests run on: their simulated nulls repeat a neighbour search and
# a VAT order on n rows n_simulations times.
DEFAULT_TEST_SIZE = 2_000
# Feature scales (standard deviations) further apart than this dominate the
# Euclidean distances.
SCALE_RATIO_WARNING = 100.0


# What each figure of the report tests and how to read it: one line each.
def _hopkins_meaning(description):
    return (
        f"rank Hopkins statistic against {description}: near 1 = clustered, "
        "near 0.5 = as structureless as that null; p-value simulated at the "
        "data's own n and dimension."
    )


MEANINGS = {
    **{f"hopkins_{name}": _hopkins_meaning(text) for name, text in NULL_DESCRIPTIONS.items()},
    "dip": (
        "Hartigan's dip of the pairwise distances: large = multimodal "
        "distances (clusters far apart for their spread); p-value from the "
        "diptest tables."
    ),
    "vat_gap": (
        "largest jump between two VAT blocks over the long edges inside them: "
        "about 1 for a continuum, large for gaps single linkage sees "
        "(descriptive: no p-value)."
    ),
}
COUNT_MEANING = (
    "number of dark diagonal blocks of the VAT order that stand out (VAT's "
    "n_clusters_estimate_): the larger of the single-linkage count (blocks cut "
    "off by a jump of the cut weights) and the gap statistic over contiguous "
    "blocks; 1 means no block stands out, not that the data are uniform."
)


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # argparse prints the usage too; a user needs the one line.
        self.exit(2, f"sklearn-tendency: error: {message} (see --help)\n")


def _integer_option(minimum, expected, words=()):
    """An argparse type: an integer >= minimum (``1_000`` allowed), or None
    for one of ``words``; anything else is a one-line usage error."""

    def parse(text):
        if text.lower() in words:
            return None
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {expected}; got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected {expected}; got {value}")
        return value

    return parse


_size = _integer_option(3, "a number of rows (at least 3) or 'all'", words=("all", "exact"))
_non_negative = _integer_option(0, "a non-negative integer")


def _parse_args(argv):
    parser = _Parser(
        prog="sklearn-tendency",
        description=(
            "Is there cluster structure in this data? Prints the Hopkins tests, "
            "the VAT cluster-count estimate and a verdict, each with what it "
            "means, and writes the VAT and iVAT images."
        ),
        epilog=(
            "Files: CSV/TSV/whitespace text (header optional, separator, "
            "byte-order mark and UTF-8/Latin-1 detected; .gz too), .npy, .npz, "
            "Parquet (needs pyarrow). Progress goes to stderr (--quiet), the "
            "report to stdout. Errors: one line on stderr, exit status 2."
        ),
    )
    parser.add_argument(
        "file",
        nargs="?",
        default=None,
        help="data file of samples x features; default: the bundled Old Faithful data.",
    )
    parser.add_argument(
        "--columns",
        nargs="+",
        default=None,
        metavar="COL",
        help="columns to use, by header name or 0-based index (default: every numeric column but the label).",
    )
    parser.add_argument(
        "--label",
        default=None,
        metavar="COL",
        help="column of known classes: drawn as a bar beside the VAT image and "
        "compared with the VAT blocks (adjusted Rand index).",
    )
    parser.add_argument(
        "--delimiter",
        default=None,
        metavar="SEP",
        help="separator of a text file: comma, semicolon, tab, bar, whitespace (default: detected).",
    )
    parser.add_argument(
        "--standardize",
        action="store_true",
        help="scale every column to zero mean and unit variance first.",
    )
    parser.add_argument(
        "--out",
        default="tendency_report",
        metavar="DIR",
        help="folder for vat.png and ivat.png (default: %(default)s).",
    )
    parser.add_argument("--no-plots", action="store_true", help="do not write the images.")
    parser.add_argument(
        "--json",
        default=None,
        metavar="PATH",
        help="also write the whole report as JSON to PATH ('-': to stdout, instead of the text report).",
    )
    parser.add_argument(
        "--sample-size",
        type=_size,
        default=DEFAULT_SAMPLE_SIZE,
        metavar="N",
        help="files with more rows are VAT-ordered on a maximin sample of N rows "
        "(sVAT); 'all' forces the exact order, O(n^2 d) time (default: %(default)s).",
    )
    parser.add_argument(
        "--test-size",
        type=_size,
        default=DEFAULT_TEST_SIZE,
        metavar="N",
        help="the tests run on a uniform random sample of N rows when the file "
        "has more; 'all' uses every row (default: %(default)s).",
    )
    parser.add_argument(
        "--n-simulations",
        type=_non_negative,
        default=99,
        metavar="B",
        help="simulated data sets of the simulated p-values; their smallest "
        "value is 1/(B+1) (default: %(default)s).",
    )
    parser.add_argument(
        "--random-state",
        type=int,
        default=0,
        help="seed of the samples and simulations (default: %(default)s).",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr.")
    args = parser.parse_args(argv)
    # nargs="+" takes the file too when the options come first
    # ("--columns x y data.csv"): the last item that is a file is the input.
    args.file_from_columns = False
    if args.file is None and args.columns and len(args.columns) > 1 and Path(args.columns[-1]).is_file():
        args.file = args.columns.pop()
        args.file_from_columns = True
    return args


def _check_writable_dir(path, option):
    """A folder that exists and takes files, or that can be created: checked
    before any work, created only when the images are written."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise InputError(f"{option} {path}: is an existing file; give a folder.")
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"{option} {path}: {existing} is a file, not a folder.")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"{option} {path}: cannot write in {existing}.")
    if existing == path:
        try:
            with tempfile.TemporaryFile(dir=path):
                pass
        except OSError as exc:
            raise InputError(f"{option} {path}: cannot write there ({exc.strerror or exc}).") from None


def _check_json_path(path):
    if path == "-":
        return
    path = Path(path)
    if path.is_dir():
        raise InputError(f"--json {path}: is a directory; give a file name.")
    parent = path.parent
    if not parent.is_dir():
        raise InputError(f"--json {path}: folder {parent} does not exist.")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"--json {path}: cannot write there.")


class _Log:
    """Progress lines on stderr with elapsed times, unless --quiet."""

    def __init__(self, quiet):
        self.quiet = quiet

    def __call__(self, message):
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)

    @contextlib.contextmanager
    def step(self, message):
        self(f"{message} ...")
        t0 = time.perf_counter()
        yield
        self(f"  done in {time.perf_counter() - t0:.1f} s")


def _load(args, log):
    if args.file is None:
        from .datasets import load_faithful

        bunch = load_faithful()
        data, names = bunch.data, list(bunch.feature_names)
        from ._io import Table

        table = Table(np.asarray(data, dtype=np.float64), names)
        if args.columns and Path(args.columns[-1]).is_file():
            raise InputError(
                f"--columns took {args.columns[-1]} as a column name; give the data "
                "file before the options, or end the columns with --."
            )
        if args.columns is not None or args.label is not None:
            raise InputError("--columns and --label need a data file.")
        return table, "Old Faithful (bundled)"
    table = read_table(
        args.file,
        columns=args.columns,
        label=args.label,
        delimiter=args.delimiter,
        verbose=not args.quiet,
    )
    return table, str(args.file)


def _check_data(table, source):
    X = table.data
    if X.shape[0] < 3:
        raise InputError(f"{source}: needs at least 3 rows of data, got {X.shape[0]}.")
    finite = np.isfinite(X)
    if not finite.all():
        i, j = np.argwhere(~finite)[0]
        raise InputError(
            f"{source}: data row {i + 1}, column {table.names[j]!r} is {X[i, j]} "
            "(missing, NaN or infinite values are not analysed)."
        )
    if np.ptp(X, axis=0).max() == 0:
        raise InputError(f"{source}: every row is the same point; nothing to assess.")


def _scale_warning(X, names):
    std = X.std(axis=0)
    positive = std > 0
    if positive.sum() < 2:
        return None
    big, small = np.argmax(np.where(positive, std, -np.inf)), np.argmin(np.where(positive, std, np.inf))
    ratio = std[big] / std[small]
    if ratio <= SCALE_RATIO_WARNING:
        return None
    return (
        f"feature scales differ by a factor of {ratio:.3g} (standard deviation of "
        f"{names[big]!r} {std[big]:.3g}, of {names[small]!r} {std[small]:.3g}): "
        f"the distances are dominated by {names[big]!r}; --standardize gives every "
        "column unit variance."
    )


def _result_dict(result):
    out = {}
    for key in ("statistic", "pvalue", "sample_size", "dimension", "alternative"):
        if hasattr(result, key):
            value = getattr(result, key)
            if isinstance(value, (np.floating, float)):
                value = None if np.isnan(value) else float(value)
            elif isinstance(value, np.integer):
                value = int(value)
            out[key] = value
    return out


def _fmt_p(p):
    return "" if p is None else f", p-value {p:.3g}"


def _vat(X, sample_size, random_state, log):
    """The fitted IVAT of the imaged rows, those rows' indices (None: all)."""
    from ._svat import maximin_sample
    from ._vat import IVAT

    n = X.shape[0]
    rows = None
    if sample_size is not None and n > sample_size:
        with log.step(f"VAT: maximin sample of {sample_size:,} of the {n:,} rows (sVAT)"):
            rows = maximin_sample(X, sample_size, random_state=random_state)
    Xi = X if rows is None else X[rows]
    # The ordering engine prints its progress on stdout, the report's
    # stream; it is worth reading for large n only.
    with log.step(f"VAT: ordering {Xi.shape[0]:,} rows"), contextlib.redirect_stdout(sys.stderr):
        est = IVAT(
            random_state=random_state,
            verbose=int(not log.quiet and Xi.shape[0] >= 5000),
        ).fit(Xi)
    return est, Xi, rows


def _label_agreement(labels, est):
    from sklearn.metrics import adjusted_rand_score

    from ._cut_weights import single_linkage_labels

    classes = np.unique(labels)
    k = len(classes)
    at_estimate = adjusted_rand_score(labels, est.labels_)
    at_classes = adjusted_rand_score(labels, single_linkage_labels(est.order_, est.cut_weights_, k))
    return {"n_classes": int(k), "ari_at_estimate": float(at_estimate), "ari_at_n_classes": float(at_classes)}


def _write_images(est, Xi, labels, source, out, log):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn import config_context

    from ._display import VATDisplay

    out.mkdir(parents=True, exist_ok=True)
    written = []
    name = Path(source).name
    for method, filename in (("VAT", "vat.png"), ("iVAT", "ivat.png")):
        with log.step(f"drawing the {method} image (downsampled to at most 1000 pixels a side)"):
            fig, ax = plt.subplots(figsize=(5.5, 5))
            # A small working memory keeps the VAT image's strips of distances
            # well under the 1 GB the command line is held to.
            with config_context(working_memory=128):
                target = est if method == "iVAT" else _as_vat(est)
                VATDisplay.from_estimator(
                    target,
                    Xi,
                    labels=labels,
                    show_clusters=True,
                    ax=ax,
                    title=f"{method} of {name}",
                )
            fig.savefig(out / filename, dpi=100, bbox_inches="tight")
            plt.close(fig)
        written.append(str(out / filename))
    return written


def _as_vat(ivat):
    """A VAT sharing the IVAT's fit: the VAT image needs a VAT estimator and
    the order is the same (one ordering for both images)."""
    from ._vat import VAT

    vat = VAT(n_jobs=ivat.n_jobs)
    vat.__dict__.update({k: v for k, v in ivat.__dict__.items() if k.endswith("_")})
    return vat


def _reconcile(clustered, k):
    if clustered and k == 1:
        return (
            "the tests find structure a uniform box or a single Gaussian cannot "
            "explain, but single linkage finds no clear gap between blocks: "
            "touching or chained clusters, or one non-Gaussian shape; read the "
            "iVAT image."
        )
    if not clustered and k > 1:
        return (
            "the VAT order splits at gaps, but the tests do not reject: the "
            "blocks may be small or few points apart from the rest, or the "
            "tests lack power at this sample size; read the iVAT image."
        )
    return None


def run(argv=None, stdout=None):
    """Run the assessment; returns the exit status."""
    stdout = stdout or sys.stdout
    args = _parse_args(argv)
    log = _Log(args.quiet)
    out = Path(args.out)
    # Destinations first: a bad --out or --json must not cost a long run.
    if not args.no_plots:
        _check_writable_dir(out, "--out")
    if args.json is not None:
        _check_json_path(args.json)
    table, source = _load(args, log)
    if args.file_from_columns:
        table.notes.insert(0, f"input file {args.file} (given after --columns)")
    _check_data(table, source)
    X = table.data
    n, d = X.shape
    warnings = []
    if not args.standardize:
        scale = _scale_warning(X, table.names)
        if scale:
            warnings.append(scale)
    else:
        from sklearn.preprocessing import StandardScaler

        X = StandardScaler().fit_transform(X)

    from ._scoring import assess_tendency

    rng = np.random.RandomState(args.random_state)
    test_rows = None
    if args.test_size is not None and n > args.test_size:
        test_rows = np.sort(rng.choice(n, args.test_size, replace=False))
    X_test = X if test_rows is None else X[test_rows]
    with log.step(f"tests on {X_test.shape[0]:,} rows, {args.n_simulations} simulations"):
        report = assess_tendency(
            X_test,
            n_simulations=args.n_simulations,
            random_state=args.random_state,
            verbose=0 if args.quiet else 1,
        )
    est, Xi, vat_rows = _vat(X, args.sample_size, args.random_state, log)
    labels_i = None
    agreement = None
    if table.labels is not None:
        labels_i = table.labels if vat_rows is None else table.labels[vat_rows]
        agreement = _label_agreement(labels_i, est)
    k = int(est.n_clusters_estimate_)
    clustered = str(report.verdict).startswith("clustered")
    images = []
    if not args.no_plots:
        images = _write_images(est, Xi, labels_i, source, out, log)

    # The report.
    results = getattr(report, "results", {})
    doc = {
        "data": {
            "source": source,
            "n_samples": int(n),
            "n_features": int(d),
            "columns": list(table.names),
            "label": table.label_name,
            "standardized": bool(args.standardize),
            "notes": list(table.notes),
        },
        "tests": {
            "n_rows": int(X_test.shape[0]),
            "sampled": test_rows is not None,
            "n_simulations": args.n_simulations,
            "results": {
                name: {**_result_dict(res), "meaning": MEANINGS.get(name)} for name, res in results.items()
            },
            "smallest_simulated_pvalue": (1 / (args.n_simulations + 1) if args.n_simulations else None),
        },
        "verdict": str(report.verdict),
        "rule": str(getattr(report, "rule", "")),
        "alpha": getattr(report, "alpha", None),
        "vat": {
            "exact": vat_rows is None,
            "n_ordered": int(Xi.shape[0]),
            "n_clusters_estimate": k,
            "meaning": COUNT_MEANING,
            "verdict_vs_count": _reconcile(clustered, k),
        },
        "labels": agreement,
        "warnings": warnings,
        "images": images,
    }
    if args.json == "-":
        json.dump(doc, stdout, indent=2)
        print(file=stdout)
    else:
        _print_report(doc, args, stdout)
    if args.json not in (None, "-"):
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
        print(f"wrote {args.json}", file=stdout)
    return 0


def _print_report(doc, args, stdout):
    def say(line=""):
        print(line, file=stdout)

    data, tests, vat = doc["data"], doc["tests"], doc["vat"]
    say(f"data: {data['source']}")
    say(f"samples: {data['n_samples']}, features: {data['n_features']}")
    say(f"columns: {', '.join(data['columns'])}" + (f"; label: {data['label']}" if data["label"] else ""))
    if data["standardized"]:
        say("(standardized)")
    for note in data["notes"]:
        say(f"note: {note}")
    say()
    if tests["sampled"]:
        say(
            f"Tests on a uniform random sample of {tests['n_rows']:,} of the "
            f"{data['n_samples']:,} rows (--test-size; 'all' uses every row):"
        )
    else:
        say("Tests:")
    for name, res in tests["results"].items():
        statistic = res.get("statistic")
        value = "" if statistic is None else f"{statistic:8.4f}"
        say(f"  {name:17s} {value}{_fmt_p(res.get('pvalue'))}")
        if res["meaning"]:
            say(f"      {res['meaning']}")
    say(
        "  p-value: the chance of a statistic at least this large if the data "
        "came from the test's null; small = evidence of structure."
    )
    if tests["smallest_simulated_pvalue"] is not None and any(
        name.startswith("hopkins_") for name in tests["results"]
    ):
        b = tests["n_simulations"]
        say(
            f"  A simulated p-value is (1 + simulations at least as large) / "
            f"(1 + {b}): it cannot go below 1/({b} + 1) = "
            f"{tests['smallest_simulated_pvalue']:.3g}; more --n-simulations "
            "resolve smaller ones."
        )
        alpha = doc["alpha"]
        if alpha is not None and tests["smallest_simulated_pvalue"] >= alpha:
            say(
                f"  warning: with {b} simulations no simulated p-value is below the "
                f"level {alpha:g}, so those tests cannot reject; use at least "
                f"--n-simulations {int(np.ceil(1 / alpha))}."
            )
    say()
    say(f"VAT cluster-count estimate: {vat['n_clusters_estimate']}")
    say(f"      {vat['meaning']}")
    if vat["exact"]:
        say(f"      VAT order of all {vat['n_ordered']:,} rows (exact).")
    else:
        say(
            f"      VAT order of a maximin sample of {vat['n_ordered']:,} of the "
            f"{data['n_samples']:,} rows (sVAT: every cluster keeps rows in "
            "proportion to its size); --sample-size all forces the exact order "
            "(O(n^2 d) time)."
        )
    say(f"verdict: {doc['verdict']} ({doc['rule']})")
    if vat["verdict_vs_count"]:
        say(f"      verdict and count differ: {vat['verdict_vs_count']}")
    if doc["labels"]:
        lab = doc["labels"]
        where = "" if vat["exact"] else f" (on the {vat['n_ordered']:,} sampled rows)"
        say(
            f"labels {data['label']!r}: {lab['n_classes']} classes; adjusted Rand index "
            f"with the VAT blocks{where}: {lab['ari_at_estimate']:.3f} at the estimated "
            f"count, {lab['ari_at_n_classes']:.3f} with {lab['n_classes']} blocks "
            "(1 = same partition, 0 = chance)."
        )
    for warning in doc["warnings"]:
        say(f"warning: {warning}")
    for image in doc["images"]:
        say(f"wrote {image}")


def main(argv=None):
    """Console-script entry point: the exit status (0, or 2 on a bad file or option)."""
    try:
        return run(argv)
    except (InputError, ValueError, TypeError) as exc:
        # Validation errors of the estimators name the problem already.
        print(f"sklearn-tendency: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # Files: a folder that vanished, a full disk.
        print(f"sklearn-tendency: error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:
        print(
            "sklearn-tendency: error: out of memory; try a smaller --sample-size or --test-size.",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("sklearn-tendency: interrupted.", file=sys.stderr)
        return 130
