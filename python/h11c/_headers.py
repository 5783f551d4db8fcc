"""h11._headers's Headers (wsproto imports it from here)."""
from ._core import Headers

__all__ = ["Headers"]
