"""h11._util's names: the exceptions, the Sentinel metaclass, and the two
helpers h11's tests import."""
from ._core import LocalProtocolError, ProtocolError, RemoteProtocolError, Sentinel

__all__ = [
    "ProtocolError",
    "LocalProtocolError",
    "RemoteProtocolError",
    "Sentinel",
    "validate",
    "bytesify",
]


def validate(regex, data, msg="malformed data", *format_args):
    """Full-match regex on data and return the named groups, or raise
    LocalProtocolError(msg formatted with format_args)."""
    match = regex.fullmatch(data)
    if match is None:
        raise LocalProtocolError(msg.format(*format_args) if format_args else msg)
    return match.groupdict()


def bytesify(s):
    """bytes from bytes, bytes-like objects and ASCII str; never from int."""
    if type(s) is bytes:
        return s
    if isinstance(s, str):
        return s.encode("ascii")
    if isinstance(s, int):
        raise TypeError("expected bytes-like object, not int")
    return bytes(s)
