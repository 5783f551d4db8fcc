#!/usr/bin/python3
"""Python's side of the end-to-end tests (e2e_test.sh).

    http_checks.py CHECK PORT
    http_checks.py serve PORTFILE

CHECK runs one check against the example server (examples/server.c) on
127.0.0.1:PORT and exits 0 if it passed, 1 (with the reason on standard
error) if not.  Each check closes its connections before it returns: the
example server serves one connection at a time.

"serve" runs a server with canned responses for the example client (see
CANNED), on a free port of 127.0.0.1 that it writes to PORTFILE, until it is
killed.
"""

import http.client
import os
import socket
import sys

HOST = "127.0.0.1"
TIMEOUT = 10


class CheckFailed(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise CheckFailed(what)


def echo_fields(body):
    """The 'name: value' lines of a GET echo body, as a dict (first wins)."""
    fields = {}
    for line in body.decode("latin-1").splitlines():
        if ": " in line and not line.startswith("  "):
            k, v = line.split(": ", 1)
            fields.setdefault(k, v)
    return fields


def read_until_close(sock):
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    return data


def raw_exchange(port, request, half_close=False):
    """Sends raw bytes and returns everything the server sends until it
    closes the connection."""
    with socket.create_connection((HOST, port), timeout=TIMEOUT) as s:
        s.sendall(request)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        return read_until_close(s)


def status_of(raw):
    line = raw.split(b"\r\n", 1)[0]
    parts = line.split(b" ", 2)
    expect(len(parts) >= 2 and parts[0] == b"HTTP/1.1", "bad status line %r" % line)
    return int(parts[1])


def check_get(port):
    c = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        c.request("GET", "/some/path?q=1", headers={"X-Test": "yes"})
        r = c.getresponse()
        body = r.read()
        expect(r.status == 200, "status %d" % r.status)
        expect(r.reason == "OK", "reason %r" % r.reason)
        expect(r.version == 11, "version %r" % r.version)
        expect(int(r.getheader("Content-Length")) == len(body), "Content-Length")
        f = echo_fields(body)
        expect(f.get("method") == "GET", "method in echo: %r" % body)
        expect(f.get("target") == "/some/path?q=1", "target in echo: %r" % body)
        expect(b"  x-test: yes\n" in body, "header in echo: %r" % body)
    finally:
        c.close()


def check_keepalive(port):
    c = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        seen = []
        sock = None
        for path in ("/one", "/two", "/three"):
            c.request("GET", path)
            r = c.getresponse()
            body = r.read()
            expect(r.status == 200, "status %d" % r.status)
            expect(not r.will_close, "server wants to close")
            if sock is None:
                sock = c.sock
            expect(c.sock is sock, "http.client reconnected")
            f = echo_fields(body)
            seen.append((f.get("connection"), f.get("request")))
        conns = {s[0] for s in seen}
        expect(len(conns) == 1, "requests on different connections: %r" % seen)
        expect([s[1] for s in seen] == ["1", "2", "3"], "request numbers %r" % seen)
    finally:
        c.close()


def check_post_echo(port):
    payload = bytes(range(256)) * 300 + b"\r\n0\r\n\r\n"
    c = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        c.request("POST", "/echo", body=payload, headers={"Content-Type": "application/x-test"})
        r = c.getresponse()
        body = r.read()
        expect(r.status == 200, "status %d" % r.status)
        expect(body == payload, "echoed %d bytes, sent %d" % (len(body), len(payload)))
        expect(r.getheader("Content-Type") == "application/x-test", "Content-Type %r" % r.getheader("Content-Type"))
        expect(r.getheader("Content-Length") == str(len(payload)), "Content-Length")
        # The connection is still usable.
        c.request("PUT", "/echo", body=b"second")
        r = c.getresponse()
        expect(r.read() == b"second", "second echo")
    finally:
        c.close()


def check_chunked_request(port):
    parts = [b"abc", b"", b"x" * 70000, b"end"]
    c = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        c.request("POST", "/chunked", body=iter(parts), encode_chunked=True)
        r = c.getresponse()
        body = r.read()
        expect(r.status == 200, "status %d" % r.status)
        expect(body == b"".join(parts), "echoed %d bytes" % len(body))
    finally:
        c.close()


def check_head(port):
    c = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        c.request("GET", "/h")
        r = c.getresponse()
        get_body = r.read()
        c.request("HEAD", "/h")
        r = c.getresponse()
        body = r.read()
        expect(r.status == 200, "status %d" % r.status)
        expect(body == b"", "HEAD response has a body")
        # The GET echo is one byte longer ("GET" vs "HEAD" is one byte
        # shorter, the request number has the same length).
        expect(int(r.getheader("Content-Length")) == len(get_body) + 1,
               "Content-Length %s, GET body %d" % (r.getheader("Content-Length"), len(get_body)))
        # And the connection goes on after a body-less response.
        c.request("GET", "/after-head")
        r = c.getresponse()
        expect(echo_fields(r.read()).get("request") == "3", "third request")
    finally:
        c.close()


def check_expect_100(port):
    with socket.create_connection((HOST, port), timeout=TIMEOUT) as s:
        s.sendall(
            b"POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
            b"Content-Length: 5\r\nConnection: close\r\n\r\n"
        )
        # The server must answer 100 before we send the body.
        first = b""
        while b"\r\n\r\n" not in first:
            chunk = s.recv(4096)
            expect(chunk, "closed before 100 Continue")
            first += chunk
        expect(first.startswith(b"HTTP/1.1 100 Continue\r\n"), "got %r" % first[:60])
        rest = first.split(b"\r\n\r\n", 1)[1]
        s.sendall(b"hello")
        raw = rest + read_until_close(s)
        expect(raw.startswith(b"HTTP/1.1 200 "), "final response %r" % raw[:60])
        expect(raw.endswith(b"\r\n\r\nhello"), "echo %r" % raw[-40:])


def check_pipelined(port):
    raw = raw_exchange(
        port,
        b"GET /p1 HTTP/1.1\r\nHost: x\r\n\r\n"
        b"POST /p2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
        b"GET /p3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    expect(raw.count(b"HTTP/1.1 200 OK\r\n") == 3, "three responses: %r" % raw[:200])
    expect(b"target: /p1\n" in raw and b"target: /p3\n" in raw, "echo of pipelined targets")
    expect(b"\r\n\r\nabcHTTP/1.1 200" in raw, "POST echo between the others")
    expect(b"Connection: close\r\n" in raw, "last response closes")


def check_http10(port):
    raw = raw_exchange(port, b"GET /old HTTP/1.0\r\n\r\n")
    expect(status_of(raw) == 200, "status")
    expect(b"version: 1.0\n" in raw, "echo of HTTP/1.0")
    expect(b"\r\nConnection: close\r\n" in raw.split(b"\r\n\r\n")[0] + b"\r\n", "HTTP/1.0 gets Connection: close")


def check_malformed_400(port):
    raw = raw_exchange(port, b"GARBAGE\r\n\r\n")
    expect(status_of(raw) == 400, "status %r" % raw[:40])
    raw = raw_exchange(port, b"GET / HTTP/1.1\r\n\r\n")  # no Host
    expect(status_of(raw) == 400, "missing Host: %r" % raw[:40])
    raw = raw_exchange(port, b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
    expect(status_of(raw) == 400, "bad chunk: %r" % raw[:40])
    raw = raw_exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
    expect(status_of(raw) == 400, "bad header: %r" % raw[:40])


def check_too_long_431(port):
    raw = raw_exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n")
    expect(status_of(raw) == 431, "status %r" % raw[:40])


def check_unsupported_te_501(port):
    raw = raw_exchange(port, b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
    expect(status_of(raw) == 501, "status %r" % raw[:40])


def check_method_405(port):
    c = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    try:
        c.request("DELETE", "/x")
        r = c.getresponse()
        r.read()
        expect(r.status == 405, "status %d" % r.status)
        expect("GET" in (r.getheader("Allow") or ""), "Allow header")
    finally:
        c.close()


# Canned responses by request target: (bytes to send, close afterwards).
CANNED = {
    # Close-delimited body: no Content-Length, no chunked, ends at EOF.
    b"/close-delimited": (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + b"until EOF\n" * 1000,
        True,
    ),
    b"/chunked-trailers": (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;name=value\r\nhello\r\n1\r\n!\r\n0\r\nX-Trailer: yes\r\n\r\n",
        False,
    ),
    b"/informational": (
        b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        False,
    ),
    # A keep-alive response, then the connection is closed anyway: the
    # client finds out when it reuses the connection.
    b"/silent-close": (b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsilent", True),
    b"/bad-status": (b"HTTP/1.1 2000 Nope\r\n\r\n", True),
}


def serve(portfile):
    lsock = socket.socket()
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((HOST, 0))
    lsock.listen(8)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % lsock.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    while True:
        conn, _ = lsock.accept()
        conn.settimeout(TIMEOUT)
        buf = b""
        try:
            while True:
                while b"\r\n\r\n" not in buf:
                    chunk = conn.recv(65536)
                    if not chunk:
                        raise EOFError
                    buf += chunk
                head, buf = buf.split(b"\r\n\r\n", 1)
                target = head.split(b"\r\n", 1)[0].split(b" ")[1]
                data, close = CANNED.get(
                    target, (b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", False)
                )
                conn.sendall(data)
                if close:
                    break
        except (EOFError, OSError, IndexError):
            pass
        conn.close()


CHECKS = {name[len("check_"):]: fn for name, fn in globals().items() if name.startswith("check_")}


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(sys.argv[2])
        return 0
    if len(sys.argv) != 3 or sys.argv[1] not in CHECKS:
        print("usage: http_checks.py {%s} PORT" % ",".join(sorted(CHECKS)), file=sys.stderr)
        print("       http_checks.py serve PORTFILE", file=sys.stderr)
        return 2
    try:
        CHECKS[sys.argv[1]](int(sys.argv[2]))
    except CheckFailed as e:
        print("check failed: %s" % e, file=sys.stderr)
        return 1
    except (OSError, http.client.HTTPException) as e:
        print("error: %r" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
