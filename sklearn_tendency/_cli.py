"""Command line: ``python -m sklearn_tendency [FILE]`` or ``sklearn-tendency [FILE]``.

Runs the cluster-tendency assessment on a CSV or .npy file (default: the bundled
Old Faithful data), prints a short report and writes the VAT and iVAT images.
"""

import argparse
import csv
import sys
from pathlib import Path

import numpy as np


class InputError(Exception):
    """A problem with the user's file or options: one line, exit status 2."""


def _parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="sklearn-tendency",
        description=(
            "Is there cluster structure in this data? Prints the Hopkins test, "
            "the VAT cluster-count estimate, and writes the VAT and iVAT images."
        ),
    )
    parser.add_argument(
        "file", nargs="?", default=None,
        help="CSV (header row optional) or .npy file of samples x features; "
        "default: the bundled Old Faithful data.",
    )
    parser.add_argument(
        "--columns", nargs="+", default=None, metavar="COL",
        help="Columns to use, by header name or 0-based index (default: all).",
    )
    parser.add_argument(
        "--standardize", action="store_true",
        help="Scale every column to zero mean and unit variance first.",
    )
    parser.add_argument(
        "--out", default="tendency_report", metavar="DIR",
        help="Folder for vat.png and ivat.png (default: %(default)s).",
    )
    parser.add_argument(
        "--no-plots", action="store_true", help="Do not write the images."
    )
    parser.add_argument(
        "--random-state", type=int, default=0,
        help="Seed of the Hopkins sampling (default: %(default)s).",
    )
    return parser.parse_args(argv)


def _read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = [row for row in csv.reader(f) if row and any(c.strip() for c in row)]
    if not rows:
        raise InputError(f"{path}: the file is empty.")
    header = None
    try:
        [float(c) for c in rows[0]]
    except ValueError:
        header, rows = [c.strip() for c in rows[0]], rows[1:]
    width = len(header) if header is not None else len(rows[0]) if rows else 0
    data = np.empty((len(rows), width))
    for i, row in enumerate(rows):
        if len(row) != width:
            raise InputError(
                f"{path}: line {i + 1 + (header is not None)} has {len(row)} "
                f"fields, expected {width}."
            )
        for j, cell in enumerate(row):
            try:
                data[i, j] = float(cell)
            except ValueError:
                raise InputError(
                    f"{path}: line {i + 1 + (header is not None)}, column "
                    f"{j + 1}: {cell!r} is not a number."
                ) from None
    return data, header


def _load(args):
    if args.file is None:
        from .datasets import load_faithful

        bunch = load_faithful()
        return bunch.data, list(bunch.feature_names), "Old Faithful (bundled)"
    path = Path(args.file)
    if not path.is_file():
        raise InputError(f"{path}: no such file.")
    if path.suffix.lower() == ".npy":
        try:
            data = np.load(path, allow_pickle=False)
        except (ValueError, OSError) as exc:
            raise InputError(f"{path}: not a readable .npy file ({exc}).") from None
        if data.ndim != 2:
            raise InputError(
                f"{path}: expected a 2-d array (samples x features), got "
                f"{data.ndim}-d of shape {data.shape}."
            )
        try:
            data = data.astype(np.float64)
        except (TypeError, ValueError):
            raise InputError(f"{path}: the array is not numeric.") from None
        return data, None, str(path)
    try:
        data, header = _read_csv(path)
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a text CSV file.") from None
    return data, header, str(path)


def _select_columns(data, header, columns):
    if columns is None:
        return data, header
    idx = []
    for col in columns:
        if header is not None and col in header:
            idx.append(header.index(col))
            continue
        try:
            j = int(col)
        except ValueError:
            known = f" (columns: {', '.join(header)})" if header else ""
            raise InputError(f"unknown column {col!r}{known}.") from None
        if not 0 <= j < data.shape[1]:
            raise InputError(
                f"column index {j} is out of range for {data.shape[1]} columns."
            )
        idx.append(j)
    names = [header[j] for j in idx] if header is not None else None
    return data[:, idx], names


def run(argv=None, stdout=None):
    """Run the assessment; returns the exit status."""
    stdout = stdout or sys.stdout
    args = _parse_args(argv)
    data, header, source = _load(args)
    data, header = _select_columns(data, header, args.columns)
    if data.shape[0] < 2:
        raise InputError(f"{source}: needs at least 2 samples, got {data.shape[0]}.")
    if not np.isfinite(data).all():
        i, j = np.argwhere(~np.isfinite(data))[0]
        raise InputError(
            f"{source}: row {i + 1}, column {j + 1} is {data[i, j]} (NaN or inf)."
        )
    if args.standardize:
        from sklearn.preprocessing import StandardScaler

        data = StandardScaler().fit_transform(data)

    from ._cut_weights import ivat_from_cut_weights
    from ._scoring import assess_tendency
    from ._vat import IVAT

    report = assess_tendency(data, random_state=args.random_state)
    print(f"data: {source}", file=stdout)
    if header:
        print(f"columns: {', '.join(header)}", file=stdout)
    if args.standardize:
        print("(standardized)", file=stdout)
    print(report, file=stdout)

    if not args.no_plots:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from ._display import plot_ordered_image
        from ._image import vat_image

        est = IVAT(n_references=0).fit(data)  # the order only: no estimate drawn
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        images = {
            "vat.png": ("VAT", vat_image(data, est.order_, "euclidean", None, None)),
            "ivat.png": ("iVAT", ivat_from_cut_weights(est.cut_weights_)),
        }
        for name, (title, image) in images.items():
            fig, ax = plt.subplots(figsize=(5, 5))
            plot_ordered_image(image, ax=ax, title=f"{title} of {Path(source).name}")
            fig.savefig(out / name, dpi=100, bbox_inches="tight")
            plt.close(fig)
            print(f"wrote {out / name}", file=stdout)
    return 0


def main(argv=None):
    """Console-script entry point."""
    try:
        return run(argv)
    except InputError as exc:
        print(f"sklearn-tendency: error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        # Validation errors from the estimators name the problem already.
        print(f"sklearn-tendency: error: {exc}", file=sys.stderr)
        return 2

