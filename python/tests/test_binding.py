"""The binding's own tests: h11's public API as the binding provides it.
Run under tools/h11c-as-h11, so `h11` is the binding."""
import collections.abc
import dataclasses
import gc
import sys

import pytest

import h11
from h11 import (
    CLIENT, CLOSED, DONE, ERROR, IDLE, MIGHT_SWITCH_PROTOCOL, MUST_CLOSE,
    NEED_DATA, PAUSED, SEND_BODY, SEND_RESPONSE, SERVER, SWITCHED_PROTOCOL,
    Connection, ConnectionClosed, Data, EndOfMessage, Event,
    InformationalResponse, LocalProtocolError, ProtocolError,
    RemoteProtocolError, Request, Response,
)

SENTINELS = [CLIENT, SERVER, IDLE, SEND_RESPONSE, SEND_BODY, DONE, MUST_CLOSE,
             CLOSED, MIGHT_SWITCH_PROTOCOL, SWITCHED_PROTOCOL, ERROR,
             NEED_DATA, PAUSED]

PUBLIC = ["Connection", "NEED_DATA", "PAUSED", "ConnectionClosed", "Data",
          "EndOfMessage", "Event", "InformationalResponse", "Request",
          "Response", "CLIENT", "CLOSED", "DONE", "ERROR", "IDLE",
          "MIGHT_SWITCH_PROTOCOL", "MUST_CLOSE", "SEND_BODY", "SEND_RESPONSE",
          "SERVER", "SWITCHED_PROTOCOL", "ProtocolError",
          "LocalProtocolError", "RemoteProtocolError", "PRODUCT_ID",
          "__version__", "DEFAULT_MAX_INCOMPLETE_EVENT_SIZE"]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_name(name):
    assert hasattr(h11, name)


def test_all_names_exist():
    for name in h11.__all__:
        assert hasattr(h11, name), name


def test_constants():
    assert h11.PRODUCT_ID == "python-h11/" + h11.__version__
    assert h11.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE == 16384
    from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
    assert DEFAULT_MAX_INCOMPLETE_EVENT_SIZE == 16384


def test_private_modules():
    from h11._connection import Connection as C, NEED_DATA as N, PAUSED as P
    from h11._events import Request as R, Event as E
    from h11._state import CLIENT as CL, ERROR as ER
    from h11._util import LocalProtocolError as L, Sentinel, bytesify, validate
    from h11._headers import Headers
    assert (C, N, P, R, E, CL, ER, L) == (Connection, NEED_DATA, PAUSED,
                                          Request, Event, CLIENT, ERROR,
                                          LocalProtocolError)
    assert type(CLIENT) is CLIENT and isinstance(CLIENT, Sentinel)
    assert Headers is type(Request(method="GET", target="/",
                                   headers=[("Host", "a")]).headers)
    assert bytesify("a") == b"a"
    with pytest.raises(TypeError):
        bytesify(1)


@pytest.mark.parametrize("s", SENTINELS, ids=repr)
def test_sentinel(s):
    assert type(s) is s
    assert isinstance(s, s)
    assert repr(s) == s.__name__
    assert isinstance(s, h11._util.Sentinel)
    assert {s: 1}[s] == 1


def test_sentinel_isinstance_tuple():
    assert isinstance(PAUSED, (EndOfMessage, PAUSED))
    assert not isinstance(NEED_DATA, (EndOfMessage, PAUSED))
    assert isinstance(EndOfMessage(), (EndOfMessage, PAUSED))


def test_sentinels_distinct():
    assert len(set(SENTINELS)) == len(SENTINELS)


# ---- events ----

def req(**kw):
    kw.setdefault("method", "GET")
    kw.setdefault("target", "/")
    kw.setdefault("headers", [("Host", "a")])
    return Request(**kw)


def test_request_fields_and_conversion():
    r = Request(method="GET", target=bytearray(b"/x"),
                headers=[("Host", "a"), (b"X-Y", memoryview(b"z"))])
    assert r.method == b"GET" and type(r.method) is bytes
    assert r.target == b"/x" and type(r.target) is bytes
    assert r.http_version == b"1.1"
    assert r.headers == [(b"host", b"a"), (b"x-y", b"z")]
    assert r.headers.raw_items() == [(b"Host", b"a"), (b"X-Y", b"z")]


