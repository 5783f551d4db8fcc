"""The ASGI app of the end-to-end test (test_e2e.py)."""
import h11


async def app(scope, receive, send):
    if scope["type"] != "http":
        raise RuntimeError("no lifespan")  # servers go on without it
    body = b""
    while True:
        msg = await receive()
        if msg["type"] == "http.disconnect":
            return
        body += msg.get("body", b"")
        if not msg.get("more_body"):
            break
    path = scope["path"]
    if path == "/which":
        out = h11.__file__.encode() + (b" binding" if hasattr(h11, "h11c_version") else b" h11")
    elif path == "/client":
        out = ("%s:%d" % tuple(scope["client"])).encode()
    elif path == "/stream":
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain")]})
        for i in range(5):
            await send({"type": "http.response.body", "body": b"part%d;" % i,
                        "more_body": True})
        await send({"type": "http.response.body", "body": b""})
        return
    else:
        out = b"%d:%s" % (len(body), body[:20])
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"),
                            (b"content-length", b"%d" % len(out))]})
    await send({"type": "http.response.body", "body": out})
