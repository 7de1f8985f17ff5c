"""Test-suite configuration that depends on the installed versions."""

import numpy as np


def pytest_configure(config):
    # A ragged array built by accident is an error, not a warning. The class
    # moved to numpy.exceptions in numpy 1.25 (and left the top level in 2.0),
    # so the filter names it where this numpy has it.
    module = "numpy.exceptions" if hasattr(np, "exceptions") else "numpy"
    config.addinivalue_line("filterwarnings", f"error::{module}.VisibleDeprecationWarning")