def test_request_repr_and_eq():
    r = req()
    assert repr(r) == ("Request(method=b'GET', headers=<Headers([(b'host', "
                       "b'a')])>, target=b'/', http_version=b'1.1')")
    assert r == req()
    assert r != req(target="/y")
    assert r != Response(status_code=200, headers=[])
    with pytest.raises(TypeError):
        hash(r)


@pytest.mark.parametrize("kw", [
    dict(headers=[]),  # no Host in 1.1
    dict(headers=[("Host", "a"), ("Host", "b")]),
    dict(method="G T"),
    dict(method=""),
    dict(target="/ x"),
    dict(target=""),
    dict(headers=[("Host", "a"), ("Bad Name", "x")]),
    dict(headers=[("Host", "a"), ("X", " leading")]),
    dict(headers=[("Host", "a"), ("X", "a\r\nb")]),
    dict(headers=[("Host", "a"), ("X", "a\x00b")]),
    dict(headers=[("Host", "a"), ("Content-Length", "1x")]),
    dict(headers=[("Host", "a"), ("Content-Length", "1, 2")]),
    dict(headers=[("Host", "a"), ("Content-Length", "1"), ("Content-Length", "2")]),
    dict(headers=[("Host", "a"), ("Transfer-Encoding", "gzip")]),
    dict(headers=[("Host", "a"), ("Transfer-Encoding", "chunked"),
                  ("Transfer-Encoding", "chunked")]),
])
def test_request_invalid(kw):
    with pytest.raises(LocalProtocolError):
        req(**kw)


def test_request_http10_needs_no_host():
    assert req(headers=[], http_version="1.0").headers == []


def test_error_messages_and_hints():
    with pytest.raises(LocalProtocolError) as e:
        req(headers=[("Host", "a"), ("foo bar", "x")])
    assert "foo bar" in str(e.value) and e.value.error_status_hint == 400
    with pytest.raises(LocalProtocolError) as e:
        req(headers=[("Host", "a"), ("X", "bar\rbaz")])
    assert "bar\\rbaz" in str(e.value)
    with pytest.raises(LocalProtocolError) as e:
        req(headers=[("Host", "a"), ("Transfer-Encoding", "gzip")])
    assert e.value.error_status_hint == 501
    with pytest.raises(LocalProtocolError) as e:
        req(headers=[])
    assert str(e.value) == "Missing mandatory Host: header"
    with pytest.raises(LocalProtocolError) as e:
        Response(status_code=99, headers=[])
    assert "not 99" in str(e.value)


def test_header_normalisation():
    r = req(headers=[("Host", "a"), ("Content-Length", "5 , 5"),
                     ("content-length", "5"), ("Transfer-Encoding", "CHUNKED")])
    assert r.headers == [(b"host", b"a"), (b"content-length", b"5"),
                         (b"transfer-encoding", b"chunked")]
    assert r.headers.raw_items()[2] == (b"Transfer-Encoding", b"chunked")


def test_header_value_types():
    with pytest.raises(TypeError):
        req(headers=[("Host", 1)])
    with pytest.raises(UnicodeEncodeError):
        req(headers=[("Host", "é")])
    with pytest.raises((TypeError, ValueError)):
        req(headers=[("Host",)])


def test_response_events():
    r = Response(status_code=200, headers=[("A", "b")], reason="OK")
    assert (r.status_code, r.reason, r.http_version) == (200, b"OK", b"1.1")
    assert repr(r) == ("Response(headers=<Headers([(b'a', b'b')])>, "
                       "http_version=b'1.1', reason=b'OK', status_code=200)")
    i = InformationalResponse(status_code=101, headers=[("Upgrade", "x")])
    assert i.status_code == 101
    for bad in (99, 200, 1000):
        with pytest.raises(LocalProtocolError):
            InformationalResponse(status_code=bad, headers=[])
    for bad in (199, 1000, 10**30):
        with pytest.raises(LocalProtocolError):
            Response(status_code=bad, headers=[])
    with pytest.raises(LocalProtocolError):
        Response(status_code="200", headers=[])
    import http
    r = Response(status_code=http.HTTPStatus.OK, headers=[])
    assert r.status_code == 200 and type(r.status_code) is int


def test_data_event():
    d = Data(b"x")
    assert (d.data, d.chunk_start, d.chunk_end) == (b"x", False, False)
    assert Data(data=b"x", chunk_start=True) == Data(b"x", True)
    assert repr(Data(b"x")) == "Data(data=b'x', chunk_start=False, chunk_end=False)"
    placeholder = object()
    assert Data(data=placeholder).data is placeholder


