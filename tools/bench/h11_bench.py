"""Python h11 side of the h11c benchmark (tools/bench).

The C benchmark runs this with /usr/bin/python3 -c and arguments:

    RUNS JOB... [header:NAME:VALUE ...]

where each JOB is KEY:KIND:MODE:PATH; KIND is "requests" (a server
parses pipelined requests), "responses" (a client parses pipelined
responses, sending a GET before each) or "send" (a server answers each
request with the send workload's response: the header:NAME:VALUE
arguments and a 4096-byte body).  MODE is

    recv  the events are pulled with the minimal bookkeeping h11's state
          machine needs to go on: a server answers each request with a
          Response (Content-Length: 0) and EndOfMessage, a client sends a
          GET with a Host header; then start_next_cycle().  This is the same
          work as h11c's loop in the benchmark.
    full  what an application does: a server answers with the TechEmpower
          plaintext response (4 headers, "Hello, World!"), a client sends a
          GET with 4 headers.
    send  the send workload (e).

The input is fed in 64 KiB receive_data() calls; the runs interleave the
jobs.  For each job one line is printed:

    h11 KEY MODE MESSAGES BODY_BYTES HEADERS OUT_BYTES T1,T2,...

with the CPU time of each run in seconds (time.thread_time()), or
"h11-error KEY MODE MESSAGE" if the run failed.  "h11-missing REASON" is
printed (and the exit status is 3) when h11 cannot be imported.
"""
import platform
import sys
import time

try:
    import h11
except ImportError as e:  # pragma: no cover - reported by the C side
    print("h11-missing %s" % e, flush=True)
    sys.exit(3)

PIECE = 64 * 1024

MIN_RESPONSE = [("Content-Length", "0")]
FULL_RESPONSE = [
    ("Server", "h11-bench"),
    ("Date", "Sat, 25 Nov 2023 13:00:00 GMT"),
    ("Content-Type", "text/plain"),
    ("Content-Length", "13"),
]
FULL_BODY = b"Hello, World!"
MIN_REQUEST = [("Host", "bench.example")]
FULL_REQUEST = [
    ("Host", "bench.example"),
    ("User-Agent", "h11-bench/0.1"),
    ("Accept", "*/*"),
    ("Accept-Encoding", "gzip, deflate"),
]


def serve(data, mode, send_headers, send_body):
    conn = h11.Connection(h11.SERVER)
    next_event = conn.next_event
    NEED_DATA = h11.NEED_DATA
    Request, Data, EndOfMessage = h11.Request, h11.Data, h11.EndOfMessage
    Response = h11.Response
    msgs = body = headers = out = 0
    pos, n = 0, len(data)
    while True:
        ev = next_event()
        if ev is NEED_DATA:
            if pos >= n:
                break
            conn.receive_data(data[pos:pos + PIECE])
            pos += PIECE
            continue
        t = type(ev)
        if t is Request:
            headers += len(ev.headers)
        elif t is Data:
            body += len(ev.data)
        elif t is EndOfMessage:
            msgs += 1
            if mode == "recv":
                out += len(conn.send(Response(status_code=200, reason=b"OK",
                                              headers=MIN_RESPONSE)))
            elif mode == "full":
                out += len(conn.send(Response(status_code=200, reason=b"OK",
                                              headers=FULL_RESPONSE)))
                out += len(conn.send(Data(data=FULL_BODY)))
            else:
                out += len(conn.send(Response(status_code=200, reason=b"OK",
                                              headers=send_headers)))
                for piece in conn.send_with_data_passthrough(
                        Data(data=send_body)):
                    out += len(piece)
            out += len(conn.send(EndOfMessage()))
            conn.start_next_cycle()
        else:
            raise RuntimeError("unexpected event %r" % (ev,))
    return msgs, body, headers, out


def fetch(data, mode, send_headers, send_body):
    conn = h11.Connection(h11.CLIENT)
    next_event = conn.next_event
    NEED_DATA = h11.NEED_DATA
    Response, Data, EndOfMessage = h11.Response, h11.Data, h11.EndOfMessage
    Request = h11.Request
    req_headers = MIN_REQUEST if mode == "recv" else FULL_REQUEST
    msgs = body = headers = out = 0
    pos, n = 0, len(data)

    def request():
        o = len(conn.send(Request(method="GET", target="/",
                                  headers=req_headers)))
        return o + len(conn.send(EndOfMessage()))

    out += request()
    while True:
        ev = next_event()
        if ev is NEED_DATA:
            if pos >= n:
                break
            conn.receive_data(data[pos:pos + PIECE])
            pos += PIECE
            continue
        t = type(ev)
        if t is Data:
            body += len(ev.data)
        elif t is Response:
            headers += len(ev.headers)
        elif t is EndOfMessage:
            msgs += 1
            conn.start_next_cycle()
            # The GET for the next response (one unanswered GET at the end
            # costs the same as checking the buffer for more).
            out += request()
        else:
            raise RuntimeError("unexpected event %r" % (ev,))
    return msgs, body, headers, out


def main(argv):
    runs = int(argv[1])
    jobs = []
    send_headers = []
    for arg in argv[2:]:
        if arg.startswith("header:"):
            name, value = arg[len("header:"):].split(":", 1)
            send_headers.append((name, value))
        else:
            jobs.append(arg.split(":", 3))
    send_body = bytes(4096)
    print("h11-version %s (Python %s)" % (h11.__version__,
                                          platform.python_version()),
          flush=True)
    loaded = []
    for key, kind, mode, path in jobs:
        with open(path, "rb") as f:
            loaded.append((key, kind, mode, f.read()))
    times = [[] for _ in loaded]
    results = [None] * len(loaded)
    errors = [None] * len(loaded)
    # Runs interleave the jobs, so that a slow patch of a shared machine
    # hits them all alike.
    for _ in range(runs):
        for i, (key, kind, mode, data) in enumerate(loaded):
            if errors[i] is not None:
                continue
            fn = fetch if kind == "responses" else serve
            try:
                t0 = time.thread_time()
                results[i] = fn(data, mode, send_headers, send_body)
                times[i].append(time.thread_time() - t0)
            except Exception as e:  # reported, not fatal
                errors[i] = str(e).replace("\n", " ")
    for i, (key, kind, mode, data) in enumerate(loaded):
        if errors[i] is not None:
            print("h11-error %s %s %s" % (key, mode, errors[i]), flush=True)
            continue
        res = results[i]
        print("h11 %s %s %d %d %d %d %s" % (
            key, mode, res[0], res[1], res[2], res[3],
            ",".join("%.9f" % t for t in times[i])), flush=True)


if __name__ == "__main__":
    main(sys.argv)
