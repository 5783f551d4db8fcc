"""h11c: h11's API (0.14-0.16) on the h11c C library.

A drop-in for h11: ``import h11c as h11``, or put the folder printed by
``tools/h11c-as-h11 --path`` on sys.path to import it as ``h11``.
"""
import collections.abc as _abc

from ._core import (
    CLIENT,
    CLOSED,
    DONE,
    ERROR,
    IDLE,
    MIGHT_SWITCH_PROTOCOL,
    MUST_CLOSE,
    NEED_DATA,
    PAUSED,
    SEND_BODY,
    SEND_RESPONSE,
    SERVER,
    SWITCHED_PROTOCOL,
    Connection,
    ConnectionClosed,
    Data,
    DEFAULT_MAX_INCOMPLETE_EVENT_SIZE,
    EndOfMessage,
    Event,
    Headers,
    InformationalResponse,
    LocalProtocolError,
    ProtocolError,
    RemoteProtocolError,
    Request,
    Response,
)
from ._version import __version__, h11c_version

_abc.Sequence.register(Headers)

PRODUCT_ID = "python-h11/" + __version__

__all__ = (
    "Connection",
    "NEED_DATA",
    "PAUSED",
    "ConnectionClosed",
    "Data",
    "EndOfMessage",
    "Event",
    "InformationalResponse",
    "Request",
    "Response",
    "CLIENT",
    "CLOSED",
    "DONE",
    "ERROR",
    "IDLE",
    "MIGHT_SWITCH_PROTOCOL",
    "MUST_CLOSE",
    "SEND_BODY",
    "SEND_RESPONSE",
    "SERVER",
    "SWITCHED_PROTOCOL",
    "ProtocolError",
    "LocalProtocolError",
    "RemoteProtocolError",
    "PRODUCT_ID",
    "DEFAULT_MAX_INCOMPLETE_EVENT_SIZE",
)