def test_end_of_message_and_closed():
    assert EndOfMessage().headers == []
    assert EndOfMessage(headers=[("X", "y")]).headers == [(b"x", b"y")]
    assert repr(EndOfMessage()) == "EndOfMessage(headers=<Headers([])>)"
    with pytest.raises(LocalProtocolError):
        EndOfMessage(headers=[("X y", "z")])
    assert ConnectionClosed() == ConnectionClosed()
    assert repr(ConnectionClosed()) == "ConnectionClosed()"
    hash(ConnectionClosed())


@pytest.mark.parametrize("ev", [
    req(), Response(status_code=200, headers=[]), Data(b""), EndOfMessage(),
    ConnectionClosed(), InformationalResponse(status_code=100, headers=[])],
    ids=lambda e: type(e).__name__)
def test_events_immutable(ev):
    assert isinstance(ev, Event)
    for name in ("method", "headers", "data", "status_code", "other"):
        with pytest.raises(AttributeError):
            setattr(ev, name, 1)


def test_keyword_only_and_unknown_args():
    with pytest.raises(TypeError):
        Request("GET", [], "/")
    with pytest.raises(TypeError):
        Response(status_code=200, headers=[], bogus=1)
    with pytest.raises(TypeError):
        Request(method="GET", target="/")
    with pytest.raises(TypeError):
        Data()


def test_parsed_skips_validation():
    r = Request(method=b"G T", target=b"/", headers=[(b"a b", b"c")],
                http_version=b"1.1", _parsed=True)
    assert r.method == b"G T"


def test_match_args():
    assert Request.__match_args__ == ("method", "headers", "target", "http_version")
    match Data(b"x"):
        case Data(data):
            assert data == b"x"


# ---- Headers ----

def test_headers_sequence():
    h = req(headers=[("Host", "a"), ("X", "1"), ("X", "2")]).headers
    assert isinstance(h, collections.abc.Sequence)
    assert len(h) == 3 and bool(h) and not bool(EndOfMessage().headers)
    assert h[0] == (b"host", b"a") and h[-1] == (b"x", b"2")
    assert h[1:] == [(b"x", b"1"), (b"x", b"2")]
    assert list(h) == [(b"host", b"a"), (b"x", b"1"), (b"x", b"2")]
    assert (b"x", b"1") in h and (b"x", b"3") not in h
    assert h.index((b"x", b"2")) == 2 and h.count((b"x", b"1")) == 1
    assert list(reversed(h))[0] == (b"x", b"2")
    with pytest.raises(IndexError):
        h[3]
    assert h == [(b"host", b"a"), (b"x", b"1"), (b"x", b"2")]
    assert h == req(headers=[("host", "a"), ("x", "1"), ("x", "2")]).headers
    assert h != [(b"host", b"a")]
    assert h != 5
    assert repr(h).startswith("<Headers([(b'host', b'a')")
    with pytest.raises(TypeError):
        hash(h)


def test_headers_passed_through():
    h = req().headers
    assert req(headers=h).headers is h
    assert h11._headers.Headers([(b"A", b"a", b"b")]).raw_items() == [(b"A", b"b")]


# ---- errors ----

def test_errors():
    with pytest.raises(TypeError):
        ProtocolError("abstract")
    e = LocalProtocolError("x")
    assert e.error_status_hint == 400 and e.args == ("x",)
    assert RemoteProtocolError("y", 431).error_status_hint == 431
    assert issubclass(LocalProtocolError, ProtocolError)
    assert issubclass(RemoteProtocolError, ProtocolError)
    assert issubclass(ProtocolError, Exception)
    try:
        try:
            raise LocalProtocolError("z", 418)
        except LocalProtocolError as exc:
            exc._reraise_as_remote_protocol_error()
    except RemoteProtocolError as exc:
        assert exc.error_status_hint == 418 and str(exc) == "z"


# ---- Connection ----

def test_connection_basics():
    with pytest.raises(ValueError):
        Connection(IDLE)
    c = Connection(SERVER)
    assert (c.our_role, c.their_role) == (SERVER, CLIENT)
    assert c.states == {CLIENT: IDLE, SERVER: IDLE}
    assert c.their_http_version is None
    assert c.next_event() is NEED_DATA
    c.receive_data(b"GET / HTTP/1.0\r\n\r\n")
    assert type(c.next_event()) is Request
    assert c.their_http_version == b"1.0"
    assert type(c.next_event()) is EndOfMessage
    assert c.next_event() is NEED_DATA
    c.receive_data(b"")
    with pytest.raises(RuntimeError):
        c.receive_data(b"x")


