#!/usr/bin/python3
"""The canonical verdict of Python's h11 for each input file.

    h11py_worker.py [--impl h11|h11py] [--role server|client] [--method M]
                     [--chunk N] [--max-incomplete N] FILE...
    h11py_worker.py --worker

Same command line and the same JSON text (byte for byte) as the C verdict
tool, with "impl": "h11" (or the name given with --impl: h11py is the
harness's name for this oracle).  The connection is driven as the verdict
specification says.  Without --role, the role (and, for the client role, the
method) comes from the corpus layout: the nearest parent directory named
server/ or client/, and client/NAME.METHOD.http answers a METHOD request.

--worker: the long-lived worker of the differential harness (the h11py
oracle of diff/oracles/h11py.c, which builds this file's text in).  It reads
requests from stdin, each a line "ROLE METHOD CHUNK MAX_INCOMPLETE LENGTH"
followed by LENGTH bytes of input, and answers each with one line on stdout:
the verdict's JSON, or {"driver_error": "..."} if the run reached a state
the specification has no outcome for.  It exits at end of input.

h11 checks max_incomplete_event_size only when it runs out of data, so for
a head longer than the limit its verdict can depend on --chunk (h11c's does
not; see diff/compare/known_differences.json).

Run it with Debian's /usr/bin/python3, which has python3-h11.
"""

import argparse
import json
import os
import re
import sys

import h11


class DriverError(Exception):
    """The run reached a state the specification has no outcome for."""


def jstr(b):
    """A JSON string for bytes decoded as Latin-1, escaped like diff/model/json.c."""
    out = ['"']
    for c in b:
        if c == 0x22:
            out.append('\\"')
        elif c == 0x5C:
            out.append("\\\\")
        elif c == 0x0A:
            out.append("\\n")
        elif c == 0x0D:
            out.append("\\r")
        elif c == 0x09:
            out.append("\\t")
        elif c < 0x20 or c >= 0x7F:
            out.append("\\u%04x" % c)
        else:
            out.append(chr(c))
    out.append('"')
    return "".join(out)


def jfields(fields):
    return "[" + ", ".join("[%s, %s]" % (jstr(n), jstr(v)) for n, v in fields) + "]"


def render(v):
    msgs = []
    for m in v["messages"]:
        if m["response"]:
            head = '"status": %d, "reason": %s' % (m["status"], jstr(m["reason"]))
        else:
            head = '"method": %s, "target": %s' % (jstr(m["method"]), jstr(m["target"]))
        msgs.append(
            '{%s, "version": %s, "headers": %s, "body": %s, "trailers": %s, "end": %s}'
            % (
                head,
                jstr(m["version"]),
                jfields(m["headers"]),
                jstr(bytes(m["body"])),
                jfields(m["trailers"]),
                "null" if m["end"] is None else str(m["end"]),
            )
        )
    if v["outcome"] == "error":
        off = v["error_offset"]
        error = '{"status_hint": %d, "offset": %s}' % (
            v["status_hint"],
            "null" if off is None else str(off),
        )
    else:
        error = "null"
    return '{"impl": %s, "role": %s, "messages": [%s], "outcome": %s, "error": %s, "leftover": %d}' % (
        jstr(v["impl"].encode()),
        jstr(v["role"].encode()),
        ", ".join(msgs),
        jstr(v["outcome"].encode()),
        error,
        v["leftover"],
    )


def render_fast(v):
    """The verdict as JSON for the harness's worker: the same document as
    render(), but written by the json module (bytes as Latin-1 text, so a
    byte 0x7f is not escaped; readers see the same strings)."""

    def lat(b):
        return bytes(b).decode("latin-1")

    msgs = []
    for m in v["messages"]:
        if m["response"]:
            d = {"status": m["status"], "reason": lat(m["reason"])}
        else:
            d = {"method": lat(m["method"]), "target": lat(m["target"])}
        d["version"] = lat(m["version"])
        d["headers"] = [[lat(n), lat(x)] for n, x in m["headers"]]
        d["body"] = lat(m["body"])
        d["trailers"] = [[lat(n), lat(x)] for n, x in m["trailers"]]
        d["end"] = m["end"]
        msgs.append(d)
    error = None
    if v["outcome"] == "error":
        error = {"status_hint": v["status_hint"], "offset": v["error_offset"]}
    return json.dumps(
        {
            "impl": v["impl"],
            "role": v["role"],
            "messages": msgs,
            "outcome": v["outcome"],
            "error": error,
            "leftover": v["leftover"],
        }
    )


