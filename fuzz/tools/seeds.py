#!/usr/bin/env python3
"""Write the hand-made seed corpora of the fuzz targets.

    fuzz/tools/seeds.py [--out-root DIR]

This file is the readable source of corpus/<target>/seeds/: valid messages
of every framing kind and the edge cases around them, encoded in each
target's input layout (fuzz/README.md) and named by the SHA-256 of their
contents.  corpus/<target>/seeds/ is rewritten from scratch, and every input in the
corpus layout found under corpus/ (known-differences/, smuggling/) is
imported into corpus/<target>/imported/ by http2seed.py.
"""
import argparse
import base64
import os
import shutil
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import http2seed  # noqa: E402

# ---------------------------------------------------------------------------
# Server-role inputs: what a client sends.
# ---------------------------------------------------------------------------

H = b"Host: example\r\n"
SERVER = {
    "get": b"GET / HTTP/1.1\r\n" + H + b"\r\n",
    "post_content_length": b"POST /a HTTP/1.1\r\n" + H
    + b"Content-Length: 5\r\n\r\nhello",
    "chunked_ext_trailers": b"POST /c HTTP/1.1\r\n" + H
    + b"Transfer-Encoding: chunked\r\n\r\n5;a=b;c=\"d e\"\r\nhello\r\n"
    b"3\r\nabc\r\n0\r\nX-Trailer: 1\r\nContent-Length: 8\r\n\r\n",
    "chunked_empty": b"POST / HTTP/1.1\r\n" + H
    + b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "pipelined_three": b"GET /1 HTTP/1.1\r\n" + H + b"\r\n"
    b"POST /2 HTTP/1.1\r\n" + H + b"Content-Length: 3\r\n\r\nabc"
    b"PUT /3 HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n"
    b"1\r\nx\r\n0\r\n\r\n",
    "http10": b"GET / HTTP/1.0\r\n\r\n",
    "http10_keep_alive_pipelined": b"GET / HTTP/1.0\r\n"
    b"Connection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\n",
    "http10_chunked": b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"2\r\nab\r\n0\r\n\r\n",
    "connection_close_then_more": b"GET / HTTP/1.1\r\n" + H
    + b"Connection: close\r\n\r\nGET /next HTTP/1.1\r\n" + H + b"\r\n",
    "upgrade_with_body": b"POST / HTTP/1.1\r\n" + H
    + b"Upgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 2\r\n\r\n"
    b"hiGET /after HTTP/1.1\r\n" + H + b"\r\n",
    "connect": b"CONNECT example:443 HTTP/1.1\r\n" + H + b"\r\n"
    b"GET / HTTP/1.1\r\n" + H + b"\r\n",
    "connect_with_body": b"CONNECT example:443 HTTP/1.1\r\n" + H
    + b"Content-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n" + H + b"\r\n",
    "expect_100_continue": b"PUT /u HTTP/1.1\r\n" + H
    + b"Expect: 100-continue\r\nContent-Length: 4\r\n\r\ndata",
    "obs_fold": b"GET / HTTP/1.1\r\n" + H + b"X-Folded: a\r\n  b\r\n\tc\r\n\r\n",
    "obs_fold_content_length": b"POST / HTTP/1.1\r\n" + H
    + b"Content-Length:\r\n 3\r\n\r\nabc",
    "obs_fold_at_start": b"GET / HTTP/1.1\r\n x: y\r\n" + H + b"\r\n",
    "bare_lf": b"POST / HTTP/1.1\nHost: example\nContent-Length: 1\n\nx"
    b"GET / HTTP/1.1\r\nHost: a\n\r\n",
    "cl_and_te": b"POST / HTTP/1.1\r\n" + H
    + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    b"GET /smuggled HTTP/1.1\r\n" + H + b"\r\n",
    "te_gzip_chunked": b"POST / HTTP/1.1\r\n" + H
    + b"Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    "te_chunked_gzip": b"POST / HTTP/1.1\r\n" + H
    + b"Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
    "te_twice": b"POST / HTTP/1.1\r\n" + H
    + b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
    "cl_list_same": b"POST / HTTP/1.1\r\n" + H
    + b"Content-Length: 2, 2\r\nContent-Length: 2\r\n\r\nab",
    "cl_conflict": b"POST / HTTP/1.1\r\n" + H
    + b"Content-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
    "cl_leading_zeros": b"POST / HTTP/1.1\r\n" + H
    + b"Content-Length: 0002\r\n\r\nab",
    "cl_signed": b"POST / HTTP/1.1\r\n" + H + b"Content-Length: +2\r\n\r\nab",
    "cl_2_pow_64": b"POST / HTTP/1.1\r\n" + H
    + b"Content-Length: 18446744073709551616\r\n\r\n",
    "cl_max_u64": b"POST / HTTP/1.1\r\n" + H
    + b"Content-Length: 18446744073709551615\r\n\r\nabc",
    "chunk_size_2_pow_64": b"POST / HTTP/1.1\r\n" + H
    + b"Transfer-Encoding: chunked\r\n\r\n10000000000000000\r\nabc\r\n",
    "chunk_size_20_digits": b"POST / HTTP/1.1\r\n" + H
    + b"Transfer-Encoding: chunked\r\n\r\n00000000000000000003\r\nabc\r\n"
    b"0\r\n\r\n",
    "chunk_size_ows": b"POST / HTTP/1.1\r\n" + H
    + b"Transfer-Encoding: chunked\r\n\r\n3 \t\r\nabc\r\n0\r\n\r\n",
    "chunk_ext_bare_cr": b"POST / HTTP/1.1\r\n" + H
    + b"Transfer-Encoding: chunked\r\n\r\n3;a\rb\r\nabc\r\n0\r\n\r\n",
    "chunk_bad_footer": b"POST / HTTP/1.1\r\n" + H
    + b"Transfer-Encoding: chunked\r\n\r\n3\r\nabcXX0\r\n\r\n",
    "last_chunk_bare_lf": b"POST / HTTP/1.1\r\n" + H
    + b"Transfer-Encoding: chunked\r\n\r\n0\r\n\nGET / HTTP/1.1\r\n" + H
    + b"\r\n",
    "trailer_obs_fold": b"POST / HTTP/1.1\r\n" + H
    + b"Transfer-Encoding: chunked\r\n\r\n0\r\nX: a\r\n b\r\n\r\n",
    "head_with_body": b"HEAD / HTTP/1.1\r\n" + H
    + b"Content-Length: 3\r\n\r\nabc",
    "targets": b"OPTIONS * HTTP/1.1\r\n" + H + b"\r\n"
    b"GET http://other/x?y#z HTTP/1.1\r\n" + H + b"\r\n",
    "http09": b"GET /\r\n\r\n",
    "http20_syntax": b"GET / HTTP/2.0\r\n\r\nGET / HTTP/9.9\r\n\r\n",
    "missing_host": b"GET / HTTP/1.1\r\n\r\n",
    "two_hosts": b"GET / HTTP/1.1\r\n" + H + H + b"\r\n",
    "leading_crlf": b"\r\nGET / HTTP/1.1\r\n" + H + b"\r\n",
    "space_before_colon": b"GET / HTTP/1.1\r\n" + H
    + b"Content-Length : 0\r\n\r\n",
    "ctl_and_obs_text_values": b"GET / HTTP/1.1\r\n" + H
    + b"X: a\x01b\xff\r\nY:\t  v  \t\r\n\r\n",
    "nul_in_value": b"GET / HTTP/1.1\r\n" + H + b"X: a\x00b\r\n\r\n",
    "truncated_body": b"POST / HTTP/1.1\r\n" + H
    + b"Content-Length: 10\r\n\r\nabc",
    "truncated_head": b"GET / HTTP/1.1\r\nHost: exa",
    "long_head": b"GET /" + b"a" * 300 + b" HTTP/1.1\r\n" + H + b"\r\n",
    "many_headers": b"GET / HTTP/1.1\r\n" + H + b"a:\r\n" * 40 + b"\r\n",
    "lowercase_method": b"get / HTTP/1.1\r\n" + H + b"\r\n",
    "double_space": b"GET  / HTTP/1.1\r\n" + H + b"\r\n",
}

