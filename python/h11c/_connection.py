"""h11._connection's names, for code that imports them from there."""
from ._core import (
    _body_framing,
    _keep_alive,
    Connection,
    DEFAULT_MAX_INCOMPLETE_EVENT_SIZE,
    NEED_DATA,
    PAUSED,
)

__all__ = ["Connection", "NEED_DATA", "PAUSED", "DEFAULT_MAX_INCOMPLETE_EVENT_SIZE"]
