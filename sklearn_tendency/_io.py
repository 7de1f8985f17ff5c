"""Reading a user's data file for the command line: CSV, .npy, .npz, Parquet.

CSV files are parsed by numpy's C reader (:func:`numpy.loadtxt`, fast since
numpy 1.23) in chunks of lines, so a file of any size is read with a progress
count and a bad cell is located exactly. Only the dialect is guessed here,
from the first lines: the separator (comma, semicolon, tab, bar or
whitespace; ``delimiter`` forces one), the header row (present when a row's
text cells sit above numbers), the encoding (UTF-8 with or without a
byte-order mark, else Latin-1). No dependency beyond numpy; Parquet needs the
optional ``pyarrow``.
"""

import csv
import gzip
import itertools
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["DELIMITERS", "InputError", "Table", "read_table"]

# Names a user may give to --delimiter, and the separators tried, in order
# of preference when several split the first lines consistently.
DELIMITERS = {
    ",": ",",
    "comma": ",",
    ";": ";",
    "semicolon": ";",
    "\t": "\t",
    "\\t": "\t",
    "tab": "\t",
    "|": "|",
    "bar": "|",
    "whitespace": None,
    "space": None,
    " ": None,
}
_CANDIDATES = (",", ";", "\t", "|")
_SNIFF_BYTES = 1 << 16
_SNIFF_LINES = 200
# Lines are handed to numpy in chunks of about this many bytes (readlines'
# size hint): progress and a bad cell's line number, with bounded memory.
_CHUNK_BYTES = 1 << 24
_DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d+$")
_MISSING = {"na", "n/a", "nan", "null", "none", "-", "?", ".", "#n/a"}


class InputError(Exception):
    """A problem with the user's file or options: one line, exit status 2."""


@dataclass
class Table:
    """What :func:`read_table` read.

    Attributes
    ----------
    data : ndarray of shape (n_samples, n_features), float64
    names : list of str
        Names of the data columns (header names, or 0-based indices as text).
    labels : ndarray of shape (n_samples,) or None
        The ``label`` column, as read (text or numbers).
    label_name : str or None
    notes : list of str
        What the reader decided and the user may want to know (separator,
        encoding, skipped columns).
    """

    data: np.ndarray
    names: list
    labels: object = None
    label_name: object = None
    notes: list = field(default_factory=list)


def _is_number(cell):
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _display_delimiter(delimiter):
    return {None: "whitespace", "\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}.get(
        delimiter, repr(delimiter)
    )


def _split(line, delimiter):
    if delimiter is None:
        return line.split()
    return next(csv.reader([line], delimiter=delimiter), [])


def _sniff_delimiter(lines):
    """The separator that splits every sample line into the same number (> 1)
    of fields, preferring the one whose cells are most often numbers."""
    best, best_score = None, None
    for delimiter in _CANDIDATES + (None,):
        rows = [_split(line, delimiter) for line in lines]
        widths = {len(r) for r in rows}
        if len(widths) != 1 or widths == {1}:
            continue
        numeric = sum(_is_number(c) for r in rows for c in r)
        score = (numeric, -_CANDIDATES.index(delimiter) if delimiter else -len(_CANDIDATES))
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    if best_score is None:
        # One column, or rows of unequal widths: comma, whose errors say which
        # line differs.
        return ","
    return best


def _has_header(rows):
    """A header row is text above numbers: some column's first cell is not a
    number while every cell below it is."""
    first, rest = rows[0], rows[1:]
    if not rest:
        return not all(_is_number(c) for c in first)
    for j, cell in enumerate(first):
        below = [r[j] for r in rest if j < len(r) and r[j].strip()]
        if cell.strip() and not _is_number(cell) and below and all(map(_is_number, below)):
            return True
    return False


def _resolve(spec, names, what):
    """Index of a column given by name or by 0-based index."""
    if spec in names:
        return names.index(spec)
    try:
        j = int(spec)
    except ValueError:
        raise InputError(f"unknown {what} {spec!r} (columns: {', '.join(names)}).") from None
    if not 0 <= j < len(names):
        raise InputError(f"{what} index {j} is out of range for {len(names)} columns.")
    return j


