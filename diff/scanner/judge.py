"""Verdicts and desyncs.

- origin_verdict(): a real origin's answers on one connection, turned into
  the canonical verdict (diff/model/FORMAT.md).  A real server does not
  say where in the byte stream each request ended, so the input is sent in
  segments and "end" is the end of the segment after which the answer came
  (the segments are the proxy's requests, or the message ends the oracles
  found); "error.offset" is the end of the last answered request.
- align(): does an origin's verdict of the bytes a proxy forwarded on one
  upstream connection delimit the same requests as the proxy did?
"""

import json


def origin_verdict(name, ex, bounds, total):
    """The canonical verdict of a real origin from an Exchange (wire.py)
    whose segments ended at the offsets in bounds.  Also returns a note on
    how the connection ended ('' when unremarkable)."""
    v = {"impl": name, "role": "server", "messages": [], "outcome": None,
         "error": None, "leftover": 0}
    last_end = 0
    for r in ex.responses:
        end = bounds[min(r.segment, len(bounds) - 1)] if bounds else 0
        parsed = None
        # An echo (whatever its status: 405 declines a CONNECT) is a
        # request the origin read; any other answer is its rejection.
        if r.header("x-scan-echo") is not None and not r.body:
            parsed = {}  # the answer to HEAD: a request, its parse unsaid
        elif r.header("x-scan-echo") is not None:
            try:
                parsed = json.loads(r.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                parsed = None
            if not isinstance(parsed, dict):
                parsed = None
        if parsed is None:
            v["outcome"] = "error"
            v["error"] = {"status_hint": r.status, "offset": last_end}
            return v, ""
        v["messages"].append({
            "method": parsed.get("method"), "target": parsed.get("target"),
            "version": parsed.get("version"),
            "headers": parsed.get("headers", []),
            "body": parsed.get("body", ""),
            "trailers": parsed.get("trailers", []), "end": end})
        last_end = end
        if (r.header("connection") or "").lower() == "close":
            v["outcome"] = "must_close"
            v["leftover"] = total - end
            return v, ""
    if last_end >= total:
        v["outcome"] = "closed"
        return v, ("held the connection open after end of input"
                   if ex.end == "timeout" else "")
    if ex.end == "timeout":
        v["outcome"] = "incomplete"
        return v, "no answer and the connection held open after end of input"
    if ex.end == "refused":
        v["outcome"] = "error"
        v["error"] = {"status_hint": None, "offset": last_end}
        return v, "connection refused"
    if not ex.half_closed:
        # Closed (or reset) before it saw the end of input: dropped.
        v["outcome"] = "error"
        v["error"] = {"status_hint": None, "offset": last_end}
        return v, "closed the connection without an answer" + \
            (" (reset)" if ex.end == "reset" else "")
    v["outcome"] = "incomplete"
    return v, ""


def ends(v):
    return [m["end"] for m in v["messages"] if m.get("end") is not None]


def align(bounds, v):
    """Judges an origin's verdict v of bytes a proxy sent as requests ending
    at bounds (ascending; the last is the length).  Returns (judgement,
    detail), judgement one of:

    ok          the same requests
    closes      the same requests until the origin stops reading
                (Connection: close); the rest is not read
    rejects     the same requests until the origin rejects one
    incomplete  the same requests, and the origin waits for more of the
                last one (the proxy sent no more)
    desync      the origin delimits a different number of requests, or a
                request ends elsewhere: the origin and the proxy disagree
                about where requests are
    """
    e = ends(v)
    for i, x in enumerate(e):
        if i >= len(bounds):
            return "desync", ("origin reads request %d (ending at %d); the "
                              "proxy sent %d" % (i + 1, x, len(bounds)))
        if x != bounds[i]:
            return "desync", ("origin's request %d ends at byte %d, the "
                              "proxy's at %d" % (i + 1, x, bounds[i]))
    k = len(e)
    out = v["outcome"]
    if out == "error":
        return "rejects", "origin rejects request %d (%s)" % (
            k + 1, (v.get("error") or {}).get("status_hint"))
    if out == "must_close":
        return "closes", "origin closes after request %d" % k
    if out == "incomplete":
        if k < len(bounds) - 1:
            return "desync", ("origin's request %d runs past the proxy's end "
                              "at byte %d into the next request" %
                              (k + 1, bounds[k]))
        return "incomplete", "origin waits for more of request %d" % (k + 1)
    if k < len(bounds):
        return "desync", "origin reads %d requests, the proxy sent %d" % (
            k, len(bounds))
    return "ok", ""


def short(v):
    """A short cell for a grid: '1', '2', '400@1', 'inc@1', 'close'..."""
    if v is None:
        return "-"
    n = len(ends(v))
    out = v["outcome"]
    if out == "error":
        st = (v.get("error") or {}).get("status_hint")
        return "%s@%d" % (st if st else "drop", n)
    if out == "incomplete":
        return "inc@%d" % n
    if out == "must_close":
        return "%dc" % n
    return str(n)
