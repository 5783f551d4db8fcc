"""Parse-reporting origins for the real-server scanner.

Each application answers every request with 200 and a JSON body giving the
server's own parse of it: {"method", "target", "version", "headers",
"body"} (byte strings as Latin-1 text, header names lower-cased as the
framework gives them), with the header "X-Scan-Echo: NAME".

  wsgi_app, asgi_app     loaded by gunicorn, waitress / uvicorn, hypercorn
  echo_apps.py aiohttp|tornado|twisted PORT
                         runs that framework's server on 127.0.0.1:PORT
"""

import json
import sys


def _latin1(b):
    return b.decode("latin-1") if isinstance(b, (bytes, bytearray)) else b


def echo_json(method, target, version, headers, body):
    return json.dumps({
        "method": _latin1(method),
        "target": _latin1(target),
        "version": _latin1(version),
        "headers": [[_latin1(k).lower(), _latin1(v)] for k, v in headers],
        "body": _latin1(body),
    }).encode("ascii") + b"\n"


def wsgi_app(environ, start_response):
    target = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if not target:
        target = environ.get("PATH_INFO", "")
        if environ.get("QUERY_STRING"):
            target += "?" + environ["QUERY_STRING"]
    headers = []
    for k, v in environ.items():
        if k.startswith("HTTP_"):
            headers.append((k[5:].replace("_", "-"), v))
        elif k in ("CONTENT_LENGTH", "CONTENT_TYPE") and v:
            headers.append((k.replace("_", "-"), v))
    body = environ["wsgi.input"].read()
    version = environ.get("SERVER_PROTOCOL", "").replace("HTTP/", "")
    out = echo_json(environ.get("REQUEST_METHOD", ""), target, version,
                    headers, body)
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(out))),
                              ("X-Scan-Echo", environ.get("SERVER_SOFTWARE",
                                                          "wsgi")[:40])])
    return [out]


async def asgi_app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            msg = await receive()
            if msg["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif msg["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    body = b""
    while True:
        msg = await receive()
        if msg["type"] != "http.request":
            break
        body += msg.get("body", b"")
        if not msg.get("more_body"):
            break
    target = scope.get("raw_path") or scope["path"].encode("latin-1")
    if scope.get("query_string"):
        target += b"?" + scope["query_string"]
    out = echo_json(scope["method"], target, scope.get("http_version", ""),
                    scope["headers"], body)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(out)).encode()),
                            (b"x-scan-echo", b"asgi")]})
    await send({"type": "http.response.body", "body": out})


def run_aiohttp(port):
    import asyncio
    from aiohttp import web

    async def handler(request):
        body = await request.read()
        version = "%d.%d" % (request.version.major, request.version.minor)
        out = echo_json(request.method, request.raw_path, version,
                        request.raw_headers, body)
        return web.Response(body=out, content_type="application/json",
                            headers={"X-Scan-Echo": "aiohttp"})

    async def main():
        runner = web.ServerRunner(web.Server(handler))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await asyncio.Event().wait()

    asyncio.run(main())


def run_tornado(port):
    import asyncio
    from tornado import httputil
    from tornado.httpserver import HTTPServer

    def handle(request):
        version = request.version.replace("HTTP/", "")
        out = echo_json(request.method, request.uri, version,
                        list(request.headers.get_all()), request.body)
        hdrs = httputil.HTTPHeaders({"Content-Type": "application/json",
                                     "Content-Length": str(len(out)),
                                     "X-Scan-Echo": "tornado"})
        request.connection.write_headers(
            httputil.ResponseStartLine("HTTP/1.1", 200, "OK"), hdrs, out)
        request.connection.finish()

    async def main():
        HTTPServer(handle).listen(port, address="127.0.0.1")
        await asyncio.Event().wait()

    asyncio.run(main())


def run_twisted(port):
    from twisted.internet import reactor
    from twisted.web import resource, server

    class Echo(resource.Resource):
        isLeaf = True

        def render(self, request):
            headers = [(k, v) for k, vs in
                       request.requestHeaders.getAllRawHeaders() for v in vs]
            version = request.clientproto.decode("latin-1").replace(
                "HTTP/", "")
            out = echo_json(request.method, request.uri, version, headers,
                            request.content.read())
            request.setHeader(b"Content-Type", b"application/json")
            request.setHeader(b"X-Scan-Echo", b"twisted")
            return out

    reactor.listenTCP(port, server.Site(Echo()), interface="127.0.0.1")
    reactor.run()


if __name__ == "__main__":
    RUNNERS = {"aiohttp": run_aiohttp, "tornado": run_tornado,
               "twisted": run_twisted}
    if len(sys.argv) != 3 or sys.argv[1] not in RUNNERS:
        sys.exit("usage: echo_apps.py aiohttp|tornado|twisted PORT")
    RUNNERS[sys.argv[1]](int(sys.argv[2]))
