"""Sphinx configuration of the sklearn-tendency documentation.

Builds offline: no intersphinx inventories are fetched, so every reference to
numpy, scipy, matplotlib or scikit-learn is plain text (``nitpicky`` is off).
The package is imported as installed (or from ``PYTHONPATH``); the source tree
of a clean clone has no compiled extensions.
"""

import os
import re
import warnings
from datetime import date

from sphinx_gallery.sorting import ExplicitOrder

import sklearn_tendency

project = "sklearn-tendency"
author = "sklearn-tendency developers"
copyright = f"{date.today().year}, {author}"
release = sklearn_tendency.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    # User-guide figures drawn at build time from the code in the page.
    "matplotlib.sphinxext.plot_directive",
]
plot_include_source = False
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 90)]
# A tight box: the colour and label bars VATDisplay adds beside an axes lie
# outside what a constrained layout sees, and the titles were clipped.
plot_rcparams = {"figure.max_open_warning": 0, "savefig.bbox": "tight"}

templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    "auto_examples/*.ipynb",
    "auto_examples/**/*.ipynb",
    "auto_examples/**/*.py.md5",
    "sg_execution_times.rst",
]
default_role = "literal"

autosummary_generate = True
autodoc_default_options = {
    "members": True,
    "inherited-members": False,
    # scikit-learn's generated metadata-routing setters refer to its own
    # glossary, which this site does not have.
    "exclude-members": ",".join(
        [
            "set_output",
            "set_fit_request",
            "set_score_request",
            "set_predict_request",
            "set_transform_request",
            "set_partial_fit_request",
            "get_metadata_routing",
        ]
    ),
}
# numpydoc lists the members itself from the docstrings' sections.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

html_theme = "pydata_sphinx_theme"
html_title = f"sklearn-tendency {release}"
# custom.css: gallery tables and code scroll instead of being cut off.
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": False,
    "header_links_before_dropdown": 6,
    # The gallery's printed tables and long code lines get the width of the
    # page-contents sidebar, which an example of one section does not need:
    # the pages that keep it are listed (an unlisted page has none).
    "secondary_sidebar_items": {
        page: ["page-toc", "sourcelink"]
        for page in ("index", "install", "api", "user_guide/*", "generated/*")
    },
}
html_sidebars = {"index": [], "install": []}

# sphinx-gallery runs every example; the figures land in auto_examples/.
os.environ.setdefault("MPLBACKEND", "Agg")
sphinx_gallery_conf = {
    "examples_dirs": ["../examples"],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r"/plot_",
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "doc_module": ("sklearn_tendency",),
    "backreferences_dir": os.path.join("generated", "backreferences"),
    # Animations embedded as JavaScript frames: no ffmpeg needed.
    "matplotlib_animations": (True, "jshtml"),
    # The user's questions in order: is there structure, how does k-means get
    # there, how do methods compare, how do clusters map to classes.
    "subsection_order": ExplicitOrder(
        [
            "../examples/tendency",
            "../examples/kmeans",
            "../examples/comparison",
            "../examples/matching",
        ]
    ),
    "within_subsection_order": "FileNameSortKey",
    "remove_config_comments": True,
    "min_reported_time": 1,
    "show_memory": False,
    "write_computation_times": False,
}

# Agg has no display; a warning from an example is an example's bug, but
# matplotlib's "non-interactive backend" notice from plt.show() is not.
warnings.filterwarnings(
    "ignore",
    category=UserWarning,
    message="(Matplotlib is currently using agg|FigureCanvasAgg is non-interactive)",
)


_PARENS = re.compile(r"\(([^()`]*)\)")
_TRAILING_UNDERSCORE = re.compile(r"(?<![`\w])([A-Za-z]\w*_)(?![\w`])")


def _quote_trailing_underscore_shapes(app, what, name, obj, options, lines):
    # "shape (n_iter_ + 1,)" is read by docutils as a link to a target
    # "n_iter"; scikit-learn writes such names in backquotes. Quote them (in
    # parentheses, where shapes are written) so docstrings written either way
    # render.
    def quote(match):
        return "(" + _TRAILING_UNDERSCORE.sub(r"`\1`", match.group(1)) + ")"

    for i, line in enumerate(lines):
        lines[i] = _PARENS.sub(quote, line)


def setup(app):
    app.connect("autodoc-process-docstring", _quote_trailing_underscore_shapes)