def _select(names, numeric, columns, label, first_text):
    """Data column indices, label column index, and notes."""
    notes = []
    label_j = None if label is None else _resolve(label, names, "label column")
    if columns is not None:
        use = [_resolve(c, names, "column") for c in columns]
        for j in use:
            if not numeric[j]:
                raise InputError(
                    f"column {names[j]!r} is not numeric ({first_text(j)}); "
                    "name it with --label if it holds classes."
                )
        if label_j in use:
            raise InputError(f"column {names[label_j]!r} is both a data column and the label.")
    else:
        use = [j for j in range(len(names)) if numeric[j] and j != label_j]
        skipped = [names[j] for j in range(len(names)) if not numeric[j] and j != label_j]
        if skipped:
            notes.append(
                f"skipped non-numeric column{'s' if len(skipped) > 1 else ''}: "
                f"{', '.join(skipped)} (--label COLUMN draws classes on the image)"
            )
    if not use:
        raise InputError("no numeric column to analyse.")
    return use, label_j, notes


class _Progress:
    """A row count on stderr, updated in place, once reading takes over a second."""

    def __init__(self, verbose, what):
        self.verbose, self.what, self.t0 = verbose, what, time.perf_counter()
        self.shown = False

    def __call__(self, message, end="\n"):
        if self.verbose and (self.shown or self.elapsed() > 1.0):
            self.shown = True
            print(f"\r{self.what}: {message}", end=end, file=sys.stderr, flush=True)

    def elapsed(self):
        return time.perf_counter() - self.t0


def _open_text(path, encoding):
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    return opener(path, "rt", encoding=encoding, newline=None)


def _head_bytes(path):
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "rb") as f:
        return f.read(_SNIFF_BYTES)


def _encoding(head):
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("the file is UTF-16 text; save it as UTF-8 (or Latin-1) CSV.")
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    # The head may end inside a multi-byte character: judge whole lines only.
    cut = head.rfind(b"\n")
    try:
        (head[: cut + 1] if cut >= 0 else head).decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8-sig"


def _locate_bad_cell(path, lines, first_line, delimiter, use, names, width):
    """One line naming the first bad line or cell of a chunk numpy refused."""
    for k, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = _split(line.rstrip("\r\n"), delimiter)
        where = f"{path.name}: line {first_line + k}"
        if len(cells) != width:
            return (
                f"{where} has {len(cells)} fields, expected {width} "
                f"(separator: {_display_delimiter(delimiter)})."
            )
        for j in use:
            cell = cells[j].strip()
            if not cell:
                return (
                    f"{where}, column {names[j]!r}: empty cell (missing value); "
                    "fill or remove the rows with missing values."
                )
            if cell.lower() in _MISSING:
                return (
                    f"{where}, column {names[j]!r}: {cell!r}, a missing value; "
                    "fill or remove the rows with missing values."
                )
            if not _is_number(cell):
                hint = ""
                others = [d for d in _CANDIDATES if d != delimiter and d in cell]
                if others:
                    hint = (
                        f"; the separator may be {_display_delimiter(others[0])} "
                        f"rather than {_display_delimiter(delimiter)} "
                        f"(--delimiter {_display_delimiter(others[0])})"
                    )
                elif _DECIMAL_COMMA.match(cell):
                    hint = "; decimal commas are not read: use a point as decimal mark"
                return f"{where}, column {names[j]!r}: {cell!r} is not a number{hint}."
    return None


def _read_csv(path, columns, label, delimiter, verbose):
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty.")
    encoding = _encoding(_head_bytes(path))
    try:
        return _read_csv_encoded(path, columns, label, delimiter, verbose, encoding)
    except UnicodeDecodeError:
        if encoding == "latin-1":  # pragma: no cover - latin-1 decodes any byte
            raise
        # A non-UTF-8 byte past the first lines: the file is Latin-1 after all.
        return _read_csv_encoded(path, columns, label, delimiter, verbose, "latin-1")