def head_message(ev, response):
    m = {
        "response": response,
        "version": bytes(ev.http_version),
        "headers": [(bytes(n), bytes(v)) for n, v in ev.headers],
        "body": bytearray(),
        "trailers": [],
        "end": None,
    }
    if response:
        m["status"] = ev.status_code
        m["reason"] = bytes(ev.reason)
    else:
        m["method"] = bytes(ev.method)
        m["target"] = bytes(ev.target)
    return m


def verdict(role, data, method=b"GET", chunk=0, max_incomplete=None):
    """Drive an h11 connection over data; returns the verdict as a dict."""
    kwargs = {}
    if max_incomplete:
        kwargs["max_incomplete_event_size"] = max_incomplete
    conn = h11.Connection(h11.SERVER if role == "server" else h11.CLIENT, **kwargs)
    v = {
        "impl": "h11",
        "role": role,
        "messages": [],
        "outcome": "closed",
        "status_hint": None,
        "error_offset": None,
        "leftover": 0,
    }
    total = len(data)
    if chunk:
        pieces = [data[i : i + chunk] for i in range(0, total, chunk)]
    else:
        pieces = [data] if data else []
    fed = 0
    idx = 0
    eof = False
    last_end = 0
    cur = None
    cur_is_connect = False

    def consumed():
        return fed - len(conn.trailing_data[0])

    if role == "client":
        conn.send(h11.Request(method=method, target="/", headers=[("Host", "example")]))
        conn.send(h11.EndOfMessage())

    while True:
        try:
            ev = conn.next_event()
        except h11.RemoteProtocolError as e:
            if eof:
                v["outcome"] = "incomplete"
            else:
                v["outcome"] = "error"
                v["status_hint"] = e.error_status_hint
                v["error_offset"] = last_end
            return v
        if ev is h11.NEED_DATA:
            if idx < len(pieces):
                conn.receive_data(pieces[idx])
                fed += len(pieces[idx])
                idx += 1
            elif not eof:
                conn.receive_data(b"")
                eof = True
            else:
                raise DriverError("NEED_DATA after end of input")
            continue
        if ev is h11.PAUSED:
            raise DriverError("unexpected PAUSED (their state %s)" % conn.their_state)
        n = consumed()
        t = type(ev)
        if t is h11.Request:
            if role != "server":
                raise DriverError("a client received a Request")
            cur = head_message(ev, False)
            v["messages"].append(cur)
            cur_is_connect = ev.method == b"CONNECT"
        elif t is h11.InformationalResponse:
            m = head_message(ev, True)
            v["messages"].append(m)
            m["end"] = last_end = n
            cur = None
            if conn.their_state is h11.SWITCHED_PROTOCOL:
                v["outcome"] = "switched"
                v["leftover"] = total - n
                return v
        elif t is h11.Response:
            if role != "client":
                raise DriverError("a server received a Response")
            cur = head_message(ev, True)
            v["messages"].append(cur)
            if conn.their_state is h11.SWITCHED_PROTOCOL:
                cur["end"] = last_end = n
                v["outcome"] = "switched"
                v["leftover"] = total - n
                return v
        elif t is h11.Data:
            if cur is None:
                raise DriverError("Data outside a message")
            cur["body"] += ev.data
        elif t is h11.EndOfMessage:
            if cur is None:
                raise DriverError("EndOfMessage outside a message")
            cur["trailers"] = [(bytes(a), bytes(b)) for a, b in ev.headers]
            cur["end"] = last_end = n
            cur = None
            if role == "client":
                if eof or conn.their_state is h11.MUST_CLOSE:
                    v["outcome"] = "must_close"
                else:
                    v["outcome"] = "closed"
                v["leftover"] = total - n
                return v
            status = 405 if cur_is_connect else 200
            conn.send(h11.Response(status_code=status, headers=[("Content-Length", "0")]))
            conn.send(h11.EndOfMessage())
            if conn.our_state is h11.MUST_CLOSE:
                v["outcome"] = "must_close"
                v["leftover"] = total - n
                return v
            conn.start_next_cycle()
        elif t is h11.ConnectionClosed:
            v["outcome"] = "closed"
            v["leftover"] = total - n
            return v
        else:
            raise DriverError("unexpected event %r" % (ev,))