def test_paused_after_message():
    c = Connection(SERVER)
    c.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET")
    c.next_event()
    c.next_event()
    assert c.next_event() is PAUSED


def test_server_cycle_bytes():
    c = Connection(SERVER)
    c.receive_data(bytearray(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
    assert c.next_event() == req(headers=[("host", "a")])
    c.next_event()
    assert c.send(Response(status_code=200, headers=[])) == (
        b"HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n")
    assert c.send(Data(b"hello")) == b"5\r\nhello\r\n"
    assert c.send(EndOfMessage()) == b"0\r\n\r\n"
    assert c.states == {CLIENT: DONE, SERVER: DONE}
    c.start_next_cycle()
    assert c.states == {CLIENT: IDLE, SERVER: IDLE}
    assert c.send(ConnectionClosed()) is None
    assert c.our_state is CLOSED


def test_passthrough():
    class Placeholder:
        def __len__(self):
            return 10
    p = Placeholder()
    c = Connection(CLIENT)
    c.send(Request(method="POST", target="/", headers=[("Host", "a"),
                                                        ("Content-Length", "10")]))
    out = c.send_with_data_passthrough(Data(data=p))
    assert out == [p] and out[0] is p
    c = Connection(CLIENT)
    c.send(Request(method="POST", target="/", headers=[("Host", "a"),
                                                        ("Transfer-Encoding", "chunked")]))
    out = c.send_with_data_passthrough(Data(data=p))
    assert out[0] == b"a\r\n" and out[1] is p and out[2] == b"\r\n"
    body = b"abc"
    assert c.send_with_data_passthrough(Data(body))[1] is body


def test_send_errors_move_to_error():
    c = Connection(CLIENT)
    with pytest.raises(LocalProtocolError) as e:
        c.send(Data(b"x"))
    assert "can't handle event type Data when role=CLIENT and state=IDLE" in str(e.value)
    assert c.our_state is ERROR
    with pytest.raises(LocalProtocolError) as e:
        c.send(req())
    assert str(e.value) == "Can't send data when our state is ERROR"
    c = Connection(CLIENT)
    with pytest.raises(LocalProtocolError):
        c.send("not an event")
    assert c.our_state is ERROR
    c = Connection(SERVER)
    c.send_failed()
    assert c.our_state is ERROR


def test_too_much_data():
    c = Connection(CLIENT)
    c.send(Request(method="POST", target="/", headers=[("Host", "a"),
                                                        ("Content-Length", "1")]))
    with pytest.raises(LocalProtocolError) as e:
        c.send(Data(b"xx"))
    assert str(e.value) == "Too much data for declared Content-Length"


def test_remote_errors_and_hints():
    c = Connection(SERVER)
    c.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n")
    with pytest.raises(RemoteProtocolError) as e:
        c.next_event()
    assert e.value.error_status_hint == 400 and c.their_state is ERROR
    with pytest.raises(RemoteProtocolError) as e:
        c.next_event()
    assert str(e.value) == "Can't receive data when peer state is ERROR"
    c = Connection(SERVER, max_incomplete_event_size=100)
    c.receive_data(b"GET /" + b"x" * 200)
    with pytest.raises(RemoteProtocolError) as e:
        c.next_event()
    assert e.value.error_status_hint == 431
    c = Connection(SERVER)
    c.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n")
    with pytest.raises(RemoteProtocolError) as e:
        c.next_event()
    # a known difference: 400, not 501, for a request (RFC 9112 6.1)
    assert e.value.error_status_hint == 400


def test_lost_connection_messages():
    c = Connection(CLIENT)
    c.send(req())
    c.receive_data(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n12345")
    c.receive_data(b"")
    assert type(c.next_event()) is Response
    assert c.next_event() == Data(b"12345")
    with pytest.raises(RemoteProtocolError) as e:
        c.next_event()
    assert "received 5 bytes" in str(e.value) and "expected 100" in str(e.value)
    c = Connection(CLIENT)
    c.send(req())
    c.receive_data(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")
    c.receive_data(b"")
    c.next_event()
    c.next_event()
    with pytest.raises(RemoteProtocolError) as e:
        c.next_event()
    assert "incomplete chunked read" in str(e.value)


def test_100_continue():
    c = Connection(SERVER)
    c.receive_data(b"POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
                   b"Content-Length: 1\r\n\r\n")
    c.next_event()
    assert c.they_are_waiting_for_100_continue
    assert c.client_is_waiting_for_100_continue
    c.send(InformationalResponse(status_code=100, headers=[]))
    assert not c.they_are_waiting_for_100_continue


def test_upgrade_and_trailing_data():
    c = Connection(SERVER)
    c.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
                   b"Connection: Upgrade\r\n\r\nrest")
    c.next_event()
    c.next_event()
    assert c.next_event() is PAUSED
    assert c.states[CLIENT] is MIGHT_SWITCH_PROTOCOL
    c.send(InformationalResponse(status_code=101, headers=[("Upgrade", "websocket")]))
    assert c.states == {CLIENT: SWITCHED_PROTOCOL, SERVER: SWITCHED_PROTOCOL}
    assert c.trailing_data == (b"rest", False)


def test_start_next_cycle_error():
    c = Connection(CLIENT)
    with pytest.raises(LocalProtocolError) as e:
        c.start_next_cycle()
    assert str(e.value) == "not in a reusable state"


def test_close_delimited_and_closed():
    c = Connection(CLIENT)
    c.send(req())
    c.send(EndOfMessage())
    c.receive_data(b"HTTP/1.0 200 OK\r\n\r\nabc")
    c.receive_data(b"")
    assert type(c.next_event()) is Response
    assert c.next_event() == Data(b"abc")
    assert c.next_event() == EndOfMessage()
    assert c.next_event() == ConnectionClosed()
    assert c.states[SERVER] is CLOSED


# ---- the known differences, from Python ----

def test_difference_cl_te_request_closes():
    c = Connection(SERVER)
    c.receive_data(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
                   b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    c.next_event()
    assert c.next_event() == EndOfMessage()
    c.send(Response(status_code=200, headers=[("Content-Length", "0")]))
    c.send(EndOfMessage())
    assert c.our_state is MUST_CLOSE


def test_difference_cl_te_request_refused_to_send():
    c = Connection(CLIENT)
    with pytest.raises(LocalProtocolError):
        c.send(Request(method="POST", target="/", headers=[
            ("Host", "a"), ("Content-Length", "3"), ("Transfer-Encoding", "chunked")]))


def test_difference_length_over_64_bits():
    c = Connection(SERVER)
    c.receive_data(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: "
                   b"18446744073709551616\r\n\r\n")
    with pytest.raises(RemoteProtocolError) as e:
        c.next_event()
    assert e.value.error_status_hint == 400


def test_difference_content_length_21_digits():
    c = Connection(SERVER)
    c.receive_data(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: "
                   b"000000000000000000001\r\n\r\n")
    with pytest.raises(RemoteProtocolError):
        c.next_event()


def test_difference_bare_cr_in_chunk_extension():
    c = Connection(SERVER)
    c.receive_data(b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
                   b"\r\n1;a\rb\r\nx\r\n0\r\n\r\n")
    c.next_event()
    with pytest.raises(RemoteProtocolError):
        c.next_event()


def test_difference_head_over_limit_in_one_piece():
    c = Connection(SERVER, max_incomplete_event_size=64)
    c.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\nX: " + b"y" * 100 + b"\r\n\r\n")
    with pytest.raises(RemoteProtocolError) as e:
        c.next_event()
    assert e.value.error_status_hint == 431


@pytest.mark.parametrize("resp", [
    dict(status_code=204, headers=[("Content-Length", "0")]),
    dict(status_code=200, headers=[], reason=b"O\rK"),
])
def test_difference_refused_to_send(resp):
    c = Connection(SERVER)
    c.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    c.next_event()
    ev = Response(**resp)  # h11 builds it ...
    with pytest.raises(LocalProtocolError):
        c.send(ev)  # ... and sends it; h11c refuses


def test_difference_chunk_start_on_each_chunk():
    c = Connection(CLIENT)
    c.send(req())
    c.receive_data(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")
    c.next_event()
    assert c.next_event() == Data(b"ab", chunk_start=True)
    c.receive_data(b"cde\r\n0\r\n\r\n")
    assert c.next_event() == Data(b"cde", chunk_start=False, chunk_end=True)


def test_no_gil_state_between_connections():
    a, b = Connection(SERVER), Connection(SERVER)
    a.receive_data(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    assert b.next_event() is NEED_DATA
    assert type(a.next_event()) is Request