def _read_csv_encoded(path, columns, label, delimiter, verbose, encoding):
    notes = [] if encoding != "latin-1" else ["encoding: Latin-1 (not valid UTF-8)"]
    with _open_text(path, encoding) as f:
        head = list(itertools.islice(f, _SNIFF_LINES + 50))
    # Leading comment lines; np.savetxt writes its header as "# a,b,c".
    skip = 0
    while skip < len(head) and (not head[skip].strip() or head[skip].lstrip().startswith("#")):
        skip += 1
    sample = [ln.rstrip("\r\n") for ln in head[skip:] if ln.strip()][:_SNIFF_LINES]
    commented_header = None
    if skip and head[skip - 1].lstrip().startswith("#"):
        commented_header = head[skip - 1].lstrip()[1:].strip()
    if not sample:
        raise InputError(f"{path}: the file has no data rows.")
    if delimiter is _AUTO:
        delimiter = _sniff_delimiter(sample)
        if delimiter != ",":
            notes.append(f"separator: {_display_delimiter(delimiter)}")
    rows = [_split(line, delimiter) for line in sample]
    width = len(rows[0])
    header = _has_header(rows)
    if not header and commented_header is not None and len(_split(commented_header, delimiter)) == width:
        names = [c.strip() for c in _split(commented_header, delimiter)]
    elif header:
        names = [c.strip() for c in rows[0]]
        rows = rows[1:]
        if not rows:
            raise InputError(f"{path}: a header row and no data rows.")
    else:
        names = [str(j) for j in range(width)]
    if len(set(names)) != len(names):
        names = [f"{nm} ({j})" if names.count(nm) > 1 else nm for j, nm in enumerate(names)]
    # A column is numeric when most of its first cells are numbers: a text
    # column is skipped with a note, a stray text cell in a numeric column
    # is an error that names it.
    numeric = []
    for j in range(width):
        cells = [r[j] for r in rows if j < len(r) and r[j].strip()]
        numeric.append(bool(cells) and 2 * sum(map(_is_number, cells)) >= len(cells))
    if not any(numeric) and any(_DECIMAL_COMMA.match(c.strip()) for r in rows for c in r):
        raise InputError(
            f"{path}: no numeric column; the numbers seem to have decimal commas "
            "(e.g. 1,5), which are not read: use a point as decimal mark."
        )

    def first_text(j):
        cell = next((r[j] for r in rows if j < len(r) and not _is_number(r[j])), "")
        return f"e.g. {cell.strip()!r}"

    use, label_j, more = _select(names, numeric, columns, label, first_text)
    notes += more
    progress = _Progress(verbose, f"reading {path.name}")
    chunks, label_chunks = [], []
    n_rows = 0
    with _open_text(path, encoding) as f:
        for _ in range(skip + header):
            next(f)
        line_no = skip + header + 1
        while True:
            lines = f.readlines(_CHUNK_BYTES)
            if not lines:
                break
            try:
                block = np.loadtxt(
                    lines,
                    delimiter=delimiter,
                    usecols=use,
                    ndmin=2,
                    dtype=np.float64,
                    quotechar='"',
                    comments="#",
                )
                if label_j is not None:
                    label_chunks.append(
                        np.loadtxt(
                            lines,
                            delimiter=delimiter,
                            usecols=[label_j],
                            dtype=str,
                            quotechar='"',
                            comments="#",
                            ndmin=1,
                        )
                    )
            except ValueError as exc:
                message = _locate_bad_cell(path, lines, line_no, delimiter, use, names, width)
                raise InputError(message or f"{path.name}: {exc}") from None
            chunks.append(block)
            n_rows += block.shape[0]
            line_no += len(lines)
            progress(f"{n_rows:,} rows", end="")
    progress(f"{n_rows:,} rows x {len(use)} columns in {progress.elapsed():.1f} s")
    data = np.concatenate(chunks) if chunks else np.empty((0, len(use)))
    labels = None
    if label_j is not None:
        labels = np.char.strip(np.concatenate(label_chunks))
    return Table(data, [names[j] for j in use], labels, None if label_j is None else names[label_j], notes)


_AUTO = object()


def _numeric_array(array, path):
    if array.dtype.names is not None:
        raise InputError(f"{path}: structured arrays are not read; save a plain 2-d array.")
    if array.dtype.kind not in "biuf":
        raise InputError(f"{path}: the array is not numeric (dtype {array.dtype}).")
    return array


def _from_matrix(data, columns, label, path, labels=None, label_name=None):
    """Column selection on an array without a header (names are indices)."""
    notes = []
    if data.ndim == 1:
        data = data[:, None]
        notes.append("1-d array read as one column")
    if data.ndim != 2:
        raise InputError(
            f"{path}: expected a 2-d array (samples x features), got {data.ndim}-d of shape {data.shape}."
        )
    names = [str(j) for j in range(data.shape[1])]
    if label is not None and labels is None:
        label_j = _resolve(label, names, "label column")
        labels, label_name = data[:, label_j], names[label_j]
        keep = [j for j in range(data.shape[1]) if j != label_j]
    else:
        keep = list(range(data.shape[1]))
    if columns is not None:
        keep = [_resolve(c, names, "column") for c in columns]
    return Table(
        np.asarray(data[:, keep], dtype=np.float64), [names[j] for j in keep], labels, label_name, notes
    )


