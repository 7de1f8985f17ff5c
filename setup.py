"""Build the Cython extensions; everything else is declared in pyproject.toml.

Every ``sklearn_tendency/**/*.pyx`` becomes an extension module of the same
dotted name, compiled with -O3 and OpenMP, against the numpy C API without its
deprecated parts.
"""

import os
import sys
from pathlib import Path

import numpy as np
from Cython.Build import cythonize
from setuptools import Extension, setup

HERE = Path(__file__).parent


def _openmp_flags():
    # Apple clang ships no OpenMP runtime: build serial kernels there unless the
    # user points us at one (prange then runs on one thread, results unchanged).
    if sys.platform == "darwin" and not os.environ.get("SKLEARN_TENDENCY_OPENMP"):
        return [], []
    if sys.platform == "win32":
        return ["/openmp"], []
    return ["-fopenmp"], ["-fopenmp"]


def extensions():
    compile_omp, link_omp = _openmp_flags()
    extra_compile = [] if sys.platform == "win32" else ["-O3"]
    exts = []
    for pyx in sorted((HERE / "sklearn_tendency").rglob("*.pyx")):
        rel = pyx.relative_to(HERE).with_suffix("")
        exts.append(
            Extension(
                ".".join(rel.parts),
                [str(pyx.relative_to(HERE))],
                include_dirs=[np.get_include()],
                define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_9_API_VERSION")],
                extra_compile_args=extra_compile + compile_omp,
                extra_link_args=link_omp,
            )
        )
    return cythonize(
        exts,
        language_level=3,
        compiler_directives={
            "boundscheck": False,
            "wraparound": False,
            "cdivision": True,
            "initializedcheck": False,
            "nonecheck": False,
        },
    )


setup(ext_modules=extensions())
