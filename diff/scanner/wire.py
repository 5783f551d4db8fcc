"""Talking to a server over one loopback connection: send the input in
segments, read the responses, and say how the connection ended.

A segment is what the sender considers one request (a proxy's framing, or a
candidate boundary); after each segment the responses that arrive within a
short quiet window are attributed to it.  After the last segment the
connection is half-closed (the server sees end of input, as the harness's
oracles do) and read until the server closes it or the time runs out.
"""

import select
import socket
import time


class Response:
    """One parsed response: status, header list (lower-cased names), body,
    and the index of the segment after which it arrived."""

    def __init__(self, status, reason, headers, body, segment):
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
        self.segment = segment

    def header(self, name):
        for k, v in self.headers:
            if k == name:
                return v
        return None


class Exchange:
    """What happened on one connection."""

    def __init__(self):
        self.responses = []
        # 'eof' (the server closed), 'reset', 'timeout' (still open when the
        # time ran out), 'refused' (could not connect).
        self.end = None
        # The server closed (or reset) before all segments were sent.
        self.closed_early = False
        # Segments fully sent.
        self.sent = 0
        self.elapsed = 0.0
        # Bytes after the last complete response.
        self.trailing = b""
        # The end of input was signalled (before the server closed).
        self.half_closed = False

    def statuses(self):
        return [r.status for r in self.responses]


def _head_end(buf, start):
    """Offset just past the blank line ending a head at start, or -1."""
    i = start
    n = len(buf)
    while i < n:
        j = buf.find(b"\n", i)
        if j < 0:
            return -1
        line = buf[i:j]
        if line in (b"", b"\r"):
            return j + 1
        i = j + 1
    return -1


def parse_responses(buf, eof):
    """Parses the complete responses at the start of buf.  Returns
    (responses as (status, reason, headers, body), bytes consumed).  A
    response without Content-Length or chunked framing ends at EOF.  A
    Content-Length body that does not start like a JSON body while the next
    bytes start a status line is taken as the answer to HEAD (no body)."""
    out = []
    pos = 0
    while pos < len(buf):
        he = _head_end(buf, pos)
        if he < 0:
            break
        lines = bytes(buf[pos:he]).split(b"\n")
        start = lines[0].rstrip(b"\r").split(b" ", 2)
        try:
            status = int(start[1])
        except (IndexError, ValueError):
            status = 0
        reason = start[2].decode("latin-1") if len(start) > 2 else ""
        headers = []
        for line in lines[1:]:
            line = line.rstrip(b"\r")
            if not line:
                continue
            k, _, v = line.partition(b":")
            headers.append((k.strip().lower().decode("latin-1"),
                            v.strip().decode("latin-1")))
        hmap = dict(headers)
        body_start = he
        if 100 <= status < 200 or status in (204, 304):
            end, body = body_start, b""
        elif "chunked" in hmap.get("transfer-encoding", "").lower():
            end, body = _dechunk(buf, body_start)
            if end < 0:
                break
        elif "content-length" in hmap:
            try:
                n = int(hmap["content-length"].split(",")[0])
            except ValueError:
                n = 0
            rest = bytes(buf[body_start:body_start + 8])
            json_type = hmap.get("content-type", "").startswith(
                "application/json")
            if n > 0 and json_type and (rest.startswith(b"HTTP/1.") or
                                        (eof and body_start == len(buf))):
                n = 0  # the answer to HEAD
            if len(buf) - body_start < n:
                break
            end, body = body_start + n, bytes(buf[body_start:body_start + n])
        else:
            if not eof:
                break
            end, body = len(buf), bytes(buf[body_start:])
        if not 100 <= status < 200:
            out.append((status, reason, headers, body))
        pos = end
    return out, pos


def _dechunk(buf, pos):
    body = bytearray()
    while True:
        j = buf.find(b"\n", pos)
        if j < 0:
            return -1, b""
        size_s = bytes(buf[pos:j]).split(b";")[0].strip()
        try:
            size = int(size_s, 16)
        except ValueError:
            return len(buf), bytes(body)  # unparseable: take the rest
        pos = j + 1
        if size == 0:
            he = _head_end(buf, pos)
            return (-1, b"") if he < 0 else (he, bytes(body))
        if len(buf) < pos + size + 2:
            return -1, b""
        body += buf[pos:pos + size]
        pos += size
        if buf[pos:pos + 2] == b"\r\n":
            pos += 2
        elif buf[pos:pos + 1] == b"\n":
            pos += 1


def exchange(port, segments, first_wait=2.0, quiet=0.05, eof_wait=1.0,
             connect_timeout=2.0, send_timeout=5.0):
    """Sends segments to 127.0.0.1:port one at a time.

    After each segment, waits up to first_wait for a response to begin, and
    then for quiet seconds of silence after the last complete response.
    After the last segment the connection is half-closed and read until the
    server closes it, or for eof_wait seconds after the last byte."""
    ex = Exchange()
    t0 = time.monotonic()
    try:
        sock = socket.create_connection(("127.0.0.1", port),
                                        timeout=connect_timeout)
    except OSError:
        ex.end = "refused"
        return ex
    sock.setblocking(False)
    buf = bytearray()
    consumed = 0
    eof = False
    # The segment after which the response being read began to arrive (its
    # body, or for the answer to HEAD the next response that shows it has
    # none, may come later).
    head_seg = None

    def pump(timeout, seg):
        """Reads for up to timeout seconds; returns False at EOF/reset."""
        nonlocal consumed, eof, head_seg
        r, _, _ = select.select([sock], [], [], max(timeout, 0))
        if not r:
            return None
        try:
            data = sock.recv(65536)
        except ConnectionResetError:
            ex.end = "reset"
            eof = True
            return False
        except BlockingIOError:
            return True
        if not data:
            eof = True
            ex.end = ex.end or "eof"
        buf.extend(data)
        if head_seg is None:
            head_seg = seg
        parsed, used = parse_responses(buf[consumed:], eof)
        for status, reason, headers, body in parsed:
            ex.responses.append(Response(status, reason, headers, body,
                                         head_seg))
            head_seg = seg
        consumed += used
        if consumed == len(buf):
            head_seg = None
        return not eof

    def collect(seg, wait, settle):
        """Waits for responses after segment seg."""
        before = len(ex.responses)
        deadline = time.monotonic() + wait
        while not eof:
            got_one = len(ex.responses) > before and consumed == len(buf)
            left = (settle if got_one else deadline - time.monotonic())
            if left <= 0:
                return
            r = pump(left, seg)
            if r is None and got_one:
                return

    try:
        for i, seg in enumerate(segments):
            try:
                # A server that stops reading must not block the scan.
                sock.settimeout(send_timeout)
                sock.sendall(seg)
                sock.setblocking(False)
            except OSError:  # reset, broken pipe, or the send timed out
                ex.closed_early = True
                break
            ex.sent = i + 1
            collect(i, first_wait, quiet)
            if eof:
                ex.closed_early = i < len(segments) - 1
                break
        if not eof:
            try:
                sock.shutdown(socket.SHUT_WR)
                ex.half_closed = True
            except OSError:
                pass
            seg = max(ex.sent - 1, 0)
            while not eof:
                if pump(eof_wait, seg) is None:
                    ex.end = "timeout"
                    break
    finally:
        sock.close()
    ex.trailing = bytes(buf[consumed:])
    ex.elapsed = time.monotonic() - t0
    return ex


def port_open(port, timeout=0.2):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
