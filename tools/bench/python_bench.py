"""Python h11 against the h11c binding on the same workloads, in one run.

    tools/bench/python_bench.py [--quick] [--n N]

Each implementation runs in a child process of its own (both are called
h11): Debian's h11, and the binding through tools/h11c-as-h11.  Rows:

  server   pipelined small GETs (3 headers): next_event() gives Request and
           EndOfMessage, then send Response (2 headers), Data, EndOfMessage
           and start_next_cycle()
  client   send Request (3 headers) and EndOfMessage, receive a response
           (3 headers, 13-byte body): Response, Data, EndOfMessage, then
           start_next_cycle()
  browser  the server cycle with a browser-like request of 20 headers
  chunked  a client receiving responses of 64 chunks of 1 KiB

Input is fed in 64 KiB receive_data() calls.  Prints requests (cycles) per
second of CPU time, the best of several runs, and the binding's ratio.
"""
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PIECE = 64 * 1024

SMALL_GET = (b"GET /plaintext HTTP/1.1\r\nHost: bench.example\r\n"
             b"User-Agent: bench/1.0\r\nAccept: */*\r\n\r\n")
BROWSER_GET = (
    b"GET /static/app.js?v=12 HTTP/1.1\r\n"
    b"Host: www.example.com\r\n"
    b"Connection: keep-alive\r\n"
    b"sec-ch-ua: \"Chromium\";v=\"118\", \"Not=A?Brand\";v=\"99\"\r\n"
    b"sec-ch-ua-mobile: ?0\r\n"
    b"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
    b"(KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36\r\n"
    b"sec-ch-ua-platform: \"Linux\"\r\n"
    b"Accept: */*\r\n"
    b"Sec-Fetch-Site: same-origin\r\n"
    b"Sec-Fetch-Mode: no-cors\r\n"
    b"Sec-Fetch-Dest: script\r\n"
    b"Referer: https://www.example.com/index.html\r\n"
    b"Accept-Encoding: gzip, deflate, br\r\n"
    b"Accept-Language: en-US,en;q=0.9\r\n"
    b"Cookie: session=0123456789abcdef; theme=dark; consent=yes\r\n"
    b"If-None-Match: \"5f3e-1a2b3c\"\r\n"
    b"If-Modified-Since: Sat, 25 Nov 2023 13:00:00 GMT\r\n"
    b"Cache-Control: max-age=0\r\n"
    b"DNT: 1\r\n"
    b"Upgrade-Insecure-Requests: 1\r\n"
    b"X-Requested-With: XMLHttpRequest\r\n\r\n")
SMALL_RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                  b"Content-Length: 13\r\nServer: bench\r\n\r\nHello, World!")
CHUNK = b"x" * 1024
CHUNKED_RESPONSE = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                    b"Content-Type: application/octet-stream\r\n\r\n" +
                    b"".join(b"400\r\n" + CHUNK + b"\r\n" for _ in range(64)) +
                    b"0\r\n\r\n")

RESP_HEADERS = [("Content-Type", "text/plain"), ("Content-Length", "13")]
REQ_HEADERS = [("Host", "bench.example"), ("User-Agent", "bench/1.0"),
               ("Accept", "*/*")]
BODY = b"Hello, World!"


def serve(h11, data):
    conn = h11.Connection(h11.SERVER)
    next_event, send = conn.next_event, conn.send
    NEED_DATA, Request, EndOfMessage = h11.NEED_DATA, h11.Request, h11.EndOfMessage
    Response, Data = h11.Response, h11.Data
    pos, n, cycles = 0, len(data), 0
    while True:
        ev = next_event()
        if ev is NEED_DATA:
            if pos >= n:
                return cycles
            conn.receive_data(data[pos:pos + PIECE])
            pos += PIECE
        elif type(ev) is EndOfMessage:
            send(Response(status_code=200, reason=b"OK", headers=RESP_HEADERS))
            send(Data(data=BODY))
            send(EndOfMessage())
            conn.start_next_cycle()
            cycles += 1
        elif type(ev) is not Request:
            raise RuntimeError("unexpected %r" % (ev,))


