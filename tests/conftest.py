"""Test-suite configuration that depends on the installed versions."""

import os

import numpy as np


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