def _read_npy(path, columns, label):
    try:
        data = np.load(path, allow_pickle=False)
    except (ValueError, OSError) as exc:
        raise InputError(f"{path}: not a readable .npy file ({exc}).") from None
    return _from_matrix(_numeric_array(data, path), columns, label, path)


def _read_npz(path, columns, label):
    try:
        archive = np.load(path, allow_pickle=False)
        arrays = {k: archive[k] for k in archive.files}
    except (ValueError, OSError) as exc:
        raise InputError(f"{path}: not a readable .npz file ({exc}).") from None
    if not arrays:
        raise InputError(f"{path}: the archive holds no array.")
    labels = label_name = None
    if label is not None and label in arrays:
        labels, label_name = arrays.pop(label), label
    candidates = [k for k in arrays if arrays[k].ndim == 2] or list(arrays)
    if len(candidates) > 1:
        named = [k for k in ("X", "data", "x") if k in candidates]
        if not named:
            raise InputError(
                f"{path}: several arrays ({', '.join(arrays)}); name the data 'X' or "
                "keep one array (the labels may be another, given with --label)."
            )
        candidates = named
    key = candidates[0]
    table = _from_matrix(
        _numeric_array(arrays[key], path),
        columns,
        None if labels is not None else label,
        path,
        labels,
        label_name,
    )
    table.notes.insert(0, f"array {key!r}")
    return table


def _read_parquet(path, columns, label):
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
        import pyarrow.types as pt
    except ImportError:
        raise InputError(
            f"{path}: reading Parquet needs pyarrow (pip install pyarrow), or save the data as CSV or .npy."
        ) from None
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc}).") from None
    names = list(table.column_names)
    numeric = [
        pt.is_integer(t) or pt.is_floating(t) or pt.is_boolean(t) or pt.is_decimal(t)
        for t in table.schema.types
    ]
    use, label_j, notes = _select(names, numeric, columns, label, lambda j: f"type {table.schema.types[j]}")
    data = np.column_stack([table.column(j).to_numpy(zero_copy_only=False).astype(np.float64) for j in use])
    labels = None
    if label_j is not None:
        labels = np.asarray(table.column(label_j).to_numpy(zero_copy_only=False))
    return Table(data, [names[j] for j in use], labels, None if label_j is None else names[label_j], notes)


def read_table(path, *, columns=None, label=None, delimiter=None, verbose=False):
    """Read a data file of samples x features for the command line.

    Parameters
    ----------
    path : str or Path
        ``.npy``, ``.npz``, ``.parquet`` (needs ``pyarrow``), or text: CSV,
        TSV or whitespace-separated, optionally gzip-compressed (``.gz``).
    columns : list of str, default=None
        Data columns by header name or 0-based index; ``None``: every
        numeric column but the label (text columns are skipped with a note).
    label : str, default=None
        Column of known classes (name or index; for ``.npz``, an array name).
    delimiter : str, default=None
        Separator of a text file (a key of ``DELIMITERS``); ``None`` detects
        it from the first lines.
    verbose : bool, default=False
        Progress of the reading on stderr.

    Returns
    -------
    table : Table

    Raises
    ------
    InputError
        With a one-line message naming the file and, for a bad cell, its line,
        column and value.

    Notes
    -----
    Time: numpy's C parser, about 1 s per 10^6 numbers. Memory: the data
    (8 bytes a number) plus one chunk of 16 MB of text.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a directory; give a data file.")
    if not path.exists():
        raise InputError(f"{path}: no such file.")
    suffix = path.suffix.lower()
    if suffix == ".npy":
        return _read_npy(path, columns, label)
    if suffix == ".npz":
        return _read_npz(path, columns, label)
    if suffix in (".parquet", ".pq"):
        return _read_parquet(path, columns, label)
    if suffix in (".xls", ".xlsx", ".ods"):
        raise InputError(f"{path}: spreadsheets are not read; save the sheet as CSV.")
    if delimiter is None:
        delimiter = _AUTO
    elif delimiter in DELIMITERS:
        delimiter = DELIMITERS[delimiter]
    else:
        raise InputError(
            f"unknown --delimiter {delimiter!r}; use one of comma, semicolon, tab, "
            "bar, whitespace (or the character itself)."
        )
    try:
        return _read_csv(path, columns, label, delimiter, verbose)
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError) as exc:
        raise InputError(f"{path}: not a readable text file ({exc}).") from None