# The known past finding: a head starting with a byte below 0x21 and longer
# than max_incomplete_event_size gave 431 whole and 400 in pieces (fixed in
# lib/h11c_readers.c).  Configuration 0x01 = 200-byte limit; split 0x05 =
# pieces of 6 bytes, as in the harness that found it.
PAST_FINDING = base64.b64decode(
    "AQUBCFNUIC8gSFRUUC8xLjEqCkhkc3Q6IGENCkNvbioKSGRzdDogYQ0KQ29uKgpIZHN0OiBh"
    "DQpDb250ZW50LUxlbmd0aDogNg0KVHJhbnNmZXItRW5jb2Rpbmc6IGNodW5kCmUNaw0KMw0K"
    "YWIzDVRyYW5zZmVp/xUgY2h1YQ0KQ29udGVudC1MZW5ndGg6IDYNClRyYW5zZmVyLUVuY29k"
    "aW5nOiBjaHVuZAplDWsNCjMNCmFiMw1UcmFuc2Zlaf8VIGNodW5rZWQNCgowDQoNCg==")

# ---------------------------------------------------------------------------
# Client-role inputs: what a server sends, with the request's method.
# ---------------------------------------------------------------------------

CLIENT = {
    "content_length": ("GET", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                       b"hello"),
    "chunked_trailers": ("GET", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                         b"chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nX-T: 1"
                         b"\r\n\r\n"),
    "close_delimited": ("GET", b"HTTP/1.1 200 OK\r\n\r\nuntil the end"),
    "http10_close_delimited": ("GET", b"HTTP/1.0 200 OK\r\n\r\nbody"),
    "http10_keep_alive": ("GET", b"HTTP/1.0 200 OK\r\nConnection: keep-alive"
                          b"\r\nContent-Length: 1\r\n\r\nx"
                          b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"),
    "continue_then_ok": ("POST", b"HTTP/1.1 100 Continue\r\n\r\n"
                         b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    "early_hints": ("GET", b"HTTP/1.1 103 Early Hints\r\nLink: </s>\r\n\r\n"
                    b"HTTP/1.1 204 No Content\r\n\r\n"),
    "head_with_length": ("HEAD", b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n"
                         b"\r\n"),
    "head_then_bytes": ("HEAD", b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                        b"\r\nabc"),
    "no_content_with_length": ("GET", b"HTTP/1.1 204 No Content\r\n"
                               b"Content-Length: 3\r\n\r\n"),
    "not_modified": ("GET", b"HTTP/1.1 304 Not Modified\r\nContent-Length: 7"
                     b"\r\n\r\n"),
    "connect_ok": ("CONNECT", b"HTTP/1.1 200 Connection established\r\n\r\n"
                   b"tunnel bytes"),
    "connect_refused": ("CONNECT", b"HTTP/1.1 407 Proxy\r\nContent-Length: 1"
                        b"\r\n\r\nx"),
    "pipelined_responses": ("GET", b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
                            b"\r\naHTTP/1.1 200 OK\r\nTransfer-Encoding: "
                            b"chunked\r\n\r\n1\r\nb\r\n0\r\n\r\nHTTP/1.1 404"
                            b" Not Found\r\nContent-Length: 0\r\n\r\n"),
    "connection_close": ("GET", b"HTTP/1.1 200 OK\r\nConnection: close\r\n"
                         b"Content-Length: 2\r\n\r\nokextra"),
    "status_without_reason": ("GET", b"HTTP/1.1 200\r\nContent-Length: 0"
                              b"\r\n\r\n"),
    "reason_obs_text": ("GET", b"HTTP/1.1 200 \xc3\xa9t\xe9\t!\r\n"
                        b"Content-Length: 0\r\n\r\n"),
    "obs_fold": ("GET", b"HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0"
                 b"\r\n\r\n"),
    "cl_and_te": ("GET", b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    "status_99": ("GET", b"HTTP/1.1 099 Low\r\n\r\n"),
    "status_four_digits": ("GET", b"HTTP/1.1 1000 High\r\n\r\n"),
    "bare_lf": ("GET", b"HTTP/1.1 200 OK\nContent-Length: 1\n\nx"),
    "truncated_chunked": ("GET", b"HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                          b"chunked\r\n\r\n5\r\nab"),
}
# The same responses for requests sent by the other request kinds: a 101
# to an Upgrade request, a 100 Continue to Expect (the body is sent only
# then), a response to a request with Connection: close.
CLIENT_KINDS = {
    "switching_protocols": (3, b"HTTP/1.1 101 Switching Protocols\r\n"
                            b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
                            b"\r\nwebsocket bytes"),
    "upgrade_declined": (3, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                         b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    "switching_unasked": (0, b"HTTP/1.1 101 Switching Protocols\r\n\r\n"),
    "expect_continue": (5, b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 "
                        b"Created\r\nContent-Length: 0\r\n\r\n"),
    "expect_final_first": (13, b"HTTP/1.1 417 Expectation Failed\r\n"
                           b"Content-Length: 0\r\n\r\n"),
    "request_close": (6, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
    "keep_alive_mixed": (0x10 | 14, b"HTTP/1.1 200 OK\r\nContent-Length: 0"
                         b"\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"),
}

# ---------------------------------------------------------------------------
# fuzz_roundtrip scripts (the encoder mirrors fuzz_roundtrip.c's reads).
# ---------------------------------------------------------------------------

NAME = {"Host": 0, "Content-Length": 1, "Transfer-Encoding": 2,
        "Connection": 3, "Upgrade": 4, "Expect": 5, "X-Custom": 6,
        "Trailer": 7}
VALUE = {"example": 0, "0": 1, "5": 2, "5, 5": 3, "chunked": 4,
         "CHUNKED": 5, "close": 6, "keep-alive": 7, "upgrade": 8,
         "websocket": 9, "100-continue": 10, "gzip": 11, "a\x01b": 12,
         "obs-text": 13, "Close, Upgrade": 14, "a, keep-alive, B": 15,
         "": 16, "x y": 17}
METHOD = {"GET": 0, "HEAD": 1, "POST": 2, "PUT": 3, "CONNECT": 4,
          "OPTIONS": 5, "DELETE": 6, "PATCH": 7}


class Script:
    """A fuzz_roundtrip input under construction."""

    def __init__(self, chunk_ext_option=True):
        self.b = bytearray([1 if chunk_ext_option else 0])

    @staticmethod
    def fields(fields):
        out = bytearray([len(fields)])
        for f in fields:
            name, value = f[0], f[1]
            how = f[2] if len(f) > 2 else 0
            out += bytes([NAME[name], how])
            if isinstance(value, int):  # a number: 18, then two bytes
                out += bytes([18]) + struct.pack(">H", value)
            else:
                out.append(VALUE[value])
        return out

    def request(self, method="GET", target=0, fields=(("Host", "example"),),
                split=0):
        self.b += bytes([0, METHOD[method], target, 0])
        self.b += self.fields(fields)
        self.b.append(split)
        return self

    def data(self, server=False, payload=b"", ext=None, fill=None, split=0):
        self.b.append(5 if server else 1)
        how = 0 if fill is not None else 1
        if fill is not None:
            how |= (fill & 15) << 4
        if ext is not None:
            how |= 4
        self.b.append(how)
        if fill is None:
            self.b.append(len(payload))
            self.b += payload
        if ext is not None:
            self.b.append(ext)
        self.b.append(split)
        return self

    def end(self, server=False, trailers=None, split=0):
        self.b.append(6 if server else 2)
        if trailers:
            self.b.append(1)
            self.b += self.fields(trailers)
        else:
            self.b.append(0)
        self.b.append(split)
        return self

    def response(self, status=0, reason=1, fields=(), info=False, split=0):
        self.b += bytes([3 if info else 4, status, reason, 1])
        self.b += self.fields(fields)
        self.b.append(split)
        return self

    def cycle(self):
        self.b.append(7)
        return self

    def close(self, server=False):
        self.b.append(9 if server else 8)
        return self


def roundtrip_scripts():
    S = Script
    yield S().request().end().response(0, 1, [("Content-Length", 5)]) \
        .data(True, b"hello").end(True).cycle() \
        .request("POST", 1, [("Host", "example"), ("Content-Length", 3)]) \
        .data(fill=2).end().response(0, 1, []).data(True, b"chunked!", ext=0) \
        .end(True, [("X-Custom", "x y")]).cycle().close()
    yield S().request("POST", 0, [("Host", "example"),
                                  ("Transfer-Encoding", "chunked")], 0x43) \
        .data(payload=b"abc", ext=1).data(payload=b"de", ext=4) \
        .data(payload=b"") .end(trailers=[("X-Custom", "a\x01b"),
                                          ("Host", "example", 3)]) \
        .response(0, 0, [("Transfer-Encoding", "CHUNKED"),
                         ("Content-Length", 5)]) \
        .data(True, b"xyz", ext=5).end(True)
    yield S().request("HEAD").end().response(0, 1, [("Content-Length", 100)]) \
        .end(True).cycle().request("GET", 2, [("Host", "example"),
                                             ("Connection", "close")]) \
        .end().response(2, 0, [("Connection", "a, keep-alive, B")]) \
        .end(True).close(True)
    yield S().request("CONNECT", 3).end().response(0, 2, [])
    yield S().request("GET", 0, [("Host", "example"), ("Upgrade", "websocket"),
                                 ("Connection", "upgrade")]).end() \
        .response(1, 2, [("Upgrade", "websocket")], info=True)
    yield S().request("PUT", 0, [("Host", "example"),
                                 ("Expect", "100-continue"),
                                 ("Content-Length", 4)]) \
        .response(0, 1, [], info=True).data(payload=b"data") \
        .end().response(1, 1, [("Content-Length", 0)]).end(True).cycle()
    yield S().request("GET", 4, [("Host", "example"),
                                 ("Content-Length", "5, 5")], 0x81) \
        .data(payload=b"12345").end() \
        .response(3, 4, [("Content-Length", 9)]).end(True).cycle()
    yield S(False).request("OPTIONS", 2).end() \
        .response(0, 3, [("Connection", "close"), ("X-Custom", "obs-text")]) \
        .data(True, b"q" * 40).end(True).close(True)


# ---------------------------------------------------------------------------
# fuzz_api scripts (mirrors fuzz_api.c's reads).
# ---------------------------------------------------------------------------

def api_event(type_=0, method=0, target=0, version=0, reason=0, status=7,
              data=0, ext=7, headers=()):
    out = bytearray([type_, method, target, version, reason, status, data,
                     ext, 0, len(headers)])
    if headers:
        out.append(0)
        for name, value in headers:
            out += bytes([name, 0, value])
    return bytes(out)


def api_scripts():
    send_c, send_s = 12, 13          # op 6 on connection 0 / 1
    recv_c, recv_s = 2 | 0, 2 | 1    # op 1: receive_data
    next_c, next_s = 8, 9            # op 4: next_event
    # A request from the client, piped to the server, answered, piped back.
    req = api_event(0, 0, 0, 0, 0, 7, 12, 7, [(0, 0)])
    eom = api_event(4, 7, 7, 1, 1, 7, 12, 7)
    resp = api_event(2, 7, 7, 1, 0, 7, 12, 7, [(1, 2)])
    data5 = bytes([3, 7, 7, 1, 1, 7, 13, 0]) + b"hello" + bytes([0, 0])
    s = bytearray([0, 0])
    s += bytes([send_c, 0, 0]) + req
    s += bytes([recv_s, 0, 1, next_s, 0, next_s, 0])
    s += bytes([send_c, 0, 0]) + eom
    s += bytes([recv_s, 0, 1, next_s, 0, next_s, 0])
    s += bytes([send_s, 1, 0]) + resp
    s += bytes([send_s, 0, 0]) + data5
    s += bytes([recv_c, 0, 1, next_c, 0, next_c, 0, next_c, 0])
    s += bytes([send_s, 0, 0]) + eom
    s += bytes([16, 1, 17, 1, 18, 19])
    yield bytes(s)
    # The same with every allocation after the fifth failing.
    yield bytes([5, 1]) + bytes(s[2:])
    # Misuse: NULL arguments, bad options, data after EOF, queries on NULL.
    yield bytes([0, 0, 0, 2, 1, 0, 6, 0xff, 1, 0, 0xff, 8, 0xff, 12, 0xff,
                 12, 0xfe, 1, 18, 7, 19, 200, 0, 5, 1, 0x11, 0x41])


# ---------------------------------------------------------------------------

def encode_http_seeds(out_root):
    n = 0
    for name in sorted(SERVER):
        for target, data in http2seed.server_seeds(SERVER[name]):
            http2seed.write_seed(out_root, target, "seeds", data)
            n += 1
    http2seed.write_seed(out_root, "fuzz_server", "regressions", PAST_FINDING)
    for name in sorted(CLIENT):
        method, data = CLIENT[name]
        for target, seed in http2seed.client_seeds(data, method):
            http2seed.write_seed(out_root, target, "seeds", seed)
            n += 1
    for name in sorted(CLIENT_KINDS):
        kind, data = CLIENT_KINDS[name]
        for cfg, split in http2seed.VARIANTS:
            http2seed.write_seed(out_root, "fuzz_client", "seeds",
                                 bytes([cfg, split, kind]) + data)
            n += 1
    for script in roundtrip_scripts():
        http2seed.write_seed(out_root, "fuzz_roundtrip", "seeds",
                             bytes(script.b))
        n += 1
    for script in api_scripts():
        http2seed.write_seed(out_root, "fuzz_api", "seeds", script)
        n += 1
    return n


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out-root", default=os.path.join(root, "corpus"))
    args = ap.parse_args()
    for target in ("fuzz_server", "fuzz_client", "fuzz_roundtrip",
                   "fuzz_api", "fuzz_llhttp"):
        shutil.rmtree(os.path.join(args.out_root, target, "seeds"),
                      ignore_errors=True)
        shutil.rmtree(os.path.join(args.out_root, target, "imported"),
                      ignore_errors=True)
    n = encode_http_seeds(args.out_root)
    # Every input in the corpus layout under corpus/ (known-differences/,
    # smuggling/, ...); the fuzz targets' own folders hold none.
    m = http2seed.import_dir(os.path.join(root, "corpus"), args.out_root)
    print("wrote %d hand-made and %d imported seeds under %s"
          % (n, m, args.out_root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
