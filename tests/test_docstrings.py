"""The Examples sections of the public docstrings run and print what they say."""

import doctest
import importlib
import pkgutil

import pytest

import sklearn_tendency

MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(sklearn_tendency.__path__, "sklearn_tendency.")
    # Every module: the public names live in private modules and are re-exported.
    if not name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