def fetch(h11, data):
    conn = h11.Connection(h11.CLIENT)
    next_event, send = conn.next_event, conn.send
    NEED_DATA, Request, EndOfMessage = h11.NEED_DATA, h11.Request, h11.EndOfMessage
    Response, Data = h11.Response, h11.Data
    pos, n, cycles, body = 0, len(data), 0, 0
    send(Request(method="GET", target="/", headers=REQ_HEADERS))
    send(EndOfMessage())
    while True:
        ev = next_event()
        if ev is NEED_DATA:
            if pos >= n:
                return cycles
            conn.receive_data(data[pos:pos + PIECE])
            pos += PIECE
        elif type(ev) is Data:
            body += len(ev.data)
        elif type(ev) is EndOfMessage:
            conn.start_next_cycle()
            cycles += 1
            send(Request(method="GET", target="/", headers=REQ_HEADERS))
            send(EndOfMessage())
        elif type(ev) is not Response:
            raise RuntimeError("unexpected %r" % (ev,))


ROWS = [
    ("server", serve, SMALL_GET, 20000),
    ("client", fetch, SMALL_RESPONSE, 20000),
    ("browser", serve, BROWSER_GET, 5000),
    ("chunked", fetch, CHUNKED_RESPONSE, 500),
]


def child(scale, runs):
    import h11
    out = []
    for name, fn, unit, count in ROWS:
        count = max(1, int(count * scale))
        data = unit * count
        best = None
        for _ in range(runs):
            t0 = time.thread_time()
            got = fn(h11, data)
            t = time.thread_time() - t0
            if got != count:
                raise SystemExit("%s: %d cycles, expected %d" % (name, got, count))
            best = t if best is None or t < best else best
        out.append("%s %d %.9f" % (name, count, best))
    kind = "h11c" if hasattr(h11, "h11c_version") else "h11"
    print("impl %s %s" % (kind, h11.__file__))
    print("\n".join(out))


def run(env_path, scale, runs, h11_scale):
    env = dict(os.environ)
    cmd = [sys.executable, os.path.abspath(__file__), "--child", str(scale), str(runs)]
    if env_path:
        env["PYTHONPATH"] = env_path
    else:
        env.pop("PYTHONPATH", None)
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if res.returncode:
        raise SystemExit(res.stdout + res.stderr)
    rates = {}
    for line in res.stdout.splitlines():
        parts = line.split()
        if parts[0] == "impl":
            continue
        rates[parts[0]] = int(parts[1]) / float(parts[2])
    return rates


def main(argv):
    quick = "--quick" in argv
    if "--child" in argv:
        i = argv.index("--child")
        child(float(argv[i + 1]), int(argv[i + 2]))
        return 0
    path = subprocess.run([os.path.join(ROOT, "tools", "h11c-as-h11"), "--path"],
                          check=True, capture_output=True, text=True).stdout.strip()
    runs = 3 if quick else 7
    h11_rates = run(None, 0.05 if quick else 0.2, runs, None)
    c_rates = run(path, 0.25 if quick else 1.0, runs, None)
    cc = subprocess.run(["gcc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    print("Python %s (%s); binding built with %s -O2" % (
        sys.version.split()[0], sys.executable, cc))
    print("%-8s %14s %14s %8s" % ("row", "h11 req/s", "h11c req/s", "ratio"))
    ok = True
    for name, _, _, _ in ROWS:
        ratio = c_rates[name] / h11_rates[name]
        target = 25 if name == "server" else 15
        ok &= ratio >= target
        print("%-8s %14.0f %14.0f %7.1fx  (target %dx%s)" % (
            name, h11_rates[name], c_rates[name], ratio, target,
            "" if ratio >= target else ", NOT MET"))
    print("targets: %s" % ("all met" if ok else "not all met"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
