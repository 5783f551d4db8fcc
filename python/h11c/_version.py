"""The version of h11's API that h11c provides, and h11c's own."""

# h11's API as of this version (h11 0.14 with the 0.16 fixes): code that
# checks h11.__version__ sees an h11 it knows.
__version__ = "0.16.0"

from ._core import H11C_VERSION as h11c_version  # noqa: E402

__all__ = ["__version__", "h11c_version"]
