"""The package's version, in one place: pyproject.toml reads it at build time
(``[tool.setuptools.dynamic]``) without importing the compiled package, and
``sklearn_tendency.__version__`` re-exports it."""

__version__ = "0.1.0.dev0"
