"""Build the Cython extensions; everything else is declared in pyproject.toml.

Every ``sklearn_tendency/**/*.pyx`` becomes an extension module of the same
dotted name, compiled with -O3 and OpenMP, against the numpy C API without its
deprecated parts. The kernels' C lives in headers next to them
(``sklearn_tendency/*.h``, found through ``include_dirs``) and the Cython they
share in ``.pxd`` files; a change to either rebuilds every extension.
Warnings are on (-Wall -Wextra, /W3 on MSVC): the kernels and the code Cython
generates from them compile warning-free with GCC 12, and each header also on
its own (``gcc -Wall -Wextra -Werror -fopenmp -x c -fsyntax-only
sklearn_tendency/<name>.h``, with and without -fopenmp and -mno-sse2).
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


def _warning_flags():
    if sys.platform == "win32":
        return ["/W3"]
    return ["-Wall", "-Wextra"]


def extensions():
    compile_omp, link_omp = _openmp_flags()
    # No fused multiply-add contraction (GCC's default where FMA exists, e.g.
    # with -march=native or on aarch64): the exact VAT routes compare sums
    # that must be the same bits in every kernel, and the k-means kernels
    # must give scikit-learn's bits (its wheels are built without FMA on x86-64).
    extra_compile = ([] if sys.platform == "win32" else ["-O3", "-ffp-contract=off"]) + _warning_flags()
    package = HERE / "sklearn_tendency"
    # Headers and .pxd files: rebuild when they change.
    depends = [str(p.relative_to(HERE)) for p in sorted(package.glob("*.h"))]
    depends += [str(p.relative_to(HERE)) for p in sorted(package.glob("*.pxd"))]
    exts = []
    for pyx in sorted(package.rglob("*.pyx")):
        rel = pyx.relative_to(HERE).with_suffix("")
        exts.append(
            Extension(
                ".".join(rel.parts),
                [str(pyx.relative_to(HERE))],
                include_dirs=["sklearn_tendency", np.get_include()],
                depends=depends,
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
