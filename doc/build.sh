#!/usr/bin/env bash
# Build the documentation (API reference and the example gallery, every example
# run) with warnings as errors, offline. Needs the package importable (installed,
# or built in place and on PYTHONPATH) and the `doc` extra:
#   pip install ".[doc]" && doc/build.sh
# PYTHON selects the interpreter (default: python3). Output: doc/_build/html.
set -euo pipefail
PYTHON=${PYTHON:-python3}
# A relative interpreter path (.venv/bin/python) is relative to where the
# command was typed, not to doc/: resolve it before changing directory.
case "$PYTHON" in
  */*) PYTHON="$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON")" ;;
esac
cd "$(dirname "$0")"
# A clean build: stale generated pages could hide a broken example.
rm -rf _build auto_examples generated sg_execution_times.rst
MPLBACKEND=Agg "$PYTHON" -m sphinx -W --keep-going -b html . _build/html "$@"
echo "documentation: $(pwd)/_build/html/index.html"
