"""Test-suite configuration that depends on the installed versions."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest


def pytest_configure(config):
    # A ragged array built by accident is an error, not a warning. The class
    # moved to numpy.exceptions in numpy 1.25 (and left the top level in 2.0),
    # so the filter names it where this numpy has it.
    module = "numpy.exceptions" if hasattr(np, "exceptions") else "numpy"
    config.addinivalue_line("filterwarnings", f"error::{module}.VisibleDeprecationWarning")


# The tests run against the installed package. A child Python started from the
# checkout (``python -c ...`` with the working directory at the repository
# root, as the README's commands run) would put the working directory first on
# sys.path and import the source folder, whose extensions are not built in a
# clean clone. Python >= 3.11 leaves it out when PYTHONSAFEPATH is set; the
# children inherit it.
os.environ.setdefault("PYTHONSAFEPATH", "1")


@pytest.fixture
def interrupted_vat_fit(tmp_path):
    """Fit ``VAT(**params)`` on ``data`` (code of an array) in a child Python,
    send it a real SIGINT one second in, and return what the child printed
    ("interrupted False": it stopped and left the estimator unfitted) and the
    seconds from the signal to its exit.
    """

    def run(data, params, timeout):
        script = textwrap.dedent(
            f"""
            import signal
            # A shell's background job (``cmd &``) starts with SIGINT
            # ignored, and children inherit that: restore Python's handler.
            signal.signal(signal.SIGINT, signal.default_int_handler)
            import numpy as np
            from sklearn_tendency import VAT
            X = {data}
            est = VAT(**{params!r})
            print("started", flush=True)
            try:
                est.fit(X)
            except KeyboardInterrupt:
                print("interrupted", hasattr(est, "order_"), flush=True)
            """
        )
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
        # Outside the checkout: ``python -c`` puts the working directory first
        # on sys.path, and a clean clone's source folder has no extensions.
        proc = subprocess.Popen(
            [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env, cwd=tmp_path
        )
        assert proc.stdout.readline().strip() == "started"
        time.sleep(1.0)
        t0 = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=timeout)
        return out.strip(), time.perf_counter() - t0

    return run


def _textbook_vat(D):
    """Textbook VAT (Bezdek & Hathaway 2002) on a full dissimilarity matrix.

    Start at the row of D's first maximum (row-major), then, one sample at a
    time, order the open sample nearest to the ordered ones; a tie goes to the
    lowest index. O(n^3) time: the brute-force oracle for small n.
    """
    n = D.shape[0]
    start = int(np.argmax(D)) // n
    order, cuts = [start], [0.0]
    open_ = [j for j in range(n) if j != start]
    while open_:
        dists = D[np.ix_(order, open_)].min(axis=0)
        k = int(np.argmin(dists))  # first minimum: open_ ascends, so the lowest index
        order.append(open_[k])
        cuts.append(dists[k])
        open_.pop(k)
    return np.array(order), np.array(cuts)


@pytest.fixture(scope="session")
def textbook_vat():
    """The textbook VAT reference: ``textbook_vat(D) -> (order, cut_weights)``."""
    return _textbook_vat


def _core_prim(X, metric="euclidean"):
    """The two-pass reference: brute-force first maximum, then Prim's from it."""
    from sklearn_tendency import _vat_prim

    X = np.ascontiguousarray(X)
    code = _vat_prim.NATIVE_METRICS[metric]
    start, _ = _vat_prim.farthest_pair_start(X, code, 1)
    n = X.shape[0]
    order, cuts = np.empty(n, dtype=np.intp), np.empty(n)
    _vat_prim.prim_features(X, start, code, order, cuts, np.empty(n, dtype=np.intp), 1)
    if metric == "euclidean":
        cuts = np.sqrt(cuts)
    return order, cuts


@pytest.fixture(scope="session")
def core_prim():
    """The kernels' two-pass VAT: ``core_prim(X, metric) -> (order, cut_weights)``."""
    return _core_prim
