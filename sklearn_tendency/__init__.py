"""sklearn-tendency: are there clusters here, or a continuum?"""

__version__ = "0.1.0.dev0"

__all__ = []
