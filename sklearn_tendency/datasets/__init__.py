"""Data sets shipped with sklearn-tendency."""

from ._base import load_faithful

__all__ = ["load_faithful"]
