"""``python -m sklearn_tendency``: the command line (see :mod:`sklearn_tendency._cli`)."""

from ._cli import main

if __name__ == "__main__":
    raise SystemExit(main())
