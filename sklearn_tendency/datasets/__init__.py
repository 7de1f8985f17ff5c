"""Data sets shipped with sklearn-tendency."""

from ._base import load_faithful, make_clustering_seminar

__all__ = ["load_faithful", "make_clustering_seminar"]
