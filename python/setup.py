"""Builds h11c's CPython extension: python/h11c/_core.c with the C library
(lib/*.c of this repository) compiled in, symbols hidden."""
import glob
import os

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = os.path.join(HERE, "..", "lib")
if not os.path.isdir(LIB):  # building from an unpacked sdist
    LIB = os.path.join(HERE, "lib")


def rel(path):
    return os.path.relpath(path, HERE)


sources = [rel(os.path.join(HERE, "h11c", "_core.c"))] + sorted(
    rel(p) for p in glob.glob(os.path.join(LIB, "h11c_*.c"))
)

setup(
    ext_modules=[
        Extension(
            "h11c._core",
            sources=sources,
            include_dirs=[rel(LIB)],
            # lib/'s functions stay inside the extension: only PyInit__core
            # is exported.
            define_macros=[("H11C_EXTERN", "")],
            extra_compile_args=["-std=c11", "-fvisibility=hidden", "-O2"],
        )
    ],
)