def worker(inp, out):
    """The harness's worker loop (see --worker in the module docstring)."""
    while True:
        line = inp.readline()
        if not line:
            return 0
        try:
            role, method, chunk, max_incomplete, length = line.split()
            length = int(length)
            data = inp.read(length)
            if len(data) != length:
                return 1
            if role not in (b"server", b"client"):
                raise ValueError("bad role")
            v = verdict(
                role.decode("ascii"),
                data,
                method=method,
                chunk=int(chunk),
                max_incomplete=int(max_incomplete) or None,
            )
            v["impl"] = "h11py"
            text = render_fast(v)
        except (DriverError, h11.LocalProtocolError) as e:
            text = '{"driver_error": %s}' % jstr(str(e).encode("utf-8", "replace"))
        except ValueError as e:
            text = '{"driver_error": %s}' % jstr(("bad request: %s" % e).encode())
        except Exception as e:  # report, and keep serving the other inputs
            text = '{"driver_error": %s}' % jstr(
                ("%s: %s" % (type(e).__name__, e)).encode("utf-8", "replace")
            )
        out.write(text.encode("ascii") + b"\n")
        out.flush()


def infer_role(path):
    """(role, method or None) from the corpus layout, or None."""
    parts = os.path.normpath(path).split(os.sep)
    role = None
    for d in reversed(parts[:-1]):
        if d in ("server", "client"):
            role = d
            break
    if role is None:
        return None
    method = None
    m = re.match(r"^.+\.([A-Z]+)\.http$", parts[-1])
    if role == "client" and m:
        method = m.group(1)
    return role, method


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--impl", default="h11")
    ap.add_argument("--worker", action="store_true")
    ap.add_argument("files", nargs="*", metavar="FILE")
    ap.add_argument("--role", choices=["server", "client"])
    ap.add_argument("--method")
    ap.add_argument("--chunk", type=int, default=0)
    ap.add_argument("--max-incomplete", type=int, default=0)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(sys.stdin.buffer, sys.stdout.buffer)
    if not args.files:
        ap.error("the following arguments are required: FILE")
    if args.impl not in ("h11", "h11py"):
        print("verdict_h11py: unknown implementation: %s" % args.impl, file=sys.stderr)
        return 2
    if args.chunk < 0 or args.max_incomplete < 0:
        print("verdict_h11py: sizes must be >= 0", file=sys.stderr)
        return 2
    status = 0
    for path in args.files:
        role, method = args.role, args.method
        if role is None:
            inferred = infer_role(path)
            if inferred is None:
                print(
                    "verdict_h11py: %s: no --role, and the path names no server/ or client/ directory"
                    % path,
                    file=sys.stderr,
                )
                status = 1
                continue
            role = inferred[0]
            if method is None:
                method = inferred[1]
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            print("verdict_h11py: %s: %s" % (path, e.strerror), file=sys.stderr)
            status = 1
            continue
        try:
            v = verdict(
                role,
                data,
                method=(method or "GET").encode("ascii"),
                chunk=args.chunk,
                max_incomplete=args.max_incomplete or None,
            )
            v["impl"] = args.impl
        except (DriverError, h11.LocalProtocolError) as e:
            print("verdict_h11py: %s: %s" % (path, e), file=sys.stderr)
            status = 1
            continue
        sys.stdout.write(render(v) + "\n")
        sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
